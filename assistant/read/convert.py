"""Binary plans (.docx, .pdf) to text, bounded and converted once.

A hostile or broken file must not take the machine: a .docx's zip parts are checked
against size limits before anything is inflated; the conversion itself runs in a child
process limited in address space, CPU time and wall time, so a decompression bomb, a
huge page count or a pathological layout ends as an `UnreadableFile` with a Vietnamese
reason. The text is cached by the file's hash (and the converters' code), so a start
never converts the same file again.

    python -m assistant.convert FILE   # the child: plan text on stdout"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

from assistant.read.errors import UnreadableFile

log = logging.getLogger(__name__)
MIB = 1024 * 1024
DOCX_MAX_PART = 64 * MIB  # one zip part, inflated (a plan's document.xml is a few MB)
DOCX_MAX_TOTAL = 256 * MIB  # all parts, inflated
DOCX_MAX_PARTS = 5_000
MEMORY = 320 * MIB  # the child's address space
CPU_SECONDS = 120
WALL_SECONDS = 180
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the package
_UNREADABLE = 3  # the child's exit code for an UnreadableFile (reason on stderr)
_OUT_OF_MEMORY = 4


def check_docx_parts(path: Path) -> None:
    """Refuse a .docx whose parts would inflate beyond the limits (from the sizes the zip
    declares; the child's memory limit covers a zip that lies about them)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the converter names the problem
    if len(infos) > DOCX_MAX_PARTS:
        raise UnreadableFile("docx_too_many_parts", parts=len(infos), limit=DOCX_MAX_PARTS)
    for info in infos:
        if info.file_size > DOCX_MAX_PART:
            raise UnreadableFile(
                "docx_part_too_large", part=info.filename[-60:], size=info.file_size, limit=DOCX_MAX_PART
            )
    total = sum(i.file_size for i in infos)
    if total > DOCX_MAX_TOTAL:
        raise UnreadableFile("docx_too_large_unpacked", size=total, limit=DOCX_MAX_TOTAL)


@lru_cache(maxsize=1)
def converter_version() -> str:
    """A hash of the code that turns a binary plan into text (this module and what it
    imports): cached text made by other code is converted again."""
    from assistant.read.codehash import code_hash

    return code_hash(("read.convert",))[:16]


def cached_text(path: Path, sha256: str, cache: Path | None) -> str:
    """The plan text of a .docx or .pdf whose bytes hash to `sha256`, from the cache when
    such a file was converted before by the same converters."""
    key = f"{sha256}-{converter_version()}{path.suffix.lower()}.txt"
    hit = cache / key if cache else None
    if hit and hit.is_file():
        return hit.read_text("utf-8")
    text = convert_bounded(path)
    if hit:
        _keep(hit, text)
    return text


def _keep(hit: Path, text: str) -> None:
    """Cache the converted text; a cache that cannot be written (a full disk) is skipped,
    and the plan converted again next time."""
    tmp = hit.with_name(f".{hit.name}.{os.getpid()}")
    try:
        hit.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, "utf-8")
        tmp.replace(hit)
    except OSError as exc:
        log.warning("cannot cache the text of %s: %s", hit.name, exc)
        tmp.unlink(missing_ok=True)


def convert_bounded(path: Path) -> str:
    """Convert in a child process under the limits; UnreadableFile when it cannot."""
    if path.suffix.lower() == ".docx":
        check_docx_parts(path)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(_ROOT), os.environ.get("PYTHONPATH")))),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(path)],
            capture_output=True,
            env=env,
            timeout=WALL_SECONDS,
            preexec_fn=_limit,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile("too_slow", seconds=WALL_SECONDS) from None
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    if done.returncode == _UNREADABLE:
        found = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
        raise UnreadableFile(found["problem"], **found["params"])
    if done.returncode == _OUT_OF_MEMORY or b"MemoryError" in done.stderr:
        raise UnreadableFile("too_much_memory", limit=MEMORY)
    if done.returncode in (-9, -24):  # SIGKILL / SIGXCPU: the CPU limit
        raise UnreadableFile("too_slow_cpu", seconds=CPU_SECONDS)
    raise UnreadableFile("conversion_failed", code=done.returncode)


def _limit() -> None:  # runs in the child, before it starts Python
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))


def _child(path: Path) -> int:
    from assistant.read.formats import convert_binary

    try:
        text = convert_binary(path)
    except UnreadableFile as exc:
        sys.stderr.write(
            json.dumps({"problem": exc.problem, "params": exc.params}, ensure_ascii=False) + "\n"
        )
        return _UNREADABLE
    except MemoryError:
        return _OUT_OF_MEMORY
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(_child(Path(sys.argv[1])))
