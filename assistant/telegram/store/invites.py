"""The chats let in from Telegram: one-time invites an admin makes, and the chats an invite
or an admin admitted (schema version 5). The environment's allowlist is not stored here:
it is the settings', read at every start."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal

from assistant.telegram.store.schema import Db

Redemption = Literal["admitted", "expired", "used", "unknown"]
INVITE_FIELDS = "code, created_by, created_at, expires_at, used_by, used_at"
ADMITTED_FIELDS = "chat_id, how, admitted_by, name, ts, code"


@dataclass(frozen=True)
class Invite:
    """A one-time code: it admits the first chat that opens it before `expires_at`."""

    code: str
    created_by: int  # the admin's user id
    created_at: float
    expires_at: float
    used_by: int | None = None  # the chat it admitted
    used_at: float | None = None

    def __post_init__(self):
        if self.expires_at <= self.created_at:
            raise ValueError(
                f"an invite must expire after it is made, got {self.expires_at} <= {self.created_at}"
            )


@dataclass(frozen=True)
class Admitted:
    """A chat let in from Telegram: `how` is "invite" (by `code`, made by the admin `by`)
    or "admin" (the admin `by` admitted it by its id)."""

    chat_id: int
    how: Literal["invite", "admin"]
    by: int
    name: str  # the chat's title or the person's name when admitted ("" when unknown)
    ts: float
    code: str | None = None


class InviteOps:
    """The invite operations of `SqlStore` (mixed into it): each one transaction, safe when
    several workers share the store; an invite is spent by one conditional update, so two
    chats opening it at once admit one."""

    def _transaction(self, quick: bool = False) -> AbstractContextManager[Db]:
        raise NotImplementedError

    def add_invite(self, invite: Invite) -> None:
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO invites ({INVITE_FIELDS}) VALUES (?, ?, ?, ?, ?, ?)",
                (invite.code, invite.created_by, invite.created_at, invite.expires_at, None, None),
            )

    def invite(self, code: str) -> Invite | None:
        with self._transaction() as db:
            row = db.execute(f"SELECT {INVITE_FIELDS} FROM invites WHERE code = ?", (code,)).fetchone()
        return Invite(*row) if row else None

    def open_invites(self, now: float) -> list[Invite]:
        """The invites not used yet that have not expired, oldest first."""
        sql = (
            f"SELECT {INVITE_FIELDS} FROM invites "
            "WHERE used_by IS NULL AND expires_at > ? ORDER BY created_at"
        )
        with self._transaction() as db:
            return [Invite(*row) for row in db.execute(sql, (now,)).fetchall()]

    def redeem(self, code: str, chat_id: int, name: str, now: float) -> Redemption:
        """Spend the invite on the chat and admit it; or say why not (expired, used, no such code)."""
        with self._transaction() as db:
            spent = db.execute(
                "UPDATE invites SET used_by = ?, used_at = ? "
                "WHERE code = ? AND used_by IS NULL AND expires_at > ?",
                (chat_id, now, code, now),
            ).rowcount
            row = db.execute("SELECT created_by, used_by FROM invites WHERE code = ?", (code,)).fetchone()
            if spent == 1:
                _admit(db, Admitted(chat_id, "invite", row[0], name, now, code))
                return "admitted"
        if row is None:
            return "unknown"
        return "used" if row[1] is not None else "expired"

    def cancel_invite(self, code: str, now: float) -> bool:
        """Make an unused invite expire now; False when there is none to cancel."""
        with self._transaction() as db:
            return (
                db.execute(
                    "UPDATE invites SET expires_at = ? WHERE code = ? AND used_by IS NULL AND expires_at > ?",
                    (now, code, now),
                ).rowcount
                == 1
            )

    def admit(self, chat_id: int, by: int, name: str, now: float) -> None:
        """An admin lets a chat in by its id."""
        with self._transaction() as db:
            _admit(db, Admitted(chat_id, "admin", by, name, now))

    def revoke(self, chat_id: int) -> bool:
        """Take the chat's admission back; False if it had none. Its next message is
        refused once again (the refusal it may have had before is forgotten)."""
        with self._transaction() as db:
            revoked = db.execute("DELETE FROM admitted WHERE chat_id = ?", (chat_id,)).rowcount == 1
            if revoked:
                db.execute("DELETE FROM refused WHERE chat_id = ?", (chat_id,))
        return revoked

    def is_admitted(self, chat_id: int) -> bool:
        with self._transaction() as db:
            return db.execute("SELECT 1 FROM admitted WHERE chat_id = ?", (chat_id,)).fetchone() is not None

    def admitted(self) -> list[Admitted]:
        """Every chat let in from Telegram, in the order they were."""
        with self._transaction() as db:
            rows = db.execute(f"SELECT {ADMITTED_FIELDS} FROM admitted ORDER BY ts, chat_id").fetchall()
        return [Admitted(*row) for row in rows]


def _admit(db: Db, a: Admitted) -> None:
    """Insert or replace the chat's admission (a chat admitted again keeps the latest)."""
    db.execute(
        f"INSERT INTO admitted ({ADMITTED_FIELDS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO "
        "UPDATE SET how = excluded.how, admitted_by = excluded.admitted_by, name = excluded.name, "
        "ts = excluded.ts, code = excluded.code",
        (a.chat_id, a.how, a.by, a.name, a.ts, a.code),
    )
