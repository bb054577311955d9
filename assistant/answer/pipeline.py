"""The answering pipeline, read top to bottom: parse -> scope -> candidates -> score ->
select or abstain -> compose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from assistant.answer.candidates import Candidate, gather
from assistant.answer.catalog import Catalog
from assistant.answer.compose import compose, no_plan, not_found, select
from assistant.answer.cross import Searched, above_plans, across, asks_across
from assistant.answer.model import Model, load_models, model_key
from assistant.answer.premise import Premise, holds, read_premise, without_claim
from assistant.answer.question import MAX_CHARS, InvalidQuestion, Question
from assistant.answer.rank import Hit
from assistant.answer.scope import missing_plan
from assistant.index.store import Segments
from assistant.records import Answer, Fact, MissingPlan


@dataclass(frozen=True)
class Gathered:
    """Everything about one question that does not depend on the model's parameters."""

    question: Question | None  # None when `settled`
    hits: list[Hit]
    candidates: list[Candidate]
    settled: Answer | None = None  # answered before any search (no plan for it, a choice to make)
    premise: Premise | None = None  # what the question asks to confirm
    asked: str = ""  # the question as asked, when it was searched without its claim
    each: tuple[Searched, ...] = ()  # a question across communes: each plan in scope, searched alone


class Answerer:
    """Holds what answering needs from a loaded index; `ask` is pure given that state."""

    def __init__(
        self,
        index: Segments,
        sources: dict[str, str],
        say: Callable[[Fact], str],
        embedder=None,
        models: dict[str, Model] | None = None,
        max_unscoped: int = 0,
    ):
        """`say`: the wording of a fact, which scoring reads (`present.facts.say`).
        `max_unscoped`: a question whose scope holds more plans than this must name its
        place (0: any number)."""
        self.catalog = Catalog(index, say)
        self.sources = sources
        self.embedder = embedder if index.has_vectors else None
        self._models = models
        self.max_unscoped = max_unscoped

    @cached_property
    def model(self) -> Model:
        """The scoring model for this index (with or without vectors), read when first
        needed: fitting a new one needs the candidates, not the old parameters."""
        return (self._models or load_models())[model_key(self.embedder is not None)]

    def parse(self, raw: str | None) -> Question:
        """The question with the plans it names, and the phrases its initials stand for in
        the plans in its scope."""
        q = self.catalog.parse(raw)
        return q if q.ambiguous or self._too_wide(q) else self._expanded(q)

    def _expanded(self, q: Question) -> Question:
        return self.catalog.corpus(q.plan_ids).expand(q)

    def _too_wide(self, q: Question) -> bool:
        """Whether the question's scope (the plans it names, or every plan: "xã" alone names
        every commune's) is more than one question may search."""
        return self._too_wide_for(q.plan_ids or tuple(self.catalog.plans))

    def gather(self, q: Question) -> Gathered:
        hits, cands = gather(self.catalog.corpus(q.plan_ids), self.embedder, q)
        return Gathered(q, hits, cands)

    def ask(self, raw: str | None, plans: tuple[str, ...] = (), home: tuple[str, ...] = ()) -> Answer:
        """The answer to `raw`; `plans` (ids), when given, is the scope the asker chose
        (a press on one of the plans an ambiguous place offered); `home`, the scope of a
        question that names no place (the asker's own commune)."""
        return self.decide(self.prepare(raw, plans, home), self.model)

    def prepare(self, raw: str | None, plans: tuple[str, ...] = (), home: tuple[str, ...] = ()) -> Gathered:
        """Everything about the question that does not depend on the model: its candidates,
        or the answer it gets before any search (invalid, a place to choose, no plan for the
        place or year it names, a scope too wide)."""
        try:
            q = self.catalog.parse(raw)
            wide = () if plans else self.across_scope(q, home)
            chosen = plans or (home if not q.names_place else ())
            if chosen and not wide:
                q = replace(
                    q,
                    plan_ids=tuple(p for p in chosen if p in self.catalog.plans),
                    ambiguous=(),
                    by_kind=False,
                )
        except InvalidQuestion as exc:
            return _settled(
                Answer(
                    question=raw or "",
                    found=False,
                    intent="invalid",
                    status="invalid",
                    problem=exc.problem,
                    length=exc.length,
                    limit=MAX_CHARS,
                )
            )
        settled = self._settled(q)
        if settled:
            return _settled(settled)
        if wide:
            return self.gather_each(q, wide)
        premise = read_premise(q.folded, q.units)
        if premise is None:
            return self.gather(self._expanded(q))
        searched = self._claim_free(q, premise)
        return replace(self.gather(self._expanded(searched)), premise=premise, asked=q.text)

    def _claim_free(self, q: Question, premise: Premise) -> Question:
        """The question searched without its claim, in the scope it named."""
        try:
            bare = self.catalog.parse(without_claim(q.text, premise, q.unit_mentions))
        except InvalidQuestion:
            return q
        return replace(
            bare, plan_ids=q.plan_ids, ambiguous=(), by_kind=q.by_kind, period_plans=q.period_plans
        )

    def _settled(self, q: Question) -> Answer | None:
        if q.ambiguous:
            return Answer(
                question=q.text,
                found=False,
                intent=q.intent,
                status="ambiguous",
                choices=tuple(self.catalog.plans[p] for p in q.ambiguous),
            )
        if not self.catalog.plans:  # nothing loaded yet: no plan covers any question
            return no_plan(self.catalog, q.text, q.intent, MissingPlan())
        missing = missing_plan(q, self.catalog.places, self.catalog.periods)
        if missing:
            return no_plan(self.catalog, q.text, q.intent, missing)
        return None

    def across_scope(self, q: Question, home: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The plans a question is answered across, commune by commune (none: one search).
        A question asking which communes ("xã nào …") is, and so is one naming no commune
        whose scope holds more plans than one question may search. Its scope: the communes
        it names, else the asker's home when that holds several communes (a province or
        district), else every plan (of the kind of unit it names); within the province or
        district it names."""
        if q.ambiguous or q.unknown_place:
            return ()
        cross = asks_across(q.folded)
        if q.plan_ids and not q.by_kind:
            several = len({self.catalog.places[p] for p in q.plan_ids}) > 1
            return q.plan_ids if several and cross else ()
        if len({self.catalog.places[p] for p in home if p in self.catalog.places}) < 2:
            home = ()  # one commune's plans: a question naming no commune is about that one
        scope = home or q.plan_ids or tuple(self.catalog.plans)
        if not (cross or home or self._too_wide_for(scope)):  # an area's communes: each stated
            return ()
        named = set(above_plans(q.folded, self.catalog.plans))
        within = tuple(p for p in scope if p in named)
        return within or scope

    def _too_wide_for(self, scope: tuple[str, ...]) -> bool:
        return 0 < self.max_unscoped < len(scope)

    def gather_each(self, q: Question, scope: tuple[str, ...]) -> Gathered:
        """Each plan of `scope` searched on its own, as a question naming its commune is."""
        each = []
        for pid in scope:
            one = self._expanded(replace(q, plan_ids=(pid,), by_kind=False, ambiguous=()))
            corpus = self.catalog.corpus(one.plan_ids)
            _, cands = gather(corpus, self.embedder, one)
            each.append(Searched(pid, corpus, cands))
        return Gathered(q, [], [], each=tuple(each))

    def decide(self, g: Gathered, model: Model) -> Answer:
        if g.settled is not None:
            return g.settled
        q = g.question
        if g.each:
            return across(q, list(g.each), model, self.sources)
        rows = [c.features for c in g.candidates]
        probs = model.probabilities(rows)
        verdict = model.verdict(rows, probs)
        corpus = self.catalog.corpus(q.plan_ids)
        asked = g.asked or q.text
        if verdict == "none":
            return not_found(corpus, self.sources, asked, q.intent, q.plan_ids, g.hits)
        chosen = select(q.plan_ids, g.candidates, probs, tentative=verdict == "tentative")
        named = bool(q.plan_ids)
        answer = compose(corpus, self.sources, asked, q.intent, named, g.candidates, chosen, g.hits)
        if verdict == "tentative":
            return answer.model_copy(update={"confidence": "low"})
        if g.premise is not None:
            return answer.model_copy(update={"premise_holds": holds(g.premise, answer.facts[0])})
        return answer


def _settled(answer: Answer) -> Gathered:
    return Gathered(None, [], [], answer)
