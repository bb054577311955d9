"""Select or abstain, then the Answer as data: the chosen statements, their quotes (each
one source span of the plan), the closest passages. Pure given the sources."""

from __future__ import annotations

from assistant.answer.candidates import Candidate, Corpus
from assistant.answer.rank import Hit
from assistant.lang.normalize import collapse
from assistant.parse.prose import clean_markup
from assistant.records import Answer, Block, Citation, MissingPlan, PlanRecords

MORE_PLANS = 2  # other plans' answers added when the question names no plan
MORE_PLANS_RATIO = 0.75  # ... when their probability is this close to the best one's
# With a tentative answer, up to RUNNERS_UP other records of its plan are stated when their
# probability is at least RUNNER_UP_RATIO of the best one's (chosen by leave one plan out over
# the 380 shared questions among 0/1/2 and 0.5/0.7: 0.797 none, 0.801 two at 0.5).
RUNNERS_UP = 2
RUNNER_UP_RATIO = 0.5


def select(q_plan_ids: tuple[str, ...], cands: list[Candidate], probs, tentative: bool = False) -> list[int]:
    """Indices of the candidates to state, best first: the best one; when the answer is
    tentative, the next records of its plan that score almost as well; when the question
    names no plan, other plans' best ones that score almost as well."""
    order = sorted(range(len(cands)), key=lambda i: -probs[i])
    if not order:
        return []
    chosen = [order[0]]
    if tentative:
        best, plan = probs[order[0]], cands[order[0]].statement.plan
        seen = {_record(cands[order[0]])}
        for i in order[1:]:
            if len(chosen) > RUNNERS_UP or probs[i] < RUNNER_UP_RATIO * best:
                break
            if cands[i].statement.plan == plan and _record(cands[i]) not in seen:
                chosen.append(i)
                seen.add(_record(cands[i]))
    if not q_plan_ids:
        best = probs[order[0]]
        for i in order[1:]:
            if len(chosen) > MORE_PLANS:
                break
            plans = {cands[j].statement.plan for j in chosen}
            if cands[i].statement.plan not in plans and probs[i] >= MORE_PLANS_RATIO * best:
                chosen.append(i)
    return chosen


def _record(c: Candidate) -> tuple[str, int]:
    return c.statement.plan, c.statement.blocks[0].span.start


def compose(
    corpus: Corpus,
    sources: dict[str, str],
    question: str,
    intent: str,
    named_plan: bool,
    cands: list[Candidate],
    chosen: list[int],
    hits: list[Hit],
) -> Answer:
    picked = [cands[i].statement for i in chosen]
    facts = tuple(st.fact.model_copy(update={"place": corpus.places[st.plan]}) for st in picked)
    plans = tuple(dict.fromkeys(st.plan for st in picked))
    used = {(st.plan, b.span.start) for st in picked for b in st.blocks}
    rest = [h for h in hits if _key(corpus, h.passage) not in used][:3]
    return Answer(
        question=question,
        found=True,
        intent=intent,
        facts=facts,
        named_plan=named_plan,
        citations=tuple(cite(sources, corpus.plans[st.plan], b) for st in picked for b in st.blocks),
        alternatives=tuple(_passage_citation(corpus, sources, h.passage) for h in rest),
        plans=plans,
        places=tuple(corpus.places[p] for p in plans),
    )


def not_found(
    corpus: Corpus,
    sources: dict[str, str],
    question: str,
    intent: str,
    plan_ids: tuple[str, ...],
    hits: list[Hit],
) -> Answer:
    return Answer(
        question=question,
        found=False,
        intent=intent,
        status="not_found",
        plans=plan_ids,
        places=tuple(corpus.places[p] for p in plan_ids),
        alternatives=tuple(_passage_citation(corpus, sources, h.passage) for h in hits[:3]),
    )


def no_plan(catalog, question: str, intent: str, missing: MissingPlan) -> Answer:
    """No plan for the place or year asked about; `catalog`: every loaded plan's place and
    period (`places`, `periods`)."""
    return Answer(
        question=question,
        found=False,
        intent=intent,
        status="not_found",
        missing=missing,
        available=tuple((catalog.places[p], catalog.periods[p]) for p in sorted(catalog.places)),
    )


def _key(corpus: Corpus, idx: int) -> tuple[str, int]:
    p = corpus.index.passages[idx]
    return p.plan, corpus.plans[p.plan].blocks[p.block].span.start


def _passage_citation(corpus: Corpus, sources: dict[str, str], idx: int) -> Citation:
    p = corpus.index.passages[idx]
    rec = corpus.plans[p.plan]
    return cite(sources, rec, rec.blocks[p.block])


def cite(sources: dict[str, str], rec: PlanRecords, block: Block) -> Citation:
    """One source span of a plan, shown whole with white space collapsed."""
    source_text = sources.get(rec.plan.file)
    quote = clean_markup(source_text[block.span.start : block.span.end]) if source_text else block.text
    return Citation(
        doc=rec.plan.file,
        plan=rec.plan.id,
        plan_title=rec.plan.title,
        section=" > ".join(block.section),
        quote=collapse(quote),
        lines=(block.span.line_start, block.span.line_end),
        start=block.span.start,
        end=block.span.end,
    )
