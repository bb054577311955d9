"""Records read from the real plans: tasks, duties, reports, deadlines, targets, plans, units.

Every expected value here was read from the plan files by eye (line numbers in comments)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.lang.normalize import collapse, fold
from assistant.lang.units import canonical_unit, find_units, fold_same_length, same_unit
from assistant.parse.deadlines import occurrences, parse_deadline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RG, KL, TT, TA, VT = (
    "phuong-rach-gia-2026",
    "xa-ky-lac-2025",
    "xa-thai-tan-2025",
    "xa-thanh-an-2026",
    "xa-vinh-thinh-2026",
)
VHXH = "Phòng Văn hóa – Xã hội"
VP = "Văn phòng HĐND và UBND"
TTHCC = "Trung tâm Phục vụ hành chính công"


def units_of(names) -> set[str | None]:
    return {canonical_unit(n) for n in names}


def task_by_content(plan, start: str):
    found = [t for t in plan.tasks if t.content.startswith(start)]
    assert len(found) == 1, [t.content[:60] for t in found]
    return found[0]


# ================================================================ Rạch Giá appendix (TSV)


def _groups_read_from_file() -> list[tuple[str, int | None, int]]:
    """(group line, stated count, numbered rows) read from the appendix by a plain scan."""
    groups: list[list] = []
    for line in (CORPUS / f"{RG}.txt").read_text(encoding="utf-8").split("\n"):
        first = line.split("\t")[0].strip()
        if re.fullmatch(r"(?:I{1,3}|IV|VI{0,3})(?:\s+\S.*)?", first) and "\t" in line:
            count = re.search(r"\((\d+) nhiệm vụ\)", line)
            groups.append([collapse(line), int(count.group(1)) if count else None, 0])
        elif re.fullmatch(r"\d+", first) and "\t" in line and groups:
            groups[-1][2] += 1
    return [tuple(g) for g in groups]


def test_rach_gia_one_task_per_numbered_row(plans):
    groups = _groups_read_from_file()
    assert len(groups) == 8
    assert sum(rows for _, _, rows in groups) == 76
    assert len(plans[RG].tasks) == 76


def test_rach_gia_group_counts_match_the_stated_number(plans):
    tasks = plans[RG].tasks
    titles = list(dict.fromkeys(t.section[-1] for t in tasks))  # groups in file order
    groups = _groups_read_from_file()
    assert len(titles) == len(groups)
    stated = 0
    for title, (line, count, rows) in zip(titles, groups):
        assert collapse(title) in line
        in_group = [t for t in tasks if t.section[-1] == title]
        assert len(in_group) == rows
        assert [t.label for t in in_group] == [str(i) for i in range(1, rows + 1)]
        if count is not None:
            stated += 1
            assert len(in_group) == count, title
    assert stated == 7  # every group but "IV CÁCH THỨC ĐỘ CÔNG VỤ" states its count


def test_rach_gia_counts_agree_with_the_table_parser(plans):
    from assistant.parse.tsv import parse_tsv_tables

    text = (CORPUS / f"{RG}.txt").read_text(encoding="utf-8")
    groups = parse_tsv_tables(text)
    assert [g.stated_count for g in groups] == [8, 6, 5, None, 7, 11, 26, 8]
    for g in groups:
        if g.stated_count is not None:
            assert len(g.rows) == g.stated_count, g.title


def test_rach_gia_tasks_sit_in_the_appendix(plans):
    text = (CORPUS / f"{RG}.txt").read_text(encoding="utf-8")
    for t in plans[RG].tasks:
        assert t.section[0] == "Phụ lục"
        row = text[t.span.start : t.span.end]
        assert row.split("\t")[0].strip() == t.label
        assert collapse(t.content)[:40] in collapse(re.sub(r"<[^>]*>", " ", row))


def test_rach_gia_digital_transformation_plan(plans):
    # line 223: 1 | Kế hoạch Chuyển đổi số năm 2026 | Kế hoạch | Phòng Văn hóa – xã hội | ... | 31/01/2026
    t = task_by_content(plans[RG], "Kế hoạch Chuyển đổi số năm 2026")
    assert t.product == "Kế hoạch"
    assert units_of(t.lead) == {VHXH}
    assert t.cooperating == ("Các phòng, ban, ngành",)
    assert (t.deadline.kind, t.deadline.due) == ("date", date(2026, 1, 31))
    assert t.span.line_start == 223


def test_rach_gia_inspection_plan_due_end_of_june(plans):
    # line 280: ... | Các phòng, ban, ngành và các đơn vị sự nghiệp công lập | Hoàn thành 30/6/2026
    t = task_by_content(plans[RG], "Kế hoạch kiểm tra cải cách hành chính năm 2026 của phường")
    assert units_of(t.lead) == {VHXH}
    assert t.cooperating == ("Các phòng, ban, ngành và các đơn vị sự nghiệp công lập",)
    assert t.deadline.raw == "Hoàn thành 30/6/2026"
    assert (t.deadline.kind, t.deadline.due) == ("date", date(2026, 6, 30))


def test_rach_gia_quarter_recurring_and_ongoing_rows(plans):
    p = plans[RG]
    training = task_by_content(p, "Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ")  # line 203
    assert (training.deadline.raw, training.deadline.kind, training.deadline.due) == (
        "Quý 1/2026",
        "quarter",
        date(2026, 3, 31),
    )
    assessment = task_by_content(p, "Tham mưu Ủy ban nhân dân phường đánh giá")  # line 196
    assert assessment.deadline.kind == "recurring"
    assert assessment.deadline.recurrence == "quarterly"
    assert occurrences(assessment.deadline, 2026) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    publish = task_by_content(p, "Công bố, công khai thủ tục hành chính")  # line 191
    assert units_of(publish.lead) == {TTHCC}
    assert (publish.deadline.raw, publish.deadline.kind, publish.deadline.due) == (
        "Thường xuyên",
        "ongoing",
        None,
    )
    ongoing = [t for t in p.tasks if t.deadline and t.deadline.raw == "Thường xuyên"]
    assert ongoing and all(t.deadline.kind == "ongoing" and t.deadline.due is None for t in ongoing)


def test_rach_gia_two_month_window_ends_in_february(plans):
    # line 186: "Hoàn thành tháng 1 - 2/2026"
    t = task_by_content(plans[RG], "Ban hành kế hoạch thực hiện hoạt động kiểm soát thủ tục")
    assert (t.deadline.kind, t.deadline.due) == ("month", date(2026, 2, 28))


def test_rach_gia_row_cut_by_a_page_break_is_joined(plans):
    # lines 250-253: "Tỷ lệ hộ nghèo theo chuẩn đa chiều dưới" ... header ... "\t1%"
    t = task_by_content(plans[RG], "Tỷ lệ hộ nghèo theo chuẩn đa chiều")
    assert t.content.endswith("dưới 1%")
    assert (t.span.line_start, t.span.line_end) == (250, 253)


def test_rach_gia_lead_cells_naming_two_units(plans):
    p = plans[RG]
    # line 233: "- Văn phòng UBND - - Phòng Văn hóa – Xã hội"
    t = task_by_content(p, "Thực hiện chỉ đạo, điều hành, quản trị nội bộ")
    assert units_of(t.lead) == {"Văn phòng UBND", VHXH} and len(t.lead) == 2
    # line 226: "Trung tâm phục vụ hành chính công; Các cơ quan chuyên môn" and no partner
    t = task_by_content(p, "Số hóa kết quả giải quyết thủ tục hành chính")
    assert t.lead == ("Trung tâm phục vụ hành chính công", "Các cơ quan chuyên môn")
    assert t.cooperating == ()


def test_rach_gia_hyphenated_office_name_is_one_lead(plans):
    # line 264: 21 | Tỷ lệ giải quyết đơn thư khiếu nại ... | Văn phòng HĐND - UBND | ...
    t = task_by_content(plans[RG], "Tỷ lệ giải quyết đơn thư khiếu nại")
    assert len(t.lead) == 1, t.lead
    assert canonical_unit(t.lead[0]) == VP


def test_rach_gia_tasks_of_the_office_by_alias(library):
    # Rows naming Văn phòng HĐND và UBND (lines 175-180, 184 "HDND", 264 "HĐND - UBND")
    expected = {175, 176, 177, 178, 179, 180, 184, 264}
    for alias in ("Văn phòng HĐND và UBND", "van phong hdnd-ubnd", "VP HĐND và UBND"):
        lines = {t.span.line_start for t in library.tasks(plan="rach gia", unit=alias)}
        assert expected <= lines, (alias, sorted(expected - lines))


# ================================================================ Kỳ Lạc appendix (flattened)

# Activities per group, read from lines 799-3569 (numbering restarts in some groups).
KL_ACTIVITIES = {
    "I": [f"3.{i}" for i in range(1, 14)],
    "II": [f"3.{i}" for i in range(14, 19)],
    "III": ["3.1", "3.2", "3.3", "2.4"] + [f"3.{i}" for i in range(4, 15)],
    "IV": ["2.1"],
    "V": ["3.1", "2.2"],
    "VI": [f"3.{i}" for i in range(1, 8)],
    "VII": ["2.1", "2.2", "1.5", "3.1", "3.2"],
}
# Rows without a 3.x activity carry their own cells on the task (2.x) or objective (1.x)
# cell: III 2.4 (lines 1881-1903), IV 2.1 (2555-2710), V 2.2 (2777-2827), VII 2.1
# (3307-3343), VII 2.2 (3345-3368, no lead) and VII 1.5 (3378-3416).
# Rows whose lead / deadline cells are empty in the plan itself (read by eye):
# III 3.7 (lines 2112-2164) has neither; VI 3.5 (3146-3164) and VII 3.2 (3537-3569) no lead.
KL_NO_LEAD = {("III", "3.7"), ("VI", "3.5"), ("VII", "3.2"), ("VII", "2.2")}
KL_NO_DEADLINE = {("III", "3.7")}


def _roman(task) -> str:
    return task.section[1].split()[0]


def test_ky_lac_every_activity_is_a_task(plans):
    tasks = plans[KL].tasks
    got: dict[str, list[str]] = {}
    for t in tasks:
        got.setdefault(_roman(t), []).append(t.label)
    assert got == KL_ACTIVITIES


def test_ky_lac_tasks_have_lead_and_deadline(plans):
    text = (CORPUS / f"{KL}.txt").read_text(encoding="utf-8")
    for t in plans[KL].tasks:
        key = (_roman(t), t.label)
        assert t.section[0] == "Phụ lục"
        assert t.content and not re.match(r"[123]\.\d", t.content), key
        assert re.search(
            rf"{re.escape(t.label)}\.?\s*{re.escape(t.content.split()[0])}", text[t.span.start : t.span.end]
        ), key
        if key not in KL_NO_LEAD:
            assert t.lead, key
        if key not in KL_NO_DEADLINE:
            assert t.deadline is not None and t.deadline.kind != "unknown", key
    warned = {w.line for w in plans[KL].warnings}
    incomplete = {t.span.line_start for t in plans[KL].tasks if (_roman(t), t.label) in KL_NO_LEAD}
    assert incomplete <= warned


KL_ROWS = [
    # lines 851-893
    ("I", "3.1", VHXH, "Các phòng chủ trì CCHC của xã", "Ngày 25/7/2025", "date", date(2025, 7, 25)),
    # lines 906-925
    ("I", "3.3", VHXH, "Các phòng chủ trì CCHC của xã", "Tháng 07/2025", "month", date(2025, 7, 31)),
    # lines 1103-1179
    (
        "I",
        "3.7",
        VHXH,
        "Các cơ quan chủ trì CCHC của xã, các phòng chuyên môn được kiểm tra",
        "Quý III/2025",
        "quarter",
        date(2025, 9, 30),
    ),
    # lines 1467-1509
    ("II", "3.17", VP, "Các phòng, ban, đoàn thể xã", "Quý IV năm 2025", "quarter", date(2025, 12, 31)),
    # lines 1640-1692
    ("III", "3.1", TTHCC, "Văn phòng HĐND-UBND xã", "Tháng 7/2025", "month", date(2025, 7, 31)),
    # lines 2742-2763
    ("V", "3.1", VHXH, "Các phòng chuyên môn", "Năm 2025", "year", date(2025, 12, 31)),
    # lines 3440-3478: "Quý I-IV năm 2025" runs through the fourth quarter
    ("VII", "3.1", VHXH, "Các phòng chuyên môn", "Quý I-IV năm 2025", None, date(2025, 12, 31)),
]


@pytest.mark.parametrize(
    "roman,label,lead,cooperating,raw,kind,due", KL_ROWS, ids=[f"{r[0]}-{r[1]}" for r in KL_ROWS]
)
def test_ky_lac_rows_read_by_eye(plans, roman, label, lead, cooperating, raw, kind, due):
    [t] = [t for t in plans[KL].tasks if (_roman(t), t.label) == (roman, label)]
    assert units_of(t.lead) == {lead}
    if cooperating:
        assert t.cooperating == (cooperating,)
    assert t.deadline.raw == raw
    if kind:
        assert t.deadline.kind == kind
    assert t.deadline.due == due


def test_ky_lac_rows_without_cooperating_units(plans):
    # I 3.12 (lines 1212-1225) and I 3.13 (1249-1259) name a single unit and no partner.
    rows = {t.label: t for t in plans[KL].tasks if _roman(t) == "I"}
    assert rows["3.13"].lead and units_of(rows["3.13"].lead) == {VHXH}
    assert rows["3.13"].cooperating == ()
    assert rows["3.12"].cooperating == ()


def test_ky_lac_unnumbered_row_with_lead_and_deadline_is_a_task(plans):
    # Group IV, lines 2551-2661: task 2.1 "Tăng cường công tác kiểm tra, đánh giá ... tinh giản
    # biên chế", product "Văn bản đôn đốc/hướng dẫn", lead "Phòng VHXH", deadline "Theo lộ trình
    # đề án được phê duyệt" -- a full row of the plan without a 3.x activity number.
    found = [
        t for t in plans[KL].tasks if t.deadline and fold(t.deadline.raw).startswith("theo lo trinh de an")
    ]
    assert found, "the group IV row of Kỳ Lạc yields no task"
    assert units_of(found[0].lead) == {VHXH}


# ================================================================ duties


def test_every_plan_has_duties_inside_its_organisation_section(plans):
    assert len(plans) == 5
    for pid, p in plans.items():
        assert p.duties, pid
        for d in p.duties:
            assert re.search(r"to chuc thuc hien|trach nhiem|phan cong", fold(d.section[0])), (pid, d.section)
            assert not re.match(r"(trên đây|nơi nhận)", d.text.lower()), (pid, d.text[:40])
            assert d.unit and d.text


def test_vinh_thinh_office_leads_institutional_reform(plans):
    # line 154: "- Chủ trì, phối hợp ... thực hiện các nội dung về cải cách thể chế."
    found = [
        d
        for d in plans[VT].duties
        if canonical_unit(d.unit) == VP and d.role == "lead" and "cải cách thể chế" in d.text
    ]
    assert len(found) == 1
    assert found[0].span.line_start == 154


def test_vinh_thinh_inline_heading_names_the_culture_office(plans):
    # line 134 ends with "**a) Phòng văn hóa, xã hội**"; the bullets below (136-144) are its duties
    duties = [d for d in plans[VT].duties if 136 <= d.span.line_start <= 144]
    assert len(duties) == 5
    assert units_of(d.unit for d in duties) == {VHXH}


def test_vinh_thinh_partners_are_only_the_units_after_phoi_hop(plans):
    # line 156: "Chủ trì, phối hợp với các phòng, ban, bộ phận có liên quan tiếp tục triển khai
    # ... ISO 9001:2015 vào hoạt động của các phòng, ban, trung tâm phục vụ hành chính công."
    # The centre is where ISO is applied, not a partner.
    [d] = [d for d in plans[VT].duties if d.span.line_start == 156]
    assert d.role == "lead"
    assert TTHCC not in d.partners


def test_thai_tan_economy_office_leads_with_two_partners(plans):
    # line 258: "- Chủ trì, phối hợp với Phòng Văn hóa - Xã hội, Văn phòng Hội đồng nhân dân và
    # Ủy ban nhân dân xã trình Ủy ban nhân dân xã phê duyệt kinh phí ..."
    found = [
        d
        for d in plans[TT].duties
        if canonical_unit(d.unit) == "Phòng Kinh tế" and d.role == "lead" and {VHXH, VP} <= set(d.partners)
    ]
    assert len(found) == 1
    assert found[0].span.line_start == 258


def test_thanh_an_culture_office_is_the_standing_agency(plans):
    # lines 274-282: "2. Phòng Văn hóa - Xã hội" / "- Là cơ quan thường trực tham mưu về công tác CCHC"
    [d] = [d for d in plans[TA].duties if "Là cơ quan thường trực" in d.text]
    assert canonical_unit(d.unit) == VHXH
    assert d.role == "lead"
    assert d.section[0] == "V. TỔ CHỨC THỰC HIỆN"


def test_rach_gia_culture_office_monitors_the_plan(plans):
    # line 136: "2. Giao Phòng Văn hóa – Xã hội theo dõi, đôn đốc, kiểm tra và phối hợp ..."
    found = [d for d in plans[RG].duties if "theo dõi, đôn đốc, kiểm tra" in d.text]
    assert len(found) == 1
    assert canonical_unit(found[0].unit) == VHXH


def test_ky_lac_chairman_applies_decision_54(plans):
    # lines 658-685: "2. Chủ tịch UBND xã" / "2.2. Thực hiện nghiêm quy định tại Quyết định số
    # 54/2019/QĐ-UBND ..."
    found = [d for d in plans[KL].duties if "54/2019/QĐ-UBND" in d.text]
    assert len(found) == 1
    assert found[0].unit == "Chủ tịch UBND xã"


def test_duties_by_unit_alias(library):
    with_accents = library.duties(plan="thai tan", unit="Phòng Văn hóa - Xã hội")
    without = library.duties(plan="thai tan", unit="phong vhxh")
    assert with_accents and [d.id for d in with_accents] == [d.id for d in without]
    assert all(d.plan == TT for d in with_accents)


# ================================================================ reports


def _reports(plan, what=None, recipient=None):
    return [
        r
        for r in plan.reports
        if (what is None or r.what == what) and (recipient is None or recipient in fold(r.recipient))
    ]


def test_vinh_thinh_quarterly_report_rule(plans):
    # line 132: "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 08 tháng cuối của quý" ... "gửi về Ủy
    # ban nhân dân xã qua phòng văn hóa, xã hội"
    [r] = _reports(plans[VT], "Báo cáo quý", "uy ban nhan dan xa")
    assert (r.due.kind, r.due.recurrence, r.due.day_of_month) == ("recurring", "quarterly", 8)
    assert canonical_unit(r.via) == VHXH
    assert occurrences(r.due, 2026) == [
        date(2026, 3, 8),
        date(2026, 6, 8),
        date(2026, 9, 8),
        date(2026, 12, 8),
    ]


def test_vinh_thinh_yearly_report_due_december_8(plans):
    # line 132: "báo cáo năm gửi trước ngày 08/12"
    [r] = _reports(plans[VT], "Báo cáo năm", "uy ban nhan dan xa")
    assert (r.due.recurrence, r.due.day_of_month, r.due.month) == ("yearly", 8, 12)
    assert r.due.due == date(2026, 12, 8)


def test_vinh_thinh_rules_towards_the_home_affairs_department(plans):
    # line 132: "tổng hợp báo cáo sở Nội vụ trước ngày 10 tháng cuối của quý, và báo cáo năm
    # trước 10 tháng 12"
    quarterly = _reports(plans[VT], "Báo cáo quý", "so noi vu")
    yearly = _reports(plans[VT], "Báo cáo năm", "so noi vu")
    assert len(quarterly) == 1 and len(yearly) == 1
    assert (quarterly[0].due.recurrence, quarterly[0].due.day_of_month) == ("quarterly", 10)
    assert occurrences(quarterly[0].due, 2026)[0] == date(2026, 3, 10)
    assert (yearly[0].due.day_of_month, yearly[0].due.month, yearly[0].due.due) == (
        10,
        12,
        date(2026, 12, 10),
    )


def test_vinh_thinh_half_year_report_is_not_due_every_quarter(plans):
    # line 132: "báo cáo 6 tháng gửi trước ngày 08 tháng cuối của quý": a half-year report is due
    # on 8 June (end of the first half), never in March or September.
    [r] = _reports(plans[VT], "Báo cáo 6 tháng", "uy ban nhan dan xa")
    dates = occurrences(r.due, 2026)
    assert date(2026, 6, 8) in dates
    assert date(2026, 3, 8) not in dates and date(2026, 9, 8) not in dates


def test_thai_tan_yearly_report_to_the_culture_office(plans):
    # line 228: "(báo cáo năm gửi trước ngày 10/12) về Phòng Văn hóa - Xã hội"
    [r] = _reports(plans[TT], "Báo cáo năm")
    assert canonical_unit(r.recipient) == VHXH
    assert (r.due.day_of_month, r.due.month, r.due.due) == (10, 12, date(2025, 12, 10))
    assert r.span.line_start == 228


def test_thanh_an_periodic_report_to_the_commune(plans):
    # line 240: "Báo cáo định kỳ quý, 6 tháng và năm ... về UBND xã (qua phòng Văn hóa - Xã hội)"
    # (line 258 holds a second, quarterly rule for the units leading a CCHC field)
    [r] = [x for x in plans[TA].reports if x.span.line_start == 240]
    assert fold(r.recipient) == "ubnd xa"
    assert canonical_unit(r.via) == VHXH
    assert "quý" in r.frequency and "6 tháng" in r.frequency and "năm" in r.frequency


def test_rach_gia_periodic_report_rule_is_read(plans):
    # line 134: "Định kỳ hằng quý, 6 tháng và năm báo cáo về UBND phường (qua phòng Văn hóa – Xã
    # hội) để theo dõi tổng hợp"
    found = [r for r in plans[RG].reports if r.span.line_start == 134]
    assert found, "Rạch Giá's periodic reporting rule (line 134) yields no report"
    assert any("ubnd phuong" in fold(r.recipient) for r in found)
    assert any("quý" in r.frequency for r in found)


# ================================================================ deadlines

DEADLINES = [
    # raw, plan year, kind, due
    ("Ngày 25/7/2025", 2025, "date", date(2025, 7, 25)),
    ("Tháng 07/2025", 2025, "month", date(2025, 7, 31)),
    ("Quý III/2025", 2025, "quarter", date(2025, 9, 30)),
    ("Quý IV năm 2025", 2025, "quarter", date(2025, 12, 31)),
    ("Quý 4/2026", 2026, "quarter", date(2026, 12, 31)),
    ("Quý 1/2026", 2026, "quarter", date(2026, 3, 31)),
    ("Năm 2026", 2026, "year", date(2026, 12, 31)),
    ("Năm 2026 (khi có đề nghị của cơ quan chủ quản)", 2026, "year", date(2026, 12, 31)),
    ("Hoàn thành 30/6/2026", 2026, "date", date(2026, 6, 30)),
    ("31/01/2026", 2026, "date", date(2026, 1, 31)),
    ("31/8/2026", 2026, "date", date(2026, 8, 31)),
    ("Hoàn thành tháng 1 - 2/2026", 2026, "month", date(2026, 2, 28)),
    ("Hoàn thành tháng 11/2026", 2026, "month", date(2026, 11, 30)),
    ("01/2026", 2026, "month", date(2026, 1, 31)),
    ("Thường xuyên", 2026, "ongoing", None),
    ("Hàng Quý", 2026, "recurring", None),
    ("trước ngày 08 tháng cuối của quý", 2026, "recurring", None),
    ("báo cáo năm gửi trước ngày 08/12", 2026, "recurring", date(2026, 12, 8)),
    ("Theo lộ trình đề án", 2025, "relative", None),
    ("Theo lộ trình đề án được phê duyệt", 2025, "relative", None),
    ("Hoàn thành theo thời gian Sở Nội vụ quy định", 2026, "relative", None),
    ("6 tháng cuối năm 2025", 2025, "halfyear", date(2025, 12, 31)),
    ("06 tháng cuối năm 2025", 2025, "halfyear", date(2025, 12, 31)),  # Kỳ Lạc III 3.14
    ("Quý I-IV năm 2025", 2025, "quarter", date(2025, 12, 31)),  # Kỳ Lạc VII 3.1
]


@pytest.mark.parametrize("raw,year,kind,due", DEADLINES, ids=[fold(d[0]) for d in DEADLINES])
def test_parse_deadline(raw, year, kind, due):
    d = parse_deadline(raw, year)
    assert d.raw == raw
    assert (d.kind, d.due) == (kind, due)


def test_recurring_rules_carry_their_pattern():
    q = parse_deadline("trước ngày 08 tháng cuối của quý", 2026)
    assert (q.recurrence, q.day_of_month) == ("quarterly", 8)
    y = parse_deadline("báo cáo năm gửi trước ngày 08/12", 2026)
    assert (y.recurrence, y.day_of_month, y.month) == ("yearly", 8, 12)
    assert occurrences(y, 2027) == [date(2027, 12, 8)]
    assert parse_deadline("Hàng Quý", 2026).recurrence == "quarterly"


def test_year_comes_from_the_phrase_not_the_plan():
    assert parse_deadline("Quý III/2025", 2026).due == date(2025, 9, 30)
    assert parse_deadline("Hoàn thành 30/6/2026", 2025).due == date(2026, 6, 30)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_empty_deadline_is_none(raw):
    assert parse_deadline(raw, 2026) is None


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789/ -.QuýIVXthángnămNgàyHoànhtrước08quý\t")), max_size=40),
    st.one_of(st.none(), st.integers(1990, 2100)),
)
def test_parse_deadline_never_raises(raw, year):
    d = parse_deadline(raw, year)
    if d is not None:
        assert d.kind in {
            "date",
            "month",
            "quarter",
            "halfyear",
            "year",
            "recurring",
            "ongoing",
            "relative",
            "unknown",
        }


# ================================================================ targets


def _values(plan) -> list[str]:
    return [t.value for t in plan.targets]


def test_ky_lac_initiatives_target(plans):
    # line 98: "1.3. Phấn đấu ít nhất có 03 sáng kiến (hoặc giải pháp mới) về CCHC"
    found = [t for t in plans[KL].targets if t.value == "03 sáng kiến"]
    assert found and found[0].span.line_start == 98
    assert fold(found[0].area) == "chi dao dieu hanh cchc"


def test_thai_tan_on_time_range_target(plans):
    # line 65: "- Phân đầu từ 95% -100% số hồ sơ TTHC được trả kết quả giải quyết đúng hạn"
    found = [t for t in plans[TT].targets if "95% -100%" in t.value]
    assert len(found) == 1 and found[0].span.line_start == 65
    assert "đúng hạn" in found[0].indicator


def test_vinh_thinh_targets(plans):
    # lines 24-30 under "II. CHỈ TIÊU THỰC HIỆN": 100% (24, 26, 28) and "90% trở lên" (30)
    by_line = {t.span.line_start: t.value for t in plans[VT].targets}
    assert by_line[24] == by_line[26] == by_line[28] == "100%"
    assert by_line[30] == "90% trở lên"
    assert all(t.section[0] == "II. CHỈ TIÊU THỰC HIỆN" for t in plans[VT].targets)


def test_target_values_come_from_their_indicator(plans):
    for p in plans.values():
        for t in p.targets:
            assert t.value in t.indicator, (p.plan.id, t.value, t.indicator[:60])


# ================================================================ plans

PLAN_FACTS = {
    # id: (place, unit kind, year, half-year words or None, number, date)  -- first lines
    RG: ("phường Rạch Giá", "phường", 2026, None, "29/KH-UBND", "03/02/2026"),  # lines 3-8
    KL: ("xã Kỳ Lạc", "xã", 2025, None, None, None),  # line 1
    TT: ("xã Thái Tân", "xã", 2025, "sau thang cuoi", None, None),  # lines 3-7
    TA: ("xã Thạnh An", "xã", 2026, None, None, None),  # line 3
    VT: ("xã Vĩnh Thịnh", "xã", 2026, None, "08/QĐ-UBND", "06/01/2026"),  # lines 5-7
}


@pytest.mark.parametrize("pid", sorted(PLAN_FACTS))
def test_plan_metadata(plans, pid):
    place, kind, year, half, number, when = PLAN_FACTS[pid]
    plan = plans[pid].plan
    assert (plan.place, plan.unit_kind, plan.year) == (place, kind, year)
    assert plan.file == f"{pid}.txt"
    if half:
        assert half in fold(plan.period) and str(year) in plan.period
    else:
        assert re.fullmatch(rf"(?:năm )?{year}", plan.period), plan.period
    assert plan.number == number
    assert plan.date == when
    assert fold(place) in fold(plan.title)


# ================================================================ unit lexicon


@pytest.mark.parametrize(
    "canonical,aliases",
    [
        (
            VHXH,
            [
                "Phòng VHXH",
                "Văn hóa - Xã hội",
                "văn hóa, xã hội",
                "Văn hoá – Xã hội",
                "phong van hoa xa hoi",
                "Phòng Văn hóa – xã hội",
                "phòng văn hóa, xã hội",
            ],
        ),
        (
            VP,
            [
                "Văn phòng HĐND và UBND",
                "Văn phòng HĐND-UBND",
                "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
                "Văn phòng HDND và UBND",
                "van phong hdnd-ubnd",
            ],
        ),
        (
            TTHCC,
            [
                "Trung tâm Phục vụ hành chính công",
                "Trung tâm HCC",
                "TTPVHC",
                "Trung tâm PVHCC xã",
                "Trung tâm phục vụ HCC phường",
                "trung tam phuc vu hanh chinh cong",
            ],
        ),
    ],
)
def test_aliases_map_to_one_unit(canonical, aliases):
    for alias in aliases:
        assert canonical_unit(alias) == canonical, alias
    for a in aliases:
        assert same_unit(a, aliases[0])


def test_distinct_units_stay_distinct():
    assert not same_unit("Phòng VHXH", "Phòng Kinh tế")
    assert not same_unit("Văn phòng HĐND và UBND", "Trung tâm HCC")
    assert canonical_unit("Phòng Kinh tế, Hạ tầng và Đô thị") != canonical_unit("Phòng Kinh tế")
    assert canonical_unit("Kế hoạch cải cách hành chính") is None


def test_find_units_spans_point_at_the_words():
    s = (
        "Giao phòng Văn hóa - Xã hội phối hợp với phòng Kinh tế tham mưu; "
        "Văn phòng HĐND-UBND và TTPVHC cùng thực hiện."
    )
    found = find_units(s)
    assert [u.unit for u in found] == [VHXH, "Phòng Kinh tế", VP, TTHCC]
    assert [u.text for u in found] == [
        "phòng Văn hóa - Xã hội",
        "phòng Kinh tế",
        "Văn phòng HĐND-UBND",
        "TTPVHC",
    ]
    for u in found:
        assert s[u.start : u.end].strip() == u.text
    assert [u.start for u in found] == [s.index(u.text) for u in found]


def test_loose_patterns_only_when_asked():
    assert find_units("các nội dung văn hóa, xã hội của xã") == []
    [u] = find_units("Văn hoá – Xã hội", loose=True)
    assert (u.unit, u.start, u.end) == (VHXH, 0, len("Văn hoá – Xã hội"))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_fold_keeps_offsets(text):
    assert len(fold_same_length(text)) == len(text)
    for u in find_units(text, loose=True):
        assert 0 <= u.start < u.end <= len(text)
