"""Two webhook workers under load, one killed: the figures of issue 22.

    python benchmarks/bench_workers.py [--updates 2000] [--chats 200] [--rate 8] [--stale-after 20]

Starts a throwaway PostgreSQL (tests/pgcluster.py), the fake Bot API server
(tests/fake_telegram.py), two real `python bot.py` workers in webhook mode sharing that
store and the served index, and one local address in front of them (tests/balancer.py:
round robin, a dead worker left out). Posts the updates of many chats at a steady rate
(questions from the shared gold files when present, else a built-in list; about one in four
a follow-up of the chat's own question; some chats turning the digest on), kills one worker
(kill -9) halfway, carries on, waits until all is quiet, and checks that every update was
answered exactly once, every follow-up understood ("Hiểu là: …") and each digest sent once
(tests/loadrun.py, tests/loadtraffic.py). Writes benchmarks/results_workers.json and prints a
Markdown table; exits 1 when an invariant fails."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

GOLD = [ROOT.parent / "shared" / "eval" / f"{name}.jsonl" for name in ("dev", "round1", "round2")]


def machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(memory / 2**30, 1),
        "cpu": model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def questions() -> tuple[list[str], str]:
    from loadtraffic import QUESTIONS

    from assistant.answer.evaluate import read_jsonl

    found = [path for path in GOLD if path.is_file()]
    if not found:
        return list(QUESTIONS), "built-in list"
    return [g["question"] for path in found for g in read_jsonl(path)], "shared gold (" + ", ".join(
        p.name for p in found
    ) + ")"


def main() -> int:
    from loadtraffic import Load

    defaults = Load()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=defaults.updates)
    parser.add_argument("--chats", type=int, default=defaults.chats)
    parser.add_argument("--rate", type=float, default=defaults.rate, help="updates posted per second")
    parser.add_argument("--subscribed", type=int, default=defaults.subscribed)
    parser.add_argument("--stale-after", type=float, default=defaults.stale_after)
    parser.add_argument("--digest-after", type=float, default=defaults.digest_after)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results_workers.json")
    parser.add_argument("--logs", type=Path, help="keep the workers' logs in this folder")
    args = parser.parse_args()
    load = Load(
        updates=args.updates,
        chats=args.chats,
        rate=args.rate,
        subscribed=args.subscribed,
        stale_after=args.stale_after,
        digest_after=args.digest_after,
        seed=args.seed,
    )
    import pgcluster
    from fake_telegram import FakeTelegram
    from loadrun import run
    from loadtraffic import screen

    from assistant.serve.assistant import Assistant
    from assistant.settings import load_settings

    if reason := pgcluster.unavailable():
        print(reason, file=sys.stderr)
        return 2
    settings = load_settings()
    asked, source = questions()
    print(
        f"reading {len(set(asked))} questions ({source}) for the ones a follow-up can follow…",
        file=sys.stderr,
    )
    leads = screen(Assistant.load(settings), asked)
    at = datetime.now(UTC)
    start_machine = machine()
    print(f"posting {load.updates} updates from {load.chats} chats at {load.rate}/s…", file=sys.stderr)
    with FakeTelegram() as tg, pgcluster.cluster() as db_url, tempfile.TemporaryDirectory() as tmp:
        logs = args.logs or Path(tmp)
        logs.mkdir(parents=True, exist_ok=True)
        outcome = asyncio.run(
            run(load, tg, db_url, settings.index_dir, settings.embedder, asked, leads, logs)
        )
    v = outcome.verdict
    results = {
        "date": at.isoformat(timespec="seconds"),
        "machine": start_machine,
        "embedder": settings.embedder,
        "questions_from": source,
        "distinct_questions": len(set(asked)),
        "questions_a_follow_up_can_follow": len(leads),
        "load": {k: getattr(load, k) for k in load.__dataclass_fields__},
        "ok": v.ok,
        "answered_once": v.answered_once,
        "unanswered": v.unanswered,
        "answered_twice": v.answered_twice,
        "follow_ups_resolved": v.follow_ups_resolved,
        "unresolved": v.unresolved,
        "digests_once": v.digests_once,
        "digests_wrong": {str(k): n for k, n in v.digests_wrong.items()},
        "stray_replies": v.stray,
        **outcome.figures,
    }
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(markdown(results))
    if not v.ok:
        print(outcome.explain(), file=sys.stderr)
    return 0 if v.ok else 1


def markdown(r: dict) -> str:
    k, m = r["killed"], r["machine"]
    missed = f"{len(r['unanswered'])} unanswered, {len(r['answered_twice'])} twice"
    killed = f"{k['worker']}, after {k['after_updates_posted']:,} updates posted"
    rows = [
        (
            "updates posted (chats: private / groups)",
            f"{r['updates']:,} ({r['chats']}: {r['private_chats']} / {r['group_chats']})",
        ),
        ("answered exactly once", f"{r['answered_once']:,} / {r['updates']:,} ({missed})"),
        ('follow-ups understood ("Hiểu là: …")', f"{r['follow_ups_resolved']} / {r['follow_ups']}"),
        (
            "digests sent once (subscribed chats)",
            f"{r['digests_once']} / {r['subscriptions']} (by worker: {r['digests_sent']})",
        ),
        ("worker killed (kill -9)", f"{killed}; the store held {k['store_at_kill']}"),
        (
            "updates taken over by the other worker",
            f"{r['taken_over_by_survivor']:.0f} (stale after {r['stale_after_s']:.0f} s)",
        ),
        ("offered / sustained rate", f"{r['rate_offered']} / {r['updates_per_second']} updates/s"),
        (
            "reply time p50 / p95 / max (POST → reply at the fake Bot API)",
            f"{r['reply_ms_p50']} / {r['reply_ms_p95']} / {r['reply_ms_max']:,} ms",
        ),
        (
            "reply time p95 before / after the kill",
            f"{r['reply_ms_p95_before_kill']} / {r['reply_ms_p95_after_kill']} ms",
        ),
    ]
    head = f"| {r['date'][:10]}, {m['cores']} cores, {m['ram_gb']} GB, embedder {r['embedder']} | |"
    return "\n".join([head, "| --- | ---: |", *(f"| {a} | {b} |" for a, b in rows)])


if __name__ == "__main__":
    sys.exit(main())
