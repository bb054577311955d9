"""The reference statistics every plan's segment is scored with: the word lexicon, the
document frequencies of search tokens and of coverage words, and the diacritics restore
table of a fixed reference corpus (the plans the answering model was fit on).

A segment holds one plan; scored with its own statistics, one plan's common words would
weigh what another plan's rare words weigh, and a model fit on one scale would be applied
to another. With one fixed reference, a passage scores the same in every corpus it is
loaded into: adding or removing other plans moves nothing about it. A word the reference
never saw weighs as the rarest word (it is at least that specific). Written by
`python -m assistant reference` from the corpus folder and shipped with the package; a
changed reference changes the index version (the index is rebuilt)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from assistant.index.segment import Segmenter, restore_table
from assistant.index.wordsets import passage_words

REFERENCE_FILE = Path(__file__).with_name("reference.json")


@dataclass(frozen=True)
class Reference:
    lexicon: frozenset[str]
    passages: int
    df: dict[str, dict[str, int]]  # field -> token or word -> passages that have it
    avgdl: dict[str, float]  # "tokens", "folded_tokens" -> mean tokens per passage
    restore: dict[str, str]

    @cached_property
    def word_idf(self) -> dict[str, dict[str, float]]:
        """Per spelling ("fold", "accent"), log(1 + N / df) of every coverage word."""
        n = max(self.passages, 1)
        return {f: {w: math.log(1 + n / c) for w, c in self.df[f].items()} for f in ("fold", "accent")}

    @property
    def rarest(self) -> float:
        return math.log(1 + max(self.passages, 1))


def compute(texts: list[str], lexicon: Iterable[str]) -> Reference:
    """The reference statistics of these passage texts, cut by `lexicon`."""
    seg = Segmenter(lexicon)
    tokens = {
        "tokens": [seg.tokens(t) or [""] for t in texts],
        "folded_tokens": [seg.folded_tokens(t) or [""] for t in texts],
    }
    df = {field: Counter(t for toks in docs for t in set(toks)) for field, docs in tokens.items()}
    avgdl = {field: sum(map(len, docs)) / max(len(docs), 1) for field, docs in tokens.items()}
    for field, cut in (("fold", seg.folded_words), ("accent", seg.words)):
        ws = passage_words(cut, texts)
        df[field] = Counter(ws.vocab[j] for j in ws.indices.tolist())
    df = {k: dict(sorted(v.items())) for k, v in df.items()}
    return Reference(seg.lexicon, len(texts), df, avgdl, restore_table(texts))


def save(ref: Reference, path: Path = REFERENCE_FILE) -> None:
    data = {
        "passages": ref.passages,
        "lexicon": sorted(ref.lexicon),
        "df": ref.df,
        "avgdl": ref.avgdl,
        "restore": ref.restore,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), "utf-8")


@lru_cache(maxsize=4)
def load(path: Path = REFERENCE_FILE) -> Reference | None:
    """The shipped reference (None when the file is missing: each segment then scores with
    its own statistics)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError:
        return None
    return Reference(
        frozenset(data["lexicon"]), int(data["passages"]), data["df"], data["avgdl"], data["restore"]
    )
