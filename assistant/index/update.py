"""Adding and removing one plan while the assistant keeps answering.

The order makes every crash safe: read and parse the new file; stage it in the corpus
folder under a hidden name (ignored by loading and by the manifest) with a journal, and
copy the files it replaces to <data>/removed/ (`commit.prepare`); build the new index
beside the live one, reusing the vector of every unchanged passage, and swap it in; only
then rename the staged file over the old one and remove the other replaced files
(`commit.finish`). Killed during the build, the corpus and the live index are as before;
killed during the commit, the corpus still holds a version of the plan, and the next
update or start completes the commit (`commit.recover`). A full disk raises OSError with
nothing changed. A running `Assistant` keeps its own Index in memory and answers from it
until the caller reloads it (`Assistant.load`). One update at a time (a lock file beside
the index folder)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.index.build import sync_index
from assistant.index.commit import finish, prepare, recover, undo
from assistant.index.disk import file_hashes
from assistant.index.embed import Embedder, make_embedder
from assistant.index.library import find_plans
from assistant.index.lock import UpdateBusy, index_lock
from assistant.index.store import IndexInvalid, Segments, load_index, read_manifest
from assistant.index.summary import PlanSummary
from assistant.index.vectors import Progress
from assistant.lang.normalize import fold
from assistant.parse.plan import parse_plan
from assistant.read.load import LoadError, SourceDoc, UnreadableFile, load_corpus, read_document
from assistant.records import PlanRecords
from assistant.settings import Settings

Status = Literal[
    "added", "replaced", "exists", "removed", "not_found", "ambiguous", "refused", "unreadable", "busy"
]
_FROM_SETTINGS = object()


@dataclass(frozen=True)
class UpdateResult:
    status: Status
    plan: PlanSummary | None = None  # the plan added, or the one removed
    others: tuple[PlanSummary, ...] = ()  # plans replaced, existing, candidates, or (not found) all
    file: str = ""  # the file added, removed, or refused, as given
    key: str = ""  # remove: the plan asked for
    reason: str = ""  # unreadable: "missing" or the reader's problem; refused: "hidden_name", "last_plan"
    params: dict = field(default_factory=dict)  # unreadable: the reader's figures
    clashes: tuple[str, ...] = ()  # exists, replaced: the corpus files the new plan replaces
    kept_as: str = ""  # removed: the name the file is kept under in <data>/removed/
    embedded: int = 0  # passages embedded by this update
    passages: int = 0  # passages in the new index
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in {"added", "replaced", "removed"}


def add_plan(
    settings: Settings,
    path: Path | str,
    replace: bool = False,
    embedder=_FROM_SETTINGS,
    progress: Progress | None = None,
) -> UpdateResult:
    """Copy the plan file at `path` into the corpus and update the index.

    A plan of the same place and period (or a file of the same name) is replaced only
    with `replace=True`; otherwise the result has status "exists" so the caller can ask."""
    try:
        with index_lock(settings.index_dir):
            return _add(settings, Path(path), replace, embedder, progress)
    except UpdateBusy:
        return UpdateResult("busy")


def remove_plan(
    settings: Settings, key: str, embedder=_FROM_SETTINGS, progress: Progress | None = None
) -> UpdateResult:
    """Take the plan named by id, file name or place out of the corpus and the index
    (the file is moved to <data>/removed/, not deleted)."""
    try:
        with index_lock(settings.index_dir):
            return _remove(settings, key, embedder, progress)
    except UpdateBusy:
        return UpdateResult("busy")


# ------------------------------------------------------------------ the two updates


@dataclass
class _Corpus:
    """The corpus as the live index records it: plans (catalog entries, records read on
    demand), unreadable files, file hashes."""

    index: Segments | None  # None: the corpus was read and parsed (no valid index)
    entries: dict[str, object]  # file name -> Entry, or PlanRecords when parsed
    errors: list[LoadError]
    files: dict[str, str]  # file name -> sha256, as the manifest records it

    @property
    def trusted(self) -> frozenset[str]:
        """The segment folders the live index was loaded (and verified) from."""
        return frozenset(e.dir for e in self.index.entries) if self.index is not None else frozenset()

    def records(self, name: str) -> PlanRecords:
        entry = self.entries[name]
        return self.index.records(entry.plan.id) if self.index is not None else entry

    def parse(self, name: str) -> PlanRecords:
        """A plan file of the corpus that has no segment yet (an index in sync needs none)."""
        entry = self.entries[name]
        return entry if isinstance(entry, PlanRecords) else self.records(name)


def _current(settings: Settings, embedder) -> _Corpus:
    """The live index when it stands for the corpus folder (nothing is parsed); otherwise
    the corpus read and parsed, so that the update also brings the index up to date."""
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    recover(settings, read_manifest(settings.index_dir).get("files", {}))  # what a killed update left
    files = file_hashes(settings.corpus_dir)
    try:
        index = load_index(settings.index_dir, files, embedder)
        return _Corpus(index, {e.file: e for e in index.entries}, index.errors, files)
    except IndexInvalid:
        docs, errors = load_corpus(settings.corpus_dir, settings.max_file_bytes, settings.converted_dir)
        return _Corpus(None, {d.name: parse_plan(d) for d in docs}, errors, files)


def _add(settings: Settings, source: Path, replace: bool, embedder, progress) -> UpdateResult:
    started = time.time()
    if not source.is_file():
        return UpdateResult("unreadable", file=str(source), reason="missing")
    if source.name.startswith((".", "~$")):  # hidden, or Word's lock file: never loaded
        return UpdateResult("refused", file=source.name, reason="hidden_name")
    target = settings.corpus_dir / source.name
    try:
        doc = read_document(source, settings.max_file_bytes, settings.converted_dir)
    except UnreadableFile as exc:
        return UpdateResult("unreadable", file=source.name, reason=exc.problem, params=exc.params)
    record = parse_plan(SourceDoc(target.name, target, doc.text))
    summary = PlanSummary.of(record, doc.text)
    embedder = _embedder(settings, embedder)
    corpus = _current(settings, embedder)
    in_place = target.exists() and source.resolve() == target.resolve()
    clashes = _clashes(corpus, record, target.name, in_place)
    replaced = tuple(PlanSummary.of(corpus.records(n)) for n in clashes if n in corpus.entries)
    if clashes and not replace:
        return UpdateResult("exists", summary, replaced, file=target.name, clashes=tuple(clashes))
    commit = prepare(settings, None if in_place else source, target.name, clashes)
    files = {n: h for n, h in corpus.files.items() if n not in clashes} | {target.name: commit.sha256}
    names = [n for n in corpus.entries if n not in clashes and n != target.name] + [target.name]
    errors = [e for e in corpus.errors if e.name not in clashes and e.name != target.name]

    def parse(name: str) -> PlanRecords:
        return record if name == target.name else corpus.parse(name)

    try:
        counted, index = _build(settings, names, parse, errors, files, embedder, progress, corpus.trusted)
    except BaseException:
        undo(settings, commit)
        raise
    finish(settings, commit)
    status: Status = "replaced" if clashes else "added"
    return UpdateResult(
        status,
        summary,
        replaced,
        file=target.name,
        clashes=tuple(clashes),
        embedded=counted,
        passages=index.passages,
        seconds=round(time.time() - started, 1),
    )


def _remove(settings: Settings, key: str, embedder, progress) -> UpdateResult:
    started = time.time()
    embedder = _embedder(settings, embedder)
    corpus = _current(settings, embedder)
    matches = find_plans(list(corpus.entries.values()), key)
    names = [m.plan.file for m in matches] or [n for n in corpus.files if fold(n) == fold(key.strip())]
    if not names:
        known = tuple(PlanSummary.of(corpus.records(n)) for n in corpus.entries)
        return UpdateResult("not_found", others=known, key=key)
    if len(names) > 1:
        return UpdateResult(
            "ambiguous", others=tuple(PlanSummary.of(corpus.records(m.plan.file)) for m in matches), key=key
        )
    name = names[0]
    files = {n: h for n, h in corpus.files.items() if n != name}
    rest = [n for n in corpus.entries if n != name]
    if not rest:
        return UpdateResult("refused", file=name, reason="last_plan")
    gone = PlanSummary.of(corpus.records(name)) if name in corpus.entries else None
    errors = [e for e in corpus.errors if e.name != name]
    _, index = _build(settings, rest, corpus.parse, errors, files, embedder, progress, corpus.trusted)
    where = _retire(settings, name).name
    return UpdateResult(
        "removed",
        gone,
        file=name,
        kept_as=where,
        passages=index.passages,
        seconds=round(time.time() - started, 1),
    )


def _embedder(settings: Settings, embedder):
    if embedder is _FROM_SETTINGS:
        return make_embedder(
            settings.embedder,
            settings.embed_query_prefix,
            settings.embed_passage_prefix,
            settings.embed_word_segmented,
        )
    return embedder


def _build(settings: Settings, names, parse, errors, files, embedder, progress, trusted=frozenset()):
    counting = _Counting(embedder) if embedder is not None else None
    index = sync_index(settings.index_dir, files, errors, parse, counting, progress, names, trusted)
    return (counting.count if counting else 0), index


class _Counting:
    """The embedder, counting the passages it is asked to embed."""

    def __init__(self, inner: Embedder):
        self.inner, self.name, self.dim, self.count = inner, inner.name, inner.dim, 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.count += len(texts)
        return self.inner.embed_passages(texts)


# ------------------------------------------------------------------ helpers


def _same_plan(a, b) -> bool:
    """One identity: the same place spelled the same (Thạnh An is not Thanh An), in the
    same province and district (where both plans name them), for the same period."""
    pa, pb = a.plan, b.plan
    if not pa.place or pa.place.lower() != pb.place.lower():
        return False
    for x, y in ((pa.province, pb.province), (pa.district, pb.district)):
        if x and y and fold(x) != fold(y):
            return False
    return fold(pa.period) == fold(pb.period) and pa.year == pb.year


def _clashes(corpus: _Corpus, record: PlanRecords, name: str, in_place: bool) -> list[str]:
    """Corpus files the new plan would replace: same file name, or same place and period."""
    out = [n for n, entry in corpus.entries.items() if n != name and _same_plan(entry, record)]
    if name in corpus.files and not in_place:
        out.insert(0, name)
    return out


def _retire(settings: Settings, name: str) -> Path:
    """Move a corpus file to <data>/removed/ (a replaced or removed plan is kept)."""
    folder = settings.data_dir / "removed"
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}"
    shutil.move(str(settings.corpus_dir / name), dest)
    return dest
