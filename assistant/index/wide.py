"""The catalogue's wide index: one approximate dense index over the distinct vectors of
every segment, searched instead of the segments' flat indexes when a question's scope
holds more plans than a few (`Segments.view`).

An inverted file over 8-bit scalar-quantised codes (inner product). The plans of a
province share much of their text (the template they are written from), and a passage
text has one vector wherever it appears (vectors are keyed by content hash), so the index
holds each distinct vector once, under an id; the table gives each segment's passages
their vector ids (so an id stands for the (plan, passage) pairs that have it) and each
text hash its id. A build or an update keeps it in step with the manifest without
touching the segments: a segment gone takes its passages away, and the vectors no other
passage has; a new one adds its passages, and the vectors not there yet (read from its
flat index). It is trained anew only when it has grown to several times what it was
trained on. Each version is a folder (the index, its table, their checksums) that the
manifest names, replaced in the same atomic step as the segments.

A search (`WideSearch`) takes twice the vectors it needs from the lists, rescores each
exactly through the flat index of a passage that has it, and gives their passages in the
scope best first, ties in passage order: a flat scan's ranking of the vectors found."""

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
from assistant.index.plan_segment import VECTORS, vector_keys

FOLDER = "wide"
INDEX, TABLE, ROWS, KEYS, CHECKSUMS = "index.faiss", "table.json", "rows.npy", "keys.json", "checksums.json"
# Lists searched per question: a share of them, and no fewer than PROBES (recall@20 against
# a flat scan, the questions' vectors being nearer their passages than their lists' centres
# say: README, Province scale)
PROBES, PROBE_SHARE = 32, 0.2
REFINE = 2  # vectors taken from the lists per passage asked for, then rescored exactly
GROWTH = 4  # trained anew when it holds this many times the vectors it was trained on
PER_LIST = 39  # training vectors per list at least (fewer make k-means warn and drift)
SAMPLE_PER_LIST = 64  # training vectors per list at most


class WideInvalid(Exception):
    """The wide index's folder is missing, garbled or not what the manifest names."""


@dataclass
class Wide:
    """The index and its table."""

    index: object
    dim: int
    trained_on: int  # distinct vectors the lists were trained on
    next_id: int
    rows: dict[str, np.ndarray]  # segment folder -> its passages' vector ids, in passage order
    keys: dict[str, int]  # text hash -> vector id

    def add(self, folder: str, keys: list[str], vectors: np.ndarray) -> None:
        """A segment's passages (their text hashes and vectors, in passage order); the
        vectors of texts not there yet go into the index."""
        new: dict[str, int] = {}
        for row, key in enumerate(keys):
            if key not in self.keys:
                self.keys[key] = self.next_id
                self.next_id += 1
                new[key] = row
        self.rows[folder] = np.array([self.keys[k] for k in keys], dtype=np.int64)
        rows = list(new.values())
        dense.add(self.index, vectors[rows], np.array([self.keys[k] for k in new], dtype=np.int64))

    def remove(self, folder: str) -> None:
        """A segment's passages, and the vectors no other passage has."""
        gone = np.unique(self.rows.pop(folder))
        kept = np.concatenate(list(self.rows.values())) if self.rows else np.zeros(0, np.int64)
        dead = np.setdiff1d(gone, kept)
        if len(dead):
            dense.remove_ids(self.index, dead)
            dead_set = set(dead.tolist())
            self.keys = {k: i for k, i in self.keys.items() if i not in dead_set}

    @property
    def probes(self) -> int:
        """The lists a search looks in."""
        return max(PROBES, math.ceil(PROBE_SHARE * dense.lists(self.index)))


# ------------------------------------------------------------------ keeping it in step


def sync_wide(folder: Path, entries: list[dict], previous: str | None, dim: int | None) -> str | None:
    """The name of the wide index that stands for the manifest `entries` (their segment
    folders), written under `folder`/wide when the `previous` one (named by the manifest
    being replaced) does not; None without vectors."""
    if not needed(entries, dim):
        return None
    want = [e["dir"] for e in entries]
    wide = _readable(folder, previous, dim)
    if wide is not None and set(wide.rows) == set(want):
        return previous
    keys = {s: _keys(folder, s) for s in want if wide is None or s not in wide.rows}
    if wide is not None:
        for gone in [s for s in wide.rows if s not in want]:
            wide.remove(gone)
        grown = set(wide.keys) | {k for ks in keys.values() for k in ks}
        if len(grown) > GROWTH * wide.trained_on:
            wide, keys = None, {s: _keys(folder, s) for s in want}
    if wide is None:
        wide = _trained(folder, keys, dim)
    for new in [s for s in want if s not in wide.rows]:
        wide.add(new, keys[new], _vectors(folder, new))
    return _write(folder, wide)


def needed(entries: list[dict], dim: int | None) -> bool:
    """Whether an index of these manifest entries has a wide index: when it has vectors."""
    return dim is not None and sum(e["passages"] for e in entries) > 0


def _vectors(folder: Path, segment: str) -> np.ndarray:
    return dense.stored(dense.read_flat(folder / "segments" / segment / VECTORS))


def _keys(folder: Path, segment: str) -> list[str]:
    """Each passage's text hash (a segment that has lost them has a key per passage of
    its own: its vectors are then kept apart, never mistaken for another's)."""
    keys = vector_keys(folder / "segments" / segment)
    n = dense.shape(dense.read_flat(folder / "segments" / segment / VECTORS))[0]
    return keys if len(keys) == n else [f"{segment}:{row}" for row in range(n)]


def _trained(folder: Path, keys: dict[str, list[str]], dim: int) -> Wide:
    """An empty index trained on a random sample of the segments' distinct vectors (the
    same rows of every segment would miss, in plans of one layout, whole kinds of passage)."""
    first: dict[str, tuple[str, int]] = {}  # text hash -> where it first appears
    for segment, ks in keys.items():
        for row, key in enumerate(ks):
            first.setdefault(key, (segment, row))
    total = len(first)
    lists = max(1, min(int(math.sqrt(total)), total // PER_LIST))
    rng = np.random.default_rng(0)
    taken = [first[k] for k in first if rng.random() < lists * SAMPLE_PER_LIST / total]
    by_segment: dict[str, list[int]] = {}
    for segment, row in taken:
        by_segment.setdefault(segment, []).append(row)
    sample = np.concatenate([_vectors(folder, s)[rows] for s, rows in by_segment.items()])
    index = dense.quantised_index(dim, lists)
    dense.train(index, sample)
    return Wide(index, dim, total, 0, {}, {})


def _write(folder: Path, wide: Wide) -> str:
    """Write the index and its table as a new version folder; its name."""
    order = sorted(wide.rows)
    table = json.dumps(
        {
            "dim": wide.dim,
            "trained_on": wide.trained_on,
            "next_id": wide.next_id,
            "segments": [[s, len(wide.rows[s])] for s in order],
        }
    )
    rows = np.concatenate([wide.rows[s] for s in order]) if order else np.zeros(0, np.int64)
    digest = hashlib.sha1(table.encode())
    digest.update(rows.tobytes())
    name = f"{FOLDER}-{digest.hexdigest()[:12]}"
    root = folder / FOLDER
    root.mkdir(exist_ok=True)
    tmp = root / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        dense.write(wide.index, tmp / INDEX)
        (tmp / TABLE).write_text(table, "utf-8")
        np.save(tmp / ROWS, rows, allow_pickle=False)
        (tmp / KEYS).write_text(json.dumps(wide.keys), "utf-8")
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


def open_wide(folder: Path, name: str, with_keys: bool = False) -> Wide:
    """The version `name`, its checksums verified, read into memory (faiss's memory-mapped
    inverted lists search about six times slower); its text hashes only `with_keys` (an
    update needs them, a search does not). Raises WideInvalid."""
    where = folder / FOLDER / name
    try:
        recorded = json.loads((where / CHECKSUMS).read_text("utf-8"))
        if checksums(where, skip=CHECKSUMS) != recorded:
            raise WideInvalid(f"{name}: files do not match their checksums")
        table = json.loads((where / TABLE).read_text("utf-8"))
        index = dense.read_quantised(where / INDEX)
        flat_rows = np.load(where / ROWS, allow_pickle=False)
        keys = json.loads((where / KEYS).read_text("utf-8")) if with_keys else {}
    except WideInvalid:
        raise
    except Exception as exc:
        raise WideInvalid(f"{name}: {type(exc).__name__}: {exc}") from None
    counts = [n for _, n in table["segments"]]
    if sum(counts) != len(flat_rows):
        raise WideInvalid(f"{name}: the table does not match its rows")
    parts = np.split(flat_rows, np.cumsum(counts)[:-1]) if counts else []
    rows = {s: r for (s, _), r in zip(table["segments"], parts)}
    distinct = len(np.unique(flat_rows))
    if dense.shape(index) != (distinct, int(table["dim"])) or (with_keys and len(keys) != distinct):
        raise WideInvalid(f"{name}: the index does not match its table")
    return Wide(index, int(table["dim"]), int(table["trained_on"]), int(table["next_id"]), rows, keys)


def _readable(folder: Path, name: str | None, dim: int) -> Wide | None:
    """The version `name` with its text hashes, for an update; None when there is none or
    it cannot be trusted (it is then built again)."""
    if not name:
        return None
    try:
        wide = open_wide(folder, name, with_keys=True)
    except WideInvalid:
        return None
    return wide if wide.dim == dim else None


# ------------------------------------------------------------------ searching a view


class WideSearch:
    """The dense search of a view through the wide index: vectors from the scope's only,
    rescored exactly by the view's flat indexes (`flat`), their passages best first."""

    def __init__(self, wide: Wide, folders: list[str], flat: Flat):
        """`folders`: the view's segment folders in passage order, `flat` their flat indexes."""
        if [len(wide.rows[f]) for f in folders] != [dense.shape(p)[0] for p in flat.parts]:
            raise ValueError("the view's segments do not match the wide index's table")
        self.wide, self.flat = wide, flat
        ids = np.concatenate([wide.rows[f] for f in folders]) if folders else np.zeros(0, np.int64)
        self.passages = np.argsort(ids, kind="stable")  # grouped by vector id, in passage order
        self.ids = ids[self.passages]
        self.keep = dense.id_filter(np.unique(ids)) if set(folders) != set(wide.rows) else None

    def __len__(self) -> int:
        return len(self.flat)

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[int]]:
        _, found = dense.search_quantised(self.wide.index, query, REFINE * n, self.wide.probes, self.keep)
        found = found[found >= 0]
        starts = np.searchsorted(self.ids, found, side="left")
        ends = np.searchsorted(self.ids, found, side="right")
        starts, ends = starts[starts < ends], ends[starts < ends]  # (ids of this view's only)
        exact = self.flat.at(query, self.passages[starts])  # a passage of each vector
        scores = np.zeros(len(self.flat), dtype=np.float32)
        taken: list[np.ndarray] = []
        count, last = 0, None
        for i in np.lexsort((self.passages[starts], -exact)):
            if count >= n and exact[i] != last:
                break
            group = self.passages[starts[i] : ends[i]]
            group = group if allowed is None else group[allowed[group]]
            scores[group] = exact[i]
            taken.append(group)
            count, last = count + len(group), exact[i]
        chosen = np.concatenate(taken) if taken else np.zeros(0, np.int64)
        order = chosen[np.lexsort((chosen, -scores[chosen]))][:n]
        return scores, [int(p) for p in order]
