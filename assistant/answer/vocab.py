"""Word sets of passages for coverage checks, in one spelling: accented or accent-folded.

A question typed with diacritics is checked against accented words, so that "lương" does
not match "lượng"; one typed without them is checked against folded words. The passages'
sets come with the index (`index.wordsets`); a question's are cut by the same segmenter."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer.retrieve import with_syllables
from assistant.index.wordsets import WordSets
from assistant.lang.units import expand_abbreviations


class _PassageSets:
    """Passage i's words with their syllables, made when first asked for."""

    def __init__(self, words: WordSets):
        self._words, self._sets = words, {}

    def __getitem__(self, i: int) -> set[str]:
        if i not in self._sets:
            self._sets[i] = with_syllables(set(self._words.words(i)))
        return self._sets[i]

    def __len__(self) -> int:
        return len(self._words)


class Vocabulary:
    def __init__(
        self,
        segment: Callable[[str], list[str]],
        words: WordSets,
        idf: dict[str, float] | None = None,
        rarest: float | None = None,
    ):
        """`idf`: the reference's word weights (`index.reference`), `rarest` the weight of a
        word it never saw; without them, the passages' own."""
        self.segment = segment
        self.idf = words.idf() if idf is None else idf
        self.rarest = max(self.idf.values(), default=1.0) if rarest is None else rarest
        self.own = frozenset(words.vocab)  # the words of these passages
        self.sets = _PassageSets(words)

    def knows(self, word: str) -> bool:
        """Whether the reference or these passages use the word."""
        return word in self.idf or word in self.own

    def words(self, text: str) -> set[str]:
        return with_syllables(set(self.segment(expand_abbreviations(text))))

    def sequence(self, text: str) -> list[str]:
        return self.segment(expand_abbreviations(text))
