"""At most `limit` questions a minute per user: warn once, then stay silent until it passes."""
from __future__ import annotations

import enum
import time
from collections import deque
from typing import Callable


class Verdict(enum.Enum):
    OK = "ok"
    WARN = "warn"   # over the limit: ask the user, once, to slow down
    DROP = "drop"   # over the limit and already warned: ignore


class RateLimiter:
    def __init__(self, limit: int = 20, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        if limit < 1 or window <= 0:
            raise ValueError(f"limit must be >= 1 and window > 0, got limit={limit}, window={window}")
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def hit(self, user_id: int) -> Verdict:
        now = self.clock()
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.limit:
            self._warned.discard(user_id)
            hits.append(now)
            return Verdict.OK
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN
