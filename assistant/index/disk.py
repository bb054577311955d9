"""The index folder on disk: which code and which corpus it was built from, a checksum of
each of its files, and the atomic swap that replaces one folder by the next (with the
clean-up of builds that died half-way). Pure file-system helpers; `index.py` builds and
loads what is inside."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

from assistant import __version__
from assistant.index.reference import REFERENCE_FILE
from assistant.read.codehash import module_closure
from assistant.read.load import file_sha256

log = logging.getLogger(__name__)


# The modules whose code decides what the index holds: reading, converting, parsing,
# passages, segmentation, this one; with everything they import from the package.
INDEX_ROOTS = (
    "index.build",
    "index.store",
    "read.load",
    "read.convert",
    "parse.plan",
    "index.passages",
    "index.segment",
)


PACKAGE = Path(__file__).resolve().parent.parent


def index_modules() -> list[Path]:
    """The package modules that shape the index (rewording a CLI line or an answer does
    not rebuild the index)."""
    return module_closure(INDEX_ROOTS)


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version and a hash of the code that shapes the index: an index built
    by other code is rebuilt (cheaply: vectors and word segmentation are reused by
    content). Finding that code parses the package's modules (about 0.4 s); the result is
    kept beside the compiled modules, keyed by every module's size and modification time."""
    stamp = _package_stamp()
    cache = PACKAGE / "__pycache__" / "index-version.json"
    try:
        kept = json.loads(cache.read_text("utf-8"))
        if kept.get("stamp") == stamp:
            return kept["version"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    digest = hashlib.sha1(__version__.encode())
    for path in [*index_modules(), REFERENCE_FILE]:  # the reference statistics shape it too
        if path.is_file():
            digest.update(path.read_bytes())
    version = f"{__version__}+{digest.hexdigest()[:12]}"
    try:
        cache.parent.mkdir(exist_ok=True)
        write_atomic(cache, json.dumps({"stamp": stamp, "version": version}))
    except OSError:  # a read-only install: computed at each start
        pass
    return version


def _package_stamp() -> str:
    digest = hashlib.sha1()
    for path in sorted([*PACKAGE.rglob("*.py"), REFERENCE_FILE]):
        if path.is_file():
            st = path.stat()
            digest.update(f"{path.relative_to(PACKAGE)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def file_hashes(corpus_dir: Path) -> dict[str, str]:
    out = {}
    if corpus_dir.is_dir():
        for path in sorted(p for p in corpus_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
            out[path.name] = file_sha256(path)
    return out


def checksums(folder: Path, skip: str) -> dict[str, str]:
    """The size and a fast hash of every file of a folder but `skip`, by relative path
    ("size:hash")."""
    return {
        path.relative_to(folder).as_posix(): f"{path.stat().st_size}:{_checksum(path)}"
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != skip
    }


def sizes_match(folder: Path, recorded: dict[str, str]) -> bool:
    """Whether every file `recorded` (by `checksums`: "size:hash") is there with its size:
    the cheap check made at start (the hashes are checked when the folder is first read)."""
    try:
        return all((folder / k).stat().st_size == int(v.split(":", 1)[0]) for k, v in recorded.items())
    except (OSError, ValueError):
        return False


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` by `text` in one step: readers see the old file or the new one."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _checksum(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def clean_temporaries(folder: Path) -> None:
    """Remove what builds and updates that died left behind: temporary files and folders
    (".<name>.tmp-<pid>") in the index folder and in its segments folder, and those an index
    of the older single-folder format left beside it (".<index>.tmp-<pid>", ".old-<pid>")."""
    places = [(folder.parent, f".{folder.name}."), (folder, "."), (folder / "segments", ".")]
    for where, prefix in places:
        for path in where.glob(f"{prefix}*-*") if where.is_dir() else []:
            kind = path.name.rpartition("-")[0].rpartition(".")[2]
            if kind in {"tmp", "old"} and not alive_temporary(path.name):
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
                log.info("removed stale %s", path.name)


def alive_temporary(name: str) -> bool:
    """Whether a temporary file or folder (".<name>.tmp-<pid>") belongs to a live process."""
    pid = name.rpartition("-")[2]
    return pid.isdigit() and _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True
