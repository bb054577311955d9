"""Decompression bombs for the fault-injection tests, made in about a second: the deflate
stream of N zero bytes is the stream of one 16 MiB block of zeros repeated (deflate's
state repeats once its window is full of zeros), with the right checksum at the end."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

CHUNK = 16 * 1024 * 1024


def _deflated_zeros(total: int) -> tuple[bytes, int]:
    """Raw deflate data of `total` zero bytes (a multiple of CHUNK) and their CRC-32."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    zero = bytes(CHUNK)
    first, steady = c.compress(zero), c.compress(zero)
    assert c.compress(zero) == steady, "deflate did not settle"
    n = total // CHUNK
    body = first + steady * (n - 1) + c.flush()
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(zero, crc)
    return body, crc


def docx_bomb(path: Path, inflated: int = 2 * 1024**3) -> Path:
    """A .docx-shaped zip whose one image part inflates to `inflated` bytes (zip headers
    written by hand: the sizes they declare are the true ones)."""
    body, crc = _deflated_zeros(inflated)
    name = b"word/media/image1.png"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), inflated, len(name), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(body),
        inflated,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    data = local + name + body
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(data), 0)
    path.write_bytes(data + directory + end)
    return path


def pdf_bomb(path: Path, inflated: int = 1536 * 1024**2) -> Path:
    """A one-page PDF whose content stream (FlateDecode) inflates to `inflated` bytes."""
    body, _ = _deflated_zeros(inflated)
    adler = ((inflated % 65521) << 16) | 1  # Adler-32 of zeros: a = 1, b = length
    stream = b"\x78\xda" + body + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    path.write_bytes(_pdf(objects))
    return path


def many_pages_pdf(path: Path, pages: int) -> Path:
    """A PDF of `pages` empty pages (small on disk, slow to lay out page by page)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    path.write_bytes(_pdf(objects))
    return path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1, the first the catalog) with its xref."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
