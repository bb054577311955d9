"""The deadline calendar: every concrete due date in the plans, and the views of it that the
CLI and the bot show (upcoming, overdue, the daily digest). Pure functions over records.

A due date is only ever one the plan states or implies by its own words:
- a task dated "31/01/2026" is due that day; "Tháng 01/2026", "Quý 4/2026", "Năm 2026"
  at the period's end (`Deadline.due` already holds it);
- a recurring task ("Hàng Quý") at each quarter end of the plan's year;
- a report rule with a day ("trước ngày 08 tháng cuối của quý", "trước ngày 08/12") on each
  of its dates in the plan's year; a report without a stated day ("định kỳ quý") has none;
- "Thường xuyên", "theo thời gian Sở Nội vụ quy định" and unreadable deadlines never fall due.
Recurring dates are kept only inside the plan's period ("sáu tháng cuối năm 2025": Jul–Dec).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from assistant.index.library import find_plans
from assistant.lang.normalize import collapse, fold, short
from assistant.lang.units import canonical_unit, unit_matches
from assistant.parse.deadlines import occurrences
from assistant.parse.extract import strip_marker
from assistant.records import Deadline, PlanRecords, Report, Task

TIMEZONE = "Asia/Ho_Chi_Minh"
DIGEST_DAYS = (0, 1, 3, 7)  # the digest names items due today and in 1, 3 and 7 days
_NEVER_DUE = {"ongoing", "relative", "unknown"}
_OUTSIDE_BODY = re.compile(r"^(?:so\b|(?:ubnd|uy ban nhan dan)\s+(?:tinh|thanh pho|huyen)\b)")


@dataclass(frozen=True)
class DueItem:
    due: date
    what: str  # task content or "Báo cáo quý ..." (short, Vietnamese, the plan's words)
    lead: tuple[str, ...]  # lead units (for reports: the units that must send it, or () for all)
    plan: str  # plan id
    plan_title: str
    kind: str  # "task" | "report"
    overdue: bool  # due < today (only items of the plan's own period are listed as overdue)
    lines: tuple[int, int]  # source lines
    quote: str  # the source passage text (plan's own words)
    section: str


def today_in_vietnam() -> date:
    return datetime.now(ZoneInfo(TIMEZONE)).date()


# ------------------------------------------------------------------ the calendar


def calendar_items(plans: list[PlanRecords]) -> list[DueItem]:
    """Every concrete due date of every plan (overdue False), sorted by date."""
    items: list[DueItem] = []
    for rec in plans:
        items.extend(_task_items(rec))
        items.extend(_report_items(rec))
    return sorted(items, key=_order)


def plan_period(rec: PlanRecords) -> tuple[date, date] | None:
    """First and last day of the plan's period: the year, or its first or last six months."""
    year = rec.plan.year
    if not year:
        return None
    f = fold(rec.plan.period)
    if re.search(r"\b(?:6|06|sau)\s+thang\s+dau\b", f):
        return date(year, 1, 1), date(year, 6, 30)
    if re.search(r"\b(?:6|06|sau)\s+thang\s+cuoi\b", f):
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _task_items(rec: PlanRecords) -> Iterator[DueItem]:
    blocks = {b.span.start: b for b in rec.blocks}
    for task in rec.tasks:
        block = blocks.get(task.span.start)
        quote = collapse(block.text) if block else collapse(task.content)
        for due in _task_dates(task.deadline, rec):
            yield _item(rec, task, due, short(strip_marker(task.content), 200), task.lead, "task", quote)


def _task_dates(deadline: Deadline | None, rec: PlanRecords) -> list[date]:
    if deadline is None or deadline.kind in _NEVER_DUE:
        return []
    if deadline.kind == "recurring":
        return _recurring_dates(deadline, rec)
    return [deadline.due] if deadline.due else []


def _report_items(rec: PlanRecords) -> Iterator[DueItem]:
    for report in rec.reports:
        deadline = report.due
        if deadline is None or deadline.kind in _NEVER_DUE:
            continue
        if deadline.kind == "recurring" and not deadline.day_of_month:
            continue  # "báo cáo định kỳ quý" without a day: the plan states no date
        dates = _recurring_dates(deadline, rec) if deadline.kind == "recurring" else [deadline.due]
        for due in dates:
            if due:
                yield _item(
                    rec,
                    report,
                    due,
                    _report_what(report),
                    _report_lead(report),
                    "report",
                    collapse(report.text),
                )


def _recurring_dates(deadline: Deadline, rec: PlanRecords) -> list[date]:
    period = plan_period(rec)
    if not period:
        return []
    return [d for d in occurrences(deadline, rec.plan.year) if period[0] <= d <= period[1]]


def _report_what(report: Report) -> str:
    what = report.what
    if report.recipient:
        what += f" gửi {report.recipient}"
    if report.via and not _report_lead(report):
        what += f" (qua {report.via})"
    return what


def _report_lead(report: Report) -> tuple[str, ...]:
    """Who sends it: the unit that compiles a report for a body outside the commune
    ("... qua phòng văn hóa, xã hội để tổng hợp báo cáo sở Nội vụ"); otherwise every unit."""
    if report.via and _OUTSIDE_BODY.match(fold(report.recipient)):
        return (canonical_unit(report.via) or report.via,)
    return ()


def _item(
    rec: PlanRecords,
    source: Task | Report,
    due: date,
    what: str,
    lead: tuple[str, ...],
    kind: str,
    quote: str,
) -> DueItem:
    return DueItem(
        due=due,
        what=what,
        lead=tuple(lead),
        plan=rec.plan.id,
        plan_title=rec.plan.title,
        kind=kind,
        overdue=False,
        lines=(source.span.line_start, source.span.line_end),
        quote=quote,
        section=" > ".join(source.section),
    )


def _order(item: DueItem) -> tuple:
    return item.due, item.plan, item.lines, item.kind, item.what


# ------------------------------------------------------------------ views


def select_items(plans: list[PlanRecords], unit: str | None = None, plan: str | None = None) -> list[DueItem]:
    """The whole calendar of one plan (id or place, with or without diacritics) and/or one unit.

    A unit keeps the items it leads, and the reports every unit of a plan must send
    (lead ()) in the plans that name that unit. An unknown plan gives no items."""
    chosen = _plans(plans, plan)
    items = calendar_items(chosen)
    if unit and unit.strip():
        naming = {rec.plan.id for rec in chosen if _plan_names_unit(rec, unit)}
        items = [
            i
            for i in items
            if any(_unit_matches(name, unit) for name in i.lead)
            or (i.kind == "report" and not i.lead and i.plan in naming)
        ]
    return items


def upcoming(
    plans: list[PlanRecords],
    today: date,
    days: int = 30,
    unit: str | None = None,
    plan: str | None = None,
    include_overdue: bool = True,
) -> list[DueItem]:
    """Items due from `today` to `today + days`, by date; after them (when `include_overdue`)
    the items already past due, flagged overdue, of plans whose period is the current year."""
    if days < 0:
        raise ValueError(f"days must be 0 or more, got {days!r}")
    items = select_items(plans, unit=unit, plan=plan)
    end = today + timedelta(days=days)
    ahead = [i for i in items if today <= i.due <= end]
    if not include_overdue:
        return ahead
    periods = {rec.plan.id: plan_period(rec) for rec in plans}
    late = [
        replace(i, overdue=True)
        for i in items
        if i.due < today and _in_current_period(i, periods.get(i.plan), today)
    ]
    return ahead + late


def digest_items(plans: list[PlanRecords], today: date, unit: str | None = None) -> list[DueItem]:
    """Items due exactly today and in 1, 3 and 7 days (the morning reminder), by date."""
    wanted = {today + timedelta(days=n) for n in DIGEST_DAYS}
    return [i for i in select_items(plans, unit=unit) if i.due in wanted]


def _in_current_period(item: DueItem, period: tuple[date, date] | None, today: date) -> bool:
    return bool(period) and period[0].year == today.year and period[0] <= item.due <= period[1]


def _plans(plans: list[PlanRecords], key: str | None) -> list[PlanRecords]:
    if not key or not key.strip():
        return list(plans)
    return find_plans(list(plans), key)[:1]


_unit_matches = lru_cache(maxsize=4096)(unit_matches)  # the same names recur across items


def _plan_names_unit(rec: PlanRecords, unit: str) -> bool:
    names = [u for t in rec.tasks for u in t.lead + t.cooperating]
    names += [d.unit for d in rec.duties] + [r.via for r in rec.reports if r.via]
    return any(_unit_matches(name, unit) for name in names)
