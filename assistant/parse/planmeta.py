"""Plan metadata (place, period, number, date, title) from a plan's opening lines."""

from __future__ import annotations

import re

from assistant.lang.normalize import fold
from assistant.records import PLACE_KINDS, Plan, stable_id

_CAP = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]"
_NAME = rf"{_CAP}\w*(?:\s+{_CAP}\w*){{0,3}}"
_PLACE = re.compile(rf"\b({'|'.join(PLACE_KINDS)})\s+({_NAME})")
# The level above: "UBND tỉnh An Giang", "Ủy ban nhân dân thành phố Cần Thơ", "Sở Nội vụ
# tỉnh ...", a letterhead "UBND THÀNH PHỐ HẢI PHÒNG"; the first one the plan names.
_WORD = rf"{_CAP}[a-zà-ỹđ]+"  # a capitalised word (not an acronym such as "CCHC")
_TITLED = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"  # on one line: a table cell may end in "tỉnh"
_LETTERHEAD = r"(?:UBND|ỦY BAN NHÂN DÂN)[ \t]+"
_UPPER = rf"{_CAP}+(?:[ \t]+{_CAP}+){{0,3}}"
_PROVINCE = re.compile(
    rf"\b(tỉnh|thành phố)[ \t]+({_TITLED})|{_LETTERHEAD}(TỈNH|THÀNH PHỐ)[ \t]+({_UPPER})\b"
)
_DISTRICT = re.compile(
    rf"\b(huyện|thị xã|quận)[ \t]+({_TITLED})|{_LETTERHEAD}(HUYỆN|THỊ XÃ|QUẬN)[ \t]+({_UPPER})\b"
)
_NUMBER = re.compile(r"(?:Số|số)\s*:?\s*(\d+\s*/\s*(?:KH|QĐ)-UBND)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_PERIOD = re.compile(r"((?:sáu|06|6)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}|năm\s+\d{4})", re.IGNORECASE)


def plan_id_for(file_name: str) -> str:
    """A readable, stable plan id from the file name: `phuong-rach-gia-2026`. A name
    whose diacritics the slug would lose ("xã Thạnh An 2026.docx") gets a short hash of
    the name as written, so that "Thạnh An" and "Thanh An" stay two plans."""
    stem = file_name.rsplit(".", 1)[0]
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    if not slug:
        return stable_id(file_name)
    if re.sub(r"[^a-z0-9]+", "", stem.lower()) != re.sub(r"[^a-z0-9]+", "", fold(stem)):
        return f"{slug}-{stable_id(stem)[:4]}"
    return slug


def _level_above(pattern: re.Pattern, text: str) -> str:
    """The first "tỉnh X" / "huyện Y" the text names, in lower-case kind and title-case name."""
    m = pattern.search(text)
    if not m:
        return ""
    kind, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    if name.isupper():
        name = " ".join(w.capitalize() for w in name.lower().split())
    return f"{kind.lower()} {name.strip()}"


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
        province=_level_above(_PROVINCE, text),
        district=_level_above(_DISTRICT, head_text.split("Căn cứ", 1)[0]),
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
