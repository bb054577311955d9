"""Admin actions waiting for a button press. The button carries a short random id (Telegram
allows 64 bytes of callback data); the action waits here, in a small store that forgets
the oldest and the stale ones, and cleans up after them."""

from __future__ import annotations

import secrets
import shutil
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar


@dataclass(frozen=True)
class PendingUpload:
    """A downloaded plan file (under its original name, alone in a temporary folder)
    that would replace a plan already in the corpus."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


@dataclass(frozen=True)
class PendingRemoval:
    """A plan to take out of the corpus: `key` for remove_plan (plan id or file name),
    `label` for people ("kế hoạch xã Tân Phú năm 2026")."""

    key: str
    label: str

    def discard(self) -> None:
        pass


A = TypeVar("A", PendingUpload, PendingRemoval)


class Pending(Generic[A]):
    """At most `size` actions, each for at most `ttl` seconds; an action that is dropped
    (evicted, expired, cleared) is discarded. An action belongs to the chat it was asked
    in: its key finds nothing from another chat."""

    def __init__(self, size: int = 20, ttl: float = 3600.0, clock: Callable[[], float] = time.monotonic):
        if size < 1 or ttl <= 0:
            raise ValueError(f"size must be at least 1 and ttl positive, got size={size}, ttl={ttl}")
        self.size, self.ttl, self.clock = size, ttl, clock
        self._items: OrderedDict[str, tuple[float, int, A]] = OrderedDict()

    def put(self, action: A, chat_id: int) -> str:
        self._expire()
        key = secrets.token_urlsafe(6)
        self._items[key] = (self.clock(), chat_id, action)
        while len(self._items) > self.size:
            self._items.popitem(last=False)[1][2].discard()
        return key

    def get(self, key: str, chat_id: int) -> A | None:
        self._expire()
        item = self._items.get(key)
        return item[2] if item and item[1] == chat_id else None

    def pop(self, key: str, chat_id: int) -> A | None:
        """Take the action out (the caller discards it when done); None if it is gone or
        belongs to another chat (which keeps it)."""
        if (action := self.get(key, chat_id)) is not None:
            del self._items[key]
        return action

    def clear(self) -> None:
        while self._items:
            self._items.popitem()[1][2].discard()

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self) -> None:
        limit = self.clock() - self.ttl
        while self._items and next(iter(self._items.values()))[0] < limit:
            self._items.popitem(last=False)[1][2].discard()


class Once:
    """True the first time a key is seen; remembers the last `size` keys."""

    def __init__(self, size: int = 200):
        self.size = size
        self._seen: OrderedDict[Hashable, None] = OrderedDict()

    def first(self, key: Hashable) -> bool:
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
