"""Plan updates in words: what was read from a plan (place, period, counts, doubts) and
the outcome of adding, replacing or removing one, for the CLI and the bot. Pure."""

from __future__ import annotations

from assistant.index.summary import PlanSummary
from assistant.index.update import UpdateResult
from assistant.present.errors import read_problem
from assistant.records import Doubt

BUSY = "Đang có một lần cập nhật kế hoạch khác; hãy thử lại sau ít phút."
_MISSING = {"lead": "đơn vị chủ trì", "deadline": "thời hạn"}


def plan_name(s: PlanSummary) -> str:
    """ "kế hoạch xã Vĩnh Thịnh năm 2026"."""
    return " ".join(x for x in (f"kế hoạch {s.place}".strip() if s.place else "kế hoạch", s.period) if x)


def counts(s: PlanSummary) -> str:
    return f"{s.tasks} nhiệm vụ, {s.duties} trách nhiệm của đơn vị, {s.reports} báo cáo, {s.targets} chỉ tiêu"


def summary_facts(s: PlanSummary) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order an official checks them."""
    return [
        ("Xã/phường", s.place or "(không nhận ra)"),
        ("Kỳ kế hoạch", s.period or "(không nhận ra)"),
        ("Nhiệm vụ", str(s.tasks)),
        ("Trách nhiệm", str(s.duties)),
        ("Báo cáo", str(s.reports)),
        ("Chỉ tiêu", str(s.targets)),
        ("Dòng chưa đọc đủ", str(s.incomplete_rows)),
    ]


def doubt_text(d: Doubt) -> str:
    if d.kind == "row_incomplete":
        return f"dòng {d.line}: mục {d.label} thiếu đơn vị chủ trì hoặc thời hạn"
    if d.kind == "task_incomplete":
        label = f" {d.label}" if d.label else ""
        return f"dòng {d.line}: nhiệm vụ{label} thiếu {' và '.join(_MISSING[m] for m in d.missing)}"
    if d.kind == "group_count":
        return f"nhóm «{d.group}»: kế hoạch ghi {d.stated} nhiệm vụ, đọc được {d.read}"
    if d.kind == "no_place":
        return "không nhận ra tên xã/phường ở phần đầu kế hoạch"
    if d.kind == "no_period":
        return "không nhận ra năm hoặc kỳ của kế hoạch"
    return (
        "không đọc được nhiệm vụ, trách nhiệm, báo cáo hay chỉ tiêu nào; "
        "có thể tệp không phải kế hoạch cải cách hành chính"
    )


def update_message(result: UpdateResult) -> str:
    """The outcome of an update in plain text, ready to show."""
    s = result.plan
    if result.status in {"added", "replaced"}:
        verb = "Đã thay thế" if result.status == "replaced" else "Đã thêm"
        lines = [f"{verb} {plan_name(s)} (tệp {s.file}, mã {s.id}): {counts(s)}."]
        if result.clashes:
            lines.append(f"Tệp cũ đã được chuyển ra khỏi kho: {', '.join(result.clashes)}.")
        if s.incomplete_rows:
            lines.append(f"{s.incomplete_rows} dòng bảng chưa đọc đầy đủ.")
        return "\n".join(lines + [f"- {doubt_text(w)}" for w in s.warnings])
    if result.status == "exists":
        return (
            f"Đã có {'; '.join(_described(result, n) for n in result.clashes)} trong kho. Tệp mới {s.file} "
            f"là {plan_name(s)}: {counts(s)}. Cần xác nhận để thay thế."
        )
    if result.status == "removed":
        what = plan_name(s) if s else f"tệp {result.file}"
        return (
            f"Đã gỡ {what} (tệp {result.file}); tệp được lưu lại là «{result.kept_as}» trong thư mục "
            "removed của thư mục dữ liệu."
        )
    return _refusal(result)


def added_text(result: UpdateResult) -> str:
    """What was read from the added plan, one fact a line."""
    s = result.plan
    verb = "Đã thay thế" if result.status == "replaced" else "Đã thêm"
    lines = [f"{verb} {plan_name(s)} (tệp {s.file}, mã {s.id})."]
    lines += [f"  {label + ':':18s}{value}" for label, value in summary_facts(s)]
    if s.warnings:
        lines.append("  Cần kiểm tra:")
        lines += [f"    - {doubt_text(w)}" for w in s.warnings]
    if result.others:
        lines.append(f"  Đã thay thế: {', '.join(o.file for o in result.others)}")
    lines.append(
        f"Chỉ mục: {result.passages} đoạn, mã hóa mới {result.embedded} đoạn, {result.seconds} giây."
    )
    return "\n".join(lines)


def _refusal(result: UpdateResult) -> str:
    if result.status == "busy":
        return BUSY
    if result.status == "not_found":
        known = ", ".join(f"{o.id} ({o.place})" for o in result.others) or "không có"
        return f"Không tìm thấy kế hoạch «{result.key}». Các kế hoạch hiện có: {known}."
    if result.status == "ambiguous":
        listed = "; ".join(f"{o.id} ({plan_name(o)})" for o in result.others)
        return f"«{result.key}» khớp với {len(result.others)} kế hoạch: {listed}. Hãy ghi rõ mã kế hoạch."
    if result.reason == "hidden_name":
        return (
            f"Tên tệp «{result.file}» không dùng được; hãy đổi tên tệp (không bắt đầu bằng dấu chấm hay ~$)."
        )
    if result.reason == "last_plan":
        return (
            f"Không gỡ được tệp {result.file}: đây là kế hoạch duy nhất còn lại, kho phải có ít nhất "
            "một kế hoạch."
        )
    if result.reason == "missing":
        return f"Không tìm thấy tệp «{result.file}»."
    return f"Không đọc được tệp {result.file}: {read_problem(result.reason, result.params)}."


def _described(result: UpdateResult, name: str) -> str:
    found = next((o for o in result.others if o.file == name), None)
    return f"{plan_name(found)} (tệp {name})" if found else f"tệp {name}"
