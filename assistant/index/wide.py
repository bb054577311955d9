"""The catalogue's wide index: one approximate dense index over every segment's vectors,
searched instead of the segments' flat indexes when a question's scope holds more plans
than a few (`Segments.view`).

An inverted file over 8-bit scalar-quantised codes (inner product). An entry's id names
its segment and passage (the segment's number in the table, shifted, plus the passage),
so one plan's entries are one id range. A build or an update keeps it in step with the
manifest without touching the segments: the ranges of segments no longer named are
removed, the vectors of new ones added (read from their flat indexes); it is trained anew
only when the catalogue has grown to several times what it was trained on. Each version
is a folder (the index, its table, their checksums) that the manifest names, replaced
in the same atomic step as the segments. A search rescores its candidates exactly through
the segments' flat indexes: which passages come up is approximate, their scores are not."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.index import dense
from assistant.index.dense import Flat
from assistant.index.disk import checksums, sizes_match
from assistant.index.plan_segment import VECTORS

FOLDER = "wide"
INDEX, TABLE, CHECKSUMS = "index.faiss", "table.json", "checksums.json"
SHIFT = 20  # id = segment number << SHIFT | passage
GROWTH = 4  # trained anew when the catalogue holds this many times the vectors it was trained on
PER_LIST = 39  # training vectors per list at least (fewer make k-means warn and drift)
SAMPLE_PER_LIST = 64  # training vectors per list at most
PROBES = 32  # lists searched per question (recall@20 against a flat scan: benchmarks/bench_scale.py)
REFINE = 2  # candidates taken from the lists per passage asked for, then rescored exactly


class WideInvalid(Exception):
    """The wide index's folder is missing, garbled or not what the manifest names."""


@dataclass
class Wide:
    """The index and its table: each segment folder's number and passage count."""

    index: object
    dim: int
    trained_on: int
    next: int
    segments: dict[str, tuple[int, int]]  # segment folder -> (number, passages)

    def ids(self, folder: str) -> np.ndarray:
        number, passages = self.segments[folder]
        return (number << SHIFT) + np.arange(passages, dtype=np.int64)

    def add(self, folder: str, vectors: np.ndarray) -> None:
        if len(vectors) >= 1 << SHIFT:
            raise ValueError(f"segment {folder} has {len(vectors)} passages, more than ids can name")
        self.segments[folder] = (self.next, len(vectors))
        self.next += 1
        dense.add(self.index, vectors, self.ids(folder))

    def remove(self, folder: str) -> None:
        number, _ = self.segments.pop(folder)
        dense.remove_range(self.index, number << SHIFT, (number + 1) << SHIFT)

    def table(self) -> dict:
        return {
            "dim": self.dim,
            "trained_on": self.trained_on,
            "next": self.next,
            "segments": {k: list(v) for k, v in sorted(self.segments.items())},
        }


# ------------------------------------------------------------------ keeping it in step


def sync_wide(folder: Path, entries: list[dict], previous: str | None, dim: int | None) -> str | None:
    """The name of the wide index that stands for the manifest `entries` (their segment
    folders and passage counts), written under `folder`/wide when the `previous` one
    (named by the manifest being replaced) does not; None without vectors."""
    if dim is None or not entries:
        return None
    want = {e["dir"]: e["passages"] for e in entries}
    wide = _readable(folder, previous, dim)
    if wide is not None and set(wide.segments) == set(want):
        return previous
    total = sum(want.values())
    if wide is None or total > GROWTH * wide.trained_on:
        wide = _trained(folder, want, dim)
    for gone in [s for s in wide.segments if s not in want]:
        wide.remove(gone)
    for new in [s for s in want if s not in wide.segments]:
        wide.add(new, _vectors(folder, new))
    return _write(folder, wide)


def _vectors(folder: Path, segment: str) -> np.ndarray:
    return dense.stored(dense.read_flat(folder / "segments" / segment / VECTORS))


def _trained(folder: Path, want: dict[str, int], dim: int) -> Wide:
    """An empty index trained on a random sample of the segments' vectors (the same rows of
    every segment would miss, in plans that share their layout, whole kinds of passage)."""
    total = sum(want.values())
    lists = max(1, min(int(math.sqrt(total)), total // PER_LIST))
    share = min(1.0, lists * SAMPLE_PER_LIST / total)
    rng = np.random.default_rng(0)
    sample = np.concatenate([v[rng.random(len(v)) < share] for v in (_vectors(folder, s) for s in want)])
    index = dense.quantised_index(dim, lists)
    dense.train(index, sample)
    return Wide(index, dim, total, 0, {})


def _write(folder: Path, wide: Wide) -> str:
    """Write the index and its table as a new version folder; its name."""
    table = json.dumps(wide.table(), sort_keys=True)
    name = f"{FOLDER}-{hashlib.sha1(table.encode()).hexdigest()[:12]}"
    root = folder / FOLDER
    root.mkdir(exist_ok=True)
    tmp = root / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        dense.write(wide.index, tmp / INDEX)
        (tmp / TABLE).write_text(table, "utf-8")
        (tmp / CHECKSUMS).write_text(json.dumps(checksums(tmp, skip=CHECKSUMS)), "utf-8")
        shutil.rmtree(root / name, ignore_errors=True)
        tmp.rename(root / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return name


def collect(folder: Path, keep: set[str | None]) -> None:
    """Remove the versions that neither the new manifest nor the previous one names."""
    root = folder / FOLDER
    for path in root.iterdir() if root.is_dir() else []:
        if path.is_dir() and not path.name.startswith(".") and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------------ reading


def intact(folder: Path, name: str | None) -> bool:
    """Whether the version is there with every file of its recorded size (a start's check;
    no version at all is intact)."""
    if not name:
        return True
    where = folder / FOLDER / name
    try:
        return sizes_match(where, json.loads((where / CHECKSUMS).read_text("utf-8")))
    except (OSError, ValueError):
        return False


def open_wide(folder: Path, name: str) -> Wide:
    """The version `name`, its checksums verified, read into memory (faiss's memory-mapped
    inverted lists search about six times slower). Raises WideInvalid."""
    where = folder / FOLDER / name
    try:
        recorded = json.loads((where / CHECKSUMS).read_text("utf-8"))
        if checksums(where, skip=CHECKSUMS) != recorded:
            raise WideInvalid(f"{name}: files do not match their checksums")
        table = json.loads((where / TABLE).read_text("utf-8"))
        index = dense.read_quantised(where / INDEX)
        segments = {k: (int(v[0]), int(v[1])) for k, v in table["segments"].items()}
        wide = Wide(index, int(table["dim"]), int(table["trained_on"]), int(table["next"]), segments)
    except WideInvalid:
        raise
    except Exception as exc:
        raise WideInvalid(f"{name}: {type(exc).__name__}: {exc}") from None
    if dense.shape(index) != (sum(p for _, p in segments.values()), wide.dim):
        raise WideInvalid(f"{name}: the index does not match its table")
    return wide


def _readable(folder: Path, name: str | None, dim: int) -> Wide | None:
    """The version `name` read into memory for an update, or None when there is none or it
    cannot be trusted (it is then built again)."""
    if not name:
        return None
    try:
        wide = open_wide(folder, name)
    except WideInvalid:
        return None
    return wide if wide.dim == dim else None


# ------------------------------------------------------------------ searching a view


class WideSearch:
    """The dense search of a view through the wide index: candidates from the scope's
    entries only, rescored exactly by the view's flat indexes (`flat`), best first."""

    def __init__(self, wide: Wide, folders: list[str], flat: Flat):
        """`folders`: the view's segment folders in passage order, `flat` their flat indexes."""
        if len(folders) != len(flat.parts):
            raise ValueError(f"{len(folders)} segment folders for {len(flat.parts)} flat indexes")
        self.wide, self.flat = wide, flat
        self.start = {wide.segments[f][0]: s for f, s in zip(folders, flat.offsets)}
        scope = set(folders) != set(wide.segments)
        self.keep = dense.id_filter(np.concatenate([wide.ids(f) for f in folders])) if scope else None

    def __len__(self) -> int:
        return len(self.flat)

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[int]]:
        _, ids = dense.search_quantised(self.wide.index, query, REFINE * n, PROBES, self.keep)
        ids = ids[ids >= 0]
        positions = np.array([self.start[int(i) >> SHIFT] + (int(i) & ((1 << SHIFT) - 1)) for i in ids])
        if allowed is not None and len(positions):
            positions = positions[allowed[positions]]
        positions = np.asarray(positions, dtype=np.int64)
        exact = self.flat.at(query, positions)
        scores = np.zeros(len(self.flat), dtype=np.float32)
        scores[positions] = exact
        order = positions[np.lexsort((positions, -exact))][:n]
        return scores, [int(p) for p in order]
