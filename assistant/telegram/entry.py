"""Starting the bot: Telegram (polling or webhook) with a token, the console without."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from assistant.settings import load_settings

Progress = Callable[[int, int], None]  # what a build reports to (`index.report`)


def main(
    argv: list[str] | None = None,
    progress: Callable[[], Progress] | None = None,
    prog: str = "python -m assistant",
) -> int:
    """`progress`: makes the callback a start that builds the index reports to (the
    console shows it; `bot.py` and `python -m assistant chat` pass the CLI's). `prog`: the
    command line that adds a plan (`<prog> add FILE`), named when none is loaded."""
    from assistant.telegram import replies

    parser = argparse.ArgumentParser(description="Trợ lý kế hoạch CCHC trên Telegram.")
    parser.add_argument("--console", action="store_true", help="trò chuyện trong cửa sổ dòng lệnh")
    parser.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging(
        operator=not args.console, verbose=args.verbose, json_lines=settings.log_format == "json"
    )
    if args.console:
        return _console(settings, progress() if progress else None, prog)
    if not settings.telegram_token:
        print(replies.NO_TOKEN, file=sys.stderr)
        return 2
    from assistant.telegram.app import run

    run(settings, port=int(os.environ.get("PORT", "8443")))
    return 0


def _console(settings, progress: Progress | None, prog: str) -> int:
    from assistant.present.cli import LOADING, no_plans
    from assistant.serve.assistant import Assistant
    from assistant.telegram.console import run_console
    from assistant.telegram.state import default_today

    for stream in (sys.stdin, sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace")
    print(LOADING, file=sys.stderr, flush=True)
    assistant = Assistant.load(settings, progress=progress)
    if not assistant.index.catalog:
        print(no_plans(settings.corpus_dir, prog), file=sys.stderr)
    run_console(assistant, sys.stdin, sys.stdout, default_today, settings.data_dir, prompt=sys.stdin.isatty())
    return 0


OWN = ("assistant", "__main__")  # loggers whose INFO is the operator's; libraries' is not
VERBOSE_HELP = "ghi cả nhật ký chi tiết (DEBUG, kể cả của thư viện) ra stderr"


def configure_logging(operator: bool, verbose: bool = False, json_lines: bool = False) -> None:
    """The bot logs what it does for its operator (INFO); the console and the command line
    show an official only warnings. Libraries speak only of problems (httpx's every
    request, bm25s's DEBUG lines, python-telegram-bot's start): a filter on the handler,
    because some (bm25s) set their own logger to DEBUG when imported. `verbose`
    (--verbose): everything, libraries' DEBUG included. `json_lines`
    (ASSISTANT_LOG_FORMAT=json): one JSON object a line, for a log collector."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO if operator else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    if json_lines:
        from assistant.telegram.logformat import JsonLines

        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonLines())
    if not verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.split(".")[0] in OWN)


def chat(
    verbose: bool = False, progress: Callable[[], Progress] | None = None, prog: str = "python -m assistant"
) -> int:
    """The Telegram bot when a token is configured, otherwise the console chat."""
    from assistant.telegram import replies

    flags = ["--verbose"] if verbose else []
    if load_settings().telegram_token:
        return main(flags, progress, prog)
    print(replies.CONSOLE_WITHOUT_TOKEN, file=sys.stderr)
    return main(["--console", *flags], progress, prog)
