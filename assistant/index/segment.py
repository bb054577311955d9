"""Word segmentation for lexical search.

Plans are segmented with underthesea's word tokenizer when the index is built; the
multi-syllable words it finds become a lexicon stored with the index. Passages and
questions are then cut by the same greedy longest-match over that lexicon, so index
time and query time share one segmenting function, and a question is answered without
importing underthesea (several seconds with torch installed)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from assistant.lang.normalize import canon, fold, fold_word

_SYLLABLE = re.compile(r"\w+%?", re.UNICODE)
MAX_WORD = 4


def syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(canon(text))


def text_words(text: str, word_tokenize) -> list[str]:
    """Multi-syllable words of one text, lower case, syllables joined by spaces."""
    words: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        for word in word_tokenize(canon(line)):
            parts = syllables(word)
            if 1 < len(parts) <= MAX_WORD:
                words.append(" ".join(parts))
    return sorted(set(words))


def induce_lexicon(texts: Iterable[str], cache: dict[str, list[str]] | None = None) -> set[str]:
    """Multi-syllable words underthesea finds in `texts`. `cache` maps a text's hash to its
    words: texts already segmented (by an earlier build) are not segmented again, and
    underthesea is not even imported when every text is known. New entries are added."""
    cache = {} if cache is None else cache
    todo = [t for t in dict.fromkeys(texts) if text_key(t) not in cache]
    if todo:
        word_tokenize = _word_tokenizer()
        for text in todo:
            cache[text_key(text)] = text_words(text, word_tokenize)
    return {w for t in texts for w in cache[text_key(t)]}


# underthesea's package imports its optional pipelines (translation pulls in transformers
# and torch: about six seconds); only its word tokenizer is used here. A module whose
# entry in sys.modules is None fails to import, which underthesea treats as "not
# installed". The entries are removed again once the tokenizer is loaded.
_OPTIONAL = (
    "underthesea.pipeline.classification",
    "underthesea.pipeline.sentiment",
    "underthesea.pipeline.lang_detect",
    "underthesea.pipeline.dependency_parse",
    "underthesea.pipeline.translate",
    "underthesea.agent",
    "underthesea.address",
)


def _word_tokenizer():
    """underthesea's word tokenizer, imported without its optional pipelines (build time only)."""
    import sys

    if "underthesea" in sys.modules:
        from underthesea import word_tokenize

        return word_tokenize
    blocked = [m for m in _OPTIONAL if m not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        from underthesea import word_tokenize
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return word_tokenize


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Segmenter:
    """Greedy longest match over a lexicon; folded words match folded text."""

    def __init__(self, lexicon: Iterable[str]):
        self.lexicon = frozenset(lexicon)
        self.folded = frozenset(fold(w) for w in self.lexicon)

    def _cut(self, parts: list[str], known: frozenset[str]) -> list[str]:
        out, i = [], 0
        while i < len(parts):
            for n in range(min(MAX_WORD, len(parts) - i), 1, -1):
                cand = " ".join(parts[i : i + n])
                if cand in known:
                    out.append(cand.replace(" ", "_"))
                    i += n
                    break
            else:
                out.append(parts[i])
                i += 1
        return out

    def tokens(self, text: str) -> list[str]:
        """Words (syllables joined by `_`) plus every syllable, for recall."""
        return _with_syllables(self._cut(syllables(text), self.lexicon))

    def words(self, text: str) -> list[str]:
        """Accented words only (lower case, new tone placement)."""
        return self._cut(syllables(text), self.lexicon)

    def folded_words(self, text: str) -> list[str]:
        """Folded words only (no extra syllables): the unit of coverage checks."""
        return self._cut([fold_word(p) for p in syllables(text)], self.folded)

    def folded_tokens(self, text: str) -> list[str]:
        parts = [fold_word(p) for p in syllables(text)]
        return _with_syllables(self._cut(parts, self.folded))


def _with_syllables(words: list[str]) -> list[str]:
    extra = [s for w in words if "_" in w for s in w.split("_")]
    return words + extra


def restore_table(texts: list[str]) -> dict[str, str]:
    """Most frequent accented spelling of each folded syllable and syllable pair (ties go
    to the spelling met first). Each distinct spelling is folded once."""
    total: Counter = Counter()
    for text in texts:
        parts = syllables(text)
        total.update(parts)
        total.update(" ".join(pair) for pair in zip(parts, parts[1:]))
    counts: dict[str, Counter] = {}
    for gram, n in total.items():
        counts.setdefault(fold(gram), Counter())[gram] += n
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}
