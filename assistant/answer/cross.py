"""Questions answered commune by commune: "xã nào …", "những xã/phường nào …", "các xã … hạn
khi nào", and a question naming no commune whose scope is wider than one search may cover.
Each plan in scope is searched on its own, as a question naming its commune would be; its
best statement is kept when the model states it confidently and it scores as well as the
best plan's, by the ratio `compose.select` states another plan's answer at. Pure given the
answering state."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.candidates import Candidate, Corpus
from assistant.answer.compose import MORE_PLANS_RATIO, cite
from assistant.answer.model import Model
from assistant.answer.places import above_name, mentions
from assistant.answer.question import Question
from assistant.records import Answer, Plan

# "xã nào", "phường nào", "xã/phường nào", "xã, phường nào", "những xã", "các phường"
_CROSS = re.compile(
    r"\b(?:(?:xa|phuong|thi tran)(?:\s*(?:/|,|va|hoac)\s*(?:xa|phuong|thi tran))? nao"
    r"|nhung (?:xa|phuong|dia phuong)|cac (?:xa|phuong))\b"
)


def asks_across(folded: str) -> bool:
    """Whether the question asks which communes or wards (not what one of them does)."""
    return bool(_CROSS.search(folded))


def above_plans(folded: str, plans: dict[str, Plan]) -> tuple[str, ...]:
    """The plans of the provinces and districts the question names ("ở tỉnh An Giang")."""
    names = {pid: [above_name(x) for x in (p.province, p.district) if x] for pid, p in plans.items()}
    return tuple(pid for pid, levels in names.items() if any(mentions(folded, n) for n in levels if n))


@dataclass(frozen=True)
class Searched:
    """One plan of a cross-commune question: its answering state, ranked passages and
    candidates (what a question naming its commune gets)."""

    plan: str
    corpus: Corpus
    candidates: list[Candidate]


def across(q: Question, searched: list[Searched], model: Model, sources: dict[str, str]) -> Answer:
    """The communes whose plans state the answer, best first: one fact and its quote each;
    none found is a "not found" over every plan searched."""
    kept = []  # (probability, place, plan, candidate, corpus)
    for s in searched:
        rows = [c.features for c in s.candidates]
        if not rows:
            continue
        probs = model.probabilities(rows)
        if model.verdict(rows, probs) != "confident":
            continue
        best = int(probs.argmax())
        kept.append((float(probs[best]), s.corpus.places[s.plan], s.plan, s.candidates[best], s.corpus))
    scope = tuple(s.plan for s in searched)
    if not kept:
        return Answer(question=q.text, found=False, intent=q.intent, status="not_found", searched=len(scope))
    floor = MORE_PLANS_RATIO * max(k[0] for k in kept)
    kept = sorted((k for k in kept if k[0] >= floor), key=lambda k: (-k[0], k[1], k[2]))
    facts = tuple(c.statement.fact.model_copy(update={"place": place}) for _, place, _, c, _ in kept)
    citations = tuple(cite(sources, corpus.plans[p], c.statement.blocks[0]) for _, _, p, c, corpus in kept)
    return Answer(
        question=q.text,
        found=True,
        intent=q.intent,
        facts=facts,
        citations=citations,
        plans=tuple(k[2] for k in kept),
        places=tuple(k[1] for k in kept),
        across=True,
        searched=len(scope),
    )
