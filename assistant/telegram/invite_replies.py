"""What the bot says about invites and who may use it (/moi, /thuhoi, /danhsach, an
invite opened), as Telegram HTML (Vietnamese). Pure functions of the store's records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.telegram.access import Access
from assistant.telegram.commands import usage
from assistant.telegram.html import esc
from assistant.telegram.store import Admitted, Invite

PRIVATE_ONLY = (
    "Hãy dùng lệnh này trong trò chuyện riêng với trợ lý, để mã mời và danh sách không lộ trong nhóm."
)
OPEN_TO_ALL = (
    "Trợ lý đang mở cho mọi người (TELEGRAM_ALLOWED_CHATS để trống) nên không cần mã mời "
    "và không thu hồi được quyền. Để chỉ những cuộc trò chuyện được cho phép dùng trợ lý, hãy "
    "đặt TELEGRAM_ALLOWED_CHATS (ví dụ mã của quản trị viên) rồi khởi động lại trợ lý."
)
THUHOI_USAGE = (
    f"Cách dùng: <code>{esc(usage('thuhoi'))}</code>\n"
    "• /thuhoi 123456789 — thu hồi quyền của một cuộc trò chuyện (xem mã bằng /danhsach)\n"
    "• /thuhoi &lt;mã mời&gt; — hủy một mã mời chưa dùng"
)
REDEEMED = {
    "admitted": "✅ Mã mời hợp lệ: từ giờ cuộc trò chuyện này được dùng trợ lý.",
    "expired": "⌛ Mã mời này đã hết hạn. Vui lòng xin quản trị viên một mã mời mới.",
    "used": (
        "Mã mời này đã được dùng (mỗi mã chỉ dùng được một lần). Vui lòng xin quản trị viên một mã mời mới."
    ),
    "unknown": "Mã mời không đúng. Hãy kiểm tra lại đường link hoặc xin quản trị viên một mã mời mới.",
}


def when(ts: float, tz: str) -> str:
    """ "09:30 ngày 25/05/2026", in the bot's time zone."""
    return datetime.fromtimestamp(ts, ZoneInfo(tz)).strftime("%H:%M ngày %d/%m/%Y")


def invite_html(private: str, group: str, invite: Invite, tz: str) -> str:
    hours = round((invite.expires_at - invite.created_at) / 3600)
    return (
        f"🔗 <b>Mã mời dùng một lần</b>, hết hạn lúc {when(invite.expires_at, tz)} (sau {hours} giờ):\n"
        f"{esc(private)}\n\n"
        "Gửi đường link này cho cán bộ mới: khi họ mở link và bấm <b>Bắt đầu</b>, cuộc trò chuyện "
        "của họ với trợ lý được cho phép. Mã chỉ dùng được một lần.\n"
        f"Để cho một nhóm dùng trợ lý, mở link này và chọn nhóm: {esc(group)}\n\n"
        f"Hủy mã khi chưa dùng: <code>/thuhoi {esc(invite.code)}</code>"
    )


def admitted_html(chat_id: int) -> str:
    return (
        f"✅ Đã cho phép cuộc trò chuyện <code>{chat_id}</code> dùng trợ lý. "
        f"Thu hồi: <code>/thuhoi {chat_id}</code>"
    )


def not_an_id_html(arg: str) -> str:
    return (
        f"«{esc(arg)}» không phải mã cuộc trò chuyện (một số, nhóm có dấu trừ). "
        f"Cách dùng: <code>{esc(usage('moi'))}</code>; không ghi gì để tạo mã mời."
    )


def configured_html(chat_id: int, access: Access) -> str | None:
    """Why a chat's access cannot change from Telegram (it is the settings'), or None."""
    if chat_id in access.admins:
        where = "là quản trị viên (TELEGRAM_ADMINS)"
    elif chat_id in access.allowed:
        where = "có trong TELEGRAM_ALLOWED_CHATS"
    else:
        return None
    return (
        f"Cuộc trò chuyện <code>{chat_id}</code> {where}: quyền này do cấu hình quyết định. "
        "Muốn thay đổi, hãy sửa cấu hình rồi khởi động lại trợ lý."
    )


def revoked_html(chat_id: int, revoked: bool) -> str:
    if not revoked:
        return f"Cuộc trò chuyện <code>{chat_id}</code> không có trong danh sách được cho phép (/danhsach)."
    return (
        f"🚫 Đã thu hồi quyền của cuộc trò chuyện <code>{chat_id}</code>; "
        "nhắc việc của cuộc trò chuyện này (nếu có) cũng đã tắt."
    )


def cancelled_html(code: str, cancelled: bool) -> str:
    if cancelled:
        return f"🚫 Đã hủy mã mời <code>{esc(code)}</code>: mở link sẽ không còn được cho phép."
    return f"Không có mã mời chưa dùng nào là <code>{esc(code)}</code>.\n\n{THUHOI_USAGE}"


def list_html(access: Access, admitted: Sequence[Admitted], invites: Sequence[Invite], tz: str) -> str:
    """/danhsach: who may use the bot and how, then the invites not used yet."""
    lines = ["<b>Ai được dùng trợ lý</b>"]
    if not access.allowed:
        lines.append("• Mọi người: TELEGRAM_ALLOWED_CHATS để trống.")
    else:
        lines.append(f"• Theo cấu hình (TELEGRAM_ALLOWED_CHATS): {_ids(access.allowed)}")
    if access.admins:
        lines.append(f"• Quản trị viên (TELEGRAM_ADMINS): {_ids(access.admins)}")
    lines += ["", f"<b>Được cho phép từ Telegram ({len(admitted)}):</b>"]
    lines += [_admitted_line(a, tz) for a in admitted] or ["• Chưa có."]
    lines += ["", f"<b>Mã mời chưa dùng ({len(invites)}):</b>"]
    lines += [
        f"• <code>{esc(i.code)}</code> của <code>{i.created_by}</code>, hết hạn lúc {when(i.expires_at, tz)}"
        for i in invites
    ] or ["• Không có. Tạo mã mời: /moi"]
    return "\n".join(lines)


def _ids(ids: frozenset[int]) -> str:
    return ", ".join(f"<code>{i}</code>" for i in sorted(ids))


def _admitted_line(a: Admitted, tz: str) -> str:
    who = f"{esc(a.name)} (<code>{a.chat_id}</code>)" if a.name else f"<code>{a.chat_id}</code>"
    how = (
        f"mã mời <code>{esc(a.code or '')}</code> của <code>{a.by}</code>"
        if a.how == "invite"
        else f"quản trị viên <code>{a.by}</code> cho phép"
    )
    return f"• {who} — {how}, lúc {when(a.ts, tz)} · <code>/thuhoi {a.chat_id}</code>"
