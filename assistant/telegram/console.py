"""The bot's conversation in a terminal: questions and commands from stdin, plain text out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from assistant.converse.dialogue import MemoryTurns, converse
from assistant.converse.home import Home, plans_at
from assistant.serve.assistant import Assistant
from assistant.telegram import conversation, home, replies
from assistant.telegram.html import to_plain
from assistant.telegram.overview import overview_reply


class ConsoleChat:
    """The console's one conversation: its last turn (for follow-ups) and its commune."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.turns = MemoryTurns()
        self.home: Home | None = None

    @property
    def plans(self) -> tuple[str, ...]:
        return plans_at(self.home, self.assistant.index.catalog)

    def ask(self, text: str) -> str:
        answer = converse(self.assistant, self.turns, SESSION, text, self.plans)
        return replies.answer_html(answer, typed=True)

    def set_home(self, arg: str) -> str:
        choice = home.choose(self.assistant, arg, self.home)
        if choice.home or choice.clear:
            self.home = choice.home
        return "\n".join(x for x in (choice.html, home.plain_choices(choice)) if x)


SESSION = "console"


def respond(chat: ConsoleChat, line: str, today: Callable[[], date], out_dir: Path) -> str:
    """One line in, the bot's reply (HTML) out."""
    assistant = chat.assistant
    if not line.startswith("/"):
        return chat.ask(line)
    command, _, arg = line[1:].partition(" ")
    command, arg = command.split("@")[0].lower(), arg.strip()
    if command == "start":
        return conversation.start(assistant, chat.home)
    if command == "help":
        return conversation.help_()
    if command == "kehoach":
        return conversation.plans(assistant)
    if command == "diaban":
        return chat.set_home(arg)
    if command == "donvi":
        return conversation.unit(assistant, arg, chat.plans)
    if command == "hoi":
        return chat.ask(arg) if arg else replies.HOI_USAGE
    if command == "hanchot":
        return conversation.deadlines(assistant, today(), arg, None, chat.plans)
    if command == "lich":
        ics = conversation.calendar_file(assistant, today(), arg or None, chat.plans)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / ics.name).write_bytes(ics.data)
        return replies.saved_file(ics.caption, str(out_dir / ics.name))
    if command == "tonghop":
        return _overview(assistant, today(), arg, out_dir)
    if command == "nhacviec":
        return replies.TELEGRAM_ONLY
    return replies.UNKNOWN_COMMAND


def _overview(assistant: Assistant, today: date, arg: str, out_dir: Path) -> str:
    """/tonghop: the summary, and the .xlsx saved where the console keeps files."""
    reply = overview_reply(assistant, today, arg)
    if not reply.data:
        return reply.html
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / reply.name).write_bytes(reply.data)
    return f"{reply.html}\n\n{replies.saved_file(reply.caption, str(out_dir / reply.name))}"


def run_console(
    assistant: Assistant,
    lines: Iterable[str],
    out: TextIO,
    today: Callable[[], date],
    out_dir: Path,
    prompt: bool = False,
) -> None:
    """Answer each non-empty line until the input ends, as one conversation."""
    chat = ConsoleChat(assistant)
    if prompt:
        print(to_plain(conversation.start(assistant)), file=out, end="\n\n> ", flush=True)
    for raw in lines:
        line = raw.strip()
        if line:
            print(to_plain(respond(chat, line, today, out_dir)), file=out, end="\n\n", flush=True)
        if prompt:
            print("> ", file=out, end="", flush=True)
