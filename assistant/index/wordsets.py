"""Each passage's set of words, in both spellings (accented and accent-folded), computed
once when the index is built and saved with it, so that starting the assistant does not
segment every passage again. A set is stored as ids into one sorted vocabulary (CSR:
`indptr`, `indices`); document frequencies come from one count over the ids."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.lang.units import expand_abbreviations

SPELLINGS = ("fold", "accent")


@dataclass
class WordSets:
    vocab: list[str]
    indptr: np.ndarray  # passage i's word ids are indices[indptr[i]:indptr[i + 1]]
    indices: np.ndarray
    _raw: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def words(self, i: int) -> frozenset[str]:
        """Passage i's words (as segmented, abbreviations expanded)."""
        if i not in self._raw:
            ids = self.indices[self.indptr[i] : self.indptr[i + 1]].tolist()
            self._raw[i] = frozenset(self.vocab[j] for j in ids)
        return self._raw[i]

    def idf(self) -> dict[str, float]:
        """log(1 + N / df) of every word some passage has."""
        df = np.bincount(self.indices, minlength=len(self.vocab)).tolist()
        n = max(len(self), 1)
        return {w: math.log(1 + n / c) for w, c in zip(self.vocab, df) if c}


def passage_words(segment: Callable[[str], list[str]], texts: Sequence[str]) -> WordSets:
    """The word sets of `texts`, cut by `segment` after expanding abbreviations (what a
    question's words are compared with)."""
    sets = [set(segment(expand_abbreviations(t))) for t in texts]
    vocab = sorted(set().union(*sets)) if sets else []
    ids = {w: i for i, w in enumerate(vocab)}
    rows = [sorted(ids[w] for w in s) for s in sets]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((j for r in rows for j in r), dtype=np.int32, count=int(indptr[-1]))
    return WordSets(vocab, indptr, indices)


def save(ws: WordSets, path: Path) -> None:
    with path.open("wb") as fh:
        np.savez(fh, vocab=np.array(ws.vocab, dtype=str), indptr=ws.indptr, indices=ws.indices)


def load(path: Path) -> WordSets:
    with np.load(path, allow_pickle=False) as data:
        return WordSets(data["vocab"].tolist(), data["indptr"], data["indices"])


def merge_words(parts: Sequence[WordSets]) -> WordSets:
    """The word sets of several segments, one after another, over one vocabulary."""
    if len(parts) == 1:
        return parts[0]
    vocab = sorted(set().union(*(p.vocab for p in parts)))
    ids = {w: i for i, w in enumerate(vocab)}
    indices, indptr, offset = [], [np.zeros(1, dtype=np.int64)], 0
    for p in parts:
        remap = np.array([ids[w] for w in p.vocab], dtype=np.int32)
        indices.append(remap[p.indices] if len(p.indices) else p.indices.astype(np.int32))
        indptr.append(np.asarray(p.indptr[1:], dtype=np.int64) + offset)
        offset += int(p.indptr[-1])
    return WordSets(vocab, np.concatenate(indptr), np.concatenate(indices).astype(np.int32))
