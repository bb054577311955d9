"""The Telegram bot: `python bot.py` (long polling, or a webhook when TELEGRAM_WEBHOOK_URL
is set) or `python bot.py --console` to talk to it in a terminal; `--verbose` logs
everything, libraries' DEBUG lines included."""

import sys

from assistant.cli.progress import progress_bar
from assistant.telegram.entry import main

if __name__ == "__main__":
    sys.exit(main(progress=progress_bar))
