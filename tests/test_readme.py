"""The README is the newcomer's map: every command of the CLI is in it, and every answer it
shows is the assistant's own."""

from __future__ import annotations

import argparse

import pytest
from helpers import ROOT, readme_asks

from assistant.cli.main import build_parser
from assistant.present.answers import answer_text


def test_every_cli_subcommand_is_in_the_readme():
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [name for name in sub.choices if f"python -m assistant {name}" not in readme]
    assert len(sub.choices) >= 10 and missing == []


def test_the_readme_shows_asks():
    assert len(readme_asks()) >= 4
    assert len(readme_asks("cchc")) == 1  # the installed command (tests/test_install.py runs it)


@pytest.mark.slow
@pytest.mark.parametrize("question, shown", readme_asks() + readme_asks("cchc"))
def test_each_answer_the_readme_shows_is_the_assistant_s(assistant, question, shown):
    assert answer_text(assistant.ask(question)).splitlines()[0] == shown
