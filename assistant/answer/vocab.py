"""Word sets of passages for coverage checks, in one spelling: accented or accent-folded.

A question typed with diacritics is checked against accented words, so that "lương" does
not match "lượng"; one typed without them is checked against folded words."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.answer.question import expand_abbreviations
from assistant.answer.retrieve import idf_table, with_syllables


class Vocabulary:
    def __init__(self, segment: Callable[[str], list[str]], texts: Sequence[str]):
        self.segment = segment
        sets = [set(segment(expand_abbreviations(t))) for t in texts]
        self.idf = idf_table(sets)
        self.rarest = max(self.idf.values(), default=1.0)  # the weight of a word no passage has
        self.sets = [with_syllables(s) for s in sets]

    def words(self, text: str) -> set[str]:
        return with_syllables(set(self.segment(expand_abbreviations(text))))

    def sequence(self, text: str) -> list[str]:
        return self.segment(expand_abbreviations(text))
