"""Tab-separated appendix tables -> labelled rows with spans. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lang.columns import header_roles

_GROUP = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X{1,2}I{0,3})(?:[\s.]+\S.*)?$")
_COUNT = re.compile(r"\((\d+)\s+nhiệm vụ\)", re.IGNORECASE)


@dataclass
class TableRow:
    group: str
    label: str
    cells: dict[str, str]
    start: int
    end: int
    line_start: int
    line_end: int


@dataclass
class TableGroup:
    title: str
    stated_count: int | None
    rows: list[TableRow] = field(default_factory=list)


def _line_spans(text: str):
    offset = 0
    for no, line in enumerate(text.split("\n"), start=1):
        yield no, offset, line
        offset += len(line) + 1


def parse_tsv_tables(text: str) -> list[TableGroup]:
    """Rows of every tab-separated table in `text`, grouped under their roman-numeral rows.

    Repeated header rows are skipped; a row whose first cell is empty continues the row
    above (a cell cut by a page break)."""
    groups: list[TableGroup] = []
    roles: list[str] | None = None
    for no, offset, line in _line_spans(text):
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells):
            continue
        found = header_roles(cells)
        if found:
            roles = found
            continue
        if roles is None:
            continue
        end = offset + len(line.rstrip())
        first = cells[0]
        if _GROUP.match(first) and not any(cells[2:]):
            title = " ".join(c for c in cells if c)
            count = _COUNT.search(title)
            groups.append(TableGroup(title, int(count.group(1)) if count else None))
            continue
        if not groups:
            groups.append(TableGroup("", None))
        if not first and groups[-1].rows:
            _extend(groups[-1].rows[-1], cells, roles, end, no)
            continue
        row_cells = {role: cell for role, cell in zip(roles, cells) if role and cell}
        start = offset + (len(line) - len(line.lstrip()))
        groups[-1].rows.append(TableRow(groups[-1].title, first, row_cells, start, end, no, no))
    return groups


def _extend(row: TableRow, cells: list[str], roles: list[str], end: int, no: int) -> None:
    for role, cell in zip(roles, cells):
        if role and cell:
            row.cells[role] = (row.cells.get(role, "") + " " + cell).strip()
    row.end, row.line_end = end, no
