"""What the bot must remember across restarts (feedback, subscriptions, refusals, each
chat's commune and its last question, invites and the chats let in), behind one
interface (`Store`) with two backends: SQLite in the data folder (the default, embedded)
and PostgreSQL when ASSISTANT_DATABASE_URL names one (several workers sharing a store). One versioned schema
(`schema`) is migrated when a store opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.telegram.store.base import Feedback, Store
from assistant.telegram.store.invites import Admitted, Invite, Redemption
from assistant.telegram.store.schema import LATEST, SchemaTooNew
from assistant.telegram.store.sqlite import STORE_NAME, SqliteStore

if TYPE_CHECKING:
    from assistant.settings import Settings

__all__ = [
    "LATEST",
    "Admitted",
    "Invite",
    "Redemption",
    "STORE_NAME",
    "Feedback",
    "SchemaTooNew",
    "SqliteStore",
    "Store",
    "open_store",
    "store_exists",
]
SCHEMES = ("postgresql", "postgres")


def open_store(settings: Settings) -> Store:
    """The store the settings name: PostgreSQL at `database_url`, else SQLite in the data
    folder. Close it when done (`with open_store(settings) as store:`)."""
    url = settings.database_url
    if not url:
        return SqliteStore(settings.data_dir)
    scheme, sep, _ = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        # only the scheme is named: the rest may hold a password
        got = f"{scheme}://…" if sep else "no scheme"
        raise ValueError(f"ASSISTANT_DATABASE_URL must start with postgresql:// (got {got})")
    from assistant.telegram.store.postgres import PostgresStore  # psycopg only when asked for

    return PostgresStore(url)


def store_exists(settings: Settings) -> bool:
    """Whether opening the store reads one already there rather than creating it (a
    database named by URL is there, or opening it fails)."""
    return bool(settings.database_url) or (settings.data_dir / STORE_NAME).is_file()
