"""Reading plan files: decode, normalise, and name every file that cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from assistant.lang.normalize import nfc
from assistant.read.errors import UnreadableFile

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
    name: str
    reason: str  # Vietnamese, shown to users and admins
    sha256: str = ""  # of the file's bytes, when they could be read

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) to NFC text; raises UnreadableFile with the reason."""
    if not data.strip():
        raise UnreadableFile("tệp rỗng, không có nội dung")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("tệp nhị phân, không phải văn bản")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"không đọc được dưới dạng UTF-8 (byte lỗi ở vị trí {exc.start}); "
            "hãy lưu lại tệp với mã hóa UTF-8"
        ) from None
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise UnreadableFile("tệp rỗng, không có nội dung")
    return text


def read_document(path: Path, max_bytes: int = 20 * 1024 * 1024, cache: Path | None = None) -> SourceDoc:
    """One plan file as text; raises UnreadableFile naming the reason. Binary plans are
    converted in a bounded child process, once: `cache` keeps their text by file hash."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            f"định dạng {suffix or '(không có đuôi)'} chưa được hỗ trợ (dùng .txt, .md, .docx, .pdf)"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"không mở được tệp ({exc.strerror})") from None
    if size > max_bytes:
        raise UnreadableFile(f"tệp quá lớn ({size / 1048576:.1f} MB, tối đa {max_bytes // 1048576} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"không mở được tệp ({exc.strerror})") from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix in TEXT_SUFFIXES:
        text = decode_text(data)
    else:
        from assistant.read.convert import cached_text

        text = nfc(cached_text(path, digest, cache))
    if len(text) > MAX_CHARS:
        raise UnreadableFile(
            f"tệp quá dài ({_thousands(len(text))} ký tự, tối đa {_thousands(MAX_CHARS)}); "
            "một kế hoạch thường dưới 200.000 ký tự"
        )
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


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def load_corpus(
    folder: Path, max_bytes: int = 20 * 1024 * 1024, cache: Path | None = None
) -> tuple[list[SourceDoc], list[LoadError]]:
    """Every readable plan in `folder` (sorted by name) and an error for each other file."""
    docs: list[SourceDoc] = []
    errors: list[LoadError] = []
    if not folder.is_dir():
        return docs, [LoadError(str(folder), "thư mục kế hoạch không tồn tại")]
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            docs.append(read_document(path, max_bytes, cache))
        except UnreadableFile as exc:
            errors.append(LoadError(path.name, exc.reason, _sha256_or_empty(path)))
    return docs, errors
