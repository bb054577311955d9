"""Inline mode end to end: "@bot câu hỏi" through the fake Bot API server, answered by the
real application over the lexical assistant."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from botkit import assert_valid_html, exchange, running, visible
from helpers import plain

from assistant.lang.normalize import short
from assistant.present.facts import say
from assistant.records import Answer, Citation, Fact
from assistant.telegram import replies
from assistant.telegram.inline import MAX_RESULTS, inline_results
from assistant.telegram.state import TimedCache

# three plans state who leads institutional reform, more passages come close: five results
QUESTION = "Ai chủ trì cải cách thể chế?"
STRANGER = 2002


@pytest.fixture
async def bot(settings, lexical_assistant):
    async with running(settings, lexical_assistant) as app:
        yield app


async def ask_inline(tg, query: str, user_id: int = 1001) -> dict:
    """Type "@bot `query`" and wait for the bot's answerInlineQuery; its parameters."""
    query_id = tg.inline(query, user_id=user_id)
    return await tg.until(lambda: tg.inline_answer(query_id))


def quotes(text: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", text, re.S)]


async def test_results_are_the_facts_with_the_plans_own_words(tg, bot, lexical_assistant, sources):
    answer = lexical_assistant.ask(QUESTION)
    assert len(answer.facts) == 3 and len(answer.facts) + len(answer.alternatives) > MAX_RESULTS
    call = await ask_inline(tg, QUESTION)
    assert call["is_personal"] is True and call["cache_time"] > 0
    results = call["results"]
    assert len(results) == MAX_RESULTS
    assert len({r["id"] for r in results}) == MAX_RESULTS
    assert all(len(r["id"].encode()) <= 64 for r in results)
    for result, fact in zip(results, answer.facts, strict=False):
        assert result["title"] == short(say(fact).replace("**", ""), 100)
        assert fact.place in result["description"]
    first = results[0]["input_message_content"]
    assert first["parse_mode"] == "HTML"
    assert first["message_text"].startswith("<b>")
    assert "<b>" + html.escape(answer.citations[0].plan_title, quote=False) in first["message_text"]
    for result in results:
        text = result["input_message_content"]["message_text"]
        assert_valid_html(text)
        found = quotes(text)
        assert found, text
        for quote in found:  # the plan's own words, shortened at most
            words = quote.removesuffix("…")
            assert any(words in plain(source) for source in sources.values()), quote[:120]
    assert quotes(first["message_text"])[0] == short(answer.citations[0].quote, replies.QUOTE_LIMIT)
    passage = results[-1]
    assert passage["title"] == short(answer.alternatives[1].quote, 100)
    assert visible(passage["input_message_content"]["message_text"]).startswith("🔎")


async def test_stranger_gets_an_empty_answer(tg, settings, lexical_assistant):
    allowed = replace(settings, telegram_allowed_chats=("1001",))
    async with running(allowed, lexical_assistant) as app:
        refused = await ask_inline(tg, QUESTION, user_id=STRANGER)
        admitted = await ask_inline(tg, QUESTION, user_id=1001)
        assert app.bot_data.inline.misses == 1, "the stranger's query was not searched"
    assert refused["results"] == [] and "button" not in refused
    assert refused["cache_time"] == 0 and refused["is_personal"] is True
    assert len(admitted["results"]) == MAX_RESULTS
    assert tg.sent(STRANGER) == []


async def test_same_query_is_answered_from_the_cache(tg, bot):
    cache = bot.bot_data.inline
    first = await ask_inline(tg, QUESTION)
    again = await ask_inline(tg, "  Ai chủ trì   cải cách thể chế? ")
    assert (cache.misses, cache.hits) == (1, 1)
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]


async def test_empty_and_short_queries_get_no_results(tg, bot):
    for query in ("", "ai", " x1 "):
        call = await ask_inline(tg, query)
        assert call["results"] == []
        assert call["button"] == {"text": replies.INLINE_HINT, "start_parameter": "inline"}
    assert bot.bot_data.inline.misses == 0


async def test_invalid_question_gets_nothing_and_not_found_the_closest(tg, bot):
    invalid = await ask_inline(tg, "hello how are you")
    assert invalid["results"] == [] and invalid["button"]["text"] == replies.INLINE_NOTHING
    closest = await ask_inline(tg, "Con mèo của xã Kỳ Lạc tên là gì?")
    assert 1 <= len(closest["results"]) <= MAX_RESULTS
    for result in closest["results"]:
        assert "xã Kỳ Lạc" in result["description"]
        assert_valid_html(result["input_message_content"]["message_text"])


async def test_inline_queries_count_against_the_rate_limit(tg, bot):
    for _ in range(20):
        await ask_inline(tg, QUESTION)
    slowed = await ask_inline(tg, QUESTION)
    assert slowed["results"] == [] and slowed["button"]["text"] == replies.INLINE_SLOW
    dropped = tg.inline(QUESTION)
    await tg.settle(quiet=0.5)
    assert tg.inline_answer(dropped) is None, "after the warning, silence"


async def test_a_users_inline_queries_and_private_chat_share_one_rate_limit(tg, bot):
    """One limit per person: the 20 a minute are not doubled by asking half inline."""
    for _ in range(10):
        await ask_inline(tg, QUESTION)
    for _ in range(10):
        tg.text("/kehoach", chat_id=1001)
    await tg.until(lambda: len(tg.sent(1001)) >= 10)
    slowed = await ask_inline(tg, QUESTION)
    assert slowed["results"] == [] and slowed["button"]["text"] == replies.INLINE_SLOW
    tg.text("/kehoach", chat_id=1001)
    await tg.settle(quiet=0.5)
    assert len(tg.sent(1001)) == 10, "warned once (inline), then silence in the private chat too"


async def test_a_failing_question_gets_an_empty_answer(tg, bot, lexical_assistant, monkeypatch):
    monkeypatch.setattr(lexical_assistant, "ask", lambda q: 1 / 0)
    call = await ask_inline(tg, QUESTION)
    assert call["results"] == [] and call["cache_time"] == 0
    assert len(bot.bot_data.inline) == 0, "a failure is not cached"


# ---------------------------------------------------------------------------- pure parts
CITE = Citation(
    doc="xa-a.txt",
    plan="xa-a",
    plan_title="Kế hoạch CCHC xã A",
    section="",
    quote="Văn phòng chủ trì <rà soát> & báo cáo.",
    lines=(3, 3),
    start=10,
    end=50,
)


def test_results_skip_repeated_passages_and_name_the_plan_without_a_catalog():
    fact = Fact(kind="sentence", plan="xa-a", place="xã A", excerpt="Văn phòng chủ trì", intent="ai")
    answer = Answer(
        question="q", found=True, intent="ai", facts=(fact,), citations=(CITE,), alternatives=(CITE,)
    )
    [only] = inline_results(answer, lambda plan: None)
    assert only.description == "Kế hoạch CCHC xã A · phần mở đầu"
    text = only.input_message_content.message_text
    assert_valid_html(text)
    assert "&lt;rà soát&gt; &amp; báo cáo" in text


def test_timed_cache_expires_and_forgets_the_least_recent():
    now = [0.0]
    cache = TimedCache(size=2, ttl=60, clock=lambda: now[0])
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)  # "b" was used least recently
    assert cache.get("b") is None and cache.get("c") == 3
    now[0] = 60.0
    assert cache.get("a") is None and len(cache) == 1
    assert (cache.hits, cache.misses) == (2, 2)


async def test_a_question_without_a_place_is_answered_for_the_users_commune(tg, bot, lexical_assistant):
    everywhere = await ask_inline(tg, QUESTION)
    assert len({r["description"].split(",")[0] for r in everywhere["results"]}) > 1
    await exchange(tg, "/diaban Kỳ Lạc", chat_id=1001)  # the user's private chat: their id
    mine = await ask_inline(tg, QUESTION)
    expected = lexical_assistant.ask(QUESTION, home=("xa-ky-lac-2025",))
    assert mine["results"] and all(r["description"].startswith("xã Kỳ Lạc") for r in mine["results"])
    assert len(mine["results"]) == min(MAX_RESULTS, len(expected.facts) + len(expected.alternatives))
