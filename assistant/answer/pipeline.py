"""The answering pipeline, read top to bottom: parse -> scope -> candidates -> score ->
select or abstain -> compose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.answer.candidates import Candidate, Corpus, gather
from assistant.answer.compose import compose, no_plan, not_found, select
from assistant.answer.model import Model, load_models, model_key
from assistant.answer.question import MAX_CHARS, InvalidQuestion, Question
from assistant.answer.rank import Hit
from assistant.answer.scope import missing_plan
from assistant.index.store import Index
from assistant.records import Answer, Fact


@dataclass(frozen=True)
class Gathered:
    """Everything about one question that does not depend on the model's parameters."""

    question: Question
    hits: list[Hit]
    candidates: list[Candidate]


class Answerer:
    """Holds what answering needs from a loaded index; `ask` is pure given that state."""

    def __init__(
        self,
        index: Index,
        sources: dict[str, str],
        say: Callable[[Fact], str],
        embedder=None,
        models: dict[str, Model] | None = None,
    ):
        """`say`: the wording of a fact, which scoring reads (`present.facts.say`)."""
        self.corpus = Corpus(index, say)
        self.sources = sources
        self.embedder = embedder if index.vectors is not None else None
        self.model = (models or load_models())[model_key(self.embedder is not None)]

    def parse(self, raw: str | None) -> Question:
        return self.corpus.parse(raw)

    def gather(self, q: Question) -> Gathered:
        hits, cands = gather(self.corpus, self.embedder, q)
        return Gathered(q, hits, cands)

    def ask(self, raw: str | None, plans: tuple[str, ...] = ()) -> Answer:
        """The answer to `raw`; `plans` (ids), when given, is the scope the asker chose
        (a press on one of the plans an ambiguous place offered)."""
        try:
            q = self.parse(raw)
            if plans:
                q = replace(q, plan_ids=tuple(p for p in plans if p in self.corpus.plans), ambiguous=())
        except InvalidQuestion as exc:
            return Answer(
                question=raw or "",
                found=False,
                intent="invalid",
                status="invalid",
                problem=exc.problem,
                length=exc.length,
                limit=MAX_CHARS,
            )
        if q.ambiguous:
            return Answer(
                question=q.text,
                found=False,
                intent=q.intent,
                status="ambiguous",
                choices=tuple(self.corpus.plans[p].plan for p in q.ambiguous),
            )
        missing = missing_plan(q, self.corpus.places, self.corpus.periods)
        if missing:
            return no_plan(self.corpus, q.text, q.intent, missing)
        return self.decide(self.gather(q), self.model)

    def decide(self, g: Gathered, model: Model) -> Answer:
        q = g.question
        rows = [c.features for c in g.candidates]
        probs = model.probabilities(rows)
        confident = model.confidence(rows, probs) >= model.threshold
        chosen = select(q.plan_ids, g.candidates, probs) if confident else []
        if not chosen:
            return not_found(self.corpus, self.sources, q.text, q.intent, q.plan_ids, g.hits)
        return compose(
            self.corpus, self.sources, q.text, q.intent, bool(q.plan_ids), g.candidates, chosen, g.hits
        )
