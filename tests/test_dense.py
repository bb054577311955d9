"""Dense search goes through FAISS: each segment's flat index scores every passage as a
matrix product does, so the candidates of a question keep their features."""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path

import numpy as np

from assistant.index import dense
from assistant.index.dense import Flat
from assistant.index.plan_segment import VECTORS
from assistant.read.codehash import PACKAGE

DIM = 32


def _write_segment(folder: Path, name: str, vectors: np.ndarray) -> None:
    (folder / "segments" / name).mkdir(parents=True)
    dense.write(Flat.of(vectors, DIM).parts[0], folder / "segments" / name / VECTORS)


def _flat(folder: Path, names: list[str]) -> Flat:
    return Flat(tuple(dense.read_flat(folder / "segments" / n / VECTORS) for n in names))


def test_only_the_dense_module_calls_faiss():
    importing = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "faiss" or n.startswith("faiss.") for n in names):
                importing.add(path.relative_to(PACKAGE).as_posix())
    assert importing == {"index/dense.py"}


def test_a_flat_search_scores_every_passage_as_a_matrix_product(tmp_path):
    rng = np.random.default_rng(1)
    parts = [rng.standard_normal((n, DIM)).astype(np.float32) for n in (50, 0, 120, 7)]
    for k, v in enumerate(parts):
        _write_segment(tmp_path, f"s{k}", v)
    flat = _flat(tmp_path, [f"s{k}" for k in range(len(parts))])  # memory-mapped, as read
    every = np.concatenate(parts)
    allowed = np.arange(len(every)) % 3 > 0
    for q in rng.standard_normal((20, DIM)).astype(np.float32):
        product = every @ q
        scores, order = flat.search(q, 40)
        np.testing.assert_allclose(scores, product, rtol=0, atol=1e-5)
        assert order == np.argsort(-product, kind="stable")[:40].tolist()
        _, kept = flat.search(q, 40, allowed)
        assert kept == [int(i) for i in np.argsort(-np.where(allowed, product, -np.inf), kind="stable")[:40]]
    np.testing.assert_array_equal(flat.vectors(), every)


# ------------------------------------------------------------------ the assistant as served


class _FaissSearches:
    """Observes the searches FAISS runs (its Python wrapper's `search`), by index type."""

    def __init__(self):
        self.seen: list[str] = []
        self._root = str(Path(dense._faiss().__file__).parent)

    def __call__(self, frame, event, arg):
        code = frame.f_code
        if (
            event == "call"
            and code.co_name == "replacement_search"
            and code.co_filename.startswith(self._root)
        ):
            self.seen.append(type(frame.f_locals.get("self")).__name__)

    def __enter__(self):
        sys.setprofile(self)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)


QUESTIONS = [
    "Ai chủ trì cải cách thể chế ở xã Thạnh An?",
    "Xã Thái Tân phấn đấu bao nhiêu % hồ sơ TTHC được trả kết quả đúng hạn, trước hạn?",
    "Báo cáo năm về CCHC gửi trước ngày nào?",  # no place: every plan
]


def test_every_dense_search_goes_through_faiss(assistant):
    assert assistant.answerer.embedder is not None
    for question in QUESTIONS:
        with _FaissSearches() as searches:
            assistant.ask(question)
        assert searches.seen and set(searches.seen) == {"IndexFlatIP"}, question


class _MatrixProduct:
    """The dense search as it was before FAISS: one matrix product over the view's vectors."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors

    def search(self, query, n, allowed=None):
        scores = self.vectors @ query
        return scores, dense.best(scores, n, allowed)


def _near_tie(scores: np.ndarray, n: int) -> bool:
    """Whether float rounding may order two of the best `n` + 1 passages either way: FAISS
    and the BLAS each sum a dot product in their own order (a similarity differs by up to
    about 2.4e-7 between them)."""
    top = np.sort(scores)[::-1][: n + 1]
    return bool(np.any(np.diff(top) > -5e-7))


def test_candidates_through_faiss_have_the_features_of_the_matrix_product(assistant, gold_questions):
    from assistant.answer.candidates import Corpus, gather
    from assistant.answer.rank import POOL, query_vector

    answerer, searched, compared = assistant.answerer, 0, 0
    for g in gold_questions[::6]:
        got = answerer.prepare(g["question"])
        if got.question is None:  # answered before any search
            continue
        searched += 1
        corpus = answerer.catalog.corpus(got.question.plan_ids)
        product = _MatrixProduct(corpus.index.dense.vectors())
        qvec = query_vector(corpus.index, answerer.embedder, got.question)
        if _near_tie(product.vectors @ qvec, POOL):
            continue
        oracle = Corpus(dataclasses.replace(corpus.index, dense=product), corpus.say)
        hits, candidates = gather(oracle, answerer.embedder, got.question)
        compared += 1
        assert [(h.passage, h.lexical_rank, h.dense_rank) for h in got.hits] == [
            (h.passage, h.lexical_rank, h.dense_rank) for h in hits
        ]
        assert [c.statement for c in got.candidates] == [c.statement for c in candidates]
        for mine, theirs in zip(got.candidates, candidates):
            assert mine.features.keys() == theirs.features.keys()
            for name, value in mine.features.items():
                # the one float that differs: FAISS and the BLAS sum a dot product in other orders
                tolerance = 1e-5 if name == "dense_gap" else 0.0
                assert abs(value - theirs.features[name]) <= tolerance, (g["id"], name)
    assert compared >= 0.9 * searched
