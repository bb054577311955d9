"""Rebuild appendix tables that PDF extraction flattened cell by cell.

A plan's appendix is a table: TT | 1- objective (1.x) | 2- task (2.x) | 3- activity (3.x) |
4- product | 5- lead | 6- cooperating | 7- deadline | 8- budget. Extraction emits it one
cell after another, each wrapped line of a cell on its own line, and repeats the column
header at every page break, sometimes in the middle of a row. This module reads that
shape alone (never a plan's name) and returns one record per activity, and one per task
(or objective) whose cell carries a product, unit, deadline or budget cell of its own
instead of 3.x activities. Pure: no I/O, and it never raises on any string. Lines are read and
classified in flatlines.py, the cells of one row in flatcells.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from assistant.parse.flatbreak import resume, word_pairs
from assistant.parse.flatcells import Cells, Line, cell_lines, join_lines, may_go_on, read_cells
from assistant.parse.flatlines import Item, classify, drop_headers, header_len, raw_lines, split_inline


@dataclass(frozen=True)
class FlatRow:
    label: str  # the activity number, e.g. "3.4" (a task's "2.1" when it has none)
    group: str  # e.g. "II CẢI CÁCH THỂ CHẾ"
    objective: str  # text of the 1.x cell this activity belongs to ("" if unknown)
    task: str  # text of the 2.x cell this activity belongs to ("" if unknown)
    content: str  # the activity (or task, objective) text, without its number
    product: str  # column 4 (may be "")
    lead: str  # column 5 as written, lines joined
    cooperating: str  # column 6 as written, lines joined ("" if none)
    deadline: str  # column 7 as written, lines joined
    budget: str  # column 8 ("" if none)
    start: int  # character offset where the row's quote starts
    end: int  # character offset where it ends (exclusive)
    line_start: int  # 1-based line numbers of start and end
    line_end: int
    complete: bool  # False when lead or deadline could not be read
    objective_span: tuple[int, int] = (0, 0)  # offsets of the objective cell (0, 0 if none)


@dataclass
class _Part:  # an objective or task cell
    lines: list[Line]
    used: bool = False
    label: str = ""
    body: Line | None = None


@dataclass
class _Draft:  # a row (mostly an activity) while the table is read
    label: str
    group: str
    objective: _Part | None
    task: _Part | None
    first_of_task: bool
    head: Line
    lines: list[Line] = field(default_factory=list)  # the activity cell and what follows
    next_is_act: bool = False
    cells: Cells = Cells()
    share: _Draft | None = None


def find_flattened_table(text: str) -> tuple[int, int] | None:
    """Character range of a flattened appendix (detected by its column header), or None."""
    lines = raw_lines(text, 0, len(text))
    first = next((i for i in range(len(lines)) if header_len(lines, i)), None)
    return None if first is None else (lines[first].start, lines[-1].end)


def parse_flattened_table(text: str, start: int = 0, end: int | None = None) -> list[FlatRow]:
    """One FlatRow per activity (3.x) found in text[start:end]; never raises on any input.

    A task (2.x) or objective (1.x) cell followed directly by cells of its own (a deadline
    or a budget among them) rather than by activities is a row too, labelled by its number.

    Pass the range from find_flattened_table: a plan's body has numbered "3.x." lines too.
    """
    if not isinstance(text, str):
        return []
    start = max(0, min(int(start or 0), len(text)))
    end = len(text) if end is None else max(start, min(int(end), len(text)))
    walker = _Walker(word_pairs(text))
    for line in drop_headers(raw_lines(text, start, end)):
        for piece in split_inline(line):
            walker.feed(classify(piece))
    drafts = walker.finish()
    for i in range(len(drafts) - 2, -1, -1):  # no cells of its own, straight before another
        if drafts[i].next_is_act and not drafts[i].cells.deadline and not drafts[i].cells.budget:
            drafts[i].share = drafts[i + 1].share or drafts[i + 1]  # the last of a chain
    return [_to_row(d) for d in drafts]


class _Walker:
    """Feeds classified lines through a small state machine, one draft per row."""

    def __init__(self, pairs: Counter) -> None:
        self.pairs = pairs  # the plan's word pairs: how the cells cut by a page break go on
        self.group = ""
        self.objective: _Part | None = None
        self.tasks: list[_Part] = []
        self.pending: _Part | None = None  # unlabeled objective text after a row number
        self.mode = "idle"
        self.current: _Draft | None = None
        self.drafts: list[_Draft] = []

    def feed(self, item: Item) -> None:
        getattr(self, "_on_" + item.kind)(item)

    def finish(self) -> list[_Draft]:
        self._close("end")
        return self.drafts

    def _close(self, next_kind: str) -> _Draft | None:
        self._close_own()
        done, self.current = self.current, None
        if done is not None:
            done.next_is_act = next_kind == "act"
            done.cells = self._resume(read_cells(done.lines), [done.objective, done.task])
            self.drafts.append(done)
        return done

    def _close_own(self) -> None:
        """A task or objective cell ends here: a row of its own if cells follow its text."""
        is_task = self.mode == "task" and bool(self.tasks)
        part = self.tasks[-1] if is_task else (self.objective if self.mode == "obj" else None)
        if part is None or not part.label:
            return
        head = part.lines[0]
        tail = ([part.body] if part.body else []) + part.lines[1:]
        cells = read_cells(tail, own=True)
        if not (cells.deadline or cells.budget):
            return
        cells = self._resume(cells, [self.objective] if is_task else [])
        part.lines = [head, *(x for x in cells.content if x.start >= head.end)]  # its text only
        if is_task:
            self.tasks.pop()  # no activity of a later row belongs to it
        self.drafts.append(
            _Draft(
                part.label,
                self.group,
                self.objective,
                part if is_task else None,
                False,
                head,
                tail,
                cells=cells,
            )
        )

    def _resume(self, cells: Cells, parts: list[_Part | None]) -> Cells:
        """The row's cells with what a page break cut off them given back (see flatbreak);
        the objective and task cells in `parts` go on in place."""
        if not cells.extra:
            return cells
        parts = [p for p in parts if p is not None and p.lines]
        own = (cells.content, cells.product, cells.lead, cells.coop, cells.deadline, cells.budget)
        pieces, rest = resume(
            [p.lines for p in parts] + list(own),
            [True] * len(parts) + list(may_go_on(cells)),
            cells.extra,
            self.pairs,
        )
        for part, more in zip(parts, pieces):
            part.lines.extend(more)
        content, product, lead, coop, deadline, budget = (c + p for c, p in zip(own, pieces[len(parts) :]))
        return replace(
            cells,
            content=content,
            product=product,
            lead=lead,
            coop=coop,
            deadline=deadline,
            budget=budget,
            extra=rest,
        )

    def _new_row_objective(self) -> None:
        if self.mode == "row":
            self.objective, self.tasks, self.pending = self.pending, [], None

    def _on_group(self, item: Item) -> None:
        self._close("group")
        self.group, self.objective, self.tasks, self.pending = item.label, None, [], None
        self.mode = "idle"

    def _on_rownum(self, item: Item) -> None:
        self._close("rownum")
        self.mode, self.pending = "row", None

    def _on_obj(self, item: Item) -> None:
        self._close("obj")
        self.objective = _Part([item.line], label=item.label, body=item.body)
        self.tasks, self.pending, self.mode = [], None, "obj"

    def _on_task(self, item: Item) -> None:
        self._close("task")
        self._new_row_objective()
        if self.mode != "task":
            self.tasks = []
        self.tasks.append(_Part([item.line], label=item.label, body=item.body))
        self.mode = "task"

    def _on_act(self, item: Item) -> None:
        prev = self._close("act")
        self._new_row_objective()
        had_cells = prev is not None and bool(prev.cells.deadline or prev.cells.lead)
        if self.mode == "act" and had_cells and len(self.tasks) > 1 and self.tasks[0].used:
            self.tasks.pop(0)  # tasks listed together, then their activities in turn
        task = self.tasks[0] if self.tasks else None
        first = task is not None and not task.used
        if task is not None:
            task.used = True
        self.current = _Draft(
            item.label, self.group, self.objective, task, first, item.line, [item.body] if item.body else []
        )
        self.mode = "act"

    def _on_text(self, item: Item) -> None:
        if self.mode == "row" and self.pending is None:
            self.pending = _Part([])
        target = {
            "act": self.current,
            "obj": self.objective,
            "row": self.pending,
            "task": self.tasks[-1] if self.tasks else None,
        }.get(self.mode)
        if target is not None:
            target.lines.append(item.line)


def _to_row(d: _Draft) -> FlatRow:
    cells = (d.share or d).cells
    content = d.lines if d.share is not None else d.cells.content
    quoted = [d.head, *content, *cell_lines(d.cells), *cell_lines(cells)]
    first = d.task.lines[0] if d.first_of_task and d.task is not None else d.head
    last = max(quoted, key=lambda x: x.end)
    lead, deadline = join_lines(cells.lead), join_lines(cells.deadline)
    return FlatRow(
        label=d.label,
        group=d.group,
        objective=join_lines(d.objective.lines) if d.objective else "",
        task=join_lines(d.task.lines) if d.task else "",
        content=join_lines(content),
        product=join_lines(cells.product),
        lead=lead,
        cooperating=join_lines(cells.coop),
        deadline=deadline,
        budget=join_lines(cells.budget),
        start=first.start,
        end=max(last.end, first.start),
        line_start=first.lineno,
        line_end=max(last.lineno, first.lineno),
        complete=bool(lead and deadline),
        objective_span=_span(d.objective.lines) if d.objective else (0, 0),
    )


def _span(lines: list[Line]) -> tuple[int, int]:
    """Where a cell's text lies, a page header cutting it included."""
    return (lines[0].start, max(x.end for x in lines)) if lines else (0, 0)
