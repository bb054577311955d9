"""The morning digest: one JobQueue job per subscribed chat, at 07:30 Asia/Ho_Chi_Minh."""

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


def job_name(chat_id: int) -> str:
    return f"digest:{chat_id}"


def schedule(app: Application, chat_id: int, unit: str | None) -> None:
    """(Re)schedule the chat's daily digest."""
    for job in app.job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()
    tz = ZoneInfo(app.bot_data.settings.timezone)
    app.job_queue.run_daily(
        digest_job, time(*DIGEST_TIME, tzinfo=tz), name=job_name(chat_id), chat_id=chat_id, data=unit
    )


def schedule_all(app: Application) -> int:
    """Schedule every stored subscription (at start-up); returns how many."""
    subs = app.bot_data.store.subscriptions()
    for chat_id, unit in subs:
        schedule(app, chat_id, unit)
    return len(subs)


async def subscribe(app: Application, chat_id: int, unit: str | None) -> None:
    """Store the subscription (off the event loop: a busy store holds up no other chat),
    then schedule its digest."""
    await asyncio.to_thread(app.bot_data.store.subscribe, chat_id, unit)
    schedule(app, chat_id, unit)


async def unsubscribe(app: Application, chat_id: int) -> bool:
    for job in app.job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()
    return await asyncio.to_thread(app.bot_data.store.unsubscribe, chat_id)


async def digest_job(context: BotContext) -> None:
    job = context.job
    await send_digest(context.bot, context.state, job.chat_id, job.data, context.state.today())


async def send_digest(bot, state: BotState, chat_id: int, unit: str | None, today: date) -> bool:
    """Send the chat its digest for `today`; nothing on a day with nothing due. True if sent."""
    if not await admits(state.access, state.store, chat_id, None):
        log.info("digest for chat %s skipped: no longer allowed", chat_id)
        return False
    plans = await asyncio.to_thread(home_plans, state, chat_id)  # the chat's commune's, if chosen
    html = await asyncio.to_thread(conversation.digest, state.assistant, today, unit, plans)
    if html is None:
        return False
    for part in split_html(html):
        await with_retry(partial(bot.send_message, chat_id, part, parse_mode=ParseMode.HTML), "digest")
    return True
