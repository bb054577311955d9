"""The Telegram bot: `python bot.py` (long polling, or a webhook when TELEGRAM_WEBHOOK_URL
is set) or `python bot.py --console` to talk to it in a terminal."""

import sys

from assistant.telegram.entry import main

if __name__ == "__main__":
    sys.exit(main())
