"""The access gate: runs before every handler and decides whether an update goes on. Its
chat must be allowed (by the settings, or let in by an invite or an admin: a "/start
<code>" from a chat not let in yet redeems the invite here), its sender within the rate
limit, and a button press must carry data the bot could have sent; a refused or dropped
press is still answered, so that no spinner turns forever."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from assistant.telegram import buttons, invites, replies
from assistant.telegram.access import admits
from assistant.telegram.inline import answer_inline
from assistant.telegram.ratelimit import Verdict
from assistant.telegram.send import addressed, quietly
from assistant.telegram.state import BotContext

log = logging.getLogger(__name__)


async def gate(update: Update, context: BotContext) -> None:
    """Fails closed: whatever goes wrong in here (a locked or garbled store, say) stops the
    update. Refusals and warnings are best-effort."""
    try:
        admitted = await _admit(update, context)
    except Exception:
        log.exception("access check failed: the update is dropped")
        admitted = False
    if not admitted:
        raise ApplicationHandlerStop


async def _admit(update: Update, context: BotContext) -> bool:
    state = context.state
    chat, user = update.effective_chat, update.effective_user
    if not await admits(state.access, state.store, chat and chat.id, user and user.id):
        if chat is not None and (code := invites.start_code(update)) is not None:
            # an invite opened: "/start <code>"; counted, so that codes cannot be tried fast
            return state.limiter.hit(user.id if user else chat.id) is Verdict.OK and (
                await invites.redeem(update, context, code)
            )
        await _refuse(update, context)
        return False
    if not addressed(update):
        return True  # a group's own talk: no handler answers it, nothing to limit
    # one limit per person, whichever chat they write in and inline too
    verdict = state.limiter.hit(user.id if user else chat and chat.id)
    if verdict is Verdict.WARN:
        await _slow_down(update)
    elif verdict is Verdict.DROP and update.callback_query:  # silent, but the spinner stops
        await quietly(update.callback_query.answer(), "answerCallbackQuery")
    if verdict is not Verdict.OK:
        return False
    query = update.callback_query
    if query is not None and not buttons.valid(query):
        await quietly(query.answer(replies.INVALID_BUTTON, show_alert=True), "answerCallbackQuery")
        return False
    return True


async def _refuse(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if update.inline_query:  # no chat: the sender decided; a stranger sees no results
        await answer_inline(update.inline_query, [], cache_time=0)
    elif update.callback_query:
        await quietly(update.callback_query.answer(replies.REFUSED, show_alert=True), "answerCallbackQuery")
    # the store call runs off the event loop: a locked store must not hold other chats up
    elif chat and addressed(update) and await asyncio.to_thread(context.state.store.first_refusal, chat.id):
        await quietly(chat.send_message(replies.REFUSED), "refusal")


async def _slow_down(update: Update) -> None:
    """Ask once to slow down, in whatever way the update can be answered."""
    if update.inline_query:
        await answer_inline(update.inline_query, [], replies.INLINE_SLOW, cache_time=0)
    elif update.callback_query:
        await quietly(update.callback_query.answer(replies.SLOW_DOWN, show_alert=True), "answerCallbackQuery")
    elif update.effective_chat:
        await quietly(update.effective_chat.send_message(replies.SLOW_DOWN), "slow down")
