"""Deadlines as Telegram HTML: /hanchot lists, the morning digest, the .ics caption."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import groupby

from assistant.lang.normalize import fold, short
from assistant.lang.units import canonical_unit
from assistant.present.answers import scope_label, scope_places
from assistant.present.words import day_label
from assistant.records import Plan
from assistant.telegram.commands import usage
from assistant.telegram.html import esc
from assistant.telegram.store.base import MAX_UNIT

MAX_OVERDUE = 5
UNIT_SHOWN = 100  # characters of a unit named in a caption
CAPTION_LIMIT = 1024  # Telegram's, for a file's caption
NAME_LIMIT = 64  # characters of a calendar file's name before ".ics"
DAYS_USAGE = (
    f"Cách dùng: <code>{esc(usage('hanchot'))}</code>, ví dụ: /hanchot 60 "
    "(số ngày từ 1 đến 366; mặc định 30)."
)
NHACVIEC_USAGE = (
    f"Cách dùng: <code>{esc(usage('nhacviec'))}</code>\n"
    "• /nhacviec on — nhắc mọi hạn chót lúc 7:30 mỗi sáng\n"
    "• /nhacviec on Phòng Văn hóa – Xã hội — chỉ nhắc hạn của đơn vị này\n"
    "• /nhacviec off — tắt nhắc việc"
)


def unit_too_long(unit: str) -> str | None:
    """Why a unit cannot be kept for a chat (too long to be one), or None."""
    if len(unit) <= MAX_UNIT:
        return None
    length = f"{len(unit):,}".replace(",", ".")
    return (
        f"Tên đơn vị quá dài ({length} ký tự; tối đa {MAX_UNIT}). Hãy gõ tên ngắn gọn, "
        "ví dụ: <code>/nhacviec on Phòng Văn hóa – Xã hội</code>."
    )


def unit_label(unit: str | None) -> str:
    return (canonical_unit(unit) or unit.strip()) if unit else ""


def _item_line(item, places: dict[str, str]) -> str:
    if item.kind == "report":
        icon, who = "📝", "đơn vị gửi: " + (", ".join(item.lead) or "các cơ quan, đơn vị")
    else:
        icon, who = "•", "chủ trì: " + (", ".join(item.lead) or "chưa nêu")
    where = places.get(item.plan) or item.plan_title
    return f"{icon} {esc(short(item.what, 220))}\n   <i>{esc(where)} · {esc(who)}</i>"


def _grouped(items: Sequence, today: date, places: dict[str, str]) -> list[str]:
    blocks = []
    for day, group in groupby(sorted(items, key=lambda i: i.due), key=lambda i: i.due):
        blocks.append(
            f"📅 <b>{day_label(day, today)}</b>\n" + "\n".join(_item_line(i, places) for i in group)
        )
    return blocks


def upcoming_html(
    items: Sequence, today: date, days: int, unit: str | None, places: dict[str, str], plans: Sequence[Plan]
) -> str:
    """/hanchot: what is coming first, then the most recent overdue items; the window and
    the plans looked at (`plans`) named at the top, and again when nothing is coming."""
    who = f" — {esc(unit_label(unit))}" if unit else ""
    end = today + timedelta(days=days)
    head = (
        f"<b>Hạn chót trong {days} ngày tới</b>{who}\n<i>Từ {today:%d/%m/%Y} đến {end:%d/%m/%Y}.</i>\n"
        f"📍 {esc(scope_label(plans))}"
    )
    nothing = f"Không có hạn chót nào trong {days} ngày tới ở {esc(scope_places(plans))}."
    if not items:
        return f"{head}\n\n{nothing}"
    overdue = sorted((i for i in items if i.overdue), key=lambda i: i.due)
    coming = [i for i in items if not i.overdue]
    blocks = [head]
    if coming:
        blocks.append(f"⏳ <b>Sắp đến hạn ({len(coming)})</b>")
        blocks += _grouped(coming, today, places)
    else:
        blocks.append(nothing)
    if overdue:
        # the plans do not say what is done: the most recent overdue items, the rest counted
        recent = overdue[-MAX_OVERDUE:]
        blocks.append(
            f"⚠️ <b>Đã quá hạn ({len(overdue)})</b> — các mục gần nhất, hãy kiểm tra đã hoàn thành chưa:"
        )
        blocks += _grouped(recent, today, places)
        if len(overdue) > len(recent):
            blocks.append(f"<i>… và {len(overdue) - len(recent)} mục quá hạn trước đó.</i>")
    return "\n\n".join(blocks)


def digest_html(
    items: Sequence, today: date, unit: str | None, places: dict[str, str], plans: Sequence[Plan]
) -> str:
    who = f" — {esc(unit_label(unit))}" if unit else ""
    head = f"⏰ <b>Nhắc việc ngày {today:%d/%m/%Y}</b>{who}\n📍 {esc(scope_label(plans))}"
    tail = "<i>Gõ /hanchot để xem mọi hạn chót sắp tới, /nhacviec off để tắt nhắc việc.</i>"
    return "\n\n".join([head, *_grouped(items, today, places), tail])


def subscribed_html(unit: str | None) -> str:
    who = f" của <b>{esc(unit_label(unit))}</b>" if unit else ""
    return (
        f"Đã bật nhắc việc: mỗi sáng lúc 7:30 tôi sẽ gửi các hạn chót{who} đến hạn "
        "trong 7, 3, 1 ngày tới và hôm nay. Ngày nào không có hạn chót thì không gửi."
    )


def unsubscribed_html(was_on: bool) -> str:
    return "Đã tắt nhắc việc." if was_on else "Nhắc việc chưa được bật cho cuộc trò chuyện này."


def ics_name(unit: str | None) -> str:
    """The file name, e.g. han-chot-cchc-phong-van-hoa-xa-hoi.ics: at most NAME_LIMIT
    characters before ".ics"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(unit_label(unit)).lower()).strip("-") if unit else ""
    name = f"han-chot-cchc{'-' + slug if slug else ''}"
    return name[:NAME_LIMIT].rstrip("-") + ".ics"


def ics_title(unit: str | None) -> str:
    return f"Hạn chót CCHC — {unit}" if unit else "Hạn chót CCHC"


def ics_caption(count: int, unit: str | None, plans: Sequence[Plan]) -> str:
    """The file's caption, within Telegram's 1,024 characters: the unit and the plans looked
    at are cut short when they would not fit."""
    who = f" của {short(unit_label(unit), UNIT_SHOWN)}" if unit else ""
    if count:
        head = f"Lịch {count} hạn chót{who} trong năm tới. Mở tệp để thêm vào lịch của bạn."
    else:
        where = short(scope_places(plans), UNIT_SHOWN)
        head = f"Không có hạn chót nào{who} trong năm tới ở {where}; tệp lịch trống."
    scope = short(f"📍 {scope_label(plans)}", CAPTION_LIMIT - len(head) - 1)
    return esc(f"{head}\n{scope}")
