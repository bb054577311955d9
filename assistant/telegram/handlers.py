"""Thin handlers: read the update, call the core off the event loop, render, send."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.constants import ChatAction

from assistant.converse import dialogue
from assistant.present.answers import answer_markdown
from assistant.present.feedback import answer_docs
from assistant.records import Answer
from assistant.telegram import conversation, digest, due, home, replies
from assistant.telegram.home_handlers import home_keyboard, home_plans
from assistant.telegram.inline import answer_inline
from assistant.telegram.overview import overview_reply
from assistant.telegram.send import (
    addressed,
    answer_keyboard,
    choices,
    command_argument,
    next_page_keyboard,
    plan_keyboard,
    quietly,
    send,
    with_retry,
    without_mention,
)
from assistant.telegram.state import BotContext, BotState
from assistant.telegram.store import Feedback

log = logging.getLogger(__name__)


async def start(update: Update, context: BotContext) -> None:
    """The greeting; with several communes loaded and none chosen, their buttons too."""
    state, chat_id = context.state, update.effective_chat.id
    current = await asyncio.to_thread(state.store.home_of, chat_id)
    html = await asyncio.to_thread(conversation.start, state.assistant, current)
    offer = None if current else await asyncio.to_thread(home.menu, state.assistant, None)
    await send(update, html, home_keyboard(offer.offered) if offer and len(offer.offered) > 1 else None)


async def help_(update: Update, context: BotContext) -> None:
    await send(update, conversation.help_(admin=context.state.is_admin(update.effective_user.id)))


async def plans(update: Update, context: BotContext) -> None:
    await send(update, conversation.plans(context.state.assistant))


async def unit(update: Update, context: BotContext) -> None:
    state, name = context.state, command_argument(update.message)
    plans = await asyncio.to_thread(home_plans, state, update.effective_chat.id)
    await send(update, await asyncio.to_thread(conversation.unit, state.assistant, name, plans))


async def question(update: Update, context: BotContext) -> None:
    """Any text in a private chat; a mention of the bot or a reply to it in a group."""
    await _answer(update, context, without_mention(update.message, context.bot.username))


async def hoi(update: Update, context: BotContext) -> None:
    text = command_argument(update.message)
    if not text:
        await send(update, replies.HOI_USAGE)
        return
    await _answer(update, context, text)


async def _answer(update: Update, context: BotContext, text: str) -> None:
    """The question answered in the chat's conversation: a follow-up of its last question
    when it is one, for its commune when it names no place."""
    state, chat_id = context.state, update.effective_chat.id
    await quietly(update.effective_chat.send_action(ChatAction.TYPING), "sendChatAction")
    answer = await asyncio.to_thread(_converse, state, chat_id, text)
    await _reply(update, context, answer)


def _converse(state: BotState, chat_id: int, text: str) -> Answer:
    """Blocking: the chat's commune and last turn read, the question answered, the turn kept."""
    return dialogue.converse(state.assistant, state.store, chat_id, text, home_plans(state, chat_id))


async def _reply(update: Update, context: BotContext, answer: Answer) -> None:
    """The answer; one that states several plans' facts and does not fit on one screen
    asks which commune instead, with a button per plan."""
    key = context.state.answers.put(answer, update.effective_chat.id)
    if replies.too_long_to_list(answer):
        await send(update, replies.WHICH_PLACE, plan_keyboard(key, choices(context.state, answer)))
        return
    offered = choices(context.state, answer)
    await send(update, replies.answer_html(answer), answer_keyboard(key, answer, offered=offered))


async def unknown_command(update: Update, context: BotContext) -> None:
    await send(update, replies.UNKNOWN_COMMAND)


async def _cached_answer(update: Update, context: BotContext):
    """The answer a button belongs to, or None (the user is told it is stale)."""
    query = update.callback_query
    answer = context.state.answers.get(query.data.partition(":")[2], update.effective_chat.id)
    if answer is None:
        await quietly(query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
    else:
        await quietly(query.answer(), "answerCallbackQuery")
    return answer


async def pick_plan(update: Update, context: BotContext) -> None:
    """A press on one of the plans an ambiguous place offered: the question, for that plan."""
    query, state = update.callback_query, context.state
    _, index, key = query.data.split(":", 2)
    asked = state.answers.get(key, update.effective_chat.id)
    offered = choices(state, asked) if asked else ()
    if not index.isdigit() or int(index) >= len(offered):
        await quietly(query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
        return
    await quietly(query.answer(), "answerCallbackQuery")
    plan, chat_id = offered[int(index)].id, update.effective_chat.id
    exchange = await asyncio.to_thread(dialogue.ask_chosen, state.assistant, asked.question, (plan,))
    if exchange.turn is not None:
        await asyncio.to_thread(state.store.remember, chat_id, exchange.turn)
    await _reply(update, context, exchange.answer)


async def show_more(update: Update, context: BotContext) -> None:
    """➕ under an answer across communes: its next page."""
    _, at, key = update.callback_query.data.split(":", 2)
    start, answer = int(at), context.state.answers.get(key, update.effective_chat.id)
    if answer is None or not answer.across or start >= len(answer.facts):
        await quietly(update.callback_query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
        return
    await quietly(update.callback_query.answer(), "answerCallbackQuery")
    await send(update, replies.more_across_html(answer, start), next_page_keyboard(key, answer, start))


async def show_sources(update: Update, context: BotContext) -> None:
    if answer := await _cached_answer(update, context):
        await send(update, replies.sources_html(answer))


async def show_alternatives(update: Update, context: BotContext) -> None:
    if answer := await _cached_answer(update, context):
        await send(update, replies.alternatives_html(answer))


async def vote(update: Update, context: BotContext) -> None:
    """👍 or 👎 under an answer; a 👎 opens the reasons to choose from under it."""
    query = update.callback_query
    action, _, key = query.data.partition(":")
    answer = context.state.answers.get(key, update.effective_chat.id)
    if answer is None:
        await quietly(query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
        return
    value = 1 if action == "up" else -1
    stored = await _record(update, context, key, answer, value)
    await quietly(query.answer(replies.THANKS[value]), "answerCallbackQuery")
    keyboard = answer_keyboard(key, answer, value, stored.reason, choices(context.state, answer))
    await quietly(query.edit_message_reply_markup(keyboard), "editMessageReplyMarkup")


async def reason(update: Update, context: BotContext) -> None:
    """A press on one of a 👎's reasons: a 👎 with that reason (whoever voted before)."""
    query = update.callback_query
    _, code, key = query.data.split(":", 2)
    answer = context.state.answers.get(key, update.effective_chat.id)
    if answer is None or code not in replies.REASON_BUTTONS:
        await quietly(query.answer(replies.STALE, show_alert=True), "answerCallbackQuery")
        return
    await _record(update, context, key, answer, -1, code)
    await quietly(query.answer(replies.reason_thanks(code)), "answerCallbackQuery")
    keyboard = answer_keyboard(key, answer, -1, code, choices(context.state, answer))
    await quietly(query.edit_message_reply_markup(keyboard), "editMessageReplyMarkup")


async def _record(
    update: Update, context: BotContext, key: str, answer: Answer, value: int, why: str = ""
) -> Feedback:
    """Store the vote with what an export needs (intent, plan files); the row as stored.
    Off the event loop: a locked store must not hold other chats up."""
    state = context.state
    files = {p.id: p.file for p in state.assistant.index.catalog}
    fb = Feedback(
        key,
        update.effective_user.id,
        update.effective_chat.id,
        value,
        answer.question,
        answer_markdown(answer),
        time.time(),
        reason=why,
        intent=answer.intent,
        docs=answer_docs(answer, files),
    )
    return await asyncio.to_thread(state.store.add_feedback, fb)


async def deadlines(update: Update, context: BotContext) -> None:
    state, arg, chat_id = context.state, command_argument(update.message), update.effective_chat.id
    unit_name = await asyncio.to_thread(state.store.unit_of, chat_id)
    plans = await asyncio.to_thread(home_plans, state, chat_id)
    await send(
        update,
        await asyncio.to_thread(
            conversation.deadlines, state.assistant, state.today(), arg, unit_name, plans
        ),
    )


async def reminders(update: Update, context: BotContext) -> None:
    """/nhacviec on [đơn vị] | off"""
    switch, _, unit_name = command_argument(update.message).partition(" ")
    chat_id, switch, unit_name = update.effective_chat.id, switch.lower(), unit_name.strip() or None
    if switch in {"on", "bat", "bật"} and unit_name and (problem := due.unit_too_long(unit_name)):
        await send(update, problem)
    elif switch in {"on", "bat", "bật"}:
        await digest.subscribe(context.application, chat_id, unit_name)
        await send(update, due.subscribed_html(unit_name))
    elif switch in {"off", "tat", "tắt"}:
        await send(update, due.unsubscribed_html(await digest.unsubscribe(context.application, chat_id)))
    else:
        await send(update, due.NHACVIEC_USAGE)


async def calendar(update: Update, context: BotContext) -> None:
    state, chat_id = context.state, update.effective_chat.id
    unit_name = command_argument(update.message) or await asyncio.to_thread(state.store.unit_of, chat_id)
    plans = await asyncio.to_thread(home_plans, state, chat_id)
    ics = await asyncio.to_thread(
        conversation.calendar_file, state.assistant, state.today(), unit_name, plans
    )
    await with_retry(
        lambda: update.effective_chat.send_document(ics.data, filename=ics.name, caption=ics.caption),
        "sendDocument",
    )


async def overview(update: Update, context: BotContext) -> None:
    """/tonghop [tỉnh/thành phố hoặc huyện] [năm]: the summary, then the .xlsx of the communes."""
    state, chat, arg = context.state, update.effective_chat, command_argument(update.message)
    reply = await asyncio.to_thread(overview_reply, state.assistant, state.today(), arg)
    await send(update, reply.html)
    if reply.data:
        await with_retry(
            lambda: chat.send_document(reply.data, filename=reply.name, caption=reply.caption), "sendDocument"
        )


async def on_error(update: object, context: BotContext) -> None:
    """The one global error handler: log first, then tell the user briefly."""
    log.error("error while handling an update: %s", update, exc_info=context.error)
    if isinstance(update, Update) and update.callback_query:  # unless answered already: no spinner
        await quietly(update.callback_query.answer(replies.ERROR, show_alert=True), "answerCallbackQuery")
    if isinstance(update, Update) and update.effective_chat and addressed(update):
        await quietly(update.effective_chat.send_message(replies.ERROR), "error message")
    elif isinstance(update, Update) and update.inline_query:
        await answer_inline(update.inline_query, [], cache_time=0)
