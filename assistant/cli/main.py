"""Command line: `python -m assistant <command>`. Parsing and printing only."""

from __future__ import annotations

import argparse
import json
import os
import sys

from assistant.cli.corpus import NoPlans, open_corpus, report_skipped
from assistant.cli.deadlines import add_deadlines_parser
from assistant.cli.disk import disk_full, is_full
from assistant.cli.evaluate import add_eval_parsers
from assistant.cli.overview import add_overview_parser
from assistant.cli.plans import add_plans_parser
from assistant.cli.progress import progress_bar
from assistant.present import cli as words
from assistant.settings import load_settings
from assistant.telegram.entry import VERBOSE_HELP, configure_logging


def _deadline_json(deadline):
    if not deadline:
        return None
    return {
        "raw": deadline.raw,
        "kind": deadline.kind,
        "due": deadline.due.isoformat() if deadline.due else None,
    }


def task_json(task) -> dict:
    return {
        "plan": task.plan,
        "content": task.content,
        "task": task.task,
        "product": task.product,
        "lead": list(task.lead),
        "cooperating": list(task.cooperating),
        "deadline": _deadline_json(task.deadline),
        "section": " > ".join(task.section),
        "lines": [task.span.line_start, task.span.line_end],
    }


def cmd_plans(args, settings) -> int:
    lib = open_corpus(settings)
    rows = [
        {
            "id": p.plan.id,
            "file": p.plan.file,
            "place": p.plan.place,
            "province": p.plan.province,
            "district": p.plan.district,
            "period": p.plan.period,
            "tasks": len(p.tasks),
            "duties": len(p.duties),
            "reports": len(p.reports),
            "targets": len(p.targets),
        }
        for p in lib.plans
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(words.plan_row(r))
    return 0


def cmd_tasks(args, settings) -> int:
    lib = open_corpus(settings)
    if args.plan and not lib.plan(args.plan):
        print(words.no_such_plan(args.plan), file=sys.stderr)
        return 1
    tasks = lib.tasks(plan=args.plan, unit=args.unit)
    if args.json:
        print(json.dumps([task_json(t) for t in tasks], ensure_ascii=False, indent=2))
        return 0
    for t in tasks:
        print(words.task_lines(t))
    if not tasks:
        print(words.NO_TASKS)
    return 0


def cmd_units(args, settings) -> int:
    lib = open_corpus(settings)
    for name, plans in sorted(lib.units(args.plan).items()):
        print(words.unit_line(name, plans))
    return 0


def _assistant(settings, rebuild: bool = False):
    from assistant.serve.assistant import Assistant

    return Assistant.load(settings, rebuild=rebuild, progress=progress_bar())


def cmd_index(args, settings) -> int:
    assistant = _assistant(settings, rebuild=args.rebuild)
    print(words.index_state(assistant.index.manifest, assistant.rebuilt, settings.index_dir))
    report_skipped(assistant.index.errors)
    if not assistant.index.catalog:
        print(words.no_plans(settings.corpus_dir, args.prog), file=sys.stderr)
    return 0


def cmd_ask(args, settings) -> int:
    from assistant.present.answers import answer_json, answer_text

    assistant = _assistant(settings)
    if not assistant.index.catalog:
        raise NoPlans
    if args.jsonl:
        from assistant.cli.batch import answer_lines
        from assistant.converse.dialogue import MemoryTurns, converse

        turns = MemoryTurns()

        def ask(question: str, session: str | None):
            if session is None:
                return assistant.ask(question)
            return converse(assistant, turns, session, question)

        out = sys.stdout.buffer
        for line in answer_lines(sys.stdin.buffer, ask):
            out.write(line.encode("utf-8") + b"\n")
            out.flush()
        return 0
    question = " ".join(args.question)
    answer = assistant.ask(question)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(answer_text(answer))
    return 0


def cmd_feedback(args, settings) -> int:
    """Every 👎 of the bot's store as a gold-question line for an editor to complete."""
    from assistant.present.feedback import gold_lines
    from assistant.telegram.store import open_store, store_exists

    rows = []
    if store_exists(settings):  # else the bot never ran here: nothing to export, and none is created
        with open_store(settings) as store:
            rows = store.feedback()
    lines = gold_lines(rows, settings.timezone)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if args.export == "-":
        sys.stdout.write(text)
    else:
        with open(args.export, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    summary = words.feedback_exported(len(lines), args.export)
    print(summary, file=sys.stderr if args.export == "-" else sys.stdout)  # stdout may be the export
    return 0


def cmd_chat(args, settings) -> int:
    from assistant.telegram.entry import chat

    return chat(args.verbose_logs, progress_bar, args.prog)


PROG = "python -m assistant"


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Trợ lý tra cứu kế hoạch cải cách hành chính.")
    parser.set_defaults(prog=prog)
    parser.add_argument("--verbose", dest="verbose_logs", action="store_true", help=VERBOSE_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plans", help="danh sách kế hoạch")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans)
    p = sub.add_parser("tasks", help="nhiệm vụ (lọc theo kế hoạch, đơn vị)")
    p.add_argument("--plan")
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks)
    p = sub.add_parser("units", help="các đơn vị được nêu trong kế hoạch")
    p.add_argument("--plan")
    p.set_defaults(func=cmd_units)
    p = sub.add_parser("index", help="xây dựng hoặc kiểm tra chỉ mục")
    p.add_argument("--rebuild", action="store_true", help="xây dựng lại từ đầu")
    p.set_defaults(func=cmd_index)
    p = sub.add_parser("ask", help="đặt câu hỏi")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true", help="một đối tượng JSON")
    p.add_argument("--jsonl", action="store_true", help='đọc các dòng {"id","question"} từ stdin')
    p.set_defaults(func=cmd_ask)
    add_eval_parsers(sub)
    add_deadlines_parser(sub)
    add_overview_parser(sub)
    add_plans_parser(sub)
    p = sub.add_parser("feedback", help="phản hồi 👎 của người dùng Telegram")
    p.add_argument(
        "--export",
        metavar="FILE",
        required=True,
        help="ghi mỗi 👎 thành một dòng JSON dạng câu hỏi mẫu để biên tập (- : ra màn hình)",
    )
    p.set_defaults(func=cmd_feedback)
    p = sub.add_parser("chat", help="chạy bot Telegram (có mã) hoặc trò chuyện trong cửa sổ dòng lệnh")
    p.set_defaults(func=cmd_chat)
    return parser


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    from assistant.answer.model import ParamsInvalid
    from assistant.index.embed import EmbedderUnavailable
    from assistant.present.errors import embedder_problem

    args = build_parser(prog).parse_args(argv)
    configure_logging(operator=False, verbose=args.verbose_logs)
    settings = load_settings()
    try:
        return args.func(args, settings)
    except NoPlans:  # a new home folder: where the plans go
        print(words.no_plans(settings.corpus_dir, prog), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`ask … | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except EmbedderUnavailable as exc:  # a configuration the operator must fix
        print(embedder_problem(exc.problem, exc.spec, exc.detail), file=sys.stderr)
    except ParamsInvalid as exc:
        print(f"Tham số trả lời không dùng được: {exc}", file=sys.stderr)
    except OSError as exc:
        if not is_full(exc):
            raise
        print(disk_full(exc), file=sys.stderr)
        return 1
    return 2


def cchc() -> int:
    """The installed command `cchc`: the same commands as `python -m assistant`."""
    return main(prog="cchc")
