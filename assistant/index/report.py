"""What a build tells its caller while it runs, as codes and figures (the front ends word
and draw them). `progress(done, total)` hears the passages embedded so far; a callback that
also has a `stage(code, done, total, name)` method hears each stage as it starts: "read"
(plan file `done` of `total`, named `name`), "parse", "segment" and "embed" (the plan
`done` of the `total` to build, from the file `name`), and "ready" when the index is open
(built or not) or the build failed. A plain callable hears only the passages."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]  # (done, total) passages embedded
STAGES = ("read", "parse", "segment", "embed", "ready")


def stage(progress: Progress | None, code: str, done: int = 0, total: int = 0, name: str = "") -> None:
    """Tell `progress` a stage starts, when it listens for stages."""
    if code not in STAGES:
        raise ValueError(f"unknown stage {code!r}; expected one of {STAGES}")
    tell = getattr(progress, "stage", None)
    if tell is not None:
        tell(code, done, total, name)
