"""The bot as a conversation, end to end through the fake Bot API server: follow-ups, the
chat's own commune (/diaban), choices between communes as buttons. Real application, real
assistant (lexical index), real HTTP."""

from __future__ import annotations

import html
import shutil
from datetime import date

import pytest
from botkit import assert_valid_html, button, exchange, press, running, visible
from helpers import CORPUS, quote_in_source

from assistant.due.schedule import upcoming
from assistant.lang.normalize import fold
from assistant.present.answers import answer_markdown, scope_label
from assistant.telegram import home, replies
from assistant.telegram.store import SqliteStore

DIGITAL = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
GROUP, ADMIN, MEMBER = -100777, 501, 502
KY_LAC, THAI_TAN = "xa-ky-lac-2025", "xa-thai-tan-2025"
FIRST_OF_OCTOBER = date(2025, 10, 1)


@pytest.fixture
async def bot(settings, assistant):
    async with running(settings, assistant, today=lambda: FIRST_OF_OCTOBER) as app:
        yield app


@pytest.fixture
def assistant(lexical_assistant):
    return lexical_assistant


def _understood(text: str) -> str:
    first = visible(text).split("\n", 1)[0]
    return first.removeprefix("Hiểu là: ") if first.startswith("Hiểu là: ") else ""


def _quotes_are_the_plans(text: str, assistant) -> None:
    quotes = [html.unescape(q) for q in text.split("<blockquote>")[1:]]
    assert quotes
    for q in quotes:
        quote = q.split("</blockquote>")[0].removesuffix("…")
        assert any(quote_in_source(quote, src) for src in assistant.answerer.sources.values()), quote[:80]


async def test_the_readme_s_three_turns_cooperating_units_then_the_lead_s_duties(tg, bot, assistant):
    """The README's exchange: a lead question, "còn phối hợp thì sao?", then "đơn vị đó còn
    làm gì nữa?", which asks about the task's lead (the unit the first answer named first),
    not about the cooperating units the second answer named."""
    [lead] = await exchange(tg, DIGITAL)
    task = assistant.ask(DIGITAL).facts[0].task
    [coop] = await exchange(tg, "còn phối hợp thì sao?")
    assert _understood(coop["text"]).startswith("Ai phối hợp") and "phường Rạch Giá" in _understood(
        coop["text"]
    )
    assert f"Phối hợp: <b>{html.escape(task.cooperating[0], quote=False)}</b>" in coop["text"]
    assert_valid_html(coop["text"])
    _quotes_are_the_plans(coop["text"], assistant)
    assert coop["reply_markup"]["inline_keyboard"]  # sources and votes, as under any answer
    [duties] = await exchange(tg, "đơn vị đó còn làm gì nữa?")
    understood = _understood(duties["text"])
    assert understood.startswith(task.lead[0]) and "phường Rạch Giá" in understood
    assert task.cooperating[0] not in understood
    answered = visible(duties["text"]).split("\n", 1)[1].lstrip()
    assert answered.lower().startswith(task.lead[0].lower())  # the lead's own duties, first
    assert_valid_html(duties["text"])
    _quotes_are_the_plans(duties["text"], assistant)


async def test_a_follow_up_switches_the_commune_then_a_full_question_stands_alone(tg, bot, assistant):
    await exchange(tg, "Báo cáo năm của xã Vĩnh Thịnh gửi khi nào?")
    [switched] = await exchange(tg, "thế ở xã Thái Tân thì sao?")
    understood = _understood(switched["text"])
    assert understood == "Báo cáo năm của xã Thái Tân gửi khi nào?"
    expected = assistant.ask(understood)
    assert expected.plans == (THAI_TAN,)
    after_the_line = visible(switched["text"]).split("\n", 1)[1].lstrip()
    assert after_the_line.startswith(answer_markdown(expected).replace("**", ""))
    question = "Ai chủ trì cải cách thể chế ở xã Kỳ Lạc?"
    [alone] = await exchange(tg, question)
    [fresh] = await exchange(tg, question, chat_id=1002)  # a chat with no past
    assert not _understood(alone["text"]) and alone["text"] == fresh["text"]


async def test_the_last_question_survives_a_restart(tg, settings, assistant):
    async with running(settings, assistant):
        await exchange(tg, DIGITAL)
    async with running(settings, assistant):
        [after] = await exchange(tg, "hạn khi nào?")
    assert _understood(after["text"]).startswith("Thời hạn Kế hoạch Chuyển đổi số")
    assert "<b>31/01/2026</b>" in after["text"]


async def test_diaban_by_button_then_questions_and_deadlines_for_that_commune(tg, bot, assistant):
    [before] = await exchange(tg, "/hanchot 90")
    assert "xã Thái Tân" in visible(before["text"])  # every plan's deadlines while none is chosen
    [menu] = await exchange(tg, "/diaban")
    labels = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert len(labels) == 5 and any(label.startswith("xã Kỳ Lạc") for label in labels)
    [done] = await press(tg, menu, "xã Kỳ Lạc")
    assert "Đã chọn địa bàn: <b>xã Kỳ Lạc</b>" in done["text"]
    [answer] = await exchange(tg, "Ai chủ trì cải cách thể chế?")
    assert "Hiểu là" not in answer["text"]
    expected = assistant.ask("Ai chủ trì cải cách thể chế?", (KY_LAC,))
    assert all(c.plan == KY_LAC for c in expected.citations + expected.alternatives)
    assert visible(answer["text"]).startswith(answer_markdown(expected).replace("**", ""))
    [deadlines] = await exchange(tg, "/hanchot 90")
    places = {
        line.split(" · ")[0].strip() for line in visible(deadlines["text"]).splitlines() if " · " in line
    }
    assert places == {"xã Kỳ Lạc"}
    before = len(tg.sent(1001))
    await exchange(tg, "/donvi Phòng VHXH")
    await tg.settle()  # every part of a long reply
    units = "\n".join(m["text"] for m in tg.sent(1001)[before:])
    assert "📘 <b>xã Kỳ Lạc" in units and units.count("📘") == 1  # that commune's plan only
    [elsewhere] = await exchange(tg, "Báo cáo năm của xã Thái Tân gửi khi nào?")
    assert "10/12" in visible(elsewhere["text"])  # a place named is answered for that place


async def test_diaban_by_text_in_a_group_only_for_its_admins(tg, bot, assistant):
    tg.chat_admins[GROUP] = [ADMIN]
    [refused] = await exchange(tg, "/diaban thai tan", chat_id=GROUP, user_id=MEMBER, chat_type="group")
    assert refused["text"] == home.ADMINS_ONLY
    [done] = await exchange(tg, "/diaban thai tan", chat_id=GROUP, user_id=ADMIN, chat_type="group")
    assert "Đã chọn địa bàn: <b>xã Thái Tân" in done["text"]
    q = f"@{tg.username} Báo cáo năm gửi khi nào?"
    [answer] = await exchange(tg, q, chat_id=GROUP, user_id=MEMBER, chat_type="group")
    expected = assistant.ask("Báo cáo năm gửi khi nào?", (THAI_TAN,))
    assert expected.plans == (THAI_TAN,)
    assert visible(answer["text"]).startswith(answer_markdown(expected).replace("**", ""))
    assert SqliteStore(bot.bot_data.settings.data_dir).home_of(GROUP).place == "xã Thái Tân"
    [unknown] = await exchange(tg, "/diaban Hà Nội", chat_id=GROUP, user_id=ADMIN, chat_type="group")
    assert "Không tìm thấy xã/phường «Hà Nội»" in unknown["text"] and unknown["reply_markup"]


async def test_several_communes_answered_through_buttons(tg, bot, assistant):
    question = "Cải cách tài chính công do phòng nào chủ trì tham mưu?"
    unscoped = assistant.ask(question)
    assert len(unscoped.plans) >= 2 and replies.too_long_to_list(unscoped)
    [ask] = await exchange(tg, question)
    assert ask["text"] == replies.WHICH_PLACE
    rows = ask["reply_markup"]["inline_keyboard"]
    assert len(rows) == len(unscoped.plans + unscoped.also_plans)  # those stated and those left out
    chosen = unscoped.places[1]
    [answer] = await press(tg, ask, chosen)
    expected = assistant.ask(question, (unscoped.plans[1],))
    assert visible(answer["text"]).startswith(answer_markdown(expected).replace("**", ""))
    [follow] = await exchange(tg, "còn phối hợp?")  # the press answered: it is the last question now
    assert _understood(follow["text"]).endswith(f"— {chosen}")


async def test_a_short_list_of_communes_is_answered_in_one_reply(tg, bot, assistant, gold_questions):
    """A question naming no commune whose answers from several plans fit on one screen."""
    asked = ((g["question"], assistant.ask(g["question"])) for g in gold_questions)
    question, unscoped = next(
        (q, a) for q, a in asked if len(set(a.plans)) >= 2 and not replies.too_long_to_list(a)
    )
    [answer] = await exchange(tg, question)
    for place in unscoped.places:
        assert f"• {place}:" in visible(answer["text"])


async def test_start_offers_the_communes(tg, bot):
    [hello] = await exchange(tg, "/start")
    assert "/diaban" in visible(hello["text"])
    assert len([b for row in hello["reply_markup"]["inline_keyboard"] for b in row]) == 5
    await exchange(tg, "/diaban Rạch Giá")
    [again] = await exchange(tg, "/start")
    assert "Địa bàn của bạn: phường Rạch Giá" in visible(again["text"]) and "reply_markup" not in again


async def test_deadlines_name_the_commune_and_plan_they_looked_at(tg, bot, assistant):
    [everywhere] = await exchange(tg, "/hanchot 3")
    every_plan = [p for p in assistant.index.catalog]
    assert f"📍 {scope_label(every_plan)}" in visible(everywhere["text"])
    await exchange(tg, "/diaban Thạnh An")
    [chosen] = [p for p in every_plan if p.place == "xã Thạnh An"]
    assert upcoming(assistant.records((chosen.id,)), FIRST_OF_OCTOBER, days=3) == []
    [nothing] = await exchange(tg, "/hanchot 3")
    shown = visible(nothing["text"])
    assert f"Không có hạn chót nào trong 3 ngày tới ở {chosen.place}." in shown
    assert f"📍 {scope_label([chosen])}" in shown and f"kế hoạch {chosen.period}" in shown
    assert_valid_html(nothing["text"])


async def test_an_answer_from_some_plans_says_how_many_others_say_it_and_offers_them(
    tg, bot, assistant, gold_questions
):
    """A question naming no commune whose answer, one screen long, leaves plans out."""
    asked = ((g["question"], assistant.ask(g["question"])) for g in gold_questions)
    question, partial = next((q, a) for q, a in asked if a.also_plans and not replies.too_long_to_list(a))
    [answer] = await exchange(tg, question)
    shown = visible(answer["text"])
    count, places = len(partial.also_plans), ", ".join(partial.also_places)
    assert f"… và {count} kế hoạch khác cũng nêu: {places}." in shown
    assert replies.ALSO_BUTTONS in shown
    assert all(f"[{f.place}]" in shown or f"• {f.place}:" in shown for f in partial.facts)
    offered = _plus_buttons(answer)
    assert len(offered) == count and all(place in label for place, label in zip(partial.also_places, offered))
    [other] = await press(tg, answer, offered[0])
    expected = assistant.ask(question, (partial.also_plans[0],))
    assert visible(other["text"]).startswith(answer_markdown(expected).replace("**", ""))
    tg.click(tg.result_of(answer), button(answer, "👍"))  # a vote keeps the plans offered
    [edited] = await tg.until(lambda: tg.sent(method="editMessageReplyMarkup"))
    assert _plus_buttons(edited) == offered


def _plus_buttons(message: dict) -> list[str]:
    """The labels of the ➕ buttons under a message (the plans an answer left out)."""
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    return [label for label in labels if label.startswith("➕")]


@pytest.fixture
def province_of_three(tg, tmp_path):
    """The five plans and two more communes of thành phố Cần Thơ (Thạnh An's plan under other
    names): a province with three communes' plans, for those who oversee them."""
    from botkit import bot_settings

    from assistant.serve.assistant import Assistant

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    for name in ("Tân Lộc", "Phước Thới"):
        text = (CORPUS / "xa-thanh-an-2026.txt").read_text("utf-8").replace("Thạnh An", name)
        (corpus / f"{fold(name).replace(' ', '-')}-2026.txt").write_text(text, "utf-8")
    settings = bot_settings(
        corpus_dir=corpus,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        telegram_token=tg.token,
        telegram_api_base_url=tg.base_url,
    )
    return settings, Assistant.load(settings)


async def test_diaban_a_province_then_a_question_naming_no_commune_is_answered_across_it(
    tg, province_of_three
):
    settings, assistant = province_of_three
    async with running(settings, assistant):
        [done] = await exchange(tg, "/diaban thanh pho Can Tho")
        [answer] = await exchange(tg, "Ai chủ trì thẩm định kinh phí thực hiện kế hoạch CCHC?")
    assert "Đã chọn địa bàn: <b>thành phố Cần Thơ</b> (3 kế hoạch)" in done["text"]
    shown = visible(answer["text"])
    assert shown.startswith("3 xã có kế hoạch nêu nội dung này (đã tìm trong 3 kế hoạch)")
    for place in ("xã Thạnh An", "xã Tân Lộc", "xã Phước Thới"):  # one line each, its own fact
        assert f"• {place}: Phòng Kinh tế" in shown
    assert "Vĩnh Thịnh" not in shown and "Thái Tân" not in shown
