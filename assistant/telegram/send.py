"""Small Telegram helpers the handlers share: sending split HTML, non-essential calls,
who a group message is addressed to, the answer keyboard."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import filters

from assistant.lang.normalize import short
from assistant.present.across import SHOWN, kind_word
from assistant.present.answers import plan_label
from assistant.records import Answer, Plan
from assistant.telegram import replies
from assistant.telegram.html import split_html

log = logging.getLogger(__name__)


async def quietly(call: Awaitable, what: str) -> None:
    """Await a non-essential Bot API call; a failure is logged and the bot carries on."""
    try:
        await call
    except TelegramError as exc:
        log.warning("%s failed, carrying on: %s", what, exc)


RETRY_DELAYS = (1.0, 3.0, 9.0)  # seconds before each new try after a network error
MAX_RETRY_AFTER = 60.0  # longer flood waits are not waited for


async def with_retry(call: Callable[[], Awaitable], what: str, delays: tuple[float, ...] = RETRY_DELAYS):
    """Await `call()`, trying again after a network error (with back-off) or when Telegram
    asks to wait (RetryAfter); an answer is not lost to one dropped connection."""
    for attempt in range(len(delays) + 1):
        try:
            return await call()
        except RetryAfter as exc:
            wait = (
                exc.retry_after.total_seconds()
                if hasattr(exc.retry_after, "total_seconds")
                else exc.retry_after
            )
            if attempt == len(delays) or wait > MAX_RETRY_AFTER:
                raise
            log.warning("%s: Telegram asks to wait %.0f s", what, wait)
            await asyncio.sleep(wait)
        except NetworkError as exc:  # includes TimedOut; a BadRequest (also one) is not retried
            if attempt == len(delays) or isinstance(exc, BadRequest):
                raise
            log.warning("%s failed (%s), trying again in %.0f s", what, exc, delays[attempt])
            await asyncio.sleep(delays[attempt])


async def send(update: Update, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Send `html` in as many messages as it needs; the keyboard goes under the last one.
    In a group the first part quotes the message it answers."""
    chat, message = update.effective_chat, update.message
    reply = None
    if message is not None and chat.type != ChatType.PRIVATE:
        reply = ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
    parts = split_html(html)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        send_part = partial(
            chat.send_message,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            reply_parameters=reply if i == 0 else None,
        )
        await with_retry(send_part, "sendMessage")


def command_argument(message: Message) -> str:
    """The text after the command ("/donvi@bot Phòng X" -> "Phòng X")."""
    return re.sub(r"^/\S+\s*", "", message.text or "", count=1).strip()


def without_mention(message: Message, username: str) -> str:
    """The message text with the bot's @username taken out."""
    text = message.text or ""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I).strip() if username else text.strip()


class _Addressed(filters.MessageFilter):
    """A message that mentions the bot (in its text or a file's caption) or replies to one
    of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied and replied.from_user and replied.from_user.id == bot.id:
            return True
        wanted = f"@{bot.username}".lower()
        kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        mentions = message.parse_entities(kinds) | message.parse_caption_entities(kinds)
        return any(
            text.lower() == wanted or (entity.user and entity.user.id == bot.id)
            for entity, text in mentions.items()
        )


ADDRESSED = _Addressed(name="addressed")


def addressed(update: Update) -> bool:
    """Whether the bot should say something to this update at all."""
    message = update.effective_message
    if update.callback_query is not None or update.inline_query is not None:
        return True
    if message is None or update.effective_chat is None:
        return False
    if update.effective_chat.type == ChatType.PRIVATE:
        return True
    return filters.COMMAND.check_update(update) or ADDRESSED.check_update(update)


MAX_CHOICES = 8  # plan buttons under an ambiguous question


def answer_keyboard(
    key: str, answer: Answer, vote: int = 0, reason: str = "", offered: Sequence[Plan] = ()
) -> InlineKeyboardMarkup | None:
    """📄 Nguyên văn, 🔎 Kết quả khác, 👍 / 👎 under an answer (none under an invalid question);
    a ➕ button per plan left out for room (`offered`: the question's `choices`, the press
    answers for that plan); after a 👎, the reasons to choose from, the chosen one ticked."""
    if answer.status == "invalid":
        return None
    if answer.status == "ambiguous":  # one button per plan: the press answers for that plan
        return plan_keyboard(key, answer.choices)
    first = []
    if answer.citations or answer.alternatives:
        first.append(InlineKeyboardButton(replies.SOURCES_BUTTON, callback_data=f"src:{key}"))
    if answer.found and answer.alternatives:
        first.append(InlineKeyboardButton(replies.MORE_BUTTON, callback_data=f"alt:{key}"))
    also = [
        [InlineKeyboardButton(f"➕ {short(plan_label(p), 60)}", callback_data=f"pick:{i}:{key}")]
        for i, p in enumerate(offered)
        if p.id in answer.also_plans
    ]
    if answer.across:
        also = across_buttons(key, answer, offered, 0)
    votes = [
        InlineKeyboardButton("👍 ✓" if vote == 1 else "👍", callback_data=f"up:{key}"),
        InlineKeyboardButton("👎 ✓" if vote == -1 else "👎", callback_data=f"down:{key}"),
    ]
    reasons = []
    if vote == -1:
        buttons = [
            InlineKeyboardButton(f"✓ {label}" if code == reason else label, callback_data=f"why:{code}:{key}")
            for code, label in replies.REASON_BUTTONS.items()
        ]
        reasons = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup([row for row in (first, *also, votes, *reasons) if row])


def across_buttons(key: str, answer: Answer, offered: Sequence[Plan], start: int) -> list[list]:
    """Under a page of an answer across communes: 🔍 per commune shown on the first page
    (a press answers for that commune alone), ➕ to show the next page."""
    rows = [
        [InlineKeyboardButton(f"🔍 {short(plan_label(p), 60)}", callback_data=f"pick:{i}:{key}")]
        for i, p in enumerate(offered[start : start + SHOWN] if start == 0 else ())
    ]
    rest = answer.places[start + SHOWN :]
    if rest:
        label = replies.MORE_ACROSS.format(count=len(rest), kind=kind_word(rest))
        rows.append([InlineKeyboardButton(label, callback_data=f"more:{start + SHOWN}:{key}")])
    return rows


def next_page_keyboard(key: str, answer: Answer, start: int) -> InlineKeyboardMarkup | None:
    """Under a later page of an answer across communes: ➕ for the page after it."""
    rows = across_buttons(key, answer, (), start)
    return InlineKeyboardMarkup(rows) if rows else None


def plan_keyboard(key: str, plans) -> InlineKeyboardMarkup:
    """One button per plan (`Plan`s) under the question `key`: a press answers it for that plan."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(short(plan_label(p), 60), callback_data=f"pick:{i}:{key}")]
            for i, p in enumerate(plans[:MAX_CHOICES])
        ]
    )


def choices(state, answer: Answer) -> tuple:
    """The plans a question's buttons offer: those of an ambiguous place, or those an answer
    stated facts from and then those it left out for room (`state`: the bot's, for the
    loaded plans)."""
    if answer.choices:
        return answer.choices[:MAX_CHOICES]
    loaded = {p.id: p for p in state.assistant.index.catalog}
    return tuple(loaded[p] for p in answer.plans + answer.also_plans if p in loaded)[:MAX_CHOICES]
