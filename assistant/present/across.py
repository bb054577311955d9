"""An answer across communes ("xã nào …") in words: one line per commune with its fact and a
short quote of its plan, a page of them at a time, then how many communes were not shown and
which. Pure functions."""

from __future__ import annotations

from assistant.present.facts import say
from assistant.records import Answer

SHOWN = 5  # communes listed on one page of an answer across communes
NAMED_REST = 6  # communes not shown that are named after the count; more are only counted
QUOTE_CHARS = 160  # the quote on a commune's line, cut at a word


def kind_word(places: tuple[str, ...]) -> str:
    """ "xã", "phường" or "xã/phường": what the places listed are."""
    kinds = {p.split(" ", 1)[0].lower() for p in places}
    return kinds.pop() if len(kinds) == 1 else "xã/phường"


def short_quote(quote: str, limit: int = QUOTE_CHARS) -> str:
    """The quote's opening words, verbatim, up to `limit` characters ("…" when cut)."""
    if len(quote) <= limit:
        return quote
    cut = quote[:limit].rsplit(" ", 1)[0]
    return f"{cut} …"


def page_lines(answer: Answer, start: int = 0) -> list[str]:
    """The communes from `start`, one line each: place, fact, quote."""
    quotes = {c.plan: c.quote for c in reversed(answer.citations)}  # each plan's first citation
    shown = answer.facts[start : start + SHOWN]
    return [f"• {f.place}: {say(f)} — «{short_quote(quotes.get(f.plan, ''))}»" for f in shown]


def rest_line(answer: Answer, start: int = 0) -> str:
    """The communes after this page: "… và 12 xã khác: xã A, xã B, …." ("" when none)."""
    rest = answer.places[start + SHOWN :]
    if not rest:
        return ""
    named = ", ".join(rest[:NAMED_REST]) + (", …" if len(rest) > NAMED_REST else "")
    return f"… và {len(rest)} {kind_word(rest)} khác cũng nêu: {named}."


def across_markdown(answer: Answer, start: int = 0) -> str:
    """A page of an answer across communes, values bold in Markdown."""
    kind = kind_word(answer.places)
    head = (
        f"{len(answer.facts)} {kind} có kế hoạch nêu nội dung này (đã tìm trong {answer.searched} kế hoạch):"
        if start == 0
        else f"Các {kind} tiếp theo ({start + 1}–{min(start + SHOWN, len(answer.facts))}):"
    )
    return "\n".join([head, *page_lines(answer, start), *filter(None, [rest_line(answer, start)])])


def none_across(answer: Answer) -> str:
    return f"Không tìm thấy thông tin này trong kế hoạch của {answer.searched} xã/phường đã tìm."


def ask_for_more(answer: Answer, start: int = 0) -> str:
    """How to see the communes not shown when there are no buttons (the console)."""
    rest = answer.places[start + SHOWN :]
    return (
        f"Để xem câu trả lời của một {kind_word(rest)}, hãy hỏi lại kèm tên, ví dụ: "
        f"«{answer.question.rstrip('?').rstrip()} ở {rest[0]}?»"
    )
