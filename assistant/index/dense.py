"""Dense search through FAISS: the one module of the package that calls it.

Each segment keeps its passages' vectors as a flat inner-product index (`Flat`): exact, a
passage's score is its vector's dot product with the question's (what a matrix product
gives, up to float rounding), written as a file of the segment and memory-mapped when
read. faiss is imported when first needed: a command that reads no vectors does not load
it."""

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
