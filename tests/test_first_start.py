"""The first start, as an official sees it: the index build's stages in Vietnamese on
stderr (each plan read and word-segmented, n of N; the passages embedded with a bar, a
sane rate and the time left), no log lines from the code or its libraries unless asked
(--verbose), and never two seconds without a word. The display itself is checked on a
fake clock; the real command builds a small temporary corpus with the real model."""

from __future__ import annotations

import io
import json
import os
import re
import select
import subprocess
import sys
import time

import pytest
from helpers import CORPUS, ROOT

from assistant.cli.progress import BuildProgress

RATE = re.compile(r"([\d,]+) đoạn/giây")


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def shown(events, tty: bool = False) -> list[str]:
    """The lines a log gets for these (time, event) pairs; on a terminal, every state of
    the line rewritten in place."""
    out, clock = Terminal() if tty else io.StringIO(), Clock()
    progress = BuildProgress(stream=out, clock=clock)
    for at, event in events:
        clock.now = 100.0 + at
        progress.stage(*event) if isinstance(event, tuple) else progress(*event)
    if tty:
        return [x.removesuffix("\x1b[K") for x in re.split(r"\r|\n", out.getvalue()) if x.strip("\x1b[K")]
    return out.getvalue().splitlines()


def test_each_stage_of_a_build_is_a_vietnamese_line():
    lines = shown(
        [
            (0.0, ("read", 1, 2, "a.txt")),
            (0.1, ("read", 2, 2, "b.txt")),
            (0.2, ("parse", 1, 2, "a.txt")),
            (0.3, ("segment", 1, 2, "a.txt")),
            (0.4, ("embed", 1, 2, "a.txt")),
            (2.4, [16, 40]),
            (2.6, ("parse", 2, 2, "b.txt")),
            (2.7, ("segment", 2, 2, "b.txt")),
            (2.8, ("embed", 2, 2, "b.txt")),
            (5.0, [40, 40]),
            (5.1, ("ready",)),
        ]
    )
    assert lines[:3] == [
        "Kế hoạch 1/2 (a.txt): đang phân tích nội dung",
        "Kế hoạch 1/2 (a.txt): đang tách từ",
        "Kế hoạch 1/2 (a.txt): đang nạp mô hình và mã hóa đoạn văn",
    ]
    assert lines[3].startswith("Mã hóa đoạn văn (kế hoạch 1/2):  40% [")
    assert lines[3].endswith("16/40 đoạn · 8,0 đoạn/giây · còn khoảng 3 giây")
    assert "Kế hoạch 2/2 (b.txt): đang tách từ" in lines
    # 40 passages in 4.5 s of embedding (2.2 s and 2.3 s, not the time reading plan 2)
    assert lines[-1] == "Đã xây dựng xong chỉ mục (5 giây; 40 đoạn đã mã hóa, 8,9 đoạn/giây)."


def test_the_rate_is_passages_over_the_time_spent_embedding_them():
    """Passages reported at once (a cache, the first batch) are no rate of millions; time
    spent reading the next plan is not embedding time."""
    first = shown([(0.0, ("embed", 1, 1, "a.txt")), (0.0001, [32, 100])], tty=True)
    assert first[-1].endswith("32/100 đoạn") and not RATE.search(first[-1])
    later = shown(
        [
            (0.0, ("embed", 1, 2, "a.txt")),
            (4.0, [40, 80]),
            (4.0, ("parse", 2, 2, "b.txt")),
            (9.0, ("embed", 2, 2, "b.txt")),
            (10.0, [50, 80]),
        ]
    )
    assert RATE.findall(later[-1]) == ["10,0"]  # 50 passages in 5 seconds of embedding, not 10


def test_a_start_that_only_loads_the_index_says_nothing():
    assert shown([(0.0, ("read", 1, 5, "a.txt")), (0.3, ("read", 5, 5, "e.txt")), (0.5, ("ready",))]) == []


def test_reading_that_takes_a_while_is_shown():
    out, clock = io.StringIO(), Clock()
    progress = BuildProgress(stream=out, clock=clock)
    progress.stage("read", 1, 3, "a.docx")
    clock.now += 1.5  # converting a Word file
    progress.stage("read", 2, 3, "b.docx")
    assert out.getvalue() == "Đang đọc tệp kế hoạch 2/3: b.docx\n"


def small_corpus(folder):
    """Two plans, cut short: a first start of a few seconds."""
    folder.mkdir()
    for name, lines in (("xa-vinh-thinh-2026.txt", 70), ("xa-thanh-an-2026.txt", 90)):
        text = (CORPUS / name).read_text("utf-8").split("\n")[:lines]
        (folder / name).write_text("\n".join(text) + "\n", "utf-8")
    return folder


def run_timed(args: list[str], env: dict) -> tuple[str, float, int]:
    """The command's stderr, the longest stretch without a byte of output (from its start
    to its end), and its exit status."""
    started = last = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    err, longest = b"", 0.0
    while True:
        ready, _, _ = select.select([proc.stderr], [], [], 0.05)
        if ready:
            chunk = os.read(proc.stderr.fileno(), 65536)
            now = time.monotonic()
            if not chunk:
                break
            longest, last, err = max(longest, now - last), now, err + chunk
        elif time.monotonic() - started > 240:
            proc.kill()
            pytest.fail("the first start took more than four minutes")
    status = proc.wait()
    return err.decode("utf-8"), max(longest, time.monotonic() - last), status


def _env(tmp_path, **kw) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ASSISTANT_"))}
    return env | {
        "PYTHONPATH": str(ROOT),
        "ASSISTANT_CORPUS_DIR": str(small_corpus(tmp_path / "corpus")),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        **kw,
    }


@pytest.mark.slow
def test_the_first_start_shows_its_stages_and_nothing_else(tmp_path):
    """The real command, the default embedder: every stage in Vietnamese, a sane rate, no
    DEBUG or INFO line, no silent stretch over two seconds."""
    err, silent, status = run_timed([sys.executable, "-m", "assistant", "index"], _env(tmp_path))
    assert status == 0, err
    for stage in ("đang phân tích nội dung", "đang tách từ", "Mã hóa đoạn văn", "Đã xây dựng xong chỉ mục"):
        assert stage in err, err
    assert "Kế hoạch 1/2 (xa-thanh-an-2026.txt)" in err and "còn khoảng" in err
    rates = [float(r.replace(",", ".")) for r in RATE.findall(err)]
    assert rates and all(0 < r < 2000 for r in rates), err
    assert not re.search(r"\b(?:DEBUG|INFO|WARNING)\b", err), err
    assert silent <= 2.0, f"{silent:.1f} s without output:\n{err}"


@pytest.mark.slow
def test_verbose_shows_the_log_lines(tmp_path):
    env = _env(tmp_path, ASSISTANT_EMBEDDER="none")
    err, _, status = run_timed([sys.executable, "-m", "assistant", "--verbose", "index"], env)
    assert status == 0, err
    assert re.search(r" DEBUG bm25s: ", err) and re.search(r" INFO assistant\.index\.build: index ready", err)
    assert "Đã xây dựng xong chỉ mục" in err  # the stages too


def test_json_log_lines_for_a_collector(tmp_path):
    """ASSISTANT_LOG_FORMAT=json: the bot's log lines are JSON objects, one a line, with the
    traceback of an error; libraries' INFO lines still filtered."""
    script = (
        "import logging, os\n"
        "from assistant.settings import load_settings\n"
        "from assistant.telegram.entry import configure_logging\n"
        "configure_logging(operator=True, json_lines=load_settings().log_format == 'json')\n"
        "logging.getLogger('assistant.telegram.app').info('đã sẵn sàng: %d kế hoạch', 5)\n"
        "logging.getLogger('httpx').info('a library line')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n"
        "    logging.getLogger('assistant.telegram.handlers').exception('lỗi khi trả lời')\n"
    )
    env = _env(tmp_path, ASSISTANT_LOG_FORMAT="json")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(x["level"], x["logger"], x["message"]) for x in lines] == [
        ("INFO", "assistant.telegram.app", "đã sẵn sàng: 5 kế hoạch"),
        ("ERROR", "assistant.telegram.handlers", "lỗi khi trả lời"),
    ]
    assert "ZeroDivisionError" in lines[1]["exc"] and lines[0]["ts"].endswith("+00:00")
