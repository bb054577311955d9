"""Plan identity at province scale: places that differ only by diacritics, one commune
name in two provinces, a name that is also an ordinary phrase, a name that is the prefix
of another. Plans are clones of the real ones, renamed in their own text."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from botkit import bot_settings, exchange, press, running
from helpers import CORPUS

from assistant.answer.places import Gazetteer, named_plans
from assistant.index.library import find_plans
from assistant.index.update import add_plan
from assistant.parse.plan import parse_plan
from assistant.present.answers import answer_markdown
from assistant.read.load import SourceDoc, load_corpus
from assistant.serve.assistant import Assistant
from assistant.settings import Settings

THANH_AN = (CORPUS / "xa-thanh-an-2026.txt").read_text("utf-8")
RACH_GIA = (CORPUS / "phuong-rach-gia-2026.txt").read_text("utf-8")
VINH_THINH = (CORPUS / "xa-vinh-thinh-2026.txt").read_text("utf-8")


def _plan(name: str, text: str):
    return parse_plan(SourceDoc(name, Path(name), text))


def _renamed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.fixture(scope="module")
def province():
    """Real plans plus clones: Thanh An (no diacritics on a), a Rạch Giá in another
    province, an "An Ninh", a "Tân Phú" and a "Tân Phú Đông"."""
    docs, _ = load_corpus(CORPUS)
    plans = [parse_plan(d) for d in docs]
    plans += [
        _plan("xã Thanh An 2026.txt", _renamed(THANH_AN, "Thạnh An", "Thanh An")),
        _plan("phường Rạch Giá (Kiên Giang).txt", _renamed(RACH_GIA, "tỉnh An Giang", "tỉnh Kiên Giang")),
        _plan("xa-an-ninh-2026.txt", _renamed(VINH_THINH, "Vĩnh Thịnh", "An Ninh")),
        _plan("xa-tan-phu-2026.txt", _renamed(VINH_THINH, "Vĩnh Thịnh", "Tân Phú")),
        _plan("xa-tan-phu-dong-2026.txt", _renamed(VINH_THINH, "Vĩnh Thịnh", "Tân Phú Đông")),
    ]
    by_id = {p.plan.id: p for p in plans}
    return by_id, Gazetteer([p.plan for p in plans], lambda pid: _text(by_id[pid]))


def _text(plan) -> str:
    return "\n".join(b.text for b in plan.blocks)


def _named(province, question: str):
    plans, places = province
    named = named_plans(question, places)
    return {plans[i].plan.place for i in named.plan_ids}, {plans[i].plan.place for i in named.ambiguous}


def test_ids_stay_distinct_when_names_differ_only_by_diacritics(province):
    plans, _ = province
    assert len(plans) == 10  # no two plans share an id
    assert plans["xa-thanh-an-2026"].plan.place == "xã Thạnh An"
    other = next(p for p in plans.values() if p.plan.place == "xã Thanh An")
    assert other.plan.id.startswith("xa-thanh-an-2026-") and other.plan.id != "xa-thanh-an-2026"


def test_the_question_s_own_spelling_picks_the_plan(province):
    assert _named(province, "Ai chủ trì cải cách thể chế ở xã Thạnh An?") == ({"xã Thạnh An"}, set())
    assert _named(province, "Ai chủ trì cải cách thể chế ở xã Thanh An?") == ({"xã Thanh An"}, set())
    both = {"xã Thạnh An", "xã Thanh An"}
    assert _named(province, "ai chu tri cai cach the che o xa thanh an") == (both, both)


def test_a_province_in_the_question_settles_a_shared_name(province):
    plans, _ = province
    places = {p.plan.province for p in plans.values() if p.plan.place == "phường Rạch Giá"}
    assert places == {"tỉnh An Giang", "tỉnh Kiên Giang"}
    assert _named(province, "Phường Rạch Giá tỉnh Kiên Giang báo cáo năm khi nào?") == (
        {"phường Rạch Giá"},
        set(),
    )
    named, ambiguous = _named(province, "Phường Rạch Giá báo cáo năm khi nào?")
    assert named == ambiguous == {"phường Rạch Giá"}
    assert len(named_plans("Phường Rạch Giá báo cáo năm khi nào?", province[1]).ambiguous) == 2


def test_a_name_that_is_an_ordinary_phrase_needs_its_kind_or_capitals(province):
    assert _named(province, "Ai chủ trì bảo đảm an ninh mạng?")[0] == set()
    assert _named(province, "xã An Ninh ai chủ trì cải cách thể chế?")[0] == {"xã An Ninh"}
    assert _named(province, "ở An Ninh ai chủ trì cải cách thể chế?")[0] == {"xã An Ninh"}
    assert _named(province, "Ai chủ trì cải cách thể chế ở xã Vĩnh Thịnh?")[0] == {"xã Vĩnh Thịnh"}


@pytest.mark.parametrize(
    "question, place",
    [
        ("rach gia: ai theo doi chi tieu nuoc sach", "phường Rạch Giá"),  # lower case, no kind, a colon
        ("vinh thinh, ai chu tri cai cach the che", "xã Vĩnh Thịnh"),
        ("X. Vĩnh Thịnh: báo cáo quý gửi trước ngày nào?", "xã Vĩnh Thịnh"),
        ("P.VHXH P. Rạch Giá chủ trì những nhiệm vụ nào?", "phường Rạch Giá"),
        ("Phòng Kinh tế xã Vĩnh Thịnh làm những gì?", "xã Vĩnh Thịnh"),  # right after a unit's name
    ],
)
def test_places_as_officials_type_them(province, question, place):
    """A place the plans write with capitals (Rạch Giá, "Rạch Giá, ngày 03 tháng 02") is a
    place in a question in any case; a name the plans also write in lower case ("an ninh")
    needs its kind or capitals (above)."""
    assert place in _named(province, question)[0]


@pytest.mark.parametrize(
    "question, missing",
    [
        ("phuong An Hoa nam 2026 chi tieu cat giam thoi gian bao nhieu %", "phường An Hoa"),
        ("xa Ky Son co ke hoach CCHC 2025 chua?", "xã Ky Son"),
        ("X. Tân Lập: ai chủ trì cải cách thể chế?", "xã Tân Lập"),
    ],
)
def test_an_unloaded_place_typed_without_diacritics_or_abbreviated_is_named(question, missing):
    from assistant.answer.question import unknown_place

    places = {"xa-ky-lac-2025": "xã Kỳ Lạc", "phuong-rach-gia-2026": "phường Rạch Giá"}
    assert unknown_place(question, places) == missing
    assert unknown_place("P.VHXH phuong Rach Gia chu tri gi?", places) is None  # initials, a known place
    assert unknown_place("phuong an dieu chinh nam 2026 the nao?", places) is None  # "phương án"


def test_two_plans_of_one_place_are_not_a_choice(province):
    plans, _ = province
    later = _plan("xa-thanh-an-2027.txt", _renamed(THANH_AN, "năm 2026", "năm 2027"))
    places = Gazetteer([p.plan for p in plans.values()] + [later.plan], lambda pid: "")
    named = named_plans("Ai chủ trì cải cách thể chế ở xã Thạnh An?", places)
    assert set(named.plan_ids) == {"xa-thanh-an-2026", "xa-thanh-an-2027"} and named.ambiguous == ()


def test_the_longest_name_wins_over_its_prefix(province):
    assert _named(province, "Xã Tân Phú Đông ai chủ trì cải cách thể chế?")[0] == {"xã Tân Phú Đông"}
    assert _named(province, "Xã Tân Phú ai chủ trì cải cách thể chế?")[0] == {"xã Tân Phú"}


def test_looking_a_plan_up_prefers_the_spelling_typed(province):
    plans = list(province[0].values())
    assert [p.plan.place for p in find_plans(plans, "xã Thạnh An")] == ["xã Thạnh An"]
    assert {p.plan.place for p in find_plans(plans, "xa thanh an")} == {"xã Thạnh An", "xã Thanh An"}


def test_thanh_an_beside_thanh_an_end_to_end(tmp_path):
    """Added, answered and asked about as two plans, through the index and the updater."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("xa-thanh-an-2026.txt", "xa-vinh-thinh-2026.txt"):
        shutil.copy(CORPUS / name, corpus)
    settings = dataclasses.replace(
        Settings(),
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedder="none",
    )
    Assistant.load(settings)
    clone = tmp_path / "xã Thanh An 2026.txt"
    clone.write_text(_renamed(THANH_AN, "Thạnh An", "Thanh An"), "utf-8")
    assert add_plan(settings, clone, embedder=None).status == "added"  # not "exists"
    assistant = Assistant.load(settings)
    exact = assistant.ask("Ai chủ trì cải cách thể chế ở xã Thạnh An?")
    assert exact.found and exact.plans == ("xa-thanh-an-2026",)
    unsure = assistant.ask("ai chu tri cai cach the che o xa thanh an")
    assert unsure.status == "ambiguous" and {p.place for p in unsure.choices} == {
        "xã Thạnh An",
        "xã Thanh An",
    }
    assert "xã Thạnh An" in answer_markdown(unsure) and "xã Thanh An" in answer_markdown(unsure)
    again = tmp_path / "thanh-an-ban-moi.txt"
    again.write_text(THANH_AN, "utf-8")
    asked = add_plan(settings, again, embedder=None)
    assert asked.status == "exists" and asked.clashes == ("xa-thanh-an-2026.txt",)
    replaced = add_plan(settings, again, replace=True, embedder=None)
    assert replaced.status == "replaced" and replaced.clashes == ("xa-thanh-an-2026.txt",)
    files = sorted(p.name for p in corpus.iterdir() if not p.name.startswith("."))
    assert files == ["thanh-an-ban-moi.txt", "xa-vinh-thinh-2026.txt", "xã Thanh An 2026.txt"]


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> Assistant:
    """An assistant over xã Thạnh An and its clone xã Thanh An (and xã Vĩnh Thịnh)."""
    folder = tmp_path_factory.mktemp("twins")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "xa-thanh-an-2026.txt", corpus)
    shutil.copy(CORPUS / "xa-vinh-thinh-2026.txt", corpus)
    (corpus / "xã Thanh An 2026.txt").write_text(_renamed(THANH_AN, "Thạnh An", "Thanh An"), "utf-8")
    settings = bot_settings(corpus_dir=corpus, index_dir=folder / "index", data_dir=folder / "data")
    return Assistant.load(settings)


async def test_the_bot_asks_which_place_with_buttons_and_answers_the_press(tg, tmp_path, twins):
    settings = bot_settings(
        corpus_dir=twins.settings.corpus_dir,
        index_dir=twins.settings.index_dir,
        data_dir=tmp_path / "data",
        telegram_token=tg.token,
        telegram_api_base_url=tg.base_url,
    )
    async with running(settings, twins):
        [asked] = await exchange(tg, "ai chu tri cai cach the che o xa thanh an")
        assert "xã Thạnh An" in asked["text"] and "xã Thanh An" in asked["text"]
        labels = [b["text"] for row in asked["reply_markup"]["inline_keyboard"] for b in row]
        assert len(labels) == 2 and all(label.startswith("xã Th") for label in labels)
        [answered] = await press(tg, asked, "xã Thanh An")
        assert "Thanh An" in answered["text"] and "Thạnh An" not in answered["text"]
        assert "Văn phòng" in answered["text"] and "<blockquote>" in answered["text"]
        [exact] = await exchange(tg, "Ai chủ trì cải cách thể chế ở xã Thạnh An?")
        assert "Thạnh An" in exact["text"] and "inline_keyboard" in exact["reply_markup"]
        buttons = [b["callback_data"] for row in exact["reply_markup"]["inline_keyboard"] for b in row]
        assert not any(data.startswith("pick:") for data in buttons)
