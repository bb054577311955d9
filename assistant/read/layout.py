"""Laying a binary document's content out as plan text: paragraphs one per line, plan
tables as tab-separated rows (read by `parse.tsv` exactly as a .txt appendix), layout
tables (letterhead, signatures) as paragraphs. Pure functions and one small stateful
decider, shared by the .docx and the PDF readers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.lang.columns import header_roles

_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_HEADER_SEARCH_ROWS = 3  # a title row may sit above the header inside the table


def one_line(text: str | None) -> str:
    """A cell or paragraph on one line: tabs and line breaks become single spaces."""
    return _SPACE.sub(" ", " ".join((text or "").split("\n"))).strip()


def clean_paragraph(text: str | None) -> str:
    """Paragraph text without tabs (a tab would make the line look like a table row);
    a soft line break inside the paragraph stays a line break."""
    lines = (_SPACE.sub(" ", line).strip() for line in (text or "").split("\n"))
    return "\n".join(line for line in lines if line)


class PlanTables:
    """Decides which tables of one document are plan tables and renders them.

    A table is a plan table when one of its first rows is a plan-table header, or when
    it has as many columns as the previous plan table (a continuation on the next page
    or a table split by the author, read with the header seen before)."""

    def __init__(self) -> None:
        self.columns: int | None = None

    def render(self, rows: Sequence[Sequence[str | None]]) -> tuple[list[str], list[str]] | None:
        """(paragraphs before the header, tab-separated lines), or None for a layout table."""
        cells = [[one_line(c) for c in row] for row in rows]
        cells = [row for row in cells if any(row)]
        if not cells:
            return [], []
        width = max(len(row) for row in cells)
        head = next((i for i, row in enumerate(cells[:_HEADER_SEARCH_ROWS]) if header_roles(row)), None)
        if head is None and width != self.columns:
            return None
        self.columns = width
        before = [" ".join(c for c in dict.fromkeys(row) if c) for row in cells[: head or 0]]
        lines = ["\t".join(row + [""] * (width - len(row))) for row in cells[head or 0 :]]
        return before, lines


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks (paragraphs or a table's lines) separated by one blank line."""
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"
