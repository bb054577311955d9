"""Pure rules over blocks -> records: tasks, duties, reports, targets."""

from __future__ import annotations

import re

from assistant.lang.normalize import fold
from assistant.lang.units import find_units
from assistant.parse.deadlines import parse_deadline
from assistant.parse.prose import clean_markup
from assistant.records import Block, Duty, Report, Target, Task, stable_id

_ORG_SECTION = re.compile(r"to chuc thuc hien|trach nhiem|phan cong")
_GENERIC_HEAD = re.compile(r"^(?:trach nhiem chung|phan cong|to chuc thuc hien|trach nhiem to chuc)")
_UNIT_WORDS = re.compile(
    r"^(?:cac\s+)?(?:phong|van phong|trung tam|ban|uy ban|ubnd|chu tich|cong an|quan su|co quan|"
    r"don vi|bo phan|truong|mat tran|cong chuc|doan the|thu truong|lanh dao)\b"
)
_NOT_DUTY = re.compile(r"^(?:trong qua trinh|tren day|noi nhan|de nghi)")
_MARKER = re.compile(
    r"^(?:[IVX]+\.\s*|\d{1,2}(?:\.\d{1,2})*\.\s*|\d{1,2}(?:\.\d{1,2})+\s+|[a-zđ][\).]\s+|[-+•–]\s*)"
)
_PARTNERS = re.compile(
    r"phoi hop\s+(?:voi\s+)?(.{0,120}?)(?:\s+(?:tham muu|thuc hien|to chuc|trinh|de xuat|xay dung|lam ro|"
    r"tham dinh|du tru|trong|tiep tuc|trien khai|ap dung|de|nham|theo doi|huong dan|kiem tra)\b|[.;:]|$)"
)


def strip_marker(text: str) -> str:
    return _MARKER.sub("", text, count=1).strip()


def unit_name(heading: str) -> str:
    """`b. Văn phòng HĐND và UBND xã:` -> `Văn phòng HĐND và UBND xã`."""
    name = strip_marker(clean_markup(heading)).rstrip(" .:;")
    return re.sub(r"^(?:Đề nghị|Giao)\s+", "", name)


def _is_unit_heading(text: str) -> bool:
    name = fold(unit_name(text))
    return bool(find_units(unit_name(text), loose=True)) or bool(_UNIT_WORDS.match(name))


def _role(text: str) -> str:
    f = fold(strip_marker(text))
    if re.match(r"(?:la co quan thuong truc|chu tri|chiu trach nhiem chinh)", f):
        return "lead"
    if f.startswith("phoi hop"):
        return "cooperate"
    return "other"


def _partners(text: str) -> tuple[str, ...]:
    """Units named after "phối hợp (với)" in a duty's text."""
    f = fold(text)
    names: list[str] = []
    for m in _PARTNERS.finditer(f):
        segment = text[m.start(1) : m.end(1)]
        names.extend(u.unit for u in find_units(segment, loose=True))
    return tuple(dict.fromkeys(names))


def _duty_unit(block: Block) -> str | None:
    """The unit a block in an organisation section belongs to."""
    for heading in reversed(block.section):
        if _ORG_SECTION.search(fold(heading)) and not _is_unit_heading(heading):
            break
        if _is_unit_heading(heading) and not _GENERIC_HEAD.match(fold(unit_name(heading))):
            return unit_name(heading)
    body = strip_marker(block.text)
    m = re.match(
        r"(?:Giao\s+)?(.{0,80}?)\s+(?:theo dõi|chủ trì|phối hợp|tham mưu|đẩy mạnh|căn cứ|có trách nhiệm|"
        r"chịu trách nhiệm)",
        body,
    )
    if m and (find_units(m.group(1), loose=True) or _UNIT_WORDS.match(fold(m.group(1)))):
        return m.group(1).strip(" ,")
    return None


def extract_duties(plan_id: str, blocks: list[Block]) -> list[Duty]:
    duties: list[Duty] = []
    for block in blocks:
        if block.kind not in {"item", "paragraph"} or _NOT_DUTY.match(fold(block.text)):
            continue
        if not any(_ORG_SECTION.search(fold(h)) for h in block.section[:1]):
            continue
        unit = _duty_unit(block)
        if not unit:
            continue
        duties.append(
            Duty(
                id=stable_id(plan_id, "duty", block.span.start),
                plan=plan_id,
                section=block.section,
                unit=unit,
                role=_role(block.text),
                text=block.text,
                partners=_partners(block.text),
                span=block.span,
            )
        )
    return duties


# ---------------------------------------------------------------- reports

_REPORT_KINDS = (("quy", "quý"), ("6 thang", "6 tháng"), ("sau thang", "6 tháng"), ("nam", "năm"))
_DUE_RULE = re.compile(
    r"truoc\s+(?:ngay\s+)?\d{1,2}(?:\s+(?:cua\s+)?thang\s+cuoi\s+(?:cua\s+)?quy|\s*/\s*\d{1,2}|\s+thang\s+\d{1,2})"
)
_RECIPIENT = re.compile(
    r"(?:gui\s+)?ve\s+((?:uy ban nhan dan|ubnd|phong|so|van phong)[^,;()]*?)(?=\s*\(|\s+qua\b|\s+de\b|[,;.]|"
    r"$)"
)
_RECIPIENT_NEAR = re.compile(
    r"(?:\bve|\bbao cao|\bgui)\s+((?:so|uy ban nhan dan|ubnd|phong|van phong)\b[^,;()]*?)(?=\s*\(|\s+(?:qua|"
    r"de|truoc)\b|[,;.]|$)"
)
_PERIOD_WORD = r"(?:quy|thang|nam|6 thang|sau thang)"
_FREQ_LIST = re.compile(
    rf"(?:dinh ky|hang|moi)\s+(?:hang\s+)?{_PERIOD_WORD}(?:\s*,\s*{_PERIOD_WORD}|\s+va\s+{_PERIOD_WORD})*"
)
_FREQ_OF = {"quarterly": "quý", "yearly": "năm", "halfyearly": "6 tháng", "monthly": "tháng"}
_VIA = re.compile(r"\bqua\s+((?:phong|van phong|trung tam)[^,;()]*?)(?=\s*\)|\s+de\b|[,;.]|$)")


def _clause(f: str, start: int, floor: int) -> str:
    clause = f[floor:start]
    cut = max(clause.rfind("("), clause.rfind(";"), clause.rfind(". "))
    return clause[cut + 1 :] if cut >= 0 else clause


def _kinds_before(f: str, start: int, floor: int) -> list[str]:
    clause = _clause(f, start, floor)
    kinds = []
    for key, label in _REPORT_KINDS:
        if re.search(rf"\b{key}\b", clause) and label not in kinds:
            kinds.append(label)
    return kinds


def extract_reports(plan_id: str, year: int | None, blocks: list[Block]) -> list[Report]:
    reports: list[Report] = []
    for block in blocks:
        text = block.text
        f = fold(text)
        if "bao cao" not in f or block.kind == "heading":
            continue
        recipient = _RECIPIENT.search(f)
        via = _VIA.search(f)
        rec = text[recipient.start(1) : recipient.end(1)].strip() if recipient else ""
        via_units = find_units(text[via.start(1) :], loose=True) if via else []
        via_text = via_units[0].text if via_units else ""
        floor = 0
        found = False
        rule_rec = rec
        for m in _DUE_RULE.finditer(f):
            due = parse_deadline(text[m.start() : m.end()], year)
            near = list(_RECIPIENT_NEAR.finditer(f, floor, m.start()))
            rule_rec = (
                text[near[-1].start(1) : near[-1].end(1)].strip() if near else (rule_rec if found else rec)
            )
            for kind in _kinds_before(f, m.start(), floor) or [_FREQ_OF.get(due.recurrence, "định kỳ")]:
                reports.append(
                    _report(
                        plan_id,
                        block,
                        f"Báo cáo {kind}",
                        kind,
                        _for_kind(due, kind),
                        rule_rec,
                        via_text,
                        m.start(),
                    )
                )
            floor = m.end()
            found = True
        if not found and re.search(
            r"bao cao dinh ky|dinh ky|bao cao (?:hang|moi) (?:quy|thang|nam)|che do (?:thong tin,? )?bao cao",
            f,
        ):
            freq = _FREQ_LIST.search(f)
            freq_text = text[freq.start() : freq.end()] if freq else ""
            if not (freq_text or rec):
                continue
            due = parse_deadline(freq_text, year) if freq_text else None
            reports.append(_report(plan_id, block, "Báo cáo định kỳ", freq_text, due, rec, via_text, 0))
    return reports


def _for_kind(due, kind: str):
    """A "last month of the quarter" rule applies to a 6-month report in June and
    December only, and to a yearly report in December only."""
    if due is None or due.recurrence != "quarterly":
        return due
    if kind == "6 tháng":
        return due.model_copy(update={"recurrence": "halfyearly"})
    if kind == "năm":
        return due.model_copy(update={"recurrence": "yearly", "month": 12})
    return due


def _report(plan_id, block, what, freq, due, recipient, via, pos) -> Report:
    return Report(
        id=stable_id(plan_id, "report", block.span.start, what, pos),
        plan=plan_id,
        section=block.section,
        what=what,
        frequency=freq,
        due=due,
        recipient=recipient,
        via=via,
        text=block.text,
        span=block.span,
    )


# ---------------------------------------------------------------- targets

_VALUE = re.compile(
    r"(?:(?:từ|tối thiểu|trên|ít nhất|dưới)\s+)?\d+(?:[.,]\d+)?\s?%(?:\s*(?:-|–|đến|"
    r"tới)\s*\d+(?:[.,]\d+)?\s?%)?(?:\s+trở lên)?"
    r"|\b\d+(?:[.,]\d+)*\s+(?:sáng kiến|căn|lượt lao động|tỷ đồng|triệu đồng|hoạt động|chỉ tiêu|nhiệm vụ)\b"
)
_TARGET_SECTION = re.compile(r"chi tieu|muc tieu")


BUDGET_LABEL = "Kinh phí"  # how a table row's text names its funding cell (parse.plan)


def _funding(block: Block) -> str:
    """A table row's funding cell as its text states it ("Kinh phí: 50 triệu đồng"): what
    the task costs, never a target it sets."""
    budget = clean_markup((block.cells or {}).get("budget", "")) if block.kind == "row" else ""
    return f"{BUDGET_LABEL}: {budget}" if budget else ""


def extract_targets(plan_id: str, blocks: list[Block]) -> list[Target]:
    targets: list[Target] = []
    for block in blocks:
        if block.kind == "heading" and not _VALUE.search(block.text):
            continue
        in_section = any(_TARGET_SECTION.search(fold(h)) for h in block.section)
        if not (
            in_section or block.kind == "row" or re.search(r"phan dau|toi thieu|dat\b", fold(block.text))
        ):
            continue
        funding = _funding(block)
        text = block.text.replace(funding, "") if funding else block.text
        for sentence in re.split(r"(?<=[.;])\s+|\(\d+\)\s*", text):
            area = strip_marker(block.section[-1]) if block.section else ""
            for m in _VALUE.finditer(sentence):
                targets.append(
                    Target(
                        id=stable_id(plan_id, "target", block.span.start, sentence[:40], m.start()),
                        plan=plan_id,
                        section=block.section,
                        area=area,
                        indicator=sentence.strip(),
                        value=m.group(0).strip(),
                        span=block.span,
                    )
                )
    return targets


# ---------------------------------------------------------------- tasks


def split_units(cell: str) -> tuple[str, ...]:
    """A lead/cooperating cell -> unit names as written (split at ';' and list dashes)."""
    parts = re.split(r"\s*;\s*|\s+-\s+-\s*|^\s*-\s+", cell or "")
    return tuple(p.strip(" -,.") for p in parts if p and p.strip(" -,."))


_ROW_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s*")  # a task's number: "2.4 ", "2.2.", "2.10. "


def task_from_row(plan_id: str, year: int | None, block: Block) -> Task:
    cells = block.cells or {}
    deadline = parse_deadline(cells.get("deadline", ""), year)
    content = clean_markup(cells.get("content", ""))
    task = _ROW_NUMBER.sub("", clean_markup(cells.get("task", "")), count=1)
    return Task(
        id=stable_id(plan_id, "task", block.span.start),
        plan=plan_id,
        section=block.section,
        label=cells.get("label", ""),
        content=content,
        task=task if task != content else "",
        product=cells.get("product", ""),
        lead=split_units(cells.get("lead", "")),
        cooperating=split_units(cells.get("cooperating", "")),
        deadline=deadline,
        budget=cells.get("budget", ""),
        span=block.span,
    )
