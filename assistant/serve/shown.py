"""What an answer shows beyond what the answering stage chose: the plans it leaves out for
room, and each stated part of a duty read from the start of its sentence. Pure given the
answering state and the plans' records."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer.compose import MORE_PLANS_RATIO
from assistant.answer.pipeline import Answerer, Gathered
from assistant.lang.normalize import collapse
from assistant.parse.extract import strip_marker
from assistant.present.facts import ELIDED, from_sentence_start
from assistant.records import Answer, Fact, PlanRecords


def naming_plans(answer: Answer, gathered: Gathered, answerer: Answerer) -> Answer:
    """A question that names no commune (none at all, or "xã" alone: every commune's plans) is
    answered from the best plans only (`compose.select` states at most a few; one when the
    question names a kind of unit); each fact then names its place, and the other plans whose
    best statement scores as well, by the ratio select states another plan's answer at, are
    named on the answer (`also_plans`), best first."""
    q = gathered.question
    if not answer.found or q is None or (q.plan_ids and not q.by_kind) or not gathered.candidates:
        return answer
    if q.by_kind:
        answer = answer.model_copy(update={"named_plan": False})
    probs = answerer.model.probabilities([c.features for c in gathered.candidates])
    floor = MORE_PLANS_RATIO * max(probs)
    best: dict[str, float] = {}
    for cand, prob in zip(gathered.candidates, probs):
        plan = cand.statement.plan
        if plan not in answer.plans and prob >= floor:
            best[plan] = max(prob, best.get(plan, 0.0))
    if not best:
        return answer
    also = tuple(sorted(best, key=lambda p: -best[p]))
    places = tuple(answerer.catalog.places[p] for p in also)
    return answer.model_copy(update={"also_plans": also, "also_places": places})


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
