"""Deadline phrases -> Deadline records (date, period end, recurrence). Pure functions."""

from __future__ import annotations

import calendar
import re
from datetime import date

from assistant.lang.normalize import fold
from assistant.records import Deadline

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"\bquy\s*(i{1,3}|iv|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?")
_QUARTER_RANGE = re.compile(
    r"\bquy\s*(?:i{1,3}|iv|[1-4])\s*-\s*(i{1,3}|iv|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?"
)
_DATE = re.compile(r"\b(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})\b")
_DATE_WORDS = re.compile(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\b")
_MONTH = re.compile(r"(?:\bthang\s*)?(?:(\d{1,2})\s*-\s*)?\b(\d{1,2})\s*/\s*(\d{4})\b")
_MONTH_WORDS = re.compile(r"\bthang\s+(\d{1,2})\s+nam\s+(\d{4})\b")
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_HALF = re.compile(r"\b(0?6|sau)\s+thang\s+(dau|cuoi)\s+nam\s+(\d{4})\b")
_DAY_OF_LAST_MONTH = re.compile(r"(?:truoc\s+)?ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+(?:cua\s+)?quy")
_DAY_MONTH = re.compile(r"(?:truoc\s+)?(?:ngay\s+)?(\d{1,2})\s*(?:/|\s+thang\s+)(\d{1,2})\b(?!\s*/\s*\d)")
_RECURRING = (
    (re.compile(r"\b(?:hang|hang|moi)\s+thang\b|\bhang thang\b"), "monthly"),
    (re.compile(r"\b(?:hang|moi)\s+quy\b|\bdinh ky quy\b"), "quarterly"),
    (re.compile(r"\b(?:hang|moi)\s+(?:6|sau)\s+thang\b"), "halfyearly"),
    (re.compile(r"\b(?:hang|moi)\s+nam\b"), "yearly"),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


def parse_deadline(raw: str, year: int | None = None) -> Deadline | None:
    """Read a deadline as written in a plan; `year` fills in phrases without one."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    if not text:
        return None
    f = fold(text)
    for parser in (
        _ongoing,
        _relative_rule,
        _quarterly_rule,
        _exact_date,
        _quarter,
        _half,
        _month,
        _year_only,
        _recurring,
        _day_month_rule,
    ):
        found = parser(text, f, year)
        if found:
            return found
    return Deadline(raw=text, kind="unknown")


def _ongoing(text, f, year):
    if re.search(r"\bthuong xuyen\b|\blien tuc\b", f):
        return Deadline(raw=text, kind="ongoing")
    return None


def _relative_rule(text, f, year):
    if re.search(
        r"\btheo (?:lo trinh|thoi gian|ke hoach|quy dinh|huong dan|tien do)|\bkhi co\b", f
    ) and not re.search(r"\d{4}", f):
        return Deadline(raw=text, kind="relative")
    return None


def _quarterly_rule(text, f, year):
    m = _DAY_OF_LAST_MONTH.search(f)
    if m:
        return Deadline(raw=text, kind="recurring", recurrence="quarterly", day_of_month=int(m.group(1)))
    return None


def _exact_date(text, f, year):
    m = _DATE.search(f) or _DATE_WORDS.search(f)
    if m:
        due = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if due:
            return Deadline(raw=text, kind="date", due=due)
    return None


def _quarter(text, f, year):
    span = _QUARTER_RANGE.search(f)
    if span and (span.group(2) or year):  # "Quý I-IV năm 2025": due by the end of the last quarter
        q = _ROMAN.get(span.group(1)) or int(span.group(1))
        return Deadline(raw=text, kind="quarter", due=quarter_end(int(span.group(2) or year), q))
    m = _QUARTER.search(f)
    if m and (m.group(2) or year):
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        return Deadline(raw=text, kind="quarter", due=quarter_end(int(m.group(2) or year), q))
    if re.search(r"\bhang\s+quy\b|\bmoi\s+quy\b", f):
        return Deadline(raw=text, kind="recurring", recurrence="quarterly")
    return None


def _half(text, f, year):
    m = _HALF.search(f)
    if m:
        y = int(m.group(3))
        return Deadline(
            raw=text, kind="halfyear", due=date(y, 6, 30) if m.group(2) == "dau" else date(y, 12, 31)
        )
    return None


def _month(text, f, year):
    m = _MONTH_WORDS.search(f)
    if m:
        return Deadline(raw=text, kind="month", due=_month_end(int(m.group(2)), int(m.group(1))))
    m = _MONTH.search(f)
    if m and 1 <= int(m.group(2)) <= 12:
        return Deadline(raw=text, kind="month", due=_month_end(int(m.group(3)), int(m.group(2))))
    return None


def _year_only(text, f, year):
    m = _YEAR.search(f)
    if m and not re.search(r"\b(?:hang|moi)\s+nam\b", f):
        return Deadline(raw=text, kind="year", due=date(int(m.group(1)), 12, 31))
    return None


def _recurring(text, f, year):
    for pattern, recurrence in _RECURRING:
        if pattern.search(f):
            return Deadline(raw=text, kind="recurring", recurrence=recurrence)
    return None


def _day_month_rule(text, f, year):
    """ "trước ngày 08/12" or "trước 10 tháng 12": a yearly date."""
    m = _DAY_MONTH.search(f)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(1)) <= 31:
        day, month = int(m.group(1)), int(m.group(2))
        due = _safe_date(year, month, day) if year else None
        return Deadline(
            raw=text, kind="recurring", recurrence="yearly", day_of_month=day, month=month, due=due
        )
    return None


def occurrences(deadline: Deadline, year: int) -> list[date]:
    """Concrete due dates of a deadline within `year` (recurring rules expanded)."""
    if deadline.kind == "recurring":
        day = deadline.day_of_month
        if deadline.recurrence == "quarterly":
            return [
                d for m in (3, 6, 9, 12) if (d := _safe_date(year, m, day or calendar.monthrange(year, m)[1]))
            ]
        if deadline.recurrence == "halfyearly":
            return [d for m in (6, 12) if (d := _safe_date(year, m, day or calendar.monthrange(year, m)[1]))]
        if deadline.recurrence == "monthly":
            return [
                d for m in range(1, 13) if (d := _safe_date(year, m, day or calendar.monthrange(year, m)[1]))
            ]
        if deadline.recurrence == "yearly" and deadline.month:
            d = _safe_date(year, deadline.month, day or 1)
            return [d] if d else []
        if deadline.recurrence == "yearly":
            return [date(year, 12, 31)]
        return []
    return [deadline.due] if deadline.due else []
