"""Questions across communes ("xã nào …"): each plan searched on its own, one line per
commune whose plan states it, with a quote of that plan; what is not shown is counted."""

from __future__ import annotations

import shutil

import pytest
from conftest import make_settings
from helpers import CORPUS, quote_in_source

from assistant.answer import Answerer
from assistant.present.across import SHOWN
from assistant.present.answers import answer_plain, answer_text
from assistant.present.facts import say
from assistant.serve.assistant import Assistant

pytestmark = pytest.mark.slow

ACROSS = "Xã nào giao Phòng Văn hóa - Xã hội chủ trì tuyên truyền cải cách hành chính?"


def test_which_communes_is_answered_per_commune_with_each_plans_own_quote(lexical_assistant, sources):
    answer = lexical_assistant.ask(ACROSS)
    assert answer.found and answer.across
    assert len(set(answer.places)) >= 3 and all(p.startswith("xã ") for p in answer.places)
    assert answer.searched == 4  # "xã" names the four communes' plans, not the ward's
    text = answer_plain(answer)
    assert text.splitlines()[0].startswith(f"{len(answer.facts)} xã có kế hoạch nêu")
    for fact, cite in zip(answer.facts, answer.citations):
        assert cite.plan == fact.plan and quote_in_source(cite.quote, sources[cite.plan])
        assert f"• {fact.place}: " in text
    assert "khác cũng nêu" not in text  # nothing left out


def test_a_wide_deployment_answers_a_question_naming_no_commune_across_communes(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    names = [
        f"{a} {b}"
        for a in ("Tân", "Phú", "Long", "Bình", "Hòa", "Mỹ", "Thới", "Đông")
        for b in ("Lợi", "Điền", "Khánh", "Hiệp", "Phong")
    ]
    for i, (file, old) in enumerate(
        [("xa-thanh-an-2026.txt", "Thạnh An"), ("xa-vinh-thinh-2026.txt", "Vĩnh Thịnh")] * 18
    ):
        text = (CORPUS / file).read_text("utf-8").replace(old, names[i])
        (corpus / f"clone{i}-{file}").write_text(text, "utf-8")
    a = Assistant.load(make_settings(tmp_path, corpus=corpus))
    assert len(a.index.catalog) == 41
    wide = Answerer(a.index, a.answerer.sources, say, None, max_unscoped=30)
    answer = wide.ask("Báo cáo quý về CCHC gửi trước ngày nào?")
    assert answer.found and answer.across and answer.searched == 41
    assert len(answer.facts) > SHOWN and len(set(answer.plans)) == len(answer.plans)
    text = answer_text(answer)
    rest = len(answer.facts) - SHOWN
    assert text.count("\n• ") == SHOWN
    assert f"… và {rest} xã khác cũng nêu: {answer.places[SHOWN]}" in text
    assert "hãy hỏi lại kèm tên" in text
    # a province the question names narrows the search to its plans
    named = wide.ask("Ở thành phố Cần Thơ, báo cáo quý về CCHC gửi trước ngày nào?")
    assert (
        named.across
        and named.searched == 19
        and set(named.places) <= {"xã Thạnh An", *(f"xã {n}" for n in names)}
    )
