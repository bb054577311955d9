"""Dense search goes through FAISS: each segment's flat index scores every passage as a
matrix product does, so the candidates of a question keep their features; the
catalogue's wide index finds what a flat scan finds, follows add and remove without
being rebuilt, and is checked like every other index file."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.index import dense
from assistant.index.dense import Flat
from assistant.index.plan_segment import VECTORS
from assistant.index.wide import WideInvalid, WideSearch, open_wide, sync_wide
from assistant.read.codehash import PACKAGE

DIM = 32


def _vectors(rng, n: int, centres: np.ndarray) -> np.ndarray:
    """Unit vectors scattered around a few centres, as passages of one kind cluster."""
    v = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.standard_normal((n, DIM))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def catalogue(tmp_path):
    """An index folder holding 30 segments' flat indexes and vector keys (nothing else of
    a segment is needed here), and their vectors by segment folder. Like a province's
    plans, each has passages of a shared template (the same texts: the same vectors) and
    its own."""
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((12, DIM))
    template = _vectors(rng, 60, centres)
    vectors = {}
    for k in range(30):
        shared = template[np.sort(rng.choice(len(template), 40, replace=False))]
        vectors[f"plan-{k:02d}"] = np.concatenate(
            [shared, _vectors(rng, int(rng.integers(20, 100)), centres)]
        )
    for name, v in vectors.items():
        _write_segment(tmp_path, name, v)
    return tmp_path, vectors, centres


def _key(vector: np.ndarray) -> str:
    return hashlib.sha1(vector.tobytes()).hexdigest()


def _write_segment(folder: Path, name: str, vectors: np.ndarray) -> None:
    (folder / "segments" / name).mkdir(parents=True)
    dense.write(Flat.of(vectors, DIM).parts[0], folder / "segments" / name / VECTORS)
    keys = [_key(v) for v in vectors]
    (folder / "segments" / name / "vector_keys.json").write_text(json.dumps(keys), "utf-8")


def _entries(vectors: dict[str, np.ndarray]) -> list[dict]:
    return [{"dir": name, "passages": len(v)} for name, v in vectors.items()]


def _distinct(vectors: dict[str, np.ndarray]) -> int:
    return len({_key(v) for vs in vectors.values() for v in vs})


def _flat(folder: Path, names: list[str]) -> Flat:
    return Flat(tuple(dense.read_flat(folder / "segments" / n / VECTORS) for n in names))


def _queries(rng, centres: np.ndarray, n: int = 40) -> np.ndarray:
    return _vectors(rng, n, centres)


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
        some = rng.integers(0, len(every), 15)
        np.testing.assert_array_equal(flat.at(q, some), scores[some])
    np.testing.assert_array_equal(flat.vectors(), every)


def _recall(found: list[int], exact: np.ndarray, k: int) -> float:
    """The share of `found` among the `k` best by exact score (ties at the k-th count)."""
    kth = np.sort(exact)[::-1][k - 1]
    return sum(exact[p] >= kth for p in found[:k]) / k


def test_the_wide_index_finds_what_a_flat_scan_finds(catalogue):
    folder, vectors, centres = catalogue
    wide = open_wide(folder, sync_wide(folder, _entries(vectors), None, DIM))
    assert dense.shape(wide.index)[0] == _distinct(vectors)  # a text shared by plans: one vector
    flat = _flat(folder, list(vectors))
    search = WideSearch(wide, list(vectors), flat)
    recalls, same = [], 0
    for q in _queries(np.random.default_rng(2), centres):
        scores, order = search.search(q, 20)
        exact = flat.similarities(q)
        recalls.append(_recall(order, exact, 20))
        np.testing.assert_array_equal(scores[order], exact[order])  # scores are exact: rescored
        same += order == dense.best(exact, 20)  # ranked as a flat scan ranks them, ties in order
    assert np.mean(recalls) >= 0.95 and same >= 0.9 * len(recalls)


def test_a_narrow_scope_is_searched_among_its_own_passages(catalogue):
    folder, vectors, centres = catalogue
    wide = open_wide(folder, sync_wide(folder, _entries(vectors), None, DIM))
    names = list(vectors)[3:9]
    flat = _flat(folder, names)
    search = WideSearch(wide, names, flat)
    for q in _queries(np.random.default_rng(3), centres, 10):
        _, order = search.search(q, 20)
        assert len(order) == 20 and max(order) < len(flat)
        assert _recall(order, flat.similarities(q), 20) >= 0.9


def test_add_and_remove_change_the_wide_index_by_their_segments_only(catalogue):
    folder, vectors, centres = catalogue
    first = sync_wide(folder, _entries(vectors), None, DIM)
    before = open_wide(folder, first)
    rng = np.random.default_rng(4)
    own = _vectors(rng, 50, centres)
    _write_segment(folder, "plan-new", np.concatenate([vectors["plan-00"][:30], own]))
    vectors["plan-new"] = dense.stored(dense.read_flat(folder / "segments" / "plan-new" / VECTORS))
    gone = vectors.pop("plan-05")

    second = sync_wide(folder, _entries(vectors), first, DIM)

    after = open_wide(folder, second, with_keys=True)
    assert second != first and set(open_wide(folder, first).rows) == set(before.rows)  # a new version
    assert after.trained_on == before.trained_on  # not trained again
    for name in set(before.rows) - {"plan-05"}:  # the others' passages keep their vectors' ids
        np.testing.assert_array_equal(after.rows[name], before.rows[name])
    np.testing.assert_array_equal(after.rows["plan-new"][:30], before.rows["plan-00"][:30])
    assert dense.shape(after.index)[0] == _distinct(vectors) == len(after.keys)
    search = WideSearch(after, list(vectors), _flat(folder, list(vectors)))
    new_start = sum(len(v) for k, v in vectors.items() if k < "plan-new")
    for i in (30, 55, 79):  # each of the new plan's own passages is found by its vector
        _, order = search.search(vectors["plan-new"][i], 1)
        assert order == [new_start + i]
    its_own = set(before.rows["plan-05"][40:].tolist())  # after the template's passages
    for q in gone[40:50]:  # the removed plan's own vectors are gone
        _, ids = dense.search_quantised(after.index, q, 40, 64)
        assert not its_own & set(ids.tolist())
    assert sync_wide(folder, _entries(vectors), second, DIM) == second  # in step: nothing written


def test_a_catalogue_grown_past_its_training_is_trained_anew(catalogue):
    folder, vectors, _ = catalogue
    few = dict(list(vectors.items())[:2])
    small = sync_wide(folder, _entries(few), None, DIM)
    grown = open_wide(folder, sync_wide(folder, _entries(vectors), small, DIM))
    assert open_wide(folder, small).trained_on == _distinct(few)
    assert _distinct(vectors) > 4 * _distinct(few) and grown.trained_on == _distinct(vectors)


@pytest.mark.faults
def test_a_garbled_wide_index_is_refused_and_built_again(catalogue):
    folder, vectors, _ = catalogue
    name = sync_wide(folder, _entries(vectors), None, DIM)
    path = folder / "wide" / name / "index.faiss"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(WideInvalid):
        open_wide(folder, name)
    vectors.pop("plan-00")
    again = sync_wide(folder, _entries(vectors), name, DIM)  # nothing garbled is reused
    assert open_wide(folder, again).trained_on == _distinct(vectors)


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
    from assistant.answer import Answerer
    from assistant.index.store import Segments
    from assistant.present.facts import say

    assert assistant.answerer.embedder is not None
    for question in QUESTIONS:
        with _FaissSearches() as searches:
            assistant.ask(question)
        assert searches.seen and set(searches.seen) == {"IndexFlatIP"}, question
    index = assistant.index
    wide = Answerer(
        Segments(index.folder, index.manifest, index.dim, wide_over=1), {}, say, assistant.answerer.embedder
    )
    with _FaissSearches() as searches:
        wide.ask(QUESTIONS[-1])
    assert searches.seen and set(searches.seen) == {"IndexIVFScalarQuantizer"}


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
