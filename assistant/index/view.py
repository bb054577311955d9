"""What a question is answered from: a view over the segments of the plans in its scope.

A segment is one plan's searchable index (BM25 over real and accent-folded tokens cut by
the plan's own lexicon, word sets, diacritics restore table, vectors). A view of one plan
is that segment; a view of several concatenates them (`merge`). Each segment keeps its
own statistics: a passage is scored by its own plan's BM25 (a plan's IDF does not move
when other plans are added), and a question about plan A sees only A's statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.index.passages import Passage
from assistant.index.segment import Segmenter
from assistant.index.wordsets import WordSets, merge_words
from assistant.records import PlanRecords


@dataclass(frozen=True)
class Lexical:
    """One segment's BM25 pair and the segmenter that cut its passages."""

    segmenter: Segmenter
    bm25: object
    bm25_folded: object
    size: int


@dataclass
class Index:
    plans: list[PlanRecords]
    passages: list[Passage]
    segmenter: Segmenter  # the union of the segments' lexicons: cuts a question's words
    parts: list[Lexical]  # in passage order: part k scores the next `size` passages
    vectors: np.ndarray | None
    restore: dict[str, str]  # folded syllable pair/syllable -> accented form
    words: dict[str, WordSets]  # each passage's words, "fold" and "accent" spellings

    def lexical_scores(self, text: str) -> np.ndarray:
        """BM25 of `text` over every passage, each part cutting the text with its own
        lexicon and scoring it with its own statistics."""
        scores = [
            _bm25(p.bm25, p.segmenter.tokens(text)) + _bm25(p.bm25_folded, p.segmenter.folded_tokens(text))
            for p in self.parts
        ]
        return np.concatenate(scores) if scores else np.zeros(0, dtype=np.float32)


def _bm25(retriever, tokens: list[str]) -> np.ndarray:
    vocab = retriever.vocab_dict
    known = [t for t in tokens if t in vocab]
    n = int(retriever.scores["num_docs"])
    if not known:
        return np.zeros(n, dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)


def merge(views: list[Index]) -> Index:
    """One view of several segments (in the order given). Pure: nothing is re-segmented;
    the restore table prefers the first segment's spelling of a folded syllable."""
    if len(views) == 1:
        return views[0]
    vectors = None
    if views and all(v.vectors is not None for v in views):
        vectors = np.concatenate([np.asarray(v.vectors) for v in views])
    restore: dict[str, str] = {}
    for v in reversed(views):
        restore.update(v.restore)
    return Index(
        plans=[p for v in views for p in v.plans],
        passages=[p for v in views for p in v.passages],
        segmenter=Segmenter(set().union(*(v.segmenter.lexicon for v in views))),
        parts=[p for v in views for p in v.parts],
        vectors=vectors,
        restore=restore,
        words={s: merge_words([v.words[s] for v in views]) for s in views[0].words} if views else {},
    )
