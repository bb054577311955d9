"""Answering: a question in, an `Answer` (facts, plans, quoted source spans) out.

Stages, each its own module: `question` (normalise, abbreviations, plans named, intent),
`rank` (passages by BM25 over `retrieve` and dense similarity), `candidates`
(the statements the ranked passages' records and sentences support, with `features`),
`model` (a logistic model fit by `fit` from the gold questions), `compose` (select or
abstain, quotes), `scope` (no plan for the place or year asked about); `pipeline` runs
them in order. `vocab` and `words` hold the corpus's word sets for coverage; `evaluate`
scores answers against gold questions."""

from assistant.answer.model import ParamsInvalid
from assistant.answer.pipeline import Answerer

__all__ = ["Answerer", "ParamsInvalid"]
