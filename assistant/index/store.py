"""The index: one segment per plan (`plan_segment`) and a manifest naming them.

The manifest, replaced atomically, records the code version, the embedder, the corpus it
stands for (file hashes, unreadable files) and, per plan, its segment folder and its
`Plan` (the catalog: places and periods are known without loading any segment). A build
writes only the segments that are missing (a new or changed file, new code) and reuses
every other; adding or removing a plan writes one segment, brings the catalogue's wide
dense index (`wide`) in step and writes a new manifest, nothing else. Loading reads the
manifest and checks the sizes of the segments' files; a segment is read (checksums
verified, arrays memory-mapped) when a question first needs it, the wide index when a
question's scope first needs it."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.index.disk import (
    code_version,
    sizes_match,
)
from assistant.index.embed import Embedder
from assistant.index.plan_segment import (
    CHECKSUMS,
    SegmentInvalid,
    read_records,
    read_segment,
    verify,
)
from assistant.index.reference import load as load_reference
from assistant.index.view import Index, merge
from assistant.index.wide import Wide, WideInvalid, WideSearch, intact, needed, open_wide
from assistant.read.load import LoadError
from assistant.records import Plan, PlanRecords

log = logging.getLogger(__name__)
FORMAT = 5
MANIFEST = "manifest.json"
LOADED = 64  # segments kept in memory (least recently used dropped first)


class IndexInvalid(Exception):
    """The index on disk is missing, corrupt or built from something else."""


@dataclass(frozen=True)
class Entry:
    """One plan in the manifest: its file, the file's hash, its segment folder."""

    plan: Plan
    file: str
    sha256: str
    dir: str
    passages: int


class Segments:
    """The loaded index: the manifest and its catalog of plans; segments read on demand.
    Reading a damaged segment raises IndexInvalid (the caller repairs: `serve`).
    `wide_over`: a view of more plans than this searches its vectors through the wide
    index (0: every view searches its segments' flat indexes, exactly)."""

    def __init__(self, folder: Path, manifest: dict, dim: int | None, wide_over: int = 0):
        if wide_over < 0:
            raise ValueError(f"wide_over must be 0 (never) or a number of plans, not {wide_over}")
        self.folder, self.manifest, self.dim, self.wide_over = folder, manifest, dim, wide_over
        self._wide: Wide | None = None
        self.entries = [
            Entry(Plan.model_validate(e["plan"]), e["file"], e["sha256"], e["dir"], e["passages"])
            for e in manifest["segments"]
        ]
        self.by_id = {e.plan.id: e for e in self.entries}
        self.errors = [LoadError(e["name"], e["problem"], e["params"]) for e in manifest["errors"]]
        self._records: dict[str, tuple] = {}
        self._segments: OrderedDict[str, Index] = OrderedDict()

    @property
    def catalog(self) -> list[Plan]:
        return [e.plan for e in self.entries]

    @property
    def has_vectors(self) -> bool:
        return self.dim is not None

    @property
    def passages(self) -> int:
        return sum(e.passages for e in self.entries)

    def _dir(self, plan_id: str) -> Path:
        return self.folder / "segments" / self.by_id[plan_id].dir

    def _read_records(self, plan_id: str) -> tuple:
        """One plan's records and passages, its segment's checksums verified first (the
        start checked only that its files are there with their sizes)."""
        if plan_id not in self._records:
            try:
                verify(self._dir(plan_id))
                self._records[plan_id] = read_records(self._dir(plan_id))
            except SegmentInvalid as exc:
                raise IndexInvalid(str(exc)) from None
            except (OSError, ValueError) as exc:
                raise IndexInvalid(f"segment of {plan_id} unreadable ({exc})") from None
        return self._records[plan_id]

    def records(self, plan_id: str) -> PlanRecords:
        """One plan's records (read once)."""
        return self._read_records(plan_id)[0]

    def passages_of(self, plan_id: str) -> list:
        """One plan's passages (read with its records)."""
        return self._read_records(plan_id)[1]

    def all_records(self) -> list[PlanRecords]:
        return [self.records(e.plan.id) for e in self.entries]

    def segment(self, plan_id: str) -> Index:
        """One plan's segment, read when first asked for and kept while recently used."""
        if plan_id in self._segments:
            self._segments.move_to_end(plan_id)
            return self._segments[plan_id]
        try:
            records = self._read_records(plan_id)  # verifies the folder first
            seg = read_segment(self._dir(plan_id), self.dim, records, load_reference())
        except SegmentInvalid as exc:
            raise IndexInvalid(str(exc)) from None
        self._segments[plan_id] = seg
        while len(self._segments) > LOADED:
            self._segments.popitem(last=False)
        return seg

    def view(self, plan_ids: tuple[str, ...] = ()) -> Index:
        """The view over these plans (every plan when none is given), in catalog order
        (made anew: the answering state that holds it is what the caller keeps). A view of
        more than `wide_over` plans searches its vectors through the wide index."""
        wanted = set(plan_ids) if plan_ids else set(self.by_id)
        entries = [e for e in self.entries if e.plan.id in wanted]
        view = merge([self.segment(e.plan.id) for e in entries])
        if not (0 < self.wide_over < len(entries) and view.dense is not None and self.manifest.get("wide")):
            return view
        return replace(view, dense=WideSearch(self.wide(), [e.dir for e in entries], view.dense))

    def wide(self) -> Wide:
        """The catalogue's wide dense index, read (checksums verified) when a view first
        needs it."""
        if self._wide is None:
            try:
                self._wide = open_wide(self.folder, self.manifest["wide"])
            except WideInvalid as exc:
                raise IndexInvalid(str(exc)) from None
        return self._wide


# ------------------------------------------------------------------ loading


def embedder_key(embedder: Embedder | None) -> dict | None:
    return {"name": embedder.name, "dim": embedder.dim} if embedder else None


def read_manifest(folder: Path) -> dict:
    """The manifest on disk, whatever it says ({} when there is none or it is garbled)."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def load_index(folder: Path, files: dict[str, str], embedder: Embedder | None) -> Segments:
    """The index of the corpus `files` (name -> sha256, as read); raises IndexInvalid when
    it must be (re)built: no manifest, other code, embedder or corpus, missing segments."""
    manifest = read_manifest(folder)
    if not manifest:
        raise IndexInvalid("no readable manifest")
    if manifest.get("format") != FORMAT or manifest.get("version") != code_version():
        raise IndexInvalid("index format or version changed")
    if manifest.get("embedder") != embedder_key(embedder):
        raise IndexInvalid("embedder changed")
    if manifest.get("files") != files:
        raise IndexInvalid("corpus changed")
    try:
        for e in manifest["segments"]:
            seg = folder / "segments" / e["dir"]
            if not sizes_match(seg, json.loads((seg / CHECKSUMS).read_text("utf-8"))):
                raise IndexInvalid(f"segment {e['dir']} is missing files or has files of other sizes")
        wide = manifest.get("wide")
        if needed(manifest["segments"], embedder.dim if embedder else None) != bool(wide) or not intact(
            folder, wide
        ):
            raise IndexInvalid("the wide index is missing or has files missing or of other sizes")
        return Segments(folder, manifest, embedder.dim if embedder else None)
    except IndexInvalid:
        raise
    except Exception as exc:
        raise IndexInvalid(f"corrupt index ({type(exc).__name__}: {exc})") from None
