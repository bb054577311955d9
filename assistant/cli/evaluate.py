"""Command line for measuring and fitting the answering: `eval` (plain, `--by-plan`,
`--variants`) and `fit`. Parsing and printing only."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.cli.progress import progress_bar

SHARED_GOLD = ("dev.jsonl", "round1.jsonl", "round2.jsonl")


def shared_gold(settings) -> list[str]:
    """The shared gold question files: in shared/eval/ beside the home folder (the checkout)."""
    return [str(settings.home.parent / "shared" / "eval" / name) for name in SHARED_GOLD]


def _gold(files: list[str]) -> list[dict]:
    from assistant.answer.evaluate import read_jsonl

    return [g for f in files for g in read_jsonl(Path(f))]


def _predictions(answers: dict) -> dict[str, dict]:
    from assistant.present.answers import answer_json

    return {qid: answer_json(a, qid) for qid, a in answers.items()}


def _missing(files: list[str]) -> bool:
    """Say which gold files are not there (before loading anything); True when some are."""
    from assistant.present import cli as words

    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        print(words.gold_missing(missing), file=sys.stderr)
    return bool(missing)


def cmd_eval(args, settings) -> int:
    from assistant.answer.evaluate import report, score
    from assistant.serve.assistant import Assistant

    if _missing(args.files):
        return 2
    assistant = Assistant.load(settings, progress=progress_bar())
    gold = _gold(args.files)
    if args.by_plan:
        return _by_plan(assistant, gold)
    if args.variants:
        return _variants(assistant, gold, args.verbose)
    preds = _predictions({g["id"]: assistant.ask(g["question"]) for g in gold})
    if args.predictions:
        Path(args.predictions).write_text(
            "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds.values()), "utf-8"
        )
    print(report(score(gold, preds), verbose=args.verbose))
    return 0


def _by_plan(assistant, gold: list[dict]) -> int:
    """Fit on the questions of all plans but one, score that one; each fold, then the mean."""
    from assistant.answer.evaluate import score
    from assistant.answer.features import FEATURES, LEXICAL_FEATURES
    from assistant.answer.fit import by_plan, samples

    answerer = assistant.answerer
    dense = answerer.embedder is not None
    data = samples(answerer, gold)
    models = by_plan(data, FEATURES if dense else LEXICAL_FEATURES)
    results = []
    for doc, model in models.items():
        fold = [s for s in data if s.group == doc]
        preds = _predictions({s.gold["id"]: answerer.decide(s.gathered, model) for s in fold})
        r = score([s.gold for s in fold], preds)
        results.append(r)
        print(
            f"fold {doc}: n {r['n']} accuracy {r['accuracy']:.3f} citation {r['citation']:.3f} "
            f"not found {r['answerable_not_found']}/{r['answerable']} "
            f"out of scope answered {r['out_of_scope_answered']}/{r['out_of_scope']} "
            f"tentative {r['tentative']} ({r['tentative_right']} right) "
            f"threshold {model.threshold:.3f} floor {model.floor:.3f}"
        )
    acc = sum(r["accuracy"] for r in results) / len(results)
    cit = sum(r["citation"] for r in results) / len(results)
    total = {k: sum(r[k] for r in results) for k in ("answerable_not_found", "answerable", "tentative")}
    total |= {
        k: sum(r[k] for r in results) for k in ("out_of_scope_answered", "out_of_scope", "tentative_right")
    }
    print(
        f"by plan: mean accuracy {acc:.3f} citation {cit:.3f}, "
        f"worst fold {min(r['accuracy'] for r in results):.3f}; "
        f"answerable said not found {total['answerable_not_found']}/{total['answerable']}, "
        f"out of scope answered {total['out_of_scope_answered']}/{total['out_of_scope']}, "
        f"tentative {total['tentative']} ({total['tentative_right']} right)"
    )
    return 0


def _variants(assistant, gold: list[dict], verbose: bool) -> int:
    from assistant.answer.evaluate import report, score
    from assistant.answer.variants import variants

    items = [v for g in gold for v in variants(g)]
    preds = _predictions({v["id"]: assistant.ask(v["question"]) for v in items})
    for kind in sorted({v["variant"] for v in items}):
        part = [v for v in items if v["variant"] == kind]
        r = score(part, preds)
        print(
            f"variant {kind:14s} n {r['n']:4d} accuracy {r['accuracy']:.3f} citation {r['citation']:.3f} "
            f"not found {r['answerable_not_found']}/{r['answerable']} "
            f"out of scope answered {r['out_of_scope_answered']}/{r['out_of_scope']}"
        )
    print(report(score(items, preds), verbose=verbose))
    return 0


def cmd_fit(args, settings) -> int:
    """Fit the scoring models (with and without the embedder) and write the parameters file."""
    from assistant.answer import Answerer
    from assistant.answer.features import FEATURES, LEXICAL_FEATURES
    from assistant.answer.fit import fit, samples
    from assistant.answer.model import PARAMS_FILE, dump_models
    from assistant.present import cli as words
    from assistant.present.facts import say
    from assistant.serve.assistant import open_index

    files = args.files or shared_gold(settings)
    if _missing(files):
        return 2
    index, _, embedder, _ = open_index(settings, progress=progress_bar())
    if embedder is None or not index.has_vectors:
        print(words.FIT_NEEDS_EMBEDDER, file=sys.stderr)
        return 1
    gold = _gold(files)
    models = {
        "dense": fit(samples(Answerer(index, {}, say, embedder), gold), FEATURES),
        "lexical": fit(samples(Answerer(index, {}, say, None), gold), LEXICAL_FEATURES),
    }
    meta = {"embedder": embedder.name, "gold": [Path(f).name for f in files], "questions": len(gold)}
    out = Path(args.out) if args.out else PARAMS_FILE
    out.write_text(dump_models(models, meta), "utf-8")
    print(words.fit_written(out, len(gold), models["dense"].threshold, models["lexical"].threshold))
    return 0


def cmd_reference(args, settings) -> int:
    """Compute the reference statistics from the corpus folder and write them with the
    package (then rebuild the index and refit: both are read on that scale)."""
    from assistant.index.passages import plan_passages
    from assistant.index.reference import REFERENCE_FILE, compute, save
    from assistant.index.segment import induce_lexicon
    from assistant.parse.plan import parse_plan
    from assistant.present import cli as words
    from assistant.read.load import load_corpus

    docs, errors = load_corpus(settings.corpus_dir, settings.max_file_bytes, settings.converted_dir)
    texts = [p.search_text for d in docs for p in plan_passages(parse_plan(d))]
    ref = compute(texts, induce_lexicon(texts))
    out = Path(args.out) if args.out else REFERENCE_FILE
    save(ref, out)
    print(words.reference_written(out, len(docs), ref.passages, len(ref.lexicon)))
    return 0


def add_eval_parsers(sub) -> None:
    p = sub.add_parser("eval", help="chấm điểm trên bộ câu hỏi mẫu")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument(
        "--by-plan", action="store_true", help="khớp trên các kế hoạch khác, chấm trên từng kế hoạch"
    )
    p.add_argument(
        "--variants",
        action="store_true",
        help="chấm trên các biến thể của câu hỏi (không dấu, viết tắt, lời lẽ, lỗi gõ, đồng nghĩa)",
    )
    p.add_argument("--predictions", help="ghi câu trả lời ra tệp JSONL")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("fit", help="khớp tham số chấm điểm câu trả lời từ bộ câu hỏi mẫu")
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="mặc định: bộ câu hỏi dùng chung ../shared/eval/ cạnh dự án"
    )
    p.add_argument("--out", help="tệp tham số (mặc định: tệp đi kèm mã nguồn)")
    p.set_defaults(func=cmd_fit)
    p = sub.add_parser("reference", help="tính thống kê tham chiếu (từ vựng, tần suất) từ thư mục kế hoạch")
    p.add_argument("--out", help="tệp thống kê (mặc định: tệp đi kèm mã nguồn)")
    p.set_defaults(func=cmd_reference)
