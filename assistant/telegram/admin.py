"""Admin handlers: plan files in, /xoakehoach, and their confirm buttons.

A core update runs off the event loop, one at a time (`BotState.updating`), so other chats
keep being answered, from the old index, meanwhile; when it succeeds the assistant is
reloaded (off the loop too) and swapped in, and later questions use the new index."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from telegram import CallbackQuery, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from assistant.index.update import UpdateResult, add_plan, remove_plan
from assistant.serve.assistant import Assistant
from assistant.telegram import admin_replies as texts
from assistant.telegram.pending import PendingUpload
from assistant.telegram.send import command_argument, quietly, send
from assistant.telegram.state import BotContext, BotState


async def document(update: Update, context: BotContext) -> None:
    """A file in a private chat, or in a group with the bot mentioned in the caption."""
    state, message = context.state, update.effective_message
    if not state.is_admin(update.effective_user.id):
        if message.media_group_id is None or state.refused_albums.first(message.media_group_id):
            await send(update, texts.FILES_ADMIN_ONLY)
        return
    name = texts.file_name(message.document.file_name)
    if problem := texts.upload_problem(name, message.document.file_size, state.settings.max_file_bytes):
        await send(update, problem)
        return
    await send(update, texts.reading_html(name, waiting=state.updating.locked()))
    if path := await _download(update, context, name):
        await _add(update, context, path, replace=False)


async def remove_command(update: Update, context: BotContext) -> None:
    """/xoakehoach [plan]: one match -> confirm; several, none or no argument -> pick from a list."""
    state = context.state
    if not state.is_admin(update.effective_user.id):
        await send(update, texts.ADMIN_ONLY)
        return
    arg, library = command_argument(update.message), state.assistant.library
    found = [texts.removal(r) for r in library.find(arg)] if arg else []
    if len(found) == 1:
        key = state.removals.put(found[0], update.effective_chat.id)
        await send(
            update, texts.confirm_removal_html(found[0]), texts.confirm_keyboard("del", key, texts.DELETE)
        )
        return
    chat_id, plans = update.effective_chat.id, found or map(texts.removal, library.plans)
    items = [(state.removals.put(item, chat_id), item) for item in plans]
    await send(update, texts.removal_list_html(arg, bool(found), len(items)), texts.removal_keyboard(items))


async def pick_removal(update: Update, context: BotContext) -> None:
    """A plan chosen from the /xoakehoach list: ask to confirm."""
    key = update.callback_query.data.split(":")[2]
    item = await _take(update, context, context.state.removals.get, key)
    if item is not None:
        await send(update, texts.confirm_removal_html(item), texts.confirm_keyboard("del", key, texts.DELETE))


async def confirm_removal(update: Update, context: BotContext) -> None:
    _, action, key = update.callback_query.data.split(":")
    item = await _take(update, context, context.state.removals.pop, key)
    if item is None:
        return
    if action == "no":
        await send(update, texts.removal_cancelled_html(item))
        return
    await quietly(update.effective_chat.send_action(ChatAction.TYPING), "sendChatAction")
    result = await _update(context.state, remove_plan, item.key)
    await send(update, texts.result_html(result, item.label))


async def confirm_upload(update: Update, context: BotContext) -> None:
    _, action, key = update.callback_query.data.split(":")
    upload = await _take(update, context, context.state.uploads.pop, key)
    if upload is None:
        return
    if action == "no":
        upload.discard()
        await send(update, texts.upload_cancelled_html(upload.name))
        return
    await send(update, texts.reading_html(upload.name, waiting=context.state.updating.locked()))
    await _add(update, context, upload.path, replace=True)


# ------------------------------------------------------------------ helpers


async def _download(update: Update, context: BotContext, name: str) -> Path | None:
    """The sent file, saved under its own name in a new temporary folder; None (and the
    admin told why) when Telegram does not hand it over."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-upload-"))
    try:
        file = await context.bot.get_file(update.effective_message.document.file_id)
        return await file.download_to_drive(folder / name)
    except TelegramError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        await send(update, texts.download_failed_html(name, exc.message))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return None


async def _add(update: Update, context: BotContext, path: Path, replace: bool) -> None:
    """Add the downloaded plan; when one of the same place and period exists, keep the file
    and ask whether to replace it. The temporary folder goes in every other case."""
    upload = PendingUpload(path)
    try:
        result = await _update(context.state, add_plan, path, replace)
    except BaseException:
        upload.discard()
        raise
    if result.status == "exists":
        key = context.state.uploads.put(upload, update.effective_chat.id)
        await send(update, texts.exists_html(result), texts.confirm_keyboard("add", key, texts.REPLACE))
        return
    upload.discard()
    await send(update, texts.result_html(result, path.name))


async def _update(state: BotState, change: Callable[..., UpdateResult], *args) -> UpdateResult:
    """One core update off the event loop; on success, the reloaded assistant swapped in."""
    async with state.updating:
        result = await asyncio.to_thread(change, state.settings, *args)
        if result.ok:
            state.assistant = await asyncio.to_thread(Assistant.load, state.settings)
    return result


async def _take(update: Update, context: BotContext, lookup: Callable[[str, int], object], key: str):
    """The pending action behind a pressed button, if the presser is an admin and it is
    still there for this chat; the button is answered either way, and taken off the
    message when used."""
    query: CallbackQuery = update.callback_query
    if not context.state.is_admin(update.effective_user.id):
        await quietly(query.answer(texts.ADMIN_ONLY, show_alert=True), "answerCallbackQuery")
        return None
    item = lookup(key, update.effective_chat.id)
    if item is None:
        await quietly(query.answer(texts.STALE_ACTION, show_alert=True), "answerCallbackQuery")
        return None
    await quietly(query.answer(), "answerCallbackQuery")
    await quietly(query.edit_message_reply_markup(None), "editMessageReplyMarkup")
    return item
