"""Features of a candidate statement for the question it may answer. Pure.

Every decision the scoring stage makes rests on these numbers; their weights come from
the parameters file written by `python -m assistant fit`."""

from __future__ import annotations

import re

from assistant.answer.document import asked
from assistant.answer.kinds import has_kind
from assistant.answer.question import Question, matching_intents
from assistant.answer.rank import POOL, Hit
from assistant.answer.statements import KINDS, Statement

DENSE = ("dense_gap", "dense_rr")
INTENTS = (
    "lead_unit",
    "cooperating_units",
    "deadline",
    "report_deadline",
    "target",
    "unit_duties",
    "general",
)
FEATURES: tuple[str, ...] = (
    "fused_rel",
    "lexical_rel",
    "lexical_rr",
    *DENSE,
    "coverage",
    "basis_coverage",
    "text_coverage",
    "coverage_gap",
    "text_gap",
    "key_missing",
    "no_words",
    "unknown",
    *(f"kind_{k}" for k in KINDS),
    *(f"{k}~{i}" for k in KINDS for i in INTENTS),
    "intent_first",
    "intent_any",
    "wants_ok",
    "wants_missing",
    "lead_match",
    "partner_match",
    "unit_mismatch",
    "report_kind",
    "identity_asked",
    "document_asked",
    "list_asked",
    "preamble",
    "period_match",
)
LEXICAL_FEATURES = tuple(f for f in FEATURES if f not in DENSE)
# What the abstainer reads: the ranker's view of the best candidate and that candidate's evidence.
ABSTAIN_FEATURES = (
    "top_logit",
    "lead",
    "coverage",
    "text_coverage",
    "basis_coverage",
    "key_missing",
    "wants_ok",
    "wants_missing",
    "report_kind",
    "unit_mismatch",
    "no_words",
    "unknown",
    "dense_gap",
)

_LIST_Q = re.compile(
    r"\b(?:bao nhieu|may) (?:nhiem vu|viec|noi dung|chi tieu)\b"
    r"|\b(?:nhung|cac) (?:nhiem vu|viec|noi dung|chi tieu|linh vuc) (?:nao|gi)\b"
)
_IDENTITY_Q = re.compile(
    r"\bso may\b|\bso hieu\b|\bky hieu\b|\bquyet dinh so\b|\bngay nao\b|\bban hanh\b"
    r"|\bngay ban hanh\b|\bcan cu\b|\bkem theo\b"
)


class QuestionView:
    """What the features need of a question and its ranking, computed once."""

    def __init__(self, q: Question, hits: list[Hit], words: list[str], unknown: float = 0.0):
        self.q = q
        self.words = words
        self.unknown = unknown  # share of the question's content words the plans never use
        self.intents = matching_intents(q.folded)
        self.identity = bool(_IDENTITY_Q.search(q.folded))
        self.document = asked(q.folded)  # the kinds of document statement it asks for
        self.list = bool(_LIST_Q.search(q.folded))  # how many, or which, of a unit's tasks
        self.best_fused = max((h.fused for h in hits), default=1.0) or 1.0
        self.best_lexical = max((h.lexical for h in hits), default=1.0) or 1.0
        dense = [h.dense for h in hits if h.dense_rank < POOL]
        self.best_dense = max(dense, default=0.0)


def featurize(
    view: QuestionView,
    st: Statement,
    hit: Hit,
    coverage: float,
    basis_coverage: float,
    text_coverage: float,
    key_missing: bool,
) -> dict[str, float]:
    q = view.q
    named = set(q.units)
    f = {
        "fused_rel": hit.fused / view.best_fused,
        "lexical_rel": hit.lexical / view.best_lexical,
        "lexical_rr": 1.0 / (1 + hit.lexical_rank),
        "dense_gap": 10.0 * (hit.dense - view.best_dense) if hit.dense_rank < POOL else -1.0,
        "dense_rr": 1.0 / (1 + hit.dense_rank) if hit.dense_rank < POOL else 0.0,
        "coverage": coverage,
        "basis_coverage": basis_coverage,
        "text_coverage": text_coverage,
        "key_missing": float(key_missing),
        "no_words": float(not view.words),
        "unknown": view.unknown,
        "intent_first": float(q.intent in KINDS[st.kind]),
        "intent_any": float(bool(set(view.intents) & set(KINDS[st.kind]))),
        "wants_ok": float(bool(q.wants) and has_kind(st.text, q.wants)),
        "wants_missing": float(bool(q.wants) and not has_kind(st.text, q.wants)),
        "lead_match": float(bool(named & set(st.units[: st.leads]))),
        "partner_match": float(bool(named & set(st.units[st.leads :]))),
        "unit_mismatch": float(bool(named) and bool(st.units) and not named & set(st.units)),
        "report_kind": float(st.report_kind),
        "identity_asked": float(view.identity and st.kind == "identity"),
        "document_asked": float(st.kind in view.document),
        "list_asked": float(view.list and st.kind == "unit_tasks"),
        "preamble": float(not st.blocks[0].section),
        "period_match": float(st.plan in q.period_plans),
    }
    for k in KINDS:
        f[f"kind_{k}"] = float(st.kind == k)
        for i in INTENTS:  # how well each kind of statement answers each kind of question
            f[f"{k}~{i}"] = float(st.kind == k and q.intent == i)
    return f


def add_relative(rows: list[dict[str, float]]) -> None:
    """How far each candidate's coverage is behind the best candidate's of its question."""
    best = max((r["coverage"] for r in rows), default=0.0)
    best_text = max((r["text_coverage"] for r in rows), default=0.0)
    for r in rows:
        r["coverage_gap"] = r["coverage"] - best
        r["text_gap"] = r["text_coverage"] - best_text
