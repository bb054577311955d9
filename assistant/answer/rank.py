"""Passages ranked for a question: BM25 over real and accent-folded tokens, dense
similarity searched through the view's FAISS indexes, fused by reciprocal rank. Each
ranked passage keeps its raw signals, which become candidate features."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.question import Question
from assistant.answer.retrieve import restore_diacritics, rrf, top
from assistant.answer.variants import expand
from assistant.index.view import Index
from assistant.lang.units import expand_abbreviations

POOL = 40  # passages taken from each ranking
DENSE_WEIGHT = 0.6


@dataclass(frozen=True)
class Hit:
    """One ranked passage and the signals it was ranked by."""

    passage: int
    fused: float  # reciprocal-rank fusion score
    lexical: float  # BM25 (real + folded), raw
    lexical_rank: int  # 0-based; POOL when not in the lexical pool
    dense: float  # cosine similarity; 0.0 without an embedder, or where a wide scope's search did not reach
    dense_rank: int  # 0-based; POOL when not in the dense pool


def lexical_scores(index: Index, q: Question) -> np.ndarray:
    """BM25 of the question with its abbreviations spelled out and its expressions'
    synonyms and the long forms of its initials added, over the real and the accent-folded tokens."""
    return index.lexical_scores(expand(expand_abbreviations(q.spelled_out)))


def query_vector(index: Index, embedder, q: Question) -> np.ndarray | None:
    if embedder is None or index.dense is None or not len(index.passages):
        return None
    query = q.text if q.has_diacritics else restore_diacritics(q.text, index.spellings)
    if q.acronyms:
        query = f"{query} ({'; '.join(q.acronyms)})"
    vec = embedder.embed_queries([query])
    return np.ascontiguousarray(vec, dtype=np.float32).reshape(-1)


def rank(index: Index, plan_of: np.ndarray, embedder, q: Question, n: int = POOL) -> list[Hit]:
    """The passages of the plans in scope (`plan_of`: each passage's plan id), best first,
    with their signals."""
    allowed = np.isin(plan_of, list(q.plan_ids)) if q.plan_ids else None
    lexical = lexical_scores(index, q)
    lex_order = top(lexical, allowed, n)
    rankings, weights = [lex_order], [1.0]
    qvec = query_vector(index, embedder, q)
    dense = np.zeros(len(index.passages), dtype=np.float32)
    dense_order: list[int] = []
    if qvec is not None:
        dense, dense_order = index.dense.search(qvec, n, allowed)
        rankings.append(dense_order)
        weights.append(DENSE_WEIGHT)
    fused = rrf(rankings, weights)
    lex_pos = {p: i for i, p in enumerate(lex_order)}
    dense_pos = {p: i for i, p in enumerate(dense_order)}
    ordered = sorted(fused.items(), key=lambda kv: -kv[1])[:n]
    return [
        Hit(p, s, float(lexical[p]), lex_pos.get(p, n), float(dense[p]), dense_pos.get(p, n))
        for p, s in ordered
    ]
