"""A progress bar on stderr for long index builds (tqdm, created on first update): passages
embedded, their rate and the time left."""

from __future__ import annotations

import sys
from collections.abc import Callable

from assistant.present.cli import EMBEDDING, PASSAGE_UNIT


def progress_bar(desc: str = EMBEDDING) -> Callable[[int, int], None]:
    state: dict = {}

    def update(done: int, total: int) -> None:
        from tqdm import tqdm

        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=desc, unit=PASSAGE_UNIT, file=sys.stderr)
        bar.total = total  # a build's estimate grows or shrinks as its plans are read
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update
