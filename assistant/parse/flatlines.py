"""The lines of a flattened appendix table, before rows are built: non-blank lines with
their offsets, the column header repeated at page breaks dropped (the line after it marked
as a break), labels run together on one line split ("2.2 ... 3.2. ..."), and each line
classified (group, row number, objective 1.x, task 2.x, activity 3.x, or text). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.lang.units import fold_same_length as _fold
from assistant.parse.flatcells import Line, join_lines

_HEADER_PART = re.compile(
    r"s?tt|\d{1,2}\s*-\s*\S.*|(?:noi\s+)?dung|qua,?\s*san|(?:san\s+)?pham|gian(?:\s+hoan)?"
    r"|(?:hoan\s+)?thanh|(?:kinh\s+)?phi"
)
_LEAD_NUM = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?(?=\s|$)")
_INNER_LABEL = re.compile(r"(?<=\s)[123]\.\d{1,2}\.(?=\s*\S)")
_LABEL_DOT = re.compile(r"([123])\.(\d{1,2})\.\s*(.*)", re.S)
_LABEL_SPACE = re.compile(r"([123])\.(\d{1,2})\s+(?=[^\W\d_])(.*)", re.S)
_ROWNUM = re.compile(r"[1-9]\d?(?:\.\d{1,2})*")
_GROUP = re.compile(r"([IVXL]{1,6})\.?\s+(\S.*)", re.S)
_SUBGROUP = re.compile(r"[1-9]\d?\.?\s+(\S.*)", re.S)
_KINDS = {"1": "obj", "2": "task", "3": "act"}


@dataclass(frozen=True)
class Item:
    kind: str  # group | rownum | obj | task | act | text
    line: Line
    label: str = ""
    body: Line | None = None  # text after the label, if any


def raw_lines(text: str, start: int, end: int) -> list[Line]:
    """Non-blank lines of text[start:end], stripped, with exact offsets."""
    out: list[Line] = []
    pos, lineno = start, text.count("\n", 0, start) + 1
    for seg in text[start:end].split("\n"):
        if stripped := seg.strip():
            s = pos + len(seg) - len(seg.lstrip())
            out.append(Line(stripped, s, s + len(stripped), lineno))
        pos, lineno = pos + len(seg) + 1, lineno + 1
    return out


def header_len(lines: list[Line], i: int) -> int:
    """How many lines the repeated column header starting at lines[i] spans (0: none)."""
    if len(lines[i].text) > 3 or _fold(lines[i].text) not in ("tt", "stt"):
        return 0
    n = i + 1
    while n < len(lines) and n - i < 16 and _HEADER_PART.fullmatch(_fold(lines[n].text)):
        n += 1
        if re.search(r"\bphi$", _fold(lines[n - 1].text)):
            break
    block = " ".join(_fold(x.text) for x in lines[i:n])
    if "chu tri" in block and ("nhiem vu" in block or "hoat dong" in block):
        return n - i
    return 0


def drop_headers(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    i, brk = 0, False
    while i < len(lines):
        n = header_len(lines, i)
        if n:
            i, brk = i + n, True
            continue
        out.append(replace(lines[i], brk=True) if brk else lines[i])
        i, brk = i + 1, False
    return out


def split_inline(line: Line) -> list[Line]:
    """`2.2  Báo cáo 3.2. Báo cáo` -> two lines; only lines opening with a number."""
    if not _LEAD_NUM.match(line.text):
        return [line]
    out: list[Line] = []
    while (m := _INNER_LABEL.search(line.text)) is not None:
        head = line.text[: m.start()].rstrip()
        out.append(Line(head, line.start, line.start + len(head), line.lineno, line.brk))
        line = Line(line.text[m.start() :], line.start + m.start(), line.end, line.lineno)
    return out + [line]


def classify(line: Line) -> Item:
    t = line.text
    m = _LABEL_DOT.fullmatch(t) or _LABEL_SPACE.fullmatch(t)
    if m and (m.re is _LABEL_DOT or t[m.start(3)].isupper()):
        rest = m.group(3)
        body = Line(rest, line.start + m.start(3), line.end, line.lineno, line.brk) if rest else None
        return Item(_KINDS[m.group(1)], line, f"{m.group(1)}.{m.group(2)}", body)
    if _ROWNUM.fullmatch(t):
        return Item("rownum", line)
    m = _GROUP.fullmatch(t)
    letters = [c for c in (m.group(2) if m else "") if c.isalpha()]
    if len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return Item("group", line, join_lines([line]))
    m = _SUBGROUP.fullmatch(t)
    if m and m.group(1)[0].isupper() and len(t.split()) >= 5:
        return Item("rownum", line)
    return Item("text", line)
