"""The one lock over the index folder: plan updates take it, and so does a start that
must rebuild, so an index is never written from a corpus another process is changing."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class UpdateBusy(RuntimeError):
    """Another update holds the lock."""


@contextmanager
def index_lock(index_dir: Path, wait: bool = False):
    """An exclusive lock beside the index folder, released by the OS when the process dies
    (a killed update never leaves it stuck). Without `wait`, UpdateBusy when it is held."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise UpdateBusy("another update holds the lock") from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
