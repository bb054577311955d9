"""The flattened appendix of the Kỳ Lạc plan, parsed back into one row per activity.

Tasks (2.x) and one objective (1.x) that carry cells of their own instead of activities
are rows too.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from helpers import words_in_order
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.lang.units import canonical_unit
from assistant.parse.flattable import FlatRow, find_flattened_table, parse_flattened_table

PLAN = Path(__file__).parent.parent / "corpus" / "xa-ky-lac-2025.txt"

VHXH = "Phòng Văn hóa – Xã hội"
VP_HDND = "Văn phòng HĐND và UBND"
VP_UBND = "Văn phòng UBND"

# Activity numbers restart in groups III, V, VI and VII; group IV has no activity.
EXPECTED_LABELS = {
    "I": [f"3.{n}" for n in range(1, 14)],
    "II": [f"3.{n}" for n in range(14, 19)],
    "III": [f"3.{n}" for n in range(1, 15)],
    "V": ["3.1"],
    "VI": [f"3.{n}" for n in range(1, 8)],
    "VII": ["3.1", "3.2"],
}
# Rows without an activity: the task's (or objective's) own cell, then product/unit/deadline.
EXPECTED_OWN = {"III": ["2.4"], "IV": ["2.1"], "V": ["2.2"], "VII": ["2.1", "2.2", "1.5"]}


@pytest.fixture(scope="module")
def text() -> str:
    return PLAN.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rows(text) -> list[FlatRow]:
    span = find_flattened_table(text)
    assert span is not None
    return parse_flattened_table(text, *span)


def row(rows, group: str, label: str) -> FlatRow:
    found = [r for r in rows if r.group.split()[0] == group and r.label == label]
    assert len(found) == 1, (group, label)
    return found[0]


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# --- finding the table ---------------------------------------------------------------


def test_table_found_by_its_header_not_by_the_plan_name(text):
    start, end = find_flattened_table(text)
    assert text.count("\n", 0, start) + 1 == 807  # the first "TT" of the header
    assert text[start : start + 2] == "TT"
    assert text[end:].strip() == "" and end > start
    renamed = text.replace("Kỳ Lạc", "Xyz").replace("KỲ LẠC", "XYZ")
    moved = len(text) - len(renamed)
    assert find_flattened_table(renamed) == (start - moved, end - moved)
    assert find_flattened_table(text[:start]) is None  # the plan's body has no such table


# --- every activity, once, in order --------------------------------------------------


def labels_by_group(rows) -> dict[str, list[str]]:
    by_group: dict[str, list[str]] = {}
    for r in rows:
        by_group.setdefault(r.group.split()[0], []).append(r.label)
    return by_group


def test_every_activity_once_in_order(rows):
    assert labels_by_group(r for r in rows if r.label.startswith("3.")) == EXPECTED_LABELS
    assert len([r for r in rows if r.label.startswith("3.")]) == 42


def test_rows_without_activity_once_in_order(rows):
    assert labels_by_group(r for r in rows if not r.label.startswith("3.")) == EXPECTED_OWN
    assert len(rows) == 48


def test_rows_are_in_document_order(rows):
    assert [r.start for r in rows] == sorted(r.start for r in rows)
    assert row(rows, "V", "2.2").line_start > row(rows, "V", "3.1").line_end


def test_numbers_are_consecutive_or_restart_with_a_group(rows):
    prev_group, prev = None, 0
    for r in rows:
        if not r.label.startswith("3."):
            continue
        n = int(r.label.split(".")[1])
        assert n == prev + 1 or (n == 1 and r.group != prev_group), r.label
        prev_group, prev = r.group, n


def test_group_titles(rows):
    assert rows[0].group == "I CÔNG TÁC TRIỂN KHAI CÁC NHIỆM VỤ CCHC"
    assert row(rows, "II", "3.14").group == "II CẢI CÁCH THỂ CHẾ"
    assert row(rows, "VII", "3.1").group.startswith("VII XÂY DỰNG VÀ PHÁT TRIỂN")


def test_only_rows_the_plan_leaves_without_lead_are_incomplete(rows):
    incomplete = {(r.group.split()[0], r.label) for r in rows if not r.complete}
    # III 3.7: no lead/cooperating/deadline cells at all; VI 3.5, VII 3.2 and the task
    # VII 2.2: no lead cell.
    assert incomplete == {("III", "3.7"), ("VI", "3.5"), ("VII", "3.2"), ("VII", "2.2")}
    assert row(rows, "VI", "3.5").deadline == "Năm 2025"
    assert row(rows, "VII", "3.2").deadline == "Quý I-IV năm 2025"
    assert all(r.lead and r.deadline for r in rows if r.complete)


# --- specific rows, checked against the file ------------------------------------------


def test_first_two_activities_share_their_cells(rows):
    for label in ("3.1", "3.2"):
        r = row(rows, "I", label)
        assert canonical_unit(r.lead) == VHXH
        assert "chủ trì CCHC" in r.cooperating
        assert r.deadline == "Ngày 25/7/2025"
        assert r.product == "Văn bản và các dự thảo kèm theo"
        assert r.budget == ""
    assert row(rows, "I", "3.1").content == "Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ"
    assert row(rows, "I", "3.2").content.startswith("Tổng hợp và xin ý kiến")


def test_first_activity_of_a_task_is_quoted_from_the_task(text, rows):
    first, second = row(rows, "I", "3.1"), row(rows, "I", "3.2")
    assert text[first.start :].startswith("2.1. Ban hành Kế")
    assert text[second.start :].startswith("3.2. Tổng hợp và")
    assert text[first.start : first.end].endswith("25/7/2025")
    assert first.end == second.end
    assert (first.line_start, first.line_end, second.line_start) == (851, 893, 863)
    assert first.task.startswith("2.1. Ban hành Kế hoạch CCHC")
    assert first.objective.startswith("1.1. Nâng cao chất lượng")


def test_activity_3_4(rows):
    r = row(rows, "I", "3.4")
    assert canonical_unit(r.lead) == VHXH
    assert "các thôn" in r.cooperating
    assert r.deadline == "Thường xuyên"
    assert r.product == "Các hình thức tuyên truyền đa dạng, phong phú"


def test_group_one_rows(rows):
    r = row(rows, "I", "3.3")
    assert (r.product, r.deadline, r.cooperating) == (
        "Kế hoạch",
        "Tháng 07/2025",
        "Các phòng chủ trì CCHC của xã",
    )
    r = row(rows, "I", "3.5")
    assert r.cooperating == "Các cơ quan chủ trì CCHC của xã"
    assert (r.deadline, r.budget) == ("Năm 2025", "Theo dự toán được cấp")
    r = row(rows, "I", "3.13")
    assert canonical_unit(r.lead) == VHXH and r.cooperating == "" and r.deadline == "Năm 2025"


def test_five_activities_share_one_set_of_cells(rows):
    shared = [row(rows, "I", f"3.{n}") for n in range(7, 12)]
    for r in shared:
        assert canonical_unit(r.lead) == VHXH
        assert r.cooperating.startswith("Các cơ quan chủ trì CCHC của xã, các phòng chuyên môn")
        assert r.deadline == "Quý III/2025"
        assert r.product.startswith("Kế hoạch, Công văn, Báo cáo kết quả kiểm tra")
        assert r.budget == "Theo dự toán được cấp"
    assert shared[0].content == "Ban hành Kế hoạch Kiểm tra CCHC"  # written "3.7 Ban hành"
    assert len({r.end for r in shared}) == 1


def test_cells_across_a_repeated_page_header(text, rows):
    r = row(rows, "I", "3.6")
    assert r.lead.startswith("Các cơ quan chủ trì")
    assert r.cooperating == "Cơ quan, đơn vị liên quan"
    assert r.deadline == "Thường xuyên"
    r = row(rows, "II", "3.18")
    assert canonical_unit(r.lead) == VP_HDND
    assert r.cooperating == "Các phòng, ban, đoàn thể xã"
    assert r.deadline == "Thường xuyên"
    assert r.content.endswith("của tỉnh và địa phương thuộc lĩnh vực mình.")  # after the header
    r = row(rows, "III", "3.12")
    assert r.content.endswith("tại Trung tâm Phục vụ hành chính công.")
    for group, label in (("I", "3.6"), ("II", "3.18"), ("III", "3.12")):
        r = row(rows, group, label)
        assert "1- Mục tiêu/Chỉ tiêu" in text[r.start : r.end]  # the quote spans the header


def test_tasks_listed_together_go_to_their_activities_in_turn(text, rows):
    a, b = row(rows, "II", "3.17"), row(rows, "II", "3.18")
    assert a.task.startswith("2.2.Kiểm tra công tác TDTHPL")
    assert b.task == "2.3. Tổ chức thực hiện kịp thời các văn bản QPPL"
    assert text[b.start :].startswith("2.3. Tổ chức thực")
    assert a.deadline == "Quý IV năm 2025" and a.budget == "Theo dự toán được cấp"
    assert a.content == "Thành lập Đoàn kiểm tra liên ngành"
    assert a.product.startswith("- Thành lập đoàn kiểm tra")


def test_group_two_rows(rows):
    for label, product in (
        ("3.14", "Danh mục"),
        ("3.15", "Các văn bản QPPL"),
        ("3.16", "Văn bản góp ý, đề xuất"),
    ):
        r = row(rows, "II", label)
        assert r.lead == "Văn phòng HĐND-UBND" and canonical_unit(r.lead) == VP_HDND
        assert r.cooperating == "Các phòng, ban, đoàn thể xã"
        assert r.product == product and r.deadline == "Thường xuyên"
    assert row(rows, "II", "3.16").budget == ""
    assert row(rows, "II", "3.14").content.endswith("bản QPPL của Trung ương, tỉnh")


def test_group_three_rows(rows):
    r = row(rows, "III", "3.1")
    assert canonical_unit(r.lead) == "Trung tâm Phục vụ hành chính công"
    assert r.lead == "Trung tâm HCC xã" and r.deadline == "Tháng 7/2025"
    assert canonical_unit(r.cooperating) == VP_HDND
    assert r.product.startswith("Trung tâm Phục vụ hành chính công xã phục vụ người dân")
    r = row(rows, "III", "3.2")
    assert r.lead == "Các phòng chuyên môn xã" and canonical_unit(r.cooperating) == VP_HDND
    assert r.content.endswith("lấy ý kiến Văn phòng UBND xã về TTHC.")
    assert r.product.startswith("Biểu mẫu đánh giá tác động TTHC")
    for label in ("3.4", "3.5", "3.8", "3.9", "3.10", "3.11", "3.12"):
        r = row(rows, "III", label)
        assert (r.lead, r.cooperating) == ("UBND xã", "Văn phòng UBND xã")
        assert r.deadline == "Thường xuyên"
    r = row(rows, "III", "3.13")
    assert canonical_unit(r.lead) == VP_UBND and r.cooperating == "UBND cấp xã"
    r = row(rows, "III", "3.14")
    assert r.deadline == "06 tháng cuối năm 2025"
    assert r.cooperating == "Các cơ quan chuyên môn liên quan"


def test_groups_five_to_seven(rows):
    r = row(rows, "V", "3.1")
    assert canonical_unit(r.lead) == VHXH and r.cooperating == "Các phòng chuyên môn"
    assert (r.deadline, r.budget) == ("Năm 2025", "Theo dự toán được cấp")
    for label in ("3.1", "3.2", "3.3", "3.4", "3.6", "3.7"):
        r = row(rows, "VI", label)
        assert canonical_unit(r.lead) == "Phòng Kinh tế"
        assert r.cooperating.endswith("các thôn, các ĐVSN") and r.deadline == "Năm 2025"
    r = row(rows, "VI", "3.2")  # "2.2  Báo cáo 3.2. Báo cáo" on one line
    assert (r.task, r.content, r.product) == ("2.2 Báo cáo", "Báo cáo", "Công văn")
    r = row(rows, "VII", "3.1")
    assert canonical_unit(r.lead) == VHXH and r.cooperating == "Các phòng chuyên môn"
    assert r.deadline == "Quý I-IV năm 2025" and r.budget == "Theo dự toán được cấp"


# --- rows without an activity: a task or objective with cells of its own ---------------


def test_group_four_task_row_across_a_page_header(text, rows):
    r = row(rows, "IV", "2.1")
    assert r.group == "IV CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC"
    assert r.content.startswith("Tăng cường công tác kiểm tra, đánh giá, phân loại thực chất")
    assert "Thực hiện tinh giản biên chế đúng đối tượng (những cán bộ" in r.content
    # the task's text goes on after the repeated header (lines 2686-2710)
    assert r.content.endswith(
        "vị trí việc làm đang đảm nhiệm; không hoàn thành nhiệm vụ, "
        "những người dôi dư do xác định vị trí việc làm và sắp xếp tổ "
        "chức). Người đứng đầu cơ quan, đơn vị thuộc và trực thuộc thực "
        "hiện nghiêm túc việc đánh giá, phân loại công chức, viên chức "
        "hàng năm"
    )
    assert r.task == "2.1 " + r.content and r.objective == ""
    assert r.product == "Văn bản đôn đốc/ hướng dẫn"
    assert r.lead == "Phòng VHXH" and canonical_unit(r.lead) == VHXH
    assert r.cooperating == "Các phòn chuyên môn liên quan"
    assert r.deadline == "Theo lộ trình đề án được phê duyệt" and r.budget == ""
    assert r.complete
    assert (r.line_start, r.line_end) == (2555, 2710)
    assert text[r.start :].startswith("2.1 Tăng cường công")
    assert "1- Mục tiêu/Chỉ tiêu" in text[r.start : r.end]
    assert text[r.start : r.end].endswith("chức hàng năm")


def test_group_five_task_row_goes_on_after_a_page_header(rows):
    r = row(rows, "V", "2.2")
    assert r.content == (
        "Tham gia các lớp tập huấn, đào tạo, bồi dưỡng, cập nhật về trình "
        "độ chuyên môn nghiệp vụ, kỹ năng thực thi công vụ, nhiệm vụ theo vị "
        "trí việc làm, kỹ năng sử dụng và ứng dụng công nghệ thông tin"
    )
    assert r.task.startswith("2.2 Tham gia các lớp") and r.objective == ""
    # a single unit cell after the task, read as the lead (as for activities)
    assert (r.product, r.lead, r.cooperating) == ("", "Các phòng chuyên môn", "")
    assert (r.deadline, r.budget) == ("Năm 2025", "")
    assert (r.line_start, r.line_end) == (2777, 2827)


def test_group_three_task_row(rows):
    r = row(rows, "III", "2.4")
    assert (r.task, r.content) == ("2.4.Công bố các TTHC", "Công bố các TTHC")
    assert r.objective.startswith("1.4. 100% TTHC được công bố")
    assert r.product == "Quyết định công bố TTHC"
    assert r.lead == "Trung tâm HHC xã"
    assert canonical_unit(r.lead) == "Trung tâm Phục vụ hành chính công"
    assert (r.cooperating, r.deadline) == ("", "Thường xuyên")
    assert (r.line_start, r.line_end) == (1881, 1903)


def test_group_seven_task_and_objective_rows(rows):
    objective = row(rows, "VII", "2.1").objective
    assert objective.startswith("1.2. 100% cán bộ, công chức, viên chức được đào tạo")
    r = row(rows, "VII", "2.1")
    assert r.content == (
        "Tham gia đào tạo nâng cao trình độ chuyên môn nghiệp vụ cho cán bộ chuyên trách CNTT xã"
    )
    assert (r.product, r.lead, r.cooperating) == ("Lớp đào tạo", "Các Ban, phòng liên quan", "")
    assert (r.deadline, r.budget) == ("Năm 2025", "Theo dự toán được cấp")
    assert (r.line_start, r.line_end) == (3307, 3343)
    r = row(rows, "VII", "2.2")
    assert r.content == ("Tham gia tập huấn nâng cao nhận thức, kỹ năng về CĐS cho đội ngũ lãnh đạo, CCCVC")
    assert r.objective == objective
    assert (r.product, r.lead, r.cooperating) == ("", "", "")
    assert (r.deadline, r.budget) == ("Năm 2025", "Theo dự toán được cấp")
    assert (r.line_start, r.line_end, r.complete) == (3345, 3368, False)
    r = row(rows, "VII", "1.5")  # row "1.2" of the TT column: an objective only
    assert r.content == (
        "100% hồ sơ công việc tại cơ quan chuyên UBND xã được xác lập trên "
        "môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)."
    )
    assert r.objective == "1.5. " + r.content and r.task == ""
    assert r.product == ""
    assert canonical_unit(r.lead) == VP_UBND and canonical_unit(r.cooperating) == VHXH
    assert (r.deadline, r.budget) == ("Năm 2025", "Theo dự toán được cấp")
    assert (r.line_start, r.line_end) == (3378, 3416)


def test_a_task_with_activities_is_no_row_of_its_own(rows):
    tasks_with_activities = {r.task for r in rows if r.label.startswith("3.")}
    own = {r.task for r in rows if r.label.startswith("2.")}
    assert not tasks_with_activities & own
    assert not any(r.label == "2.4" for r in rows if r.group.startswith("VI "))  # no cells


# --- invariants over every row ---------------------------------------------------------

HEADER_BITS = (
    "Mục tiêu/Chỉ tiêu",
    "Kinh phí",
    "2- Nhiệm vụ",
    "3- Hoạt động",
    "5- Chủ trì",
    "6- Phối hợp",
    "7- Thời",
    "gian hoàn",
    "4- Kết",
)


def test_the_repeated_header_never_leaks_into_a_field(rows):
    for r in rows:
        for value in (
            r.objective,
            r.task,
            r.content,
            r.product,
            r.lead,
            r.cooperating,
            r.deadline,
            r.budget,
            r.group,
        ):
            assert not any(bit in value for bit in HEADER_BITS), (r.label, value)


def test_each_quote_covers_its_row(text, rows):
    def norm(s: str) -> str:
        return re.sub(r"-\s+", "-", squash(s))

    for r in rows:
        q = norm(text[r.start : r.end])
        assert norm(" ".join(r.content.split()[:4])) in q, r.label
        for value in (r.content, r.product, r.lead, r.cooperating, r.deadline, r.budget):
            assert words_in_order(value, q), (r.label, value)
        assert text[r.start : r.end] == text[r.start : r.end].strip()


def test_line_numbers_match_offsets(text, rows):
    for r in rows:
        assert r.line_start == text.count("\n", 0, r.start) + 1
        assert r.line_end == text.count("\n", 0, r.end - 1) + 1


def test_plan_name_does_not_matter(text, rows):
    renamed = text.replace("Kỳ Lạc", "Xyz")
    again = parse_flattened_table(renamed, *find_flattened_table(renamed))

    def key(found):
        return [(r.label, r.lead, r.cooperating, r.deadline) for r in found]

    assert key(again) == key(rows)


# the column header of another commune's flattened table: other words, cut elsewhere
OTHER_HEADER = [
    "TT",
    "1- Mục tiêu",
    "2- Nhiệm vụ 3- Hoạt động",
    "4- Kết quả",
    "5- Chủ trì 6- Phối hợp",
    "7- Thời",
    "gian hoàn",
    "thành",
    "8- Kinh",
    "phí",
]


def test_another_table_of_the_same_shape():
    header = OTHER_HEADER
    cells = [
        "I CẢI CÁCH TÀI CHÍNH CÔNG",
        "1",
        "1.1. Giải ngân vốn",
        "2.1. Đôn đốc giải ngân",
        "3.1. Lập báo cáo",
        "định kỳ",
        "Báo cáo",
        "Phòng Nội",
        "vụ",
        "Công an xã",
        "Trước ngày",
        "30/9/2025",
        "3.2. Tổ chức hội",
        "nghị",
        "Hội nghị",
        "Ban Chỉ huy",
        "Quân sự",
        "Các đơn vị",
        "liên quan",
        "Hàng quý",
    ]
    text = "\n\n".join(c + " " for c in ["Kế hoạch", *header, *cells])
    rows = parse_flattened_table(text, *find_flattened_table(text))
    assert [(r.label, r.lead, r.cooperating, r.deadline) for r in rows] == [
        ("3.1", "Phòng Nội vụ", "Công an xã", "Trước ngày 30/9/2025"),
        ("3.2", "Ban Chỉ huy Quân sự", "Các đơn vị liên quan", "Hàng quý"),
    ]
    assert rows[0].content == "Lập báo cáo định kỳ" and rows[1].product == "Hội nghị"


def test_tasks_and_objectives_with_cells_of_their_own_in_another_table():
    header = OTHER_HEADER
    cells = [
        "II CẢI CÁCH THỂ CHẾ",
        "1",
        "1.1. Hoàn thiện thể chế",
        "2.1. Rà soát văn bản",
        "quy phạm pháp luật",
        "Danh mục",
        "Văn phòng",
        "UBND xã",
        "Các phòng",
        "chuyên môn",
        "Thường xuyên",
        "2.2. Kiểm tra văn bản",
        "3.1. Lập đoàn kiểm tra",
        "Quyết định",
        "Phòng Nội vụ",
        "Quý IV năm 2025",
        "2",
        "1.2. Số hóa hồ sơ",
        "Phòng Kinh tế",
        "Năm 2025",
        "Theo dự toán",
        "được cấp",
    ]
    text = "\n\n".join(c + " " for c in ["Kế hoạch", *header, *cells])
    rows = parse_flattened_table(text, *find_flattened_table(text))
    assert [(r.label, r.content, r.lead, r.cooperating, r.deadline) for r in rows] == [
        (
            "2.1",
            "Rà soát văn bản quy phạm pháp luật",
            "Văn phòng UBND xã",
            "Các phòng chuyên môn",
            "Thường xuyên",
        ),
        ("3.1", "Lập đoàn kiểm tra", "Phòng Nội vụ", "", "Quý IV năm 2025"),
        ("1.2", "Số hóa hồ sơ", "Phòng Kinh tế", "", "Năm 2025"),
    ]
    assert (rows[0].task, rows[0].product) == ("2.1. Rà soát văn bản quy phạm pháp luật", "Danh mục")
    assert rows[1].task == "2.2. Kiểm tra văn bản"  # its own activity, not task 2.1
    assert (rows[2].objective, rows[2].task) == ("1.2. Số hóa hồ sơ", "")
    assert rows[2].budget == "Theo dự toán được cấp"


# --- never raises ------------------------------------------------------------------------


def check_spans(text: str, found: list[FlatRow]) -> None:
    for r in found:
        assert 0 <= r.start <= r.end <= len(text)
        assert 1 <= r.line_start <= r.line_end


@pytest.mark.parametrize(
    "sample",
    ["", "\n\n", "   ", "3.1.", "TT\n1- x", "3.1. A\n\nNăm", "I ABC\n3.1 X\nPhòng\nQuý", "2.2 3.2. 1.1."],
)
def test_small_inputs(sample):
    check_spans(sample, parse_flattened_table(sample))
    find_flattened_table(sample)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("3.1 2\nTIVXaàĐđQuýNăm-,/")) | st.characters(), max_size=300),
    st.integers(-50, 400),
    st.none() | st.integers(-50, 400),
)
def test_arbitrary_text_never_raises(sample, start, end):
    check_spans(sample, parse_flattened_table(sample, start, end))
    found = find_flattened_table(sample)
    assert found is None or 0 <= found[0] <= found[1] <= len(sample)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32), st.floats(0.0, 0.9))
def test_damaged_table_never_raises(text, seed: int, loss: float):
    rnd = random.Random(seed)
    start, _ = find_flattened_table(text)
    lines = [line for line in text[start:].split("\n") if rnd.random() >= loss]
    for _ in range(rnd.randint(0, 20)):  # move a few chunks around
        j = rnd.randrange(len(lines) + 1)
        chunk = lines[j : j + rnd.randint(1, 30)]
        del lines[j : j + len(chunk)]
        i = rnd.randrange(len(lines) + 1)
        lines[i:i] = chunk
    damaged = "\n".join(lines)
    cut = rnd.randint(0, len(damaged))
    for sample in (damaged, damaged[:cut]):
        check_spans(sample, parse_flattened_table(sample))
        check_spans(sample, parse_flattened_table(sample, rnd.randint(0, cut), cut))
