"""Durable updates: every update is recorded in the store before Telegram is told it
arrived, answered by one worker, and marked done when its reply has been sent; a restart
answers what was left, never twice. Three hooks into python-telegram-bot, wired by
`app.build_application`:

- `RecordingQueue`, the application's update queue. The poller puts each fetched update
  in it before the next getUpdates confirms the offset, the webhook before it answers
  200; `put` records the update first and drops one recorded already (a redelivery).
- `AnsweringProcessor`, the update processor: a chat's messages one after another (on
  this worker, and after any earlier one another worker holds), each claimed in the store
  so that one worker answers it, marked done when its handlers have returned.
- `AnsweringRequest`, the bot's HTTP requests: the first call that shows the user
  something marks the update `sending`. A worker stopped from then on may have answered
  it, so a restart leaves it alone (at most one answer, whatever is killed when).

The store is reached through `journal.Journal`: when it fails, the bot goes on answering
without the record, as it does without its other bookkeeping."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor
from telegram.request import HTTPXRequest

from assistant.telegram.journal import ORDER_POLL, ORDER_WAIT, Journal, ordered_chat
from assistant.telegram.store.updates import DONE, SENDING

log = logging.getLogger(__name__)

CONCURRENT = 256  # updates answered at once (what concurrent_updates(True) allows)
# Bot API methods that show the user something (sendChatAction's "typing…" does not count)
SHOWING = ("send", "edit", "answer", "copy", "forward", "delete", "pin", "unpin", "stop")


def shows_user(url: str) -> bool:
    method = url.rsplit("/", 1)[-1].lower()
    return method.startswith(SHOWING) and method != "sendchataction"


class RecordingQueue(asyncio.Queue):
    """The update queue the poller and the webhook fill: an update is recorded before it
    is queued (so before Telegram is told it arrived); a redelivered one is dropped."""

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and not await self.journal.record(item):
            log.info("update %d was received before: not answered again", item.update_id)
            return
        await super().put(item)

    async def replay(self, update: Update) -> None:
        """Queue an update recorded earlier (at a restart), without recording it again."""
        await super().put(update)


@dataclass
class Answering:
    """The update the current task answers (`ANSWERING`), and whether a reply has left."""

    update_id: int
    journal: Journal
    sending: bool = False


ANSWERING: ContextVar[Answering | None] = ContextVar("answering", default=None)


class AnsweringProcessor(BaseUpdateProcessor):
    """Many updates at once, but a chat's messages one after another; each update claimed
    before it is answered and marked done after."""

    def __init__(self, journal: Journal, max_concurrent_updates: int = CONCURRENT):
        super().__init__(max_concurrent_updates)
        self.journal = journal
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}  # a lock and how many hold or wait

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update):
            await coroutine
            return
        chat = ordered_chat(update)
        deadline = time.monotonic() + ORDER_WAIT
        while True:
            async with self._turn(chat):  # taken before any await: the queue's order is kept
                if chat is None or await self.journal.wait_turn(chat, update.update_id, deadline):
                    await self._answer(update, coroutine)
                    return
            await asyncio.sleep(ORDER_POLL)  # the chat's earlier message, queued here, goes first

    async def _answer(self, update: Update, coroutine: Awaitable[Any]) -> None:
        """Claim the update, answer it, mark it done (or let it go: another worker has it)."""
        if not await self.journal.claim(update.update_id):
            coroutine.close()
            log.info("update %d is answered by another worker", update.update_id)
            self.journal.metrics.taken_elsewhere.inc()
            return
        token = ANSWERING.set(Answering(update.update_id, self.journal))
        metrics = self.journal.metrics
        try:
            with metrics.in_progress.track_inprogress(), metrics.seconds.time():
                await coroutine
        finally:
            ANSWERING.reset(token)
        await self.journal.mark(update.update_id, DONE)
        metrics.answered.inc()

    @asynccontextmanager
    async def _turn(self, chat: int | None) -> AsyncIterator[None]:
        if chat is None:
            yield
            return
        lock, users = self._chats.get(chat, (asyncio.Lock(), 0))
        self._chats[chat] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chats[chat]
            if users == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, users - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class AnsweringRequest(HTTPXRequest):
    """The bot's requests; the first that shows the user something while an update is
    answered marks that update `sending`, before the request leaves."""

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        answering = ANSWERING.get()
        if answering is not None and not answering.sending and shows_user(url):
            answering.sending = True
            await answering.journal.mark(answering.update_id, SENDING)
        return await super().do_request(url, method, *args, **kwargs)


async def replay(app: Application, journal: Journal, max_age: float) -> int:
    """At start, before the first new update: queue the updates left unanswered (at most
    `max_age` seconds old), log those dropped; returns how many were queued."""
    found = await journal.recover(max_age)
    if found is None:
        return 0
    if found.abandoned:
        log.warning(
            "%d updates left unanswered are older than %.0f s, not answered: %s",
            len(found.abandoned),
            max_age,
            found.abandoned,
        )
    if found.unsure:
        log.warning(
            "%d updates were being answered when the bot stopped, not answered again: %s",
            len(found.unsure),
            found.unsure,
        )
    for outcome, updates in (
        ("replayed", found.replay),
        ("abandoned", found.abandoned),
        ("unsure", found.unsure),
    ):
        journal.metrics.replayed.labels(outcome).inc(len(updates))
    await _requeue(app, found.replay)
    if found.replay:
        log.info("answering %d updates received before the restart", len(found.replay))
    return len(found.replay)


async def sweep(app: Application, journal: Journal, max_age: float) -> int:
    """Queue the updates another worker left (it stopped and did not come back); returns
    how many. Whoever claims one first answers it."""
    orphans = await journal.orphans(max_age)
    await _requeue(app, orphans)
    if orphans:
        log.warning("answering %d updates another worker left unanswered", len(orphans))
        journal.metrics.replayed.labels("taken_over").inc(len(orphans))
    return len(orphans)


async def _requeue(app: Application, rows: list[tuple[int, str]]) -> None:
    for _, payload in rows:
        await app.update_queue.replay(Update.de_json(json.loads(payload), app.bot))
