"""Driving the real bot application in tests: start it against the fake Bot API server,
send a message or press a button and wait for the replies, check what Telegram would get.
Helpers only; fixtures live in the test modules and conftest."""

from __future__ import annotations

import html
import re
from contextlib import asynccontextmanager
from html.parser import HTMLParser

from fake_telegram import FakeTelegram
from helpers import CORPUS

from assistant.serve.assistant import Assistant
from assistant.settings import Settings
from assistant.telegram.app import build_application
from assistant.telegram.buttons import GRAMMAR


def bot_settings(**kw) -> Settings:
    """Settings for a bot test: the real corpus, a lexical index, nothing read from the
    environment's Telegram variables."""
    base = dict(
        corpus_dir=CORPUS,
        embedder="none",
        telegram_token="",
        telegram_webhook_url="",
        telegram_webhook_secret="",
        telegram_api_base_url="",
        telegram_allowed_chats=(),
        telegram_admins=(),
    )
    return Settings(**(base | kw))


@asynccontextmanager
async def running(settings: Settings, assistant: Assistant, **kw):
    """The application as run_polling runs it (initialize, post_init, start, poll), in this loop."""
    app = build_application(settings, assistant, **kw)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def exchange(tg: FakeTelegram, text: str, chat_id: int = 1001, count: int = 1, **kw) -> list[dict]:
    """Send `text` and wait for `count` new messages to that chat; returns them."""
    before = len(tg.sent(chat_id))
    tg.text(text, chat_id=chat_id, **kw)
    await tg.until(lambda: len(tg.sent(chat_id)) >= before + count)
    return tg.sent(chat_id)[before:]


async def press(tg: FakeTelegram, message_params: dict, label: str, count: int = 1) -> list[dict]:
    chat_id = message_params["chat_id"]
    before = len(tg.sent(chat_id))
    tg.click(tg.result_of(message_params), button(message_params, label))
    if count:
        await tg.until(lambda: len(tg.sent(chat_id)) >= before + count)
    return tg.sent(chat_id)[before:]


def button(params: dict, label: str) -> str:
    for row in params["reply_markup"]["inline_keyboard"]:
        for b in row:
            if b["text"].startswith(label):
                assert len(b["callback_data"].encode()) <= 64
                assert GRAMMAR.fullmatch(b["callback_data"]), f"{b['callback_data']!r} is not a button's data"
                return b["callback_data"]
    raise AssertionError(f"no button {label!r} in {params.get('reply_markup')}")


class _Checker(HTMLParser):
    ALLOWED = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in self.ALLOWED, f"tag <{tag}> is not Telegram HTML"
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing"


def assert_valid_html(text: str) -> None:
    """Balanced Telegram tags, at most 4,096 characters, no raw `<`, `>` or `&` in the text."""
    assert 0 < len(text) <= 4096, len(text)
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
    bare = re.sub(r"<[^>]*>", "", text)
    assert "<" not in bare and ">" not in bare, bare[:200]
    assert not re.search(r"&(?!(?:lt|gt|amp|quot|#\d+);)", bare), bare[:200]


def visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text))
