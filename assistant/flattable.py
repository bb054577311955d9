"""Rebuild appendix tables that PDF extraction flattened cell by cell.

A plan's appendix is a table: TT | 1- objective (1.x) | 2- task (2.x) | 3- activity (3.x) |
4- product | 5- lead | 6- cooperating | 7- deadline | 8- budget. Extraction emits it one
cell after another, each wrapped line of a cell on its own line, and repeats the column
header at every page break, sometimes in the middle of a row. This module reads that
shape alone (never a plan's name) and returns one record per activity. Pure: no I/O,
and it never raises on any string.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from assistant.units import find_units
from assistant.units import fold_same_length as _fold


@dataclass(frozen=True)
class FlatRow:
    label: str          # the activity number, e.g. "3.4"
    group: str          # e.g. "II CẢI CÁCH THỂ CHẾ"
    objective: str      # text of the 1.x cell this activity belongs to ("" if unknown)
    task: str           # text of the 2.x cell this activity belongs to ("" if unknown)
    content: str        # the activity text, without its "3.4." number
    product: str        # column 4 (may be "")
    lead: str           # column 5 as written, lines joined
    cooperating: str    # column 6 as written, lines joined ("" if none)
    deadline: str       # column 7 as written, lines joined
    budget: str         # column 8 ("" if none)
    start: int          # character offset where the row's quote starts
    end: int            # character offset where it ends (exclusive)
    line_start: int     # 1-based line numbers of start and end
    line_end: int
    complete: bool      # False when lead or deadline could not be read


@dataclass(frozen=True)
class _Line:
    text: str           # stripped text of one non-blank line (or part of one)
    start: int          # offsets of `text` in the source
    end: int
    lineno: int
    brk: bool = False   # first line after a repeated page header


@dataclass(frozen=True)
class _Item:
    kind: str           # group | rownum | obj | task | act | text
    line: _Line
    label: str = ""
    body: _Line | None = None   # text after the label, if any


@dataclass(frozen=True)
class _Cells:
    content: tuple[_Line, ...] = ()
    product: tuple[_Line, ...] = ()
    lead: tuple[_Line, ...] = ()
    coop: tuple[_Line, ...] = ()
    deadline: tuple[_Line, ...] = ()
    budget: tuple[_Line, ...] = ()
    extra: tuple[_Line, ...] = ()   # continuation after a page break, quoted but unassigned


@dataclass
class _Part:                        # an objective or task cell
    lines: list[_Line]
    used: bool = False


@dataclass
class _Draft:                       # an activity while the table is read
    label: str
    group: str
    objective: _Part | None
    task: _Part | None
    first_of_task: bool
    head: _Line
    lines: list[_Line] = field(default_factory=list)   # the activity cell and what follows
    next_is_act: bool = False
    cells: _Cells = _Cells()
    share: _Draft | None = None


_HEADER_PART = re.compile(
    r"s?tt|\d{1,2}\s*-\s*\S.*|(?:noi\s+)?dung|qua,?\s*san|(?:san\s+)?pham|gian(?:\s+hoan)?"
    r"|(?:hoan\s+)?thanh|(?:kinh\s+)?phi")
_LEAD_NUM = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?(?=\s|$)")
_INNER_LABEL = re.compile(r"(?<=\s)[123]\.\d{1,2}\.(?=\s*\S)")
_LABEL_DOT = re.compile(r"([123])\.(\d{1,2})\.\s*(.*)", re.S)
_LABEL_SPACE = re.compile(r"([123])\.(\d{1,2})\s+(?=[^\W\d_])(.*)", re.S)
_ROWNUM = re.compile(r"[1-9]\d?(?:\.\d{1,2})*")
_GROUP = re.compile(r"([IVXL]{1,6})\.?\s+(\S.*)", re.S)
_SUBGROUP = re.compile(r"[1-9]\d?\.?\s+(\S.*)", re.S)
_KINDS = {"1": "obj", "2": "task", "3": "act"}

_DEADLINE = re.compile(
    r"(?:ngay\s+\d|thang\s+\d|quy\s+[ivx1-4]|nam\s+\d{4}|thuong\s+xuyen"
    r"|hang\s+(?:nam|quy|thang|tuan|ngay)|dinh\s+ky|theo\s+lo\s+trinh|ca\s+nam"
    r"|(?:truoc|trong|tu|den)\s+(?:ngay|thang|quy|nam)?\s*\d"
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|\d{1,2}\s+thang\b)")
_DEADLINE_DONE = re.compile(
    r".*\d{4}\s*\.?|thuong\s+xuyen|hang\s+(?:nam|quy|thang|tuan|ngay)|ca\s+nam|.*duyet\.?")
_BUDGET = re.compile(r"(?:theo\s+du\s+toan|kinh\s+phi|ngan\s+sach|tu\s+nguon|long\s+ghep)")
_BUDGET_DONE = re.compile(r".*\b(?:cap|giao|duyet)\.?")
# Words that open a unit's name when they start a cell (the lexicon in units.py first).
_HEAD = re.compile(
    r"(?:cac\s+)?(?:phong?(?!\s+(?:chong|ngua|phu)\b)|van\s+phong|trung\s+tam|ban(?!\s+hanh\b)"
    r"|bo\s+phan|co\s+quan|cong\s+chuc|doan\s+the|doan\s+thanh\s+nien|hoi\s+(?:nong|phu|cuu|lien)"
    r"|(?:ubnd|uy\s+ban\s+nhan\s+dan)(?:\s+cap)?\s+(?:xa|phuong)|ubmttq|mttq|uy\s+ban\s+mttq"
    r"|cong\s+an\s+(?:xa|phuong)|ban\s+chi\s+huy)\b"
    r"|cac\s+(?:don\s+vi|thon|nganh|to\s+chuc|doan\s+the)\b")
# Proper nouns that may open a line in the middle of a sentence.
_PROPER = re.compile(
    r"(?:trung\s+uong|nha\s+nuoc|chinh\s+phu|quoc\s+hoi|quoc\s+gia|nhan\s+dan|(?:pho\s+)?chu\s+tich"
    r"|thu\s+tuong|bo|so|tinh|huyen|hoi\s+dong|doan|dang\s+uy|mat\s+tran|uy\s+ban"
    r"|cong\s+(?:dich\s+vu|dvc|thong\s+tin))\b")
# Words after which a line cannot end a cell (matched with diacritics: "tại" is not "tài").
_CONNECTORS = frozenset(
    "của cho với tại về các đến tới từ trên để được bởi do thuộc trong qua bằng những như"
    " gồm là trình giữa cùng".split())


def find_flattened_table(text: str) -> tuple[int, int] | None:
    """Character range of a flattened appendix (detected by its column header), or None."""
    lines = _raw_lines(text, 0, len(text))
    first = next((i for i in range(len(lines)) if _header_len(lines, i)), None)
    return None if first is None else (lines[first].start, lines[-1].end)


def parse_flattened_table(text: str, start: int = 0, end: int | None = None) -> list[FlatRow]:
    """One FlatRow per activity (3.x) found in text[start:end]; never raises on any input.

    Pass the range from find_flattened_table: a plan's body has numbered "3.x." lines too.
    """
    if not isinstance(text, str):
        return []
    start = max(0, min(int(start or 0), len(text)))
    end = len(text) if end is None else max(start, min(int(end), len(text)))
    walker = _Walker()
    for line in _drop_headers(_raw_lines(text, start, end)):
        for piece in _split_inline(line):
            walker.feed(_classify(piece))
    drafts = walker.finish()
    for i in range(len(drafts) - 2, -1, -1):   # no cells of its own, straight before another
        if drafts[i].next_is_act and not drafts[i].cells.deadline and not drafts[i].cells.budget:
            drafts[i].share = drafts[i + 1].share or drafts[i + 1]   # the last of a chain
    return [_to_row(d) for d in drafts]


def _raw_lines(text: str, start: int, end: int) -> list[_Line]:
    """Non-blank lines of text[start:end], stripped, with exact offsets."""
    out: list[_Line] = []
    pos, lineno = start, text.count("\n", 0, start) + 1
    for seg in text[start:end].split("\n"):
        if stripped := seg.strip():
            s = pos + len(seg) - len(seg.lstrip())
            out.append(_Line(stripped, s, s + len(stripped), lineno))
        pos, lineno = pos + len(seg) + 1, lineno + 1
    return out


def _header_len(lines: list[_Line], i: int) -> int:
    """How many lines the repeated column header starting at lines[i] spans (0: none)."""
    if _fold(lines[i].text) not in ("tt", "stt"):
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


def _drop_headers(lines: list[_Line]) -> list[_Line]:
    out: list[_Line] = []
    i, brk = 0, False
    while i < len(lines):
        n = _header_len(lines, i)
        if n:
            i, brk = i + n, True
            continue
        out.append(replace(lines[i], brk=True) if brk else lines[i])
        i, brk = i + 1, False
    return out


def _split_inline(line: _Line) -> list[_Line]:
    """`2.2  Báo cáo 3.2. Báo cáo` -> two lines; only lines opening with a number."""
    if not _LEAD_NUM.match(line.text):
        return [line]
    out: list[_Line] = []
    while (m := _INNER_LABEL.search(line.text)) is not None:
        head = line.text[:m.start()].rstrip()
        out.append(_Line(head, line.start, line.start + len(head), line.lineno, line.brk))
        line = _Line(line.text[m.start():], line.start + m.start(), line.end, line.lineno)
    return out + [line]


def _classify(line: _Line) -> _Item:
    t = line.text
    m = _LABEL_DOT.fullmatch(t) or _LABEL_SPACE.fullmatch(t)
    if m and (m.re is _LABEL_DOT or t[m.start(3)].isupper()):
        rest = m.group(3)
        body = _Line(rest, line.start + m.start(3), line.end, line.lineno, line.brk) if rest else None
        return _Item(_KINDS[m.group(1)], line, f"{m.group(1)}.{m.group(2)}", body)
    if _ROWNUM.fullmatch(t):
        return _Item("rownum", line)
    m = _GROUP.fullmatch(t)
    letters = [c for c in (m.group(2) if m else "") if c.isalpha()]
    if len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return _Item("group", line, _join([line]))
    m = _SUBGROUP.fullmatch(t)
    if m and m.group(1)[0].isupper() and len(t.split()) >= 5:
        return _Item("rownum", line)
    return _Item("text", line)


def _join(lines) -> str:
    """Lines of a cell as one string; a word broken after a hyphen (`HĐND-`) is rejoined."""
    out = ""
    for line in lines:
        glue = "" if out.endswith("-") and len(out) > 1 and not out[-2].isspace() else " "
        out = line.text if not out else out + glue + line.text
    return re.sub(r"\s+", " ", out).strip()


class _Walker:
    """Feeds classified lines through a small state machine, one draft per activity."""

    def __init__(self) -> None:
        self.group = ""
        self.objective: _Part | None = None
        self.tasks: list[_Part] = []
        self.pending: _Part | None = None   # unlabeled objective text after a row number
        self.mode = "idle"
        self.current: _Draft | None = None
        self.drafts: list[_Draft] = []

    def feed(self, item: _Item) -> None:
        getattr(self, "_on_" + item.kind)(item)

    def finish(self) -> list[_Draft]:
        self._close("end")
        return self.drafts

    def _close(self, next_kind: str) -> _Draft | None:
        done, self.current = self.current, None
        if done is not None:
            done.next_is_act = next_kind == "act"
            done.cells = _read_cells(done.lines)
            self.drafts.append(done)
        return done

    def _new_row_objective(self) -> None:
        if self.mode == "row":
            self.objective, self.tasks, self.pending = self.pending, [], None

    def _on_group(self, item: _Item) -> None:
        self._close("group")
        self.group, self.objective, self.tasks, self.pending = item.label, None, [], None
        self.mode = "idle"

    def _on_rownum(self, item: _Item) -> None:
        self._close("rownum")
        self.mode, self.pending = "row", None

    def _on_obj(self, item: _Item) -> None:
        self._close("obj")
        self.objective, self.tasks, self.pending, self.mode = _Part([item.line]), [], None, "obj"

    def _on_task(self, item: _Item) -> None:
        self._close("task")
        self._new_row_objective()
        if self.mode != "task":
            self.tasks = []
        self.tasks.append(_Part([item.line]))
        self.mode = "task"

    def _on_act(self, item: _Item) -> None:
        prev = self._close("act")
        self._new_row_objective()
        had_cells = prev is not None and bool(prev.cells.deadline or prev.cells.lead)
        if self.mode == "act" and had_cells and len(self.tasks) > 1 and self.tasks[0].used:
            self.tasks.pop(0)           # tasks listed together, then their activities in turn
        task = self.tasks[0] if self.tasks else None
        first = task is not None and not task.used
        if task is not None:
            task.used = True
        self.current = _Draft(item.label, self.group, self.objective, task, first, item.line,
                              [item.body] if item.body else [])
        self.mode = "act"

    def _on_text(self, item: _Item) -> None:
        if self.mode == "row" and self.pending is None:
            self.pending = _Part([])
        target = {"act": self.current, "obj": self.objective, "row": self.pending,
                  "task": self.tasks[-1] if self.tasks else None}.get(self.mode)
        if target is not None:
            target.lines.append(item.line)


def _opens(lines, i: int, pattern: re.Pattern) -> bool:
    """Does a deadline (or budget) cell start at lines[i]? Looks at three lines at once."""
    if i >= len(lines) or not (lines[i].text[0].isupper() or lines[i].text[0].isdigit()):
        return False
    return bool(pattern.match(_fold(" ".join(x.text for x in lines[i:i + 3]))))


def _block_end(lines, i: int, done: re.Pattern, limit: int) -> int:
    """End (exclusive) of a deadline or budget cell that starts at lines[i]."""
    j, text = i + 1, lines[i].text
    while j < len(lines) and j - i < limit and not done.fullmatch(_fold(text).strip()):
        if lines[j].brk or _opens(lines, j, _BUDGET):
            break
        text, j = text + " " + lines[j].text, j + 1
    return j


def _read_cells(tail: list[_Line]) -> _Cells:
    """Cells of one activity from its lines: deadline and budget first, then the rest."""
    if not tail:
        return _Cells()
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
    content, product, lead, coop = _split_region(tail[:region_end])
    moved = _dangling(content, extra)
    content, extra = content + extra[:moved], extra[moved:]
    return _Cells(content, product, lead, coop, tuple(tail[d:d_end]) if d is not None else (),
                  tuple(tail[b:b_end]) if b is not None else (), extra)


def _unit_marks(lines: list[_Line]) -> tuple[set[int], set[int]]:
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


def _dangling(content: tuple[_Line, ...], extra: tuple[_Line, ...]) -> int:
    """How many lines after a page break continue the activity text cut off by it."""
    if not content or not extra:
        return 0
    last = content[-1].text
    joined = " ".join([last] + [x.text for x in extra[:2]])
    crosses = any(u.start < len(last) < u.end for u in find_units(joined))
    if not crosses and not _ends_with_connector(last, frozenset(("và", "hoặc", "theo"))):
        return 0
    return next((n for n, x in enumerate(extra) if x.text[0].isupper()), len(extra))


def _ends_with_connector(text: str, extra: frozenset = frozenset()) -> bool:
    words = re.findall(r"\w+", text.lower())
    return bool(words) and (words[-1] in _CONNECTORS | extra or words[-2:] == ["ý", "kiến"])


def _opening(prev: _Line, cur: _Line, inside: bool, unit: bool) -> str:
    """Does `cur` open a new cell? "hard", "soft" (only a proper noun), or ""."""
    t = cur.text
    if inside:
        return ""
    if t[0] in "-+•*–" or prev.text.endswith("."):
        return "hard"
    if not t[0].isupper() or prev.text[-1] in ",;:(/-&":
        return ""
    first = re.sub(r"[^\w]", "", t.split()[0])   # an acronym (TTHC) or a proper noun
    if not unit and not (len(first) >= 2 and first.isupper()) and not _PROPER.match(_fold(t)):
        return "hard"
    return "soft" if unit and not _ends_with_connector(prev.text) else ""


def _split_region(region: list[_Line]):
    """Split the lines before the deadline into content, product, lead, cooperating."""
    starts, inside = _unit_marks(region)
    cands = [i for i in range(1, len(region))       # a unit name opening a cell
             if i in starts and region[i].text[0].isupper()
             and region[i - 1].text[-1] != "," and not _ends_with_connector(region[i - 1].text)]
    lead_i = cands[-2] if len(cands) >= 2 else (cands[0] if cands else None)
    coop_i = cands[-1] if len(cands) >= 2 else None
    body_end = lead_i if lead_i is not None else len(region)
    p, soft = None, None
    for i in range(1, body_end):
        kind = _opening(region[i - 1], region[i], i in inside, i in starts)
        if kind == "hard":
            p = i
            break
        if kind == "soft" and soft is None:
            soft = i
    p = p if p is not None else (soft if soft is not None else body_end)
    lead_end = coop_i if coop_i is not None else len(region)
    lead = region[lead_i:lead_end] if lead_i is not None else []
    coop = region[coop_i:] if coop_i is not None else []
    return tuple(region[:p]), tuple(region[p:body_end]), tuple(lead), tuple(coop)


def _cell_lines(c: _Cells) -> list[_Line]:
    return [*c.product, *c.lead, *c.coop, *c.deadline, *c.budget, *c.extra]


def _to_row(d: _Draft) -> FlatRow:
    cells = (d.share or d).cells
    content = d.lines if d.share is not None else d.cells.content
    quoted = [d.head, *content, *_cell_lines(d.cells), *_cell_lines(cells)]
    first = d.task.lines[0] if d.first_of_task and d.task is not None else d.head
    last = max(quoted, key=lambda x: x.end)
    lead, deadline = _join(cells.lead), _join(cells.deadline)
    return FlatRow(
        label=d.label, group=d.group,
        objective=_join(d.objective.lines) if d.objective else "",
        task=_join(d.task.lines) if d.task else "",
        content=_join(content), product=_join(cells.product), lead=lead,
        cooperating=_join(cells.coop), deadline=deadline, budget=_join(cells.budget),
        start=first.start, end=max(last.end, first.start),
        line_start=first.lineno, line_end=max(last.lineno, first.lineno),
        complete=bool(lead and deadline))
