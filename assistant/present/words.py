"""The small wording helpers every front end shares: shortening, line references,
weekdays, days left or overdue, a task row's name in listings. Pure functions."""

from __future__ import annotations

from datetime import date

from assistant.lang.normalize import short
from assistant.records import Task

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


def task_title(task: Task, limit: int | None = None) -> str:
    """A task row as a listing names it: the task an activity carries out, then the
    activity, as the plan writes them ("Xây dựng quy chế quản lý tài sản công: Văn bản
    hướng dẫn, đôn đốc"); within about `limit` characters when one is given."""
    head = task.task.rstrip(" .;:,")
    if not head:
        return short(task.content, limit) if limit else task.content
    if not limit:
        return f"{head}: {task.content}"
    head = short(head, max(limit // 2, limit - len(task.content) - 2))
    return f"{head}: {short(task.content, max(limit - len(head) - 2, 40))}"
