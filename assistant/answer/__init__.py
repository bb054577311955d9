"""Answering: a question in, an `Answer` (facts, plans, quoted source spans) out.

Stages, each its own module: `rank` (passages by BM25 and dense similarity), `candidates`
(the statements the ranked passages' records and sentences support, with `features`),
`model` (a logistic model fit by `fit` from the gold questions), `compose` (select or
abstain, quotes), `scope` (no plan for the place or year asked about); `pipeline` runs
them in order."""

from .model import ParamsInvalid
from .pipeline import Answerer

__all__ = ["Answerer", "ParamsInvalid"]
