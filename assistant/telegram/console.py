"""The bot's conversation in a terminal: questions and commands from stdin, plain text out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from assistant.serve.assistant import Assistant
from assistant.telegram import conversation, replies
from assistant.telegram.html import to_plain


def respond(assistant: Assistant, line: str, today: Callable[[], date], out_dir: Path) -> str:
    """One line in, the bot's reply (HTML) out."""
    if not line.startswith("/"):
        return replies.answer_html(assistant.ask(line))
    command, _, arg = line[1:].partition(" ")
    command, arg = command.split("@")[0].lower(), arg.strip()
    if command == "start":
        return conversation.start(assistant)
    if command == "help":
        return conversation.help_()
    if command == "kehoach":
        return conversation.plans(assistant)
    if command == "donvi":
        return conversation.unit(assistant, arg)
    if command == "hoi":
        return replies.answer_html(assistant.ask(arg)) if arg else replies.HOI_USAGE
    if command == "hanchot":
        return conversation.deadlines(assistant, today(), arg, None)
    if command == "lich":
        ics = conversation.calendar_file(assistant, today(), arg or None)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / ics.name).write_bytes(ics.data)
        return replies.saved_file(ics.caption, str(out_dir / ics.name))
    if command == "nhacviec":
        return replies.TELEGRAM_ONLY
    return replies.UNKNOWN_COMMAND


def run_console(
    assistant: Assistant,
    lines: Iterable[str],
    out: TextIO,
    today: Callable[[], date],
    out_dir: Path,
    prompt: bool = False,
) -> None:
    """Answer each non-empty line until the input ends."""
    if prompt:
        print(to_plain(conversation.start(assistant)), file=out, end="\n\n> ", flush=True)
    for raw in lines:
        line = raw.strip()
        if line:
            print(to_plain(respond(assistant, line, today, out_dir)), file=out, end="\n\n", flush=True)
        if prompt:
            print("> ", file=out, end="", flush=True)
