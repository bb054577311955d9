"""A Word .docx plan -> plan text: body paragraphs and tables in document order.

Paragraph text is read from the XML runs (so tracked insertions and hyperlinks count and
tracked deletions do not); Word's automatic numbering is written out as the text the
reader sees ("1.", "a)", "I.", "-" for bullets) so headings keep their markers."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from assistant.read.docxnumbering import Numbering, W
from assistant.read.errors import UnreadableFile
from assistant.read.layout import PlanTables, clean_paragraph, join_blocks, one_line

log = logging.getLogger(__name__)

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Run content that is not visible text: deleted or moved-away revisions, drawings and
# their fallbacks (text boxes are left out), field instructions, properties.
_SKIP = {
    W + t
    for t in (
        "del",
        "moveFrom",
        "drawing",
        "pict",
        "object",
        "instrText",
        "delText",
        "pPr",
        "rPr",
        "fldChar",
        "footnoteReference",
        "endnoteReference",
    )
} | {_MC + "AlternateContent"}
_BREAKS = {W + "br", W + "cr"}


def docx_text(path: Path) -> str:
    document = _open(path)
    try:
        return _document_text(document)
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:  # XML that opens but does not follow the schema we read
        log.warning("cannot read %s: %r", path, exc)
        raise UnreadableFile("docx_strange", error=type(exc).__name__) from None


def _document_text(document) -> str:
    numbering = Numbering.of(document)
    tables = PlanTables()
    blocks: list[str] = []
    for kind, element in _body_items(document.element.body):
        if kind == "p":
            blocks.append(_paragraph(element, numbering))
            continue
        rows = _table_rows(element, numbering)
        rendered = tables.render(rows)
        if rendered is None:  # a layout table: its cells are paragraphs
            blocks.extend(_layout_cells(element, numbering))
        else:
            before, lines = rendered
            blocks.extend(before)
            blocks.append("\n".join(lines))
    return join_blocks(blocks)


def _open(path: Path):
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise UnreadableFile("cannot_open", error=exc.strerror or "") from None
    if magic == _OLE_MAGIC:
        raise UnreadableFile("docx_locked_or_doc")
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("docx_not_package")
    try:
        import docx
    except ImportError:
        raise UnreadableFile("missing_library", library="python-docx", suffix=".docx") from None
    try:
        return docx.Document(str(path))
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:  # a zip without Word parts, broken XML, ...
        log.warning("cannot open %s: %r", path, exc)
        raise UnreadableFile("docx_broken", error=type(exc).__name__) from None


def _body_items(container):
    """("p", element) and ("tbl", element) in document order, looking inside content
    controls and custom XML wrappers."""
    for child in container.iterchildren():
        if child.tag == W + "p":
            yield "p", child
        elif child.tag == W + "tbl":
            yield "tbl", child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent")
            yield from _body_items(content if content is not None else child)


def run_text(element) -> str:
    """Visible text of a paragraph's runs (tabs as spaces, breaks as newlines)."""
    out: list[str] = []

    def walk(node) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                out.append(" ")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(element)
    return "".join(out)


def _paragraph(element, numbering: Numbering) -> str:
    marker = numbering.marker(element)  # counted even when empty, as Word does
    text = clean_paragraph(run_text(element))
    if not text:
        return ""
    return f"{marker} {text}" if marker and not text.startswith(marker) else text


def _cell_text(tc, numbering: Numbering) -> str:
    parts = []
    for kind, element in _body_items(tc):
        if kind == "p":
            parts.append(_paragraph(element, numbering))
        else:  # a table nested in a cell: its cells in reading order
            parts.extend(c for row in _table_rows(element, numbering) for c in dict.fromkeys(row))
    return one_line(" ".join(p for p in parts if p))


def _grid(tbl) -> list[list]:
    """Each row as one `w:tc` per layout column: a horizontally merged cell appears once
    followed by None, a vertically merged cell repeats the `w:tc` that holds its text."""
    from docx.table import Table

    table = Table(tbl, None)
    grid = []
    for row in table.rows:
        tcs: list = [None] * row.grid_cols_before
        previous = None
        for cell in row.cells:
            tcs.append(None if cell._tc is previous else cell._tc)
            previous = cell._tc
        tcs.extend([None] * row.grid_cols_after)
        grid.append(tcs)
    return grid


def _table_rows(tbl, numbering: Numbering) -> list[list[str]]:
    texts: dict[int, str] = {}
    rows = []
    for tcs in _grid(tbl):
        row = []
        for tc in tcs:
            if tc is None:
                row.append("")
                continue
            if id(tc) not in texts:
                texts[id(tc)] = _cell_text(tc, numbering)
            row.append(texts[id(tc)])
        rows.append(row)
    return rows


def _layout_cells(tbl, numbering: Numbering) -> list[str]:
    """Paragraphs of a layout table, row by row, each merged cell once."""
    seen: set[int] = set()
    out = []
    for tcs in _grid(tbl):
        for tc in tcs:
            if tc is None or id(tc) in seen:
                continue
            seen.add(id(tc))
            for kind, element in _body_items(tc):
                if kind == "p":
                    out.append(_paragraph(element, numbering))
                else:
                    out.extend(_layout_cells(element, numbering))
    return out
