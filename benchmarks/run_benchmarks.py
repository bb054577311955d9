"""Speed, memory and accuracy figures for the README.

    python benchmarks/run_benchmarks.py [--gold ../shared/eval/dev.jsonl ../shared/eval/round1.jsonl ...]

Builds the index from scratch in a temporary folder with the default embedder, then
measures: build time, cold start (process start to first answer), per-question latency
with a warm index (p50/p95 over the gold questions, three rounds) and the part of it spent
embedding the question, peak memory, and accuracy on the gold with and without the dense
similarity (both models fit on these questions: in-sample figures; `eval --by-plan` gives
the held-out ones).
Writes benchmarks/results.json and prints a Markdown table."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(args: list[str], env: dict, stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return time.perf_counter() - started, out


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--gold",
        nargs="+",
        default=[
            str(ROOT.parent / "shared" / "eval" / f"{name}.jsonl") for name in ("dev", "round1", "round2")
        ],
    )
    args = parser.parse_args()
    from assistant.answer import Answerer
    from assistant.answer.evaluate import read_jsonl, score
    from assistant.present.answers import answer_json
    from assistant.present.facts import say
    from assistant.serve.assistant import Assistant
    from assistant.settings import load_settings

    gold = [g for f in args.gold for g in read_jsonl(Path(f))]
    results: dict = {"machine": f"{os.cpu_count()} cores", "questions": len(gold)}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ASSISTANT_INDEX_DIR": str(Path(tmp) / "index")}
        results["build_seconds"], _ = run(["index"], env)
        colds = []
        for _ in range(3):
            seconds, _ = run(["ask", "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"], env)
            colds.append(seconds)
        results["cold_start_seconds"] = statistics.median(colds)
        results["peak_rss_mb_cli"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        os.environ["ASSISTANT_INDEX_DIR"] = env["ASSISTANT_INDEX_DIR"]
        assistant = Assistant.load(load_settings())
        assistant.ask("khởi động")  # loads the embedding model once
        latencies = []
        for _ in range(3):
            for g in gold:
                started = time.perf_counter()
                assistant.ask(g["question"])
                latencies.append((time.perf_counter() - started) * 1000)
        results["latency_ms_p50"] = percentile(latencies, 0.5)
        results["latency_ms_p95"] = percentile(latencies, 0.95)
        results["peak_rss_mb_warm"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        embedder = assistant.answerer.embedder
        embeds = []
        for g in gold:
            started = time.perf_counter()
            embedder.embed_queries([g["question"]])
            embeds.append((time.perf_counter() - started) * 1000)
        results["embed_ms_p50"] = percentile(embeds, 0.5)
        lexical = Answerer(assistant.index, assistant.answerer.sources, say)
        ablation = {}
        for name, answerer in (("lexical", lexical), ("dense", assistant.answerer)):
            preds = {g["id"]: answer_json(answerer.ask(g["question"]), g["id"]) for g in gold}
            r = score(gold, preds)
            ablation[name] = {"accuracy": round(r["accuracy"], 3), "citation": round(r["citation"], 3)}
        results["ablation"] = ablation
    out = ROOT / "benchmarks" / "results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(markdown(results))
    return 0


def markdown(r: dict) -> str:
    a = r["ablation"]
    return "\n".join(
        [
            f"| figure ({r['machine']}) | value |",
            "| --- | --- |",
            f"| index build from scratch, five plans | {r['build_seconds']:.1f} s |",
            f"| cold start (process start to first answer) | {r['cold_start_seconds']:.2f} s |",
            f"| latency per question, warm (p50 / p95) | {r['latency_ms_p50']:.0f} ms / "
            f"{r['latency_ms_p95']:.0f} ms |",
            f"| of which embedding the question (p50) | {r['embed_ms_p50']:.0f} ms |",
            "| peak memory: building (underthesea and torch loaded) / answering | "
            f"{r['peak_rss_mb_cli']:.0f} MB / {r['peak_rss_mb_warm']:.0f} MB |",
            "",
            f"| model ({r['questions']} gold questions, in-sample) | accuracy | citation |",
            "| --- | --- | --- |",
            f"| lexical features only (index without vectors) | {a['lexical']['accuracy']:.3f} | "
            f"{a['lexical']['citation']:.3f} |",
            f"| with dense similarity (multilingual-e5-small, the default) | {a['dense']['accuracy']:.3f} | "
            f"{a['dense']['citation']:.3f} |",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
