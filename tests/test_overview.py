"""The overview for those who oversee: the communes of the five real plans side by side
(their plan's number and period, the counts of what it sets, the reports due soon, the
targets several plans share, the communes with no plan for the period), as the console
lists it, as CSV and as an .xlsx read back with openpyxl."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from helpers import ROOT

from assistant.due.overview import build_overview, in_scope, period_year
from assistant.due.topics import Matcher, own_text, shared_topics
from assistant.present.overview import FIXED_HEADERS, headers, overview_text, table, to_csv
from assistant.present.sheet import SUMMARY_SHEET, TABLE_SHEET, to_xlsx
from assistant.records import Span, Target

MAY_25 = date(2026, 5, 25)
PLACES = {"phường Rạch Giá", "xã Kỳ Lạc", "xã Thái Tân", "xã Thạnh An", "xã Vĩnh Thịnh"}
COUNTS = slice(len(FIXED_HEADERS) - 4, len(FIXED_HEADERS))


@pytest.fixture(scope="module")
def overview(library):
    return build_overview(library.plans, MAY_25)


def test_the_rows_are_the_communes_and_the_period_is_the_year_most_plans_are_for(overview, library):
    assert period_year(library.plans) == overview.year == 2026
    assert [r.commune.place for r in overview.rows] == [
        "phường Rạch Giá",  # tỉnh An Giang
        "xã Thạnh An",  # thành phố Cần Thơ
        "xã Thái Tân",  # thành phố Hải Phòng
        "xã Kỳ Lạc",  # no province named: after those that name one
        "xã Vĩnh Thịnh",
    ]
    assert {r.plan.plan.id for r in overview.with_plan} == {
        "phuong-rach-gia-2026",
        "xa-thanh-an-2026",
        "xa-vinh-thinh-2026",
    }
    assert {r.commune.place: r.other_periods for r in overview.missing} == {
        "xã Thái Tân": ("sáu tháng cuối năm 2025",),
        "xã Kỳ Lạc": ("năm 2025",),
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_plan_s_counts_are_its_records(library, year):
    ov = build_overview(library.plans, MAY_25, year=year)
    assert {r.commune.place for r in ov.rows} == PLACES
    for row in ov.with_plan:
        rec = row.plan
        assert rec.plan.year == year
        assert row.counts == (len(rec.tasks), len(rec.duties), len(rec.reports), len(rec.targets))
    rows = {r[2]: r for r in table(ov)}
    for row in ov.rows:
        expected = list(row.counts) if row.plan else [None] * 4
        assert rows[row.commune.place][COUNTS] == expected


def test_the_reports_due_in_the_next_30_days(overview):
    rows = {r.commune.place: r for r in overview.rows}
    due = rows["xã Vĩnh Thịnh"].reports_due
    assert [(i.due, i.what) for i in due] == [
        (date(2026, 6, 8), "Báo cáo 6 tháng gửi Ủy ban nhân dân xã (qua phòng văn hóa, xã hội)"),
        (date(2026, 6, 8), "Báo cáo quý gửi Ủy ban nhân dân xã (qua phòng văn hóa, xã hội)"),
        (date(2026, 6, 10), "Báo cáo quý gửi sở Nội vụ"),
    ]
    assert all(i.kind == "report" for i in overview.reports_due)
    # Thạnh An and Rạch Giá ask for quarterly reports without a day to send them by
    assert rows["xã Thạnh An"].undated_reports and not rows["xã Thạnh An"].reports_due
    assert not rows["xã Vĩnh Thịnh"].undated_reports


def test_shared_targets_stand_side_by_side_with_each_plan_s_own_value(library, sources):
    ov = build_overview(library.plans, MAY_25, year=2025)
    by_header = {t.header: t for t in ov.topics}
    satisfaction = by_header[
        "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt từ 95% trở lên"
    ]
    assert satisfaction.plans == ("xa-ky-lac-2025", "xa-thai-tan-2025")
    assert [satisfaction.values(p) for p in satisfaction.plans] == [("từ 95% trở lên",), ("từ 95% trở lên",)]
    payment = by_header["Tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu 70%"]
    assert [payment.values(p) for p in payment.plans] == [("tối thiểu 70%",), ("từ 60% trở lên",)]
    plans = {rec.plan.id: rec for rec in library.plans}
    for topic in ov.topics:
        assert len(topic.plans) >= 2
        assert any(own_text(t) == topic.header for t in topic.targets)
        for plan_id in topic.plans:
            for value in topic.values(plan_id):  # the plan's own words, as it writes them
                assert value in {t.value for t in plans[plan_id].targets}
                assert value in sources[plan_id]
    rows = {r[2]: r for r in table(ov)}
    first = len(FIXED_HEADERS) + 2
    column = first + ov.topics.index(satisfaction)
    assert headers(ov)[column] == f"Chỉ tiêu: {satisfaction.header}"
    assert rows["xã Kỳ Lạc"][column] == rows["xã Thái Tân"][column] == "từ 95% trở lên"
    assert rows["xã Thạnh An"][column] == ""  # no plan for 2025


def test_the_2026_plans_share_two_targets(overview):
    values = {t.header: {p: t.values(p) for p in t.plans} for t in overview.topics}
    assert values == {
        "Hoàn thành 100% nhiệm vụ được Chủ tịch Ủy ban nhân dân, Ủy ban nhân dân thành phố giao, "
        "đảm bảo tiến độ, chất lượng": {"xa-thanh-an-2026": ("100%",), "xa-vinh-thinh-2026": ("100%",)},
        "Mức độ số hài lòng của người dân và tổ chức về giải quyết TTHC đạt tối thiểu 97%": {
            "xa-thanh-an-2026": ("tối thiểu 97%",),
            "xa-vinh-thinh-2026": ("90% trở lên",),
        },
    }


def _target(plan: str, indicator: str, value: str, start: int = 0) -> Target:
    span = Span(doc=plan, start=start, end=start + 1, line_start=1, line_end=1)
    return Target(
        id=f"{plan}-{start}", plan=plan, section=(), area="", indicator=indicator, value=value, span=span
    )


def test_a_target_is_matched_by_the_part_of_its_sentence_that_holds_its_value():
    sentence = (
        "i) 100% thủ tục hành chính, có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực "
        "tuyến, trong số đó, tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu 80%."
    )
    assert own_text(_target("a", sentence, "100%")) == (
        "100% thủ tục hành chính, có yêu cầu nghĩa vụ tài chính, được triển khai thanh toán trực tuyến"
    )
    assert (
        own_text(_target("a", sentence, "tối thiểu 80%"))
        == "Tỷ lệ giao dịch thanh toán trực tuyến đạt tối thiểu 80%"
    )
    several = "trong đó, giá trị ngành Nông nghiệp 3.898 tỷ đồng, giá trị ngành Công nghiệp 16.921 tỷ đồng"
    assert own_text(_target("a", several, "16.921 tỷ đồng")) == "Giá trị ngành Công nghiệp 16.921 tỷ đồng"


def test_a_plan_s_general_and_narrower_targets_stay_in_different_topics(library):
    from assistant.records import PlanRecords

    def plan(pid: str, *targets: Target) -> PlanRecords:
        rec = library.plans[0]
        return rec.model_copy(update={"plan": rec.plan.model_copy(update={"id": pid}), "targets": targets})

    general = "Mức độ hài lòng của người dân về giải quyết thủ tục hành chính đạt tối thiểu 95%"
    narrow = "Mức độ hài lòng về giải quyết thủ tục hành chính lĩnh vực đất đai, xây dựng đạt tối thiểu 85%"
    a = plan("a", _target("a", general, "tối thiểu 95%"), _target("a", narrow, "tối thiểu 85%", 5))
    b = plan("b", _target("b", general.replace("95%", "90%"), "tối thiểu 90%"))
    c = plan("c", _target("c", "Tỷ lệ hộ nghèo dưới 1%", "dưới 1%"))
    [topic] = shared_topics([a, b, c])
    assert [(t.plan, t.value) for t in topic.targets] == [("a", "tối thiểu 95%"), ("b", "tối thiểu 90%")]
    with pytest.raises(ValueError, match="threshold must be in"):
        shared_topics([a, b], threshold=0)


def test_all_pairs_at_once_score_as_the_answers_coverage_scores_each_pair(library):
    texts = [own_text(t) for rec in library.plans for t in rec.targets]
    match = Matcher(texts)
    sim = match.matrix().toarray()
    assert sim.shape == (len(match.texts), len(match.texts)) and len(match.texts) > 100
    for i, a in enumerate(match.texts[::7]):
        for j, b in enumerate(match.texts):
            assert sim[7 * i, j] == pytest.approx(match.similarity(a, b), abs=1e-12)


def test_a_province_or_district_is_named_with_or_without_its_level_and_diacritics(library):
    assert [r.plan.id for r in in_scope(library.plans, province="an giang")] == ["phuong-rach-gia-2026"]
    assert [r.plan.id for r in in_scope(library.plans, province="TP Cần Thơ")] == ["xa-thanh-an-2026"]
    assert in_scope(library.plans, province="Hà Nội") == []
    ov = build_overview(library.plans, MAY_25, province="Hải Phòng")
    assert ov.year == 2025 and [r.commune.place for r in ov.rows] == ["xã Thái Tân"]
    assert build_overview(library.plans, MAY_25, province="Hà Nội").rows == ()
    rec = library.plans[0]
    district = rec.plan.model_copy(update={"district": "huyện Châu Thành"})
    in_district = rec.model_copy(update={"plan": district})
    plans = [in_district, *library.plans[1:]]
    assert in_scope(plans, district="chau thanh") == [in_district]
    assert in_scope(plans, province="An Giang", district="Châu Thành") == [in_district]
    assert in_scope(plans, province="Cần Thơ", district="Châu Thành") == []


def test_the_csv_holds_the_table(overview):
    rows = list(csv.reader(io.StringIO(to_csv(overview))))
    assert rows[0] == headers(overview)
    assert [r[2] for r in rows[1:]] == [r.commune.place for r in overview.rows]
    assert rows[1][COUNTS] == ["76", "3", "1", "62"]


def test_the_xlsx_read_back_has_a_row_per_commune(overview, library):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(overview)))
    assert book.sheetnames == [TABLE_SHEET, SUMMARY_SHEET]
    sheet = book[TABLE_SHEET]
    [head, *rows] = list(sheet.iter_rows(values_only=True))
    assert list(head) == headers(overview)
    assert [r[2] for r in rows] == [r.commune.place for r in overview.rows]
    counts = {
        rec.plan.place: [len(rec.tasks), len(rec.duties), len(rec.reports), len(rec.targets)]
        for rec in library.plans
        if rec.plan.year == 2026
    }
    for row in rows:
        assert list(row[COUNTS]) == counts.get(row[2], [None] * 4)
    notes = {r[2]: r[len(FIXED_HEADERS) + 1] for r in rows}
    assert notes["xã Kỳ Lạc"] == "Chưa có kế hoạch năm 2026 (đã có: năm 2025)"
    assert sheet.freeze_panes == "D2"
    summary = [r[0] for r in book[SUMMARY_SHEET].iter_rows(values_only=True)]
    assert summary[0] == "Tổng hợp kế hoạch CCHC năm 2026 — mọi địa bàn: 5 xã, phường"


def _readme_overview() -> tuple[list[str], str]:
    """The overview command the README shows and the output it shows under it."""
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"```\n\$ python -m assistant (overview[^\n]*)\n(.*?)\n```", text, re.DOTALL)
    assert m, "README.md shows no `$ python -m assistant overview` example"
    return m.group(1).split()[1:], m.group(2)


def test_the_overview_the_readme_shows_is_the_command_s(library):
    args, shown = _readme_overview()
    assert args == ["--today", "2026-05-25"]
    assert overview_text(build_overview(library.plans, MAY_25)) == shown


def test_the_command_prints_the_overview_and_writes_the_files(lexical_cli, tmp_path, capsys):
    from assistant.cli.main import main

    args, shown = _readme_overview()
    args = ["overview", *args]
    assert main(args) == 0
    assert capsys.readouterr().out == shown + "\n"
    assert main([*args, "--year", "2025", "--xlsx", str(tmp_path / "a.xlsx")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Tổng hợp kế hoạch CCHC năm 2025 — mọi địa bàn: 5 xã, phường\n")
    assert err == f"Đã ghi bảng tổng hợp 5 xã, phường vào {tmp_path / 'a.xlsx'}.\n"
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")[TABLE_SHEET]
    assert sheet.max_row == 6 and sheet["C2"].value == "phường Rạch Giá"
    assert main(["overview", "--province", "Cần Thơ", "--csv", str(tmp_path / "a.csv")]) == 0
    rows = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8-sig")))
    assert [r[2] for r in rows[1:]] == ["xã Thạnh An"]
    capsys.readouterr()
    assert main(["overview", "--province", "Hà Nội"]) == 1
    assert capsys.readouterr().err == "Không có kế hoạch nào của Hà Nội.\n"
