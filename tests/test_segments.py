"""Per-plan segments: a question about one plan is scored from that plan's own statistics,
so adding or removing other plans moves nothing about it; updates touch one segment."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import make_settings
from helpers import CORPUS

from assistant.index.update import add_plan, remove_plan
from assistant.lang.normalize import fold
from assistant.present.answers import answer_json
from assistant.serve.assistant import Assistant

pytestmark = pytest.mark.slow

# (file, the place as the plan writes it, a new name for its clone)
CLONES = [
    ("xa-thanh-an-2026.txt", "Thạnh An", "Mỹ Lợi"),
    ("xa-vinh-thinh-2026.txt", "Vĩnh Thịnh", "Phú Điền"),
    ("xa-ky-lac-2025.txt", "Kỳ Lạc", "Long Khánh"),
    ("phuong-rach-gia-2026.txt", "Rạch Giá", "Bình Xuân"),
]


def _clone(folder, name: str, old: str, new: str):
    """Another commune's plan: the same text with its place renamed."""
    path = folder / f"clone-{name}"
    path.write_text((CORPUS / name).read_text("utf-8").replace(old, new), "utf-8")
    return path


def _observed(assistant: Assistant, questions: list[str]) -> list:
    """Each question's answer (its facts and sources, or that it found none) and every
    candidate's features (what scoring reads). A "no plan for that year" reply also lists the
    plans loaded, which is expected to grow."""
    a = assistant.answerer
    out = []
    for q in questions:
        gathered = a.gather(a.parse(q))
        answer = answer_json(assistant.ask(q))
        stated = answer["answer"] if answer["found"] else None
        out.append((answer["found"], stated, answer["sources"], [c.features for c in gathered.candidates]))
    return out


def test_a_question_about_one_plan_is_scored_the_same_whatever_other_plans_are_added(
    tmp_path, gold_questions
):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(tmp_path, corpus=corpus)
    before = Assistant.load(settings)
    catalog = before.answerer.catalog

    def names_its_commune(question: str) -> bool:
        scope = catalog.parse(question).plan_ids
        return len(scope) == 1 and fold(catalog.places[scope[0]].split(" ", 1)[1]) in fold(question)

    named = [g["question"] for g in gold_questions if names_its_commune(g["question"])]
    assert len(named) > 60
    seen = _observed(before, named)
    assert sum(found for found, *_ in seen) > 0.7 * len(named)

    clones = tmp_path / "clones"
    clones.mkdir()
    for name, old, new in CLONES:
        assert add_plan(settings, _clone(clones, name, old, new)).status == "added"
    after = Assistant.load(settings)
    assert not after.rebuilt and len(after.index.entries) == len(before.index.entries) + len(CLONES)
    assert _observed(after, named) == seen  # answers, "not found" decisions and every feature

    assert remove_plan(settings, "Mỹ Lợi").status == "removed"
    assert _observed(Assistant.load(settings), named) == seen


def test_an_update_writes_one_segment_and_the_manifest(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(tmp_path, corpus=corpus)
    Assistant.load(settings)
    folders = {p.name: p.stat().st_mtime_ns for p in (settings.index_dir / "segments").iterdir()}
    name, old, new = CLONES[0]
    added = add_plan(settings, _clone(tmp_path, name, old, new))
    assert added.status == "added"
    after = {p.name: p.stat().st_mtime_ns for p in (settings.index_dir / "segments").iterdir()}
    assert {k: v for k, v in after.items() if k in folders} == folders  # no other segment touched
    assert len(set(after) - set(folders)) == 1
    manifest = json.loads((settings.index_dir / "manifest.json").read_text("utf-8"))
    assert len(manifest["segments"]) == len(folders) + 1
    assert Assistant.load(settings).ask(f"Ai chủ trì cải cách thể chế ở xã {new}?").found


def test_the_shipped_reference_is_the_statistics_of_the_served_plans(tmp_path):
    from assistant.cli.evaluate import cmd_reference

    class Args:
        out = str(tmp_path / "reference.json")

    assert cmd_reference(Args, make_settings(tmp_path)) == 0
    from assistant.index.reference import REFERENCE_FILE

    assert (tmp_path / "reference.json").read_bytes() == REFERENCE_FILE.read_bytes()


def test_a_question_naming_no_commune_in_a_wide_corpus_is_answered_across_communes(lexical_assistant):
    from assistant.answer import Answerer
    from assistant.present.answers import answer_markdown
    from assistant.present.facts import say

    a = lexical_assistant
    narrow = Answerer(a.index, a.answerer.sources, say, None, max_unscoped=3)
    wide = narrow.ask("Báo cáo quý về CCHC gửi trước ngày nào?")
    assert wide.found and wide.across and wide.searched == 5
    assert "(đã tìm trong 5 kế hoạch)" in answer_markdown(wide)
    assert not narrow.ask("Báo cáo năm về CCHC ở xã Vĩnh Thịnh gửi trước ngày nào?").across
    # the same question with the plans chosen (a chat's commune) is answered for them
    chosen = narrow.ask("Báo cáo quý về CCHC gửi trước ngày nào?", ("xa-vinh-thinh-2026",))
    assert chosen.found and not chosen.across


class _Fake:
    """A deterministic stand-in for the embedding model (the edge we do not own here)."""

    name, dim = "fake-progress", 4

    def embed_queries(self, texts):
        return self.embed_passages(texts)

    def embed_passages(self, texts):
        import numpy as np

        return np.ones((len(texts), self.dim), dtype=np.float32) / 2


def test_a_build_reports_its_progress_over_every_segment(tmp_path):
    from assistant.index.build import build_index
    from assistant.index.passages import plan_passages
    from assistant.parse.plan import parse_plan
    from assistant.read.load import load_corpus

    docs, errors = load_corpus(CORPUS)
    plans = [parse_plan(d) for d in docs[:3]]
    calls = []
    build_index(plans, errors, CORPUS, tmp_path / "index", _Fake(), lambda d, t: calls.append((d, t)))
    done, total = calls[-1]
    assert done == total  # the last report: everything embedded, nothing left
    first = {p.search_text[:600] for p in plan_passages(plans[0])}
    assert done > len(first)  # counted over all three segments, not restarted for each
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and all(d <= t for d, t in calls)


def test_a_build_removes_what_dead_builds_left_and_keeps_a_live_ones(tmp_path):
    import os
    import subprocess
    import sys

    from assistant.index.build import build_index
    from assistant.parse.plan import parse_plan
    from assistant.read.load import load_corpus

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)
    index = tmp_path / "index"
    (index / "segments").mkdir(parents=True)
    left = [
        index / f".manifest.json.tmp-{pid}",
        index / "segments" / f".xa-a-123.tmp-{pid}",
        tmp_path / f".index.old-{pid}",
    ]
    live = index / "segments" / f".xa-b-456.tmp-{os.getpid()}"
    for path in left[:1]:
        path.write_text("{")
    for path in (*left[1:], live):
        path.mkdir()
    docs, errors = load_corpus(CORPUS)
    build_index([parse_plan(docs[0])], errors, CORPUS, index, None, files={docs[0].name: docs[0].sha256})
    assert not any(p.exists() for p in left) and live.is_dir()
