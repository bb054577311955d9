"""Ranking: BM25 (real and accent-folded tokens), dense vectors, reciprocal rank fusion.
Pure functions over an index and a question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from assistant.index.segment import syllables
from assistant.lang.normalize import fold

RRF_K = 60


def rrf(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K
) -> dict[int, float]:
    """Reciprocal rank fusion: sum over rankings of weight / (k + rank)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank + 1)
    return fused


def restore_diacritics(text: str, table: Mapping[str, str]) -> str:
    """Put back the corpus's most frequent accents on a question typed without them."""
    parts = syllables(text)
    out, i = [], 0
    while i < len(parts):
        pair = fold(" ".join(parts[i : i + 2])) if i + 1 < len(parts) else None
        if pair and pair in table:
            out.append(table[pair])
            i += 2
            continue
        out.append(table.get(fold(parts[i]), parts[i]))
        i += 1
    return " ".join(out)


def top(scores: np.ndarray, allowed: np.ndarray | None, n: int) -> list[int]:
    s = scores.copy()
    if allowed is not None:
        s[~allowed] = -np.inf
    order = np.argsort(-s, kind="stable")[:n]
    return [int(i) for i in order if np.isfinite(s[i]) and s[i] > 0]


def with_syllables(words: set[str]) -> set[str]:
    """A passage's words plus their syllables, so that segmentation differences between
    question and passage ("nd" / "nd_cp") do not hide a match."""
    return words | {s for w in words if "_" in w for s in w.split("_")}


def has_word(word: str, present: set[str]) -> bool:
    return word in present or ("_" in word and all(s in present for s in word.split("_")))


def coverage(
    question_words: Sequence[str], present: set[str], idf: dict[str, float], default: float | None = None
) -> float:
    """IDF-weighted share of the question's content words (folded, segmented) found in
    `present` (a passage's words with their syllables). A word absent from `idf` weighs
    `default` (the rarest word's IDF unless given: pass it when calling often)."""
    if not question_words:
        return 0.0
    if default is None:
        default = max(idf.values(), default=1.0)
    total = sum(idf.get(w, default) for w in question_words)
    hit = sum(idf.get(w, default) for w in question_words if has_word(w, present))
    return hit / total if total else 0.0
