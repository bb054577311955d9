"""Plan text -> blocks: unwrapped paragraphs, headings with section paths, list items and
table rows, each with its exact source span. Pure functions over a string."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.records import Block, Span

ROMAN = r"(?:I{1,3}|IV|VI{0,3}|IX|X{1,2}I{0,3})"
_ROMAN_HEAD = re.compile(rf"^{ROMAN}\.\s+\S")
_NUM_HEAD = re.compile(r"^\d{1,2}\.\s+\S")
_SUBNUM_HEAD = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s*[^\s\d/]")
_LETTER_HEAD = re.compile(r"^[a-zđ][\)\.]\s+\S")
_BULLET = re.compile(r"^[-+•–]\s*\S")
_INLINE_SPLIT = re.compile(r"\s\*\*(?=[a-zđ][\)\.]\s)")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>|\*\*|(?<!\w)\*|\*(?!\w)")
_CLOSING = re.compile(r"^(?:Nơi nhận|Nơi gửi)\s*:?\s*$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.;!?:…]\W*$")


@dataclass
class _Line:
    start: int  # offset of first non-space character
    end: int  # offset after last non-space character
    no: int  # 1-based line number
    text: str


@dataclass
class _Para:
    lines: list[_Line]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def clean_markup(text: str) -> str:
    """Drop markup remnants (`**`, `*`, `<ul ...>`) and collapse white space."""
    if "*" in text or "<" in text:
        text = _MARKUP.sub(lambda m: "" if m.group(0).startswith("*") else " ", text)
    return " ".join(text.split())


def split_lines(text: str) -> list[_Line]:
    """Non-blank lines with their offsets (a line is split where `**a)` starts a heading)."""
    out: list[_Line] = []
    offset = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        pieces = [(0, len(raw))]
        m = _INLINE_SPLIT.search(raw)
        if m:
            pieces = [(0, m.start()), (m.end(), len(raw))]
        for a, b in pieces:
            seg = raw[a:b]
            stripped = seg.strip()
            if stripped:
                lead = len(seg) - len(seg.lstrip())
                s = offset + a + lead
                out.append(_Line(s, s + len(stripped), no, stripped))
        offset += len(raw) + 1
    return out


def marker_kind(text: str) -> str | None:
    """Which list or heading marker starts a line: roman, num, subnum, letter, bullet."""
    t = clean_markup(text)
    if _ROMAN_HEAD.match(t):
        return "roman"
    if _SUBNUM_HEAD.match(t):
        return "subnum"
    if _NUM_HEAD.match(t):
        return "num"
    if _LETTER_HEAD.match(t):
        return "letter"
    if _BULLET.match(t):
        return "bullet"
    return None


def _starts_lower(text: str) -> bool:
    first = text.lstrip("*\"“'( ")[:1]
    return first.islower() or first.isdigit()


def _tail(para: _Para) -> str:
    """The paragraph's last lines, back to the last one with a word character: all that
    `_TERMINAL` can see (so each new line costs the same, however long the paragraph)."""
    out = []
    for line in reversed(para.lines):
        out.append(line.text)
        if re.search(r"\w", line.text):
            break
    return " ".join(reversed(out))


def _continues(prev: _Para, line: _Line, wrapped: bool, width: int) -> bool:
    """Whether `line` continues the paragraph `prev` (hard-wrapped or cut lines)."""
    if marker_kind(line.text):
        return False
    short = len(prev.lines[-1].text) < 0.75 * width
    if short and len(prev.lines) == 1 and marker_kind(prev.lines[0].text) and not _starts_lower(line.text):
        return False  # a short heading followed by its first sentence
    terminal = _TERMINAL.search(_tail(prev))
    if wrapped:
        return not (terminal and not _starts_lower(line.text))
    if terminal:
        return False
    return _starts_lower(line.text) or not short


def is_wrapped(lines: list[_Line], text: str) -> bool:
    """Hard-wrapped plans end most lines with a space and put a blank line between lines."""
    if not lines:
        return False
    raw_lines = text.split("\n")
    trailing = sum(1 for ln in lines if raw_lines[ln.no - 1].endswith(" "))
    return trailing > 0.5 * len(lines)


def paragraphs(lines: list[_Line], text: str) -> list[_Para]:
    wrapped = is_wrapped(lines, text)
    lengths = sorted(len(line.text) for line in lines) or [80]
    width = min(lengths[int(0.9 * (len(lengths) - 1))], 160)
    paras: list[_Para] = []
    for line in lines:
        if paras and paras[-1].lines[-1].no >= line.no - 2 and _continues(paras[-1], line, wrapped, width):
            paras[-1].lines.append(line)
        else:
            paras.append(_Para([line]))
    return paras


def _span(doc: str, first: _Line, last: _Line) -> Span:
    return Span(doc=doc, start=first.start, end=last.end, line_start=first.no, line_end=last.no)


_LEVEL = {"roman": 1, "num": 2, "subnum": 3, "letter": 4}


def _is_heading(kind: str | None, text: str) -> bool:
    if kind not in _LEVEL:
        return False
    if kind == "roman":
        return True
    body = clean_markup(text)
    return len(body) <= 40 or (len(body) <= 110 and not re.search(r"[.;]\W*$", body))


def prose_blocks(doc: str, paras: list[_Para], base: tuple[str, ...] = ()) -> list[Block]:
    """Headings update the section path; every block carries the path above it."""
    stack: list[tuple[int, str]] = []
    blocks: list[Block] = []
    for para in paras:
        text = clean_markup(para.text)
        if not text:
            continue
        kind = marker_kind(text)
        span = _span(doc, para.lines[0], para.lines[-1])
        if _CLOSING.match(text):
            stack = [(0, text.rstrip(":"))]
            blocks.append(Block(kind="heading", text=text, section=base, span=span))
            continue
        if _is_heading(kind, text):
            level = _LEVEL[kind]
            while stack and stack[-1][0] >= level:
                stack.pop()
            section = base + tuple(t for _, t in stack)
            blocks.append(Block(kind="heading", text=text, section=section, span=span))
            stack.append((level, text))
            continue
        if kind in _LEVEL:  # a numbered item closes deeper headings of the same list
            while stack and stack[-1][0] >= _LEVEL[kind]:
                stack.pop()
        section = base + tuple(t for _, t in stack)
        blocks.append(Block(kind="item" if kind else "paragraph", text=text, section=section, span=span))
    return blocks
