"""The bot's shared state behind one typed accessor: `context.state`."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from assistant.records import Answer
from assistant.telegram.access import Access
from assistant.telegram.pending import Once, Pending, PendingRemoval, PendingUpload
from assistant.telegram.ratelimit import RateLimiter

if TYPE_CHECKING:
    from assistant.serve.assistant import Assistant
    from assistant.settings import Settings
    from assistant.telegram.journal import Journal
    from assistant.telegram.store import Store


class AnswerCache:
    """Recent answers by a short random id, so a button's callback data stays under 64 bytes.
    An answer belongs to the chat it was sent to: its key finds nothing from another chat."""

    def __init__(self, size: int = 1000):
        self.size = size
        self._items: OrderedDict[str, tuple[int, Answer]] = OrderedDict()

    def put(self, answer: Answer, chat_id: int) -> str:
        key = secrets.token_urlsafe(6)
        self._items[key] = (chat_id, answer)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str, chat_id: int) -> Answer | None:
        chat, answer = self._items.get(key, (None, None))
        return answer if chat == chat_id else None


class TimedCache:
    """At most `size` values by key, each for at most `ttl` seconds, the least recently
    used dropped first; `hits` and `misses` count the lookups."""

    def __init__(self, size: int = 256, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic):
        if size < 1 or ttl <= 0:
            raise ValueError(f"size must be at least 1 and ttl positive, got size={size}, ttl={ttl}")
        self.size, self.ttl, self.clock = size, ttl, clock
        self.hits = self.misses = 0
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        item = self._items.get(key)
        if item is None or item[0] <= self.clock() - self.ttl:
            self._items.pop(key, None)
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item[1]

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = (self.clock(), value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def default_today() -> date:
    """Today's date in Vietnam (the calendar module's clock)."""
    from assistant.due.schedule import today_in_vietnam

    return today_in_vietnam()


@dataclass
class BotState:
    """Created empty by the Application (as its bot_data), filled by `build_application`
    and `post_init`."""

    settings: Settings | None = None
    store: Store | None = None
    journal: Journal | None = None  # the updates received, in the store
    health: Any = None  # the /healthz and /metrics server, when ASSISTANT_METRICS_PORT is set
    access: Access = field(default_factory=Access)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    answers: AnswerCache = field(default_factory=AnswerCache)
    inline: TimedCache = field(default_factory=TimedCache)  # inline results by query text
    today: Callable[[], date] = default_today
    clock: Callable[[], float] = time.time  # seconds since the epoch: invites' times (tests move it)
    uploads: Pending[PendingUpload] = field(default_factory=lambda: Pending(size=20))
    removals: Pending[PendingRemoval] = field(default_factory=lambda: Pending(size=200))
    refused_albums: Once = field(default_factory=Once)
    updating: asyncio.Lock = field(default_factory=asyncio.Lock)  # one plan update (and reload) at a time
    _assistant: Assistant | None = None

    @property
    def assistant(self) -> Assistant:
        if self._assistant is None:
            raise RuntimeError("the assistant is not loaded yet (post_init has not run)")
        return self._assistant

    @assistant.setter
    def assistant(self, value: Assistant) -> None:
        """Swap in another assistant: one assignment on the event loop, so every handler
        sees either the old one or the new one; a question already running keeps the old.
        The inline results of the old one are forgotten."""
        self._assistant = value
        self.inline.clear()

    @property
    def loaded(self) -> bool:
        return self._assistant is not None

    def is_admin(self, user_id: int | None) -> bool:
        return self.access.is_admin(user_id)


class BotContext(CallbackContext[ExtBot, dict, dict, BotState]):
    """The callback context with the bot's state as a typed attribute."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def state(self) -> BotState:
        return self.bot_data
