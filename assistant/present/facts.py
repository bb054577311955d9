"""Stating facts from records and sentences: short Vietnamese lines. Pure functions."""

from __future__ import annotations

import re

from assistant.parse.deadlines import format_due
from assistant.records import Deadline, Duty, Report, Target, Task

_FREQ = re.compile(
    r"\b(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần|ngày)\b|\bđịnh kỳ(?:\s+(?:quý|tháng|năm|"
    r"6 tháng)(?:[, ]+(?:và\s+)?(?:quý|tháng|năm|6 tháng))*)?|\bthường xuyên\b|\bđột xuất\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}(?:/\d{4})?\b|\bngày\s+\d{1,2}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|\b(?:tháng|quý)\s+[\dIVX]+\b(?:/\d{4}|\s+năm\s+\d{4})?",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)\s*đồng", re.IGNORECASE)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")


def b(text: str) -> str:
    return f"**{text}**"


def units_text(units) -> str:
    return ", ".join(units)


def short(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


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
    parts = [f"{lead} chủ trì"]
    if task.cooperating:
        parts.append(f"phối hợp: {units_text(task.cooperating)}")
    if task.deadline:
        parts.append(f"thời hạn: {deadline_text(task.deadline)}")
    return "; ".join(parts) + f". (Nhiệm vụ: {short(task.content, 120)})"


def task_cooperating(task: Task) -> str:
    coop = b(units_text(task.cooperating)) if task.cooperating else "Không nêu đơn vị phối hợp"
    lead = f"; chủ trì: {units_text(task.lead)}" if task.lead else ""
    due = f"; thời hạn: {deadline_text(task.deadline)}" if task.deadline else ""
    return f"Phối hợp: {coop}{lead}{due}. (Nhiệm vụ: {short(task.content, 120)})"


def task_deadline(task: Task) -> str:
    lead = f"; chủ trì: {units_text(task.lead)}" if task.lead else ""
    return f"Thời hạn: {b(deadline_text(task.deadline))}{lead}. (Nhiệm vụ: {short(task.content, 120)})"


def duty_line(duty: Duty, excerpt: str = "") -> str:
    """The unit and what it must do: `excerpt` (the part the question is about) or the
    duty's opening."""
    return f"{b(duty.unit)} — {short(excerpt or _strip(duty.text), 300)}"


def duty_cooperating(duty: Duty, named: tuple[str, ...], excerpt: str = "") -> str:
    """Name the other side of a cooperation: the duty's unit or its partners."""
    from assistant.lang.units import canonical_unit

    unit_named = (canonical_unit(duty.unit) or duty.unit) in named
    partners = [p for p in duty.partners if p not in named]
    text = short(excerpt or _strip(duty.text), 280)
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


def report_frequency(reports: list[Report]) -> str:
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


def target_line(target: Target) -> str:
    return f"Chỉ tiêu: {b(target.value)} — {short(_strip(target.indicator), 220)}"


def _strip(text: str) -> str:
    from assistant.parse.extract import strip_marker

    return strip_marker(text)


def sentence_fact(sentence: str, intent: str) -> str:
    """Lead with the temporal or numeric expression the question asks for, then the sentence."""
    clean = short(_strip(sentence), 420)
    patterns = {"deadline": (_FREQ, _DATE), "report_deadline": (_DATE, _FREQ), "target": (_PERCENT, _MONEY)}
    for pattern in patterns.get(intent, ()):
        m = pattern.search(sentence)
        if m:
            return f"{b(m.group(0))} — {clean}"
    return clean


def plan_identity(plan) -> str:
    """`Kế hoạch số 29/KH-UBND ngày 03/02/2026` or, for a plan issued with a decision,
    `ban hành kèm theo Quyết định số 08/QĐ-UBND ngày 06/01/2026`."""
    parts = []
    if plan.number:
        lead = "ban hành kèm theo Quyết định số" if "QĐ" in plan.number else "Kế hoạch số"
        parts.append(f"{lead} {b(plan.number)}")
    if plan.date:
        parts.append(f"ngày {b(plan.date)}")
    return f"{plan.title}: " + " ".join(parts) + "."


def has_kind(text: str, wants: str | None) -> bool:
    """Whether `text` holds the kind of value the question asks for."""
    if wants == "money":
        return bool(_MONEY.search(text))
    if wants == "percent":
        return bool(_PERCENT.search(text))
    if wants == "number":
        return bool(re.search(r"\d", text))
    if wants == "date":
        return bool(_DATE.search(text)) or bool(re.search(r"\d{1,2}/\d{1,2}", text))
    return True
