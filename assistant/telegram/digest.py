"""The morning digest: one JobQueue job at 07:30 Asia/Ho_Chi_Minh sends each subscribed
chat its deadlines; a chat's digest for a day is claimed in the store first, so with
several workers (or a restart at 07:30) it goes out once."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, time
from functools import partial
from zoneinfo import ZoneInfo

from telegram.constants import ParseMode
from telegram.ext import Application

from assistant.telegram import conversation
from assistant.telegram.access import admits
from assistant.telegram.home_handlers import home_plans
from assistant.telegram.html import split_html
from assistant.telegram.send import with_retry
from assistant.telegram.state import BotContext, BotState

log = logging.getLogger(__name__)

DIGEST_TIME = (7, 30)
JOB_NAME = "digests"


def job_name(chat_id: int) -> str:
    """A chat's digest as a daily job: claimed once a day in the store, by one worker."""
    return f"digest:{chat_id}"


def schedule_daily(app: Application) -> int:
    """The one daily job that sends every subscribed chat its digest; returns how many
    chats are subscribed now (the job reads them from the store each morning, so a chat
    subscribed through any worker is served by whichever runs it first)."""
    tz = ZoneInfo(app.bot_data.settings.timezone)
    app.job_queue.run_daily(digest_job, time(*DIGEST_TIME, tzinfo=tz), name=JOB_NAME)
    return len(app.bot_data.store.subscriptions())


async def subscribe(app: Application, chat_id: int, unit: str | None) -> None:
    """Store the subscription, off the event loop (a busy store holds up no other chat);
    the daily digest job reads the subscriptions from the store."""
    await asyncio.to_thread(app.bot_data.store.subscribe, chat_id, unit)


async def unsubscribe(app: Application, chat_id: int) -> bool:
    return await asyncio.to_thread(app.bot_data.store.unsubscribe, chat_id)


async def digest_job(context: BotContext) -> None:
    """Every subscribed chat's digest for today, each sent by the worker that claims it."""
    state, today = context.state, context.state.today()
    for chat_id, unit in await asyncio.to_thread(state.store.subscriptions):
        try:
            await send_digest(context.bot, state, chat_id, unit, today)
        except Exception:  # one chat's failure does not hold the others' digests back
            log.exception("digest for chat %s failed", chat_id)


async def send_digest(bot, state: BotState, chat_id: int, unit: str | None, today: date) -> bool:
    """Send the chat its digest for `today`, unless it was sent already that day (by any
    worker); nothing on a day with nothing due. True if sent."""
    if not await admits(state.access, state.store, chat_id, None):
        log.info("digest for chat %s skipped: no longer allowed", chat_id)
        return False
    plans = await asyncio.to_thread(home_plans, state, chat_id)  # the chat's commune's, if chosen
    html = await asyncio.to_thread(conversation.digest, state.assistant, today, unit, plans)
    if html is None:
        return False
    claim = (job_name(chat_id), today.isoformat(), state.settings.worker_id)
    if not await asyncio.to_thread(state.store.claim_job, *claim):
        log.info("digest for chat %s on %s: sent already (by this or another worker)", chat_id, today)
        return False
    for part in split_html(html):
        await with_retry(partial(bot.send_message, chat_id, part, parse_mode=ParseMode.HTML), "digest")
    state.journal.metrics.digests.inc()
    return True
