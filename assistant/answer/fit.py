"""Fitting the scoring model from gold questions, and scoring it plan by plan.

A candidate's label: its statement alone would be judged correct for the gold question
(the shared eval's rules) and states the kind of fact the gold's intent asks for. The
ranker is listwise: a conditional logit over each question's candidates (the softmax of
their linear scores puts its mass on the right ones), which orders one question's
candidates better than a logistic regression over all candidates pooled (leave one plan
out over the 380 shared questions: the best candidate right 0.82 against 0.76); its
scores are then calibrated to probabilities (Platt) so that the abstainer and the
selection read a probability. The abstainer is a logistic
regression over the ranker's decisions on questions of plans it was not fit on (leave one
plan out inside the training set), and its threshold weighs a wrong answer against "not
found" (WRONG_COST), so neither is fit to the ranker's own training data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.candidates import Candidate
from assistant.answer.evaluate import correct
from assistant.answer.features import ABSTAIN_FEATURES
from assistant.answer.model import Linear, Model, decision_row
from assistant.answer.pipeline import Gathered
from assistant.answer.statements import KINDS

C = 1.0  # inverse regularisation strength of the logistic regressions
L2 = 3.0  # the listwise ranker's L2 penalty (chosen by leave one plan out among 0.3, 1, 3, 10)
WRONG_COST = 0.25  # a wrong answer's cost, against 1 for a right one
# A tentative answer is marked as uncertain: a wrong one costs less than a confident wrong
# one; one given to a question the plans do not answer costs as much as a right answer gains.
TENTATIVE_WRONG_COST = 0.1
TENTATIVE_OUT_OF_SCOPE_COST = 1.0
# Cuts whose gain is within PLATEAU of the best one's are as good (leave one plan out over
# the 380: 0 -> 0.801, 1 -> 0.815, 3 and 5 -> 0.823).
PLATEAU = 3.0


@dataclass(frozen=True)
class Sample:
    gold: dict
    gathered: Gathered
    labels: tuple[bool, ...]  # per candidate

    @property
    def group(self) -> str:
        return self.gold["doc"]


def samples(answerer, gold: list[dict]) -> list[Sample]:
    """Gather every gold question's candidates once (the expensive part), as `answerer`
    (a `pipeline.Answerer`) scopes and ranks them."""
    out = []
    for g in gold:
        gathered = answerer.prepare(g["question"])
        out.append(Sample(g, gathered, labels(g, gathered.candidates)))
    return out


def labels(gold: dict, cands: list[Candidate]) -> tuple[bool, ...]:
    """A candidate is right when its statement alone would be judged correct and it is the
    kind of statement the gold's intent asks for, unless no statement of that kind from the
    same passage is right (a task's lead is also named in its deadline line, but a question
    about the lead is answered with the lead line)."""
    if gold["intent"] == "out_of_scope":
        return tuple(False for _ in cands)
    ok = [correct(gold, {"found": True, "answer": c.statement.text}) for c in cands]
    serves = [gold["intent"] in KINDS[c.statement.kind] for c in cands]
    served = {c.statement.passage for c, o, s in zip(cands, ok, serves) if o and s}
    return tuple(o and (s or c.statement.passage not in served) for c, o, s in zip(cands, ok, serves))


def _linear(rows: list[dict[str, float]], y: list[bool], features: tuple[str, ...]) -> Linear:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r.get(f, 0.0) for f in features] for r in rows], dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    clf.fit((x - mean) / scale, np.array(y, dtype=int))
    return Linear(
        features,
        tuple(_r(mean)),
        tuple(_r(scale)),
        tuple(_r(clf.coef_[0])),
        round(float(clf.intercept_[0]), 6),
    )


def _r(values) -> list[float]:
    return [round(float(v), 6) for v in values]


def ranker(train: list[Sample], features: tuple[str, ...]) -> Linear:
    """The listwise ranker, its scores calibrated into probabilities over all candidates."""
    from sklearn.linear_model import LogisticRegression

    def matrix(s: Sample) -> np.ndarray:
        return np.array([[c.features.get(f, 0.0) for f in features] for c in s.gathered.candidates])

    every = [(matrix(s), np.array(s.labels, dtype=np.float64)) for s in train if s.gathered.candidates]
    x_all = np.vstack([x for x, _ in every])
    mean = x_all.mean(axis=0)
    scale = x_all.std(axis=0)
    scale[scale == 0] = 1.0
    lists = [((x - mean) / scale, y) for x, y in every if y.any()]
    w = _conditional_logit(lists, len(features))
    scores = ((x_all - mean) / scale) @ w
    platt = LogisticRegression(C=C, max_iter=5000, solver="lbfgs")
    platt.fit(scores[:, None], np.concatenate([y for _, y in every]).astype(int))
    a, bias = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return Linear(features, tuple(_r(mean)), tuple(_r(scale)), tuple(_r(a * w)), round(bias, 6))


def _conditional_logit(lists: list[tuple[np.ndarray, np.ndarray]], width: int) -> np.ndarray:
    """Weights maximising, over the questions, the log of the softmax mass on the right
    candidates, less an L2 penalty."""
    from scipy.optimize import minimize

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * L2 * (w @ w), L2 * w
        for x, y in lists:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            right = p * y
            mass = right.sum()
            total -= np.log(mass + 1e-12)
            grad = grad - x.T @ (right / mass - p)
        return total, grad

    result = minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return result.x


def best_threshold(outcomes: list[tuple[float, bool, bool]]) -> float:
    """`outcomes`: (confidence, best candidate correct, question answerable). The
    threshold that maximises right answers (and right abstentions) less WRONG_COST for
    each wrong answer: a wrong fact stated with confidence costs more than "not found"."""

    def gain(p: float, ok: bool, answerable: bool) -> float:
        return 1.0 if answerable and ok else -WRONG_COST

    return _best_cut(outcomes, gain)


def best_floor(outcomes: list[tuple[float, bool, bool]]) -> float:
    """`outcomes`: (answerability, best candidate correct, question answerable) of the
    questions below the confidence threshold. The answerability from which a tentative
    answer gains most: +1 right, -TENTATIVE_WRONG_COST wrong, -TENTATIVE_OUT_OF_SCOPE_COST
    for a question the plans do not answer (whose "not found" gains +1)."""

    def gain(p: float, ok: bool, answerable: bool) -> float:
        if not answerable:
            return -TENTATIVE_OUT_OF_SCOPE_COST
        return 1.0 if ok else -TENTATIVE_WRONG_COST

    return _best_cut(outcomes, gain)


def _best_cut(outcomes: list[tuple[float, bool, bool]], answered) -> float:
    """The cut on the score above which answering gains most (`answered(p, ok,
    answerable)`: the gain of answering; not answering gains 1 on a question the plans do
    not answer). Of the cuts within PLATEAU of the best gain, the middle one: on a few
    hundred questions the single best cut moves with every question added or removed."""
    cuts = sorted({p for p, _, _ in outcomes} | {0.0, 1.0})
    scored = []
    for lo, hi in zip(cuts, cuts[1:]):
        t = (lo + hi) / 2
        total = sum(answered(p, ok, a) if p >= t else float(not a) for p, ok, a in outcomes)
        scored.append((total, t))
    top = max(total for total, _ in scored)
    near = [t for total, t in scored if total >= top - PLATEAU]
    return round(near[len(near) // 2], 6)


def _decisions(rank: Linear, held: list[Sample]) -> list[tuple[dict[str, float], bool, bool]]:
    """For each question: the abstainer's row, whether the best candidate is right, and
    whether the question is answerable."""
    out = []
    for s in held:
        cands = s.gathered.candidates
        if not cands:
            continue
        probs = rank.probabilities([c.features for c in cands])
        i = int(np.argmax(probs))
        answerable = s.gold["intent"] != "out_of_scope"
        right = answerable and correct(s.gold, {"found": True, "answer": cands[i].statement.text})
        out.append((decision_row(probs, cands[i].features), right, answerable))
    return out


def fit(train: list[Sample], features: tuple[str, ...]) -> Model:
    """The ranker from all of `train`; the abstainer, the answerable model and their
    thresholds from the ranker's decisions on questions of plans it was not fit on (leave
    one plan out inside `train`)."""
    groups = sorted({s.group for s in train})
    decisions = []
    for held in groups if len(groups) > 1 else []:
        inner = ranker([s for s in train if s.group != held], features)
        decisions.extend(_decisions(inner, [s for s in train if s.group == held]))
    rank = ranker(train, features)
    if not decisions:
        decisions = _decisions(rank, train)
    rows = [d for d, _, _ in decisions]
    abstainer = _linear(rows, [ok for _, ok, _ in decisions], ABSTAIN_FEATURES)
    confidence = abstainer.probabilities(rows)
    threshold = best_threshold([(float(p), ok, a) for p, (_, ok, a) in zip(confidence, decisions)])
    answerable = _linear(rows, [a for _, _, a in decisions], ABSTAIN_FEATURES)
    below = [(r, ok, a) for (r, ok, a), c in zip(decisions, confidence) if c < threshold]
    reads = answerable.probabilities([r for r, _, _ in below]) if below else []
    floor = best_floor([(float(p), ok, a) for p, (_, ok, a) in zip(reads, below)])
    return Model(rank, abstainer, threshold, answerable, floor)


def by_plan(all_samples: list[Sample], features: tuple[str, ...]) -> dict[str, Model]:
    """One model per plan, fit on the other plans' questions."""
    groups = sorted({s.group for s in all_samples})
    return {g: fit([s for s in all_samples if s.group != g], features) for g in groups}
