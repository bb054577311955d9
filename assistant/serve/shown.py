"""What an answer shows beyond what the answering stage chose: each stated part of a duty
read from the start of its sentence. Pure given the plans' records."""

from __future__ import annotations

from collections.abc import Callable

from assistant.lang.normalize import collapse
from assistant.parse.extract import strip_marker
from assistant.present.facts import ELIDED, from_sentence_start
from assistant.records import Answer, Fact, PlanRecords


def from_sentence_starts(answer: Answer, records_of: Callable[[str], PlanRecords]) -> Answer:
    """The answer with each stated part of a duty (or of a unit's duties and tasks) opening
    where its sentence opens, not at a clause in the middle of it (`present.facts.
    from_sentence_start`); `records_of`: a plan's records, read only when a part needs them."""
    facts = tuple(_whole_clauses(f, records_of) for f in answer.facts)
    return answer if facts == answer.facts else answer.model_copy(update={"facts": facts})


def _whole_clauses(fact: Fact, records_of: Callable[[str], PlanRecords]) -> Fact:
    if fact.duty is not None and fact.excerpt.startswith(ELIDED):
        excerpt = from_sentence_start(fact.excerpt, strip_marker(fact.duty.text))
        return fact.model_copy(update={"excerpt": excerpt})
    if fact.kind == "unit_tasks" and any(i.startswith(ELIDED) for i in fact.items):
        rec = records_of(fact.plan)
        wholes = [strip_marker(d.text) for d in rec.duties] + [strip_marker(t.content) for t in rec.tasks]
        return fact.model_copy(update={"items": tuple(_from_its_record(i, wholes) for i in fact.items)})
    return fact


def _from_its_record(item: str, wholes: list[str]) -> str:
    body = collapse(item.removeprefix(ELIDED))
    whole = next((w for w in wholes if body in collapse(w)), None)
    return from_sentence_start(item, whole) if whole is not None else item
