"""Building the index: a segment for every plan file that has none for its content, this
code and this embedder (the others are reused as they are), the catalogue's wide dense
index brought in step with them, then a new manifest in one atomic step. The update lock
is held by the callers."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from assistant.index.disk import clean_temporaries, code_version, file_hashes, write_atomic
from assistant.index.embed import Embedder
from assistant.index.passages import plan_passages
from assistant.index.plan_segment import (
    EMBED_CHARS,
    SegmentInvalid,
    build_segment,
    cached_vectors,
    cached_words,
    read_records,
    vector_keys,
    vectors_at,
    verify,
    write_segment,
)
from assistant.index.reference import load as load_reference
from assistant.index.report import stage
from assistant.index.store import FORMAT, MANIFEST, Segments, embedder_key, read_manifest
from assistant.index.vectors import Progress, clear_journal, journal_folder, journaled, text_hash
from assistant.index.wide import FOLDER as WIDE
from assistant.index.wide import collect as collect_wide
from assistant.index.wide import sync_wide
from assistant.read.load import LoadError
from assistant.records import PlanRecords

log = logging.getLogger(__name__)


def segment_dir(plan_id: str, file: str, sha256: str, embedder: Embedder | None) -> str:
    """A segment's folder: the plan and a hash of what it was built from."""
    what = json.dumps([file, sha256, code_version(), embedder_key(embedder)], ensure_ascii=False)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plan_id).strip("-")[:60] or "plan"
    return f"{slug}-{hashlib.sha1(what.encode()).hexdigest()[:12]}"


def build_index(
    plans: list[PlanRecords],
    errors: list[LoadError],
    corpus_dir: Path,
    folder: Path,
    embedder: Embedder | None,
    progress: Progress | None = None,
    files: dict[str, str] | None = None,
) -> Segments:
    """The index of these plans; `files` (name -> sha256) is the corpus the manifest
    records (by default the corpus folder as it is now)."""
    by_file = {r.plan.file: r for r in plans}
    files = file_hashes(corpus_dir) if files is None else files
    return sync_index(folder, files, errors, by_file.__getitem__, embedder, progress, list(by_file))


def sync_index(
    folder: Path,
    files: dict[str, str],
    errors: list[LoadError],
    parse: Callable[[str], PlanRecords],
    embedder: Embedder | None,
    progress: Progress | None = None,
    names: list[str] | None = None,
    trusted: frozenset[str] = frozenset(),
    fresh: bool = False,
) -> Segments:
    """Make the index stand for the plan files `names` (default: the readable `files`):
    reuse the segment of every file whose hash, code and embedder are unchanged, `parse`
    and build the others, then replace the manifest. `trusted`: segment folders the caller
    has just loaded under the lock (not hashed again); `fresh`: build every segment again
    (the caches of intact earlier builds still serve). Callers hold the update lock."""
    started = time.time()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "segments").mkdir(exist_ok=True)
    clean_temporaries(folder)
    bad = {e.name for e in errors}
    names = sorted(n for n in (names if names is not None else files) if n not in bad)
    old = read_manifest(folder)
    previous = {e["file"]: e for e in old.get("segments", []) if isinstance(e, dict) and "file" in e}
    journal = journal_folder(folder, embedder) if embedder else None
    kept = {n: _kept(folder, n, files[n], embedder, previous.get(n), trusted, fresh) for n in names}
    todo = [n for n in names if kept[n] is None]
    # shared by the segments of this build: a text two plans have is segmented and
    # embedded once, and not at all when a kept segment has its vector
    caches = {
        "words": {},
        "vectors": journaled(journal) if journal else {},
        "kept": _kept_vectors(folder, [e for e in kept.values() if e]) if todo and embedder else {},
    }
    steps = _Steps(progress, len(todo))
    built = {}
    for name in todo:
        steps.plan_started(name)
        built[name] = _segment(
            folder, name, files[name], parse, embedder, previous.get(name), caches, steps, journal, fresh
        )
        steps.plan_done()
    entries = [kept[n] or built[n] for n in names]
    wide = sync_wide(folder, entries, old.get("wide"), embedder.dim if embedder else None)
    manifest = {
        "format": FORMAT,
        "version": code_version(),
        "embedder": embedder_key(embedder),
        "files": files,
        "errors": [{"name": e.name, "problem": e.problem, "params": e.params} for e in errors],
        "segments": entries,
        "wide": wide,
        "passages": sum(e["passages"] for e in entries),
        "plans": [e["plan"]["id"] for e in entries],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_seconds": round(time.time() - started, 1),
    }
    write_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    _collect(folder, {e["dir"] for e in entries} | {e.get("dir") for e in previous.values()})
    collect_wide(folder, {wide, old.get("wide")})
    if journal is not None:
        clear_journal(journal)
    stage(progress, "ready")
    log.info(
        "index ready: %d plans, %d passages in %.1f s",
        len(entries),
        manifest["passages"],
        time.time() - started,
    )
    return Segments(folder, manifest, embedder.dim if embedder else None)


def _kept(folder: Path, name: str, sha: str, embedder, previous, trusted, fresh) -> dict | None:
    """The manifest entry of a plan file whose segment can stay as it is, or None."""
    if fresh or not previous or previous.get("sha256") != sha:
        return None
    if previous.get("dir") in trusted:  # loaded and checked under this same lock
        return previous
    plan_id = previous.get("plan", {}).get("id", "")
    same = previous["dir"] == segment_dir(plan_id, name, sha, embedder)  # same code, same embedder
    return previous if same and _intact(folder / "segments" / previous["dir"]) else None


class _Steps:
    """Progress over a whole build: passages embedded so far in every segment, against an
    estimate of all of them (the plans still to build are counted at the average so far),
    and each plan's stages numbered among the plans to build."""

    def __init__(self, progress: Progress | None, plans: int):
        self.progress, self.plans = progress, plans
        self.done_plans, self.done = 0, 0  # finished segments and their passages
        self.current, self.name = 0, ""

    def plan_started(self, name: str) -> None:
        self.name = name
        self.stage("parse")

    def stage(self, code: str, done: int = 0, total: int = 0, name: str = "") -> None:
        stage(self.progress, code, self.done_plans + 1, self.plans, self.name)

    def __call__(self, done: int, total: int) -> None:
        self.current = total
        if self.progress is not None:
            left = self.plans - self.done_plans - 1
            average = (self.done + total) / (self.done_plans + 1)
            self.progress(self.done + done, self.done + total + round(left * average))

    def plan_done(self) -> None:
        self.done_plans += 1
        self.done += self.current
        self.current = 0


def _segment(folder, name, sha, parse, embedder, previous, caches, progress, journal, fresh=False) -> dict:
    """The manifest entry of one plan file, its segment built (or found built by an update
    whose manifest never landed)."""
    root = folder / "segments"
    rec = parse(name)
    target = segment_dir(rec.plan.id, name, sha, embedder)
    if not fresh and _intact(root / target):  # built by an update whose manifest never landed
        return _entry(rec, name, sha, target, len(read_records(root / target)[1]))
    words, vectors = caches["words"], caches["vectors"]
    if previous and _intact(root / previous["dir"]):  # the file's earlier build: reuse its work
        words.update(cached_words(root / previous["dir"]))
        if embedder is not None:
            vectors.update(cached_vectors(root / previous["dir"], embedder.dim))
    if caches["kept"]:
        _reuse_vectors(root, rec, caches["kept"], vectors)
    view, seg_words = build_segment(rec, embedder, words, vectors, progress, journal, load_reference())
    write_segment(view, seg_words, root / target)
    return _entry(rec, name, sha, target, len(view.passages))


def _kept_vectors(folder: Path, entries: list[dict]) -> dict[str, tuple[str, int]]:
    """Where the kept segments (checked: trusted or intact) hold the vector of each text
    they embedded: text hash -> (segment folder, row)."""
    out: dict[str, tuple[str, int]] = {}
    for e in entries:
        for row, key in enumerate(vector_keys(folder / "segments" / e["dir"])):
            out.setdefault(key, (e["dir"], row))
    return out


def _reuse_vectors(root: Path, rec: PlanRecords, kept: dict, cache: dict) -> None:
    """Put in `cache` the vectors kept segments already have for this plan's passages."""
    rows: dict[str, list[tuple[str, int]]] = {}
    for p in plan_passages(rec):
        key = text_hash(p.search_text[:EMBED_CHARS])
        if key in kept and key not in cache:
            rows.setdefault(kept[key][0], []).append((key, kept[key][1]))
    for segment, wanted in rows.items():
        cache.update(zip([k for k, _ in wanted], vectors_at(root / segment, [r for _, r in wanted])))


def _intact(folder: Path) -> bool:
    """Whether a segment folder is there with every file as written (nothing garbled is
    reused, not even as a cache)."""
    try:
        verify(folder)
        return True
    except SegmentInvalid:
        return False


def _entry(rec: PlanRecords, name: str, sha: str, folder: str, passages: int) -> dict:
    return {
        "file": name,
        "sha256": sha,
        "dir": folder,
        "passages": passages,
        "plan": rec.plan.model_dump(mode="json"),
    }


def _collect(folder: Path, keep: set[str]) -> None:
    """Remove segment folders neither this manifest nor the previous one names (a process
    still answering from the previous manifest can read its segments), and the files of an
    index of the older single-folder format."""
    for path in (folder / "segments").iterdir():
        if path.is_dir() and not path.name.startswith(".") and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in folder.iterdir():
        if path.name not in {MANIFEST, "segments", WIDE} and not path.name.startswith("."):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
