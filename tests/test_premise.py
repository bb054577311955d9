"""Questions that ask to confirm what they believe: the claim is read apart, the search is
not pulled by it, and the plan's fact confirms or corrects it."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.premise import Premise, holds, read_premise, without_claim
from assistant.answer.statements import canon_units
from assistant.lang.normalize import fold
from assistant.present.answers import answer_markdown
from assistant.records import Deadline, Fact, Span, Task

TASK = Task(
    id="t",
    plan="p",
    section=(),
    content="Khảo sát SIPAS",
    lead=("Trung tâm phục vụ hành chính công",),
    cooperating=("Các phòng, ban, ngành",),
    deadline=Deadline(raw="31/8/2026", kind="date", due=date(2026, 8, 31)),
    span=Span(doc="p.txt", start=0, end=1, line_start=1, line_end=1),
)


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Phòng VHXH chủ trì việc này phải không?", True),
        ("hạn nộp là 30/6 đúng không ạ?", True),
        ("Có đúng là Phòng VHXH chủ trì không?", True),
        ("Xã Kỳ Lạc có phải báo cáo định kỳ về cơ chế tự chủ không?", False),  # "phải" = must
        ("Ai chủ trì khảo sát SIPAS?", False),
    ],
)
def test_a_claim_is_read_only_where_the_question_asks_to_confirm_it(question, asks):
    units = ("Phòng Văn hóa – Xã hội",) if "VHXH" in question else ()
    assert (read_premise(fold(question), units) is not None) == asks


def test_the_fact_confirms_or_corrects_the_claim():
    lead = Fact(kind="task_lead", plan="p", task=TASK)
    due = Fact(kind="task_deadline", plan="p", task=TASK)
    assert holds(Premise(canon_units(["Trung tâm phục vụ hành chính công"]), ()), lead) is True
    assert holds(Premise(canon_units(["Phòng VHXH"]), ()), lead) is False
    assert holds(Premise((), ((31, 8, None),)), due) is True
    assert holds(Premise((), ((30, 6, 2026),)), due) is False
    assert holds(Premise((), ((31, 8, 2025),)), due) is False
    assert holds(Premise(("X",), ()), Fact(kind="sentence", plan="p", excerpt="…")) is None


def test_the_claim_is_left_out_of_the_search():
    claim = Premise(("Phòng Văn hóa – Xã hội",), ())
    assert (
        without_claim("Phòng VHXH chủ trì SIPAS phải không?", claim, ("Phòng VHXH",))
        == "chủ trì SIPAS phải không?"
    )
    dated = Premise(("Phòng Văn hóa – Xã hội",), ((30, 6, None),))
    assert without_claim("Phòng VHXH nộp trước 30/6 đúng không?", dated, ("Phòng VHXH",)) == (
        "Phòng VHXH nộp trước đúng không?"
    )


RG = "phường Rạch Giá"
SIPAS = "khảo sát SIPAS năm 2026"
CENTRE = "Trung tâm phục vụ hành chính công"


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, verdict, fact",
    [
        (f"Phòng Văn hóa - Xã hội chủ trì {SIPAS} ở {RG} phải không?", "Không đúng", CENTRE),
        (f"{CENTRE} chủ trì {SIPAS} ở {RG} đúng không?", "Đúng", CENTRE),
        (f"Hạn {SIPAS} của {RG} là 30/6/2026 đúng không?", "Không đúng", "31/08/2026"),
        ("Báo cáo năm về CCHC của xã Vĩnh Thịnh gửi trước ngày 08/12 đúng không?", "Đúng", "08/12"),
    ],
)
def test_confirm_or_correct_on_the_real_plans(assistant, question, verdict, fact):
    answer = assistant.ask(question)
    text = answer_markdown(answer).replace("**", "")
    assert answer.found and text.startswith(f"{verdict}. Theo kế hoạch:"), text
    assert fact in text
    assert answer.question == question
