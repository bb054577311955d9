"""What a question is answered from: a view over the segments of the plans in its scope.

A segment is one plan's searchable index (BM25 over real and accent-folded tokens cut by
the reference lexicon and the plan's own words, word sets, diacritics restore table,
vectors in a flat FAISS index). A view of one plan is that segment; a view of several
concatenates them (`merge`), and searches its vectors through each segment's flat index
(exact) or, when its scope is wide, through the catalogue's approximate index (`wide`).
Every passage is scored with the reference statistics (`index.reference`): its segment's
BM25 is stored with the reference's IDF and passage length, coverage words weigh their
reference IDF, so that scores share one scale (the one the answering model was fit on)
and do not move when other plans are added."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from assistant.index.dense import Dense, Flat
from assistant.index.passages import Passage
from assistant.index.reference import Reference
from assistant.index.segment import Segmenter
from assistant.index.wordsets import WordSets, merge_words
from assistant.records import PlanRecords


@dataclass(frozen=True)
class Lexical:
    """One segment's BM25 pair and the segmenter that cut its passages."""

    segmenter: Segmenter
    bm25: object
    bm25_folded: object


@dataclass
class Index:
    plans: list[PlanRecords]
    passages: list[Passage]
    segmenter: Segmenter  # the union of the segments' lexicons: cuts a question's words
    parts: list[Lexical]  # in passage order: each scores its own segment's passages
    dense: Dense | None  # the dense search over these passages (None without vectors)
    restore: dict[str, str]  # folded syllable pair/syllable -> accented form
    words: dict[str, WordSets]  # each passage's words, "fold" and "accent" spellings
    reference: Reference | None = None  # the statistics scores are scaled to

    @property
    def spellings(self) -> Mapping[str, str]:
        """The diacritics restore table: the reference's spellings first, then the plans'."""
        if self.reference is None:
            return self.restore
        return ChainMap(self.reference.restore, self.restore)

    def lexical_scores(self, text: str) -> np.ndarray:
        """BM25 of `text` over every passage, each part cutting the text with its own
        lexicon (the scores are stored on the reference's scale: see `plan_segment.bm25`)."""
        scores = [
            bm25_scores(p.bm25, p.segmenter.tokens(text))
            + bm25_scores(p.bm25_folded, p.segmenter.folded_tokens(text))
            for p in self.parts
        ]
        return np.concatenate(scores) if scores else np.zeros(0, dtype=np.float32)


def bm25_scores(retriever, tokens: list[str]) -> np.ndarray:
    vocab = retriever.vocab_dict
    known = [t for t in tokens if t in vocab]
    if not known:
        return np.zeros(int(retriever.scores["num_docs"]), dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)


def merge(views: list[Index]) -> Index:
    """One view of several segments (in the order given). Pure: nothing is re-segmented;
    the restore table prefers the first segment's spelling of a folded syllable."""
    if len(views) == 1:
        return views[0]
    dense = None
    if views and all(isinstance(v.dense, Flat) for v in views):
        dense = Flat.joined([v.dense for v in views])
    restore: dict[str, str] = {}
    for v in reversed(views):
        restore.update(v.restore)
    return Index(
        plans=[p for v in views for p in v.plans],
        passages=[p for v in views for p in v.passages],
        segmenter=Segmenter(set().union(*(v.segmenter.lexicon for v in views))),
        parts=[p for v in views for p in v.parts],
        dense=dense,
        restore=restore,
        words={s: merge_words([v.words[s] for v in views]) for s in views[0].words} if views else {},
        reference=views[0].reference if views else None,
    )
