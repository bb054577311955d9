"""What the bot says to admins about plan updates, as Telegram HTML (Vietnamese), and the
confirm keyboards. Pure functions of core records."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from assistant.index.update import UpdateResult
from assistant.lang.normalize import short
from assistant.present.updates import doubt_text, plan_name, summary_facts, update_message
from assistant.read.load import SUPPORTED_SUFFIXES
from assistant.records import PlanRecords
from assistant.telegram.commands import usage
from assistant.telegram.html import esc
from assistant.telegram.pending import PendingRemoval

MAX_WARNINGS = 20
REPLACE, DELETE, CANCEL = "✅ Thay thế", "✅ Xóa", "❌ Hủy"

FILES_ADMIN_ONLY = (
    "Xin lỗi, chỉ quản trị viên mới gửi được tệp kế hoạch để cập nhật trợ lý. "
    "Nếu bạn có kế hoạch mới, vui lòng chuyển tệp cho quản trị viên. "
    "Bạn vẫn có thể đặt câu hỏi về các kế hoạch hiện có."
)
ADMIN_ONLY = "Xin lỗi, lệnh này chỉ dành cho quản trị viên."
NO_FILE_NAME = (
    "Tệp không có tên nên không biết định dạng. Hãy gửi lại tệp có đuôi .docx, .pdf, .txt hoặc .md."
)
STALE_ACTION = "Yêu cầu này đã hết hạn hoặc đã được xử lý. Hãy gửi lại tệp hoặc lệnh."
NO_PLANS = "Chưa có kế hoạch nào trong kho."


MAX_NAME_BYTES = 120


def file_name(raw: str | None) -> str | None:
    """The name a file was sent under, safe to save: its last path part in NFC, control and
    format characters (NUL, new lines, right-to-left overrides) dropped, any character but
    letters, digits, spaces and `-_.()` made a `-`, no leading dot, at most 120 bytes with
    the extension kept."""
    if not raw:
        return None
    name = PurePosixPath(unicodedata.normalize("NFC", raw).replace("\\", "/")).name
    name = re.sub(r"[\t\n\r\x0b\x0c]", " ", name)
    name = "".join(
        ch if ch.isalnum() or ch in " -_.()" else "-"
        for ch in name
        if not unicodedata.category(ch).startswith("C")
    )
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, dot, suffix = name, "", ""
    room = MAX_NAME_BYTES - len((dot + suffix).encode("utf-8"))
    stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
    return f"{stem}{dot}{suffix}" if stem else None


def upload_problem(name: str | None, size: int | None, limit: int) -> str | None:
    """Why a file cannot be taken, checked before downloading it; None when it can."""
    if name is None:
        return NO_FILE_NAME
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return (
            f"Tệp «{esc(name)}»: định dạng {esc(suffix or '(không có đuôi)')} chưa được hỗ trợ. "
            f"Hãy gửi tệp .docx, .pdf, .txt hoặc .md (tệp .doc cũ hãy lưu lại thành .docx)."
        )
    if size is not None and size > limit:
        return (
            f"Tệp «{esc(name)}» quá lớn ({size / 1048576:.1f} MB); trợ lý chỉ nhận tệp tối đa "
            f"{limit // 1048576} MB nên chưa tải tệp về. Hãy giảm dung lượng tệp (ví dụ nén hình ảnh "
            f"trong tệp hoặc tách phụ lục) rồi gửi lại."
        )
    return None


def reading_html(name: str, waiting: bool) -> str:
    head = f"⏳ Đã nhận tệp «{esc(name)}». "
    if waiting:
        return (
            head + "Đang chờ lần cập nhật trước xong rồi sẽ đọc tệp; các câu hỏi vẫn được trả lời như thường."
        )
    return head + "Đang đọc kế hoạch và cập nhật chỉ mục (có thể mất đến một phút)…"


def download_failed_html(name: str, reason: str) -> str:
    return f"❌ Không tải được tệp «{esc(name)}» từ Telegram ({esc(reason)}). Hãy gửi lại tệp."


def result_html(result: UpdateResult, what: str) -> str:
    """The outcome of an add, replace or remove; `what` names the file or plan for a busy refusal."""
    if result.status in {"added", "replaced"}:
        return _added_html(result)
    if result.status == "removed":
        return f"🗑 {esc(update_message(result))}\n{_reloaded(result)}"
    if result.status == "busy":
        return f"⏳ Chưa cập nhật «{esc(what)}»: {esc(update_message(result))}"
    return f"❌ {esc(update_message(result))}"


def _added_html(result: UpdateResult) -> str:
    s = result.plan
    verb = "Đã thay thế" if result.status == "replaced" else "Đã thêm"
    lines = [f"✅ <b>{verb} {esc(plan_name(s))}</b>", f"Tệp: {esc(s.file)} · mã <code>{esc(s.id)}</code>"]
    lines += [f"{label}: {esc(value)}" for label, value in summary_facts(s)]
    if s.warnings:
        lines.append("<b>Cần kiểm tra:</b>")
        lines += [f"• {esc(doubt_text(w))}" for w in s.warnings[:MAX_WARNINGS]]
        if len(s.warnings) > MAX_WARNINGS:
            lines.append(f"… và {len(s.warnings) - MAX_WARNINGS} mục khác.")
    if result.others:
        old = ", ".join(o.file for o in result.others)
        lines.append(f"Tệp cũ đã được chuyển vào thư mục removed (không bị xóa): {esc(old)}.")
    lines.append(_reloaded(result))
    return "\n".join(lines)


def _reloaded(result: UpdateResult) -> str:
    return (
        f"Từ giờ các câu hỏi được trả lời theo kho mới ({result.passages} đoạn; "
        f"cập nhật trong {result.seconds} giây)."
    )


def exists_html(result: UpdateResult) -> str:
    return f"⚠️ {esc(update_message(result))}\n\nThay thế kế hoạch đang có bằng tệp mới?"


def upload_cancelled_html(name: str) -> str:
    return f"Đã hủy. Kế hoạch đang có được giữ nguyên; tệp «{esc(name)}» không được thêm."


def confirm_keyboard(kind: str, key: str, yes: str) -> InlineKeyboardMarkup:
    """✅ / ❌ under a question; `kind` is "add" or "del" (callback data "add:ok:<key>")."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{kind}:ok:{key}"),
                InlineKeyboardButton(CANCEL, callback_data=f"{kind}:no:{key}"),
            ]
        ]
    )


# ------------------------------------------------------------------ /xoakehoach


def removal(rec: PlanRecords) -> PendingRemoval:
    """A plan as something to remove: by its file name (unique in the corpus)."""
    p = rec.plan
    name = " ".join(x for x in (f"kế hoạch {p.place}" if p.place else "kế hoạch", p.period) if x)
    return PendingRemoval(p.file, f"{name} (tệp {p.file})")


def confirm_removal_html(item: PendingRemoval) -> str:
    return (
        f"Gỡ {esc(item.label)} khỏi kho? Tệp được chuyển vào thư mục removed, không bị xóa hẳn; "
        f"trợ lý sẽ không trả lời theo kế hoạch này nữa."
    )


def removal_list_html(arg: str, matched: bool, count: int) -> str:
    if not count:
        return NO_PLANS
    if arg and matched:
        head = f"«{esc(arg)}» khớp với {count} kế hoạch. Chọn kế hoạch cần gỡ:"
    elif arg:
        head = f"Không tìm thấy kế hoạch «{esc(arg)}». Chọn kế hoạch cần gỡ:"
    else:
        head = "Chọn kế hoạch cần gỡ:"
    return f"{head}\n(hoặc gõ <code>{esc(usage('xoakehoach'))}</code>)"


def removal_keyboard(items: list[tuple[str, PendingRemoval]]) -> InlineKeyboardMarkup | None:
    rows = [
        [InlineKeyboardButton(f"🗑 {short(item.label, 60)}", callback_data=f"del:pick:{key}")]
        for key, item in items
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def removal_cancelled_html(item: PendingRemoval) -> str:
    return f"Đã hủy. {esc(item.label[0].upper() + item.label[1:])} vẫn được giữ nguyên."
