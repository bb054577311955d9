"""The small wording helpers every front end shares: shortening, line references,
weekdays, days left or overdue. Pure functions."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def lines_label(lines: tuple[int, int]) -> str:
    """ "dòng 12" or "dòng 12–15"."""
    first, last = lines
    return f"dòng {first}" if first == last else f"dòng {first}–{last}"


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def days_left(delta: int) -> str:
    """How far a due date is from today: "hôm nay", "ngày mai", "còn 3 ngày", "quá 2 ngày"."""
    if delta == 0:
        return "hôm nay"
    if delta == 1:
        return "ngày mai"
    return f"còn {delta} ngày" if delta > 0 else f"quá {-delta} ngày"


def day_label(day: date, today: date) -> str:
    """ "Thứ Hai, 02/03/2026 (còn 3 ngày)"."""
    return f"{weekday(day)}, {day:%d/%m/%Y} ({days_left((day - today).days)})"
