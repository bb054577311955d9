"""Adding, replacing and removing a plan: only new passages are embedded, questions are
answered from the old index meanwhile and from the new one after a reload, and a crash or
a kill in the middle leaves the old index loadable and answering."""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import all_passages, all_vectors

from assistant.index import plan_segment as index_module
from assistant.index.build import build_index
from assistant.index.disk import file_hashes
from assistant.index.lock import index_lock
from assistant.index.passages import plan_passages
from assistant.index.plan_segment import EMBED_CHARS
from assistant.index.store import load_index
from assistant.index.summary import PlanSummary
from assistant.index.update import add_plan, remove_plan
from assistant.index.vectors import text_hash
from assistant.parse.plan import parse_plan
from assistant.present.answers import answer_markdown
from assistant.present.updates import doubt_text, update_message
from assistant.read.load import load_corpus
from assistant.serve.assistant import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
NEW = CORPUS / "phuong-rach-gia-2026.txt"
BASE = sorted(p.name for p in CORPUS.glob("xa-*.txt"))  # the four-plan index
Q_NEW = "Ai chủ trì Kế hoạch kiểm tra, xử lý và rà soát văn bản QPPL năm 2026 của phường Rạch Giá?"
Q_OLD = "Xã Thái Tân phấn đấu bao nhiêu % hồ sơ TTHC được trả kết quả đúng hạn, trước hạn?"


@pytest.fixture(scope="module", autouse=True)
def _remembered_word_segmentation():
    """Every build segments every passage with underthesea; the same lines come back in
    each test, so remember the answers (same function, same results, less waiting)."""
    import underthesea

    with pytest.MonkeyPatch.context() as mp:
        cached = functools.lru_cache(maxsize=None)(underthesea.word_tokenize)
        mp.setattr(underthesea, "word_tokenize", lambda text, *a, **k: list(cached(text, *a, **k)))
        yield


def _settings(root: Path, **kw) -> Settings:
    return Settings(
        corpus_dir=root / "corpus",
        index_dir=root / "index",
        data_dir=root / "data",
        embedder=kw.pop("embedder", "none"),
        **kw,
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A four-plan corpus and its index (no dense vectors), built once."""
    root = tmp_path_factory.mktemp("base")
    (root / "corpus").mkdir()
    for name in BASE:
        shutil.copy(CORPUS / name, root / "corpus" / name)
    Assistant.load(_settings(root))
    return root


@pytest.fixture
def settings(base, tmp_path) -> Settings:
    for part in ("corpus", "index"):
        shutil.copytree(base / part, tmp_path / part)
    return _settings(tmp_path)


def _answers_old_question(assistant: Assistant) -> bool:
    answer = assistant.ask(Q_OLD)
    return (
        answer.found and "95" in answer_markdown(answer) and answer.citations[0].doc == "xa-thai-tan-2025.txt"
    )


def _corpus(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.corpus_dir.iterdir())


# ---------------------------------------------------------------- adding


def test_add_answers_from_the_old_index_during_and_the_new_one_after(settings, monkeypatch):
    old = Assistant.load(settings)
    assert not old.rebuilt and "phuong-rach-gia-2026" not in old.index.manifest["plans"]
    during = []
    real = index_module.restore_table
    monkeypatch.setattr(
        index_module, "restore_table", lambda texts: during.append(_answers_old_question(old)) or real(texts)
    )

    result = add_plan(settings, NEW)

    assert during == [True]  # a question asked in the middle of the build was answered
    assert result.status == "added" and result.ok
    s = result.plan
    assert (s.id, s.place, s.period, s.file) == (
        "phuong-rach-gia-2026",
        "phường Rạch Giá",
        "năm 2026",
        NEW.name,
    )
    assert s.tasks == 76 and s.duties >= 1 and s.targets >= 1 and s.incomplete_rows == 0
    assert "phường Rạch Giá" in update_message(result) and "76 nhiệm vụ" in update_message(result)
    assert _corpus(settings) == sorted(BASE + [NEW.name])

    new = Assistant.load(settings)
    assert not new.rebuilt  # the manifest matches the corpus: no second build at start
    answer = new.ask(Q_NEW)
    assert answer.found and "Văn phòng HĐND" in answer_markdown(answer)
    assert answer.citations[0].doc == NEW.name
    assert _answers_old_question(old)  # the old object still answers from memory


class FakeEmbedder:
    """A deterministic stand-in for the dense model: a vector from the text's hash."""

    name, dim = "fake:hash", 8

    def __init__(self):
        self.embedded: list[str] = []

    def _vectors(self, texts):
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[: self.dim], dtype=np.uint8) for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim) + 1
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_queries(self, texts):
        return self._vectors(texts)

    def embed_passages(self, texts):
        self.embedded += list(texts)
        return self._vectors(texts)


def test_adding_one_plan_embeds_only_the_new_plans_passages(base, tmp_path):
    settings = _settings(tmp_path)
    shutil.copytree(base / "corpus", settings.corpus_dir)
    docs, errors = load_corpus(settings.corpus_dir)
    first = FakeEmbedder()
    before = build_index(
        [parse_plan(d) for d in docs], errors, settings.corpus_dir, settings.index_dir, first
    )
    assert len(first.embedded) > 400

    second = FakeEmbedder()
    result = add_plan(settings, NEW, embedder=second)

    assert result.status == "added"
    new_texts = [p.search_text for p in plan_passages(parse_plan(load_corpus(settings.corpus_dir)[0][0]))]
    assert all(any(t.startswith(e) for t in new_texts) for e in second.embedded)  # only the new plan
    assert len(set(second.embedded)) == len(second.embedded) == result.embedded  # each text once
    assert 0.9 * len(new_texts) <= result.embedded <= len(new_texts)
    after = load_index(settings.index_dir, file_hashes(settings.corpus_dir), second)
    assert all_vectors(after).shape == (len(all_passages(after)), FakeEmbedder.dim) == (result.passages, 8)
    # the old plans' segments are the very ones built for the four-plan index
    assert [e.dir for e in after.entries if e.plan.id != "phuong-rach-gia-2026"] == [
        e.dir for e in before.entries
    ]
    old_rows = {(p.plan, p.block): v for p, v in zip(all_passages(before), all_vectors(before))}
    reused = [
        (v, old_rows[(p.plan, p.block)])
        for p, v in zip(all_passages(after), all_vectors(after))
        if p.plan != "phuong-rach-gia-2026"
    ]
    assert len(reused) == len(all_passages(before))
    assert all(np.array_equal(a, b) for a, b in reused)


def test_add_and_remove_keep_the_wide_index_in_step_without_building_it_again(base, tmp_path):
    from assistant.index.wide import open_wide

    settings = _settings(tmp_path)
    shutil.copytree(base / "corpus", settings.corpus_dir)
    docs, errors = load_corpus(settings.corpus_dir)
    embedder = FakeEmbedder()
    build_index([parse_plan(d) for d in docs], errors, settings.corpus_dir, settings.index_dir, embedder)

    def wide():
        index = load_index(settings.index_dir, file_hashes(settings.corpus_dir), embedder)
        return index, open_wide(settings.index_dir, index.manifest["wide"])

    before, old = wide()
    assert set(old.rows) == {e.dir for e in before.entries}
    assert add_plan(settings, NEW, embedder=embedder).status == "added"
    added, grown = wide()
    new_dir = next(e.dir for e in added.entries if e.plan.id == "phuong-rach-gia-2026")
    assert set(grown.rows) == set(old.rows) | {new_dir}
    assert len(grown.rows[new_dir]) == added.by_id["phuong-rach-gia-2026"].passages
    assert all(np.array_equal(grown.rows[d], old.rows[d]) for d in old.rows)  # kept as they were
    assert grown.trained_on == old.trained_on  # not built again

    assert remove_plan(settings, "xa-thai-tan-2025", embedder=embedder).status == "removed"
    removed, shrunk = wide()
    assert set(shrunk.rows) == {e.dir for e in removed.entries}
    assert all(np.array_equal(shrunk.rows[d], grown.rows[d]) for d in shrunk.rows)
    # the version before stays for a process still answering from the manifest before
    kept = {p.name for p in (settings.index_dir / "wide").iterdir()}
    assert kept == {removed.manifest["wide"], added.manifest["wide"]}


def test_same_place_and_period_asks_first_then_replaces(settings, tmp_path):
    from planfiles import make_docx, rach_gia_parts

    assert add_plan(settings, NEW).status == "added"
    manifest = (settings.index_dir / "manifest.json").read_text("utf-8")
    word = make_docx(tmp_path / "ke-hoach-rach-gia.docx", rach_gia_parts())

    asked = add_plan(settings, word)
    assert asked.status == "exists" and not asked.ok
    assert [o.file for o in asked.others] == [NEW.name]
    assert "phường Rạch Giá" in update_message(asked) and "xác nhận" in update_message(asked)
    assert (settings.index_dir / "manifest.json").read_text("utf-8") == manifest  # nothing changed
    assert NEW.name in _corpus(settings) and word.name not in _corpus(settings)

    replaced = add_plan(settings, word, replace=True)
    assert replaced.status == "replaced"
    assert replaced.plan.file == word.name and replaced.plan.tasks == 76
    assert [o.file for o in replaced.others] == [NEW.name]
    assert _corpus(settings) == sorted(BASE + [word.name])
    assert [p.name.split("-", 2)[-1] for p in (settings.data_dir / "removed").iterdir()] == [NEW.name]
    new = Assistant.load(settings)
    assert not new.rebuilt
    assert new.ask(Q_NEW).citations[0].doc == word.name


def test_remove_by_place_and_the_refusals(settings):
    assert remove_plan(settings, "Hà Nội").status == "not_found"
    ambiguous = remove_plan(settings, "xa")
    assert ambiguous.status == "ambiguous" and len(ambiguous.others) == 4

    result = remove_plan(settings, "xa thai tan")  # without diacritics, without the year
    assert result.status == "removed" and result.plan.place == "xã Thái Tân"
    assert "xa-thai-tan-2025.txt" not in _corpus(settings)
    assert any(p.name.endswith("xa-thai-tan-2025.txt") for p in (settings.data_dir / "removed").iterdir())
    after = Assistant.load(settings)
    assert not after.rebuilt
    assert "xa-thai-tan-2025" not in [p.id for p in after.index.catalog]
    assert not _answers_old_question(after)


@pytest.mark.slow
def test_the_last_plan_is_not_removed(tmp_path):
    settings = _settings(tmp_path)
    settings.corpus_dir.mkdir()
    shutil.copy(CORPUS / BASE[0], settings.corpus_dir)
    refused = remove_plan(settings, BASE[0])
    assert refused.status == "refused" and "duy nhất" in update_message(refused)
    assert _corpus(settings) == [BASE[0]]


def test_unreadable_or_oversize_file_changes_nothing(settings, tmp_path):
    from planfiles import make_scanned_pdf

    manifest = (settings.index_dir / "manifest.json").read_text("utf-8")
    scanned = add_plan(settings, make_scanned_pdf(tmp_path / "ban-quet.pdf"))
    assert (
        scanned.status == "unreadable"
        and "bản quét" in update_message(scanned)
        and "ban-quet.pdf" in update_message(scanned)
    )
    small = _settings(settings.corpus_dir.parent, max_file_bytes=10_000)
    too_big = add_plan(small, NEW)
    assert too_big.status == "unreadable" and "quá lớn" in update_message(too_big)
    assert add_plan(settings, tmp_path / "khong-co.txt").status == "unreadable"
    hidden = tmp_path / "~$ke-hoach.docx"
    hidden.write_bytes(b"owner")
    assert add_plan(settings, hidden).status == "refused"
    assert _corpus(settings) == BASE
    assert (settings.index_dir / "manifest.json").read_text("utf-8") == manifest


def test_a_second_update_waits_its_turn(settings):
    with index_lock(settings.index_dir):
        busy = add_plan(settings, NEW)
        assert busy.status == "busy" and "thử lại" in update_message(busy)
        assert remove_plan(settings, "xa thai tan").status == "busy"
    assert _corpus(settings) == BASE


def test_summary_names_rows_it_could_not_read():
    ky_lac = parse_plan(load_corpus(CORPUS)[0][1])
    assert ky_lac.plan.id == "xa-ky-lac-2025"
    summary = PlanSummary.of(ky_lac)
    assert summary.incomplete_rows == len(ky_lac.warnings) > 0
    rows = summary.warnings[: summary.incomplete_rows]
    assert all(w.kind in {"row_incomplete", "task_incomplete"} and w.line > 0 for w in rows)
    assert all(doubt_text(w).startswith(f"dòng {w.line}: ") for w in rows)


# ---------------------------------------------------------------- crashes


def _assert_old_index_intact(settings: Settings) -> None:
    assert _corpus(settings) == BASE  # no new plan, no staged file left visible
    assert not [p for p in settings.index_dir.parent.iterdir() if ".tmp-" in p.name]
    old = Assistant.load(settings)
    assert not old.rebuilt and _answers_old_question(old)


@pytest.mark.parametrize(
    "where", ["assistant.index.plan_segment.restore_table", "assistant.index.build.write_atomic"]
)
def test_an_exception_during_the_build_leaves_the_old_index(settings, monkeypatch, where):
    def boom(*args, **kwargs):
        raise RuntimeError("mất điện")

    monkeypatch.setattr(where, boom)
    with pytest.raises(RuntimeError):
        add_plan(settings, NEW)
    monkeypatch.undo()
    _assert_old_index_intact(settings)


KILLED = """
import sys, time
from pathlib import Path
import assistant.index.build as build
from assistant.settings import Settings
from assistant.index.update import add_plan
root = Path(sys.argv[1])
def hang(path, text):             # the new segment is written, the manifest not replaced
    (root / "ready").write_text(text)
    time.sleep(120)
build.write_atomic = hang
add_plan(Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data",
                  embedder="none"), sys.argv[2])
"""


def test_a_killed_update_leaves_the_old_index_and_the_next_one_cleans_up(settings):
    root = settings.corpus_dir.parent
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(root), str(NEW)], env=env)
    try:
        deadline = time.time() + 60
        while not (root / "ready").exists():
            assert proc.poll() is None, "the update finished or failed before it could be killed"
            assert time.time() < deadline
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    meant = json.loads((root / "ready").read_text())  # the manifest the killed update was writing
    new = next(e["dir"] for e in meant["segments"] if e["file"] == NEW.name)
    live = json.loads((settings.index_dir / "manifest.json").read_text("utf-8"))
    assert (settings.index_dir / "segments" / new).is_dir()  # its segment written, never live
    assert new not in {e["dir"] for e in live["segments"]}
    assert [p.name for p in settings.corpus_dir.glob(".incoming-*")]  # the staged copy, hidden

    _assert_old_index_intact_but_stale(settings)
    result = add_plan(settings, NEW)
    assert result.status == "added"
    assert not list(settings.corpus_dir.glob(".incoming-*"))
    assert Assistant.load(settings).ask(Q_NEW).found


def _assert_old_index_intact_but_stale(settings: Settings) -> None:
    assert sorted(p.name for p in settings.corpus_dir.iterdir() if not p.name.startswith(".")) == BASE
    old = Assistant.load(settings)
    assert not old.rebuilt and _answers_old_question(old)


# A kill at each step of a replace. The child counts the changes it makes to the corpus
# folder (renames and deletions) once the manifest is written, and waits to be killed after
# `stop` of them (-1: while writing the manifest, before the new index is live).
KILLED_REPLACE = """
import os, sys, time
from pathlib import Path
import assistant.index.build as build
from assistant.settings import Settings
from assistant.index.update import add_plan
root, source, stop = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
corpus, state = root / "corpus", {"live": False, "changes": 0}
def wait_for_the_kill():
    (root / "ready").write_text(str(state["changes"]))
    time.sleep(120)
real_write = build.write_atomic
def write(path, text):
    if stop == -1 and path.name == "manifest.json":
        wait_for_the_kill()
    real_write(path, text)
    state["live"] = state["live"] or path.name == "manifest.json"
    if state["live"] and stop == 0:
        wait_for_the_kill()
build.write_atomic = write
def watched(real):
    def change(*paths, **kw):
        done = real(*paths, **kw)
        touched = [Path(p).parent for p in paths if isinstance(p, (str, os.PathLike))]
        if state["live"] and corpus in touched:
            state["changes"] += 1
            if state["changes"] == stop:
                wait_for_the_kill()
        return done
    return change
os.rename, os.replace, os.unlink = watched(os.rename), watched(os.replace), watched(os.unlink)
add_plan(Settings(corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data",
                  embedder="none"), source, replace=True)
"""
THAI_TAN = CORPUS / "xa-thai-tan-2025.txt"


def _thai_tan_revised(folder: Path, name: str) -> Path:
    """The Thái Tân plan with one target changed (95% -> 97% of dossiers on time)."""
    text = THAI_TAN.read_text("utf-8")
    assert text.count("95% -100%") == 1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.replace("95% -100%", "97% -100%"), "utf-8")
    return folder / name


def _kill_replace(settings: Settings, source: Path, stop: int) -> bool:
    """Run `add --replace` in a child killed after `stop` changes; False if it finished first."""
    root = settings.corpus_dir.parent
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-c", KILLED_REPLACE, str(root), str(source), str(stop)]
    proc = subprocess.Popen(argv, env=env)
    try:
        deadline = time.time() + 120
        while not (root / "ready").exists():
            if proc.poll() is not None:
                assert proc.returncode == 0, "the replace failed before it could be killed"
                return False
            assert time.time() < deadline
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    (root / "ready").unlink()
    return True


def _thai_tan_target(settings: Settings) -> str:
    """The target the Thái Tân plan states now ("95" or "97"); fails when no plan answers."""
    assistant = Assistant.load(settings)
    files = [p.file for p in assistant.index.catalog if p.place == "xã Thái Tân"]
    assert len(files) == 1, files  # not "Chưa có kế hoạch của xã Thái Tân", nor two of them
    answer = assistant.ask(Q_OLD)
    assert answer.found and answer.citations[0].doc == files[0], answer_markdown(answer)
    said = answer_markdown(answer)
    assert ("95" in said) != ("97" in said), said
    return "95" if "95" in said else "97"


def _assert_one_thai_tan_and_nothing_lost(settings: Settings, target: str) -> None:
    old, new = THAI_TAN.read_bytes(), THAI_TAN.read_bytes().replace(b"95% -100%", b"97% -100%")
    visible = [p for p in settings.corpus_dir.iterdir() if not p.name.startswith(".")]
    plans = [p.read_bytes() for p in visible if p.read_bytes() in (old, new)]
    assert plans == [new if target == "97" else old]  # one Thái Tân plan, the one answering
    removed = settings.data_dir / "removed"
    kept = [p.read_bytes() for p in removed.glob("[!.]*")] if removed.is_dir() else []
    assert old in plans + kept  # the previous version is never lost


@pytest.mark.faults
@pytest.mark.parametrize(
    "name, stop",
    [(THAI_TAN.name, stop) for stop in (-1, 0, 1, 2)]
    + [("ke-hoach-thai-tan-sua.txt", stop) for stop in (-1, 0, 1, 2, 3)],
)
def test_a_replace_killed_at_any_step_leaves_a_plan_answering(settings, tmp_path, name, stop):
    revised = _thai_tan_revised(tmp_path / "new", name)
    if not _kill_replace(settings, revised, stop):
        pytest.skip(f"the replace makes fewer than {stop} changes to the corpus")
    started = _thai_tan_target(settings)  # a start after the kill
    if stop == -1:
        assert started == "95"  # killed before the new index was live
    _assert_one_thai_tan_and_nothing_lost(settings, started)

    assert add_plan(settings, NEW).status == "added"  # the next update finds what the kill left
    assert not list(settings.corpus_dir.glob(".incoming-*"))
    assert _thai_tan_target(settings) == started
    _assert_one_thai_tan_and_nothing_lost(settings, started)


@pytest.mark.faults
@pytest.mark.parametrize("stop", [0, 1])
def test_the_next_add_completes_a_killed_replace_with_no_start_between(settings, tmp_path, stop):
    revised = _thai_tan_revised(tmp_path / "new", "ke-hoach-thai-tan-sua.txt")
    assert _kill_replace(settings, revised, stop)
    assert add_plan(settings, NEW).status == "added"
    assert not list(settings.corpus_dir.glob(".incoming-*"))
    target = _thai_tan_target(settings)
    assert target == "97"  # the new index was live: the replace is completed, not undone
    _assert_one_thai_tan_and_nothing_lost(settings, target)


def test_what_a_kill_left_before_its_journal_or_in_it_is_cleared_and_the_plans_stay(tmp_path):
    from assistant.index.commit import JOURNAL, STAGED, recover

    settings = _settings(tmp_path)
    settings.corpus_dir.mkdir()
    (settings.corpus_dir / "a.txt").write_text("kế hoạch cũ", "utf-8")
    (settings.corpus_dir / f"{STAGED}7-a.txt").write_text("kế hoạch mới, chưa ghi nhật ký", "utf-8")
    (settings.corpus_dir / f"{STAGED}8-b.txt").write_text("nửa", "utf-8")
    (settings.corpus_dir / f"{STAGED}8-b.txt{JOURNAL}").write_text('{"target": "b.t', "utf-8")  # cut
    (settings.corpus_dir / f"{STAGED}9-c.txt{JOURNAL}.tmp").write_text("{", "utf-8")
    recover(settings, {"a.txt": "0" * 64})
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == ["a.txt"]
    assert (settings.corpus_dir / "a.txt").read_text("utf-8") == "kế hoạch cũ"


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fill_the_disk(monkeypatch, settings: Settings, where: str) -> None:
    """Make the operating system's write fail with ENOSPC at one place of an `add`."""
    real_copy, real_write, real_fsync = shutil.copyfile, Path.write_text, os.fsync
    removed = settings.data_dir / "removed"

    def copy(src, dst, **kw):
        full = Path(dst).parent == {"staging": settings.corpus_dir, "backup": removed}[where]
        return _disk_full() if full else real_copy(src, dst, **kw)

    def write(path, *args, **kw):
        return _disk_full() if settings.index_dir in path.parents else real_write(path, *args, **kw)

    def fsync(fd):
        name = Path(os.readlink(f"/proc/self/fd/{fd}")).name
        wanted = {"journal": ".incoming-", "manifest": ".manifest.json.tmp"}[where]
        return _disk_full() if name.startswith(wanted) else real_fsync(fd)

    if where in {"staging", "backup"}:
        monkeypatch.setattr(shutil, "copyfile", copy)
    elif where == "segment":
        monkeypatch.setattr(Path, "write_text", write)
    else:
        monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.faults
@pytest.mark.parametrize("where", ["staging", "journal", "backup", "segment", "manifest"])
def test_a_full_disk_during_add_is_said_in_words_and_changes_nothing(
    settings, tmp_path, monkeypatch, capsys, where
):
    revised = _thai_tan_revised(tmp_path / "new", THAI_TAN.name)  # a replace: the old file is copied too
    before = {p.name: p.read_bytes() for p in settings.corpus_dir.iterdir()}
    manifest = (settings.index_dir / "manifest.json").read_bytes()

    _fill_the_disk(monkeypatch, settings, where)
    assert _cli(settings, "add", "--replace", str(revised)) == 1
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert "Không đủ dung lượng đĩa" in err and "Chưa có gì thay đổi" in err and "Traceback" not in err + out

    assert {p.name: p.read_bytes() for p in settings.corpus_dir.iterdir()} == before  # nothing staged left
    assert (settings.index_dir / "manifest.json").read_bytes() == manifest
    removed = settings.data_dir / "removed"
    assert not (removed.is_dir() and list(removed.iterdir()))  # no copy of a plan still in use
    assert _thai_tan_target(settings) == "95"
    assert add_plan(settings, revised, replace=True).status == "replaced"  # room again: it goes through
    assert _thai_tan_target(settings) == "97"


def test_a_full_disk_in_any_command_is_said_in_words(monkeypatch, capsys):
    from assistant.cli import main as cli_main

    def full(args, settings):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/srv/cchc/index/manifest.json")

    monkeypatch.setattr(cli_main, "cmd_plans", full)
    assert cli_main.main(["plans"]) == 1
    err = capsys.readouterr().err
    assert "Không đủ dung lượng đĩa" in err and "/srv/cchc/index/manifest.json" in err


# ---------------------------------------------------------------- command line


def _cli(settings: Settings, *argv: str) -> int:
    import argparse

    from assistant.cli.plans import add_plans_parser

    parser = argparse.ArgumentParser()
    add_plans_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args, settings)


def test_cli_add_and_remove_report_in_vietnamese(settings, capsys):
    assert _cli(settings, "add", str(NEW)) == 0
    out = capsys.readouterr().out
    for line in (
        "Đã thêm kế hoạch phường Rạch Giá năm 2026",
        "Xã/phường:        phường Rạch Giá",
        "Kỳ kế hoạch:      năm 2026",
        "Nhiệm vụ:         76",
        "Dòng chưa đọc đủ: 0",
    ):
        assert line in out
    assert _cli(settings, "add", str(NEW)) == 1
    err = capsys.readouterr().err
    assert "Đã có kế hoạch phường Rạch Giá năm 2026" in err and "--replace" in err
    assert _cli(settings, "remove", "phuong-rach-gia-2026") == 0
    assert "Đã gỡ kế hoạch phường Rạch Giá năm 2026" in capsys.readouterr().out
    assert _cli(settings, "remove", "phuong-rach-gia-2026") == 1
    assert "Không tìm thấy kế hoạch" in capsys.readouterr().err


def test_plan_commands_are_documented():
    doc = (ROOT / "docs" / "plans.md").read_text("utf-8")
    for command in ("python -m assistant add", "--replace", "python -m assistant remove"):
        assert command in doc


@pytest.mark.faults
def test_an_add_between_a_start_reading_the_corpus_and_loading_the_index_is_never_half_seen(settings):
    """A start reads the corpus (four plans); before it loads the index, an add commits a
    fifth plan and its index. The start must not serve the new index with the old texts,
    nor record one corpus over an index of another: it loads again under the lock."""
    from assistant.serve.assistant import open_index

    added = []
    index, sources, _, rebuilt = open_index(
        settings, before_load=lambda: added.append(add_plan(settings, NEW))
    )
    assert added[0].status == "added" and not rebuilt  # the index the add built, loaded again
    manifest = json.loads((settings.index_dir / "manifest.json").read_text("utf-8"))
    assert sorted(manifest["files"]) == sorted(sources) == sorted(e.file for e in index.entries)
    assert manifest["files"] == file_hashes(settings.corpus_dir)
    assert NEW.name in sources
    served = Assistant.load(settings)
    assert not served.rebuilt and served.ask(Q_NEW).found and _answers_old_question(served)


@pytest.mark.faults
def test_a_start_that_must_rebuild_waits_for_a_running_update(settings):
    """The update lock is held (an add in progress elsewhere): a start with a stale index
    waits for it instead of building beside it, then builds from the corpus it reads."""
    import threading

    from assistant.serve.assistant import open_index

    shutil.copy(NEW, settings.corpus_dir / NEW.name)  # the index is now stale
    release, result = threading.Event(), {}

    def hold():
        with index_lock(settings.index_dir):
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    starter = threading.Thread(
        target=lambda: result.update(zip(("index", "sources", "embedder", "rebuilt"), open_index(settings)))
    )
    starter.start()
    starter.join(1.5)
    assert starter.is_alive() and not result  # waiting for the lock
    release.set()
    starter.join(120)
    holder.join()
    assert result["rebuilt"] and NEW.name in result["sources"]
    manifest = json.loads((settings.index_dir / "manifest.json").read_text("utf-8"))
    assert manifest["files"] == file_hashes(settings.corpus_dir)


class KilledEmbedder(FakeEmbedder):
    """The fake dense model, killed after embedding `limit` passages."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def embed_passages(self, texts):
        if len(self.embedded) + len(texts) > self.limit:
            raise KeyboardInterrupt("killed")
        return super().embed_passages(texts)


@pytest.mark.faults
@pytest.mark.slow
def test_a_killed_build_resumes_its_embedding(tmp_path):
    from assistant.index.vectors import journal_folder, journaled

    settings = _settings(tmp_path)
    shutil.copytree(CORPUS, settings.corpus_dir)
    docs, errors = load_corpus(settings.corpus_dir)
    plans = [parse_plan(d) for d in docs]
    killed = KilledEmbedder(limit=600)
    with pytest.raises(KeyboardInterrupt):
        build_index(plans, errors, settings.corpus_dir, settings.index_dir, killed)
    journal = journal_folder(settings.index_dir, killed)
    kept = journaled(journal)
    assert 256 <= len(kept) <= len(killed.embedded) and not (settings.index_dir / "manifest.json").exists()

    again = FakeEmbedder()
    index = build_index(plans, errors, settings.corpus_dir, settings.index_dir, again)
    unique = {text_hash(p.search_text[:EMBED_CHARS]) for p in all_passages(index)}
    assert not set(map(text_hash, again.embedded)) & set(kept)  # nothing journaled is embedded again
    assert len(again.embedded) == len(unique) - len(kept)
    clean = FakeEmbedder()._vectors([p.search_text[:EMBED_CHARS] for p in all_passages(index)])
    assert np.allclose(all_vectors(index), clean)
    assert not journal.parent.exists()  # a build that lands clears its journal
