"""A Word .docx plan -> plan text: body paragraphs and tables in document order.

Paragraph text is read from the XML runs (so tracked insertions and hyperlinks count and
tracked deletions do not); Word's automatic numbering is written out as the text the
reader sees ("1.", "a)", "I.", "-" for bullets) so headings keep their markers."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from assistant.read.errors import UnreadableFile
from assistant.read.layout import PlanTables, clean_paragraph, join_blocks, one_line

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Run content that is not visible text: deleted or moved-away revisions, drawings and
# their fallbacks (text boxes are left out), field instructions, properties.
_SKIP = {
    _W + t
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
_BREAKS = {_W + "br", _W + "cr"}


def docx_text(path: Path) -> str:
    document = _open(path)
    try:
        return _document_text(document)
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:  # XML that opens but does not follow the schema we read
        log.warning("cannot read %s: %r", path, exc)
        raise UnreadableFile(
            f"tệp .docx có cấu trúc lạ, không đọc được nội dung ({type(exc).__name__})"
        ) from None


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
        raise UnreadableFile(f"không mở được tệp ({exc.strerror})") from None
    if magic == _OLE_MAGIC:
        raise UnreadableFile(
            "tệp Word được đặt mật khẩu hoặc là định dạng .doc cũ; "
            "hãy mở bằng Word, bỏ mật khẩu và lưu lại dạng .docx"
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("tệp .docx bị hỏng hoặc không phải tệp Word (không phải gói .docx hợp lệ)")
    try:
        import docx
    except ImportError:
        raise UnreadableFile("máy chủ thiếu thư viện python-docx để đọc tệp .docx") from None
    try:
        return docx.Document(str(path))
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:  # a zip without Word parts, broken XML, ...
        log.warning("cannot open %s: %r", path, exc)
        raise UnreadableFile(f"tệp .docx bị hỏng, không đọc được nội dung ({type(exc).__name__})") from None


def _body_items(container):
    """("p", element) and ("tbl", element) in document order, looking inside content
    controls and custom XML wrappers."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            yield "p", child
        elif child.tag == _W + "tbl":
            yield "tbl", child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent")
            yield from _body_items(content if content is not None else child)


def run_text(element) -> str:
    """Visible text of a paragraph's runs (tabs as spaces, breaks as newlines)."""
    out: list[str] = []

    def walk(node) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _W + "t":
                out.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                out.append(" ")
            elif tag in _BREAKS:
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
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


class Numbering:
    """Word's list numbering, counted in document order, written as text markers."""

    def __init__(self, numbering_xml=None, styles: dict[str, object] | None = None):
        children = list(numbering_xml.iterchildren()) if numbering_xml is not None else []
        self.abstract = {a.get(_W + "abstractNumId"): a for a in children if a.tag == _W + "abstractNum"}
        self.nums = {n.get(_W + "numId"): n for n in children if n.tag == _W + "num"}
        self.styles = styles or {}
        self.counters: dict[str, dict[int, int]] = {}

    @classmethod
    def of(cls, document) -> Numbering:
        try:
            styles = {s.get(_W + "styleId"): s for s in document.styles.element.iterchildren(_W + "style")}
            numbering_xml = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no numbering or styles part
            return cls()
        return cls(numbering_xml, styles)

    def _num_pr(self, p) -> tuple[str, int | None] | None:
        """(numId, ilvl) from the paragraph or, failing that, its style chain; the level
        is None when the style gives only the list (found from the level's pStyle)."""
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is not None and num_pr.find(_W + "numId") is not None:
            return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"), 0)
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        for _ in range(10):  # basedOn chains are short; a cycle must not hang us
            style = self.styles.get(style_id)
            if style is None:
                return None
            num_pr = style.find(_W + "pPr/" + _W + "numPr")
            if num_pr is not None and num_pr.find(_W + "numId") is not None:
                return _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"), None)
            style_id = _val(style, "basedOn")
        return None

    def _levels(self, num_id: str):
        num = self.nums.get(num_id)
        if num is None:
            return None, {}
        ref = num.find(_W + "abstractNumId")
        abstract = self.abstract.get(ref.get(_W + "val")) if ref is not None else None
        overrides = {_int(o.get(_W + "ilvl"), 0): o for o in num.iterchildren(_W + "lvlOverride")}
        return abstract, overrides

    def marker(self, p) -> str:
        found = self._num_pr(p)
        if not found or found[0] in (None, "0"):
            return ""
        num_id, ilvl = found
        abstract, overrides = self._levels(num_id)
        if abstract is None:
            return ""
        levels = {_int(lv.get(_W + "ilvl"), 0): lv for lv in abstract.iterchildren(_W + "lvl")}
        if ilvl is None:
            style = _style_of(p)
            ilvl = next((k for k, lv in levels.items() if _val(lv, "pStyle") == style), 0)
        counters = self.counters.setdefault(num_id, {})
        start = _start(levels.get(ilvl), overrides.get(ilvl))
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        if _val(lvl, "numFmt") == "bullet":
            return "-"
        text = _val(lvl, "lvlText") or ""
        for k in range(ilvl, -1, -1):
            level = levels.get(k)
            value = counters.get(k, _start(level, overrides.get(k)))
            text = text.replace(
                f"%{k + 1}", _format(value, _val(level, "numFmt") if level is not None else "decimal")
            )
        return text.strip()


def _val(element, child: str) -> str | None:
    found = element.find(_W + child) if element is not None else None
    return found.get(_W + "val") if found is not None else None


def _style_of(p) -> str | None:
    ppr = p.find(_W + "pPr")
    return _val(ppr, "pStyle") if ppr is not None else None


def _int(value: str | None, default):
    return int(value) if value and value.isdigit() else default


def _start(lvl, override) -> int:
    if override is not None and _int(_val(override, "startOverride"), None) is not None:
        return _int(_val(override, "startOverride"), 1)
    return _int(_val(lvl, "start") if lvl is not None else None, 1)


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str | None) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)
