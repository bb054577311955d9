"""A progress bar on stderr for long index builds (tqdm, created on first update)."""

from __future__ import annotations

import sys
from collections.abc import Callable


def progress_bar(desc: str = "Mã hóa đoạn văn") -> Callable[[int, int], None]:
    state: dict = {}

    def update(done: int, total: int) -> None:
        from tqdm import tqdm

        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=desc, unit="đoạn", file=sys.stderr)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update
