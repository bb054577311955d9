"""Putting a plan file into the corpus folder so that a kill at any point loses no plan.

Before the new index is built, an update stages the new file under a hidden name, writes
a journal beside it (the name the file takes, its hash, the files it replaces) and copies
every file it replaces into <data>/removed/. Everything that needs disk space is done
then, and a full disk undoes it all. Once the new index is live the commit is a rename of
the staged file over the old one (readers see the old plan or the new one, never none),
then the removal of the replaced files of other names, then of the journal: each step one
file-system operation needing no space.

A kill leaves the journal. The next update, and a start that finds the index out of step
with the corpus, call `recover` (under the update lock): a commit whose new file the live
index records, or that is already in place, is completed; any other is undone (the staged
file and the copies deleted; the replaced files were never touched). A staged file with
no journal is from an update killed before it began, and is deleted."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from assistant.read.load import file_sha256
from assistant.settings import Settings

log = logging.getLogger(__name__)
STAGED = ".incoming-"  # staged files: ".incoming-<pid>-<name>", hidden from loading
JOURNAL = ".commit.json"  # the journal of a staged file: its name and this suffix


@dataclass(frozen=True)
class Commit:
    journal: str  # the journal's file name in the corpus folder
    staged: str | None  # the staged file's name there; None: the file is already in place
    target: str  # the name the new file takes
    sha256: str  # of the new file
    retire: tuple[str, ...]  # corpus files of other names that the new plan replaces
    backups: tuple[tuple[str, str], ...]  # (corpus file replaced, its copy in <data>/removed/)


def prepare(settings: Settings, source: Path | None, target: str, clashes: list[str]) -> Commit:
    """Stage `source` (None: the file `target` is already in the corpus folder), journal
    the commit and copy each replaced file to <data>/removed/. Raises OSError (a full disk)
    with all of it undone."""
    base = f"{STAGED}{os.getpid()}-{target}"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    commit = Commit(
        journal=base + JOURNAL,
        staged=base if source is not None else None,
        target=target,
        sha256="",
        retire=tuple(n for n in clashes if n != target),
        backups=tuple((n, f"{stamp}-{n}") for n in clashes),
    )
    corpus = settings.corpus_dir
    try:
        if source is not None:
            shutil.copyfile(source, corpus / base)
        commit = replace(commit, sha256=file_sha256(corpus / (commit.staged or target)))
        _write(corpus / commit.journal, json.dumps(asdict(commit), ensure_ascii=False))
        for name, kept in commit.backups:
            _copy(corpus / name, _removed(settings) / kept)
    except BaseException:
        undo(settings, commit)
        raise
    return commit


def finish(settings: Settings, commit: Commit) -> None:
    """Put the corpus in the state the new index records."""
    for step in finish_steps(settings, commit):
        step()


def finish_steps(settings: Settings, commit: Commit) -> list[Callable[[], None]]:
    """The commit's steps once the new index is live, in order; any prefix of them leaves a
    corpus that answers and a journal that `recover` completes."""
    corpus = settings.corpus_dir
    steps = []
    if commit.staged is not None:
        steps.append(lambda: _place(corpus / commit.staged, corpus / commit.target))
    steps += [lambda name=name: (corpus / name).unlink(missing_ok=True) for name in commit.retire]
    steps.append(lambda: (corpus / commit.journal).unlink(missing_ok=True))
    return steps


def undo(settings: Settings, commit: Commit) -> None:
    """Take back a commit that never went live: the staged file and the copies go, then
    the journal (last, so that an undo killed half-way is undone again)."""
    corpus, removed = settings.corpus_dir, _removed(settings)
    if commit.staged is not None:
        (corpus / commit.staged).unlink(missing_ok=True)
    for _, kept in commit.backups:
        (removed / kept).unlink(missing_ok=True)
        _temporary(removed / kept).unlink(missing_ok=True)
    _temporary(corpus / commit.journal).unlink(missing_ok=True)
    (corpus / commit.journal).unlink(missing_ok=True)


def recover(settings: Settings, live_files: dict[str, str]) -> None:
    """Complete or undo what killed updates left in the corpus folder; `live_files` are
    the corpus files (name -> sha256) the live manifest records. Call it holding the lock."""
    corpus = settings.corpus_dir
    if not corpus.is_dir():
        return
    journals = sorted(corpus.glob(f"{STAGED}*{JOURNAL}"))
    for path in journals:
        commit = _read(path)
        if commit is None:  # cut or garbled: written before anything was replaced
            log.warning("dropping unreadable commit journal %s", path.name)
            (corpus / path.name.removesuffix(JOURNAL)).unlink(missing_ok=True)
            path.unlink()
        elif _went_live(corpus, commit, live_files):
            log.info("completing the interrupted update of %s", commit.target)
            finish(settings, commit)
        else:
            log.info("undoing the interrupted update of %s", commit.target)
            undo(settings, commit)
    for path in corpus.glob(f"{STAGED}*"):  # staged before its journal was written
        if not path.name.endswith(JOURNAL) and path.is_file():
            path.unlink(missing_ok=True)


def _went_live(corpus: Path, commit: Commit, live_files: dict[str, str]) -> bool:
    """Whether the live index records the new file, or the file is already in place (the
    rename done: only removals remain)."""
    if live_files.get(commit.target) == commit.sha256:
        return True
    if commit.staged is None or (corpus / commit.staged).exists():
        return False
    try:
        return file_sha256(corpus / commit.target) == commit.sha256
    except OSError:
        return False


def _read(path: Path) -> Commit | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        data["retire"] = tuple(data["retire"])
        data["backups"] = tuple(tuple(pair) for pair in data["backups"])
        return Commit(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _place(staged: Path, target: Path) -> None:
    if staged.exists():
        os.replace(staged, target)


def _removed(settings: Settings) -> Path:
    return settings.data_dir / "removed"


def _temporary(path: Path) -> Path:
    """Where `path` is written before it is renamed into place: in the corpus folder a name
    `recover` deletes (".incoming-…"), elsewhere a hidden one."""
    return path.with_name(f"{path.name}.tmp" if path.name.startswith(STAGED) else f".{path.name}.tmp")


def _write(path: Path, text: str) -> None:
    """Write `text` to `path` in one step (a temporary file renamed over it); a failed write
    leaves nothing behind."""
    tmp = _temporary(path)
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _copy(source: Path, dest: Path) -> None:
    """Copy a file in one step (a temporary copy renamed into place)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(dest)
    try:
        shutil.copyfile(source, tmp)
        shutil.copystat(source, tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
