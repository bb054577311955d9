"""The deadline calendar on the real corpus, with the clock frozen by passing `today`.

Expected dates come from reading the plans in corpus/ (line numbers are the files' own):
- phường Rạch Giá 2026, appendix rows: 176 and 177 "Hoàn thành tháng 01/2026", 223 "Kế hoạch
  Chuyển đổi số năm 2026 ... 31/01/2026", 271 and 277 "01/2026" (all due 31/01/2026);
  186 "Hoàn thành tháng 1 - 2/2026" (28/02/2026); 196 "Hàng Quý" (each quarter end).
- xã Vĩnh Thịnh 2026, line 132: "báo cáo Quý, báo cáo 6 tháng gửi trước ngày 08 tháng cuối
  của quý, báo cáo năm gửi trước ngày 08/12 ... tổng hợp báo cáo sở Nội vụ trước ngày 10 tháng
  cuối của quý, và báo cáo năm trước 10 tháng 12".
- xã Thái Tân, sáu tháng cuối năm 2025, line 228: "báo cáo năm gửi trước ngày 10/12".
- xã Kỳ Lạc 2025: tasks due "Quý III/2025", "Năm 2025", ...
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from helpers import CORPUS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.due.schedule import (
    DueItem,
    calendar_items,
    digest_items,
    select_items,
    today_in_vietnam,
    upcoming,
)
from assistant.lang.normalize import fold
from assistant.present.ics import to_ics

RACH_GIA = "phuong-rach-gia-2026"
VINH_THINH = "xa-vinh-thinh-2026"
THAI_TAN = "xa-thai-tan-2025"
KY_LAC = "xa-ky-lac-2025"
JAN_31 = date(2026, 1, 31)


@pytest.fixture(scope="module")
def all_plans(library):
    return library.plans


def keys(items: list[DueItem]) -> set[tuple[str, int, date]]:
    return {(i.plan, i.lines[0], i.due) for i in items}


def dues(items: list[DueItem], plan: str, what_prefix: str) -> list[date]:
    return [i.due for i in items if i.plan == plan and i.what.startswith(what_prefix)]


def rows_with_deadline(file: str, *deadlines: str) -> set[int]:
    """Source lines of appendix rows whose last cell is one of `deadlines` (read from the file)."""
    lines = (CORPUS / file).read_text("utf-8").splitlines()
    found = set()
    for number, line in enumerate(lines, 1):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if len(cells) > 2 and cells[-1] in deadlines:
            found.add(number)
    return found


# ------------------------------------------------------------------ dates


def test_next_30_days_from_20_january_2026(all_plans):
    items = upcoming(all_plans, date(2026, 1, 20), days=30)
    assert keys(items) == {(RACH_GIA, line, JAN_31) for line in (176, 177, 223, 271, 277)}
    plan_item = next(i for i in items if i.lines == (223, 223))
    assert plan_item.what == "Kế hoạch Chuyển đổi số năm 2026"
    assert plan_item.lead == ("Phòng Văn hóa – xã hội",)
    assert plan_item.kind == "task" and not plan_item.overdue
    assert plan_item.plan_title.endswith("(phường Rạch Giá)")
    assert "Thời gian: 31/01/2026" in plan_item.quote
    assert plan_item.section.startswith("Phụ lục > VI CHUYÊN ĐỀ SỐ")


def test_window_edges_are_inclusive(all_plans):
    assert keys(upcoming(all_plans, JAN_31, days=0)) == keys(upcoming(all_plans, date(2026, 1, 20), days=11))
    assert (RACH_GIA, 186, date(2026, 2, 28)) in keys(upcoming(all_plans, date(2026, 2, 1), days=27))
    assert (RACH_GIA, 186, date(2026, 2, 28)) not in keys(upcoming(all_plans, date(2026, 2, 1), days=26))


def test_quarterly_report_rule_expands_to_the_8th_of_each_quarters_last_month(all_plans):
    items = calendar_items(all_plans)
    quarterly = [
        i for i in items if i.plan == VINH_THINH and i.what.startswith("Báo cáo quý gửi Ủy ban nhân dân xã")
    ]
    assert [i.due for i in quarterly] == [
        date(2026, 3, 8),
        date(2026, 6, 8),
        date(2026, 9, 8),
        date(2026, 12, 8),
    ]
    assert all(i.kind == "report" and i.lines == (132, 132) for i in quarterly)
    assert all("trước ngày 08 tháng cuối của quý" in i.quote for i in quarterly)
    assert all(i.lead == () for i in quarterly)  # every unit sends it
    # the commune's own report to the Department of Home Affairs, compiled by its culture office
    to_department = [i for i in items if i.plan == VINH_THINH and i.what == "Báo cáo quý gửi sở Nội vụ"]
    assert [i.due for i in to_department] == [
        date(2026, 3, 10),
        date(2026, 6, 10),
        date(2026, 9, 10),
        date(2026, 12, 10),
    ]
    assert all(i.lead == ("Phòng Văn hóa – Xã hội",) for i in to_department)


def test_six_month_report_falls_in_a_half_years_last_month_only(all_plans):
    half = dues(calendar_items(all_plans), VINH_THINH, "Báo cáo 6 tháng")
    assert date(2026, 6, 8) in half
    assert not {date(2026, 3, 8), date(2026, 9, 8)} & set(half)


def test_yearly_report_rules(all_plans):
    items = calendar_items(all_plans)
    assert dues(items, VINH_THINH, "Báo cáo năm gửi Ủy ban nhân dân xã") == [date(2026, 12, 8)]
    assert dues(items, VINH_THINH, "Báo cáo năm gửi sở Nội vụ") == [date(2026, 12, 10)]
    # a plan for the last six months of 2025: its yearly report is due inside its period
    assert dues(items, THAI_TAN, "Báo cáo năm") == [date(2025, 12, 10)]


def test_recurring_task_falls_on_each_quarter_end(all_plans):
    quarterly = [i.due for i in calendar_items(all_plans) if i.plan == RACH_GIA and i.lines == (196, 196)]
    assert quarterly == [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]


def test_ongoing_and_undated_items_never_fall_due(all_plans):
    never = rows_with_deadline(
        "phuong-rach-gia-2026.txt",
        "Thường xuyên",
        "Hoàn thành",
        "Hoàn thành theo thời gian Sở Nội vụ quy định",
    )
    assert {175, 224, 235, 269, 278} <= never  # sanity check of the reading above
    rach_gia_lines = {i.lines[0] for i in calendar_items(all_plans) if i.plan == RACH_GIA}
    assert rach_gia_lines and not rach_gia_lines & never
    # a periodic report with no stated day (xã Thạnh An: "Báo cáo định kỳ quý, 6 tháng và năm") has no date
    assert not [i for i in calendar_items(all_plans) if i.plan == "xa-thanh-an-2026"]
    assert not any("Thường xuyên" in i.quote.rsplit("Thời gian:", 1)[-1] for i in calendar_items(all_plans))


def test_calendar_is_sorted_and_not_overdue(all_plans):
    items = calendar_items(all_plans)
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert not any(i.overdue for i in items)
    assert {i.kind for i in items} == {"task", "report"}


# ------------------------------------------------------------------ filters


def test_unit_filter_accepts_an_alias_without_diacritics(all_plans):
    today = date(2026, 1, 1)
    items = upcoming(all_plans, today, days=365, unit="phong van hoa xa hoi")
    assert (RACH_GIA, 223, JAN_31) in keys(items)
    assert not {(RACH_GIA, 176, JAN_31), (RACH_GIA, 186, date(2026, 2, 28))} & keys(items)
    for item in items:
        if item.lead:
            assert any(re.search(r"van hoa\W+xa hoi|\bvhxh\b", fold(name)) for name in item.lead), item
        else:  # a report every unit of the plan sends
            assert item.kind == "report" and item.plan == VINH_THINH, item
    same = {"Phòng Văn hóa - Xã hội", "VHXH", "phòng văn hoá, xã hội"}
    for alias in same:
        assert upcoming(all_plans, today, days=365, unit=alias) == items, alias


def test_unit_filter_leaves_out_other_units(all_plans):
    items = upcoming(all_plans, date(2026, 1, 1), days=365, unit="trung tam phuc vu hanh chinh cong")
    tasks = [i for i in items if i.kind == "task"]
    assert keys(tasks) == {(RACH_GIA, 186, date(2026, 2, 28)), (RACH_GIA, 279, date(2026, 8, 31))}
    assert upcoming(all_plans, date(2026, 1, 1), days=365, unit="Ban Chỉ huy Quân sự") == []


def test_plan_filter_by_id_or_place_with_or_without_diacritics(all_plans):
    today = date(2026, 1, 1)
    for key in ("rach gia", "Rạch Giá", "phường Rạch Giá", RACH_GIA):
        items = upcoming(all_plans, today, days=365, plan=key)
        assert items and {i.plan for i in items} == {RACH_GIA}, key
    assert {i.plan for i in upcoming(all_plans, today, days=365, plan="vinh thinh")} == {VINH_THINH}
    assert upcoming(all_plans, today, days=365, plan="Hà Nội") == []
    assert {i.plan for i in select_items(all_plans, plan="ky lac")} == {KY_LAC}


def test_negative_days_is_refused(all_plans):
    with pytest.raises(ValueError, match="-1"):
        upcoming(all_plans, date(2026, 1, 20), days=-1)


# ------------------------------------------------------------------ overdue


def test_overdue_items_of_the_current_plan_come_after_the_upcoming_ones(all_plans):
    items = upcoming(all_plans, date(2026, 2, 15), days=30)
    late = [i for i in items if i.overdue]
    assert keys(late) == {(RACH_GIA, line, JAN_31) for line in (176, 177, 223, 271, 277)}
    assert items[len(items) - len(late) :] == late
    assert keys(items[: len(items) - len(late)]) == {
        (RACH_GIA, 186, date(2026, 2, 28)),
        (VINH_THINH, 132, date(2026, 3, 8)),
        (VINH_THINH, 132, date(2026, 3, 10)),
    }
    # a 2025 plan's dates are not listed as overdue in 2026
    assert not {i.plan for i in items} & {KY_LAC, THAI_TAN}
    assert not any(i.overdue for i in upcoming(all_plans, date(2026, 2, 15), days=30, include_overdue=False))


def test_overdue_within_a_2025_plan_in_2025(all_plans):
    items = upcoming(all_plans, date(2025, 10, 1), days=30)
    late = {(i.plan, i.what, i.due) for i in items if i.overdue}
    assert (
        KY_LAC,
        "Xây dựng dự thảo văn bản đề xuất mục tiêu, nhiệm vụ",
        date(2025, 7, 25),
    ) in late  # "Ngày 25/7/2025"
    assert (KY_LAC, "Ban hành Kế hoạch Kiểm tra CCHC", date(2025, 9, 30)) in late  # "Quý III/2025"
    assert not any(i.due.year == 2026 for i in items)
    assert [i.due for i in items if i.overdue] == sorted(i.due for i in items if i.overdue)


@settings(max_examples=40, deadline=None)
@given(today=st.dates(date(2025, 1, 1), date(2027, 3, 1)), days=st.integers(0, 400))
def test_upcoming_window_property(library, today, days):
    items = upcoming(library.plans, today, days=days)
    late = [i for i in items if i.overdue]
    ahead = items[: len(items) - len(late)]
    assert items[len(ahead) :] == late  # upcoming first, overdue after
    assert all(i.due < today and i.due.year == today.year for i in late)
    assert all(not i.overdue and today <= i.due <= today + timedelta(days=days) for i in ahead)
    assert [i.due for i in ahead] == sorted(i.due for i in ahead)


# ------------------------------------------------------------------ digest


def test_digest_on_a_day_with_items(all_plans):
    # 24/01: the 31/01 tasks are 7 days away
    assert keys(digest_items(all_plans, date(2026, 1, 24))) == {
        (RACH_GIA, line, JAN_31) for line in (176, 177, 223, 271, 277)
    }
    # 07/03: Vĩnh Thịnh's quarterly report tomorrow, its report to the department in 3 days
    digest = digest_items(all_plans, date(2026, 3, 7))
    assert [(i.due, i.what) for i in digest] == [
        (date(2026, 3, 8), "Báo cáo quý gửi Ủy ban nhân dân xã (qua phòng văn hóa, xã hội)"),
        (date(2026, 3, 10), "Báo cáo quý gửi sở Nội vụ"),
    ]
    assert keys(digest_items(all_plans, JAN_31)) == {
        (RACH_GIA, line, JAN_31) for line in (176, 177, 223, 271, 277)
    }


def test_digest_on_a_day_without_items(all_plans):
    assert digest_items(all_plans, date(2026, 4, 15)) == []
    assert digest_items(all_plans, date(2026, 1, 25)) == []  # 31/01 is 6 days away: not a reminder day


def test_digest_for_one_unit(all_plans):
    digest = digest_items(all_plans, date(2026, 1, 24), unit="van phong hdnd va ubnd")
    assert keys(digest) == {(RACH_GIA, 176, JAN_31), (RACH_GIA, 177, JAN_31)}


def test_today_in_vietnam_is_utc_plus_7():
    before = datetime.now(timezone(timedelta(hours=7))).date()
    assert today_in_vietnam() in {before, before + timedelta(days=1)}


# ------------------------------------------------------------------ .ics


def test_ics_round_trip(all_plans):
    items = calendar_items(all_plans)
    cal = icalendar.Calendar.from_ical(to_ics(items, "Hạn công việc CCHC"))
    events = cal.events
    assert len(events) == len(items)
    assert cal.calendar_name == "Hạn công việc CCHC"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    assert len({str(e["UID"]) for e in events}) == len(items)
    for item, event in zip(items, events):
        assert event.start == item.due and event.end == item.due + timedelta(days=1)
        assert item.quote in str(event["DESCRIPTION"])
        assert item.plan_title in str(event["DESCRIPTION"])
        assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [timedelta(days=-1)]


def test_ics_uids_are_stable(all_plans):
    items = upcoming(all_plans, date(2026, 1, 20), days=30)
    first = icalendar.Calendar.from_ical(to_ics(items, "a"))
    second = icalendar.Calendar.from_ical(to_ics(list(reversed(items)), "b"))
    assert {str(e["UID"]) for e in first.events} == {str(e["UID"]) for e in second.events}
    event = next(e for e in first.events if "Chuyển đổi số" in str(e["SUMMARY"]))
    assert "Chủ trì: Phòng Văn hóa – xã hội" in str(event["DESCRIPTION"])


# ------------------------------------------------------------------ CLI


def _run_in_process(argv: list[str], capsys) -> tuple[int, str, str]:
    from assistant.cli.deadlines import add_deadlines_parser
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m assistant")
    add_deadlines_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.func(args, Settings(corpus_dir=CORPUS))  # the index and embedder of `lexical_cli`
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_and_ics(capsys, tmp_path, all_plans, lexical_cli):
    target = tmp_path / "lich.ics"
    code, out, err = _run_in_process(
        ["deadlines", "--today", "2026-02-15", "--unit", "vhxh", "--ics", str(target)], capsys
    )
    assert code == 0
    assert "⚠️ Quá hạn — Thứ Bảy, 31/01/2026 (quá 15 ngày)" in out
    assert "Kế hoạch Chuyển đổi số năm 2026" in out
    assert "Văn phòng HĐND và UBND" not in out
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert len(cal.events) == len(select_items(all_plans, unit="vhxh"))  # the whole year, not the window
    assert "Đã ghi" in err


def test_cli_unknown_plan(capsys, lexical_cli):
    code, out, err = _run_in_process(["deadlines", "--plan", "Hà Nội"], capsys)
    assert code == 1 and "Không tìm thấy kế hoạch" in err


def _deadlines_registered() -> bool:
    from assistant.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return "deadlines" in sub.choices


@pytest.mark.skipif(
    not _deadlines_registered(),
    reason="`deadlines` is not registered in assistant/cli.py yet "
    "(add `add_deadlines_parser(sub)` in build_parser)",
)
def test_cli_json_subprocess(lexical_cli):
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(CORPUS)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "deadlines", "--today", "2026-01-20", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {(r["plan"], r["lines"][0], r["due"]) for r in rows} == {
        (RACH_GIA, line, "2026-01-31") for line in (176, 177, 223, 271, 277)
    }
    row = next(r for r in rows if r["lines"] == [223, 223])
    assert row == {
        "due": "2026-01-31",
        "what": "Kế hoạch Chuyển đổi số năm 2026",
        "lead": ["Phòng Văn hóa – xã hội"],
        "plan": RACH_GIA,
        "kind": "task",
        "overdue": False,
        "lines": [223, 223],
    }
