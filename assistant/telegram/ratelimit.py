"""At most `limit` updates a minute per key (the bot uses the sender: one limit per person,
across chats and inline mode): warn once, then stay silent until the minute passes."""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable, Hashable


class Verdict(enum.Enum):
    OK = "ok"
    WARN = "warn"  # over the limit: ask the user, once, to slow down
    DROP = "drop"  # over the limit and already warned: ignore


class RateLimiter:
    MAX_KEYS = 10_000  # past this many keys, the idle ones are forgotten

    def __init__(self, limit: int = 20, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or window <= 0:
            raise ValueError(f"limit must be >= 1 and window > 0, got limit={limit}, window={window}")
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()

    def hit(self, key: Hashable) -> Verdict:
        now = self.clock()
        if key not in self._hits and len(self._hits) >= self.MAX_KEYS:
            self._forget(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.limit:
            self._warned.discard(key)
            hits.append(now)
            return Verdict.OK
        if key in self._warned:
            return Verdict.DROP
        self._warned.add(key)
        return Verdict.WARN

    def _forget(self, now: float) -> None:
        """Drop the keys with no update inside the window (they would be allowed anyway)."""
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]:
            del self._hits[key]
            self._warned.discard(key)

    def __len__(self) -> int:
        return len(self._hits)
