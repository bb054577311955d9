"""The wording of one fact: a `Fact` in, one short Vietnamese line out, with the values
the question asks about marked bold in Markdown (`**...**`), which `answers` keeps for
JSON, strips for plain text and turns into Telegram HTML. Pure functions."""

from __future__ import annotations

import re

from assistant.answer.kinds import leading_expression
from assistant.lang.normalize import collapse, short
from assistant.lang.units import canonical_unit
from assistant.parse.extract import strip_marker
from assistant.records import Deadline, Duty, Fact, Plan, Report, Target, Task


def b(text: str) -> str:
    return f"**{text}**"


def units_text(units) -> str:
    return ", ".join(units)


def format_due(deadline: Deadline) -> str:
    """A deadline as written, with its last day when the plan gives a period."""
    if deadline.kind == "date" and deadline.due:
        return deadline.due.strftime("%d/%m/%Y")
    if deadline.kind == "ongoing":
        return "thường xuyên"
    if deadline.kind in {"month", "quarter", "halfyear", "year"} and deadline.due:
        return f"{deadline.raw} (hạn cuối {deadline.due.strftime('%d/%m/%Y')})"
    return deadline.raw


def deadline_text(deadline: Deadline | None) -> str:
    if not deadline:
        return "không nêu"
    day = deadline.day_of_month
    if deadline.kind == "recurring" and day and deadline.recurrence == "quarterly":
        return (
            f"trước ngày {day:02d} tháng cuối của quý "
            f"({day:02d}/03, {day:02d}/06, {day:02d}/09, {day:02d}/12)"
        )
    if deadline.kind == "recurring" and day and deadline.recurrence == "halfyearly":
        return f"trước ngày {day:02d}/06 và {day:02d}/12"
    if deadline.kind == "recurring" and day and deadline.month:
        return f"trước ngày {day:02d}/{deadline.month:02d}"
    return format_due(deadline)


def task_lead(task: Task) -> str:
    lead = b(units_text(task.lead)) if task.lead else "Chưa nêu đơn vị"
    return _whole_task(task, f"{lead} chủ trì", ("cooperating", "deadline"))


def task_cooperating(task: Task) -> str:
    coop = b(units_text(task.cooperating)) if task.cooperating else "Không nêu đơn vị phối hợp"
    return _whole_task(task, f"Phối hợp: {coop}", ("lead", "deadline"))


def task_deadline(task: Task) -> str:
    return _whole_task(task, f"Thời hạn: {b(deadline_text(task.deadline))}", ("lead", "cooperating"))


def _whole_task(task: Task, first: str, then: tuple[str, ...]) -> str:
    """A task row in one line: the field asked about first, then every other field the row
    gives (lead, cooperating units, deadline, product, funding), then the task itself."""
    parts = [first, *_row_fields(task, (*then, "product", "budget"))]
    return "; ".join(parts) + f". (Nhiệm vụ: {short(task.content, 120)})"


def _row_fields(task: Task, keys: tuple[str, ...]) -> list[str]:
    """The fields `keys` of a task row that the row gives, labelled, in that order."""
    fields = {
        "lead": f"chủ trì: {units_text(task.lead)}" if task.lead else "",
        "cooperating": f"phối hợp: {units_text(task.cooperating)}" if task.cooperating else "",
        "deadline": f"thời hạn: {deadline_text(task.deadline)}" if task.deadline else "",
        "product": f"sản phẩm: {short(task.product, 120)}" if task.product else "",
        "budget": f"kinh phí: {short(task.budget, 80)}" if task.budget else "",
    }
    return [fields[k] for k in keys if fields[k]]


# How much of a duty or of a unit's list of duties the first line states: what one phone
# screen shows of a fact, and within the 500 characters a reader takes in first.
FACT_BODY = 440


ELIDED = "… "  # before an excerpt that does not open its record (`answer.statements.excerpt`)
_SENTENCE_END = re.compile(r"[.!?]\s+")
_CLAUSE_END = re.compile(r"(?<=[.;!?])\s+")


def from_sentence_start(part: str, whole: str, room: int = FACT_BODY) -> str:
    """`part`, an excerpt of a record's text `whole` that may open mid-sentence (at a
    clause after a ";": "… thực hiện cơ chế một cửa, …"), from the start of its sentence,
    so that what the unit must do is read with its verb ("Chủ trì, phối hợp … thực hiện các
    nội dung: cải cách thủ tục hành chính; thực hiện cơ chế một cửa, …"). When the sentence's
    opening and the part's first clause do not fit in `room` characters, the opening is
    shortened and the part follows it after "…". Only the plan's words, in their order."""
    if not part.startswith(ELIDED):
        return part
    body, text = collapse(part[len(ELIDED) :]), collapse(whole)
    at = text.find(body)
    if at <= 0:
        return part
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    if start == at:
        return part  # it opens its sentence
    lead = ELIDED if start else ""
    first = _CLAUSE_END.split(body, maxsplit=1)[0]
    opening = text[start:at].rstrip()
    if len(lead) + len(opening) + 1 + len(first) <= room:
        return lead + text[start:]
    shortened = short(opening, max(room - len(lead) - len(first) - 2, 40))
    return lead + (text[start:] if shortened == opening else f"{shortened} {body}")


def duty_line(duty: Duty, excerpt: str = "") -> str:
    """The unit and what it must do: `excerpt` (the part the question is about) or the
    duty's opening."""
    return f"{b(duty.unit)} — {short(excerpt or strip_marker(duty.text), FACT_BODY)}"


def duty_cooperating(duty: Duty, named: tuple[str, ...], excerpt: str = "") -> str:
    """Name the other side of a cooperation: the duty's unit or its partners."""
    unit_named = (canonical_unit(duty.unit) or duty.unit) in named
    partners = [p for p in duty.partners if p not in named]
    text = short(excerpt or strip_marker(duty.text), FACT_BODY - 60)
    if unit_named and partners:
        return f"Phối hợp với {b(', '.join(partners))} — {duty.unit}: {text}"
    return f"{b(duty.unit)} phối hợp — {text}"


def report_line(report: Report) -> str:
    parts = [b(report.what)]
    if report.due:
        parts.append(f"gửi {b(deadline_text(report.due))}")
    elif report.frequency:
        parts.append(f"định kỳ: {b(report.frequency)}")
    if report.recipient:
        parts.append(f"về {report.recipient}")
    if report.via:
        parts.append(f"(qua {report.via})")
    return " ".join(parts) + "."


def report_frequency(reports: tuple[Report, ...]) -> str:
    """All report kinds of one passage: "Báo cáo định kỳ: quý, 6 tháng, năm"."""
    kinds = []
    for r in reports:
        for k in re.split(r",\s*|\s+và\s+", r.frequency.replace("định kỳ", "")) if r.frequency else []:
            if k.strip() and k.strip() not in kinds:
                kinds.append(k.strip())
    first = reports[0]
    dest = f" về {first.recipient}" if first.recipient else ""
    via = f" (qua {first.via})" if first.via else ""
    return f"Báo cáo định kỳ: {b(', '.join(kinds) or first.frequency or first.what)}{dest}{via}."


def target_line(target: Target, row: Task | None = None) -> str:
    """The value and its indicator; for a target set in a task row, the row's other fields."""
    line = f"Chỉ tiêu: {b(target.value)} — {short(strip_marker(target.indicator), 220)}"
    if row is None:
        return line
    return "; ".join([line.rstrip("."), *_row_fields(row, ("lead", "cooperating", "deadline"))]) + "."


def sentence_fact(sentence: str, intent: str) -> str:
    """Lead with the temporal or numeric expression the question asks for, then the sentence."""
    clean = short(strip_marker(sentence), 420)
    lead = leading_expression(sentence, intent)
    return f"{b(lead)} — {clean}" if lead else clean


def plan_identity(plan: Plan) -> str:
    """`Kế hoạch số 29/KH-UBND ngày 03/02/2026` or, for a plan issued with a decision,
    `ban hành kèm theo Quyết định số 08/QĐ-UBND ngày 06/01/2026`."""
    parts = []
    if plan.number:
        lead = "ban hành kèm theo Quyết định số" if "QĐ" in plan.number else "Kế hoạch số"
        parts.append(f"{lead} {b(plan.number)}")
    if plan.date:
        parts.append(f"ngày {b(plan.date)}")
    return f"{plan.title}: " + " ".join(parts) + "."


def unit_tasks(fact: Fact) -> str:
    """What a unit owes in one plan: its duties (or the tasks it leads), the closest first."""
    verb = "được giao" if fact.owed == "duties" else f"chủ trì {fact.owed_count} nhiệm vụ, trong đó"
    parts: list[str] = []
    for i, item in enumerate(fact.items, 1):
        # each item whole while the room lasts; one that does not fit is cut, the rest left out
        room = FACT_BODY - sum(len(p) + 1 for p in parts) - 4
        if room < 80:
            break
        parts.append(f"({i}) {short(item, room)}")
    return f"{b(fact.unit)} ({fact.place}) {verb}: {' '.join(parts)}"


_BASIS_WORDS = re.compile(r"^căn cứ\s*", re.IGNORECASE)


def basis_line(fact: Fact) -> str:
    bases = short(_BASIS_WORDS.sub("", fact.excerpt), FACT_BODY)
    return f"Kế hoạch ban hành {b('căn cứ')}: {bases}"


def signer_line(fact: Fact) -> str:
    return f"Người ký: {b(fact.unit)} ({short(fact.excerpt, 80)})."


def recipients_line(fact: Fact) -> str:
    return f"Nơi nhận: {b('; '.join(fact.items))}."


def section_line(fact: Fact) -> str:
    """Where a passage sits: the nearest heading in bold, the path above it after."""
    *above, nearest = fact.items
    path = f" (thuộc {' > '.join(above)})" if above else ""
    return f"Thuộc mục {b(nearest)}{path}."


DOCUMENT = {
    "basis": basis_line,
    "signer": signer_line,
    "recipients": recipients_line,
    "section": section_line,
}


def say(fact: Fact) -> str:
    """The fact in one line, values bold in Markdown."""
    if fact.task is not None and fact.kind.startswith("task_"):
        return {"task_lead": task_lead, "task_cooperating": task_cooperating, "task_deadline": task_deadline}[
            fact.kind
        ](fact.task)
    if fact.kind == "duty" and fact.duty is not None:
        return duty_line(fact.duty, fact.excerpt)
    if fact.kind == "duty_cooperating" and fact.duty is not None:
        return duty_cooperating(fact.duty, fact.named_units, fact.excerpt)
    if fact.kind == "report":
        return report_line(fact.reports[0])
    if fact.kind == "report_frequency":
        return report_frequency(fact.reports)
    if fact.kind == "target" and fact.target is not None:
        return target_line(fact.target, fact.task)
    if fact.kind == "identity" and fact.identity is not None:
        return plan_identity(fact.identity)
    if fact.kind == "unit_tasks":
        return unit_tasks(fact)
    if fact.kind in DOCUMENT:
        return DOCUMENT[fact.kind](fact)
    return sentence_fact(fact.excerpt, fact.intent)
