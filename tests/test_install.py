"""Installed like an application: `pip install .` gives a `cchc` command that runs from any
folder; its plans, index and data live in one home folder (`settings.home_dir`); a new home
says where plans go instead of failing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import CORPUS, ROOT, readme_asks
from packaging.requirements import Requirement

from assistant.settings import APP_NAME, Settings, home_dir, load_settings

FOLDER_VARS = ("ASSISTANT_CORPUS_DIR", "ASSISTANT_INDEX_DIR", "ASSISTANT_DATA_DIR")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """ASSISTANT_HOME set to a new, empty folder; no folder moved on its own."""
    for name in FOLDER_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_assistant_home_holds_the_plans_the_index_and_the_data(home):
    s = Settings()
    assert s.home == home
    assert (s.corpus_dir, s.index_dir, s.data_dir) == (home / "corpus", home / "index", home / "data")


def test_a_relative_home_is_the_folder_it_was_named_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert home_dir({"ASSISTANT_HOME": "plans"}) == tmp_path / "plans"


def test_each_folder_may_still_be_moved_on_its_own(home, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "elsewhere"))
    s = Settings()
    assert s.index_dir == tmp_path / "elsewhere" and s.corpus_dir == home / "corpus"


def test_the_home_s_env_file_is_read(home, monkeypatch):
    home.mkdir()
    (home / ".env").write_text("ASSISTANT_MAX_UNSCOPED_PLANS=7\n", "utf-8")
    monkeypatch.setenv("ASSISTANT_MAX_UNSCOPED_PLANS", "")  # so that the test's end removes
    monkeypatch.delenv("ASSISTANT_MAX_UNSCOPED_PLANS")  # what the .env file sets
    assert load_settings().max_unscoped_plans == 7


def test_run_from_a_checkout_the_checkout_is_the_home():
    assert home_dir({}) == ROOT


def test_an_installed_package_keeps_its_data_in_the_user_s_folder(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"  # no corpus/ beside the package
    site.mkdir()
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # not installed: XDG by hand
    assert home_dir({"XDG_DATA_HOME": str(tmp_path / "xdg")}, site) == tmp_path / "xdg" / APP_NAME
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert home_dir({}, site) == tmp_path / "user" / ".local" / "share" / APP_NAME


@pytest.mark.parametrize("command", [["ask", "Ai chủ trì cải cách thể chế?"], ["plans"], ["deadlines"]])
def test_a_new_home_says_where_plans_go(home, monkeypatch, capsys, command):
    from assistant.cli.main import main

    monkeypatch.setenv("ASSISTANT_EMBEDDER", "none")
    assert main(command, prog="cchc") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert str(home / "corpus") in err and "cchc add TỆP" in err and "ASSISTANT_HOME" in err


def test_with_no_plan_loaded_a_question_is_told_so(home, monkeypatch):
    """The bot and the console chat answer from the same core: no plan, no search."""
    from assistant.present.answers import NO_PLANS, answer_text
    from assistant.serve.assistant import Assistant

    monkeypatch.setenv("ASSISTANT_EMBEDDER", "none")
    answer = Assistant.load(load_settings()).ask("Ai chủ trì cải cách thể chế?")
    assert not answer.found and answer_text(answer).splitlines()[0] == NO_PLANS


def _requirements() -> dict[str, list[Requirement]]:
    """requirements.txt's pins by section (the comment line that opens it)."""
    sections: dict[str, list[Requirement]] = {}
    section = ""
    for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("# ").split()[0].lower()
        elif line.strip():
            sections.setdefault(section, []).append(Requirement(line))
    return sections


def test_the_package_declares_what_requirements_txt_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = _requirements()
    pinned = {r.name: r for part in pins.values() for r in part}
    runtime = [Requirement(r) for r in project["dependencies"]]
    extras = [Requirement(r) for part in project["optional-dependencies"].values() for r in part]
    assert {r.name for r in runtime} == {r.name for r in pins["runtime"]}
    assert sorted(r.name for r in runtime + extras) == sorted(pinned)
    for r in runtime + extras:  # each pin (the versions tested) satisfies what the package asks
        [pin] = pinned[r.name].specifier
        assert r.specifier.contains(pin.version) and r.extras == pinned[r.name].extras, r
    assert str(pinned["torch"].specifier) == "==2.13.0"
    assert project["requires-python"] == ">=3.11"


def test_the_package_ships_its_data_and_names_its_command():
    from assistant.cli.main import cchc

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert config["project"]["scripts"] == {"cchc": "assistant.cli.main:cchc"} and callable(cchc)
    shipped = config["tool"]["setuptools"]["package-data"]
    data = [
        p.relative_to(ROOT)
        for p in (ROOT / "assistant").rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert data and all(f"*{p.suffix}" in shipped[".".join(p.parent.parts)] for p in data)


def _index_for(checkout_settings: Settings) -> bool:
    """Whether the checkout's own index/ serves its corpus as it is (no rebuild needed)."""
    from assistant.index.embed import make_embedder
    from assistant.index.store import IndexInvalid, load_index
    from assistant.read.load import corpus_files, load_corpus

    s = checkout_settings
    embedder = make_embedder(s.embedder, s.embed_query_prefix, s.embed_passage_prefix, s.embed_word_segmented)
    try:
        load_index(ROOT / "index", corpus_files(*load_corpus(CORPUS)), embedder)
    except IndexInvalid:
        return False
    return True


@pytest.mark.slow
def test_the_installed_command_answers_from_any_folder(tmp_path, request):
    """What a user does: a virtual environment, `pip install .`, ASSISTANT_HOME naming the
    checkout (its plans and index), then `cchc ask` from their own folder. The answer is the
    one `python -m assistant ask` prints in the checkout, and the README's. The checkout's
    index is used when it is up to date (as a user's would be); otherwise (a fresh clone, as
    in CI) the session's built index, so the test never builds one itself."""
    [(question, shown)] = readme_asks("cchc")
    venv, source, elsewhere = tmp_path / "venv", tmp_path / "source", tmp_path / "elsewhere"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "PYTHONPATH"}
    env |= {"ASSISTANT_HOME": str(ROOT), "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    if not _index_for(Settings()):
        env["ASSISTANT_INDEX_DIR"] = str(request.getfixturevalue("assistant").settings.index_dir)
    manifest = Path(env.get("ASSISTANT_INDEX_DIR", ROOT / "index")) / "manifest.json"
    built = manifest.stat().st_mtime_ns if manifest.is_file() else None

    # a copy of the source, so that the build's build/ and *.egg-info stay out of the checkout
    shutil.copytree(ROOT / "assistant", source / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    elsewhere.mkdir()

    def run(command: list, cwd) -> str:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"  # pip comes from the system's site-packages
    install = ["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--no-deps"]
    run([python, *install, "--no-build-isolation", source], tmp_path)
    located = run([python, "-c", "import assistant; print(assistant.__file__)"], elsewhere)
    assert located.startswith(str(venv))

    answered = run([venv / "bin" / "cchc", "ask", question], elsewhere)
    assert answered == run([sys.executable, "-m", "assistant", "ask", question], ROOT)
    assert answered.splitlines()[: len(shown) - 1] == shown[:-1] and shown[-1] == "..."
    assert not manifest.is_file() or manifest.stat().st_mtime_ns == built  # loaded, not rebuilt
