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

When the store fails, the bot goes on answering without the record (`Journal`), as it
does without its other bookkeeping."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor
from telegram.request import HTTPXRequest

from assistant.telegram.metrics import Metrics
from assistant.telegram.store import Store
from assistant.telegram.store.updates import DONE, SENDING, Recovery

log = logging.getLogger(__name__)
T = TypeVar("T")

STALE_AFTER = 300.0  # seconds: a claim older than this, nothing sent, is a dead worker's
ORDER_WINDOW = 60.0  # seconds: a chat's earlier message received longer ago is not waited for
ORDER_WAIT = 30.0  # seconds a message waits at most for the chat's earlier one on another worker
ORDER_POLL = 0.1
CONCURRENT = 256  # updates answered at once (what concurrent_updates(True) allows)
# Bot API methods that show the user something (sendChatAction's "typing…" does not count)
SHOWING = ("send", "edit", "answer", "copy", "forward", "delete", "pin", "unpin", "stop")


def ordered_chat(update: Update) -> int | None:
    """The chat whose messages this update must wait its turn in: a new message that is
    not a file (questions and commands); None for the rest (buttons, inline queries,
    edits, and files, whose update may run for minutes), answered as they come."""
    message = update.message
    if message is None or message.document is not None:
        return None
    return message.chat_id


def shows_user(url: str) -> bool:
    method = url.rsplit("/", 1)[-1].lower()
    return method.startswith(SHOWING) and method != "sendchataction"


class Journal:
    """The store's update record as the event loop uses it: each call on a small thread
    pool of its own (never behind the answers' computations); a call that fails is logged
    and its `default` returned (the update is answered without it)."""

    def __init__(
        self, store: Store, worker: str, metrics: Metrics | None = None, *, stale_after: float = STALE_AFTER
    ):
        if not worker:
            raise ValueError("worker must name this worker, got an empty name")
        self.store, self.worker, self.stale_after = store, worker, stale_after
        self.metrics = metrics or Metrics(worker)
        self._recorded: set[int] = set()  # updates in this worker's hands that have a row
        self._threads = ThreadPoolExecutor(2, thread_name_prefix="journal")

    async def _call(self, what: str, default: T, call: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._threads, call, *args)
        except Exception as exc:  # any failure of the store: carry on without it
            log.warning("the bot's store could not %s, carrying on without: %s", what, exc)
            return default

    async def record(self, update: Update) -> bool:
        """Record a new update; False for one recorded before (not to be answered again)."""
        row = (update.update_id, ordered_chat(update), update.to_json())
        fresh = await self._call("record an update", None, self.store.record_update, *row)
        if fresh:
            self._recorded.add(update.update_id)
        outcome = {True: "new", False: "redelivered", None: "unrecorded"}[fresh]
        self.metrics.received.labels(outcome).inc()
        return fresh is not False

    async def claim(self, update_id: int) -> bool:
        """Take the update to answer; False when another worker has it (or had it). An
        update that was never recorded (the store was failing) is answered."""
        if update_id not in self._recorded:
            return True
        return await self._call(
            "claim an update", True, self.store.claim_update, update_id, self.worker, self.stale_after
        )

    async def mark(self, update_id: int, state: str) -> None:
        if update_id in self._recorded:
            await self._call(f"mark an update {state}", None, self.store.mark_update, update_id, state)
        if state == DONE:
            self._recorded.discard(update_id)

    async def wait_turn(self, chat_id: int, update_id: int) -> None:
        """Wait (at most ORDER_WAIT s) until the chat's earlier messages are answered."""
        if update_id not in self._recorded:
            return
        deadline = time.monotonic() + ORDER_WAIT
        while time.monotonic() < deadline and await self._call(
            "order a chat's messages", False, self.store.earlier_unfinished, chat_id, update_id, ORDER_WINDOW
        ):
            await asyncio.sleep(ORDER_POLL)

    async def recover(self, max_age: float) -> Recovery | None:
        """What this worker (or a dead one) left unanswered; older finished rows pruned."""
        found = await self._call(
            "find the updates left unanswered",
            None,
            self.store.recover_updates,
            self.worker,
            max_age,
            self.stale_after,
        )
        if found is not None:
            self._recorded.update(update_id for update_id, _ in found.replay)
        await self.prune()
        return found

    async def prune(self) -> None:
        await self._call("prune the updates answered", 0, self.store.prune_updates)

    def close(self) -> None:
        self._threads.shutdown(wait=True)


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
        async with self._turn(chat):  # taken before any await: the queue's order is kept
            if chat is not None:
                await self.journal.wait_turn(chat, update.update_id)
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
    for _, payload in found.replay:
        await app.update_queue.replay(Update.de_json(json.loads(payload), app.bot))
    if found.replay:
        log.info("answering %d updates received before the restart", len(found.replay))
    return len(found.replay)
