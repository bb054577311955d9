"""`python -m assistant deadlines`: upcoming and overdue deadlines, as text, JSON or .ics."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.present.words import day_label, lines_label

if TYPE_CHECKING:  # the calendar (pydantic records) loads only when the command runs
    from assistant.due.schedule import DueItem


def add_deadlines_parser(subparsers) -> None:
    p = subparsers.add_parser("deadlines", help="hạn công việc sắp đến và quá hạn")
    p.add_argument(
        "--today", type=_iso_date, help="ngày tính hạn, YYYY-MM-DD (mặc định: hôm nay, giờ Việt Nam)"
    )
    p.add_argument("--days", type=_days, default=30, help="số ngày tới (mặc định 30)")
    p.add_argument("--unit", help="đơn vị chủ trì, viết tắt hay không dấu đều được")
    p.add_argument("--plan", help="kế hoạch: mã hoặc tên xã/phường")
    p.add_argument("--json", action="store_true", help="danh sách JSON")
    p.add_argument("--ics", metavar="FILE", help="ghi toàn bộ lịch hạn (lọc theo --plan/--unit) ra tệp .ics")
    p.set_defaults(func=cmd_deadlines)


def cmd_deadlines(args, settings) -> int:
    from assistant.cli.corpus import open_corpus
    from assistant.due.schedule import select_items, today_in_vietnam, upcoming

    lib = open_corpus(settings)
    if args.plan and not lib.plan(args.plan):
        print(f"Không tìm thấy kế hoạch «{args.plan}».", file=sys.stderr)
        return 1
    today = args.today or today_in_vietnam()
    items = upcoming(lib.plans, today, days=args.days, unit=args.unit, plan=args.plan)
    if args.json:
        print(json.dumps([item_json(i) for i in items], ensure_ascii=False, indent=2))
    else:
        places = {p.plan.id: p.plan.place for p in lib.plans}
        print(format_items(items, today, args.days, places))
    if args.ics:
        from assistant.present.ics import to_ics

        events = select_items(lib.plans, unit=args.unit, plan=args.plan)
        Path(args.ics).write_bytes(to_ics(events, _calendar_name(lib, args)))
        print(f"Đã ghi {len(events)} hạn công việc vào {args.ics}.", file=sys.stderr)
    return 0


def item_json(item: DueItem) -> dict:
    return {
        "due": item.due.isoformat(),
        "what": item.what,
        "lead": list(item.lead),
        "plan": item.plan,
        "kind": item.kind,
        "overdue": item.overdue,
        "lines": list(item.lines),
    }


def format_items(items: list[DueItem], today: date, days: int, places: dict[str, str]) -> str:
    """A plain Vietnamese list grouped by date, overdue dates first."""
    end = date.fromordinal(today.toordinal() + days)
    head = f"Hạn công việc từ {today:%d/%m/%Y} đến {end:%d/%m/%Y}"
    if not items:
        return f"{head}: không có hạn nào."
    late = sum(i.overdue for i in items)
    lines = [f"{head}: {len(items) - late} mục" + (f", {late} mục quá hạn" if late else "") + "."]
    for due, overdue in dict.fromkeys((i.due, i.overdue) for i in items):
        lines += ["", _date_heading(due, today, overdue)]
        for item in (i for i in items if i.due == due and i.overdue == overdue):
            lines += _item_lines(item, places)
    return "\n".join(lines)


def _date_heading(due: date, today: date, overdue: bool) -> str:
    label = day_label(due, today)
    return f"⚠️ Quá hạn — {label}" if overdue else f"📅 {label}"


def _item_lines(item: DueItem, places: dict[str, str]) -> list[str]:
    role = "Đơn vị gửi" if item.kind == "report" else "Chủ trì"
    lead = ", ".join(item.lead) or ("các cơ quan, đơn vị" if item.kind == "report" else "chưa nêu")
    where = places.get(item.plan, item.plan)
    return [f"  • {item.what}", f"    {role}: {lead} — {where}, {lines_label(item.lines)}"]


def _calendar_name(lib, args) -> str:
    parts = ["Hạn công việc CCHC"]
    if args.plan:
        parts.append(lib.plan(args.plan).plan.place)
    if args.unit:
        parts.append(args.unit)
    return " — ".join(parts)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày «{text}» không hợp lệ, cần dạng YYYY-MM-DD") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"số ngày «{text}» không hợp lệ, cần số nguyên từ 0 trở lên")
    return value
