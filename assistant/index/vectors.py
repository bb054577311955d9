"""Passage vectors: embedded in batches, reused by content hash from the previous index,
and searched exactly with FAISS."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.index.disk import intact
from assistant.index.embed import Embedder

Progress = Callable[[int, int], None]  # (done, total)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def embed_cached(
    embedder: Embedder, texts: list[str], cache: dict[str, np.ndarray], progress: Progress | None
) -> np.ndarray:
    todo = [t for t in dict.fromkeys(texts) if text_hash(t) not in cache]
    batch = 32
    for i in range(0, len(todo), batch):
        chunk = todo[i : i + batch]
        for text, vec in zip(chunk, embedder.embed_passages(chunk)):
            cache[text_hash(text)] = vec
        if progress:
            progress(min(i + batch, len(todo)), len(todo))
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([cache[text_hash(t)] for t in texts]).astype(np.float32)


def previous_vectors(folder: Path, embedder: Embedder) -> dict[str, np.ndarray]:
    """Vectors of the previous index, reused for unchanged passages."""
    if not intact(folder, "vectors.npy", "vector_keys.json"):
        return {}
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        if manifest["embedder"] != {"name": embedder.name, "dim": embedder.dim}:
            return {}
        keys = json.loads((folder / "vector_keys.json").read_text("utf-8"))
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        return dict(zip(keys, vectors)) if len(keys) == len(vectors) else {}
    except Exception:
        return {}


def faiss_index(vectors: np.ndarray | None):
    if vectors is None:
        return None
    import faiss

    faiss.omp_set_num_threads(1)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index
