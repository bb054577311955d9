"""The overview as an Excel workbook (.xlsx, openpyxl): one sheet whose first row holds
the column headers and each next row one commune, the headers frozen and bold, long
cells wrapped; a second sheet holds the summary."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assistant.due.overview import Overview
from assistant.present.overview import FIXED_HEADERS, headers, summary_lines, table

TABLE_SHEET = "Tổng hợp"
SUMMARY_SHEET = "Tóm tắt"
_WIDE = 48  # characters: the width of a text column (reports, notes, targets)
_HEAD = Font(bold=True)
_MISSING = PatternFill("solid", start_color="FCE4D6")  # a commune without a plan


def to_xlsx(ov: Overview) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = TABLE_SHEET
    sheet.append(headers(ov))
    for values, row in zip(table(ov), ov.rows):
        sheet.append(values)
        if row.plan is None:
            for cell in sheet[sheet.max_row]:
                cell.fill = _MISSING
    for cell in sheet[1]:
        cell.font = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i in range(1, sheet.max_column + 1):
        narrow = i <= len(FIXED_HEADERS)
        sheet.column_dimensions[get_column_letter(i)].width = 18 if narrow else _WIDE
    sheet.freeze_panes = "D2"  # the commune stays in sight when scrolling right
    notes = book.create_sheet(SUMMARY_SHEET)
    for line in summary_lines(ov):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    book.properties.title = summary_lines(ov)[0]
    book.properties.creator = "cchc-assistant"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
