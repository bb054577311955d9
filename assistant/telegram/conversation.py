"""Each command's reply as Telegram HTML, from the core: shared by the bot and the console.
Blocking (the core is synchronous): the bot calls these off the event loop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.converse.home import Home, homes
from assistant.index.library import Library
from assistant.serve.assistant import Assistant
from assistant.telegram import due, home, replies

MAX_DAYS = 366
DEFAULT_DAYS = 30


def start(assistant: Assistant, current: Home | None = None) -> str:
    """The greeting; with several communes loaded, it offers /diaban (or names the chat's)."""
    html = replies.start_html(assistant.library.plans)
    if len(homes(assistant.index.catalog)) > 1:
        html += "\n\n" + home.offer(assistant, current)
    return html


def help_(admin: bool = False) -> str:
    return replies.help_html(admin)


def plans(assistant: Assistant) -> str:
    return replies.plans_html(assistant.library.plans)


def unit(assistant: Assistant, name: str, plans: tuple[str, ...] = ()) -> str:
    """`plans`: the chat's commune's (every plan when none)."""
    name, records = name.strip(), assistant.records(plans)
    if not name:
        return replies.unit_usage_html(records)
    canonical, views = Library(records).unit(name)
    if not views:
        return replies.unit_unknown_html(name, records)
    return replies.unit_html(canonical, views)


def parse_days(arg: str) -> int | None:
    """The number of days asked for with /hanchot (default 30), or None if it is not one."""
    arg = arg.strip()
    if not arg:
        return DEFAULT_DAYS
    if re.fullmatch(r"\d{1,4}", arg) and 1 <= int(arg) <= MAX_DAYS:
        return int(arg)
    return None


def deadlines(
    assistant: Assistant, today: date, arg: str, unit_name: str | None, plans: tuple[str, ...] = ()
) -> str:
    days = parse_days(arg)
    if days is None:
        return due.DAYS_USAGE
    from assistant.due.schedule import upcoming

    records = assistant.records(plans)
    items = upcoming(records, today, days=days, unit=unit_name)
    return due.upcoming_html(items, today, days, unit_name, _places(assistant), [r.plan for r in records])


def digest(
    assistant: Assistant, today: date, unit_name: str | None, plans: tuple[str, ...] = ()
) -> str | None:
    """The morning digest for a chat, or None when nothing is due."""
    from assistant.due.schedule import digest_items

    records = assistant.records(plans)
    items = digest_items(records, today, unit=unit_name)
    if not items:
        return None
    return due.digest_html(items, today, unit_name, _places(assistant), [r.plan for r in records])


@dataclass(frozen=True)
class CalendarFile:
    name: str
    data: bytes
    caption: str


def calendar_file(
    assistant: Assistant, today: date, unit_name: str | None, plans: tuple[str, ...] = ()
) -> CalendarFile:
    """The .ics of the deadlines in the coming year (for one unit, if given; of the chat's
    commune's `plans`, if given)."""
    from assistant.due.schedule import upcoming
    from assistant.present.ics import to_ics

    records = assistant.records(plans)
    items = upcoming(records, today, days=MAX_DAYS, unit=unit_name, include_overdue=False)
    ics = to_ics(items, due.ics_title(unit_name))
    caption = due.ics_caption(len(items), unit_name, [r.plan for r in records])
    return CalendarFile(due.ics_name(unit_name), ics, caption)


def _places(assistant: Assistant) -> dict[str, str]:
    return {p.id: p.place for p in assistant.index.catalog}
