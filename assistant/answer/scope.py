"""Abstention before search: a question about a commune, ward or year for which no plan is
loaded. Pure."""

from __future__ import annotations

import re

from assistant.answer.question import Question
from assistant.lang.normalize import fold
from assistant.records import MissingPlan

# A year the question asks about: "năm 2024", "kế hoạch 2025", "KH 2024", "CCHC 2024";
# not a year inside a reference ("ISO 9001:2015", "NĐ 186/2025").
_YEAR = re.compile(r"(?<![:/\d])\b(?:nam|ke hoach|kh|cchc)\s+(20\d\d)\b(?![/\d])")


def asked_years(folded: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(folded)}


def plan_years(period: str) -> set[int]:
    return {int(y) for y in re.findall(r"20\d\d", period)}


def missing_plan(q: Question, places: dict[str, str], periods: dict[str, str]) -> MissingPlan | None:
    """What the question names that no loaded plan covers (a place: "xã Tân Phú"; a year,
    of the places it names: 2024 of xã Thái Tân), or None."""
    named = [p for p in q.plan_ids if fold(places[p].split(" ", 1)[-1]) in q.folded]
    if q.unknown_place and not named:
        return MissingPlan(place=q.unknown_place)
    years = asked_years(q.folded)
    if not years:
        return None
    scope = q.plan_ids or tuple(places)
    covered = set().union(*(plan_years(periods[p]) for p in scope))
    if covered and not years & covered:
        return MissingPlan(years=tuple(sorted(years)), of_places=tuple(places[p] for p in q.plan_ids))
    return None
