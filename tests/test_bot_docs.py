"""Every command the bot registers with Telegram (setMyCommands) is in /help and in README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.telegram.app import telegram_commands
from assistant.telegram.html import to_plain
from assistant.telegram.replies import help_html

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [c.command for c in telegram_commands()]
ADMIN_ONLY = [c.command for c in telegram_commands(admin=True) if c.command not in COMMANDS]


def mentions(text: str, command: str) -> bool:
    return re.search(rf"(?<![\w/])/{command}(?![\w])", text) is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_in_help(command):
    assert mentions(to_plain(help_html()), command), f"/help does not list /{command}"


def test_admin_commands_are_in_the_admins_help_only():
    assert len(ADMIN_ONLY) >= 4
    for command in ADMIN_ONLY:
        assert mentions(to_plain(help_html(admin=True)), command), f"/help for admins lacks /{command}"
        assert not mentions(to_plain(help_html()), command), f"/help lists /{command} to everyone"


@pytest.mark.parametrize("command", COMMANDS + ADMIN_ONLY)
def test_command_is_in_the_bot_docs(command):
    assert mentions((ROOT / "docs" / "bot.md").read_text("utf-8"), command), f"docs/bot.md lacks /{command}"


@pytest.mark.parametrize("command", COMMANDS + ADMIN_ONLY)
def test_command_is_in_readme(command):
    readme = ROOT / "README.md"
    assert readme.is_file(), (
        "README.md is missing at the repository root: add it with the bot section (docs/bot.md)"
    )
    assert mentions(readme.read_text("utf-8"), command), (
        f"README.md does not mention /{command}: copy its line from the command table in docs/bot.md"
    )
