"""Small helpers shared by tests (no fixtures here)."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.lang.normalize import collapse
from assistant.parse.prose import clean_markup

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev.jsonl"
ROUND1 = SHARED / "eval" / "round1.jsonl"


def plain(text: str) -> str:
    """Source text as quotes show it: markup remnants removed, white space collapsed."""
    return collapse(clean_markup(text))


def quote_in_source(quote: str, source: str) -> bool:
    return collapse(quote) in plain(source)


def balanced_html(text: str) -> bool:
    from html.parser import HTMLParser

    stack: list[str] = []
    ok = [True]

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            stack.append(tag)

        def handle_endtag(self, tag):
            if not stack or stack.pop() != tag:
                ok[0] = False

    P().feed(text)
    return ok[0] and not stack and not re.search(r"&(?![a-z]+;|#\d+;)", text)
