"""/diaban and its buttons: a chat's own commune. In a group only the group's admins (or
the bot's, TELEGRAM_ADMINS) change it; everyone's questions then use it."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from assistant.converse.home import Home, plans_at
from assistant.telegram import home, replies
from assistant.telegram.send import command_argument, quietly, send
from assistant.telegram.state import BotContext, BotState

log = logging.getLogger(__name__)


def home_plans(state: BotState, chat_id: int) -> tuple[str, ...]:
    """Blocking: the plans of the chat's commune (none when it has not chosen one)."""
    return plans_at(state.store.home_of(chat_id), state.assistant.index.catalog)


def home_keyboard(offered: tuple[Home, ...]) -> InlineKeyboardMarkup | None:
    """Two communes a row, each button setting that commune."""
    if not offered:
        return None
    cells = [InlineKeyboardButton(h.label, callback_data=f"home:{home.key_of(h)}") for h in offered]
    return InlineKeyboardMarkup([cells[i : i + 2] for i in range(0, len(cells), 2)])


async def may_change(update: Update, context: BotContext) -> bool:
    """Anyone in a private chat; in a group, its admins and the bot's."""
    chat, user = update.effective_chat, update.effective_user
    if chat.type == ChatType.PRIVATE or context.state.is_admin(user.id):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("getChatMember failed, treating the sender as a member: %s", exc)
        return False
    return member.status in {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def set_home(update: Update, context: BotContext) -> None:
    """/diaban [tên]: show the communes to choose from, or set the one named."""
    state, chat_id, arg = context.state, update.effective_chat.id, command_argument(update.message)
    current = await asyncio.to_thread(state.store.home_of, chat_id)
    if arg and not await may_change(update, context):
        await send(update, home.ADMINS_ONLY)
        return
    choice = await asyncio.to_thread(home.choose, state.assistant, arg, current)
    if choice.home or choice.clear:
        await asyncio.to_thread(state.store.set_home, chat_id, choice.home)
    await send(update, choice.html, home_keyboard(choice.offered))


async def pick_home(update: Update, context: BotContext) -> None:
    """A press on a commune's button."""
    query, state = update.callback_query, context.state
    if not await may_change(update, context):
        await quietly(query.answer(home.ADMINS_ONLY, show_alert=True), "answerCallbackQuery")
        return
    chosen = await asyncio.to_thread(home.home_by_key, state.assistant, query.data.partition(":")[2])
    if chosen is None:
        await quietly(query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
        return
    await asyncio.to_thread(state.store.set_home, update.effective_chat.id, chosen)
    await quietly(query.answer(chosen.label), "answerCallbackQuery")
    await send(update, home.chosen(state.assistant, chosen).html)
