"""The corpus handle every front end uses: the plans' records as the index holds them,
with the files that could not be read, and the lookups by plan and unit. One way to find
a plan by what a user types (`find_plans`). Pure over records; nothing is re-parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.lang.normalize import fold, has_diacritics
from assistant.lang.units import canonical_unit, unit_matches
from assistant.read.load import LoadError
from assistant.records import Duty, PlanRecords, Task


def find_plans(plans: list[PlanRecords], key: str) -> list[PlanRecords]:
    """Plans named by `key`: id or file name first, then place (with or without
    diacritics), then a part of a place."""
    k = fold(key).strip()
    if not k:
        return []
    exact = [r for r in plans if k in {fold(r.plan.id), fold(r.plan.file), fold(Path(r.plan.file).stem)}]
    if exact:
        return exact
    found = [r for r in plans if r.plan.place and fold(r.plan.place) == k]
    found = found or [r for r in plans if r.plan.place and k in fold(r.plan.place)]
    if has_diacritics(key):  # "xã Thạnh An" names that plan, not xã Thanh An's
        return [r for r in found if key.strip().lower() in r.plan.place.lower()] or found
    return found


@dataclass(frozen=True)
class UnitPlanView:
    """What one unit owes in one plan: its duties, the tasks it leads and those it joins."""

    plan: PlanRecords
    duties: tuple[Duty, ...]
    leads: tuple[Task, ...]
    joins: tuple[Task, ...]


def unit_view(plans: list[PlanRecords], name: str) -> tuple[str, list[UnitPlanView]]:
    """The canonical name of the unit written as `name` (any alias, with or without
    diacritics) and, per plan that names it, its duties and tasks."""
    canonical = canonical_unit(name) or name.strip()
    views = []
    for rec in plans:
        duties = tuple(d for d in rec.duties if unit_matches(d.unit, name))
        leads = tuple(t for t in rec.tasks if any(unit_matches(u, name) for u in t.lead))
        joins = tuple(
            t for t in rec.tasks if t not in leads and any(unit_matches(u, name) for u in t.cooperating)
        )
        if duties or leads or joins:
            views.append(UnitPlanView(rec, duties, leads, joins))
    return canonical, views


@dataclass
class Library:
    plans: list[PlanRecords]
    errors: list[LoadError] = field(default_factory=list)

    def find(self, key: str) -> list[PlanRecords]:
        """The plans `key` names (`find_plans`)."""
        return find_plans(self.plans, key)

    def plan(self, key: str) -> PlanRecords | None:
        """A plan by id, file name or place, with or without diacritics."""
        found = self.find(key)
        return found[0] if found else None

    def select(self, plan: str | None) -> list[PlanRecords]:
        """Every plan, or the one `plan` names (none when it names none)."""
        if not plan:
            return self.plans
        found = self.plan(plan)
        return [found] if found else []

    def tasks(self, plan: str | None = None, unit: str | None = None) -> list[Task]:
        return [
            t
            for p in self.select(plan)
            for t in p.tasks
            if not unit or any(unit_matches(u, unit) for u in t.lead + t.cooperating)
        ]

    def duties(self, plan: str | None = None, unit: str | None = None) -> list[Duty]:
        return [d for p in self.select(plan) for d in p.duties if not unit or unit_matches(d.unit, unit)]

    def units(self, plan: str | None = None) -> dict[str, set[str]]:
        """Canonical unit name (or the name as written) -> plan ids that name it."""
        seen: dict[str, set[str]] = {}
        for p in self.select(plan):
            names = [u for t in p.tasks for u in t.lead + t.cooperating] + [d.unit for d in p.duties]
            for name in names:
                seen.setdefault(canonical_unit(name) or name, set()).add(p.plan.id)
        return seen

    def unit(self, name: str) -> tuple[str, list[UnitPlanView]]:
        return unit_view(self.plans, name)
