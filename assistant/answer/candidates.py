"""Candidates: the statements the ranked passages of the plans in scope support, each with
its features. Pure given the loaded index (`Corpus`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

import numpy as np

from assistant.answer.acronyms import expansion, expansions
from assistant.answer.document import basis_statement, closing_statements, section_heading, section_statement
from assistant.answer.features import QuestionView, add_relative, featurize
from assistant.answer.question import Question
from assistant.answer.rank import POOL, Hit, rank
from assistant.answer.statements import (
    Statement,
    canon_units,
    duty_statements,
    excerpt,
    identity_statement,
    report_statements,
    sentence_statement,
    sentences,
    stated,
    target_statement,
    task_statements,
)
from assistant.answer.words import Words
from assistant.index.view import Index
from assistant.lang.normalize import fold
from assistant.lang.units import canonical_unit, find_units
from assistant.parse.extract import strip_marker
from assistant.records import Duty, Fact, PlanRecords, Report, Target, Task

FACT_PASSAGES = 25  # passages whose statements are scored


@dataclass(frozen=True)
class Candidate:
    statement: Statement
    features: dict[str, float]


class Corpus:
    """What candidates are read from: a view of the index (the plans in scope), its records
    by source span, word sets."""

    def __init__(self, index: Index, say: Callable[[Fact], str]):
        self.index = index
        self.say = say  # the wording of a fact (scored for coverage, checked by `fit`)
        self.plans = {p.plan.id: p for p in index.plans}
        self.places = {p.plan.id: p.plan.place for p in index.plans}
        self.periods = {p.plan.id: p.plan.period for p in index.plans}
        self.words = Words(index)
        self.records: dict[tuple[str, int], list] = {}
        for rec in index.plans:
            for r in (*rec.tasks, *rec.duties, *rec.reports, *rec.targets):
                self.records.setdefault((rec.plan.id, r.span.start), []).append(r)
        self.plan_of = np.array([p.plan for p in index.passages])
        self.passage_at = {
            (p.plan, self.plans[p.plan].blocks[p.block].span.start): i for i, p in enumerate(index.passages)
        }
        self._headings: dict[tuple[str, int, str], tuple] = {}
        self.lower_text = "\n".join(p.text for p in index.passages).lower()
        # the phrase initials stand for, per token: a scan of every passage, done once
        self._expansion = lru_cache(maxsize=10_000)(
            lambda token, after: expansion(token, self.lower_text, after)
        )

    def heading(self, plan: str, at: int, unit: str) -> tuple:
        """`unit_heading`, remembered: the same duties come up for many questions."""
        key = (plan, at, unit)
        if key not in self._headings:
            self._headings[key] = unit_heading(self.plans[plan], at, unit)
        return self._headings[key]

    def expand(self, q: Question) -> Question:
        """The question with the phrases its initials stand for in these plans."""
        known = self.words.views["fold"]
        long = expansions(q.text, self.lower_text, lambda token: known.knows(fold(token)), self._expansion)
        return replace(q, acronyms=long) if long else q

    def plan_words(self, q: Question) -> set[str]:
        return {
            w
            for p in q.plan_ids
            for w in fold(f"{self.places[p]} {self.periods[p]}").replace("06", "6").split()
        }


def gather(corpus: Corpus, embedder, q: Question) -> tuple[list[Hit], list[Candidate]]:
    """The ranked passages and every candidate statement with its features."""
    hits = rank(corpus.index, corpus.plan_of, embedder, q)
    asked = corpus.words.content(q, corpus.plan_words(q))
    # Coverage counts the words the plans use; words they never use (a typo, a courtesy, a
    # topic the plans do not have) are measured apart, as the question's unknown share. A
    # word of a unit the question names ("Trung tâm PVHCC") is not unknown: the unit is.
    known = corpus.words.known(q, asked)
    words = known or asked
    judged = corpus.words.without_units(q, asked)
    unknown = 1 - len(corpus.words.known(q, judged)) / len(judged) if judged else 0.0
    view = QuestionView(q, hits, words, unknown=unknown)
    out: list[Candidate] = []
    by_passage = {h.passage: h for h in hits}
    for hit in hits[:FACT_PASSAGES]:
        for st in passage_statements(corpus, q, hit.passage, words, view.document):
            if not st.empty:  # a statement without the field it states answers nothing
                out.append(_candidate(corpus, view, st, hit))
    closing = plan_closing_statements(corpus, q, hits, view.document)
    for st in (*unit_task_statements(corpus, q, hits, words), *closing):
        hit = by_passage.get(st.passage) or Hit(st.passage, 0.0, 0.0, POOL, 0.0, POOL)
        out.append(_candidate(corpus, view, st, hit))
    add_relative([c.features for c in out])
    return hits, out


def _candidate(corpus: Corpus, view: QuestionView, st: Statement, hit: Hit) -> Candidate:
    st = stated(st, corpus.say)
    q, words = view.q, view.words
    cov = corpus.words.coverage_in(q, words, hit.passage) if words else float(bool(q.plan_ids))
    own = cov
    if set(q.units) & set(st.units):
        words = corpus.words.without_units(q, words)
        own = 1.0  # nothing but the unit is asked about, and the statement is about it
    basis = corpus.words.coverage_of(q, words, st.basis) if words else own
    shown = corpus.words.coverage_of(q, words, st.text.replace("**", "")) if words else own
    missing = corpus.words.key_missing(q, words, hit.passage)
    return Candidate(st, featurize(view, st, hit, cov, basis, shown, missing))


def passage_statements(
    corpus: Corpus, q: Question, idx: int, words: list[str], wanted: set[str] = frozenset()
) -> list[Statement]:
    """`wanted`: the kinds of document statement the question asks for (`document.asked`)."""
    passage = corpus.index.passages[idx]
    rec = corpus.plans[passage.plan]
    block = rec.blocks[passage.block]
    pid = rec.plan.id
    recs = corpus.records.get((pid, block.span.start), [])
    out: list[Statement] = []
    for task in (r for r in recs if isinstance(r, Task)):
        out.extend(task_statements(task, pid, idx, block))
        break
    for duty in (r for r in recs if isinstance(r, Duty)):
        part = excerpt(strip_marker(duty.text), lambda s: corpus.words.coverage_of(q, words, s))
        heading = corpus.heading(pid, passage.block, duty.unit)
        out.extend(duty_statements(duty, q.units, part, pid, idx, (block, *heading)))
        break
    reports = [r for r in recs if isinstance(r, Report)]
    if reports:
        out.extend(report_statements(reports, fold(q.spelled_out), pid, idx, block))
    targets = [r for r in recs if isinstance(r, Target)]
    if targets:
        row = next((r for r in recs if isinstance(r, Task)), None)  # a target set in a task row
        out.append(target_statement(best_target(corpus, q, targets, words), pid, idx, block, row))
    parts = sentences(block.text, whole=q.intent == "general")
    best = max(parts, key=lambda s: corpus.words.coverage_of(q, words, s))
    out.append(sentence_statement(best, q.intent, pid, idx, block))
    if not block.section:
        identity = identity_statement(rec, idx)
        if identity:
            out.append(identity)
    # the document's own structure, stated only to a question about it (a heading restates
    # the words of every question about its tasks)
    if "basis" in wanted:
        out.extend(st for st in (basis_statement(rec, block, idx),) if st is not None)
    if "section" in wanted:
        out.extend(st for st in (section_statement(rec, passage.block, idx),) if st is not None)
    return out


def plan_closing_statements(corpus: Corpus, q: Question, hits: list[Hit], asked: set[str]) -> list[Statement]:
    """Whom each plan in scope is sent to and who signs it, when `asked` (the closing blocks
    are seldom among the ranked passages: their words are names)."""
    wanted = asked & {"signer", "recipients"}
    if not wanted:
        return []
    ranked = [corpus.index.passages[h.passage].plan for h in hits]
    out = []
    for pid in (q.plan_ids or tuple(dict.fromkeys(ranked)))[:3]:
        rec = corpus.plans[pid]
        for st in (st for st in closing_statements(rec, 0) if st.kind in wanted):
            st.passage = corpus.passage_at.get((pid, st.blocks[0].span.start), hits[0].passage if hits else 0)
            out.append(st)
    return out


def unit_heading(rec: PlanRecords, at: int, unit: str) -> tuple:
    """The heading above block `at` that names `unit`, when the block itself does not
    (quoted with the duty, so that the quote shows whose duty it is)."""
    block = rec.blocks[at]
    unit = canonical_unit(unit) or unit
    if not block.section or unit in {m.unit for m in find_units(block.text, loose=True)}:
        return ()
    heading = section_heading(rec, at)
    return (heading,) if heading is not None and canonical_unit(heading.text) == unit else ()


def best_target(corpus: Corpus, q: Question, targets: list[Target], words: list[str]) -> Target:
    """The value whose own words (those just before it) match the question best."""

    def score(t: Target) -> float:
        pos = t.indicator.find(t.value)
        before = t.indicator[max(0, pos - 80) : pos] if pos >= 0 else t.indicator
        return corpus.words.coverage_of(q, words, before) + 0.5 * corpus.words.coverage_of(
            q, words, t.indicator
        )

    return max(targets, key=score)


def unit_task_statements(corpus: Corpus, q: Question, hits: list[Hit], words: list[str]) -> list[Statement]:
    """For a question naming a unit: per plan in scope, what the unit owes (its duties, or
    else the tasks it leads), the duties closest to the question first."""
    if not q.units:
        return []
    unit = q.units[0]
    ranked = [corpus.index.passages[h.passage].plan for h in hits]
    plan_ids = q.plan_ids or tuple(dict.fromkeys(ranked))
    out = []
    leads = bool(_LEADS.search(q.folded))
    for pid in plan_ids[:3]:
        rec = corpus.plans[pid]
        owed, owed_kind = _owed(rec, unit, leads)
        if not owed:
            continue
        owed.sort(key=lambda r: -corpus.words.coverage_of(q, words, _text_of(r)))
        chosen = owed[:3]
        name = (
            chosen[0].unit
            if isinstance(chosen[0], Duty)
            else next(u for u in chosen[0].lead if canon_units([u])[0] == unit)
        )
        blocks = tuple(next(b for b in rec.blocks if b.span.start == r.span.start) for r in chosen)
        passage = corpus.passage_at.get((pid, chosen[0].span.start), hits[0].passage if hits else 0)
        fact = Fact(
            kind="unit_tasks",
            plan=pid,
            place=rec.plan.place,
            unit=name,
            owed=owed_kind,
            owed_count=len(owed),
            items=tuple(_focus(corpus, q, words, _text_of(r)) for r in chosen),
        )
        out.append(
            Statement(
                "unit_tasks",
                fact,
                plan=pid,
                passage=passage,
                blocks=blocks,
                basis=" ".join(_text_of(r) for r in chosen),
                units=(unit,),
                leads=1,
            )
        )
    return out


def _focus(corpus: Corpus, q: Question, words: list[str], text: str) -> str:
    text = strip_marker(text)
    return excerpt(text, lambda s: corpus.words.coverage_of(q, words, s)) or text


_LEADS = re.compile(r"\bchu tri\b")  # a question about what a unit leads


def _owed(rec: PlanRecords, unit: str, leads: bool = False) -> tuple[list, Literal["duties", "tasks"]]:
    """What the unit owes in the plan: its duties, or the tasks it leads (first, when the
    question asks what it leads and the plan's table gives it tasks)."""
    duties = [d for d in rec.duties if canon_units([d.unit])[0] == unit]
    tasks = [t for t in rec.tasks if unit in canon_units(t.lead)]
    if duties and not (leads and tasks):
        return duties, "duties"
    return tasks, "tasks"


def _text_of(record) -> str:
    return record.text if isinstance(record, Duty) else record.content
