"""Each command's reply as Telegram HTML, from the core: shared by the bot and the console.
Blocking (the core is synchronous): the bot calls these off the event loop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.serve.assistant import Assistant
from assistant.telegram import due, replies

MAX_DAYS = 366
DEFAULT_DAYS = 30


def start(assistant: Assistant) -> str:
    return replies.start_html(assistant.library.plans)


def help_(admin: bool = False) -> str:
    return replies.help_html(admin)


def plans(assistant: Assistant) -> str:
    return replies.plans_html(assistant.library.plans)


def unit(assistant: Assistant, name: str) -> str:
    name = name.strip()
    if not name:
        return replies.unit_usage_html(assistant.library.plans)
    canonical, views = assistant.library.unit(name)
    if not views:
        return replies.unit_unknown_html(name, assistant.library.plans)
    return replies.unit_html(canonical, views)


def parse_days(arg: str) -> int | None:
    """The number of days asked for with /hanchot (default 30), or None if it is not one."""
    arg = arg.strip()
    if not arg:
        return DEFAULT_DAYS
    if re.fullmatch(r"\d{1,4}", arg) and 1 <= int(arg) <= MAX_DAYS:
        return int(arg)
    return None


def deadlines(assistant: Assistant, today: date, arg: str, unit_name: str | None) -> str:
    days = parse_days(arg)
    if days is None:
        return due.DAYS_USAGE
    from assistant.due.schedule import upcoming

    items = upcoming(assistant.library.plans, today, days=days, unit=unit_name)
    return due.upcoming_html(items, today, days, unit_name, _places(assistant))


def digest(assistant: Assistant, today: date, unit_name: str | None) -> str | None:
    """The morning digest for a chat, or None when nothing is due."""
    from assistant.due.schedule import digest_items

    items = digest_items(assistant.library.plans, today, unit=unit_name)
    return due.digest_html(items, today, unit_name, _places(assistant)) if items else None


@dataclass(frozen=True)
class CalendarFile:
    name: str
    data: bytes
    caption: str


def calendar_file(assistant: Assistant, today: date, unit_name: str | None) -> CalendarFile:
    """The .ics of the deadlines in the coming year (for one unit, if given)."""
    from assistant.due.schedule import upcoming
    from assistant.present.ics import to_ics

    items = upcoming(assistant.library.plans, today, days=MAX_DAYS, unit=unit_name, include_overdue=False)
    ics = to_ics(items, due.ics_title(unit_name))
    return CalendarFile(due.ics_name(unit_name), ics, due.ics_caption(len(items), unit_name))


def _places(assistant: Assistant) -> dict[str, str]:
    return {rec.plan.id: rec.plan.place for rec in assistant.library.plans}
