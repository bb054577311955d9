"""`python -m assistant add FILE [--replace]` and `remove PLAN`: parsing and printing only."""

from __future__ import annotations

import sys

from assistant.cli.disk import disk_full, is_full
from assistant.cli.progress import progress_bar
from assistant.present.cli import EMBEDDING_NEW, RERUN_WITH_REPLACE
from assistant.present.updates import added_text, update_message


def add_plans_parser(subparsers) -> None:
    p = subparsers.add_parser("add", help="thêm một kế hoạch (.txt, .md, .docx, .pdf) và cập nhật chỉ mục")
    p.add_argument("file", help="đường dẫn tệp kế hoạch")
    p.add_argument(
        "--replace",
        action="store_true",
        help="thay thế kế hoạch đã có của cùng xã/phường và cùng kỳ (hoặc cùng tên tệp)",
    )
    p.set_defaults(func=cmd_add)
    p = subparsers.add_parser("remove", help="gỡ một kế hoạch (theo mã, tên tệp hoặc tên xã/phường)")
    p.add_argument("plan", help="mã kế hoạch, tên tệp hoặc tên xã/phường")
    p.set_defaults(func=cmd_remove)


def cmd_add(args, settings) -> int:
    from assistant.index.update import add_plan

    try:
        result = add_plan(settings, args.file, replace=args.replace, progress=progress_bar(EMBEDDING_NEW))
    except OSError as exc:
        if not is_full(exc):
            raise
        print(disk_full(exc, "thêm kế hoạch"), file=sys.stderr)
        return 1
    if not result.ok:
        print(update_message(result), file=sys.stderr)
        if result.status == "exists":
            print(RERUN_WITH_REPLACE, file=sys.stderr)
        return 1
    print(added_text(result))
    return 0


def cmd_remove(args, settings) -> int:
    from assistant.index.update import remove_plan

    try:
        result = remove_plan(settings, args.plan, progress=progress_bar(EMBEDDING_NEW))
    except OSError as exc:
        if not is_full(exc):
            raise
        print(disk_full(exc, "gỡ kế hoạch"), file=sys.stderr)
        return 1
    print(update_message(result), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
