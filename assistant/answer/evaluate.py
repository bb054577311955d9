"""Scoring answers against gold questions, with the rules of the shared eval README."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from assistant.lang.normalize import OLD_TONES

FACT_CHARS = 500


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "").lower()
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    for a, b in OLD_TONES.items():  # everywhere, as the shared scorer does
        s = s.replace(a, b)
    s = re.sub(r"[*_`]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _words(s: str) -> set:
    return set(re.findall(r"\w+", norm(s)))


def cites(evidence: str, sources: list) -> bool:
    ev = norm(evidence)
    if not ev:
        return True
    evw = _words(evidence)
    for src in sources or []:
        q = norm(src.get("quote", ""))
        if not q:
            continue
        if ev in q or q in ev:
            return True
        if evw and len(evw & _words(q)) / len(evw) >= 0.6:
            return True
    return False


def correct(gold: dict, pred: dict | None, lenient: bool = False) -> bool:
    if gold["intent"] == "out_of_scope":
        return pred is not None and not pred.get("found", True)
    if pred is None or not pred.get("found", False):
        return False
    text = (pred.get("answer") or "")[:FACT_CHARS]
    if lenient:
        text += " " + " ".join(s.get("quote", "") for s in pred.get("sources") or [])
    ans = norm(text)
    return all(any(norm(a) in ans for a in grp) for grp in gold["must_contain"])


def score(gold: list[dict], preds: dict[str, dict]) -> dict:
    by_intent: dict[str, Counter] = defaultdict(Counter)
    ok_all = cite_all = n_in = len_all = silent = loud = tentative = tentative_ok = 0
    misses = []
    for g in gold:
        p = preds.get(g["id"])
        ok = correct(g, p)
        c = g["intent"] == "out_of_scope" or (p is not None and cites(g["evidence"], p.get("sources")))
        by_intent[g["intent"]].update(n=1, ok=int(ok), cite=int(c))
        ok_all += ok
        len_all += correct(g, p, lenient=True)
        found = p is not None and p.get("found", False)
        if found and p.get("confidence") == "low":
            tentative += 1
            tentative_ok += ok
        if g["intent"] != "out_of_scope":
            n_in += 1
            cite_all += c
            silent += not found
        else:
            loud += found
        if not ok:
            misses.append((g, p))
    n = max(len(gold), 1)
    return {
        "by_intent": {k: dict(v) for k, v in sorted(by_intent.items())},
        "accuracy": ok_all / n,
        "citation": cite_all / max(n_in, 1),
        "lenient": len_all / n,
        "n": len(gold),
        "misses": misses,
        "answerable": n_in,
        "answerable_not_found": silent,
        "out_of_scope": len(gold) - n_in,
        "out_of_scope_answered": loud,
        "tentative": tentative,
        "tentative_right": tentative_ok,
    }


def report(result: dict, verbose: bool = False) -> str:
    lines = []
    for intent, c in result["by_intent"].items():
        lines.append(
            f"{intent:18s} n={c['n']:3d} correct={c['ok'] / c['n']:.2f} cited={c['cite'] / c['n']:.2f}"
        )
    if verbose:
        for g, p in result["misses"]:
            got = (p or {}).get("answer", "")[:200].replace("\n", " ")
            lines.append(f"MISS {g['id']} {g['question']} | want {g['must_contain']} | got {got}")
    silent, n_in = result["answerable_not_found"], result["answerable"]
    lines.append(
        f"abstention: answerable said not found {silent}/{n_in} ({silent / max(n_in, 1):.3f}); "
        f"out of scope answered {result['out_of_scope_answered']}/{result['out_of_scope']}; "
        f"tentative answers {result['tentative']} ({result['tentative_right']} right)"
    )
    lines.append(
        f"accuracy {result['accuracy']:.3f} citation {result['citation']:.3f} "
        f"lenient {result['lenient']:.3f} n {result['n']}"
    )
    return "\n".join(lines)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
