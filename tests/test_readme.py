"""The README is the newcomer's map: every command of the CLI is in it, and every answer it
shows is the assistant's own."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from helpers import ROOT, readme_asks

from assistant.cli.main import build_parser
from assistant.present.answers import answer_text

README = ROOT / "README.md"


def test_every_cli_subcommand_is_in_the_readme():
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    readme = README.read_text("utf-8")
    missing = [name for name in sub.choices if f"python -m assistant {name}" not in readme]
    assert len(sub.choices) >= 10 and missing == []


def readme_block(heading: str) -> str:
    """The first fenced block after `heading` in the README."""
    text = README.read_text("utf-8")
    after = text[text.index(f"\n{heading}\n") :]
    start = after.index("```\n") + 4
    return after[start : after.index("\n```", start) + 1]


def test_the_readme_shows_asks():
    assert len(readme_asks()) >= 4
    assert len(readme_asks("cchc")) == 1  # the installed command (tests/test_install.py runs it)


@pytest.mark.slow
@pytest.mark.parametrize("question, shown", readme_asks() + readme_asks("cchc"), ids=lambda x: str(x)[:40])
def test_each_answer_the_readme_shows_is_the_assistant_s(assistant, question, shown):
    while shown and not shown[-1]:
        shown = shown[:-1]
    out = answer_text(assistant.ask(question)).splitlines()
    if shown[-1] == "...":  # the first lines of a longer answer
        shown = shown[:-1]
        assert out[: len(shown)] == shown and len(out) > len(shown)
    else:
        assert out == shown


def test_the_readme_shows_a_conversation():
    block = readme_block("#### A conversation")
    asked = [line for line in block.splitlines() if line.startswith("> ")]
    assert len(asked) >= 3 and "> đơn vị đó còn làm gì nữa?" in asked


@pytest.mark.slow
def test_the_conversation_the_readme_shows_is_the_console_s(assistant, tmp_path):
    """Every line of the README's conversation, fed to the console's own chat in order, and
    the whole transcript compared: how each follow-up was understood, the answers, the
    sources and the quotes as the console prints them."""
    from assistant.telegram.console import ConsoleChat, respond
    from assistant.telegram.html import to_plain

    block = readme_block("#### A conversation")
    chat = ConsoleChat(assistant)
    turns = []
    for line in (x[2:] for x in block.splitlines() if x.startswith("> ")):
        reply = to_plain(respond(chat, line, lambda: date(2026, 5, 25), tmp_path))
        turns.append(f"> {line}\n{reply}\n")
    assert "\n".join(turns) == block
