"""What was read from one plan, as an official checks it before trusting the assistant
with it: place, period, counts, and the doubts (rows read without their lead unit or
deadline, group counts that differ, no place or period recognised). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.parse.tsv import parse_tsv_tables
from assistant.records import Doubt, PlanRecords


@dataclass(frozen=True)
class PlanSummary:
    id: str
    file: str
    place: str
    period: str
    tasks: int
    duties: int
    reports: int
    targets: int
    incomplete_rows: int = 0
    warnings: tuple[Doubt, ...] = ()

    @classmethod
    def of(cls, rec: PlanRecords, text: str | None = None) -> PlanSummary:
        rows, other = plan_doubts(rec, text)
        p = rec.plan
        return cls(
            p.id,
            p.file,
            p.place,
            p.period,
            len(rec.tasks),
            len(rec.duties),
            len(rec.reports),
            len(rec.targets),
            len(rows),
            tuple(rows + other),
        )


def plan_doubts(rec: PlanRecords, text: str | None) -> tuple[list[Doubt], list[Doubt]]:
    """(rows or tasks not read fully, other doubts); `text` is the plan's text, to compare
    the counts its table groups state with the rows read."""
    rows = list(rec.warnings)
    warned = {d.line for d in rows}
    for t in rec.tasks:
        if t.span.line_start not in warned and (not t.lead or t.deadline is None):
            missing = tuple(x for x, ok in (("lead", t.lead), ("deadline", t.deadline)) if not ok)
            rows.append(Doubt(kind="task_incomplete", line=t.span.line_start, label=t.label, missing=missing))
    other = []
    for group in parse_tsv_tables(text) if text else []:
        if group.stated_count is not None and group.stated_count != len(group.rows):
            other.append(
                Doubt(kind="group_count", group=group.title, stated=group.stated_count, read=len(group.rows))
            )
    if not rec.plan.place:
        other.append(Doubt(kind="no_place"))
    if not rec.plan.period:
        other.append(Doubt(kind="no_period"))
    if not (rec.tasks or rec.duties or rec.reports or rec.targets):
        other.append(Doubt(kind="nothing_read"))
    return rows, other
