"""What every view shows on the real corpus: the deadline views upcoming first and naming the
plans they looked at; lists with one bullet per item; a stated part of a duty opening at the
start of its sentence; an answer that names no commune telling how many other plans say it
too, and how to see them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from helpers import quote_in_source

from assistant.answer.statements import sentences
from assistant.due.schedule import upcoming
from assistant.lang.normalize import collapse
from assistant.parse.extract import strip_marker
from assistant.present import cli as cli_words
from assistant.present.answers import answer_json, answer_text, scope_label, with_place
from assistant.present.facts import ELIDED, from_sentence_start
from assistant.telegram import due, replies
from assistant.telegram.conversation import unit as unit_view

FEB_15 = date(2026, 2, 15)  # Rạch Giá's January deadlines are overdue, February's and March's ahead
SENTENCE_END = re.compile(r"[.!?]\s+$")


def _places(library) -> dict[str, str]:
    return {p.plan.id: p.plan.place for p in library.plans}


# ------------------------------------------------------------------ deadline views


def test_every_deadline_view_lists_upcoming_items_before_overdue_ones(library):
    items = upcoming(library.plans, FEB_15, days=30)
    late = [i for i in items if i.overdue]
    assert late and len(late) < len(items)
    assert items == [i for i in items if not i.overdue] + late  # the calendar's own order (and --json's)
    plans = [p.plan for p in library.plans]
    text = cli_words.deadlines_text(items, FEB_15, 30, _places(library), plans)
    html = due.upcoming_html(items, FEB_15, 30, None, _places(library), plans)
    for shown, coming_mark, late_mark in ((text, "📅", "⚠️ Quá hạn"), (html, "⏳", "⚠️")):
        coming_at, late_at = shown.index(coming_mark), shown.index(late_mark)
        assert coming_at < late_at
        assert all(shown.index(i.what[:40]) < late_at for i in items if not i.overdue and i.what in shown)


def test_deadline_views_name_the_plans_they_looked_at(library):
    plans = [p.plan for p in library.plans]
    items = upcoming(library.plans, FEB_15, days=30)
    text = cli_words.deadlines_text(items, FEB_15, 30, _places(library), plans)
    assert f"📍 {scope_label(plans)}" in text and "từ 15/02/2026 đến 17/03/2026" in text
    assert all(p.place in text.split("\n")[1] and p.period in text.split("\n")[1] for p in plans)


@pytest.mark.parametrize("view", ["cli", "telegram"])
def test_an_empty_window_says_which_commune_it_looked_at(library, view):
    [rec] = [r for r in library.plans if r.plan.place == "xã Thạnh An"]
    assert upcoming([rec], FEB_15, days=3) == []  # its 2026 report dates fall later
    if view == "cli":
        shown = cli_words.deadlines_text([], FEB_15, 3, _places(library), [rec.plan])
    else:
        shown = due.upcoming_html([], FEB_15, 3, None, _places(library), [rec.plan])
    assert f"Không có hạn nào ở {rec.plan.place}." in shown or (
        f"Không có hạn chót nào trong 3 ngày tới ở {rec.plan.place}." in shown
    )
    assert f"kế hoạch {rec.plan.period}" in shown


# ------------------------------------------------------------------ one bullet per item


def test_unit_view_lists_each_duty_and_task_with_one_bullet(library):
    for unit in replies.known_units(library.plans):
        view = unit_view(_Plans(library), unit)
        items = [line for line in view.splitlines() if line.startswith("•")]
        assert items, unit
        doubled = [line for line in items if re.match(r"•\s*(?:[-+–•]\s|\d{1,2}\.\s)", line)]
        assert doubled == [], doubled[:3]


class _Plans:
    """The part of the assistant `/donvi` reads: the records of the chat's plans."""

    def __init__(self, library):
        self.library = library

    def records(self, plan_ids):
        return self.library.plans


# ------------------------------------------------------------------ parts of duties


def _pieces(shown: str) -> list[str]:
    """A part as shown, split where words were left out ("…")."""
    return [p for p in re.split(r"\s*…\s*", shown) if p]


def _opens_a_sentence(text: str, piece: str) -> bool:
    at = text.find(piece)
    return at == 0 or (at > 0 and bool(SENTENCE_END.search(text[:at])))


def test_a_part_of_a_duty_is_shown_from_the_start_of_its_sentence(library):
    """Every excerpt answering can state (a clause and what follows it, `statements.excerpt`)
    of every duty and task: shown from where its sentence opens, in the plan's words."""
    checked = 0
    for rec in library.plans:
        for text in [strip_marker(d.text) for d in rec.duties] + [strip_marker(t.content) for t in rec.tasks]:
            parts, whole = sentences(text), collapse(text)
            for i in range(1, len(parts)):
                body = " ".join(parts[i:])
                shown = from_sentence_start(ELIDED + body, text)
                pieces = _pieces(shown)
                assert all(p in whole for p in pieces), shown
                assert _opens_a_sentence(whole, pieces[0]), shown
                assert shown.endswith(collapse(body)), shown
                assert shown.startswith(ELIDED) == (whole.find(pieces[0]) > 0)
                checked += 1
    assert checked > 50


# ------------------------------------------------------------------ answers (index built)


@pytest.fixture(scope="module")
def answered(lexical_assistant, gold_questions):
    return [(g["question"], lexical_assistant.ask(g["question"])) for g in gold_questions]


def _shown_parts(answer) -> list:
    """(plan, part) for each part of a duty or of a unit's duties an answer states."""
    out = []
    for fact in answer.facts:
        if fact.duty is not None:
            parts = [fact.excerpt]
        else:
            parts = list(fact.items) if fact.kind == "unit_tasks" else []
        out += [(fact.plan, part) for part in parts if part]
    return out


def test_stated_parts_of_duties_open_their_sentences(answered, lexical_assistant):
    sources = lexical_assistant.answerer.sources
    shown = [(q, plan, part) for q, a in answered for plan, part in _shown_parts(a)]
    assert any(part.startswith(ELIDED) for _, _, part in shown)
    for question, plan, part in shown:
        pieces = _pieces(part)
        assert all(any(quote_in_source(p, s) for s in sources.values()) for p in pieces), part
        rec = lexical_assistant.records((plan,))[0]
        wholes = [collapse(strip_marker(d.text)) for d in rec.duties]
        wholes += [collapse(strip_marker(t.content)) for t in rec.tasks]
        opening = [w for w in wholes if pieces[0] in w]
        assert any(_opens_a_sentence(w, pieces[0]) for w in opening), (question, part)


def test_an_answer_naming_no_commune_says_how_many_other_plans_say_it(answered, lexical_assistant):
    partial = [(q, a) for q, a in answered if a.also_plans]
    assert partial
    for question, answer in partial:
        assert not set(answer.also_plans) & set(answer.plans)
        text = answer_text(answer)
        others = f"… và {len(answer.also_plans)} kế hoạch khác cũng nêu: {', '.join(answer.also_places)}."
        assert others in text
        assert [a["plan"] for a in answer_json(answer)["also"]] == list(answer.also_plans)
        # each fact names its place
        assert all(f"[{f.place}]" in text or f"• {f.place}:" in text for f in answer.facts)
        for plan, place in zip(answer.also_plans, answer.also_places):
            assert lexical_assistant.ask(question, (plan,)).found  # that plan does answer it
            example = with_place(question, place)  # the question the console tells to type
            assert lexical_assistant.ask(example).plans == (plan,), example
        assert f"«{with_place(question, answer.also_places[0])}»" in text
