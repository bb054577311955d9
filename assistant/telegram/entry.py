"""Starting the bot: Telegram (polling or webhook) with a token, the console without."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from assistant.present.cli import LOADING, no_plans
from assistant.settings import load_settings
from assistant.telegram import replies


def main(argv: list[str] | None = None, prog: str = "python -m assistant") -> int:
    """`prog`: the command line that adds a plan (`<prog> add FILE`), named when none is loaded."""
    parser = argparse.ArgumentParser(description="Trợ lý kế hoạch CCHC trên Telegram.")
    parser.add_argument("--console", action="store_true", help="trò chuyện trong cửa sổ dòng lệnh")
    args = parser.parse_args(argv)
    _configure_logging(console=args.console)
    settings = load_settings()
    if args.console:
        from assistant.serve.assistant import Assistant
        from assistant.telegram.console import run_console
        from assistant.telegram.state import default_today

        for stream in (sys.stdin, sys.stdout):
            stream.reconfigure(encoding="utf-8", errors="replace")
        print(LOADING, file=sys.stderr)
        assistant = Assistant.load(settings)
        if not assistant.index.catalog:
            print(no_plans(settings.corpus_dir, prog), file=sys.stderr)
        run_console(
            assistant,
            sys.stdin,
            sys.stdout,
            default_today,
            settings.data_dir,
            prompt=sys.stdin.isatty(),
        )
        return 0
    if not settings.telegram_token:
        print(replies.NO_TOKEN, file=sys.stderr)
        return 2
    from assistant.telegram.app import run

    run(settings, port=int(os.environ.get("PORT", "8443")))
    return 0


NOISY = ("httpx", "faiss", "bm25s")  # libraries whose info is not the operator's


def _configure_logging(console: bool) -> None:
    """The bot logs what it does for its operator (INFO); the console shows the official
    only warnings. Libraries speak only of problems: a filter on the handler, because some
    (bm25s) set their own logger to DEBUG when imported."""
    logging.basicConfig(
        level=logging.WARNING if console else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.split(".")[0] not in NOISY)


def chat(prog: str = "python -m assistant") -> int:
    """The Telegram bot when a token is configured, otherwise the console chat."""
    if load_settings().telegram_token:
        return main([], prog)
    print(replies.CONSOLE_WITHOUT_TOKEN, file=sys.stderr)
    return main(["--console"], prog)
