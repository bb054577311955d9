"""The loaded corpus: every plan's records, with lookups by plan and unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.read.load import LoadError, SourceDoc, load_corpus
from assistant.parse.plan import parse_plan
from assistant.records import Duty, PlanRecords, Task
from assistant.lang.normalize import fold
from assistant.lang.units import canonical_unit, unit_matches


@dataclass
class Library:
    plans: list[PlanRecords]
    sources: dict[str, SourceDoc]
    errors: list[LoadError] = field(default_factory=list)

    def plan(self, key: str) -> PlanRecords | None:
        """A plan by id, file name or place, with or without diacritics."""
        k = fold(key).strip()
        for p in self.plans:
            if k in {fold(p.plan.id), fold(p.plan.file), fold(p.plan.place)} or (
                k and k in fold(p.plan.place)
            ):
                return p
        return None

    def tasks(self, plan: str | None = None, unit: str | None = None) -> list[Task]:
        out = []
        for p in self._select(plan):
            for t in p.tasks:
                if unit and not any(unit_matches(u, unit) for u in t.lead + t.cooperating):
                    continue
                out.append(t)
        return out

    def duties(self, plan: str | None = None, unit: str | None = None) -> list[Duty]:
        out = []
        for p in self._select(plan):
            for d in p.duties:
                if unit and not unit_matches(d.unit, unit):
                    continue
                out.append(d)
        return out

    def units(self, plan: str | None = None) -> dict[str, set[str]]:
        """Canonical unit name (or the name as written) -> plan ids that name it."""
        seen: dict[str, set[str]] = {}
        for p in self._select(plan):
            names = [u for t in p.tasks for u in t.lead + t.cooperating] + [d.unit for d in p.duties]
            for name in names:
                seen.setdefault(canonical_unit(name) or name, set()).add(p.plan.id)
        return seen

    def _select(self, plan: str | None) -> list[PlanRecords]:
        if not plan:
            return self.plans
        found = self.plan(plan)
        return [found] if found else []


def build_library(folder: Path, max_bytes: int = 20 * 1024 * 1024, cache: Path | None = None) -> Library:
    docs, errors = load_corpus(folder, max_bytes, cache)
    return Library(plans=[parse_plan(d) for d in docs], sources={d.name: d for d in docs}, errors=errors)
