"""Initials the plans spell out: read from the plans' own phrases, never guessed."""

from __future__ import annotations

import pytest

from assistant.answer.acronyms import expansion, expansions, looks_like_initials, phrases
from assistant.present.answers import answer_markdown

TEXT = (
    "xây dựng lực lượng dân quân tự vệ. huấn luyện dân quân tự vệ năm 2026. "
    "tỷ lệ người dân tham gia bảo hiểm y tế. bảo hiểm y tế toàn dân. bao hàm yếu tố mới."
)


@pytest.mark.parametrize(
    "token, expected",
    [
        ("DQTV", True),
        ("dqtv", True),
        ("ĐTN", True),
        ("BHYT", True),
        ("Tân", False),
        ("dân", False),
        ("X", False),
        ("ABCDEFG", False),
        ("2026", False),
        ("KH2", False),
    ],
)
def test_what_looks_like_initials(token, expected):
    assert looks_like_initials(token) is expected


def test_initials_match_accented_words_and_line_breaks():
    found = phrases("DQTV", "dân quân\ntự vệ; dân  quân tự vệ")
    assert found == {"dân quân tự vệ": 2}
    assert phrases("dqtv", "đội quân tự vệ") == {"đội quân tự vệ": 1}


def test_the_most_frequent_phrase_wins_and_a_single_or_tied_use_does_not_count():
    assert expansion("BHYT", TEXT) == "bảo hiểm y tế"
    assert expansion("DQTV", TEXT) == "dân quân tự vệ"
    assert expansion("HYT", TEXT) == "hiểm y tế"  # a run inside a longer phrase is still a run
    assert expansion("XYZ", TEXT) is None
    assert expansion("BHYT", "bảo hiểm y tế; bao hàm yếu tố") is None  # once each: no evidence
    assert expansion("BHYT", TEXT + " bao hàm yếu tố.") is None  # two each: ambiguous


def test_only_unknown_tokens_are_expanded():
    assert expansions("tỷ lệ DQTV so dân số", TEXT, lambda t: False) == ("dân quân tự vệ",)
    assert expansions("tỷ lệ DQTV so dân số", TEXT, lambda t: t == "DQTV") == ()
    assert expansions("tỷ lệ dân số", TEXT, lambda t: False) == ()


def test_the_served_corpus_reads_an_abbreviation_no_list_holds(assistant):
    """'DQTV' is in no abbreviation list; the plans say 'Dân quân tự vệ'."""
    q = assistant.answerer.parse("tỷ lệ DQTV so dân số năm 2026?")
    assert q.acronyms == ("dân quân tự vệ",)
    answer = assistant.ask("tỷ lệ DQTV so dân số năm 2026?")
    assert answer.found and "0,38%" in answer_markdown(answer)
    assert assistant.answerer.parse("UBND xã Thái Tân").acronyms == ()  # a word the plans use


def test_initials_after_a_word_read_as_the_phrase_the_plans_write_after_it():
    text = "gửi sở nội vụ; nhiệm vụ một, nhiệm vụ hai, nhiệm vụ ba; báo cáo sở nội vụ."
    assert expansion("NV", text) == "nhiệm vụ"
    assert expansion("NV", text, after="Sở") == "nội vụ"  # "Sở NV"
    assert expansion("NV", text, after="các") == "nhiệm vụ"  # no phrase after "các": any
