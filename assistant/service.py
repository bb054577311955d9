"""The assistant as one object: load or build the index, then answer, list, look up."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .answer import Answerer
from .embed import make_embedder
from .index import Index, IndexInvalid, Progress, build_index, load_index
from .load import load_corpus
from .planparse import parse_plan
from .records import Answer, Duty, PlanRecords, Task
from .settings import Settings
from .units import canonical_unit, unit_matches

log = logging.getLogger(__name__)


@dataclass
class Assistant:
    settings: Settings
    index: Index
    answerer: Answerer
    rebuilt: bool = False

    @classmethod
    def load(cls, settings: Settings, rebuild: bool = False, progress: Progress | None = None) -> "Assistant":
        index, sources, embedder, rebuilt = open_index(settings, rebuild, progress)
        return cls(settings, index, Answerer(index, sources, embedder), rebuilt)

    def ask(self, question: str) -> Answer:
        return self.answerer.ask(question)

    def unit(self, name: str) -> tuple[str, list["UnitPlanView"]]:
        return unit_view(self.index.plans, name)


def open_index(settings: Settings, rebuild: bool = False, progress: Progress | None = None):
    """The index of the corpus (loaded, or built when missing or stale), the source texts
    for quoting, the embedder, and whether it was rebuilt."""
    embedder = make_embedder(settings.embedder, settings.embed_query_prefix,
                             settings.embed_passage_prefix, settings.embed_word_segmented)
    docs, errors = load_corpus(settings.corpus_dir, settings.max_file_bytes, settings.converted_dir)
    for err in errors:
        log.warning("Bỏ qua tệp %s", err)
    index, rebuilt = None, False
    if not rebuild:
        try:
            index = load_index(settings.index_dir, settings.corpus_dir, embedder)
        except IndexInvalid as exc:
            log.info("index needs a rebuild: %s", exc)
    if index is None:
        log.info("building the index from %s", settings.corpus_dir)
        plans = [parse_plan(d) for d in docs]
        index = build_index(plans, errors, settings.corpus_dir, settings.index_dir, embedder, progress)
        rebuilt = True
    return index, {d.name: d.text for d in docs}, embedder, rebuilt


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
        joins = tuple(t for t in rec.tasks if t not in leads and any(unit_matches(u, name) for u in t.cooperating))
        if duties or leads or joins:
            views.append(UnitPlanView(rec, duties, leads, joins))
    return canonical, views

