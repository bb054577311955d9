"""What the bot says, as Telegram HTML (Vietnamese). Pure functions of core records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from assistant.lang.normalize import short
from assistant.lang.units import canonical_unit, lexicon_names
from assistant.parse.extract import strip_marker
from assistant.present.across import across_markdown
from assistant.present.answers import NEXT_PASSAGES, answer_markdown, ask_for_also, closest, understood_line
from assistant.present.feedback import REASONS
from assistant.present.words import lines_label, task_title
from assistant.records import Answer, Citation, PlanRecords, Task
from assistant.telegram.commands import ADMIN_COMMANDS, COMMANDS, Command, usage
from assistant.telegram.html import LIMIT, bold, esc, split_html, to_plain

QUOTE_LIMIT = 700

EXAMPLES = (
    "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?",
    "Báo cáo quý về cải cách hành chính của xã Vĩnh Thịnh gửi trước ngày nào?",
    "Ai chủ trì cải cách thể chế ở xã Thái Tân?",
)

REFUSED = (
    "Xin lỗi, trợ lý này chỉ phục vụ các đơn vị đã được đăng ký. "
    "Vui lòng liên hệ quản trị viên nếu bạn cần sử dụng."
)
SLOW_DOWN = "Bạn đang hỏi quá nhanh. Vui lòng chờ khoảng một phút rồi hỏi tiếp."
STALE = "Câu trả lời đã cũ, hãy hỏi lại."
INVALID_BUTTON = "Nút này không còn dùng được. Hãy gửi lại câu hỏi hoặc lệnh."
THANKS = {
    1: "Cảm ơn bạn đã đánh giá! 👍",
    -1: "Cảm ơn bạn! Câu trả lời chưa đúng ở đâu? Hãy chọn lý do bên dưới.",
}
ERROR = "Xin lỗi, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút."
UNKNOWN_COMMAND = "Không có lệnh này. Gõ /help để xem các lệnh."
NO_ALTERNATIVES = "Không có kết quả khác cho câu hỏi này."
HOI_USAGE = f"Cách dùng: <code>{esc(usage('hoi'))}</code>, ví dụ: /hoi {esc(EXAMPLES[0])}"
TELEGRAM_ONLY = "Lệnh này chỉ dùng được trong Telegram."
# inline mode: the button above the results (at most 64 characters)
INLINE_HINT = "Nhập câu hỏi về kế hoạch CCHC"
INLINE_NOTHING = "Không tìm thấy kết quả — hỏi trợ lý"
INLINE_SLOW = "Bạn đang hỏi quá nhanh, vui lòng chờ một phút"


def start_html(plans: list[PlanRecords]) -> str:
    lines = [
        "Xin chào! Tôi là trợ lý tra cứu <b>kế hoạch cải cách hành chính</b> của xã, phường. "
        "Hãy đặt câu hỏi bằng tiếng Việt, tôi trả lời kèm trích dẫn nguyên văn từ kế hoạch.",
        "",
        f"<b>Tôi đang có {len(plans)} kế hoạch:</b>",
    ]
    lines += [f"• {esc(p.plan.place)} — {esc(p.plan.period)}" for p in plans]
    lines += ["", "<b>Ví dụ câu hỏi:</b>"] + [f"• {esc(q)}" for q in EXAMPLES]
    lines += ["", "Gõ /help để xem tất cả các lệnh."]
    return "\n".join(lines)


def help_html(admin: bool = False) -> str:
    """Every command; the admin commands and plan uploads too when an admin asks."""
    lines = ["<b>Các lệnh:</b>"] + [_command_line(c) for c in COMMANDS]
    lines += [
        "",
        "Trong trò chuyện riêng, mọi tin nhắn đều là câu hỏi. Trong nhóm, hãy nhắc tên tôi "
        "(@tên_bot), trả lời tin nhắn của tôi hoặc dùng /hoi.",
    ]
    if admin:
        lines += ["", "<b>Dành cho quản trị viên:</b>"] + [_command_line(c) for c in ADMIN_COMMANDS]
        lines.append(
            "Gửi tệp kế hoạch (.docx, .pdf, .txt, .md; tối đa 20 MB) để thêm hoặc thay thế kế hoạch; "
            "trong nhóm, nhắc tên tôi trong chú thích của tệp."
        )
    return "\n".join(lines)


def _command_line(c: Command) -> str:
    return f"/{c.name}{' ' + esc(c.usage) if c.usage else ''} — {esc(c.description)}"


def plans_html(plans: list[PlanRecords]) -> str:
    if not plans:
        return "Chưa có kế hoạch nào được nạp."
    blocks = []
    for i, rec in enumerate(plans, 1):
        p = rec.plan
        ref = ", ".join(x for x in (f"số {p.number}" if p.number else "", p.date or "") if x)
        blocks.append(
            f"{i}. <b>{esc(p.title)}</b>{' (' + esc(ref) + ')' if ref else ''}\n"
            f"Địa bàn: {esc(p.place)} · Thời kỳ: {esc(p.period)}\n"
            f"{len(rec.tasks)} nhiệm vụ · {len(rec.duties)} trách nhiệm · "
            f"{len(rec.reports)} báo cáo · {len(rec.targets)} chỉ tiêu"
        )
    return "\n\n".join(blocks)


def known_units(plans: list[PlanRecords]) -> list[str]:
    """Canonical names of the units the plans name, most plans first."""
    seen: Counter[str] = Counter()
    for rec in plans:
        names = {canonical_unit(u) for t in rec.tasks for u in t.lead + t.cooperating}
        names |= {canonical_unit(d.unit) for d in rec.duties}
        seen.update(n for n in names if n)
    order = {n: i for i, n in enumerate(lexicon_names())}
    return sorted(seen, key=lambda n: (-seen[n], order.get(n, 99)))


def units_list_html(plans: list[PlanRecords]) -> str:
    return "<b>Các đơn vị có trong kế hoạch:</b>\n" + "\n".join(f"• {esc(n)}" for n in known_units(plans))


def unit_usage_html(plans: list[PlanRecords]) -> str:
    return (
        f"Cách dùng: <code>{esc(usage('donvi'))}</code>, ví dụ: /donvi Phòng Văn hóa – Xã hội\n\n"
        + units_list_html(plans)
    )


def unit_unknown_html(name: str, plans: list[PlanRecords]) -> str:
    return f"Không tìm thấy đơn vị «{esc(name)}» trong các kế hoạch.\n\n" + units_list_html(plans)


def unit_html(canonical: str, views: list) -> str:
    """The onboarding view: per plan, the unit's duties and the tasks it leads or joins."""
    blocks = [f"<b>{esc(canonical)}</b> — trách nhiệm và nhiệm vụ theo từng kế hoạch"]
    for v in views:
        p = v.plan.plan
        lines = [f"📘 <b>{esc(p.place)} — {esc(p.period)}</b>"]
        if v.duties:
            lines.append(f"<i>Trách nhiệm ({len(v.duties)}):</i>")
            lines += [_bullet(d.text, 400, "", d.span.line_start) for d in v.duties]
        if v.leads:
            lines.append(f"<i>Chủ trì ({len(v.leads)} nhiệm vụ):</i>")
            lines += [_task_line(t, with_lead=False) for t in v.leads]
        if v.joins:
            lines.append(f"<i>Phối hợp ({len(v.joins)} nhiệm vụ):</i>")
            lines += [_task_line(t, with_lead=True) for t in v.joins]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _task_line(t: Task, with_lead: bool) -> str:
    extra = []
    if with_lead and t.lead:
        extra.append("chủ trì: " + ", ".join(t.lead))
    if t.deadline:
        extra.append("thời hạn: " + t.deadline.raw)
    tail = f" — {esc('; '.join(extra))}" if extra else ""
    return _bullet(task_title(t), 200, tail, t.span.line_start)


def _bullet(text: str, limit: int, tail: str, line: int) -> str:
    """One item of a list with one bullet: the plan's own leading mark ("-", "+", "–", "2.")
    gives way to ours (the quotes behind the buttons keep it)."""
    return f"• {esc(short(strip_marker(text), limit))}{tail} <i>(dòng {line})</i>"


def _source(c: Citation, icon: str = "📄") -> str:
    section = c.section or "phần mở đầu"
    return f"{icon} <b>{esc(c.plan_title)}</b>\n{esc(section)} · {lines_label(c.lines)}"


def _quoted(c: Citation, icon: str, limit: int | None = QUOTE_LIMIT) -> str:
    quote = short(c.quote, limit) if limit else c.quote
    return f"{_source(c, icon)}\n<blockquote>{esc(quote)}</blockquote>"


ALSO_BUTTONS = "Bấm nút ➕ bên dưới để xem câu trả lời theo kế hoạch đó."


def answer_html(answer: Answer, typed: bool = False) -> str:
    """The fact first, then each source with its quote; when nothing was found, the closest.
    Plans left out for room are offered by buttons, or (`typed`: the console) by the
    question to type."""
    blocks = [f"<i>{esc(understood_line(answer))}</i>"] if answer.understood else []
    stated = bold(answer_markdown(answer))
    blocks.append(f"❔ <i>{stated}</i>" if answer.confidence == "low" else stated)
    if answer.also_plans:
        blocks[-1] += f"\n<i>{esc(ask_for_also(answer) if typed else ALSO_BUTTONS)}</i>"
    if answer.across:  # each commune's quote is on its line; 📄 Nguyên văn shows them whole
        return "\n\n".join(blocks)
    blocks += [_quoted(c, "📄") for c in answer.citations]
    if closest(answer):
        blocks.append(f"<b>{esc(NEXT_PASSAGES if answer.found else 'Các đoạn gần nhất:')}</b>")
        blocks += [_quoted(c, "🔎") for c in closest(answer)]
    return "\n\n".join(blocks)


SCREEN_CHARS = 1500  # about what one phone screen shows of a reply
WHICH_PLACE = "Câu hỏi này có câu trả lời khác nhau ở từng xã/phường. Bạn hỏi kế hoạch của xã/phường nào?"


def too_long_to_list(answer: Answer) -> bool:
    """Whether an answer stating several plans' facts would not fit on one screen (the
    asker then chooses the plan)."""
    if not answer.found or len(set(answer.plans)) < 2 or answer.across:
        return False
    return len(to_plain(answer_html(answer))) > SCREEN_CHARS


def fact_html(markdown: str, cites: Sequence[Citation]) -> str:
    """One fact as a message of its own (inline mode): the fact, then its sources with
    their quotes, as many as one message holds."""
    blocks = [bold(markdown)]
    for c in cites:
        block = _quoted(c, "📄")
        if len("\n\n".join(blocks + [block])) > LIMIT:
            break
        blocks.append(block)
    return split_html("\n\n".join(blocks))[0]


def passage_html(c: Citation) -> str:
    """One of the closest passages as a message of its own (inline mode)."""
    return _quoted(c, "🔎")


MORE_ACROSS = "➕ Xem thêm {count} {kind}"


def more_across_html(answer: Answer, start: int) -> str:
    """The next page of an answer across communes."""
    return bold(across_markdown(answer, start))


def sources_html(answer: Answer) -> str:
    """The whole source passages behind an answer (the closest ones when none was found)."""
    cites = answer.citations or answer.alternatives
    head = "<b>Nguyên văn</b>" if answer.citations else "<b>Nguyên văn các đoạn gần nhất</b>"
    return "\n\n".join([head] + [_quoted(c, "📄", None) for c in cites])


def alternatives_html(answer: Answer) -> str:
    if not answer.alternatives:
        return NO_ALTERNATIVES
    return "\n\n".join(["<b>Kết quả khác:</b>"] + [_quoted(c, "🔎") for c in answer.alternatives])


def store_recovered(moved_to: str) -> str:
    """To the admins, when the bot's store was unreadable at start and was replaced."""
    return (
        f"⚠️ Tệp dữ liệu của bot bị hỏng nên đã được chuyển sang «{esc(moved_to)}» và tạo tệp mới. "
        "Các đăng ký nhắc việc và phản hồi trước đây không còn; hãy đăng ký lại /nhacviec nếu cần."
    )


NO_TOKEN = """Chưa có mã bot Telegram (TELEGRAM_BOT_TOKEN).
Cách lấy mã:
  1. Mở Telegram, tìm @BotFather, gửi lệnh /newbot và làm theo hướng dẫn.
  2. Chép mã BotFather gửi (dạng 123456789:ABC...) vào biến môi trường
     TELEGRAM_BOT_TOKEN hoặc vào tệp .env:  TELEGRAM_BOT_TOKEN=123456789:ABC...
  3. Chạy lại: python bot.py
Muốn thử ngay trên máy, không cần Telegram:  python bot.py --console"""
CONSOLE_WITHOUT_TOKEN = (
    "Chưa có TELEGRAM_BOT_TOKEN: mở trò chuyện trong cửa sổ dòng lệnh (xem README để chạy trên Telegram)."
)
SOURCES_BUTTON, MORE_BUTTON = "📄 Nguyên văn", "🔎 Kết quả khác"
REASON_BUTTONS = REASONS  # why a 👎: code -> label, shown under the answer once 👎 is pressed


def reason_thanks(code: str) -> str:
    """The answer to a press on a 👎 reason."""
    return f"Cảm ơn bạn, đã ghi nhận: {REASONS[code].lower()}. Câu hỏi sẽ được dùng để cải thiện trợ lý."


def saved_file(caption: str, path: str) -> str:
    """The console's reply to /lich: the calendar's caption and where the file was saved."""
    return f"{caption}\nĐã lưu tệp: {esc(path)}"
