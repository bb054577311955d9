"""`python -m assistant plans|tasks|units` run as a user would, on the real corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PLAN_IDS = {
    "phuong-rach-gia-2026",
    "xa-ky-lac-2025",
    "xa-thai-tan-2025",
    "xa-thanh-an-2026",
    "xa-vinh-thinh-2026",
}
PLAN_KEYS = {"id", "file", "place", "province", "district", "period", "tasks", "duties", "reports", "targets"}
TASK_KEYS = {"plan", "task", "content", "product", "lead", "cooperating", "deadline", "section", "lines"}


@pytest.fixture(autouse=True)
def _index(lexical_cli):
    """Every command here reads the session's lexical index."""


def run_cli(*args: str, corpus: Path = CORPUS) -> subprocess.CompletedProcess:
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(corpus), PYTHONIOENCODING="utf-8", HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def run_json(*args: str):
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Bỏ qua tệp" not in proc.stderr  # every corpus file loads
    return json.loads(proc.stdout)


def assert_task_shape(task: dict) -> None:
    assert set(task) == TASK_KEYS
    assert task["plan"] in PLAN_IDS
    assert isinstance(task["content"], str) and task["content"]
    assert isinstance(task["product"], str)
    for key in ("lead", "cooperating"):
        assert isinstance(task[key], list) and all(isinstance(u, str) and u for u in task[key])
    deadline = task["deadline"]
    if deadline is not None:
        assert set(deadline) == {"raw", "kind", "due"}
        assert deadline["raw"] and deadline["kind"]
        if deadline["due"] is not None:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline["due"])
            date.fromisoformat(deadline["due"])
    assert isinstance(task["section"], str) and task["section"].startswith("Phụ lục")
    first, last = task["lines"]
    assert isinstance(first, int) and isinstance(last, int) and 1 <= first <= last


def test_plans_json():
    rows = run_json("plans", "--json")
    assert isinstance(rows, list) and len(rows) == 5
    for row in rows:
        assert set(row) == PLAN_KEYS
        assert row["file"] == f"{row['id']}.txt"
        for key in ("tasks", "duties", "reports", "targets"):
            assert isinstance(row[key], int) and row[key] >= 0
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == PLAN_IDS
    assert by_id["phuong-rach-gia-2026"]["place"] == "phường Rạch Giá"
    assert by_id["phuong-rach-gia-2026"]["tasks"] == 76  # numbered rows of its appendix
    # the level above, as the plans name it ("của UBND tỉnh An Giang"); "" when they do not
    assert by_id["phuong-rach-gia-2026"]["province"] == "tỉnh An Giang"
    assert by_id["xa-thanh-an-2026"]["province"] == "thành phố Cần Thơ"
    assert by_id["xa-vinh-thinh-2026"]["province"] == ""
    assert by_id["xa-thai-tan-2025"]["place"] == "xã Thái Tân"
    assert "sáu tháng cuối năm 2025" in by_id["xa-thai-tan-2025"]["period"]
    assert by_id["xa-vinh-thinh-2026"]["tasks"] == 0  # its appendix is not in the file
    assert all(r["duties"] > 0 for r in rows)


def test_tasks_of_a_plan_json():
    tasks = run_json("tasks", "--plan", "Rạch Giá", "--json")
    assert len(tasks) == 76
    for task in tasks:
        assert_task_shape(task)
        assert task["plan"] == "phuong-rach-gia-2026"
    [digital] = [t for t in tasks if t["content"] == "Kế hoạch Chuyển đổi số năm 2026"]
    assert digital["deadline"] == {"raw": "31/01/2026", "kind": "date", "due": "2026-01-31"}
    assert digital["lines"] == [223, 223]
    ongoing = [t for t in tasks if t["deadline"]["raw"] == "Thường xuyên"]
    assert ongoing and all(t["deadline"]["due"] is None for t in ongoing)


def test_tasks_unit_filter_accepts_aliases_with_or_without_diacritics():
    accented = run_json("tasks", "--plan", "rach gia", "--unit", "Văn phòng HĐND và UBND", "--json")
    folded = run_json("tasks", "--plan", "rach gia", "--unit", "van phong hdnd-ubnd", "--json")
    assert accented == folded
    for task in folded:
        assert_task_shape(task)
        assert task["plan"] == "phuong-rach-gia-2026"
    # rows of group I led by "Văn phòng HĐND và UBND" (lines 175-180) and "... HDND và UBND" (184)
    lines = {t["lines"][0] for t in folded}
    assert {175, 176, 177, 178, 179, 180, 184} <= lines
    assert len(folded) < 76


def test_unknown_plan_is_a_vietnamese_error():
    proc = run_cli("tasks", "--plan", "xa khong ton tai", "--json")
    assert proc.returncode == 1
    assert "Không tìm thấy kế hoạch" in proc.stderr
    assert proc.stdout.strip() == ""


def test_units_lists_each_unit_with_its_plans():
    proc = run_cli("units")
    assert proc.returncode == 0, proc.stderr
    listed = {}
    for line in proc.stdout.splitlines():
        m = re.fullmatch(r"(.+?)  \(([^()]+)\)", line)
        assert m, line
        ids = set(m.group(2).split(", "))
        assert ids <= PLAN_IDS, line
        listed[m.group(1)] = ids
    assert listed["Phòng Văn hóa – Xã hội"] == PLAN_IDS
    assert listed["Văn phòng HĐND và UBND"] == PLAN_IDS
    assert {"phuong-rach-gia-2026", "xa-thanh-an-2026", "xa-thai-tan-2025"} <= listed[
        "Trung tâm Phục vụ hành chính công"
    ]
    # aliases are merged: no second entry spelled another way
    assert not {"Phòng VHXH", "Văn phòng HĐND-UBND", "Trung tâm HCC xã"} & set(listed)


def test_bad_file_in_the_corpus_is_reported_and_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))  # its own corpus, its own index
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "xa-vinh-thinh-2026.txt", corpus)
    (corpus / "hong.txt").write_bytes(b"\x00\x01binary\x00")
    proc = run_cli("plans", "--json", corpus=corpus)
    assert proc.returncode == 0
    assert [r["id"] for r in json.loads(proc.stdout)] == ["xa-vinh-thinh-2026"]
    assert "Bỏ qua tệp hong.txt: tệp nhị phân" in proc.stderr


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m assistant tasks | head`: the command ends quietly when the reader leaves."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "tasks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.read(20)
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("command", ["fit", "eval"])
def test_missing_gold_files_are_named_with_where_the_shared_ones_live(command):
    done = run_cli(command, "/nowhere/dev.jsonl")
    err = done.stderr
    assert done.returncode == 2 and "Traceback" not in err
    assert "Không tìm thấy tệp câu hỏi mẫu: /nowhere/dev.jsonl" in err and "../shared/eval/" in err
