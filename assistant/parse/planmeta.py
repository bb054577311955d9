"""Plan metadata (place, period, number, date, title) from a plan's opening lines."""

from __future__ import annotations

import re

from assistant.lang.normalize import fold
from assistant.records import Plan, stable_id

_CAP = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]"
_NAME = rf"{_CAP}\w*(?:\s+{_CAP}\w*){{0,3}}"
_PLACE = re.compile(rf"\b(xã|phường|thị trấn)\s+({_NAME})")
_NUMBER = re.compile(r"(?:Số|số)\s*:?\s*(\d+\s*/\s*(?:KH|QĐ)-UBND)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_PERIOD = re.compile(r"((?:sáu|06|6)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}|năm\s+\d{4})", re.IGNORECASE)


def plan_id_for(file_name: str) -> str:
    """A readable, stable plan id from the file name: `phuong-rach-gia-2026`."""
    stem = file_name.rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    return slug or stable_id(file_name)


def _title(head: list[str], place: str, period: str) -> str:
    for i, line in enumerate(head):
        if fold(line).strip() == "ke hoach" and i + 1 < len(head):
            return f"Kế hoạch {head[i + 1].strip()}"
        if fold(line).strip().startswith("ke hoach "):
            return line.strip()
    for line in head:
        if "cải cách hành chính" in line.lower() and len(line) < 140:
            return f"Kế hoạch {line.strip()}"
    return f"Kế hoạch cải cách hành chính {place} {period}".strip()


def extract_plan(file_name: str, text: str) -> Plan:
    head = [ln.strip() for ln in text.split("\n")[:60] if ln.strip()]
    head_text = "\n".join(head)
    place_m = _PLACE.search(head_text) or _PLACE.search(text)
    unit_kind, place_name = (place_m.group(1), place_m.group(2).strip()) if place_m else ("", "")
    place = f"{unit_kind} {place_name}".strip()
    period_m = _PERIOD.search(head_text)
    period = period_m.group(1) if period_m else ""
    year_m = re.search(r"\d{4}", period)
    if not year_m:
        year_m = re.search(r"năm\s+(20\d\d)", text)
    year = int(year_m.group(0)[-4:]) if year_m else None
    own = head_text.split("Căn cứ", 1)[0]  # the plan's own number and date come before its bases
    number_m = _NUMBER.search(own)
    date_m = _DATE.search(own)
    date = f"{int(date_m.group(1)):02d}/{int(date_m.group(2)):02d}/{date_m.group(3)}" if date_m else None
    return Plan(
        id=plan_id_for(file_name),
        file=file_name,
        place=place,
        unit_kind=unit_kind,
        period=period,
        year=year,
        number=re.sub(r"\s+", "", number_m.group(1)) if number_m else None,
        date=date,
        title=_with_place(_title(head, place, period), place),
    )


def _with_place(title: str, place: str) -> str:
    if place and fold(place) not in fold(title):
        return f"{title} ({place})"
    return title
