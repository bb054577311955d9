"""What the conversation costs a question: the gold questions asked plainly
(`Assistant.ask`) and as a chat asks them (`converse`: the last turn read, the follow-up
check, the turn kept; and the bot's path with its SQLite store), interleaved question by
question over three rounds so both see the same machine. Also a follow-up's latency.

    python benchmarks/bench_conversation.py   # the served index (built first when missing)

Writes benchmarks/results_conversation.json and prints a Markdown table."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run_benchmarks import percentile  # noqa: E402

FOLLOW_UPS = ("còn phối hợp thì sao?", "hạn khi nào?", "đơn vị đó còn làm gì nữa?")


def main() -> int:
    from assistant.answer.evaluate import read_jsonl
    from assistant.converse import dialogue
    from assistant.serve.assistant import Assistant
    from assistant.settings import load_settings
    from assistant.telegram.store import Store

    gold = [
        g for name in ("dev", "round1") for g in read_jsonl(ROOT.parent / "shared" / "eval" / f"{name}.jsonl")
    ]
    settings = load_settings()
    assistant = Assistant.load(settings)
    assistant.ask("khởi động")
    turns = dialogue.MemoryTurns()
    timings: dict[str, list[float]] = {"plain": [], "conversation": [], "bot_store": [], "follow_up": []}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for _ in range(3):
            for i, g in enumerate(gold):
                q = g["question"]
                started = time.perf_counter()
                assistant.ask(q)
                timings["plain"].append(time.perf_counter() - started)
                started = time.perf_counter()
                dialogue.converse(assistant, turns, "bench", q)
                timings["conversation"].append(time.perf_counter() - started)
                started = time.perf_counter()
                exchange = dialogue.ask(assistant, q, store.turn(1), ())
                store.home_of(1)
                if exchange.turn is not None:
                    store.remember(1, exchange.turn)
                timings["bot_store"].append(time.perf_counter() - started)
                started = time.perf_counter()
                dialogue.converse(assistant, turns, "bench", FOLLOW_UPS[i % len(FOLLOW_UPS)])
                timings["follow_up"].append(time.perf_counter() - started)
    results = {
        "machine": f"{os.cpu_count()} cores",
        "embedder": settings.embedder,
        "questions": len(gold),
        **{f"{k}_ms_p50": round(percentile([t * 1000 for t in v], 0.5), 1) for k, v in timings.items()},
        **{f"{k}_ms_p95": round(percentile([t * 1000 for t in v], 0.95), 1) for k, v in timings.items()},
    }
    out = ROOT / "benchmarks" / "results_conversation.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(markdown(results))
    return 0


def markdown(r: dict) -> str:
    rows = [
        ("a question asked plainly (`Assistant.ask`)", "plain"),
        ("the same question in a conversation (last turn read, follow-up check, turn kept)", "conversation"),
        ("... as the bot asks it (turn and commune read from SQLite, turn written)", "bot_store"),
        ("a follow-up (completed from the last turn, then answered)", "follow_up"),
    ]
    head = [
        f"| {r['questions']} gold questions × 3, {r['embedder']}, {r['machine']} | p50 | p95 |",
        "| --- | ---: | ---: |",
    ]
    return "\n".join(
        head + [f"| {label} | {r[k + '_ms_p50']} ms | {r[k + '_ms_p95']} ms |" for label, k in rows]
    )


if __name__ == "__main__":
    raise SystemExit(main())
