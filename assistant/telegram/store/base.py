"""The store's interface and its operations, written once in SQL that SQLite and
PostgreSQL both run; a backend gives transactions."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from assistant.converse.dialogue import TURN_TTL
from assistant.converse.followup import Turn
from assistant.converse.home import Home
from assistant.telegram.store.invites import Admitted, Invite, InviteOps, Redemption
from assistant.telegram.store.schema import Db
from assistant.telegram.store.updates import Recovery, UpdateLog

log = logging.getLogger(__name__)

QUICK = 1.0  # seconds a question waits for a busy store before going on without its context
WAIT = 10.0  # seconds any other call waits
MAX_UNIT = 120  # characters of a chat's unit (/nhacviec on <đơn vị>); the lexicon's longest is 44
FEEDBACK_FIELDS = "answer_id, user_id, chat_id, vote, question, answer, ts, reason, intent, docs"
T = TypeVar("T")


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    user_id: int
    chat_id: int
    vote: int  # +1 or -1
    question: str
    answer: str
    ts: float
    reason: str = ""  # why a 👎: a code of present.feedback.REASONS; "" for none (and for a 👍)
    intent: str = ""
    docs: tuple[str, ...] = ()  # plan files, the answer's sources first


class Store(Protocol):
    """What the bot must remember across restarts: feedback, subscriptions, refusals, each
    chat's commune and its last question (for follow-ups), invites and the chats let in,
    the updates received and the daily jobs run. Synchronous: the bot calls it off the
    event loop. Every write is one upsert or update, safe when several processes share the
    store."""

    recovered: Path | None  # where an unreadable store was moved when opened, if it was

    def add_feedback(self, fb: Feedback) -> Feedback: ...
    def feedback(self) -> list[Feedback]: ...
    def subscribe(self, chat_id: int, unit: str | None) -> None: ...
    def unsubscribe(self, chat_id: int) -> bool: ...
    def subscriptions(self) -> list[tuple[int, str | None]]: ...
    def unit_of(self, chat_id: int) -> str | None: ...
    def first_refusal(self, chat_id: int) -> bool: ...
    def set_home(self, chat_id: int, home: Home | None) -> None: ...
    def home_of(self, chat_id: int) -> Home | None: ...
    def remember(self, chat_id: int, turn: Turn) -> None: ...
    def turn(self, chat_id: int, ttl: float = TURN_TTL) -> Turn | None: ...
    def add_invite(self, invite: Invite) -> None: ...
    def invite(self, code: str) -> Invite | None: ...
    def open_invites(self, now: float) -> list[Invite]: ...
    def redeem(self, code: str, chat_id: int, name: str, now: float) -> Redemption: ...
    def cancel_invite(self, code: str, now: float) -> bool: ...
    def admit(self, chat_id: int, by: int, name: str, now: float) -> None: ...
    def revoke(self, chat_id: int) -> bool: ...
    def is_admitted(self, chat_id: int) -> bool: ...
    def admitted(self) -> list[Admitted]: ...

    # updates and daily jobs (store/updates.py); `now` is for tests
    def record_update(
        self, update_id: int, chat_id: int | None, payload: str, now: float | None = None
    ) -> bool: ...
    def claim_update(
        self, update_id: int, worker: str, stale_after: float, now: float | None = None
    ) -> bool: ...
    def mark_update(self, update_id: int, state: str, now: float | None = None) -> None: ...
    def earlier_unfinished(
        self, chat_id: int, update_id: int, window: float, now: float | None = None
    ) -> list[int]: ...
    def recover_updates(
        self, worker: str, max_age: float, stale_after: float, now: float | None = None
    ) -> Recovery: ...
    def orphaned_updates(
        self, worker: str, max_age: float, stale_after: float, grace: float, now: float | None = None
    ) -> list[tuple[int, str]]: ...
    def prune_updates(self, keep: float = ..., now: float | None = None) -> int: ...
    def claim_job(self, job: str, day: str, worker: str, now: float | None = None) -> bool: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...


class SqlStore(InviteOps, UpdateLog):
    """The operations of `Store` over a backend's `_transaction` (qmark parameters,
    committed at the end of the block, rolled back on an error); `errors` are what its
    failures raise. The invites' are in `invites.InviteOps`."""

    recovered: Path | None = None
    errors: tuple[type[Exception], ...] = ()
    quick_wait = QUICK  # seconds, for `_quick`

    def _transaction(self, quick: bool = False) -> AbstractContextManager[Db]:
        raise NotImplementedError

    def ping(self) -> None:
        """Raise unless the store answers a query now (after a short wait)."""
        with self._transaction(quick=True) as db:
            db.execute("SELECT max(version) FROM schema_version").fetchone()

    def close(self) -> None:
        """Release the backend's connections (nothing to release for SQLite)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _quick(self, what: str, run: Callable[[Db], T]) -> T | None:
        """A call a question can do without: a short wait on a busy store, and a failure
        logged, not raised (the question is answered without its context)."""
        try:
            with self._transaction(quick=True) as db:
                return run(db)
        except self.errors as exc:
            log.warning("the bot's store could not %s, carrying on without: %s", what, exc)
            return None

    def _all(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._transaction() as db:
            return [tuple(row) for row in db.execute(sql, params).fetchall()]

    def _count(self, sql: str, params: tuple) -> int:
        """Rows a statement changed."""
        with self._transaction() as db:
            return db.execute(sql, params).rowcount

    # feedback -----------------------------------------------------------------
    def add_feedback(self, fb: Feedback) -> Feedback:
        """Record a vote; a user voting again on the same answer changes the vote (its time
        stays the first vote's, close to the question's). A 👍 clears the reason; a 👎
        without one keeps the reason already chosen. Returns the row as stored."""
        if fb.vote not in (1, -1):
            raise ValueError(f"vote must be 1 or -1, got {fb.vote!r}")
        if fb.reason and fb.vote != -1:
            raise ValueError("only a 👎 has a reason")
        docs = json.dumps(list(fb.docs), ensure_ascii=False)
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO feedback ({FEEDBACK_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_id, user_id) DO UPDATE SET chat_id = excluded.chat_id, "
                "vote = excluded.vote, question = excluded.question, answer = excluded.answer, "
                "intent = excluded.intent, docs = excluded.docs, reason = CASE WHEN "
                "excluded.vote = 1 OR excluded.reason != '' THEN excluded.reason ELSE feedback.reason END",
                (fb.answer_id, fb.user_id, fb.chat_id, fb.vote, fb.question, fb.answer, fb.ts)
                + (fb.reason, fb.intent, docs),
            )
            # the row stays locked (PostgreSQL) or the file (SQLite) until the commit:
            # this reads the row just written
            row = db.execute(
                f"SELECT {FEEDBACK_FIELDS} FROM feedback WHERE answer_id = ? AND user_id = ?",
                (fb.answer_id, fb.user_id),
            ).fetchone()
        return _feedback(row)

    def feedback(self) -> list[Feedback]:
        """Every vote, oldest first."""
        rows = self._all(f"SELECT {FEEDBACK_FIELDS} FROM feedback ORDER BY ts, answer_id, user_id")
        return [_feedback(row) for row in rows]

    # subscriptions --------------------------------------------------------------
    def subscribe(self, chat_id: int, unit: str | None) -> None:
        if unit is not None and len(unit) > MAX_UNIT:
            raise ValueError(f"a unit is at most {MAX_UNIT} characters, got {len(unit)}: {unit[:40]!r}…")
        self._count(
            "INSERT INTO subscriptions (chat_id, unit, active, ts) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET unit = excluded.unit, active = 1, ts = excluded.ts",
            (chat_id, unit, time.time()),
        )

    def unsubscribe(self, chat_id: int) -> bool:
        """Stop the chat's digest (its unit is kept for /hanchot); False if it had none."""
        return (
            self._count("UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,))
            > 0
        )

    def subscriptions(self) -> list[tuple[int, str | None]]:
        """The active subscriptions: (chat, unit or None), by chat."""
        return self._all("SELECT chat_id, unit FROM subscriptions WHERE active = 1 ORDER BY chat_id")

    def unit_of(self, chat_id: int) -> str | None:
        """The unit a chat chose with /nhacviec on <đơn vị>, if any."""
        rows = self._all("SELECT unit FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return rows[0][0] if rows else None

    # refusals ---------------------------------------------------------------------
    def first_refusal(self, chat_id: int) -> bool:
        """True the first time a chat is refused, False ever after."""
        sql = "INSERT INTO refused (chat_id, ts) VALUES (?, ?) ON CONFLICT (chat_id) DO NOTHING"
        return self._count(sql, (chat_id, time.time())) == 1

    # the chat's commune ------------------------------------------------------------
    def set_home(self, chat_id: int, home: Home | None) -> None:
        if home is None:
            self._count("DELETE FROM homes WHERE chat_id = ?", (chat_id,))
            return
        self._count(
            "INSERT INTO homes (chat_id, place, province, district, ts) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET place = excluded.place, "
            "province = excluded.province, district = excluded.district, ts = excluded.ts",
            (chat_id, home.place, home.province, home.district, time.time()),
        )

    def home_of(self, chat_id: int) -> Home | None:
        """The chat's commune (None when not chosen, or the store cannot be read now)."""
        sql = "SELECT place, province, district FROM homes WHERE chat_id = ?"
        row = self._quick("read a chat's commune", lambda db: db.execute(sql, (chat_id,)).fetchone())
        return Home(*row) if row else None

    # the chat's last question ----------------------------------------------------------
    def remember(self, chat_id: int, turn: Turn) -> None:
        sql = (
            "INSERT INTO turns (chat_id, turn, ts) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET turn = excluded.turn, ts = excluded.ts"
        )
        params = (chat_id, json.dumps(asdict(turn), ensure_ascii=False), time.time())
        self._quick("keep a chat's last question", lambda db: db.execute(sql, params))

    def turn(self, chat_id: int, ttl: float = TURN_TTL) -> Turn | None:
        """The chat's last question, if asked within `ttl` seconds (a follow-up's context)."""
        sql = "SELECT turn, ts FROM turns WHERE chat_id = ?"
        row = self._quick("read a chat's last question", lambda db: db.execute(sql, (chat_id,)).fetchone())
        if row is None or time.time() - row[1] > ttl:
            return None
        try:
            data = json.loads(row[0])
            return Turn(**(data | {"plans": tuple(data["plans"])}))
        except (ValueError, TypeError, KeyError):  # written by another version: no context
            return None


def _feedback(row: tuple) -> Feedback:
    *head, docs = row
    return Feedback(*head, docs=tuple(json.loads(docs)))
