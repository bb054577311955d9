"""The embedded backend: one SQLite file in the data folder, one short connection per call."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from assistant.telegram.store import schema
from assistant.telegram.store.base import WAIT, SqlStore

log = logging.getLogger(__name__)

STORE_NAME = "bot.sqlite3"  # in the data folder
# The columns the feedback table gained in version 2, before the schema had versions
VERSION_2_COLUMNS = {"reason", "intent", "docs"}


class SqliteStore(SqlStore):
    """A small SQLite file; the schema migrated when opened (`upto` stops at an older
    version: tests build old stores with it). A file that is not a readable database is
    moved aside (`recovered` names where) and a fresh one created: the bot starts, and only
    then are subscriptions and feedback lost."""

    errors = (sqlite3.Error,)

    def __init__(self, data_dir: Path, name: str = STORE_NAME, *, upto: int = schema.LATEST):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / name
        self.recovered: Path | None = None
        try:
            self._open(upto)
        except sqlite3.DatabaseError as exc:
            if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                raise  # a busy or read-only store is not garbled: moving it aside would lose it
            self.recovered = self._move_aside(exc)
            self._open(upto)

    def _open(self, upto: int) -> None:
        """Migrate the schema in one write transaction: another process opening the same
        file at once waits, then finds it migrated."""
        with closing(sqlite3.connect(self.path, timeout=WAIT, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                db.execute(schema.VERSION_TABLE)
                if "schema_version" in tables:
                    current = schema.version(db)
                else:  # laid out before versioning (or new): its version read from its tables
                    current = _unversioned(db, tables)
                    schema.record_found(db, current)
                schema.migrate(db, current, upto)
                if upto:
                    db.execute("SELECT count(*) FROM feedback").fetchone()  # a garbled file fails here
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _move_aside(self, exc: Exception) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = self.path.name
        moved = next(
            p
            for n in range(1000)
            if not (p := self.path.with_name(f"{name}.corrupt-{stamp}" + (f"-{n}" if n else ""))).exists()
        )
        log.error("the bot's store %s is unreadable (%s): moved to %s, starting anew", self.path, exc, moved)
        self.path.replace(moved)
        for suffix in ("-journal", "-wal", "-shm"):
            self.path.with_name(name + suffix).unlink(missing_ok=True)
        return moved

    @contextmanager
    def _transaction(self, quick: bool = False) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=self.quick_wait if quick else WAIT)) as db, db:
            yield db


def _unversioned(db: sqlite3.Connection, tables: set[str]) -> int:
    """The version of a store from before `schema_version`: 0 (new), 1 (the first release)
    or 2 (feedback with its reasons); one with homes and turns but no reasons is 1, and
    version 3 creates only what is missing."""
    if "feedback" not in tables:
        return 0
    columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
    return 2 if VERSION_2_COLUMNS <= columns else 1
