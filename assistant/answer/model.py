"""The scoring model, read from a small versioned parameters file written by
`python -m assistant fit`: a ranker over candidate features; an abstainer that judges,
from the best candidate and its lead over the next, whether the best candidate is right
(confident above `threshold`); and, apart from it, a model of whether the question is one
the plans answer at all (an answer below `threshold` is stated as tentative when this
model reads at least `floor`, else "not found"). Scoring is pure numpy."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.answer.features import ABSTAIN_FEATURES, FEATURES, LEXICAL_FEATURES

FORMAT = 3
PARAMS_FILE = Path(__file__).with_name("params.json")


class ParamsInvalid(RuntimeError):
    """The parameters file is missing, unreadable or was fit for other features."""


@dataclass(frozen=True)
class Linear:
    """A logistic model over named features, standardised by `mean` and `scale`."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        zeros = repeat(0.0)
        x = np.array([list(map(r.get, self.features, zeros)) for r in rows], dtype=np.float64)
        x = (x - np.array(self.mean)) / np.array(self.scale)
        return 1.0 / (1.0 + np.exp(-(x @ np.array(self.weights) + self.bias)))

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
        }

    @classmethod
    def from_json(cls, data: dict, expected: tuple[str, ...]) -> Linear:
        model = cls(
            tuple(data["features"]),
            tuple(map(float, data["mean"])),
            tuple(map(float, data["scale"])),
            tuple(map(float, data["weights"])),
            float(data["bias"]),
        )
        if model.features != expected or not (
            len(model.mean) == len(model.scale) == len(model.weights) == len(expected)
        ):
            raise ValueError("other features")
        return model


def decision_row(probs: np.ndarray, top: dict[str, float]) -> dict[str, float]:
    """What the abstainer sees: the best candidate's probability, its lead over the next
    candidate (both as log-odds) and the best candidate's own evidence."""
    order = np.argsort(-probs)
    best = float(probs[order[0]])
    second = float(probs[order[1]]) if len(order) > 1 else 0.0
    row = {"top_logit": _logit(best), "lead": _logit(best) - _logit(second)}
    row.update({f: top.get(f, 0.0) for f in ABSTAIN_FEATURES if f not in row})
    return row


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


Verdict = Literal["confident", "tentative", "none"]


@dataclass(frozen=True)
class Model:
    ranker: Linear
    abstainer: Linear  # is the best candidate right?
    threshold: float  # from this confidence on, the best candidate is stated as the answer
    answerable: Linear  # do the plans answer the question at all?
    floor: float  # below `threshold`, from this answerability on, a tentative answer

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        return self.ranker.probabilities(rows)

    def verdict(self, rows: list[dict[str, float]], probs: np.ndarray) -> Verdict:
        """Confident when the abstainer trusts the best candidate; else tentative when the
        plans likely answer the question at all; else none ("not found")."""
        if not rows:
            return "none"
        row = [decision_row(probs, rows[int(np.argmax(probs))])]
        if self.abstainer.probabilities(row)[0] >= self.threshold:
            return "confident"
        return "tentative" if self.answerable.probabilities(row)[0] >= self.floor else "none"

    def to_json(self) -> dict:
        return {
            "ranker": self.ranker.to_json(),
            "abstainer": self.abstainer.to_json(),
            "threshold": self.threshold,
            "answerable": self.answerable.to_json(),
            "floor": self.floor,
        }


# "dense": with the embedder's similarity; "lexical": for an index built without vectors.
EXPECTED = {"dense": FEATURES, "lexical": LEXICAL_FEATURES}


def model_key(dense: bool) -> str:
    return "dense" if dense else "lexical"


def load_models(path: Path = PARAMS_FILE) -> dict[str, Model]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ParamsInvalid(
            f"cannot read the answer parameters {path}: {exc}; run `python -m assistant fit`"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ParamsInvalid(
            f"{path} has format {data.get('format') if isinstance(data, dict) else None}, "
            f"expected {FORMAT}; run `python -m assistant fit`"
        )
    models = {}
    for key, names in EXPECTED.items():
        try:
            part = data["models"][key]
            models[key] = Model(
                Linear.from_json(part["ranker"], names),
                Linear.from_json(part["abstainer"], ABSTAIN_FEATURES),
                float(part["threshold"]),
                Linear.from_json(part["answerable"], ABSTAIN_FEATURES),
                float(part["floor"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ParamsInvalid(
                f"{path}: the '{key}' model is missing or was fit for other features than "
                f"this code computes ({exc}); run `python -m assistant fit`"
            ) from exc
    return models


def dump_models(models: dict[str, Model], meta: dict) -> str:
    data = {"format": FORMAT, **meta, "models": {k: m.to_json() for k, m in sorted(models.items())}}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
