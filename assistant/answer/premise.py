"""A question that states what it believes and asks to have it confirmed ("Phòng VHXH chủ
trì việc này phải không?", "hạn nộp là 30/6 đúng không?"): the claim is read apart, so
that the unit or date it names does not steer the search to the record that names them,
and the plan's fact then confirms or corrects it. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.answer.statements import canon_units
from assistant.records import Fact

# "... phải không?", "... đúng không ạ?", "có đúng là ...", "có phải là ... không"
_ASKS_CONFIRMATION = re.compile(
    r"\b(?:phai|dung)\s+(?:khong|ko|k|chua|hong)\b\s*(?:a|vay|nhi|nhe|chi|anh|em)?\s*[?.!]*\s*$"
    r"|\bco (?:dung|phai) la\b"
)
_DATE = re.compile(r"\b(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?\b")


@dataclass(frozen=True)
class Premise:
    units: tuple[str, ...]  # canonical units the asker believes are the answer
    dates: tuple[tuple[int, int, int | None], ...]  # (day, month, year or None)


def read_premise(folded: str, units: tuple[str, ...]) -> Premise | None:
    """The claim of a question asking to confirm it, or None (`units`: the canonical units
    the question names)."""
    if not _ASKS_CONFIRMATION.search(folded):
        return None
    dates = tuple(
        (int(d), int(m), int(y) if y else None)
        for d, m, y in _DATE.findall(folded)
        if 1 <= int(d) <= 31 and 1 <= int(m) <= 12
    )
    if not units and not dates:
        return None
    return Premise(units, dates)


def holds(premise: Premise, fact: Fact) -> bool | None:
    """Whether the plan's fact bears the claim out; None when the fact does not speak to it."""
    if premise.dates:
        due = _due(fact)
        if due is None:
            return None
        return any(_same_day(d, due) for d in premise.dates)
    owners = _owners(fact)
    if owners is None:
        return None
    return bool(set(premise.units) & owners)


def _owners(fact: Fact) -> set[str] | None:
    """The units the fact names in the role it states (canonical)."""
    if fact.task is not None and fact.kind in {"task_lead", "task_deadline"}:
        return set(canon_units(fact.task.lead))
    if fact.task is not None and fact.kind == "task_cooperating":
        return set(canon_units(fact.task.cooperating))
    if fact.duty is not None and fact.kind == "duty":
        return set(canon_units([fact.duty.unit]))
    if fact.duty is not None and fact.kind == "duty_cooperating":
        return set(canon_units((fact.duty.unit, *fact.duty.partners)))
    if fact.kind == "unit_tasks" and fact.unit:
        return set(canon_units([fact.unit]))
    return None


def _due(fact: Fact) -> tuple[int, int, int | None] | None:
    deadline = None
    if fact.task is not None:
        deadline = fact.task.deadline
    elif fact.kind == "report" and fact.reports:
        deadline = fact.reports[0].due
    if deadline is None:
        return None
    if isinstance(deadline.due, date):
        return deadline.due.day, deadline.due.month, deadline.due.year
    if deadline.day_of_month and deadline.month:
        return deadline.day_of_month, deadline.month, None
    return None


def _same_day(claim: tuple[int, int, int | None], due: tuple[int, int, int | None]) -> bool:
    return claim[:2] == due[:2] and (claim[2] is None or due[2] is None or claim[2] == due[2])


def without_claim(text: str, premise: Premise, mentions: tuple[str, ...]) -> str:
    """The question without what it claims: the dates, or else the units (`mentions`, as
    the question writes them); their words would pull the search to the record that names
    them, right or wrong."""
    out = _DATE.sub(" ", text) if premise.dates else text
    for m in () if premise.dates else mentions:
        out = re.sub(re.escape(m), " ", out, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", out).strip() or text
