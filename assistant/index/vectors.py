"""Passage vectors: embedded in batches, reused by content hash (from the plan file's
earlier segment and from the other plans of the same build). A build journals the vectors
it makes (a part file every few hundred passages, beside the index folder), so a build
that is killed continues where it stopped instead of embedding everything again; a build
that lands clears the journal."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import numpy as np

from assistant.index.embed import Embedder
from assistant.index.report import Progress


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


BATCH = 8  # passages per call to the embedder: progress every second or two on a busy machine
JOURNAL_EVERY = 256  # passages per journal part


def journal_folder(index_folder: Path, embedder: Embedder) -> Path:
    """Where a build of `index_folder` journals the vectors of `embedder`."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", embedder.name)
    return index_folder.parent / f".{index_folder.name}.vectors" / slug


def journaled(journal: Path) -> dict[str, np.ndarray]:
    """The vectors an earlier, interrupted build journaled (unreadable parts are skipped)."""
    out: dict[str, np.ndarray] = {}
    for part in sorted(journal.glob("part-*.npz")) if journal.is_dir() else []:
        try:
            with np.load(part, allow_pickle=False) as data:
                out.update(zip(data["keys"].tolist(), data["vectors"]))
        except Exception:  # a part cut short by the kill
            continue
    return out


def clear_journal(journal: Path) -> None:
    shutil.rmtree(journal.parent, ignore_errors=True)


def _write_part(journal: Path, keys: list[str], vectors: list[np.ndarray]) -> None:
    journal.mkdir(parents=True, exist_ok=True)
    part = journal / f"part-{time.time_ns()}.npz"
    tmp = part.with_name(f".{part.name}")
    with tmp.open("wb") as fh:
        np.savez(fh, keys=np.array(keys, dtype=str), vectors=np.vstack(vectors).astype(np.float32))
    os.replace(tmp, part)


def embed_cached(
    embedder: Embedder,
    texts: list[str],
    cache: dict[str, np.ndarray],
    progress: Progress | None,
    journal: Path | None = None,
) -> np.ndarray:
    """The vectors of `texts`, embedding only those `cache` lacks (by content hash); new
    ones are journaled in `journal` as they are made."""
    todo = [t for t in dict.fromkeys(texts) if text_hash(t) not in cache]
    keys: list[str] = []
    made: list[np.ndarray] = []
    for i in range(0, len(todo), BATCH):
        chunk = todo[i : i + BATCH]
        for text, vec in zip(chunk, embedder.embed_passages(chunk)):
            cache[text_hash(text)] = vec
            keys.append(text_hash(text))
            made.append(vec)
        if journal is not None and (len(keys) >= JOURNAL_EVERY or i + BATCH >= len(todo)):
            _write_part(journal, keys, made)
            keys, made = [], []
        if progress:
            progress(min(i + BATCH, len(todo)), len(todo))
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([cache[text_hash(t)] for t in texts]).astype(np.float32)
