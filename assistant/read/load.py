"""Reading plan files: decode, normalise, and name every file that cannot be read."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.lang.normalize import nfc
from assistant.read.errors import ReadProblem, UnreadableFile

TEXT_SUFFIXES = {".txt", ".md"}
MAX_CHARS = 2_000_000  # a plan is about 100,000 characters
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


@dataclass(frozen=True)
class SourceDoc:
    name: str  # file name, the document's id in citations
    path: Path
    text: str  # NFC text; all offsets and quotes refer to this
    sha256: str = ""  # of the file's bytes as read


@dataclass(frozen=True)
class LoadError:
    """A file of the corpus that could not be read: its name, the problem and its figures
    (worded by `present.errors`)."""

    name: str
    problem: ReadProblem
    params: dict = field(default_factory=dict)
    sha256: str = ""  # of the file's bytes, when they could be read


# byte order marks of the wide encodings (Notepad's "Unicode" is UTF-16 LE with its BOM);
# UTF-32 LE's begins with UTF-16 LE's, so it is tried first
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 / UTF-32 with their BOM, to NFC text;
    raises UnreadableFile with the reason."""
    wide = next((codec for bom, codec in _WIDE_BOMS if data.startswith(bom)), None)
    if wide is not None:
        try:
            data = data.decode(wide).encode("utf-8")  # the BOM read and dropped
        except UnicodeError:
            raise UnreadableFile("binary") from None
    if not data.strip():
        raise UnreadableFile("empty")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("not_utf8", position=exc.start) from None
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise UnreadableFile("empty")
    return text


def read_document(path: Path, max_bytes: int = 20 * 1024 * 1024, cache: Path | None = None) -> SourceDoc:
    """One plan file as text; raises UnreadableFile naming the reason. Binary plans are
    converted in a bounded child process, once: `cache` keeps their text by file hash."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile("unsupported_format", suffix=suffix)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile("cannot_open", error=exc.strerror or "") from None
    if size > max_bytes:
        raise UnreadableFile("too_large", size=size, limit=max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile("cannot_open", error=exc.strerror or "") from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix in TEXT_SUFFIXES:
        text = decode_text(data)
    else:
        from assistant.read.convert import cached_text

        text = nfc(cached_text(path, digest, cache))
    if len(text) > MAX_CHARS:
        raise UnreadableFile("too_long", chars=len(text), limit=MAX_CHARS)
    return SourceDoc(path.name, path, text, digest)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (how plan files are identified); OSError if unreadable."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256_or_empty(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return ""


def corpus_files(docs: list[SourceDoc], errors: list[LoadError]) -> dict[str, str]:
    """File name -> sha256 of the corpus as it was read (what an index built from these
    documents must record)."""
    return dict(
        sorted({**{e.name: e.sha256 for e in errors if e.sha256}, **{d.name: d.sha256 for d in docs}}.items())
    )


def load_corpus(
    folder: Path,
    max_bytes: int = 20 * 1024 * 1024,
    cache: Path | None = None,
    reading: Callable[[int, int, str], None] | None = None,
) -> tuple[list[SourceDoc], list[LoadError]]:
    """Every readable plan in `folder` (sorted by name) and an error for each other file;
    `reading(n, count, name)` is told before the n-th of the `count` files is read."""
    docs: list[SourceDoc] = []
    errors: list[LoadError] = []
    if not folder.is_dir():
        return docs, [LoadError(str(folder), "no_folder")]
    paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for n, path in enumerate(paths, 1):
        if reading is not None:
            reading(n, len(paths), path.name)
        try:
            docs.append(read_document(path, max_bytes, cache))
        except UnreadableFile as exc:
            errors.append(LoadError(path.name, exc.problem, exc.params, _sha256_or_empty(path)))
    return docs, errors
