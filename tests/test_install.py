"""Installed like an application: `pip install .` gives a `cchc` command that runs from any
folder; its plans, index and data live in one home folder (`settings.home_dir`); a new home
says where plans go instead of failing."""

from __future__ import annotations

import sys

import pytest
from helpers import ROOT

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
