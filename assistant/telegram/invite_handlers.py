"""Admin handlers that let chats in from Telegram: /moi (a one-time invite, or a chat
admitted by its id), /thuhoi (an admission revoked, an invite cancelled), /danhsach (who
may use the bot and how). In the admin's private chat only; the environment's allowlist
and admins are the settings', not changed from here."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatType

from assistant.telegram import digest, invites
from assistant.telegram import invite_replies as texts
from assistant.telegram.admin_replies import ADMIN_ONLY
from assistant.telegram.send import command_argument, send
from assistant.telegram.state import BotContext


async def invite_command(update: Update, context: BotContext) -> None:
    """/moi: a one-time invite as a deep link; /moi <chat id>: that chat admitted now."""
    state, arg = context.state, command_argument(update.message)
    if await _refused(update, context, restricted=True):
        return
    if not arg:
        invite = invites.new_invite(update.effective_user.id, state.clock())
        await asyncio.to_thread(state.store.add_invite, invite)
        private, group = invites.links(context.bot.username, invite.code)
        await send(update, texts.invite_html(private, group, invite, state.settings.timezone))
    elif (chat_id := _chat_id(arg)) is None:
        await send(update, texts.not_an_id_html(arg))
    elif configured := texts.configured_html(chat_id, state.access):
        await send(update, configured)
    else:
        await asyncio.to_thread(state.store.admit, chat_id, update.effective_user.id, "", state.clock())
        await send(update, texts.admitted_html(chat_id))


async def revoke_command(update: Update, context: BotContext) -> None:
    """/thuhoi <chat id>: the chat refused from now on (and its reminders off);
    /thuhoi <code>: an invite not used yet cancelled."""
    state, arg = context.state, command_argument(update.message)
    if await _refused(update, context, restricted=True):
        return
    if not arg:
        await send(update, texts.THUHOI_USAGE)
    elif (chat_id := _chat_id(arg)) is None:
        cancelled = await asyncio.to_thread(state.store.cancel_invite, arg, state.clock())
        await send(update, texts.cancelled_html(arg, cancelled))
    elif configured := texts.configured_html(chat_id, state.access):
        await send(update, configured)
    else:
        revoked = await asyncio.to_thread(state.store.revoke, chat_id)
        if revoked:
            await digest.unsubscribe(context.application, chat_id)
        await send(update, texts.revoked_html(chat_id, revoked))


async def list_command(update: Update, context: BotContext) -> None:
    """/danhsach: the allowlist, the admins, the chats let in from Telegram, open invites."""
    state = context.state
    if await _refused(update, context, restricted=False):
        return
    admitted = await asyncio.to_thread(state.store.admitted)
    open_invites = await asyncio.to_thread(state.store.open_invites, state.clock())
    await send(update, texts.list_html(state.access, admitted, open_invites, state.settings.timezone))


async def _refused(update: Update, context: BotContext, restricted: bool) -> bool:
    """Refuse (and say why) a non-admin, a group, and, when `restricted` (the command
    changes who is let in), a bot open to everyone."""
    state = context.state
    if not state.is_admin(update.effective_user.id):
        problem = ADMIN_ONLY
    elif update.effective_chat.type != ChatType.PRIVATE:
        problem = texts.PRIVATE_ONLY
    elif restricted and not state.access.allowed:
        problem = texts.OPEN_TO_ALL
    else:
        return False
    await send(update, problem)
    return True


def _chat_id(arg: str) -> int | None:
    """A Telegram chat id (a group's is negative), or None for anything else."""
    try:
        return int(arg)
    except ValueError:
        return None
