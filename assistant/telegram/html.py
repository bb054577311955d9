"""Telegram HTML: escaping, Markdown bold, splitting long messages, plain text for the console."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

LIMIT = 4096
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9-]+)")


def esc(text: str) -> str:
    """Plan text made safe for Telegram HTML (`<`, `>`, `&`)."""
    return html.escape(text, quote=False)


def bold(text: str) -> str:
    """Escape `text`, then turn Markdown `**x**` into `<b>x</b>`."""
    return _BOLD.sub(r"<b>\1</b>", esc(text))


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """`text` in parts of at most `limit` characters, each valid HTML on its own: cut at a
    paragraph boundary where possible, then a line, a space, any character; tags open at a
    cut are closed at the end of one part and opened again at the start of the next."""
    if limit < 200:
        raise ValueError(f"limit must be at least 200 characters, got {limit}")
    parts, text = [], text.strip()
    while len(text) > limit:
        cut, stack = _best_cut(text, limit)
        parts.append(text[:cut].rstrip() + "".join(f"</{_name(t)}>" for t in reversed(stack)))
        text = "".join(stack) + text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _name(tag: str) -> str:
    return _TAG_NAME.match(tag).group(1).lower()


def _best_cut(text: str, limit: int) -> tuple[int, tuple[str, ...]]:
    """The best place to cut: (position, tags open there). Kinds: 3 paragraph at top level,
    2 line break, 1 space, 0 any character outside a tag or entity."""
    best: dict[int, tuple[int, tuple[str, ...]]] = {}
    stack: list[str] = []
    closing = 0
    for m in _TOKEN.finditer(text):
        tok, start = m.group(), m.start()
        if start > limit:
            break
        if tok.startswith("</"):
            if stack:
                closing -= len(_name(stack.pop())) + 3
            continue
        if tok.startswith("<") and len(tok) > 1:
            if not tok.endswith("/>"):
                stack.append(tok)
                closing += len(_name(tok)) + 3
            continue
        chars = [tok] if tok.startswith("&") else list(tok)
        pos = start
        for ch in chars:
            pos += len(ch)
            if pos + closing > limit:
                break
            before = text[max(0, pos - 2) : pos]
            kind = 3 if before == "\n\n" and not stack else 2 if ch == "\n" else 1 if ch == " " else 0
            best[kind] = (pos, tuple(stack))
    for kind in (3, 2, 1):
        if kind in best and best[kind][0] >= limit // 2:
            return best[kind]
    if not best:
        raise ValueError("no place to cut: a single tag is longer than the limit")
    return max(best.values(), key=lambda c: c[0])


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.quoting = 0

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.quoting += 1

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.quoting -= 1

    def handle_data(self, data):
        if self.quoting:
            data = data.replace("\n", "\n   │ ")
            if not self.out or self.out[-1].endswith("\n"):
                data = "   │ " + data
        self.out.append(data)


def to_plain(text: str) -> str:
    """Telegram HTML as plain text for a terminal; quotes indented with a bar."""
    parser = _Plain()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)
