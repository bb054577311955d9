"""The on-disk index: records, passages, BM25 (real and accent-folded), dense vectors.

Written atomically into a fresh folder and swapped in. The manifest, written last,
records the corpus it was built from (file hashes), the embedder, the counts and a
checksum of every other file; the loader reads one folder as it was when opened (a swap
while it reads does not mix two indexes), verifies every checksum, and raises
IndexInvalid (the caller rebuilds) when anything does not match."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.index.disk import checksums, clean_stale, code_version, file_hashes, intact, swap_in
from assistant.index.embed import Embedder
from assistant.index.passages import Passage, plan_passages
from assistant.index.segment import Segmenter, induce_lexicon, restore_table, text_key
from assistant.index.vectors import (
    Progress,
    clear_journal,
    embed_cached,
    faiss_index,
    journal_folder,
    journaled,
    previous_vectors,
    text_hash,
)
from assistant.index.wordsets import SPELLINGS, WordSets, passage_words
from assistant.index.wordsets import load as load_words
from assistant.index.wordsets import save as save_words
from assistant.read.load import LoadError
from assistant.records import PlanRecords

log = logging.getLogger(__name__)
FORMAT = 3
EMBED_CHARS = 600  # passages are embedded by their first characters; lexical search sees all


class IndexInvalid(Exception):
    """The index on disk is missing, corrupt or built from something else."""


@dataclass
class Index:
    plans: list[PlanRecords]
    errors: list[LoadError]
    passages: list[Passage]
    segmenter: Segmenter
    bm25: object
    bm25_folded: object
    vectors: np.ndarray | None
    faiss_index: object | None
    restore: dict[str, str]  # folded syllable pair/syllable -> accented form
    manifest: dict
    words: dict[str, WordSets]  # each passage's words, "fold" and "accent" spellings


def _bm25(corpus_tokens: list[list[str]]):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([toks or [""] for toks in corpus_tokens], show_progress=False)
    return retriever


def _load_json(path: Path) -> dict:
    """A cache file of the previous index, or nothing if it is missing, unreadable or
    garbled."""
    if not intact(path.parent, path.name):
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def build_index(
    plans: list[PlanRecords],
    errors: list[LoadError],
    corpus_dir: Path,
    folder: Path,
    embedder: Embedder | None,
    progress: Progress | None = None,
    files: dict[str, str] | None = None,
) -> Index:
    """Build everything in a temporary folder, then swap it in atomically.

    `files` (name -> sha256) is the corpus the manifest records: the files as they were
    read (see service.open_index), or as the caller will leave them after the swap (see
    update.py); by default the corpus folder as it is now."""
    started = time.time()
    clean_stale(folder)
    passages = [p for rec in plans for p in plan_passages(rec)]
    texts = [p.search_text for p in passages]
    segments = _load_json(folder / "segments.json")
    segmenter = Segmenter(induce_lexicon(texts, segments))
    vectors, journal = None, None
    if embedder is not None:
        journal = journal_folder(folder, embedder)
        cache = previous_vectors(folder, embedder) | journaled(journal)
        vectors = embed_cached(embedder, [t[:EMBED_CHARS] for t in texts], cache, progress, journal)
    manifest = {
        "format": FORMAT,
        "version": code_version(),
        "files": file_hashes(corpus_dir) if files is None else files,
        "embedder": {"name": embedder.name, "dim": embedder.dim} if embedder else None,
        "passages": len(passages),
        "plans": [p.plan.id for p in plans],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_seconds": round(time.time() - started, 1),
    }
    index = Index(
        plans,
        errors,
        passages,
        segmenter,
        _bm25([segmenter.tokens(t) for t in texts]),
        _bm25([segmenter.folded_tokens(t) for t in texts]),
        vectors,
        faiss_index(vectors),
        restore_table(texts),
        manifest,
        {
            "fold": passage_words(segmenter.folded_words, texts),
            "accent": passage_words(segmenter.words, texts),
        },
    )
    used = {text_key(t) for t in texts}
    save_index(
        index,
        folder,
        [t[:EMBED_CHARS] for t in texts],
        segments={k: v for k, v in segments.items() if k in used},
    )
    if journal is not None:
        clear_journal(journal)
    log.info("index built: %d passages in %.1f s", len(passages), time.time() - started)
    return index


def passage_word_sets(segmenter: Segmenter, texts: list[str]) -> dict[str, WordSets]:
    return {
        "fold": passage_words(segmenter.folded_words, texts),
        "accent": passage_words(segmenter.words, texts),
    }


def save_index(index: Index, folder: Path, embed_texts: list[str], segments: dict | None = None) -> None:
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write(index, tmp, embed_texts)
        if segments:  # the word segmentation of each passage, reused by the next build
            (tmp / "segments.json").write_text(json.dumps(segments, ensure_ascii=False), "utf-8")
        index.manifest["checksums"] = checksums(tmp)
        (tmp / "manifest.json").write_text(json.dumps(index.manifest, ensure_ascii=False, indent=2), "utf-8")
        swap_in(tmp, folder)
    except BaseException:  # the temporary folder is never left as a half-built index
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write(index: Index, tmp: Path, embed_texts: list[str]) -> None:
    (tmp / "records.json").write_text(
        json.dumps(
            {
                "plans": [p.model_dump(mode="json") for p in index.plans],
                "errors": [{"name": e.name, "problem": e.problem, "params": e.params} for e in index.errors],
                "passages": [p.model_dump(mode="json") for p in index.passages],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    (tmp / "lexicon.json").write_text(
        json.dumps(sorted(index.segmenter.lexicon), ensure_ascii=False), "utf-8"
    )
    (tmp / "restore.json").write_text(json.dumps(index.restore, ensure_ascii=False), "utf-8")
    for spelling, ws in index.words.items():
        save_words(ws, tmp / f"words_{spelling}.npz")
    index.bm25.save(str(tmp / "bm25"), show_progress=False)
    index.bm25_folded.save(str(tmp / "bm25_folded"), show_progress=False)
    if index.vectors is not None:
        np.save(tmp / "vectors.npy", index.vectors, allow_pickle=False)
        (tmp / "vector_keys.json").write_text(json.dumps([text_hash(t) for t in embed_texts]), "utf-8")


def load_index(folder: Path, files: dict[str, str], embedder: Embedder | None) -> Index:
    """Load and verify the index of the corpus `files` (name -> sha256, as read); raises
    IndexInvalid when it must be rebuilt."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise IndexInvalid(f"no index folder ({exc.strerror})") from None
    try:
        # the folder as opened: if an update swaps in another one meanwhile, this load
        # still reads one index (or fails, and the caller loads again under the lock)
        snapshot = Path(f"/proc/self/fd/{fd}") if Path("/proc/self/fd").is_dir() else folder
        return _verified(snapshot, files, embedder)
    finally:
        os.close(fd)


def _verified(folder: Path, files: dict[str, str], embedder: Embedder | None) -> Index:
    try:
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexInvalid(f"no readable manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise IndexInvalid("the manifest is not an object")
    expected_embedder = {"name": embedder.name, "dim": embedder.dim} if embedder else None
    if manifest.get("format") != FORMAT or manifest.get("version") != code_version():
        raise IndexInvalid("index format or version changed")
    if manifest.get("embedder") != expected_embedder:
        raise IndexInvalid("embedder changed")
    if manifest.get("files") != files:
        raise IndexInvalid("corpus changed")
    try:
        found = checksums(folder)
    except OSError as exc:
        raise IndexInvalid(f"unreadable index file ({exc})") from None
    recorded = manifest.get("checksums") or {}
    if found != recorded:
        bad = sorted(k for k in set(found) | set(recorded) if found.get(k) != recorded.get(k))
        raise IndexInvalid(f"index files do not match their checksums: {', '.join(bad[:5])}")
    try:
        return _read(folder, manifest, embedder)
    except IndexInvalid:
        raise
    except Exception as exc:
        raise IndexInvalid(f"corrupt index ({type(exc).__name__}: {exc})") from None


def _read(folder: Path, manifest: dict, embedder: Embedder | None) -> Index:
    import bm25s

    data = json.loads((folder / "records.json").read_text("utf-8"))
    plans = [PlanRecords.model_validate(p) for p in data["plans"]]
    passages = [Passage.model_validate(p) for p in data["passages"]]
    errors = [LoadError(e["name"], e["problem"], e["params"]) for e in data["errors"]]
    bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
    bm25_folded = bm25s.BM25.load(str(folder / "bm25_folded"), show_progress=False)
    vectors = np.load(folder / "vectors.npy", allow_pickle=False) if embedder else None
    n = len(passages)
    if n != manifest["passages"] or (vectors is not None and vectors.shape != (n, embedder.dim)):
        raise IndexInvalid("passage count or vector shape does not match the manifest")
    if int(bm25.scores["num_docs"]) != n or int(bm25_folded.scores["num_docs"]) != n:
        raise IndexInvalid("BM25 size does not match the passages")
    words = {s: load_words(folder / f"words_{s}.npz") for s in SPELLINGS}
    if any(len(ws) != n for ws in words.values()):
        raise IndexInvalid("word sets do not match the passages")
    lexicon = json.loads((folder / "lexicon.json").read_text("utf-8"))
    restore = json.loads((folder / "restore.json").read_text("utf-8"))
    return Index(
        plans,
        errors,
        passages,
        Segmenter(lexicon),
        bm25,
        bm25_folded,
        vectors,
        faiss_index(vectors),
        restore,
        manifest,
        words,
    )
