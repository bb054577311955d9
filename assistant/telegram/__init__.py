"""The Telegram bot: wiring (app), thin handlers, HTML rendering, storage, access, rate limits."""
