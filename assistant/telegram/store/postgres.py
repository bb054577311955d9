"""The shared backend: a PostgreSQL database (ASSISTANT_DATABASE_URL) through psycopg 3 and
a small connection pool, for several workers over one store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from assistant.telegram.store import schema
from assistant.telegram.store.base import WAIT, SqlStore

POOL_SIZE = 4  # connections at most: the bot's store calls are short
MIGRATION_LOCK = 0x43434843  # advisory lock key ("CCHC"): one process migrates at a time


class Qmark:
    """A psycopg connection taking the qmark parameters the shared SQL is written with.
    None of the store's statements has a literal `?` or `%`."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        return self.conn.execute(sql.replace("?", "%s"), params or None)


class PostgresStore(SqlStore):
    """The store in a PostgreSQL database: `url` is a libpq connection string
    (postgresql://user:password@host:port/dbname?...); the schema is migrated when opened,
    under an advisory lock so that workers starting together migrate once. A database
    that cannot be reached raises (psycopg.OperationalError): the bot does not start
    without its store."""

    errors = (psycopg.Error,)

    def __init__(self, url: str, *, upto: int = schema.LATEST, pool_size: int = POOL_SIZE):
        with psycopg.connect(url, connect_timeout=int(WAIT)) as conn:
            db = Qmark(conn)
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            db.execute(schema.VERSION_TABLE)
            schema.migrate(db, schema.version(db), upto)
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            timeout=WAIT,
            kwargs={"connect_timeout": int(WAIT)},
            configure=_configure,
            check=ConnectionPool.check_connection,  # a connection the server dropped is replaced
            name="bot-store",
            open=True,
        )

    @contextmanager
    def _transaction(self, quick: bool = False) -> Iterator[Qmark]:
        with self._pool.connection(timeout=self.quick_wait if quick else WAIT) as conn:
            db = Qmark(conn)
            if quick:  # for this transaction only
                milliseconds = str(int(self.quick_wait * 1000))
                db.execute("SELECT set_config('statement_timeout', ?, true)", (milliseconds,))
            yield db

    def close(self) -> None:
        self._pool.close()


def _configure(conn: psycopg.Connection) -> None:
    """Every pooled connection: no statement waits longer than the store's usual wait."""
    conn.execute(f"SET statement_timeout = {int(WAIT * 1000)}")
    conn.commit()
