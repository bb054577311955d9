"""A PDF plan -> plan text: the text layer page by page (line-wrapped; the structure
module unwraps it) with each plan table as tab-separated rows in its place; a page stored
turned is read as its reader turns it."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from assistant.read.errors import UnreadableFile
from assistant.read.layout import PlanTables

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?(\d{1,3})(?:\s*[-–])?$|^[Tt]rang\s+(\d{1,3})(?:\s*/\s*\d{1,3})?$")
MAX_PAGES = 500  # a plan is tens of pages; thousands take minutes to lay out
_PASSWORD = {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}


def pdf_text(path: Path) -> str:
    pdf = _open(path)
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UnreadableFile("pdf_too_many_pages", pages=len(pdf.pages), limit=MAX_PAGES)
            tables = PlanTables()
            pages, chars, images = [], 0, 0
            for page in pdf.pages:
                page = upright(page)
                chars += len(page.chars)
                images += len(page.images)
                pages.append(page_text(page, tables))
                page.close()  # drop the page's parsed objects: long plans stay small in memory
    except UnreadableFile:
        raise
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:  # a broken content stream or object table
        if _cause(exc) == "MemoryError":  # wrapped by pdfplumber
            raise MemoryError from exc
        log.warning("cannot read %s: %r", path, exc)
        raise UnreadableFile("pdf_broken", error=_cause(exc)) from None
    if not chars:
        if images:
            raise UnreadableFile("pdf_scanned")
        raise UnreadableFile("pdf_blank")
    return "\n".join(p for p in pages if p.strip()) + "\n"


def _open(path: Path):
    try:
        import pdfplumber
    except ImportError:
        raise UnreadableFile("missing_library", library="pdfplumber", suffix=".pdf") from None
    try:
        return pdfplumber.open(path)
    except MemoryError:  # the bounded converter reports it
        raise
    except Exception as exc:
        cause = _cause(exc)
        if cause in _PASSWORD:
            raise UnreadableFile("pdf_password") from None
        log.warning("cannot open %s: %r", path, exc)
        raise UnreadableFile("pdf_invalid", error=cause) from None


def _cause(exc: Exception) -> str:
    """Name of the pdfminer error inside pdfplumber's wrapper."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    return type(inner).__name__


def upright(page):
    """The page turned so that most of its text runs left to right. A page is often stored
    turned (/Rotate on a page whose text stands upright in its own coordinates, or a table
    printed sideways without it); read as stored, a quarter turn gives one word per line
    and a half turn each line backwards. The page is laid out again with the turn that
    rights the text (it costs a second layout of that page only)."""
    turn = _text_turn(page.chars)
    if not turn:
        return page
    from pdfplumber.page import Page

    rotation = (page.rotation + turn) % 360
    page_obj = page.page_obj
    page_obj.attrs["Rotate"] = rotation  # read by pdfplumber (the page box) and by pdfminer
    page_obj.rotate = rotation
    page.close()
    return Page(page.pdf, page_obj, page.page_number, page.initial_doctop)


def _text_turn(chars) -> int:
    """The clockwise turn (0, 90, 180 or 270 degrees) after which most characters of the
    page run left to right, from the direction of each one's baseline."""
    votes = Counter()
    for char in chars:
        a, b = char["matrix"][:2]
        votes[(0 if a > 0 else 180) if abs(a) >= abs(b) else (90 if b > 0 else 270)] += 1
    return votes.most_common(1)[0][0] if votes else 0


def _centre_y(obj) -> float:
    return (obj["top"] + obj["bottom"]) / 2


def _inside(obj, boxes) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, _centre_y(obj)
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _band_text(page, top: float, bottom: float) -> str:
    band = page.filter(lambda obj: top <= _centre_y(obj) < bottom)
    return band.extract_text() or ""


def page_text(page, tables: PlanTables) -> str:
    """The page's text with every plan table replaced by its tab-separated rows."""
    found = []
    for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
        rendered = tables.render(table.extract())
        if rendered is not None:
            found.append((table.bbox, rendered))
    if not found:
        return _drop_page_number(page.extract_text() or "", page.page_number)
    boxes = [bbox for bbox, _ in found]
    text_only = page.filter(lambda obj: not _inside(obj, boxes))
    parts, top = [], float("-inf")
    for bbox, (before, lines) in found:
        # text above this table (and beside the previous one), then the table itself
        parts += [_band_text(text_only, top, bbox[1]), *before, "\n".join(lines)]
        top = bbox[1]
    parts.append(_band_text(text_only, top, float("inf")))
    return _drop_page_number("\n".join(p for p in parts if p.strip()), page.page_number)


def _drop_page_number(text: str, number: int) -> str:
    """Without a first or last line that is only this page's number ("2", "- 2 -", "Trang 2")."""
    lines = text.split("\n")
    for i in (0, -1):
        m = _PAGE_NUMBER.match(lines[i].strip()) if lines else None
        if m and int(m.group(1) or m.group(2)) == number:
            lines.pop(i)
    return "\n".join(lines)
