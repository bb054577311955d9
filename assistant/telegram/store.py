"""What the bot must remember across restarts, in SQLite: feedback, subscriptions, refusals,
each chat's commune and its last question (for follow-ups)."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.converse.dialogue import TURN_TTL
from assistant.converse.followup import Turn
from assistant.converse.home import Home

log = logging.getLogger(__name__)

QUICK = 1.0  # seconds a question waits for a locked store before going on without its context
STORE_NAME = "bot.sqlite3"  # in the data folder

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL, user_id INTEGER NOT NULL, chat_id INTEGER NOT NULL,
    vote INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, ts REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id));
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER PRIMARY KEY, unit TEXT, active INTEGER NOT NULL, ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS refused (chat_id INTEGER PRIMARY KEY, ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS homes (
    chat_id INTEGER PRIMARY KEY, place TEXT NOT NULL, province TEXT NOT NULL, district TEXT NOT NULL,
    ts REAL NOT NULL);
CREATE TABLE IF NOT EXISTS turns (chat_id INTEGER PRIMARY KEY, turn TEXT NOT NULL, ts REAL NOT NULL);
"""
# Columns added to `feedback` after its first release: a store created before gets them
# (ALTER TABLE) when opened, its rows with the defaults.
FEEDBACK_COLUMNS = {
    "reason": "TEXT NOT NULL DEFAULT ''",  # a 👎's reason code (present.feedback.REASONS), or ""
    "intent": "TEXT NOT NULL DEFAULT ''",  # the answer's intent
    "docs": "TEXT NOT NULL DEFAULT '[]'",  # JSON list: the plan files answered from or searched
}
FEEDBACK_FIELDS = "answer_id, user_id, chat_id, vote, question, answer, ts, reason, intent, docs"


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


class Store:
    """A small SQLite file in the data folder; one short connection per call. A file that
    is not a readable database is moved aside (`recovered` names where) and a fresh one
    created: the bot starts, and only then are subscriptions and feedback lost."""

    def __init__(self, data_dir: Path, name: str = STORE_NAME):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / name
        self.recovered: Path | None = None
        try:
            self._create()
        except sqlite3.DatabaseError as exc:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            self.recovered = next(
                p
                for n in range(1000)
                if not (p := self.path.with_name(f"{name}.corrupt-{stamp}" + (f"-{n}" if n else ""))).exists()
            )
            log.error(
                "the bot's store %s is unreadable (%s): moved to %s, starting a new one",
                self.path,
                exc,
                self.recovered,
            )
            self.path.replace(self.recovered)
            for suffix in ("-journal", "-wal", "-shm"):
                self.path.with_name(name + suffix).unlink(missing_ok=True)
            self._create()

    def _create(self) -> None:
        with self._db() as db:
            db.executescript(SCHEMA)
            db.execute("SELECT count(*) FROM feedback").fetchone()  # reads a page: a garbled file fails here
            have = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
            for name, kind in FEEDBACK_COLUMNS.items():
                if name not in have:
                    log.info("the bot's store gains the feedback column %s", name)
                    db.execute(f"ALTER TABLE feedback ADD COLUMN {name} {kind}")

    @contextmanager
    def _db(self, timeout: float = 10) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=timeout)) as db, db:
            yield db

    def _quick(self, what: str, sql: str, params: tuple) -> tuple | None:
        """One statement a question can do without (its first row, if any): a short wait
        on a locked store, and a failure logged, not raised (the question is answered
        without its context)."""
        try:
            with self._db(QUICK) as db:
                return db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            log.warning("the bot's store could not %s, carrying on without: %s", what, exc)
            return None

    # feedback -----------------------------------------------------------------
    def add_feedback(self, fb: Feedback) -> Feedback:
        """Record a vote; a user voting again on the same answer changes the vote (its time
        stays the first vote's, close to the question's). A 👍 clears the reason; a 👎
        without one keeps the reason already chosen. Returns the row as stored."""
        if fb.vote not in (1, -1):
            raise ValueError(f"vote must be 1 or -1, got {fb.vote!r}")
        if fb.reason and fb.vote != -1:
            raise ValueError("only a 👎 has a reason")
        with self._db() as db:
            db.execute(
                f"INSERT INTO feedback ({FEEDBACK_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_id, user_id) DO UPDATE SET chat_id = excluded.chat_id, "
                "vote = excluded.vote, question = excluded.question, answer = excluded.answer, "
                "intent = excluded.intent, docs = excluded.docs, reason = CASE WHEN "
                "excluded.vote = 1 OR excluded.reason != '' THEN excluded.reason ELSE feedback.reason END",
                (
                    fb.answer_id,
                    fb.user_id,
                    fb.chat_id,
                    fb.vote,
                    fb.question,
                    fb.answer,
                    fb.ts,
                    fb.reason,
                    fb.intent,
                    json.dumps(list(fb.docs), ensure_ascii=False),
                ),
            )
            row = db.execute(
                f"SELECT {FEEDBACK_FIELDS} FROM feedback WHERE answer_id = ? AND user_id = ?",
                (fb.answer_id, fb.user_id),
            ).fetchone()
        return _feedback(row)

    def feedback(self) -> list[Feedback]:
        """Every vote, oldest first."""
        with self._db() as db:
            rows = db.execute(f"SELECT {FEEDBACK_FIELDS} FROM feedback ORDER BY ts, rowid").fetchall()
        return [_feedback(row) for row in rows]

    # subscriptions --------------------------------------------------------------
    def subscribe(self, chat_id: int, unit: str | None) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO subscriptions VALUES (?, ?, 1, ?)", (chat_id, unit, time.time())
            )

    def unsubscribe(self, chat_id: int) -> bool:
        """Stop the chat's digest (its unit is kept for /hanchot); False if it had none."""
        with self._db() as db:
            cur = db.execute(
                "UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,)
            )
            return cur.rowcount > 0

    def subscriptions(self) -> list[tuple[int, str | None]]:
        with self._db() as db:
            return db.execute("SELECT chat_id, unit FROM subscriptions WHERE active = 1").fetchall()

    def unit_of(self, chat_id: int) -> str | None:
        """The unit a chat chose with /nhacviec on <đơn vị>, if any."""
        with self._db() as db:
            row = db.execute("SELECT unit FROM subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()
        return row[0] if row else None

    # refusals ---------------------------------------------------------------------
    def first_refusal(self, chat_id: int) -> bool:
        """True the first time a chat is refused, False ever after."""
        with self._db() as db:
            cur = db.execute("INSERT OR IGNORE INTO refused VALUES (?, ?)", (chat_id, time.time()))
            return cur.rowcount == 1

    # the chat's commune ------------------------------------------------------------
    def set_home(self, chat_id: int, home: Home | None) -> None:
        with self._db() as db:
            if home is None:
                db.execute("DELETE FROM homes WHERE chat_id = ?", (chat_id,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO homes VALUES (?, ?, ?, ?, ?)",
                    (chat_id, home.place, home.province, home.district, time.time()),
                )

    def home_of(self, chat_id: int) -> Home | None:
        """The chat's commune (None when not chosen, or the store cannot be read now)."""
        row = self._quick(
            "read a chat's commune",
            "SELECT place, province, district FROM homes WHERE chat_id = ?",
            (chat_id,),
        )
        return Home(*row) if row else None

    # the chat's last question ----------------------------------------------------------
    def remember(self, chat_id: int, turn: Turn) -> None:
        self._quick(
            "keep a chat's last question",
            "INSERT OR REPLACE INTO turns VALUES (?, ?, ?)",
            (chat_id, json.dumps(asdict(turn), ensure_ascii=False), time.time()),
        )

    def turn(self, chat_id: int, ttl: float = TURN_TTL) -> Turn | None:
        """The chat's last question, if asked within `ttl` seconds (a follow-up's context)."""
        row = self._quick(
            "read a chat's last question", "SELECT turn, ts FROM turns WHERE chat_id = ?", (chat_id,)
        )
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
