"""The assistant as one object: load or build the index, then answer, list, look up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assistant.answer import Answerer
from assistant.index.build import sync_index
from assistant.index.commit import recover
from assistant.index.embed import make_embedder
from assistant.index.library import Library
from assistant.index.lock import index_lock
from assistant.index.report import Progress, stage
from assistant.index.store import IndexInvalid, Segments, load_index, read_manifest
from assistant.parse.plan import parse_plan
from assistant.present.facts import say
from assistant.read.load import corpus_files, load_corpus
from assistant.records import Answer, PlanRecords
from assistant.serve.shown import from_sentence_starts, naming_plans
from assistant.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Assistant:
    settings: Settings
    index: Segments
    answerer: Answerer
    rebuilt: bool = False

    @classmethod
    def load(cls, settings: Settings, rebuild: bool = False, progress: Progress | None = None) -> Assistant:
        index, sources, embedder, rebuilt = open_index(settings, rebuild, progress)
        return cls(settings, index, _answerer(settings, index, sources, embedder), rebuilt)

    def ask(self, question: str, plans: tuple[str, ...] = (), home: tuple[str, ...] = ()) -> Answer:
        """`plans`: the scope chosen (overrides any place the question names); `home`: the
        scope of a question that names no place."""
        return self._repairing(lambda: self._answer(question, plans, home))

    def _answer(self, question: str, plans: tuple[str, ...], home: tuple[str, ...]) -> Answer:
        """The answering stage's answer (`Answerer.ask`), with the plans it left out for room
        and each stated part of a duty from the start of its sentence."""
        gathered = self.answerer.prepare(question, plans, home)
        answer = self.answerer.decide(gathered, self.answerer.model)
        answer = naming_plans(answer, gathered, self.answerer)
        return from_sentence_starts(answer, self.index.records)

    def records(self, plan_ids: tuple[str, ...]) -> list[PlanRecords]:
        """The records of these plans only (every plan when none is given)."""
        if not plan_ids:
            return self.library.plans
        known = {p.id for p in self.index.catalog}
        return self._repairing(lambda: [self.index.records(p) for p in plan_ids if p in known])

    @property
    def library(self) -> Library:
        """The plans' records as the index holds them, with their lookups."""
        return self._repairing(lambda: Library(self.index.all_records(), self.index.errors))

    def _repairing(self, call: Callable[[], T]) -> T:
        """`call()`, and again on the repaired index when it finds a segment damaged (a
        segment's checksums are verified when it is first read)."""
        try:
            return call()
        except IndexInvalid as problem:
            log.warning("index damaged (%s): repairing", problem)
            index, sources, embedder, _ = open_index(self.settings, repair=True)
            self.index, self.rebuilt = index, True
            self.answerer = _answerer(self.settings, index, sources, embedder)
            return call()


def _answerer(settings: Settings, index: Segments, sources: dict[str, str], embedder) -> Answerer:
    answerer = Answerer(index, sources, say, embedder, max_unscoped=settings.max_unscoped_plans)
    answerer.model  # noqa: B018 - parameters unfit for this code are refused at start, not at a question
    return answerer


def open_library(settings: Settings, progress: Progress | None = None) -> Library:
    """The corpus handle of the CLI's listing commands: the index's records (the index is
    built first when missing or stale), without loading the answering."""
    index, _, _, _ = open_index(settings, progress=progress)
    try:
        return Library(index.all_records(), index.errors)
    except IndexInvalid as exc:
        log.warning("index damaged (%s): repairing", exc)
        index, _, _, _ = open_index(settings, progress=progress, repair=True)
        return Library(index.all_records(), index.errors)


def open_index(
    settings: Settings,
    rebuild: bool = False,
    progress: Progress | None = None,
    before_load: Callable[[], None] | None = None,
    repair: bool = False,
):
    """The index of the corpus (loaded, or built when missing, stale or corrupt), the
    source texts for quoting, the embedder, and whether it was rebuilt.

    The index must record exactly the corpus read for quoting. When it does not (or
    `rebuild`), the corpus is read again and the index built under the lock plan updates
    take, so an update running meanwhile is waited for, never half-seen, and one killed
    while it committed its file is completed or undone first. `before_load`
    runs between reading the corpus and loading the index (tests force a race with it).
    `repair`: a segment was found damaged; every segment is verified, and those that do
    not match are built again (`rebuild` builds them all again). `progress` hears the
    stages and the passages embedded, and "ready" however it ends."""
    try:
        index, sources, embedder, rebuilt = _open_index(settings, rebuild, progress, before_load, repair)
    finally:
        stage(progress, "ready")
    index.wide_over = settings.wide_scope_plans
    return index, sources, embedder, rebuilt


def _open_index(settings, rebuild, progress, before_load, repair):
    embedder = make_embedder(
        settings.embedder,
        settings.embed_query_prefix,
        settings.embed_passage_prefix,
        settings.embed_word_segmented,
    )
    if not (rebuild or repair):
        docs, errors = _read_corpus(settings, progress)
        if before_load:
            before_load()
        try:
            index = load_index(settings.index_dir, corpus_files(docs, errors), embedder)
            return index, _sources(docs), embedder, False
        except IndexInvalid as exc:
            log.info("index needs a rebuild: %s", exc)
    with index_lock(settings.index_dir, wait=True):
        recover(settings, read_manifest(settings.index_dir).get("files", {}))  # a killed update's commit
        docs, errors = _read_corpus(settings, progress)
        files = corpus_files(docs, errors)
        if not (rebuild or repair):
            try:  # an update that held the lock may have just built it
                return load_index(settings.index_dir, files, embedder), _sources(docs), embedder, False
            except IndexInvalid:
                pass
        log.info("bringing the index up to date with %s", settings.corpus_dir)
        by_name = {d.name: d for d in docs}
        index = sync_index(
            settings.index_dir,
            files,
            errors,
            lambda name: parse_plan(by_name[name]),
            embedder,
            progress,
            list(by_name),
            fresh=rebuild,
        )
    return index, _sources(docs), embedder, True


def _sources(docs) -> dict[str, str]:
    """The text of each plan file, by name: what quotes are checked against."""
    return {d.name: d.text for d in docs}


def _read_corpus(settings: Settings, progress: Progress | None = None):
    def reading(n: int, count: int, name: str) -> None:
        stage(progress, "read", n, count, name)

    docs, errors = load_corpus(settings.corpus_dir, settings.max_file_bytes, settings.converted_dir, reading)
    for err in errors:
        if err.problem == "no_folder":  # a new home folder: the front ends say where plans go
            log.info("no plans folder at %s", err.name)
        else:
            log.warning("cannot read %s: %s %s", err.name, err.problem, err.params)
    return docs, errors
