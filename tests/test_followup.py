"""Follow-up questions on the real corpus: completed from the session's last question
(its subject, intent, place, the record it stated), shown with what was understood, and
never bending a question that stands alone. The console and `ask --jsonl` behave alike."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

import pytest
from helpers import ROOT, quote_in_source

from assistant.converse.dialogue import TURN_TTL, MemoryTurns, converse
from assistant.converse.followup import Turn, resolve
from assistant.telegram.console import run_console

KY_LAC, THAI_TAN = "xa-ky-lac-2025", "xa-thai-tan-2025"
RACH_GIA, VINH_THINH = "phuong-rach-gia-2026", "xa-vinh-thinh-2026"
DIGITAL = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"


@pytest.fixture
def talk(lexical_assistant):
    """One conversation: `talk(question)` answers within it."""
    turns = MemoryTurns()
    return lambda text, **kw: converse(lexical_assistant, turns, "s", text, **kw)


def _quoted_from_the_plan(assistant, answer) -> None:
    for c in answer.citations + answer.alternatives:
        assert quote_in_source(c.quote, assistant.answerer.sources[c.doc]), c.quote[:80]


def test_cooperating_units_after_a_lead_question_come_from_the_same_task(talk, lexical_assistant):
    first = talk(DIGITAL)
    assert first.found and first.facts[0].kind == "task_lead" and not first.understood
    task = first.facts[0].task
    assert task.cooperating  # the plan names them: the follow-up must state them
    second = talk("còn phối hợp thì sao?")
    assert second.understood.startswith("Ai phối hợp") and second.understood.endswith("— phường Rạch Giá")
    assert second.found and second.plans == (RACH_GIA,)
    assert [(f.kind, f.task.id) for f in second.facts] == [("task_cooperating", task.id)]
    assert second.citations and all(c.plan == RACH_GIA for c in second.citations)
    _quoted_from_the_plan(lexical_assistant, second)
    third = talk("hạn khi nào?")
    assert third.understood.startswith("Thời hạn") and [(f.kind, f.task.id) for f in third.facts] == [
        ("task_deadline", task.id)
    ]


def test_a_follow_up_naming_another_commune_asks_the_same_there(talk, lexical_assistant):
    first = talk("Báo cáo năm của xã Vĩnh Thịnh gửi khi nào?")
    assert first.found and first.plans == (VINH_THINH,)
    switched = talk("thế ở xã Thái Tân thì sao?")
    assert switched.understood == "Báo cáo năm của xã Thái Tân gửi khi nào?"  # the same words, there
    assert switched.plans == (THAI_TAN,) and switched.found
    alone = lexical_assistant.ask(switched.understood)
    assert switched.facts == alone.facts  # the completed question, answered as if asked in full
    _quoted_from_the_plan(lexical_assistant, switched)


def test_another_report_keeps_the_question_and_the_commune(talk):
    talk("Báo cáo quý của xã Vĩnh Thịnh gửi khi nào?")
    annual = talk("báo cáo năm thì sao?")
    assert annual.understood == "Báo cáo năm gửi khi nào? — xã Vĩnh Thịnh"
    assert annual.plans == (VINH_THINH,) and annual.found
    assert "năm" in annual.facts[0].reports[0].what.lower()


def test_that_unit_is_the_unit_the_last_answer_named(talk):
    first = talk("ai chu tri cai cach the che o xa Ky Lac")
    lead = first.facts[0].task.lead[0]
    duties = talk("đơn vị đó còn làm gì nữa?")
    assert duties.understood == f"{lead} làm những gì? — xã Kỳ Lạc"
    assert duties.intent == "unit_duties" and duties.plans == (KY_LAC,) and duties.found


def test_that_unit_after_the_cooperating_units_is_the_tasks_lead(talk):
    """ "Phối hợp: Các phòng, ban, ngành; chủ trì: Phòng Văn hóa – xã hội" names a group of
    partners first; "đơn vị đó" is the unit responsible for the task."""
    lead = talk(DIGITAL).facts[0].task.lead[0]
    talk("còn phối hợp thì sao?")
    duties = talk("đơn vị đó còn làm gì nữa?")
    assert duties.understood == f"{lead} làm những gì? — phường Rạch Giá"
    assert duties.found and duties.intent == "unit_duties"


def test_a_question_that_stands_alone_is_not_bent(talk, lexical_assistant):
    talk(DIGITAL)
    talk("còn phối hợp thì sao?")
    question = "Ai chủ trì cải cách thể chế ở xã Kỳ Lạc?"
    after = talk(question)
    assert not after.understood and after == lexical_assistant.ask(question)


def test_no_gold_question_or_paraphrase_is_read_as_a_follow_up(lexical_assistant, gold_questions):
    """The 380 shared questions and their 1,466 paraphrases all stand alone."""
    from assistant.answer.variants import variants

    catalog = lexical_assistant.answerer.catalog
    turn = Turn("Ai chủ trì cải cách thể chế?", "cải cách thể chế", "lead_unit", (KY_LAC,), "Phòng VHXH", "x")
    asked = [g["question"] for g in gold_questions] + [
        v["question"] for g in gold_questions for v in variants(g)
    ]
    bent = [q for q in asked if resolve(catalog.parse(q), turn, catalog.places)]
    assert len(asked) > 900 and bent == []


def test_the_last_question_is_forgotten_after_thirty_minutes(lexical_assistant):
    now = [0.0]
    turns = MemoryTurns(clock=lambda: now[0])
    converse(lexical_assistant, turns, "s", "Báo cáo quý của xã Vĩnh Thịnh gửi khi nào?")
    now[0] = TURN_TTL - 1
    assert converse(lexical_assistant, turns, "s", "báo cáo năm thì sao?").understood
    now[0] += TURN_TTL + 1
    late = converse(lexical_assistant, turns, "s", "báo cáo năm thì sao?")
    assert not late.understood


def test_sessions_do_not_mix_and_an_invalid_line_keeps_the_context(lexical_assistant):
    turns = MemoryTurns()
    converse(lexical_assistant, turns, "a", "Báo cáo quý của xã Vĩnh Thịnh gửi khi nào?")
    assert not converse(lexical_assistant, turns, "b", "báo cáo năm thì sao?").understood
    assert converse(lexical_assistant, turns, "a", "   ").status == "invalid"
    assert converse(lexical_assistant, turns, "a", "báo cáo năm thì sao?").plans == (VINH_THINH,)


def test_the_commune_of_the_chat_scopes_questions_without_a_place(talk):
    answer = talk("Báo cáo năm gửi khi nào?", home=(THAI_TAN,))
    assert answer.found and answer.plans == (THAI_TAN,)
    elsewhere = talk("Báo cáo năm của xã Vĩnh Thịnh gửi khi nào?", home=(THAI_TAN,))
    assert elsewhere.plans == (VINH_THINH,)  # a place named wins over the chat's commune


def test_the_console_follows_up(lexical_assistant, tmp_path):
    out = io.StringIO()
    lines = ["/diaban vinh thinh", "Báo cáo quý gửi khi nào?", "báo cáo năm thì sao?"]
    run_console(lexical_assistant, lines, out, lambda: date(2026, 5, 25), tmp_path)
    replies = out.getvalue().split("\n\n")
    assert any("Đã chọn địa bàn: xã Vĩnh Thịnh" in r for r in replies)
    assert "Hiểu là: Báo cáo năm gửi khi nào? — xã Vĩnh Thịnh" in out.getvalue()


@pytest.mark.slow
def test_jsonl_lines_of_one_session_are_one_conversation(lexical_cli):
    lines = [
        {
            "id": 1,
            "question": "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?",
            "session": "a",
        },
        {"id": 2, "question": "còn phối hợp thì sao?", "session": "a"},
        {"id": 3, "question": "còn phối hợp thì sao?"},  # no session: stands alone
        {"id": 4, "question": "còn phối hợp thì sao?", "session": 7},  # another session
        {"id": 5, "question": "hạn khi nào?", "session": ["a"]},
    ]
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--jsonl"],
        input="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    ).stdout
    first, second, alone, other, bad = [json.loads(x) for x in out.splitlines()]
    assert second["session"] == "a" and second["understood"].startswith("Ai phối hợp")
    assert second["found"] and second["intent"] == "cooperating_units"
    assert second["sources"][0]["doc"] == first["sources"][0]["doc"] == "phuong-rach-gia-2026.txt"
    assert "understood" not in alone and "understood" not in other and other["session"] == 7
    assert bad["found"] is False and "session" in bad["error"]
