"""The plan as a document: its legal bases, its signer, its recipients, the section a
passage sits in with the count its heading states."""

from __future__ import annotations

import pytest

from assistant.answer.document import asked, basis_statement, closing_statements, section_statement
from assistant.present.answers import answer_markdown
from assistant.present.facts import say


def _by_id(parsed, plan_id):
    return next(r for r in parsed[2] if r.plan.id == plan_id)


def test_the_closing_blocks_give_the_signer_and_the_recipients(parsed):
    thanh_an = {st.kind: st for st in closing_statements(_by_id(parsed, "xa-thanh-an-2026"), 0)}
    assert thanh_an["signer"].fact.unit == "Phạm Thành Khoa"
    assert "CHỦ TỊCH" in thanh_an["signer"].fact.excerpt
    assert "Trang thông tin điện tử xã" in thanh_an["recipients"].fact.items
    thai_tan = {st.kind: st for st in closing_statements(_by_id(parsed, "xa-thai-tan-2025"), 0)}
    assert thai_tan["signer"].fact.unit == "Lê Quang Thành"
    assert say(thai_tan["signer"].fact) == "Người ký: **Lê Quang Thành** (KT.CHỦ TỊCH PHÓ CHỦ TỊCH)."
    # a plan whose text ends before its closing blocks states neither
    assert closing_statements(_by_id(parsed, "xa-vinh-thinh-2026"), 0) == []


def test_the_legal_bases_and_the_section_of_a_passage(parsed):
    rach_gia = _by_id(parsed, "phuong-rach-gia-2026")
    at = next(i for i, b in enumerate(rach_gia.blocks) if b.text.startswith("Căn cứ"))
    basis = basis_statement(rach_gia, rach_gia.blocks[at], 0)
    assert basis is not None and "225/KH-UBND" in say(basis.fact)
    assert basis_statement(rach_gia, rach_gia.blocks[at + 1], 0) is None
    row = next(i for i, b in enumerate(rach_gia.blocks) if "Kế hoạch Chuyển đổi số năm 2026" in b.text)
    section = section_statement(rach_gia, row, 0)
    assert say(section.fact).startswith("Thuộc mục **VI CHUYÊN ĐỀ SỐ TRONG CƠ QUAN NHÀ NƯỚC (11 nhiệm vụ)**")


@pytest.mark.parametrize(
    "question, kinds",
    [
        ("KH CCHC 2026 của xã Thạnh An do ai ký ban hành vậy?", {"signer"}),
        ("KH được xây dựng căn cứ những văn bản nào?", {"basis"}),
        ("Nhiệm vụ khảo sát SIPAS thuộc mục nào?", {"section"}),
        ("Phụ lục có bao nhiêu nhiệm vụ về chuyển đổi số?", {"section"}),
        ("Kế hoạch gửi tới những ai?", {"recipients"}),
        ("Ai chủ trì khảo sát SIPAS?", set()),
    ],
)
def test_questions_about_the_document_are_told_apart(question, kinds):
    from assistant.lang.normalize import fold

    assert asked(fold(question)) == kinds


@pytest.mark.slow
@pytest.mark.parametrize(
    "question, expected",
    [
        ("KH CCHC 2026 của xã Thạnh An do ai ký ban hành vậy?", "Phạm Thành Khoa"),
        ("KH CCHC xã Thạnh An năm 2026 được xây dựng căn cứ những văn bản nào?", "3338/QĐ-UBND"),
        ("Phụ lục KH CCHC 2026 của phường Rạch Giá có bao nhiêu nhiệm vụ về chuyển đổi số?", "(11 nhiệm vụ)"),
    ],
)
def test_the_document_answers_on_the_real_plans(assistant, question, expected):
    answer = assistant.ask(question)
    assert answer.found and expected in answer_markdown(answer).replace("**", "")[:500]


def test_the_signer_is_the_name_after_the_title_not_a_heading_in_capitals(tmp_path):
    """A Word plan whose appendix title ("PHỤ LỤC") follows the signature in the same closing
    section: the signer is the person's name."""
    from genreplan import make_genre_docx

    from assistant.parse.plan import parse_plan
    from assistant.read.load import load_corpus

    make_genre_docx(tmp_path / "plan.docx")
    [doc], _ = load_corpus(tmp_path)
    signer = next(st for st in closing_statements(parse_plan(doc), 0) if st.kind == "signer")
    assert signer.fact.unit == "Nguyễn Văn Thành" and "CHỦ TỊCH" in signer.fact.excerpt
