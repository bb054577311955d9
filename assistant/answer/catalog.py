"""The plans a question can be about, known without reading any plan's segment: their
places and periods (for naming a plan in a question) and the answering state of each
scope, made when a question first needs it. Everything else is read per view."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from assistant.answer.candidates import Corpus
from assistant.answer.places import Gazetteer
from assistant.answer.question import Question, parse_question
from assistant.index.store import Segments
from assistant.records import Fact

CORPORA = 16  # answering states of scopes kept in memory
PARSED = 64  # questions kept parsed


class Catalog:
    def __init__(self, index: Segments, say: Callable[[Fact], str]):
        self.index, self.say = index, say
        self.plans = {p.id: p for p in index.catalog}
        self.places = {p.id: p.place for p in index.catalog}
        self.periods = {p.id: p.period for p in index.catalog}
        self.gazetteer = Gazetteer(index.catalog, self._text_of)
        self._corpora: OrderedDict[tuple[str, ...], Corpus] = OrderedDict()
        self._parsed: OrderedDict[str | None, Question] = OrderedDict()

    def _text_of(self, plan: str) -> str:
        return "\n".join(p.text for p in self.index.passages_of(plan))

    def parse(self, raw: str | None) -> Question:
        """The question, with the plans it names among the catalog's (a question read a
        moment ago is not read again: a conversation reads it before and after answering)."""
        if raw in self._parsed:
            self._parsed.move_to_end(raw)
            return self._parsed[raw]
        q = parse_question(raw, self.places, self.periods, self.gazetteer)  # raises on an invalid one
        self._parsed[raw] = q
        while len(self._parsed) > PARSED:
            self._parsed.popitem(last=False)
        return q

    def corpus(self, plan_ids: tuple[str, ...] = ()) -> Corpus:
        """The answering state over these plans (every plan when none is given)."""
        key = tuple(sorted(plan_ids))
        if key not in self._corpora:
            self._corpora[key] = Corpus(self.index.view(key), self.say)
            while len(self._corpora) > CORPORA:
                self._corpora.popitem(last=False)
        self._corpora.move_to_end(key)
        return self._corpora[key]
