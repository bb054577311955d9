"""Inline mode: "@bot câu hỏi" typed in any chat lists answers the user can post there,
each one fact with its quote, or one of the closest passages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from telegram import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from assistant.lang.normalize import collapse, short
from assistant.present.answers import fact_markdown, plan_label
from assistant.records import Answer, Citation, Plan, stable_id
from assistant.telegram import replies
from assistant.telegram.home_handlers import home_plans
from assistant.telegram.send import quietly, with_retry
from assistant.telegram.state import BotContext

MAX_RESULTS = 5
MIN_LETTERS = 3  # a shorter query is still being typed: nothing is searched
CACHE_TIME = 60  # seconds Telegram may keep an answer, for the one user who asked (is_personal)
TITLE_LIMIT, DESCRIPTION_LIMIT = 100, 160
START_PARAMETER = "inline"  # the /start the button sends in the private chat
ANSWER_DELAYS = (0.5,)  # an inline query soon expires: one quick retry, then give up


def too_short(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) < MIN_LETTERS


def inline_results(answer: Answer, plan_of: Callable[[str], Plan | None]) -> list[InlineQueryResultArticle]:
    """Up to MAX_RESULTS articles: each stated fact with its sources, best first, then the
    closest passages. Ids are stable (the same answer gives the same ids) and short."""
    out: list[InlineQueryResultArticle] = []
    used: set[tuple[str, int]] = set()
    for fact in answer.facts:
        cites = [c for c in answer.citations if c.plan == fact.plan]
        used |= {(c.doc, c.start) for c in cites}
        markdown = fact_markdown(fact, answer.named_plan)
        out.append(
            _article(
                f"f{len(out)}-{stable_id(fact.plan, *(c.start for c in cites))}",
                short(markdown.replace("**", ""), TITLE_LIMIT),
                _description(plan_of(fact.plan), cites[0] if cites else None),
                replies.fact_html(markdown, cites),
            )
        )
    for c in answer.alternatives:
        if len(out) >= MAX_RESULTS or (c.doc, c.start) in used:
            continue
        used.add((c.doc, c.start))
        out.append(
            _article(
                f"p{len(out)}-{stable_id(c.doc, c.start, c.end)}",
                short(c.quote, TITLE_LIMIT),
                _description(plan_of(c.plan), c),
                replies.passage_html(c),
            )
        )
    return out[:MAX_RESULTS]


def _description(plan: Plan | None, c: Citation | None) -> str:
    """The plan (place, period) and the section: "xã Thạnh An, năm 2026 · V. TỔ CHỨC ..."."""
    parts = [plan_label(plan) if plan else c.plan_title if c else ""]
    if c is not None:
        parts.append(c.section or "phần mở đầu")
    return short(" · ".join(p for p in parts if p), DESCRIPTION_LIMIT)


def _article(id_: str, title: str, description: str, html: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=id_,
        title=title,
        description=description,
        input_message_content=InputTextMessageContent(html, parse_mode=ParseMode.HTML),
    )


def _ask(assistant, text: str, home: tuple[str, ...]) -> list[InlineQueryResultArticle]:
    """Off the event loop: the answer (for the asker's own commune when the question names
    no place) and its articles (the plan lookup reads the catalog)."""
    answer = assistant.ask(text, home=home)
    plans = {p.id: p for p in assistant.index.catalog}
    return inline_results(answer, plans.get)


async def answer_query(update: Update, context: BotContext) -> None:
    """An inline query: the cached articles for this text, or the assistant's answer."""
    query, state = update.inline_query, context.state
    text = collapse(query.query)
    if too_short(text):
        await answer_inline(query, [], replies.INLINE_HINT)
        return
    # the commune the user chose in their private chat with the bot (its id is theirs)
    home = await asyncio.to_thread(home_plans, state, query.from_user.id)
    key = (text, home)
    results = state.inline.get(key)
    if results is None:
        results = await asyncio.to_thread(_ask, state.assistant, text, home)
        state.inline.put(key, results)
    await answer_inline(query, results, None if results else replies.INLINE_NOTHING)


async def answer_inline(
    query: InlineQuery,
    results: Sequence[InlineQueryResultArticle],
    hint: str | None = None,
    cache_time: int = CACHE_TIME,
) -> None:
    """answerInlineQuery, personal; `hint` is a button above the results that opens the
    private chat with the bot. A query that expired meanwhile is only logged."""
    button = InlineQueryResultsButton(hint, start_parameter=START_PARAMETER) if hint else None
    await quietly(
        with_retry(
            lambda: query.answer(results, cache_time=cache_time, is_personal=True, button=button),
            "answerInlineQuery",
            ANSWER_DELAYS,
        ),
        "answerInlineQuery",
    )
