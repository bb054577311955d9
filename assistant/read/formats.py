"""Word (.docx) and PDF plan files -> the plan text the parser reads.

Paragraphs come out one per line with a blank line between them; real tables whose
header names the plan-table columns (STT | NỘI DUNG | ... | CƠ QUAN CHỦ TRÌ ...) come
out as tab-separated rows, one line per row, so `parse.tsv.parse_tsv_tables` reads them
exactly as it reads a .txt appendix. Other tables (the letterhead, the signature block)
are layout, and their cells come out as paragraphs. Every problem is an
`UnreadableFile` with a Vietnamese reason."""

from __future__ import annotations

from pathlib import Path

from assistant.read.errors import UnreadableFile


def convert_binary(path: Path) -> str:
    """Plan text of a .docx or .pdf file; raises UnreadableFile naming the problem."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from assistant.read.docxtext import docx_text

        text = docx_text(path)
    elif suffix == ".pdf":
        from assistant.read.pdftext import pdf_text

        text = pdf_text(path)
    else:
        raise UnreadableFile("not_binary_format", suffix=suffix)
    if not text.strip():
        raise UnreadableFile("no_text")
    return text
