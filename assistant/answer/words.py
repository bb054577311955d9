"""The question's content words and the passage word sets they are checked against.

A question typed with diacritics is compared with accented words (so "lương" does not
match "lượng"); one typed without them with accent-folded words."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.question import Question
from assistant.answer.retrieve import coverage, has_word
from assistant.answer.vocab import Vocabulary
from assistant.index.view import Index
from assistant.lang.normalize import fold, fold_word
from assistant.lang.units import ABBREVIATIONS

# Words that carry a question's form rather than its content (folded syllables): question
# words, roles, units of measure, the names of the plan's own kind, forms of address and
# courtesy ("cho em hỏi ... ạ", "nhờ anh chị xem giúp", "cảm ơn").
_FORM_WORDS = set(
    """ai nao gi la bao nhieu khi may cua thi va o co duoc phai nhung don vi phong chu tri phoi hop han
ngay hay vay the nhu minh toi trong ve voi cho do lam can se da dang mot cac tai xa phuong ke hoach
cchc cai cach hanh chinh nam bi hoi gom nhu truoc sau tu den luc gio xong hoan thanh thoi gian lan
ra sao muc tieu chi dau uy ban nhan dan ubnd trieu dong ty tien phan tram mang viec lau moi lay nop
thuoc dat em anh chi a oi xin nhe giup voi biet chao muon nho xem cam on da chut""".split()
) | {"dinh_ky", "dau_moi", "bao_lau"}
_ABBREVIATIONS = {fold(k) for k in ABBREVIATIONS}


class Words:
    """Vocabularies of the index's passages, in both spellings."""

    def __init__(self, index: Index):
        seg, ref = index.segmenter, index.reference
        idf = ref.word_idf if ref is not None else {}
        rarest = ref.rarest if ref is not None else None
        self.views = {
            "fold": Vocabulary(seg.folded_words, index.words["fold"], idf.get("fold"), rarest),
            "accent": Vocabulary(seg.words, index.words["accent"], idf.get("accent"), rarest),
        }
        # the word sets of plan texts (sentences, records, statements), which recur from one
        # question to the next: segmenting them is most of a question's time
        self._sets = {name: lru_cache(maxsize=100_000)(view.words) for name, view in self.views.items()}

    def view(self, q: Question) -> Vocabulary:
        return self.views["accent" if q.has_diacritics else "fold"]

    def content(self, q: Question, plan_words: set[str]) -> list[str]:
        """The question's words an answer's passage should contain: not its form words,
        place or period (`plan_words`, folded), abbreviations (their long forms count), nor
        the noun that names the kind of answer ("văn bản nào")."""
        words = self.view(q).sequence(q.spelled_out)
        out = []
        for i, w in enumerate(words):
            parts = [fold_word(p) for p in w.split("_")]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if (
                all(p in _FORM_WORDS or p in plan_words for p in parts)
                or re.fullmatch(r"20\d\d", w)
                or fold_word(w) in _ABBREVIATIONS
                or fold_word(nxt) in {"nao", "gi", "may"}
            ):
                continue
            out.append(w)
        return list(dict.fromkeys(out))

    @staticmethod
    def without_units(q: Question, words: list[str]) -> list[str]:
        """`words` less those of the units the question names: for a statement about one of
        those units, the unit is matched as a unit, not word by word."""
        unit_words = {fold_word(w) for m in q.unit_mentions for w in re.findall(r"\w+", m)}
        return [w for w in words if not all(fold_word(p) in unit_words for p in w.split("_"))]

    def known(self, q: Question, words: list[str]) -> list[str]:
        """The words that occur somewhere in the plans (a compound: each of its syllables):
        only they can tell one passage from another."""
        vocab = self.view(q)
        return [
            w for w in words if vocab.knows(w) or ("_" in w and all(vocab.knows(s) for s in w.split("_")))
        ]

    def coverage_in(self, q: Question, words: list[str], passage: int) -> float:
        vocab = self.view(q)
        return coverage(words, vocab.sets[passage], vocab.idf, vocab.rarest) if words else 0.0

    def coverage_of(self, q: Question, words: list[str], text: str) -> float:
        if not words:
            return 0.0
        name = "accent" if q.has_diacritics else "fold"
        view = self.views[name]
        return coverage(words, self._sets[name](text), view.idf, view.rarest)

    def key_missing(self, q: Question, words: list[str], passage: int) -> bool:
        """The question's most specific compound word is not in the passage."""
        vocab = self.view(q)
        known = [w for w in words if w in vocab.idf and "_" in w]
        if not known:
            return False
        key = max(known, key=lambda w: vocab.idf[w])
        return not has_word(key, vocab.sets[passage])
