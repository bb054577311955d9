"""/diaban: a chat's own commune or ward. The replies (Telegram HTML) and the choices they
offer, shared by the bot (as buttons) and the console (as a list); blocking, pure given
the assistant's catalog."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.converse.home import Home, find_homes, homes, plans_at
from assistant.serve.assistant import Assistant
from assistant.telegram.html import esc

MAX_BUTTONS = 24  # more communes than this: the user types the name instead
CLEAR_WORDS = {"bo", "bỏ", "xoa", "xóa", "xoá", "off", "huy", "hủy", "huỷ"}

ADMINS_ONLY = "Trong nhóm, chỉ quản trị viên của nhóm mới đổi được địa bàn."
CLEARED = "Đã bỏ chọn địa bàn: câu hỏi không nêu tên xã/phường sẽ được tìm trong mọi kế hoạch."
USES = (
    "Câu hỏi không nêu tên xã/phường, /hanchot, /lich, /nhacviec và /donvi sẽ dùng địa bàn này; "
    "câu hỏi nêu tên nơi khác vẫn được trả lời cho nơi đó."
)


@dataclass(frozen=True)
class Choice:
    """What /diaban answers: the reply, the commune set (if one was), the communes offered
    (as buttons in Telegram, as lines in the console)."""

    html: str
    home: Home | None = None
    offered: tuple[Home, ...] = ()
    clear: bool = False


def key_of(home: Home) -> str:
    """A short stable key for a button (callback data is limited to 64 bytes)."""
    return hashlib.sha1(home.label.encode("utf-8")).hexdigest()[:12]


def home_by_key(assistant: Assistant, key: str) -> Home | None:
    return next((h for h in homes(assistant.index.catalog) if key_of(h) == key), None)


def _offered(found: list[Home]) -> tuple[Home, ...]:
    """The communes to offer as choices: none when there are more than buttons can show."""
    return tuple(found) if len(found) <= MAX_BUTTONS else ()


def menu(assistant: Assistant, current: Home | None) -> Choice:
    """/diaban without a name: the current commune and the loaded ones to choose from."""
    found = homes(assistant.index.catalog)
    head = (
        f"Địa bàn hiện tại: <b>{esc(current.label)}</b>. Chọn nơi khác"
        if current
        else "Bạn làm việc ở xã/phường nào? Chọn"
    )
    how = " bên dưới hoặc gõ" if len(found) <= MAX_BUTTONS else ": gõ"
    example = esc(_example(found))
    lines = [f"{head}{how} <code>/diaban &lt;tên xã/phường&gt;</code>, ví dụ: /diaban {example}."]
    if len(found) > MAX_BUTTONS:
        lines.append(f"Hệ thống có {len(found)} xã, phường.")
    if current:
        lines.append("Bỏ chọn: /diaban bỏ")
    return Choice("\n".join(lines), offered=_offered(found))


def choose(assistant: Assistant, text: str, current: Home | None) -> Choice:
    """/diaban <tên>: the commune it names set, or what to do when it names none or several."""
    text = text.strip()
    if not text:
        return menu(assistant, current)
    if text.lower() in CLEAR_WORDS:
        return Choice(CLEARED, clear=True)
    catalog = assistant.index.catalog
    found = find_homes(text, catalog, assistant.answerer.catalog.gazetteer)
    if len(found) == 1:
        return chosen(assistant, found[0])
    if found:
        return Choice(
            f"Có {len(found)} xã/phường tên «{esc(text)}». Bạn làm việc ở nơi nào?", offered=_offered(found)
        )
    every = homes(catalog)
    return Choice(
        f"Không tìm thấy xã/phường «{esc(text)}» trong các kế hoạch đã nạp. Chọn một nơi đang có:"
        if len(every) <= MAX_BUTTONS
        else f"Không tìm thấy xã/phường «{esc(text)}» trong các kế hoạch đã nạp ({len(every)} xã, phường).",
        offered=_offered(every),
    )


def chosen(assistant: Assistant, home: Home) -> Choice:
    count = len(plans_at(home, assistant.index.catalog))
    return Choice(f"Đã chọn địa bàn: <b>{esc(home.label)}</b> ({count} kế hoạch).\n{USES}", home=home)


def _example(found: list[Home]) -> str:
    return found[0].place.split(" ", 1)[-1] if found else "Thạnh An"


def offer(assistant: Assistant, current: Home | None) -> str:
    """The line /start adds when several communes are loaded."""
    if current:
        return f"📍 Địa bàn của bạn: <b>{esc(current.label)}</b> (đổi: /diaban)."
    return "📍 Hãy chọn xã/phường của bạn để tôi trả lời đúng địa bàn: /diaban"


def plain_choices(choice: Choice) -> str:
    """The communes offered as lines, for the console."""
    return "\n".join(f"• {h.label} — /diaban {h.place}" for h in choice.offered)
