"""Invites: a one-time code an admin makes with /moi, handed out as a deep link
(t.me/<bot>?start=<code>). Opening it sends "/start <code>" from the new chat, which the
access gate redeems before refusing the chat (`redeem` here). Codes, links, the chat's
name; the wording is in invite_replies."""

from __future__ import annotations

import asyncio
import re
import secrets

from telegram import Chat, Update

from assistant.telegram import invite_replies as texts
from assistant.telegram.send import send
from assistant.telegram.state import BotContext
from assistant.telegram.store import Invite

INVITE_HOURS = 72  # an invite expires this long after it is made
CODE_BYTES = 12  # secrets.token_urlsafe(12): 16 characters, 96 random bits
CODE = re.compile(r"[A-Za-z0-9_-]{16}")  # fits a deep link's start parameter (1-64 of these)
_START = re.compile(r"/start(?:@\w+)?\s+(\S+)")


def new_invite(created_by: int, now: float, hours: float = INVITE_HOURS) -> Invite:
    return Invite(secrets.token_urlsafe(CODE_BYTES), created_by, now, now + hours * 3600)


def links(username: str, code: str) -> tuple[str, str]:
    """The deep links that open the code: in a private chat with the bot, and adding the
    bot to a group (the group is then the chat admitted)."""
    return f"https://t.me/{username}?start={code}", f"https://t.me/{username}?startgroup={code}"


def start_code(update: Update) -> str | None:
    """The invite code a "/start <code>" message carries (a deep link opened), or None."""
    message = update.message
    found = _START.fullmatch((message.text or "").strip()) if message else None
    return found.group(1) if found and CODE.fullmatch(found.group(1)) else None


def chat_name(chat: Chat) -> str:
    """What to call a chat in the admins' list: a group's title, a person's name."""
    return chat.title or chat.full_name or (f"@{chat.username}" if chat.username else "")


async def redeem(update: Update, context: BotContext, code: str) -> bool:
    """Spend the code on the update's chat: True when it admitted the chat (the /start then
    greets it); otherwise the chat is told why the code does not work."""
    state, chat = context.state, update.effective_chat
    outcome = await asyncio.to_thread(state.store.redeem, code, chat.id, chat_name(chat), state.clock())
    await send(update, texts.REDEEMED[outcome])
    return outcome == "admitted"
