"""`python -m assistant deadlines`: upcoming and overdue deadlines, as text, JSON or .ics."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.present import cli as words

if TYPE_CHECKING:  # the calendar (pydantic records) loads only when the command runs
    from assistant.due.schedule import DueItem


def add_deadlines_parser(subparsers) -> None:
    p = subparsers.add_parser("deadlines", help="hạn công việc sắp đến và quá hạn")
    p.add_argument(
        "--today", type=iso_date, help="ngày tính hạn, YYYY-MM-DD (mặc định: hôm nay, giờ Việt Nam)"
    )
    p.add_argument("--days", type=day_count, default=30, help="số ngày tới (mặc định 30)")
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
        print(words.no_such_plan(args.plan), file=sys.stderr)
        return 1
    today = args.today or today_in_vietnam()
    items = upcoming(lib.plans, today, days=args.days, unit=args.unit, plan=args.plan)
    if args.json:
        print(json.dumps([item_json(i) for i in items], ensure_ascii=False, indent=2))
    else:
        places = {p.plan.id: p.plan.place for p in lib.plans}
        looked_at = [lib.plan(args.plan).plan] if args.plan else [p.plan for p in lib.plans]
        print(words.deadlines_text(items, today, args.days, places, looked_at))
    if args.ics:
        from assistant.present.ics import to_ics

        events = select_items(lib.plans, unit=args.unit, plan=args.plan)
        place = lib.plan(args.plan).plan.place if args.plan else None
        Path(args.ics).write_bytes(to_ics(events, words.calendar_name(place, args.unit)))
        print(words.ics_written(len(events), args.ics), file=sys.stderr)
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


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(words.invalid_date(text)) from None


def day_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(words.invalid_days(text))
    return value
