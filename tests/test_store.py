"""The bot's store, each test against both backends (`database_url`: SQLite, then a fresh
PostgreSQL schema): what it keeps, its one versioned schema and its migrations, several
writers at once, and a busy store that a question does without."""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest

from assistant.converse.followup import Turn
from assistant.converse.home import Home
from assistant.settings import Settings
from assistant.telegram.store import LATEST, STORE_NAME, Feedback, SchemaTooNew, SqliteStore, open_store
from assistant.telegram.store.schema import MIGRATIONS

THAI_TAN = Home("xã Thái Tân", "Hải Phòng", "")
TURN = Turn("Ai chủ trì kế hoạch?", "kế hoạch", "lead_unit", ("xa-thai-tan-2026",), "Văn phòng")


def fb(answer_id="a1", user_id=7, vote=-1, reason="", ts=100.0, **kw) -> Feedback:
    return Feedback(answer_id, user_id, -1001, vote, "Hạn báo cáo năm?", "**15/12**", ts, reason, **kw)


def query(store, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read straight from the store's tables (what no method shows)."""
    with store._transaction() as db:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]


ALL = [m.version for m in MIGRATIONS]


def versions(store) -> list[int]:
    return [v for (v,) in query(store, "SELECT version FROM schema_version ORDER BY version")]


# ---------------------------------------------------------------------------- feedback
def test_a_second_vote_changes_the_vote_keeps_the_first_time_and_the_chosen_reason(open_test_store):
    store = open_test_store()
    first = store.add_feedback(fb(intent="deadline", docs=("xa-thai-tan-2026.txt", "phường Rạch Giá.txt")))
    assert first == fb(intent="deadline", docs=("xa-thai-tan-2026.txt", "phường Rạch Giá.txt"))
    assert store.add_feedback(fb(reason="date", ts=200.0)).reason == "date"
    again = store.add_feedback(fb(ts=300.0))  # a 👎 without a reason keeps the one chosen
    assert (again.vote, again.reason, again.ts, again.docs) == (-1, "date", 100.0, ())
    up = store.add_feedback(fb(vote=1, ts=400.0))  # a 👍 clears it
    assert (up.vote, up.reason, up.ts) == (1, "", 100.0)
    assert open_test_store().feedback() == [up]


def test_votes_are_listed_oldest_first(open_test_store):
    store = open_test_store()
    for answer_id, user_id, ts in (("b", 1, 20.0), ("a", 2, 10.0), ("c", 1, 10.0), ("a", 1, 10.0)):
        store.add_feedback(fb(answer_id, user_id, ts=ts))
    assert [(f.answer_id, f.user_id) for f in store.feedback()] == [("a", 1), ("a", 2), ("c", 1), ("b", 1)]


@pytest.mark.parametrize("bad", [fb(vote=0), fb(vote=1, reason="unit")])
def test_a_vote_that_is_not_one_is_refused_and_nothing_stored(open_test_store, bad):
    store = open_test_store()
    with pytest.raises(ValueError):
        store.add_feedback(bad)
    assert store.feedback() == []


# ---------------------------------------------------------------------------- subscriptions, refusals
def test_subscriptions_keep_the_unit_after_unsubscribing(open_test_store):
    store = open_test_store()
    store.subscribe(-1002003004005, "Văn phòng HĐND và UBND")  # a supergroup: beyond 32 bits
    store.subscribe(5, None)
    store.subscribe(5, "Phòng Văn hóa - Xã hội")  # subscribing again changes the unit
    assert store.subscriptions() == [
        (-1002003004005, "Văn phòng HĐND và UBND"),
        (5, "Phòng Văn hóa - Xã hội"),
    ]
    assert store.unsubscribe(5) is True and store.unsubscribe(5) is False and store.unsubscribe(6) is False
    assert open_test_store().subscriptions() == [(-1002003004005, "Văn phòng HĐND và UBND")]
    assert (store.unit_of(5), store.unit_of(6)) == ("Phòng Văn hóa - Xã hội", None)
    store.subscribe(5, None)
    assert store.subscriptions()[-1] == (5, None)


def test_a_chat_is_refused_once(open_test_store):
    store = open_test_store()
    assert [store.first_refusal(9), store.first_refusal(9), store.first_refusal(10)] == [True, False, True]
    assert open_test_store().first_refusal(9) is False


# ---------------------------------------------------------------- the chat's commune and last question
def test_a_chats_commune_is_set_replaced_and_cleared(open_test_store):
    store = open_test_store()
    assert store.home_of(1) is None
    store.set_home(1, Home("phường Rạch Giá", "An Giang", "Rạch Giá"))
    store.set_home(1, THAI_TAN)
    store.set_home(2, THAI_TAN)
    assert open_test_store().home_of(1) == THAI_TAN
    store.set_home(1, None)
    store.set_home(3, None)  # nothing to clear
    assert (store.home_of(1), store.home_of(2)) == (None, THAI_TAN)


def test_a_chats_last_question_is_kept_for_its_time_and_a_foreign_one_is_no_context(open_test_store):
    store = open_test_store()
    assert store.turn(1) is None
    store.remember(1, dataclasses.replace(TURN, question="cũ"))
    store.remember(1, TURN)
    assert open_test_store().turn(1) == TURN
    assert store.turn(1, ttl=-1) is None  # asked too long ago
    with store._transaction() as db:
        db.execute("UPDATE turns SET turn = ? WHERE chat_id = ?", ('{"question": "from another version"}', 1))
    assert store.turn(1) is None


# ---------------------------------------------------------------------------- schema and migrations
def test_a_new_store_has_every_version_and_reopening_changes_nothing(open_test_store):
    store = open_test_store()
    assert versions(store) == [m.version for m in MIGRATIONS] and LATEST == MIGRATIONS[-1].version
    store.add_feedback(fb())
    store.subscribe(1, "Văn phòng")
    again = open_test_store()
    assert versions(again) == versions(store)
    assert again.feedback() == [fb()] and again.subscriptions() == [(1, "Văn phòng")]


def test_a_store_of_version_1_is_migrated_keeping_its_rows(open_test_store):
    old = open_test_store(upto=1)
    assert versions(old) == [1]
    with old._transaction() as db:
        db.execute("INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?)", ("a1", 7, -1001, -1, "q", "a", 50.0))
        db.execute("INSERT INTO subscriptions VALUES (?, ?, ?, ?)", (5, "Văn phòng", 1, 50.0))
        db.execute("INSERT INTO refused VALUES (?, ?)", (9, 50.0))
    store = open_test_store()
    assert versions(store) == ALL
    assert store.feedback() == [
        Feedback("a1", 7, -1001, -1, "q", "a", 50.0)
    ]  # reason, intent, docs: defaults
    assert store.subscriptions() == [(5, "Văn phòng")] and store.first_refusal(9) is False
    store.set_home(5, THAI_TAN)
    assert store.home_of(5) == THAI_TAN


def test_a_store_newer_than_the_program_is_not_opened_nor_touched(open_test_store, tmp_path):
    store = open_test_store()
    store.subscribe(1, None)
    with store._transaction() as db:
        db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (LATEST + 1, "from a newer program", 0.0))
    with pytest.raises(SchemaTooNew, match=f"version {LATEST + 1}, newer than this program's {LATEST}"):
        open_test_store()
    assert store.subscriptions() == [(1, None)]
    assert not list(tmp_path.glob("data/*.corrupt-*"))  # SQLite: not taken for a garbled file


def test_workers_opening_a_new_store_together_migrate_it_once(open_test_store):
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: open_test_store(), range(4)))
    assert versions(stores[0]) == ALL


# The layouts SQLite stores had before the schema had versions, each as its release created it
FIRST_RELEASE = """
CREATE TABLE feedback (
    answer_id TEXT NOT NULL, user_id INTEGER NOT NULL, chat_id INTEGER NOT NULL,
    vote INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, ts REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id));
CREATE TABLE subscriptions (
    chat_id INTEGER PRIMARY KEY, unit TEXT, active INTEGER NOT NULL, ts REAL NOT NULL);
CREATE TABLE refused (chat_id INTEGER PRIMARY KEY, ts REAL NOT NULL);
"""
REASONS = """
ALTER TABLE feedback ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN intent TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN docs TEXT NOT NULL DEFAULT '[]';
"""
HOMES_AND_TURNS = """
CREATE TABLE homes (
    chat_id INTEGER PRIMARY KEY, place TEXT NOT NULL, province TEXT NOT NULL, district TEXT NOT NULL,
    ts REAL NOT NULL);
CREATE TABLE turns (chat_id INTEGER PRIMARY KEY, turn TEXT NOT NULL, ts REAL NOT NULL);
"""


@pytest.mark.parametrize(
    "layout, found",
    [
        (FIRST_RELEASE, 1),
        (FIRST_RELEASE + REASONS, 2),
        (FIRST_RELEASE + HOMES_AND_TURNS, 1),  # conversation merged before reasons
        (FIRST_RELEASE + HOMES_AND_TURNS + REASONS, 2),  # the last layout before versions
    ],
)
def test_a_sqlite_store_from_before_versions_keeps_its_rows(tmp_path, layout, found):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / STORE_NAME) as db:
        db.executescript(layout)
        db.execute(
            "INSERT INTO feedback (answer_id, user_id, chat_id, vote, question, answer, ts) "
            "VALUES ('old', 5, 5, -1, 'Báo cáo quý?', '**ngày 15**', 10.0)"
        )
        db.execute("INSERT INTO subscriptions VALUES (5, 'Văn phòng', 1, 10.0)")
        db.execute("INSERT INTO refused VALUES (9, 10.0)")
        if "homes" in layout:
            db.execute("INSERT INTO homes VALUES (5, 'xã Thái Tân', 'Hải Phòng', '', 10.0)")
    db.close()
    store = SqliteStore(data)
    assert store.recovered is None
    assert store.feedback() == [Feedback("old", 5, 5, -1, "Báo cáo quý?", "**ngày 15**", 10.0)]
    assert store.subscriptions() == [(5, "Văn phòng")] and store.first_refusal(9) is False
    assert store.home_of(5) == (THAI_TAN if "homes" in layout else None)
    history = query(store, "SELECT version, name FROM schema_version ORDER BY version")
    assert [v for v, _ in history] == ALL
    assert [name.endswith("(found in place)") for _, name in history] == [v <= found for v in ALL]
    assert SqliteStore(data).feedback() == store.feedback()


# ---------------------------------------------------------------------------- several writers, a busy store
def test_concurrent_writers_neither_lose_nor_double_a_row(open_test_store):
    stores = [open_test_store(), open_test_store()]  # two workers

    def work(i: int) -> bool:
        store = stores[i % 2]
        store.add_feedback(fb(vote=(-1, 1)[i % 2], reason="unit" if i % 4 == 0 else "", ts=float(i)))
        store.subscribe(i % 3, f"đơn vị {i}")
        store.set_home(i % 2, THAI_TAN)
        return store.first_refusal(42)

    with ThreadPoolExecutor(8) as pool:
        firsts = list(pool.map(work, range(24)))
    assert firsts.count(True) == 1
    [vote] = stores[0].feedback()
    assert vote.ts in {float(i) for i in range(24)} and vote.reason in ("", "unit")
    assert [chat for chat, _ in stores[1].subscriptions()] == [0, 1, 2]
    assert query(stores[0], "SELECT count(*) FROM homes") == [(2,)]


@contextmanager
def busy(database_url, data_dir):
    """Another process holding the store: SQLite's file locked, PostgreSQL's tables locked."""
    if not database_url:
        locker = sqlite3.connect(data_dir / STORE_NAME, timeout=0)
        locker.execute("BEGIN EXCLUSIVE")
    else:
        locker = psycopg.connect(database_url)
        locker.execute("LOCK TABLE homes, turns IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        locker.rollback()
        locker.close()


def test_a_question_does_without_a_busy_store_after_a_short_wait(open_test_store, database_url, tmp_path):
    store = open_test_store()
    store.quick_wait = 0.3  # a second in the bot
    store.set_home(1, THAI_TAN)
    with busy(database_url, tmp_path / "data"):
        started = time.monotonic()
        assert store.home_of(1) is None
        store.remember(1, TURN)  # logged, not raised
        assert store.turn(1) is None
        waited = time.monotonic() - started
    assert 0.8 < waited < 5  # three calls of about 0.3 s each
    assert store.home_of(1) == THAI_TAN and store.turn(1) is None  # the question was not kept


# ---------------------------------------------------------------------------- choosing the backend
def test_the_settings_choose_the_backend(database_url, tmp_path):
    settings = dataclasses.replace(Settings(), data_dir=tmp_path / "data", database_url=database_url)
    with open_store(settings) as store:
        store.subscribe(1, None)
        assert type(store).__name__ == ("PostgresStore" if database_url else "SqliteStore")
    assert (tmp_path / "data" / STORE_NAME).is_file() is not bool(database_url)
    with open_store(settings) as store:
        assert store.subscriptions() == [(1, None)]


def test_the_database_url_is_read_from_the_environment_and_kept_out_of_logs(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", " postgresql://bot:s3cret@db.example/cchc ")
    settings = Settings()
    assert settings.database_url == "postgresql://bot:s3cret@db.example/cchc"
    assert "s3cret" not in repr(settings)
    with pytest.raises(ValueError, match="postgresql://") as raised:
        open_store(dataclasses.replace(settings, database_url="mysql://bot:s3cret@db/cchc"))
    assert "mysql://…" in str(raised.value) and "s3cret" not in str(raised.value)
    with pytest.raises(ValueError, match="no scheme"):
        open_store(dataclasses.replace(settings, database_url="host=db password=s3cret"))


def test_an_unreachable_database_stops_the_store_from_opening(tmp_path):
    settings = dataclasses.replace(
        Settings(), database_url=f"postgresql://bot@/cchc?host={tmp_path}&port=1", data_dir=tmp_path
    )
    with pytest.raises(psycopg.OperationalError):
        open_store(settings)
