"""The store's record of the updates Telegram sent and of the daily jobs run: what lets an
update survive a restart and be answered once, and a digest go out once, when one worker or
several share the store. Every claim is one conditional statement whose row count says who
won, so two workers never both answer an update or send a digest."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from assistant.telegram.store.schema import Db

# an update's states: recorded -> a worker answers it -> its first reply left -> answered;
# or too old to answer after a restart, or stopped while sending (never answered again)
NEW, CLAIMED, SENDING, DONE, ABANDONED, UNSURE = "new", "claimed", "sending", "done", "abandoned", "unsure"
FINISHED = (DONE, ABANDONED, UNSURE)
KEEP = 24 * 3600.0  # seconds a finished update is kept (a redelivery within it is recognised)
KEEP_JOBS = 7 * 24 * 3600.0
# taken by a worker (`worker`), or by one that has said nothing for `stale_after` seconds
_TAKEABLE = f"(state = '{NEW}' OR (state = '{CLAIMED}' AND (worker = ? OR changed < ?)))"


@dataclass(frozen=True)
class Recovery:
    """What a worker found at its start: the updates to answer now (id and JSON, oldest
    first), those too old to answer, those it may have answered already."""

    replay: list[tuple[int, str]]
    abandoned: list[int]
    unsure: list[int]


class UpdateLog:
    """The update and job operations of `SqlStore` (a mixin over its `_transaction`). Times
    are `time.time()` unless `now` is given (tests). Recording an update and looking for a
    chat's earlier one wait only briefly for a busy store (Telegram, or the chat, waits for
    them; the caller goes on without)."""

    _transaction: Callable[..., AbstractContextManager[Db]]

    def _run(self, sql: str, params: tuple, quick: bool = False) -> int:
        with self._transaction(quick=quick) as db:
            return db.execute(sql, params).rowcount

    def record_update(
        self, update_id: int, chat_id: int | None, payload: str, now: float | None = None
    ) -> bool:
        """Record an update as received; False when it already was (a redelivery)."""
        now = time.time() if now is None else now
        sql = (
            "INSERT INTO updates (update_id, chat_id, payload, state, received, changed) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING"
        )
        return self._run(sql, (update_id, chat_id, payload, NEW, now, now), quick=True) == 1

    def claim_update(self, update_id: int, worker: str, stale_after: float, now: float | None = None) -> bool:
        """Take the update for `worker` to answer: True for exactly one claimant, while it is
        new, or claimed by this worker's previous run, or by one silent for `stale_after` s."""
        now = time.time() if now is None else now
        sql = f"UPDATE updates SET state = ?, worker = ?, changed = ? WHERE update_id = ? AND {_TAKEABLE}"
        return self._run(sql, (CLAIMED, worker, now, update_id, worker, now - stale_after)) == 1

    def mark_update(self, update_id: int, state: str, now: float | None = None) -> None:
        """The update's first reply is leaving (SENDING), or it has been answered (DONE)."""
        if state not in (SENDING, DONE):
            raise ValueError(f"an update is marked {SENDING!r} or {DONE!r}, not {state!r}")
        now = time.time() if now is None else now
        self._run("UPDATE updates SET state = ?, changed = ? WHERE update_id = ?", (state, now, update_id))

    def earlier_unfinished(
        self, chat_id: int, update_id: int, window: float, now: float | None = None
    ) -> list[int]:
        """The chat's messages received before this one, within the last `window` seconds,
        still waiting or being answered, oldest first (the chat's messages go in order)."""
        now = time.time() if now is None else now
        sql = (
            "SELECT update_id FROM updates WHERE chat_id = ? AND update_id < ? AND received >= ? "
            f"AND state IN ('{NEW}', '{CLAIMED}', '{SENDING}') ORDER BY update_id"
        )
        with self._transaction(quick=True) as db:
            return [r[0] for r in db.execute(sql, (chat_id, update_id, now - window)).fetchall()]

    def recover_updates(
        self, worker: str, max_age: float, stale_after: float, now: float | None = None
    ) -> Recovery:
        """At a worker's start: updates older than `max_age` s that nobody answered are
        abandoned; those this worker (or one silent for `stale_after` s) was sending a reply
        to are unsure (not answered again); the rest it or a dead worker left are returned."""
        now = time.time() if now is None else now
        stale = now - stale_after
        with self._transaction() as db:
            abandoned = db.execute(
                f"UPDATE updates SET state = ?, changed = ? WHERE state IN ('{NEW}', '{CLAIMED}') "
                "AND received < ? RETURNING update_id",
                (ABANDONED, now, now - max_age),
            ).fetchall()
            unsure = db.execute(
                f"UPDATE updates SET state = ?, changed = ? WHERE state = '{SENDING}' "
                "AND (worker = ? OR changed < ?) RETURNING update_id",
                (UNSURE, now, worker, stale),
            ).fetchall()
            replay = db.execute(
                f"SELECT update_id, payload FROM updates WHERE {_TAKEABLE} ORDER BY update_id",
                (worker, stale),
            ).fetchall()
        return Recovery(
            [tuple(r) for r in replay], sorted(r[0] for r in abandoned), sorted(r[0] for r in unsure)
        )

    def orphaned_updates(
        self, worker: str, max_age: float, stale_after: float, grace: float, now: float | None = None
    ) -> list[tuple[int, str]]:
        """While workers run: the updates at most `max_age` s old that another worker left,
        recorded more than `grace` s ago and never claimed, or claimed by one silent for
        `stale_after` s (id and JSON, oldest first). Claiming them is still the race."""
        now = time.time() if now is None else now
        sql = (
            "SELECT update_id, payload FROM updates WHERE received >= ? AND ("
            f"(state = '{NEW}' AND received < ?) OR (state = '{CLAIMED}' AND worker != ? AND changed < ?)"
            ") ORDER BY update_id"
        )
        params = (now - max_age, now - grace, worker, now - stale_after)
        with self._transaction() as db:
            return [tuple(r) for r in db.execute(sql, params).fetchall()]

    def prune_updates(self, keep: float = KEEP, now: float | None = None) -> int:
        """Forget the updates finished more than `keep` seconds ago, and old job rows."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            pruned = db.execute(
                f"DELETE FROM updates WHERE state IN {FINISHED} AND changed < ?", (now - keep,)
            ).rowcount
            db.execute("DELETE FROM jobs_run WHERE ts < ?", (now - KEEP_JOBS,))
        return pruned

    def claim_job(self, job: str, day: str, worker: str, now: float | None = None) -> bool:
        """Take a daily job's run for `day` (a chat's digest): True for exactly one worker."""
        now = time.time() if now is None else now
        sql = (
            "INSERT INTO jobs_run (job, day, worker, ts) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (job, day) DO NOTHING"
        )
        return self._run(sql, (job, day, worker, now)) == 1
