"""`python -m assistant overview`: the communes of a province or district side by side, as
text, CSV or .xlsx. Parsing and printing only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.deadlines import day_count, iso_date
from assistant.present import cli as words


def add_overview_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "overview", help="tổng hợp theo xã/phường: kế hoạch, số nhiệm vụ, hạn báo cáo, chỉ tiêu"
    )
    p.add_argument("--province", default="", help="tỉnh/thành phố, có dấu hay không đều được")
    p.add_argument("--district", default="", help="huyện")
    p.add_argument("--year", type=_year, help="năm của kỳ kế hoạch (mặc định: năm có nhiều kế hoạch nhất)")
    p.add_argument(
        "--today", type=iso_date, help="ngày tính hạn, YYYY-MM-DD (mặc định: hôm nay, giờ Việt Nam)"
    )
    p.add_argument("--days", type=day_count, default=30, help="số ngày tới của hạn báo cáo (mặc định 30)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="ghi bảng tổng hợp ra tệp .csv")
    out.add_argument("--xlsx", metavar="FILE", help="ghi bảng tổng hợp ra tệp Excel .xlsx")
    p.set_defaults(func=cmd_overview)


def cmd_overview(args, settings) -> int:
    from assistant.cli.corpus import open_corpus
    from assistant.due.overview import build_overview
    from assistant.due.schedule import today_in_vietnam
    from assistant.present.overview import overview_text, summary_lines, to_csv

    lib = open_corpus(settings)
    today = args.today or today_in_vietnam()
    ov = build_overview(
        lib.plans, today, province=args.province, district=args.district, year=args.year, days=args.days
    )
    if not ov.rows:
        print(summary_lines(ov)[0], file=sys.stderr)
        return 1
    if args.csv:
        Path(args.csv).write_text(to_csv(ov), "utf-8-sig", newline="")  # Excel reads the BOM as UTF-8
    elif args.xlsx:
        from assistant.present.sheet import to_xlsx

        Path(args.xlsx).write_bytes(to_xlsx(ov))
    else:
        print(overview_text(ov))
        return 0
    print("\n".join(summary_lines(ov)))
    print(words.overview_written(len(ov.rows), args.csv or args.xlsx), file=sys.stderr)
    return 0


def _year(text: str) -> int:
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(words.invalid_year(text))
    return int(text)
