"""The store's one schema, as numbered migrations applied in order when a store opens.

Every statement is run as written by SQLite and by PostgreSQL: BIGINT for Telegram ids
(beyond 32 bits), DOUBLE PRECISION for times (PostgreSQL's REAL is 4 bytes). The table
`schema_version` holds a row per migration applied; a store's version is the highest.
A migration once released is never edited: a change is a new migration at the end."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS = (
    Migration(
        1,
        "feedback, subscriptions, refusals",
        (
            """CREATE TABLE IF NOT EXISTS feedback (
                answer_id TEXT NOT NULL, user_id BIGINT NOT NULL, chat_id BIGINT NOT NULL,
                vote INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
                ts DOUBLE PRECISION NOT NULL, PRIMARY KEY (answer_id, user_id))""",
            """CREATE TABLE IF NOT EXISTS subscriptions (
                chat_id BIGINT PRIMARY KEY, unit TEXT, active INTEGER NOT NULL,
                ts DOUBLE PRECISION NOT NULL)""",
            "CREATE TABLE IF NOT EXISTS refused (chat_id BIGINT PRIMARY KEY, ts DOUBLE PRECISION NOT NULL)",
        ),
    ),
    Migration(
        2,
        "a vote's reason, the answer's intent and plan files",
        (
            # a 👎's reason code (present.feedback.REASONS), or ""
            "ALTER TABLE feedback ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE feedback ADD COLUMN intent TEXT NOT NULL DEFAULT ''",
            # JSON list: the plan files answered from or searched, the answer's sources first
            "ALTER TABLE feedback ADD COLUMN docs TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
    Migration(
        3,
        "each chat's commune and last question",
        (
            """CREATE TABLE IF NOT EXISTS homes (
                chat_id BIGINT PRIMARY KEY, place TEXT NOT NULL, province TEXT NOT NULL,
                district TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL)""",
            """CREATE TABLE IF NOT EXISTS turns (
                chat_id BIGINT PRIMARY KEY, turn TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL)""",
        ),
    ),
    Migration(
        4,
        "updates received, and the daily jobs run",
        (
            # every update, recorded before Telegram is told it arrived: state new ->
            # claimed (a worker answers it) -> sending (its first reply left) -> done; or
            # abandoned (too old to answer at a restart), unsure (the worker stopped while
            # sending: never answered twice). chat_id: set for the messages answered in order
            """CREATE TABLE IF NOT EXISTS updates (
                update_id BIGINT PRIMARY KEY, chat_id BIGINT, payload TEXT NOT NULL,
                state TEXT NOT NULL, worker TEXT NOT NULL DEFAULT '',
                received DOUBLE PRECISION NOT NULL, changed DOUBLE PRECISION NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS updates_by_state ON updates (state, received)",
            "CREATE INDEX IF NOT EXISTS updates_by_chat ON updates (chat_id, update_id)",
            # one row per daily job and day (a chat's digest): the worker that claimed it sends it
            """CREATE TABLE IF NOT EXISTS jobs_run (
                job TEXT NOT NULL, day TEXT NOT NULL, worker TEXT NOT NULL,
                ts DOUBLE PRECISION NOT NULL, PRIMARY KEY (job, day))""",
        ),
    ),
    Migration(
        5,
        "invites and the chats let in from Telegram",
        (
            # a one-time code an admin made (/moi); used_by: the chat it admitted
            """CREATE TABLE IF NOT EXISTS invites (
                code TEXT PRIMARY KEY, created_by BIGINT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
                used_by BIGINT, used_at DOUBLE PRECISION)""",
            # how: "invite" (code) or "admin" (admitted by id); the allowlist is the settings'
            """CREATE TABLE IF NOT EXISTS admitted (
                chat_id BIGINT PRIMARY KEY, how TEXT NOT NULL, admitted_by BIGINT NOT NULL,
                name TEXT NOT NULL, ts DOUBLE PRECISION NOT NULL, code TEXT)""",
        ),
    ),
)
LATEST = MIGRATIONS[-1].version

VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied DOUBLE PRECISION NOT NULL)"""


class Db(Protocol):
    """A connection in a transaction, taking qmark parameters (`?`)."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...


class SchemaTooNew(RuntimeError):
    """The store was written by a newer version of the program: opening it could lose data."""


def version(db: Db) -> int:
    """The store's schema version (0 for an empty `schema_version`)."""
    return db.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(db: Db, current: int, upto: int = LATEST) -> list[Migration]:
    """Bring the store from version `current` to `upto`, in the caller's transaction;
    the migrations applied."""
    if current > LATEST:
        raise SchemaTooNew(
            f"the bot's store has schema version {current}, newer than this program's {LATEST}: "
            "run the newer version, or restore a backup"
        )
    if not 0 <= upto <= LATEST:
        raise ValueError(f"no schema version {upto} (0..{LATEST})")
    applied = [m for m in MIGRATIONS if current < m.version <= upto]
    for m in applied:
        for statement in m.statements:
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (m.version, m.name, time.time()))
        log.info("the bot's store migrated to schema version %d: %s", m.version, m.name)
    return applied


def record_found(db: Db, found: int) -> None:
    """Record versions 1..`found` as already in place (a store laid out before versioning)."""
    for m in MIGRATIONS[:found]:
        note = f"{m.name} (found in place)"
        db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (m.version, note, time.time()))
