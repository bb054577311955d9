"""The command line's words: listing lines for plans, tasks, units and deadlines, the
index's state, and the CLI's own messages (a plan not found, a batch line that is not a
question, a fit written). Pure functions; the CLI prints what they return."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.present.answers import scope_label, scope_places
from assistant.present.words import day_label, lines_label, task_title

if TYPE_CHECKING:  # records and the calendar load only when a command needs them
    from assistant.due.schedule import DueItem
    from assistant.records import Plan, Task

NO_TASKS = "Không có nhiệm vụ phù hợp."
EMBEDDING, EMBEDDING_NEW, PASSAGE_UNIT = "Mã hóa đoạn văn", "Mã hóa đoạn văn mới", "đoạn"
RERUN_WITH_REPLACE = "Chạy lại với --replace để thay thế."
FIT_NEEDS_EMBEDDER = "Cần bộ mã hóa (ASSISTANT_EMBEDDER) để khớp mô hình có độ tương đồng ngữ nghĩa."


def gold_missing(files: list[str]) -> str:
    """Gold question files that are not there: which, and where the shared ones live."""
    return (
        f"Không tìm thấy tệp câu hỏi mẫu: {', '.join(files)}. Bộ câu hỏi dùng chung "
        "(dev.jsonl, round1.jsonl, round2.jsonl) nằm ở ../shared/eval/ cạnh thư mục dự án; "
        "hoặc chỉ định tệp của bạn, ví dụ: python -m assistant eval cau-hoi.jsonl"
    )


def no_plans(corpus_dir, prog: str) -> str:
    """No plan loaded (a new home folder): where plan files go, and the command that adds one."""
    return (
        f"Chưa có kế hoạch nào trong thư mục {corpus_dir}. Hãy chép các tệp kế hoạch "
        "(.docx, .pdf, .txt, .md) vào thư mục đó, hoặc thêm từng tệp bằng lệnh: "
        f"{prog} add TỆP. Muốn dùng thư mục dữ liệu khác (chứa corpus/, index/, data/), "
        "hãy đặt biến môi trường ASSISTANT_HOME."
    )


LOADING = "Đang nạp kế hoạch (lần đầu có thể mất 10–60 giây)..."
BATCH_ERRORS = {
    "not_utf8": "dòng không phải văn bản UTF-8",
    "blank": "dòng trống",
    "not_json": 'dòng không phải JSON; cần dạng {"id": ..., "question": "..."}',
    "not_object": 'dòng không phải đối tượng JSON; cần dạng {"id": ..., "question": "..."}',
    "no_question": 'thiếu câu hỏi dạng văn bản (trường "question")',
    "bad_session": 'trường "session" phải là chuỗi hoặc số (các dòng cùng "session" là một cuộc trò chuyện)',
}


def no_such_plan(key: str) -> str:
    return f"Không tìm thấy kế hoạch «{key}»."


def skipped_file(reason: str) -> str:
    """`reason`: a file and why it could not be read (`present.errors.load_error`)."""
    return f"Bỏ qua tệp {reason}"


def batch_failed(error_name: str) -> str:
    return f"lỗi khi trả lời: {error_name}"


def plan_row(r: dict) -> str:
    return (
        f"{r['id']:24s} {r['place']:18s} {r['period']:24s} nhiệm vụ {r['tasks']:3d}  "
        f"trách nhiệm {r['duties']:3d}  báo cáo {r['reports']:2d}  chỉ tiêu {r['targets']:3d}"
    )


def task_lines(t: Task) -> str:
    due = t.deadline.raw if t.deadline else "—"
    return (
        f"[{t.plan} dòng {t.span.line_start}] {task_title(t)}\n"
        f"    Chủ trì: {', '.join(t.lead) or '—'} | Phối hợp: {', '.join(t.cooperating) or '—'}"
        f" | Thời hạn: {due}"
    )


def unit_line(name: str, plan_ids) -> str:
    return f"{name}  ({', '.join(sorted(plan_ids))})"


def index_state(manifest: dict, rebuilt: bool, folder) -> str:
    state = "đã xây dựng lại" if rebuilt else "đã có sẵn, khớp với kho kế hoạch"
    embedder = manifest["embedder"]["name"] if manifest["embedder"] else "không dùng"
    took = manifest.get("build_seconds") or 0
    speed = (
        f" Xây dựng trong {took:.0f} giây ({manifest['passages'] / took:.0f} đoạn/giây)."
        if rebuilt and took
        else ""
    )
    return (
        f"Chỉ mục {state}: {manifest['passages']} đoạn, {len(manifest['plans'])} kế hoạch, "
        f"bộ mã hóa {embedder} ({folder}).{speed}"
    )


def reference_written(out, plans: int, passages: int, words: int) -> str:
    return (
        f"Đã ghi thống kê tham chiếu từ {plans} kế hoạch ({passages} đoạn, {words} từ ghép) vào {out}. "
        "Hãy xây lại chỉ mục và khớp lại tham số (python -m assistant fit)."
    )


def fit_written(out, questions: int, dense: float, lexical: float) -> str:
    return f"Đã ghi tham số vào {out} ({questions} câu hỏi; ngưỡng {dense:.3f} / {lexical:.3f})."


def deadlines_text(
    items: list[DueItem], today: date, days: int, places: dict[str, str], plans: Sequence[Plan]
) -> str:
    """A plain list grouped by date in the order of `items` (upcoming, then overdue), under
    the window and the plans looked at (`plans`)."""
    end = date.fromordinal(today.toordinal() + days)
    head = f"Hạn công việc từ {today:%d/%m/%Y} đến {end:%d/%m/%Y}\n📍 {scope_label(plans)}\n"
    if not items:
        return f"{head}Không có hạn nào ở {scope_places(plans)}."
    late = sum(i.overdue for i in items)
    lines = [f"{head}{len(items) - late} mục sắp đến hạn" + (f", {late} mục quá hạn" if late else "") + "."]
    for due, overdue in dict.fromkeys((i.due, i.overdue) for i in items):
        label = day_label(due, today)
        lines += ["", f"⚠️ Quá hạn — {label}" if overdue else f"📅 {label}"]
        for item in (i for i in items if i.due == due and i.overdue == overdue):
            role = "Đơn vị gửi" if item.kind == "report" else "Chủ trì"
            lead = ", ".join(item.lead) or ("các cơ quan, đơn vị" if item.kind == "report" else "chưa nêu")
            where = places.get(item.plan, item.plan)
            lines += [f"  • {item.what}", f"    {role}: {lead} — {where}, {lines_label(item.lines)}"]
    return "\n".join(lines)


def calendar_name(place: str | None, unit: str | None) -> str:
    return " — ".join(["Hạn công việc CCHC", *(x for x in (place, unit) if x)])


def ics_written(count: int, path) -> str:
    return f"Đã ghi {count} hạn công việc vào {path}."


def invalid_date(text: str) -> str:
    return f"ngày «{text}» không hợp lệ, cần dạng YYYY-MM-DD"


def invalid_days(text: str) -> str:
    return f"số ngày «{text}» không hợp lệ, cần số nguyên từ 0 trở lên"


def invalid_year(text: str) -> str:
    return f"năm «{text}» không hợp lệ, cần dạng YYYY (ví dụ 2026)"


def overview_written(communes: int, path) -> str:
    return f"Đã ghi bảng tổng hợp {communes} xã, phường vào {path}."


def feedback_exported(count: int, target: str) -> str:
    """`feedback --export`: how many 👎 were written, and where ("-": standard output)."""
    if not count:
        return "Chưa có phản hồi 👎 nào" + ("." if target == "-" else f": đã ghi tệp rỗng {target}.")
    where = "" if target == "-" else f" vào {target}"
    return f"Đã ghi {count} phản hồi 👎{where}; hãy điền must_contain và evidence (to_fill) cho từng dòng."
