"""Write what the assistant answers and lists into a folder, to diff two versions.

    python tools/behaviour_snapshot.py OUT_DIR [--eval-dir ../shared/eval]
    diff -r before/ after/

Captures `ask --jsonl` over every shared gold question, and the listing commands'
outputs (plans, tasks, units, deadlines as JSON and as text, one plain `ask`). A refactor
that claims "behaviour unchanged" shows an empty diff."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "plans.json": ["plans", "--json"],
    "plans.txt": ["plans"],
    "tasks.json": ["tasks", "--json"],
    "tasks_unit.txt": ["tasks", "--unit", "Văn phòng HĐND và UBND"],
    "units.txt": ["units"],
    "deadlines.json": ["deadlines", "--today", "2026-01-20", "--days", "400", "--json"],
    "deadlines.txt": ["deadlines", "--today", "2026-01-20"],
    "ask.txt": ["ask", "Ai chủ trì cải cách thể chế ở xã Thạnh An?"],
}


def run(args: list[str], stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return f"exit {done.returncode}\n{done.stdout}"


def gold_questions(eval_dir: Path) -> str:
    lines = []
    for name in ("dev.jsonl", "round1.jsonl"):
        for line in (eval_dir / name).read_text("utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                lines.append(json.dumps({"id": q["id"], "question": q["question"]}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "gold_answers.jsonl").write_text(
        run(["ask", "--jsonl"], gold_questions(args.eval_dir)), "utf-8"
    )
    for name, cmd in COMMANDS.items():
        (args.out / name).write_text(run(cmd), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
