"""The overview for those who oversee several communes: per commune of a province or
district, its plan for the period (number, period, how many tasks, duties, reports and
targets it sets, the report deadlines of the coming days), the targets several plans
share side by side (`topics`), and the communes with no plan for the period.

The period is a year: the one given, else the year most plans in scope are for (the
later year on a tie). A commune is a place with its province and district as its plans
write them; one whose plans are all of other years gets a row without a plan. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.due.schedule import DueItem, upcoming
from assistant.due.topics import Topic, shared_topics
from assistant.lang.normalize import fold, has_diacritics
from assistant.records import PlanRecords

DEFAULT_DAYS = 30
_LEVEL = re.compile(r"^(?:tinh|thanh pho|tp\.?|huyen|thi xa|quan)\s+")


@dataclass(frozen=True)
class Commune:
    place: str  # "xã Thạnh An"
    province: str = ""
    district: str = ""


@dataclass(frozen=True)
class Row:
    """One commune and its plan for the period (None: it has none; `other_periods` then
    names the periods of the plans it has)."""

    commune: Commune
    plan: PlanRecords | None
    reports_due: tuple[DueItem, ...] = ()  # its reports due in the coming days, by date
    undated_reports: bool = False  # it asks for reports but states no day to send them by
    values: tuple[tuple[str, ...], ...] = ()  # per topic: its values as written (() none)
    other_periods: tuple[str, ...] = ()

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """Tasks, duties, reports and targets the plan sets (zeros without a plan)."""
        p = self.plan
        return (len(p.tasks), len(p.duties), len(p.reports), len(p.targets)) if p else (0, 0, 0, 0)


@dataclass(frozen=True)
class Overview:
    year: int | None  # the period (None: no plan in scope states a year; every plan is shown)
    today: date
    days: int
    province: str  # the scope as asked ("" every province)
    district: str
    rows: tuple[Row, ...]
    topics: tuple[Topic, ...]

    @property
    def with_plan(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.plan is not None)

    @property
    def missing(self) -> tuple[Row, ...]:
        """The communes in scope that have plans of other periods but none of this one."""
        return tuple(r for r in self.rows if r.plan is None)

    @property
    def reports_due(self) -> tuple[DueItem, ...]:
        return tuple(sorted((i for r in self.rows for i in r.reports_due), key=lambda i: (i.due, i.plan)))


def in_scope(plans: Sequence[PlanRecords], province: str = "", district: str = "") -> list[PlanRecords]:
    """The plans of a province and/or district, named with or without its level ("tỉnh",
    "thành phố", "huyện") and diacritics (with them, only that spelling when one has it)."""
    chosen = list(plans)
    for key, field in ((province, "province"), (district, "district")):
        if key.strip():
            chosen = _named(chosen, key, field)
    return chosen


def _named(plans: list[PlanRecords], key: str, field: str) -> list[PlanRecords]:
    name = _LEVEL.sub("", fold(key).strip())
    found = [r for r in plans if _LEVEL.sub("", fold(getattr(r.plan, field))) == name]
    if has_diacritics(key):
        exact = key.strip().lower()
        return [r for r in found if getattr(r.plan, field).lower().endswith(exact)] or found
    return found


def period_year(plans: Sequence[PlanRecords]) -> int | None:
    """The year most of these plans are for; the later one on a tie; None when none says."""
    years = Counter(r.plan.year for r in plans if r.plan.year)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def build_overview(
    plans: Sequence[PlanRecords],
    today: date,
    *,
    province: str = "",
    district: str = "",
    year: int | None = None,
    days: int = DEFAULT_DAYS,
) -> Overview:
    """The overview of the plans in scope for `year` (default: `period_year`)."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days!r}")
    scoped = in_scope(plans, province, district)
    year = year if year is not None else period_year(scoped)
    current = [r for r in scoped if year is None or r.plan.year == year]
    topics = tuple(shared_topics(current))
    due = [i for i in upcoming(current, today, days=days, include_overdue=False) if i.kind == "report"]
    rows = [
        Row(
            commune=_commune(rec),
            plan=rec,
            reports_due=tuple(i for i in due if i.plan == rec.plan.id),
            undated_reports=bool(rec.reports) and not _dated_reports(rec),
            values=tuple(t.values(rec.plan.id) for t in topics),
        )
        for rec in current
    ]
    having = {_commune(r) for r in current}
    others: dict[Commune, list[str]] = {}
    for rec in scoped:
        if _commune(rec) not in having and rec.plan.place:
            others.setdefault(_commune(rec), []).append(rec.plan.period)
    rows += [
        Row(commune=c, plan=None, values=tuple(() for _ in topics), other_periods=tuple(dict.fromkeys(p)))
        for c, p in others.items()
    ]
    rows.sort(key=_order)
    return Overview(year, today, days, province.strip(), district.strip(), tuple(rows), topics)


def _dated_reports(rec: PlanRecords) -> bool:
    """Whether any report of the plan states a day to send it by."""
    return any(r.due and (r.due.due or r.due.day_of_month) for r in rec.reports)


def _commune(rec: PlanRecords) -> Commune:
    return Commune(rec.plan.place, rec.plan.province, rec.plan.district)


def _order(row: Row) -> tuple:
    """By province, district and commune name (without their levels); those whose plans
    name no province or district after the others."""
    c = row.commune
    above = [_LEVEL.sub("", fold(x)) for x in (c.province, c.district)]
    name = fold(c.place.split(" ", 1)[-1]) if c.place else ""
    plan = row.plan.plan if row.plan else None
    key = (plan.period, plan.id) if plan else ("", "")
    return (not above[0], above[0], not above[1], above[1], name, c.place, *key)
