"""A follow-up that asks another field of the record the last answer stated ("còn phối
hợp?" after "Ai chủ trì …?") is answered from that record itself, not searched again:
the conversation has already settled which task or duty it is about. Pure given the
plan's records and source text."""

from __future__ import annotations

from assistant.answer.compose import cite
from assistant.records import Answer, Block, Duty, Fact, PlanRecords, Task

# intent -> (kind of fact, the task's field it states)
_TASK_FIELDS = {
    "lead_unit": ("task_lead", "lead"),
    "cooperating_units": ("task_cooperating", "cooperating"),
    "deadline": ("task_deadline", "deadline"),
}


def record_of(answer: Answer) -> str:
    """The id of the one task or duty an answer stated, or "" (several facts, or none)."""
    if len(answer.facts) != 1:
        return ""
    fact = answer.facts[0]
    record = fact.task or fact.duty
    return record.id if record is not None else ""


def restate(
    rec: PlanRecords, sources: dict[str, str], record: str, question: str, intent: str
) -> Answer | None:
    """The answer to `question` (asking `intent`) from the record `record` of the plan
    `rec`, or None when that record does not state what is asked."""
    task = next((t for t in rec.tasks if t.id == record), None)
    duty = next((d for d in rec.duties if d.id == record), None)
    fact = _task_fact(task, intent) if task else _duty_fact(duty, intent) if duty else None
    if fact is None:
        return None
    held = task or duty
    text = held.content if isinstance(held, Task) else held.text
    block = Block(kind="item", text=text, section=held.section, span=held.span)
    return Answer(
        question=question,
        found=True,
        intent=intent,
        facts=(fact.model_copy(update={"place": rec.plan.place}),),
        named_plan=True,
        citations=(cite(sources, rec, block),),
        plans=(rec.plan.id,),
        places=(rec.plan.place,),
    )


def _task_fact(task: Task, intent: str) -> Fact | None:
    if intent not in _TASK_FIELDS:
        return None
    kind, field = _TASK_FIELDS[intent]
    return Fact(kind=kind, plan=task.plan, task=task) if getattr(task, field) else None


def _duty_fact(duty: Duty, intent: str) -> Fact | None:
    if intent == "cooperating_units" and duty.partners:
        return Fact(kind="duty_cooperating", plan=duty.plan, duty=duty)
    if intent == "lead_unit" and duty.role == "lead":
        return Fact(kind="duty", plan=duty.plan, duty=duty)
    return None
