"""One plan's segment on disk: its records and passages, its lexicon, BM25 pair, word sets,
diacritics restore table and vectors (a flat FAISS index), in a folder of its own with a
checksum of each file. Built once when the plan is added (or its file or the code
changes) and never rewritten; loading memory-maps the arrays and verifies the checksums."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.index import dense
from assistant.index.dense import Flat
from assistant.index.disk import checksums
from assistant.index.embed import Embedder
from assistant.index.passages import Passage, plan_passages
from assistant.index.reference import Reference
from assistant.index.report import stage
from assistant.index.segment import Segmenter, induce_lexicon, restore_table, text_key
from assistant.index.vectors import Progress, embed_cached, text_hash
from assistant.index.view import Index, Lexical
from assistant.index.wordsets import SPELLINGS, passage_words
from assistant.index.wordsets import load as load_words
from assistant.index.wordsets import save as save_words
from assistant.records import PlanRecords

EMBED_CHARS = 600  # passages are embedded by their first characters; lexical search sees all
CHECKSUMS = "checksums.json"
VECTORS = "dense.faiss"  # the flat index of the passages' vectors
OLD_VECTORS = "vectors.npy"  # where segments of the previous format kept them


class SegmentInvalid(Exception):
    """A segment folder is missing, garbled or does not match what the manifest says."""


def bm25(corpus_tokens: list[list[str]], reference: Reference | None = None, field: str = ""):
    """bm25s over these passages' tokens; with a reference, each stored score is computed
    with the reference's IDF and average passage length instead of the plan's own (the
    same BM25, on one scale for every plan)."""
    import bm25s

    docs = [toks or [""] for toks in corpus_tokens]
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)
    if reference is not None:
        _rescore(retriever, docs, reference, field)
    return retriever


def _rescore(retriever, docs: list[list[str]], ref: Reference, field: str) -> None:
    from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

    tfc, idf = _select_tfc_scorer(retriever.method), _select_idf_scorer(retriever.idf_method)
    counts = [Counter(d) for d in docs]
    lengths = np.array([len(d) for d in docs], dtype=np.float64)
    token_of = {j: t for t, j in retriever.vocab_dict.items()}
    data, indices, indptr = (retriever.scores[k] for k in ("data", "indices", "indptr"))
    out = np.zeros(len(data), dtype=np.float64)
    for j in range(len(indptr) - 1):
        lo, hi = int(indptr[j]), int(indptr[j + 1])
        if hi > lo:
            token, rows = token_of[j], indices[lo:hi]
            tf = np.array([counts[d][token] for d in rows], dtype=np.float64)
            weight = idf(ref.df[field].get(token, 0), ref.passages)
            out[lo:hi] = weight * tfc(
                tf, lengths[rows], ref.avgdl[field], retriever.k1, retriever.b, retriever.delta
            )
    retriever.scores["data"] = out.astype(data.dtype)


def build_segment(
    rec: PlanRecords,
    embedder: Embedder | None,
    words_cache: dict[str, list[str]],
    vector_cache: dict[str, np.ndarray],
    progress: Progress | None = None,
    journal: Path | None = None,
    reference: Reference | None = None,
) -> tuple[Index, dict[str, list[str]]]:
    """The segment of one plan, and the word segmentation of its passages (text hash ->
    words) for the next build. Caches are filled, never required. Passages are cut by the
    reference's lexicon and the plan's own words."""
    passages = plan_passages(rec)
    texts = [p.search_text for p in passages]
    stage(progress, "segment")
    own = induce_lexicon(texts, words_cache)
    segmenter = Segmenter(own | reference.lexicon if reference is not None else own)
    vectors = None
    if embedder is not None:
        stage(progress, "embed")
        embedded = embed_cached(embedder, [t[:EMBED_CHARS] for t in texts], vector_cache, progress, journal)
        vectors = Flat.of(embedded, embedder.dim)
    view = Index(
        plans=[rec],
        passages=passages,
        segmenter=segmenter,
        parts=[
            Lexical(
                segmenter,
                bm25([segmenter.tokens(t) for t in texts], reference, "tokens"),
                bm25([segmenter.folded_tokens(t) for t in texts], reference, "folded_tokens"),
            )
        ],
        dense=vectors,
        restore=restore_table(texts),
        words={
            "fold": passage_words(segmenter.folded_words, texts),
            "accent": passage_words(segmenter.words, texts),
        },
        reference=reference,
    )
    return view, {text_key(t): words_cache[text_key(t)] for t in texts}


def write_segment(view: Index, words: dict[str, list[str]], folder: Path) -> None:
    """Write the segment into `folder` (made here, through a temporary name)."""
    tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        rec = view.plans[0]
        records = {
            "plan": rec.model_dump(mode="json"),
            "passages": [p.model_dump(mode="json") for p in view.passages],
        }
        (tmp / "records.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        (tmp / "lexicon.json").write_text(
            json.dumps(sorted(view.segmenter.lexicon), ensure_ascii=False), "utf-8"
        )
        (tmp / "restore.json").write_text(json.dumps(view.restore, ensure_ascii=False), "utf-8")
        (tmp / "segments.json").write_text(json.dumps(words, ensure_ascii=False), "utf-8")
        for spelling, ws in view.words.items():
            save_words(ws, tmp / f"words_{spelling}.npz")
        part = view.parts[0]
        part.bm25.save(str(tmp / "bm25"), show_progress=False)
        part.bm25_folded.save(str(tmp / "bm25_folded"), show_progress=False)
        if view.dense is not None:
            dense.write(view.dense.parts[0], tmp / VECTORS)
            keys = [text_hash(p.search_text[:EMBED_CHARS]) for p in view.passages]
            (tmp / "vector_keys.json").write_text(json.dumps(keys), "utf-8")
        (tmp / CHECKSUMS).write_text(json.dumps(checksums(tmp, skip=CHECKSUMS)), "utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def verify(folder: Path) -> None:
    try:
        recorded = json.loads((folder / CHECKSUMS).read_text("utf-8"))
        found = checksums(folder, skip=CHECKSUMS)
    except (OSError, ValueError) as exc:
        raise SegmentInvalid(f"{folder.name}: {exc}") from None
    if found != recorded:
        bad = sorted(k for k in set(found) | set(recorded) if found.get(k) != recorded.get(k))
        raise SegmentInvalid(f"{folder.name}: files do not match their checksums: {', '.join(bad[:5])}")


def read_records(folder: Path) -> tuple[PlanRecords, list[Passage]]:
    data = json.loads((folder / "records.json").read_text("utf-8"))
    return PlanRecords.model_validate(data["plan"]), [Passage.model_validate(p) for p in data["passages"]]


def read_segment(
    folder: Path, dim: int | None, records: tuple[PlanRecords, list[Passage]], reference: Reference | None
) -> Index:
    """The segment in `folder`, its arrays memory-mapped. The caller has verified the
    folder and read its `records` (`read_records`); `dim`: the embedder's dimension, None
    without vectors."""
    import bm25s

    rec, passages = records
    n = len(passages)
    try:
        part = Lexical(
            Segmenter(json.loads((folder / "lexicon.json").read_text("utf-8"))),
            bm25s.BM25.load(str(folder / "bm25"), show_progress=False, mmap=True),
            bm25s.BM25.load(str(folder / "bm25_folded"), show_progress=False, mmap=True),
        )
        vectors = Flat((dense.read_flat(folder / VECTORS),)) if dim else None
        words = {s: load_words(folder / f"words_{s}.npz") for s in SPELLINGS}
        restore = json.loads((folder / "restore.json").read_text("utf-8"))
    except Exception as exc:
        raise SegmentInvalid(f"{folder.name}: {type(exc).__name__}: {exc}") from None
    if vectors is not None and (len(vectors), vectors.dim) != (n, dim):
        raise SegmentInvalid(f"{folder.name}: vector shape does not match the passages")
    for r in (part.bm25, part.bm25_folded):
        if int(r.scores["num_docs"]) != n:
            raise SegmentInvalid(f"{folder.name}: BM25 size does not match the passages")
    if any(len(ws) != n for ws in words.values()):
        raise SegmentInvalid(f"{folder.name}: word sets do not match the passages")
    return Index([rec], passages, part.segmenter, [part], vectors, restore, words, reference)


def cached_words(folder: Path) -> dict[str, list[str]]:
    """The word segmentation a segment saved (empty when unreadable)."""
    try:
        data = json.loads((folder / "segments.json").read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def vector_keys(folder: Path) -> list[str]:
    """The text hash of each of a segment's vectors, in row order (empty when unreadable)."""
    try:
        keys = json.loads((folder / "vector_keys.json").read_text("utf-8"))
        return keys if isinstance(keys, list) else []
    except (OSError, ValueError):
        return []


def vectors_at(folder: Path, rows: list[int]) -> np.ndarray:
    """These rows of a segment's vectors."""
    return dense.stored(dense.read_flat(folder / VECTORS))[rows]


def cached_vectors(folder: Path, dim: int) -> dict[str, np.ndarray]:
    """A segment's vectors by text hash (empty when unreadable or of another size); a
    segment of the previous format kept them as an array."""
    try:
        keys = json.loads((folder / "vector_keys.json").read_text("utf-8"))
        if (folder / VECTORS).is_file():
            vectors = dense.stored(dense.read_flat(folder / VECTORS))
        else:
            vectors = np.load(folder / OLD_VECTORS, allow_pickle=False)
        ok = len(keys) == len(vectors) and vectors.ndim == 2 and vectors.shape[1] == dim
        return dict(zip(keys, vectors)) if ok else {}
    except Exception:
        return {}
