"""/tonghop: the overview of the communes as an .xlsx file and its summary as Telegram
HTML. Blocking (the core is synchronous): the bot calls `overview_reply` off the event
loop; the console saves the file instead of sending it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.due.overview import build_overview, in_scope
from assistant.present.overview import file_stem, scope_label, summary_lines
from assistant.present.sheet import to_xlsx
from assistant.serve.assistant import Assistant
from assistant.telegram.commands import usage
from assistant.telegram.html import esc

_YEAR = re.compile(r"(?:^|\s)(?:năm\s+)?(20\d\d)\s*$", re.IGNORECASE)
USAGE = (
    f"Cách dùng: <code>{esc(usage('tonghop'))}</code>, ví dụ: /tonghop, /tonghop An Giang, "
    "/tonghop Cần Thơ 2026. Không nêu năm: năm có nhiều kế hoạch nhất."
)


@dataclass(frozen=True)
class OverviewReply:
    html: str  # the summary (or why there is no overview)
    name: str = ""  # the file's name; "" when there is no file to send
    data: bytes = b""
    caption: str = ""


def overview_reply(assistant: Assistant, today: date, arg: str) -> OverviewReply:
    """The overview of the province or district `arg` names (every plan when none), for
    the year it ends with (default: the year most plans are for)."""
    place, year = _parse(arg)
    plans = assistant.library.plans
    province, district = _level(plans, place)
    if place and not (province or district):
        return OverviewReply(unknown_place_html(place, plans))
    ov = build_overview(plans, today, province=province, district=district, year=year)
    lines = summary_lines(ov)
    html = "\n".join([f"<b>{esc(lines[0])}</b>", *map(esc, lines[1:])])
    if not ov.rows:
        return OverviewReply(html)
    caption = esc(f"Bảng tổng hợp: mỗi dòng một xã, phường ({len(ov.rows)}) — {scope_label(ov)}.")
    return OverviewReply(html, f"{file_stem(ov)}.xlsx", to_xlsx(ov), caption)


def _parse(arg: str) -> tuple[str, int | None]:
    arg = " ".join(arg.split())
    m = _YEAR.search(arg)
    if not m:
        return arg, None
    return arg[: m.start()].strip(" ,"), int(m.group(1))


def _level(plans, name: str) -> tuple[str, str]:
    """(province, district): the level `name` names among the plans' ("", "") for none."""
    if not name:
        return "", ""
    if in_scope(plans, province=name):
        return name, ""
    if in_scope(plans, district=name):
        return "", name
    return "", ""


def unknown_place_html(name: str, plans) -> str:
    provinces = sorted({r.plan.province for r in plans if r.plan.province})
    known = f" Các tỉnh, thành phố có kế hoạch: {esc(', '.join(provinces))}." if provinces else ""
    return f"Không có kế hoạch nào của «{esc(name)}».{known}\n{USAGE}"
