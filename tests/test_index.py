"""The on-disk index: manifest checks, rebuild on change or corruption, embedding reuse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import make_settings
from helpers import CORPUS, all_passages, all_vectors, segment_dir

from assistant.present.answers import answer_markdown
from assistant.serve.assistant import Assistant


def distinct(passages) -> int:
    """Passages with the same text are embedded once."""
    return len(_texts(passages))


def _texts(passages) -> set[str]:
    from assistant.index.plan_segment import EMBED_CHARS

    return {p.search_text[:EMBED_CHARS] for p in passages}


def own_texts(index, plan: str) -> int:
    """The texts of one plan's passages that no other plan of the index has (a plan's
    segment built again embeds only those: the others' vectors are reused)."""
    others = _texts(p for e in index.entries if e.plan.id != plan for p in index.passages_of(e.plan.id))
    return len(_texts(index.passages_of(plan)) - others)


class CountingEmbedder:
    """A deterministic stand-in for a model, counting the passages it is asked to embed."""

    name = "counting-test-embedder"
    dim = 8

    def __init__(self):
        self.embedded = 0

    def _vec(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, ord(ch) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def embed_queries(self, texts):
        return self._vec(list(texts))

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return self._vec(list(texts))


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("xa-vinh-thinh-2026.txt", "xa-thai-tan-2025.txt"):
        shutil.copy(CORPUS / name, folder)
    return folder


@pytest.fixture()
def counting(monkeypatch):
    embedder = CountingEmbedder()
    monkeypatch.setattr("assistant.serve.assistant.make_embedder", lambda *a, **k: embedder)
    return embedder


def test_built_once_then_loaded(tmp_path, corpus, counting):
    settings = make_settings(tmp_path, corpus=corpus)
    first = Assistant.load(settings)
    assert first.rebuilt and counting.embedded == distinct(all_passages(first.index))
    again = Assistant.load(settings)
    assert not again.rebuilt and counting.embedded == distinct(all_passages(first.index))
    manifest = json.loads((settings.index_dir / "manifest.json").read_text("utf-8"))
    assert set(manifest["files"]) == {"xa-vinh-thinh-2026.txt", "xa-thai-tan-2025.txt"}
    assert manifest["embedder"] == {"name": "counting-test-embedder", "dim": 8}


def test_corpus_change_rebuilds_and_reuses_unchanged_vectors(tmp_path, corpus, counting, monkeypatch):
    settings = make_settings(tmp_path, corpus=corpus)
    first = Assistant.load(settings)
    before = counting.embedded
    shutil.copy(CORPUS / "xa-thanh-an-2026.txt", corpus)
    import assistant.index.segment as segment

    segmented = []
    real = segment.text_words
    monkeypatch.setattr(segment, "text_words", lambda text, tok: segmented.append(text) or real(text, tok))
    second = Assistant.load(settings)
    # only the new plan's passages were segmented: the other plans' segments were reused
    new_texts = {p.search_text for p in second.index.passages_of("xa-thanh-an-2026")}
    assert segmented and set(segmented) <= new_texts
    assert second.rebuilt
    # only the new plan's passages were embedded, and not those another plan has too
    new = second.index.passages_of("xa-thanh-an-2026")
    assert 0 < distinct(new) - own_texts(second.index, "xa-thanh-an-2026") < 10
    assert counting.embedded - before == own_texts(second.index, "xa-thanh-an-2026")
    assert second.ask("Cơ quan thường trực tham mưu về CCHC của xã Thạnh An là ai?").found
    assert len(all_passages(first.index)) < len(all_passages(second.index))


@pytest.mark.parametrize("damage", ["manifest", "vectors", "records", "bm25", "missing"])
def test_corrupt_index_is_detected_and_rebuilt(tmp_path, corpus, counting, damage):
    settings = make_settings(tmp_path, corpus=corpus)
    Assistant.load(settings)
    index, segment = settings.index_dir, segment_dir(settings.index_dir)
    if damage == "manifest":
        (index / "manifest.json").write_text("{not json", "utf-8")
    elif damage == "vectors":
        (segment / "dense.faiss").write_bytes(b"not a faiss index")
    elif damage == "records":
        (segment / "records.json").write_text('{"plans": [', "utf-8")
    elif damage == "bm25":
        shutil.rmtree(segment / "bm25")
    else:
        shutil.rmtree(index)
    reloaded = Assistant.load(settings)
    assert reloaded.rebuilt
    assert reloaded.ask("Báo cáo năm về CCHC ở xã Vĩnh Thịnh gửi trước ngày nào?").found


def test_embedder_change_rebuilds(tmp_path, corpus, counting):
    settings = make_settings(tmp_path, corpus=corpus)
    Assistant.load(settings)
    counting.name = "another-model"
    assert Assistant.load(settings).rebuilt


def _garble(path: Path) -> None:
    """Flip bytes in the middle of a file, keeping its size (as a bad disk or copy would)."""
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    for i in range(mid, min(mid + 64, len(data))):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.faults
@pytest.mark.parametrize(
    "name",
    [
        "dense.faiss",
        "vector_keys.json",
        "bm25/data.csc.index.npy",
        "bm25_folded/indices.csc.index.npy",
        "records.json",
        "segments.json",
    ],
)
def test_a_garbled_index_file_of_the_same_size_is_detected_and_nothing_garbled_is_reused(
    tmp_path, corpus, counting, name
):
    settings = make_settings(tmp_path, corpus=corpus)
    first = Assistant.load(settings)
    plan = "xa-vinh-thinh-2026"
    vectors = all_vectors(first.index)
    question = "Báo cáo năm về CCHC ở xã Vĩnh Thịnh gửi trước ngày nào?"
    expected = answer_markdown(first.ask(question))  # (first maps the files it reads)
    _garble(segment_dir(settings.index_dir, plan) / name)
    embedded = counting.embedded
    again = Assistant.load(settings)  # a start checks that the files are there, with their sizes
    # the garbled segment is found when first read, and built again before answering
    assert answer_markdown(again.ask(question)) == expected
    assert again.rebuilt
    # nothing was taken from its garbled folder; the other plan's segment was reused as it was
    assert counting.embedded - embedded == own_texts(first.index, plan)
    np.testing.assert_array_equal(all_vectors(again.index), vectors)
    assert not Assistant.load(settings).rebuilt


def test_the_index_version_covers_the_code_that_shapes_it_and_nothing_else(tmp_path):
    """Rewording the CLI or an answer does not rebuild the index; changing a parser does."""
    from assistant.index.disk import index_modules, module_closure

    names = {"/".join(p.parts[-2:]) for p in index_modules()}
    assert {"index/store.py", "read/load.py", "parse/plan.py", "parse/prose.py", "parse/extract.py"} <= names
    assert {"index/segment.py", "read/docxtext.py", "parse/flattable.py"} <= names
    assert not {n.split("/")[0] for n in names} & {"answer", "present", "cli", "telegram", "serve", "due"}
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "index.py").write_text("from .parse import x\ndef f():\n    from pkg.lazy import y\n")
    (package / "parse.py").write_text("from . import helpers\nfrom .sub.deep import z\n")
    (package / "helpers.py").write_text("")
    (package / "lazy.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "deep.py").write_text("from ..helpers import h\nimport pkg.lazy\n")
    (package / "cli.py").write_text("from .index import f\n")
    found = ["/".join(p.relative_to(package).parts) for p in module_closure(("index",), package)]
    assert found == ["helpers.py", "index.py", "lazy.py", "parse.py", "sub/__init__.py", "sub/deep.py"]
