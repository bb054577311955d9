"""Who may use the bot (TELEGRAM_ALLOWED_CHATS, and the chats let in from Telegram) and who
administers it (TELEGRAM_ADMINS)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.telegram.store import Store


def _ids(values: tuple[str, ...], variable: str) -> frozenset[int]:
    out = set()
    for value in values:
        try:
            out.add(int(value))
        except ValueError:
            raise ValueError(f"{variable}: {value!r} is not a Telegram chat or user id") from None
    return frozenset(out)


@dataclass(frozen=True)
class Access:
    allowed: frozenset[int] = frozenset()  # chat or user ids; empty = everyone
    admins: frozenset[int] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> Access:
        return cls(
            _ids(settings.telegram_allowed_chats, "TELEGRAM_ALLOWED_CHATS"),
            _ids(settings.telegram_admins, "TELEGRAM_ADMINS"),
        )

    def allows(self, chat_id: int | None, user_id: int | None) -> bool:
        """Decided by the chat: a group not listed gets nothing, whoever writes in it (an
        allowed user or an admin included); a private chat's id is its user's. Only an
        update without a chat is decided by its sender."""
        if not self.allowed:
            return True
        who = chat_id if chat_id is not None else user_id
        return who in (self.allowed | self.admins)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


async def admits(access: Access, store: Store, chat_id: int | None, user_id: int | None) -> bool:
    """Whether the bot serves this chat: the settings allow it (the allowlist, an admin, or
    no allowlist at all), or an invite or an admin let it in (the store, read off the event
    loop and only for a chat the settings do not allow)."""
    if access.allows(chat_id, user_id):
        return True
    who = chat_id if chat_id is not None else user_id
    return who is not None and await asyncio.to_thread(store.is_admitted, who)
