"""How a question is read: what it asks for and what kind of value answers it. Pure."""

from __future__ import annotations

import pytest

from assistant.answer.kinds import has_kind
from assistant.answer.question import detect_intent, detect_wants
from assistant.lang.normalize import fold


@pytest.mark.parametrize(
    "question",
    [
        "Việc xác định Chỉ số CCHC ở xã thực hiện bao lâu một lần?",
        "sang kien CCHC co han chot khong hay lam thuong xuyen?",
        "Thai Tan theo doi thi hanh phap luat dinh ky the nao",
        "bao cao cchc dinh ky may lan 1 nam",
    ],
)
def test_how_often_is_answered_by_a_frequency_or_a_day(question):
    wants = detect_wants(fold(question))
    assert wants == "frequency"
    assert has_kind("Thời hạn: thường xuyên", wants)
    assert has_kind("định kỳ hằng quý", wants)
    assert has_kind("trước ngày 15/12", wants)
    assert not has_kind("Phòng Văn hóa - Xã hội chủ trì", wants)


def test_a_deadline_question_still_wants_a_day():
    wants = detect_wants(fold("Báo cáo năm gửi trước ngày nào?"))
    assert wants == "date"
    assert not has_kind("Thời hạn: thường xuyên", wants)


def test_who_cooperates_is_not_read_as_who_leads():
    assert detect_intent(fold("Ở xã Thạnh An, ai phối hợp thẩm định kinh phí?")) == "cooperating_units"
