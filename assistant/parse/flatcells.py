"""Cells of one row of a flattened appendix table, read back from its wrapped lines.

A row arrives as the lines of its cells one after another: the activity (or task, or
objective) text, then product, lead, cooperating, deadline and budget. Deadline and budget
are found by their wording, the unit cells by unit names, the product by where a new
sentence opens. Pure, and never raises.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from assistant.lang.units import find_units
from assistant.lang.units import fold_same_length as _fold


@dataclass(frozen=True)
class Line:
    text: str  # stripped text of one non-blank line (or part of one)
    start: int  # offsets of `text` in the source
    end: int
    lineno: int
    brk: bool = False  # first line after a repeated page header


@dataclass(frozen=True)
class Cells:
    content: tuple[Line, ...] = ()
    product: tuple[Line, ...] = ()
    lead: tuple[Line, ...] = ()
    coop: tuple[Line, ...] = ()
    deadline: tuple[Line, ...] = ()
    budget: tuple[Line, ...] = ()
    extra: tuple[Line, ...] = ()  # continuation after a page break, quoted but unassigned


_DEADLINE = re.compile(
    r"(?:ngay\s+\d|thang\s+\d|quy\s+[ivx1-4]|nam\s+\d{4}|thuong\s+xuyen"
    r"|hang\s+(?:nam|quy|thang|tuan|ngay)|dinh\s+ky|theo\s+lo\s+trinh|ca\s+nam"
    r"|(?:truoc|trong|tu|den)\s+(?:ngay|thang|quy|nam)?\s*\d"
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|\d{1,2}\s+thang\b)"
)
_DEADLINE_DONE = re.compile(
    r".*\d{4}\s*\.?|thuong\s+xuyen|hang\s+(?:nam|quy|thang|tuan|ngay)|ca\s+nam|.*duyet\.?"
)
_BUDGET = re.compile(r"(?:theo\s+du\s+toan|kinh\s+phi|ngan\s+sach|tu\s+nguon|long\s+ghep)")
_BUDGET_DONE = re.compile(r".*\b(?:cap|giao|duyet)\.?")
# Words that open a unit's name when they start a cell (the lexicon in units.py first).
_HEAD = re.compile(
    r"(?:cac\s+)?(?:phong?(?!\s+(?:chong|ngua|phu)\b)|van\s+phong|trung\s+tam|ban(?!\s+hanh\b)"
    r"|bo\s+phan|co\s+quan|cong\s+chuc|doan\s+the|doan\s+thanh\s+nien|hoi\s+(?:nong|phu|cuu|lien)"
    r"|(?:ubnd|uy\s+ban\s+nhan\s+dan)(?:\s+cap)?\s+(?:xa|phuong)|ubmttq|mttq|uy\s+ban\s+mttq"
    r"|cong\s+an\s+(?:xa|phuong)|ban\s+chi\s+huy)\b"
    r"|cac\s+(?:don\s+vi|thon|nganh|to\s+chuc|doan\s+the)\b"
)
# Proper nouns that may open a line in the middle of a sentence.
_PROPER = re.compile(
    r"(?:trung\s+uong|nha\s+nuoc|chinh\s+phu|quoc\s+hoi|quoc\s+gia|nhan\s+dan|(?:pho\s+)?chu\s+tich"
    r"|thu\s+tuong|bo|so|tinh|huyen|hoi\s+dong|doan|dang\s+uy|mat\s+tran|uy\s+ban"
    r"|cong\s+(?:dich\s+vu|dvc|thong\s+tin))\b"
)
# Words after which a line cannot end a cell (matched with diacritics: "tại" is not "tài").
_CONNECTORS = frozenset(
    "của cho với tại về các đến tới từ trên để được bởi do thuộc trong qua bằng những như"
    " gồm là trình giữa cùng".split()
)


def join_lines(lines) -> str:
    """Lines of a cell as one string; a word broken after a hyphen (`HĐND-`) is rejoined."""
    out = ""
    for line in lines:
        glue = "" if out.endswith("-") and len(out) > 1 and not out[-2].isspace() else " "
        out = line.text if not out else out + glue + line.text
    return re.sub(r"\s+", " ", out).strip()


def _opens(lines, i: int, pattern: re.Pattern) -> bool:
    """Does a deadline (or budget) cell start at lines[i]? Looks at three lines at once."""
    if i >= len(lines) or not (lines[i].text[0].isupper() or lines[i].text[0].isdigit()):
        return False
    return bool(pattern.match(_fold(" ".join(x.text for x in lines[i : i + 3]))))


def _block_end(lines, i: int, done: re.Pattern, limit: int) -> int:
    """End (exclusive) of a deadline or budget cell that starts at lines[i]."""
    j, text = i + 1, lines[i].text
    while j < len(lines) and j - i < limit and not done.fullmatch(_fold(text).strip()):
        if lines[j].brk or _opens(lines, j, _BUDGET):
            break
        text, j = text + " " + lines[j].text, j + 1
    return j


def read_cells(tail: list[Line], own: bool = False) -> Cells:
    """Cells of one row from its lines: deadline and budget first, then the rest.

    own: the lines are a task's or an objective's cell carrying cells of its own (no
    activity). Such a cell is a long sentence: a unit name opening one of its lines opens
    no cell, and lower-case text right after a page break is the rest of it.
    """
    if not tail:
        return Cells()
    d = next((i for i in range(1, len(tail)) if _opens(tail, i, _DEADLINE)), None)
    b = d_end = None
    if d is not None:
        d_end = _block_end(tail, d, _DEADLINE_DONE, 7)
        b = d_end if _opens(tail, d_end, _BUDGET) else None
    else:
        b = next((i for i in range(1, len(tail)) if _opens(tail, i, _BUDGET)), None)
    b_end = _block_end(tail, b, _BUDGET_DONE, 6) if b is not None else None
    region_end = d if d is not None else (b if b is not None else len(tail))
    after = b_end or d_end or region_end
    rest = tail[after:]
    extra = tuple(rest) if any(x.brk for x in rest) else ()
    cut = _goes_on(extra) if own else 0
    content, product, lead, coop = _split_region(tail[:region_end], own, cut > 0)
    content, extra = content + extra[:cut], extra[cut:]
    return Cells(
        content,
        product,
        lead,
        coop,
        tuple(tail[d:d_end]) if d is not None else (),
        tuple(tail[b:b_end]) if b is not None else (),
        extra,
    )


def _unit_marks(lines: list[Line]) -> tuple[set[int], set[int]]:
    """Lines where a unit name starts, and lines lying inside a unit name."""
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line.text) + 1
    text = " ".join(x.text for x in lines)
    folded = _fold(text)
    spans = [(u.start, u.end) for u in find_units(text)]
    spans += [(o, m.end()) for o in offsets if (m := _HEAD.match(folded, o))]
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))
    kept: list[tuple[int, int]] = []
    for s in spans:
        if not kept or s[0] >= kept[-1][1]:
            kept.append(s)
    index = {o: i for i, o in enumerate(offsets)}
    starts = {index[s] for s, _ in kept if s in index}
    inside: set[int] = set()
    for s, e in kept:
        inside.update(range(bisect_right(offsets, s), bisect_left(offsets, e)))
    return starts, inside


def _goes_on(extra: tuple[Line, ...]) -> int:
    """How many lines after a page break go on with a sentence it cut (lower case)."""
    if not extra or not extra[0].brk or not extra[0].text[0].islower():
        return 0
    return next((n for n, x in enumerate(extra) if x.text[0].isupper()), len(extra))


def ends_with_connector(text: str, extra: frozenset = frozenset()) -> bool:
    words = re.findall(r"\w+", text.lower())
    return bool(words) and (words[-1] in _CONNECTORS | extra or words[-2:] == ["ý", "kiến"])


def _opening(prev: Line, cur: Line, inside: bool, unit: bool) -> str:
    """Does `cur` open a new cell? "hard", "soft" (only a proper noun), or ""."""
    t = cur.text
    if inside:
        return ""
    if t[0] in "-+•*–" or prev.text.endswith("."):
        return "hard"
    if not t[0].isupper() or prev.text[-1] in ",;:(/-&":
        return ""
    first = re.sub(r"[^\w]", "", t.split()[0])  # an acronym (TTHC) or a proper noun
    if not unit and not (len(first) >= 2 and first.isupper()) and not _PROPER.match(_fold(t)):
        return "hard"
    return "soft" if unit and not ends_with_connector(prev.text) else ""


def _split_region(region: list[Line], own: bool = False, cut: bool = False):
    """Split the lines before the deadline into content, product, lead, cooperating.

    own: no soft cell openings (see read_cells). cut: the first cell goes on after a page
    break, so a line of it may end with a comma right before a unit cell.
    """
    starts, inside = _unit_marks(region)
    listed = starts | inside  # lines of a unit name: "Phòng A, Phòng B"
    cands = [
        i
        for i in range(1, len(region))  # a unit name opening a cell
        if i in starts
        and region[i].text[0].isupper()
        and (region[i - 1].text[-1] != "," or (cut and i - 1 not in listed))
        and not ends_with_connector(region[i - 1].text)
    ]
    lead_i = cands[-2] if len(cands) >= 2 else (cands[0] if cands else None)
    coop_i = cands[-1] if len(cands) >= 2 else None
    body_end = lead_i if lead_i is not None else len(region)
    p, soft = None, None
    for i in range(1, body_end):
        kind = _opening(region[i - 1], region[i], i in inside, i in starts)
        if kind == "hard":
            p = i
            break
        if kind == "soft" and soft is None and not own:
            soft = i
    p = p if p is not None else (soft if soft is not None else body_end)
    lead_end = coop_i if coop_i is not None else len(region)
    lead = region[lead_i:lead_end] if lead_i is not None else []
    coop = region[coop_i:] if coop_i is not None else []
    return tuple(region[:p]), tuple(region[p:body_end]), tuple(lead), tuple(coop)


def may_go_on(c: Cells) -> tuple[bool, ...]:
    """For content, product, lead, cooperating, deadline and budget: may the cell go on
    after a page break? A deadline or budget cell that reads as finished cannot."""

    def finished(lines, done: re.Pattern) -> bool:
        return bool(lines) and bool(done.fullmatch(_fold(join_lines(lines)).strip()))

    return (
        True,
        True,
        True,
        True,
        not finished(c.deadline, _DEADLINE_DONE),
        not finished(c.budget, _BUDGET_DONE),
    )


def cell_lines(c: Cells) -> list[Line]:
    return [*c.product, *c.lead, *c.coop, *c.deadline, *c.budget, *c.extra]
