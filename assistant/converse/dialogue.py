"""One turn of a conversation: the question answered as a follow-up of the last turn when
it is one (with the line that says how it was understood), and the turn to remember. The
front ends keep the turns: the bot in its SQLite store, the console and `ask --jsonl` in
`MemoryTurns`."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Protocol

from assistant.answer.question import InvalidQuestion
from assistant.converse.followup import Resolved, Turn, read, resolve
from assistant.converse.restate import record_of, restate
from assistant.records import Answer
from assistant.serve.assistant import Assistant

TURN_TTL = 30 * 60.0  # seconds a chat's last question stays open to follow-ups


class Turns(Protocol):
    """Where a front end keeps each session's last turn (`MemoryTurns`; the bot's store,
    by chat id)."""

    def turn(self, session: Hashable) -> Turn | None: ...

    def remember(self, session: Hashable, turn: Turn) -> None: ...


@dataclass(frozen=True)
class Exchange:
    answer: Answer
    turn: Turn | None  # what to remember now; None: keep the last turn as it is


def ask(assistant: Assistant, text: str, turn: Turn | None, home: tuple[str, ...] = ()) -> Exchange:
    """`text` answered, as a follow-up of `turn` when it is one; `home`: the plans of the
    chat's own commune, for a question that names no place."""
    catalog = assistant.answerer.catalog
    try:
        q = catalog.parse(text)
    except InvalidQuestion:
        return Exchange(assistant.ask(text, home=home), None)
    resolved = resolve(q, turn, catalog.places)
    if resolved is None:
        answer = assistant.ask(text, home=home)
    else:
        answer = _restated(assistant, turn, resolved) or assistant.ask(
            resolved.question, resolved.plans, home=home
        )
        answer = answer.model_copy(update={"understood": resolved.shown})
    return Exchange(answer, remembered(assistant, answer))


def _restated(assistant: Assistant, turn: Turn, resolved: Resolved) -> Answer | None:
    """The follow-up answered from the last turn's own record, when it asks another field
    of it and the record states that field."""
    if not resolved.same_record or len(turn.plans) != 1:
        return None
    rec = assistant.records(turn.plans)[0]
    return restate(rec, assistant.answerer.sources, turn.record, resolved.question, resolved.intent)


def ask_chosen(assistant: Assistant, text: str, plans: tuple[str, ...]) -> Exchange:
    """`text` answered for the plans the asker chose (a press on a plan's button)."""
    answer = assistant.ask(text, plans)
    return Exchange(answer, remembered(assistant, answer))


def remembered(assistant: Assistant, answer: Answer) -> Turn | None:
    """The turn an answer leaves: its question's subject and intent, the plans it was
    answered from, the unit it named first; None for an answer that asks back (a place
    to choose) or could not be read."""
    if answer.status not in {"answer", "not_found"} or answer.missing is not None:
        return None
    catalog = assistant.answerer.catalog
    reading = read(catalog.parse(answer.question), catalog.places)
    if not reading.subject:
        return None
    return Turn(
        answer.question,
        reading.subject,
        answer.intent,
        answer.plans,
        first_unit(answer),
        record_of(answer),
        reading.place,
    )


def first_unit(answer: Answer) -> str:
    """The unit the answer names as the one responsible ("đơn vị đó" in the next question):
    its first task's lead, even when the answer asked for the cooperating units and names
    them first (a task's partners are often a group, "Các phòng, ban, ngành"); a duty's
    unit; the unit a fact is about."""
    for fact in answer.facts:
        if fact.task is not None:
            units = fact.task.lead or fact.task.cooperating
            if units:
                return units[0]
        if fact.duty is not None:
            return fact.duty.unit
        if fact.unit:
            return fact.unit
    return ""


class MemoryTurns:
    """The last turn of each session, for `TURN_TTL` seconds (the console, `ask --jsonl`)."""

    def __init__(self, ttl: float = TURN_TTL, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._turns: dict[Hashable, tuple[float, Turn]] = {}

    def turn(self, session: Hashable) -> Turn | None:
        at, turn = self._turns.get(session, (0.0, None))
        return turn if turn is not None and self.clock() - at <= self.ttl else None

    def remember(self, session: Hashable, turn: Turn) -> None:
        self._turns[session] = (self.clock(), turn)


def converse(
    assistant: Assistant, turns: Turns, session: Hashable, text: str, home: tuple[str, ...] = ()
) -> Answer:
    """Ask within a session: its last turn read, the new one remembered."""
    exchange = ask(assistant, text, turns.turn(session), home)
    if exchange.turn is not None:
        turns.remember(session, exchange.turn)
    return exchange.answer
