"""A start that builds the index, shown on stderr in Vietnamese while it runs: each stage
as it starts (the plan files read, n of N; each plan to build read and word-segmented, n
of N; its passages embedded, with a bar, the rate and the time left), the line refreshed
every second so no stretch passes in silence, and a last line when the index is ready. A
start that only loads the index says nothing (unless reading the plans takes a while).

The rate counts the passages embedded over the time spent embedding them, so a stretch of
passages found embedded by an earlier build does not read as millions a second.
(The stage words would belong with the other CLI words in `present/cli.py`.)"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from assistant.present.cli import EMBEDDING, PASSAGE_UNIT

QUIET = 1.0  # seconds a start that only reads the plan files stays silent
REFRESH = 1.0  # the line is shown again at least this often while a stage runs
TICK = 0.2
BAR = 20

_STAGES = {
    "read": "Đang đọc tệp kế hoạch {n}/{total}: {name}",
    "parse": "Kế hoạch {n}/{total} ({name}): đang phân tích nội dung",
    "segment": "Kế hoạch {n}/{total} ({name}): đang tách từ",
    "embed": "Kế hoạch {n}/{total} ({name}): đang nạp mô hình và mã hóa đoạn văn",
}


def duration(seconds: float) -> str:
    """`95` -> "1 phút 35 giây"."""
    if seconds < 1:
        return "dưới 1 giây"
    minutes, secs = divmod(round(seconds), 60)
    if not minutes:
        return f"{secs} giây"
    return f"{minutes} phút" + (f" {secs} giây" if secs else "")


def rate_text(rate: float) -> str:
    """Passages a second, with a decimal comma: "6,7 đoạn/giây"."""
    figure = f"{rate:.0f}" if rate >= 100 else f"{rate:.1f}".replace(".", ",")
    return f"{figure} {PASSAGE_UNIT}/giây"


class BuildProgress:
    """The callback a build reports to (`index.report`): `stage(...)` for each stage,
    `(done, total)` for the passages embedded."""

    def __init__(self, label: str = EMBEDDING, stream: TextIO | None = None, clock=time.monotonic):
        self.label, self.stream, self.clock = label, stream or sys.stderr, clock
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.code, self.n, self.total, self.name = "", 0, 0, ""
        self.began: float | None = None  # the first report of this run
        self.since = 0.0  # the current stage's start
        self.built = False  # a plan is being built (not only the files read)
        self.done = self.passages = 0
        self.embedding, self.embed_from = 0.0, None  # seconds spent embedding; current start
        self.shown_at: float | None = None
        self._stop = threading.Event()

    def stage(self, code: str, done: int = 0, total: int = 0, name: str = "") -> None:
        with self._lock:
            now = self.clock()
            if code == "ready":
                return self._finish(now)
            self._begin(now)
            self._embedding_ends(now)
            self.code, self.n, self.total, self.name, self.since = code, done, total, name, now
            self.built = self.built or code != "read"
            if code == "embed":
                self.embed_from = now
            self._show(now, changed=True)

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            now = self.clock()
            self._begin(now)
            if self.embed_from is None:  # a caller that reports passages only
                self.code, self.built, self.embed_from = "embed", True, now
            self.done, self.passages = done, total
            self._show(now, changed=False)

    def _begin(self, now: float) -> None:
        if self.began is None:
            self.began = now
            threading.Thread(target=self._beat, args=(self._stop,), daemon=True).start()

    def _beat(self, stop: threading.Event) -> None:
        """Show the line again when nothing was shown for a second (elapsed, time left)."""
        while not stop.wait(TICK):
            with self._lock:
                now = self.clock()
                if not stop.is_set() and (self.shown_at is None or now - self.shown_at >= REFRESH):
                    self._show(now, changed=False)

    def _embedding_ends(self, now: float) -> None:
        if self.embed_from is not None:
            self.embedding += now - self.embed_from
            self.embed_from = None

    def _rate(self, now: float) -> float | None:
        seconds = self.embedding + (now - self.embed_from if self.embed_from is not None else 0.0)
        return self.done / seconds if self.done and seconds >= 1.0 else None

    def _line(self, now: float) -> str:
        if self.code == "embed" and self.passages:
            return self._bar(now)
        text = _STAGES[self.code].format(n=self.n, total=self.total, name=self.name)
        return text + (f" ({duration(now - self.since)})" if now - self.since >= 1.0 else "")

    def _bar(self, now: float) -> str:
        total = max(self.passages, self.done, 1)
        filled = round(BAR * self.done / total)
        where = f" (kế hoạch {self.n}/{self.total})" if self.total > 1 else ""
        text = f"{self.label}{where}: {100 * self.done // total:3d}% [{'█' * filled}{'·' * (BAR - filled)}]"
        text += f" {self.done}/{total} {PASSAGE_UNIT}"
        rate = self._rate(now)
        if rate is not None:
            text += f" · {rate_text(rate)} · còn khoảng {duration((total - self.done) / rate)}"
        return text

    def _show(self, now: float, changed: bool) -> None:
        if self.began is None or (not self.built and now - self.began < QUIET):
            return  # a start that only reads the plan files: quiet unless it takes a while
        if not self.tty and not changed and self.shown_at is not None and now - self.shown_at < REFRESH:
            return  # a log, not a terminal: a line a second at most between stages
        text = self._line(now)
        if self.tty:
            width = shutil.get_terminal_size().columns - 1
            self.stream.write("\r" + text[:width] + "\x1b[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.shown_at = now

    def _finish(self, now: float) -> None:
        if self.began is None:
            return
        self._stop.set()
        self._embedding_ends(now)
        end = "\r\x1b[K" if self.tty and self.shown_at is not None else ""
        if self.built:
            rate = self._rate(now)
            figures = f"; {self.done} {PASSAGE_UNIT} đã mã hóa, {rate_text(rate)}" if rate else ""
            end += f"Đã xây dựng xong chỉ mục ({duration(now - self.began)}{figures}).\n"
        if end:
            self.stream.write(end)
            self.stream.flush()
        self._reset()


def progress_bar(desc: str = EMBEDDING, stream: TextIO | None = None) -> Callable[[int, int], None]:
    """The build's progress on `stream` (stderr), its bar labelled `desc`."""
    return BuildProgress(desc, stream)
