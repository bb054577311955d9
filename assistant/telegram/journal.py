"""The store's record of updates as the bot's event loop reaches it (`Journal`), and which
updates wait their turn in their chat (`ordered_chat`). Used by `durable`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram import Update

from assistant.telegram.metrics import Metrics
from assistant.telegram.pending import Once
from assistant.telegram.store import Store
from assistant.telegram.store.updates import DONE, Recovery

log = logging.getLogger(__name__)

RECEIVED_KEPT = 10_000  # update ids remembered per process against redeliveries
T = TypeVar("T")

STALE_AFTER = 300.0  # seconds: a claim this old, nothing sent, is a dead worker's (the default)
ORDER_WINDOW = 60.0  # seconds: a chat's earlier message received longer ago is not waited for
ORDER_WAIT = 30.0  # seconds a message waits at most for the chat's earlier one on another worker
ORDER_POLL = 0.1
# shares of stale_after: how long a recorded update may wait for its worker before others
# take it (120 s of 300), and how often each worker looks for such updates (60 s)
ORPHAN_GRACE, SWEEP_SHARE = 0.4, 0.2


def ordered_chat(update: Update) -> int | None:
    """The chat whose messages this update must wait its turn in: a new message that is
    not a file (questions and commands); None for the rest (buttons, inline queries,
    edits, and files, whose update may run for minutes), answered as they come."""
    message = update.message
    if message is None or message.document is not None:
        return None
    return message.chat_id


class Journal:
    """The store's update record as the event loop uses it: each call on a small thread
    pool of its own (never behind the answers' computations); a call that fails is logged
    and its `default` returned (the update is answered without it)."""

    def __init__(
        self, store: Store, worker: str, metrics: Metrics | None = None, *, stale_after: float = STALE_AFTER
    ):
        if not worker:
            raise ValueError("worker must name this worker, got an empty name")
        if not stale_after > 0:
            raise ValueError(f"stale_after must be a positive number of seconds, got {stale_after!r}")
        self.store, self.worker, self.stale_after = store, worker, stale_after
        self.metrics = metrics or Metrics(worker)
        self._recorded: set[int] = set()  # updates in this worker's hands that have a row
        # updates this process received: a redelivery is dropped even when the store failed
        # to record the first delivery (getUpdates retried after a timeout)
        self._received = Once(RECEIVED_KEPT)
        self._threads = ThreadPoolExecutor(2, thread_name_prefix="journal")

    @property
    def sweep_every(self) -> float:
        """Seconds between two looks for the updates other workers left."""
        return self.stale_after * SWEEP_SHARE

    async def _call(self, what: str, default: T, call: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.get_running_loop().run_in_executor(self._threads, call, *args)
        except Exception as exc:  # any failure of the store: carry on without it
            log.warning("the bot's store could not %s, carrying on without: %s", what, exc)
            return default

    async def record(self, update: Update) -> bool:
        """Record a new update; False for one recorded before (not to be answered again)."""
        if not self._received.first(update.update_id):
            self.metrics.received.labels("redelivered").inc()
            return False
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
        won = await self._call(
            "claim an update", True, self.store.claim_update, update_id, self.worker, self.stale_after
        )
        if not won:
            self._recorded.discard(update_id)  # in another worker's hands
        return won

    async def mark(self, update_id: int, state: str) -> None:
        if update_id in self._recorded:
            await self._call(f"mark an update {state}", None, self.store.mark_update, update_id, state)
        if state == DONE:
            self._recorded.discard(update_id)

    async def wait_turn(self, chat_id: int, update_id: int, deadline: float) -> bool:
        """Wait, until `deadline` (time.monotonic()), while the chat's earlier messages are
        answered elsewhere; True when it is this one's turn (or the wait ran out). False at
        once when one of them is in this worker's own hands: it waits behind this one for the
        chat (taken over, replayed, or delivered late), so this one must let it go first."""
        if update_id not in self._recorded:
            return True
        while time.monotonic() < deadline:
            earlier = await self._call(
                "order a chat's messages", [], self.store.earlier_unfinished, chat_id, update_id, ORDER_WINDOW
            )
            if not earlier:
                return True
            if self._recorded.intersection(earlier):
                return False
            await asyncio.sleep(ORDER_POLL)
        return True

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

    async def orphans(self, max_age: float) -> list[tuple[int, str]]:
        """The updates other workers left (died holding them), not in this worker's hands."""
        found = await self._call(
            "find the updates other workers left",
            [],
            self.store.orphaned_updates,
            self.worker,
            max_age,
            self.stale_after,
            self.stale_after * ORPHAN_GRACE,
        )
        found = [(update_id, payload) for update_id, payload in found if update_id not in self._recorded]
        self._recorded.update(update_id for update_id, _ in found)
        return found

    async def prune(self) -> None:
        await self._call("prune the updates answered", 0, self.store.prune_updates)

    def close(self) -> None:
        self._threads.shutdown(wait=True)
