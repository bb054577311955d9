"""The dense search of a scope of every plan, measured on a loaded assistant (`bench_scale`
calls it with the grown corpus): the wide index against a flat scan of every segment, and
questions that name no commune answered across every plan.

Recall@k counts the passages the wide search returns whose exact similarity is at least
the k-th best of the flat scan (ties at the k-th count as found: clones share most of
their passages, and a flat scan breaks the ties of equal vectors by position). It is
given for the search as the answering does it, and for the quantised index alone over
the distinct vectors it holds (its own k best against the k best distinct vectors)."""

from __future__ import annotations

import statistics
import time

import numpy as np


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))]


def _found(exact: np.ndarray, positions, k: int) -> float:
    kth = np.partition(exact, len(exact) - k)[len(exact) - k]
    return float(np.mean(exact[np.asarray(positions[:k], dtype=np.int64)] >= kth))


def wide_recall(assistant, questions: list[str], k: int = 20) -> dict:
    """Recall@k of the wide index against a flat scan of every plan, and both searches'
    times, over `questions` embedded as the answering embeds them."""
    from assistant.index import dense
    from assistant.index.dense import Flat
    from assistant.index.plan_segment import VECTORS
    from assistant.index.wide import WideSearch

    index, embedder = assistant.index, assistant.answerer.embedder
    folders = [e.dir for e in index.entries]
    flat = Flat(tuple(dense.read_flat(index.folder / "segments" / d / VECTORS) for d in folders))
    search = WideSearch(index.wide(), folders, flat)
    ids = np.unique(search.ids)
    one = search.passages[np.searchsorted(search.ids, ids)]  # a passage of each vector
    used, alone, wide_ms, flat_ms = [], [], [], []
    for q in questions:
        vec = np.asarray(embedder.embed_queries([q]), dtype=np.float32).reshape(-1)
        started = time.perf_counter()
        _, order = search.search(vec, k)
        wide_ms.append(_ms(started))
        started = time.perf_counter()
        exact = flat.similarities(vec)
        flat_ms.append(_ms(started))
        used.append(_found(exact, order, k))
        _, got = dense.search_quantised(index.wide().index, vec, k, index.wide().probes)
        alone.append(_found(exact[one], np.searchsorted(ids, got[got >= 0]), k))
    return {
        "wide_entries": len(flat),
        "wide_distinct_vectors": len(ids),
        f"wide_recall{k}": round(float(np.mean(used)), 4),
        f"wide_recall{k}_min": round(float(np.min(used)), 3),
        f"wide_recall{k}_distinct_vectors": round(float(np.mean(alone)), 4),
        "wide_search_ms_p50": round(statistics.median(wide_ms), 2),
        "wide_search_ms_p95": round(_p95(wide_ms), 2),
        "flat_scan_ms_p50": round(statistics.median(flat_ms), 2),
        "flat_scan_ms_p95": round(_p95(flat_ms), 2),
    }


def cross_commune(assistant, questions: list[str], rss) -> dict:
    """Questions that name no commune, answered across every plan (the limit on unscoped
    questions lifted): the first one (it reads every segment), then p50 / p95 of two
    rounds, and the memory held after."""
    answerer = assistant.answerer
    limit, answerer.max_unscoped = answerer.max_unscoped, 0
    try:
        started = time.perf_counter()
        assistant.ask(questions[0])
        first = _ms(started)
        times = []
        for _ in range(2):
            for q in questions:
                started = time.perf_counter()
                assistant.ask(q)
                times.append(_ms(started))
    finally:
        answerer.max_unscoped = limit
    return {
        "cross_questions": len(questions),
        "cross_first_s": round(first / 1000, 2),
        "cross_p50_ms": round(statistics.median(times), 1),
        "cross_p95_ms": round(_p95(times), 1),
        "rss_cross_mb": round(rss()),
    }
