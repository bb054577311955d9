"""Candidate statements: what one ranked passage could answer, one statement per kind of
fact its records (or its sentences) can state. Every statement is produced whatever the
question's detected intent; which one answers is decided by the scoring stage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lang.normalize import fold
from assistant.lang.units import canonical_unit
from assistant.records import Block, Duty, Fact, PlanRecords, Report, Target, Task

# The kinds of statement and the question intents each one naturally answers.
KINDS: dict[str, tuple[str, ...]] = {
    "task_lead": ("lead_unit",),
    "task_cooperating": ("cooperating_units",),
    "task_deadline": ("deadline", "report_deadline"),
    "duty": ("lead_unit", "unit_duties", "general"),
    "duty_cooperating": ("cooperating_units",),
    "report": ("report_deadline", "deadline"),
    "report_frequency": ("report_deadline", "deadline"),
    "target": ("target",),
    "sentence": ("general",),
    "identity": ("general",),
    "unit_tasks": ("unit_duties",),
    "basis": ("general",),
    "signer": ("general", "lead_unit"),
    "recipients": ("general", "report_deadline"),
    "section": ("general",),
}
_REPORT_KIND_Q = re.compile(r"\b(?:bao cao|bc)\s+(quy|6 thang|sau thang|nam|thang)\b")


@dataclass
class Statement:
    kind: str
    fact: Fact
    plan: str
    passage: int  # the ranked passage it comes from
    blocks: tuple[Block, ...]  # what to quote
    basis: str  # the plan text the fact rests on (for coverage)
    units: tuple[str, ...] = ()  # canonical units the fact is about: leads first
    leads: int = 0  # how many of `units` lead (or own the duty)
    empty: bool = False  # the field the kind states is not given in the plan
    report_kind: int = 0  # +1 the report the question names, -1 another one
    text: str = ""  # the fact as the user reads it (set by `stated`; scored for coverage)


def stated(st: Statement, say) -> Statement:
    """The statement with its wording: `say(fact)`, injected by whoever assembles the
    answering (the wording is the presentation layer's, and scoring reads it)."""
    st.text = say(st.fact)
    return st


def canon_units(names) -> tuple[str, ...]:
    return tuple(dict.fromkeys(canonical_unit(n) or n for n in names))


def asked_report_kind(folded_question: str) -> str | None:
    m = _REPORT_KIND_Q.search(folded_question)
    return m.group(1).replace("sau", "6") if m else None


def task_statements(task: Task, plan: str, passage: int, block: Block) -> list[Statement]:
    leads = canon_units(task.lead)
    units = leads + tuple(u for u in canon_units(task.cooperating) if u not in leads)
    common = dict(
        plan=plan, passage=passage, blocks=(block,), basis=task.content, units=units, leads=len(leads)
    )
    return [
        Statement(
            "task_lead",
            Fact(kind="task_lead", plan=plan, task=task),
            empty=not task.lead,
            **common,
        ),
        Statement(
            "task_cooperating",
            Fact(kind="task_cooperating", plan=plan, task=task),
            empty=not task.cooperating,
            **common,
        ),
        Statement(
            "task_deadline",
            Fact(kind="task_deadline", plan=plan, task=task),
            empty=task.deadline is None,
            **common,
        ),
    ]


def duty_statements(
    duty: Duty, named_units: tuple[str, ...], excerpt: str, plan: str, passage: int, blocks: tuple[Block, ...]
) -> list[Statement]:
    """`excerpt`: the part of the duty the question is about; `blocks`: the duty's own
    block, then the heading that names its unit, if any."""
    units = canon_units((duty.unit, *duty.partners))
    common = dict(plan=plan, passage=passage, blocks=blocks, basis=excerpt or duty.text, units=units, leads=1)
    return [
        Statement("duty", Fact(kind="duty", plan=plan, duty=duty, excerpt=excerpt), **common),
        Statement(
            "duty_cooperating",
            Fact(kind="duty_cooperating", plan=plan, duty=duty, named_units=named_units, excerpt=excerpt),
            empty=not (duty.partners or duty.role == "cooperate"),
            **common,
        ),
    ]


def report_statements(
    reports: list[Report], folded_question: str, plan: str, passage: int, block: Block
) -> list[Statement]:
    asked = asked_report_kind(folded_question)

    def kind_of(r: Report) -> str:
        return fold(r.what.replace("Báo cáo", "")).strip().replace("sau", "6")

    def match(r: Report) -> int:
        if not asked:
            return 0
        return 1 if kind_of(r).endswith(asked) else -1

    asked_words = set(re.findall(r"\w+", folded_question))

    def score(r: Report) -> float:
        """The report kind asked for, then the share of the recipient's words the question
        has (whole words: "Hòa" of a place's name is not "hóa" of a unit's)."""
        words = [w for w in fold(r.recipient).split() if len(w) > 2 and w not in {"ban", "nhan", "dan"}]
        named = sum(w in asked_words for w in words) / len(words) if words else 0.0
        return 2.0 * match(r) + named

    best = max(reports, key=score)
    common = dict(plan=plan, passage=passage, blocks=(block,), basis=best.text)
    dated = bool(best.due and (best.due.day_of_month or best.due.due))
    return [
        Statement(
            "report",
            Fact(kind="report", plan=plan, reports=(best,)),
            empty=not dated or match(best) < 0,  # another report's day is not the asked one's
            report_kind=match(best),
            **common,
        ),
        Statement(
            "report_frequency",
            Fact(kind="report_frequency", plan=plan, reports=tuple(reports)),
            empty=not any(r.frequency for r in reports) or max(match(r) for r in reports) < 0,
            report_kind=max(match(r) for r in reports),
            **common,
        ),
    ]


def target_statement(
    target: Target, plan: str, passage: int, block: Block, row: Task | None = None
) -> Statement:
    """`row`: the task row the target is set in, whose lead, partners and deadline belong
    to the target's whole fact."""
    units = ()
    if row is not None:
        leads = canon_units(row.lead)
        units = leads + tuple(u for u in canon_units(row.cooperating) if u not in leads)
    return Statement(
        "target",
        Fact(kind="target", plan=plan, target=target, task=row),
        plan=plan,
        passage=passage,
        blocks=(block,),
        basis=target.indicator,
        units=units,
        leads=len(canon_units(row.lead)) if row is not None else 0,
    )


def sentence_statement(sentence: str, intent: str, plan: str, passage: int, block: Block) -> Statement:
    return Statement(
        "sentence",
        Fact(kind="sentence", plan=plan, excerpt=sentence, intent=intent),
        plan=plan,
        passage=passage,
        blocks=(block,),
        basis=sentence,
    )


def identity_statement(rec: PlanRecords, passage: int) -> Statement | None:
    """The plan's number and date, quoting the opening blocks that carry them."""
    keys = [k for k in (rec.plan.number, rec.plan.date) if k]
    if not keys:
        return None
    blocks = []
    for block in rec.blocks:
        if block.section:
            break
        flat = re.sub(r"\s+", "", block.text)
        if any(k.split("/")[0] in flat for k in keys) and re.search(r"số|ngày", block.text, re.I):
            blocks.append(block)
    if not blocks:
        return None
    return Statement(
        "identity",
        Fact(kind="identity", plan=rec.plan.id, identity=rec.plan),
        plan=rec.plan.id,
        passage=passage,
        blocks=tuple(blocks[:2]),
        basis=" ".join(b.text for b in blocks[:2]),
    )


def excerpt(text: str, score) -> str:
    """The clause of `text` that `score` rates best, with what follows it, when it is not
    the opening one; the opening otherwise ("" means: the text as it is)."""
    parts = sentences(text)
    if len(parts) < 2:
        return ""
    scores = [score(p) for p in parts]
    best = max(range(len(parts)), key=lambda i: scores[i])
    if best == 0 or scores[best] <= scores[0]:
        return ""
    return "… " + " ".join(parts[best:])


def sentences(text: str, whole: bool = False) -> list[str]:
    split = r"(?<=[.!?])\s+(?=\S)" if whole else r"(?<=[.;!?])\s+(?=\S)"
    return [s for s in re.split(split, text) if s.strip()] or [text]
