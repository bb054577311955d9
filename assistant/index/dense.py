"""Dense search through FAISS: the one module of the package that calls it.

Each segment keeps its passages' vectors as a flat inner-product index (`Flat`): exact, a
passage's score is its vector's dot product with the question's (what a matrix product
gives, up to float rounding), written as a file of the segment and memory-mapped when
read. The catalogue's wide index (`index.wide`) is an inverted file over 8-bit
scalar-quantised codes whose ids name a segment and a passage; it is made, changed and
searched through the functions here too. faiss is imported when first needed: a command
that reads no vectors does not load it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np


class Dense(Protocol):
    """The dense search of a view over its passages (positions in passage order)."""

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[int]]:
        """Each passage's similarity to `query` (0.0 where it was not computed) and the
        `n` best `allowed` passages, best first, ties in passage order."""
        ...


def _faiss():
    import faiss

    return faiss


def _matrix(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(vectors), -1)


def _one(query: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)


def best(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """The positions of the `n` highest finite `allowed` scores, ties in position order."""
    masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
    return [int(i) for i in np.argsort(-masked, kind="stable")[:n] if np.isfinite(masked[i])]


# ------------------------------------------------------------------ one segment's flat index


def flat_index(vectors: np.ndarray, dim: int):
    """An exact inner-product index over `vectors` (rows in passage order)."""
    index = _faiss().IndexFlatIP(dim)
    if len(vectors):
        index.add(_matrix(vectors))
    return index


def shape(index) -> tuple[int, int]:
    """How many vectors an index holds, and their dimension."""
    return int(index.ntotal), int(index.d)


def write(index, path: Path) -> None:
    _faiss().write_index(index, str(path))


def read_flat(path: Path):
    """A flat index written by `write`, its vectors memory-mapped (not copied)."""
    faiss = _faiss()
    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)


def stored(index) -> np.ndarray:
    """The vectors a flat index holds, copied out (rows in passage order)."""
    return index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d), np.float32)


@dataclass(frozen=True)
class Flat:
    """Exact dense search over a view: each of its segments' flat indexes, in passage
    order. Every passage is scored (a segment is searched for all of its vectors), so the
    ranking and every score are those of a matrix product over the view's vectors, up to
    float rounding (FAISS and the BLAS sum a dot product in their own orders)."""

    parts: tuple  # faiss flat indexes

    @classmethod
    def of(cls, vectors: np.ndarray, dim: int) -> Flat:
        return cls((flat_index(vectors, dim),))

    @classmethod
    def joined(cls, flats: list[Flat]) -> Flat:
        return cls(tuple(p for f in flats for p in f.parts))

    def __len__(self) -> int:
        return sum(p.ntotal for p in self.parts)

    @property
    def dim(self) -> int:
        return self.parts[0].d

    @property
    def offsets(self) -> list[int]:
        return np.cumsum([0] + [p.ntotal for p in self.parts[:-1]]).tolist()

    def vectors(self) -> np.ndarray:
        """Every passage's vector, copied out."""
        return np.concatenate([stored(p) for p in self.parts]) if self.parts else np.zeros((0, 0))

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Every passage's similarity to `query`."""
        q = _one(query)
        out = np.zeros(len(self), dtype=np.float32)
        for start, part in zip(self.offsets, self.parts):
            if part.ntotal:
                scores, ids = part.search(q, part.ntotal)
                out[start + ids[0]] = scores[0]
        return out

    def search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[int]]:
        scores = self.similarities(query)
        return scores, best(scores, n, allowed)

    def at(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """The exact similarities of the passages at `positions` (any order) to `query`."""
        faiss, q = _faiss(), _one(query)
        positions = np.asarray(positions, dtype=np.int64)
        out = np.zeros(len(positions), dtype=np.float32)
        starts = np.asarray(self.offsets, dtype=np.int64)
        part_of = np.searchsorted(starts, positions, side="right") - 1
        for k in np.unique(part_of):
            rows = np.flatnonzero(part_of == k)
            labels = np.ascontiguousarray((positions[rows] - starts[k])[None, :])
            got = np.zeros((1, len(rows)), dtype=np.float32)
            self.parts[k].compute_distance_subset(
                1, faiss.swig_ptr(q), len(rows), faiss.swig_ptr(got), faiss.swig_ptr(labels)
            )
            out[rows] = got[0]
        return out


# ------------------------------------------------------------------ the catalogue's wide index


def quantised_index(dim: int, lists: int):
    """An empty inverted file of `lists` lists over 8-bit scalar-quantised codes (inner
    product), to be trained."""
    faiss = _faiss()
    return faiss.index_factory(dim, f"IVF{lists},SQ8", faiss.METRIC_INNER_PRODUCT)


def train(index, sample: np.ndarray) -> None:
    index.train(_matrix(sample))


def add(index, vectors: np.ndarray, ids: np.ndarray) -> None:
    if len(vectors):
        index.add_with_ids(_matrix(vectors), np.ascontiguousarray(ids, dtype=np.int64))


def remove_ids(index, ids: np.ndarray) -> int:
    """Remove the entries of these ids; how many there were."""
    return int(index.remove_ids(id_filter(ids)))


def read_quantised(path: Path):
    """A wide index written by `write`, read into memory."""
    return _faiss().read_index(str(path))


def id_filter(ids: np.ndarray):
    """A selector that lets only these ids through a search (`search_quantised`'s `keep`)."""
    return _faiss().IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64))


def lists(index) -> int:
    """How many inverted lists a wide index has."""
    return int(index.nlist)


def search_quantised(
    index, query: np.ndarray, k: int, probes: int, keep=None
) -> tuple[np.ndarray, np.ndarray]:
    """The `k` nearest ids to `query` (approximate scores), searching `probes` lists, only
    among the ids `keep` (an `id_filter`) lets through; -1 ids pad a short answer."""
    faiss = _faiss()
    probes = min(probes, lists(index))
    params = faiss.SearchParametersIVF(nprobe=probes, **({"sel": keep} if keep is not None else {}))
    scores, ids = index.search(_one(query), k, params=params)
    return scores[0], ids[0]
