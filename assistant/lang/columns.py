"""The columns of a plan table, recognised from their header cells ("STT", "Nội dung",
"Cơ quan chủ trì", "Phối hợp", "Thời gian hoàn thành", ...): what the reader uses to
tell a plan table from a layout table, and the parser to label each row's cells."""

from __future__ import annotations

import re

from assistant.lang.normalize import fold

# Column roles recognised from header cells (accent-folded, lower case).
COLUMN_ROLES = (
    ("label", r"^(stt|tt)$"),
    ("content", r"noi dung|hoat dong|nhiem vu"),
    ("product", r"san pham|ket qua"),
    ("lead", r"chu tri"),
    ("cooperating", r"phoi hop"),
    ("deadline", r"thoi gi|thoi han|hoan thanh"),
    ("budget", r"kinh phi"),
    ("note", r"ghi chu"),
)


def header_roles(cells: list[str]) -> list[str] | None:
    """Column roles when `cells` is a header row, else None."""
    roles = []
    for cell in cells:
        f = fold(cell).strip()
        role = next((r for r, pat in COLUMN_ROLES if f and re.search(pat, f)), "")
        roles.append(role)
    return roles if {"content", "lead"} <= set(roles) else None
