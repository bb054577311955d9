"""Word and PDF versions of a real plan, built at test time with python-docx and fpdf2.

The Rạch Giá plan's prose paragraphs and its tab-separated appendix become a .docx with
a real Word table (one vertically merged column, horizontally merged group rows, a
continuation table without a header, a letterhead layout table, automatic list
numbering) and a .pdf with a real drawn table, so the converted text can be compared
with the .txt original row by row."""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RACH_GIA = ROOT / "corpus" / "phuong-rach-gia-2026.txt"
WIDTH = 7


@dataclass(frozen=True)
class PlanParts:
    prose: list[str]  # non-blank lines before the appendix table
    header: list[str]
    rows: list[list[str]]  # appendix rows without the repeated headers, WIDTH cells each


def rach_gia_parts() -> PlanParts:
    lines = RACH_GIA.read_text("utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("STT\t"))
    prose = [line.strip() for line in lines[:first] if line.strip() and "\t" not in line]
    header = lines[first].split("\t")
    rows = []
    for line in lines[first + 1 :]:
        if "\t" not in line or line.startswith("STT\t"):
            continue
        cells = [c.strip() for c in line.split("\t")][:WIDTH]
        rows.append(cells + [""] * (WIDTH - len(cells)))
    return PlanParts(prose, header[:WIDTH], rows)


def is_group(row: list[str]) -> bool:
    return not any(row[2:]) and bool(row[0]) and not row[0].isdigit()


# ---------------------------------------------------------------- .docx

LIST_NUMBER = {"1. Mục đích", "2. Yêu cầu"}  # written by Word's numbering, not as text


def make_docx(path: Path, parts: PlanParts, merged_rows: range = range(2, 9), split_at: int = 40) -> Path:
    """The plan as Word: table rows `merged_rows` (0 is the header; 2..8 are tasks 1..7) share one
    vertically merged "CƠ QUAN PHỐI HỢP" cell; rows from `split_at` go to a second table without header."""
    import docx

    document = docx.Document()
    letterhead = document.add_table(rows=1, cols=2)
    letterhead.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nPHƯỜNG RẠCH GIÁ"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    bullets_left = 2
    for text in parts.prose:
        if text in LIST_NUMBER:
            document.add_paragraph(text.split(". ", 1)[1], style="List Number")
        elif text.startswith("- ") and bullets_left:
            document.add_paragraph(text[2:], style="List Bullet")
            bullets_left -= 1
        else:
            document.add_paragraph(text)
    rows = parts.rows
    _word_table(document, [parts.header] + rows[:split_at], merged_rows)
    document.add_paragraph("")
    _word_table(document, rows[split_at:], range(0))
    document.add_paragraph("Nơi nhận:")
    document.save(str(path))
    return path


def _word_table(document, rows: list[list[str]], merged_rows: range) -> None:
    table = document.add_table(rows=len(rows), cols=WIDTH)
    table.style = "Table Grid"
    for r, (row, cells) in enumerate(zip(rows, table.rows)):
        cells = cells.cells  # once per row: table.cell(r, c) walks the whole grid each time
        if is_group(row) and row[1]:
            cells[0].text = row[0]
            cells[1].merge(cells[WIDTH - 1]).text = row[1]
            continue
        for c, text in enumerate(row):
            if not (c == 4 and r in merged_rows and r != merged_rows.start):
                cells[c].text = text
    if len(merged_rows) > 1:
        top = table.cell(merged_rows.start, 4)
        top.merge(table.cell(merged_rows[-1], 4)).text = rows[merged_rows.start][4]


# ---------------------------------------------------------------- .pdf


def unicode_font() -> tuple[str, str] | None:
    """(regular, bold) TrueType files with Vietnamese glyphs, if this machine has them."""
    candidates = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ]
    try:
        import matplotlib

        candidates.append(
            os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data/fonts/ttf/DejaVuSans.ttf")
        )
    except ImportError:
        pass
    candidates += glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True)
    for regular in candidates:
        bold = regular.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        if os.path.isfile(regular):
            return regular, bold if os.path.isfile(bold) else regular
    return None


def new_pdf(font: tuple[str, str]):
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("plan", "", font[0])
    pdf.add_font("plan", "B", font[1])
    pdf.set_font("plan", size=10)
    return pdf


def make_pdf(
    path: Path, parts: PlanParts, font: tuple[str, str], prose_lines: int | None = None, compress: bool = True
) -> Path:
    pdf = new_pdf(font)
    pdf.set_compression(compress)  # `turn_pages` edits the content streams: written plain
    pdf.add_page()
    for text in parts.prose[:prose_lines]:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.set_font("plan", size=7)
    with pdf.table(col_widths=(8, 90, 35, 35, 30, 30, 12), first_row_as_headings=True) as table:
        for row in [parts.header] + parts.rows:
            cells = table.row()
            if is_group(row):  # the numeral in the narrow first column, the title across the rest
                numeral, _, title = " ".join(c for c in row if c).partition(" ")
                cells.cell(numeral)
                cells.cell(title, colspan=WIDTH - 1)
                continue
            for text in row:
                cells.cell(text)
    pdf.set_font("plan", size=10)
    pdf.multi_cell(0, 5, "Nơi nhận: các phòng, ban, ngành phường.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj\n", re.S)


def turn_pages(path: Path, angle: int, flag: bool = True, drawn_turned: bool = False, first: int = 0) -> Path:
    """Store the pages from `first` on turned by `angle` degrees (a PDF written by `make_pdf`
    with `compress=False`), the three ways PDF producers do it:

    - `flag`, not `drawn_turned`: the page carries /Rotate and its content is unchanged, so
      the text stands upright in the page's own coordinates (a page turned in a viewer);
    - `flag` and `drawn_turned`: the content is drawn turned back on the turned paper
      (portrait paper for a landscape table), so a viewer shows it upright;
    - `drawn_turned` alone: the content drawn turned, no /Rotate (a table printed sideways).

    pypdf is not needed: the objects are rewritten and the cross-reference table made again."""
    data = path.read_bytes()
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    w, h = (float(v) for v in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data).groups())
    kids = re.search(rb"/Kids \[([\d R\s]+)\]", data).group(1)
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", kids)][first:]
    sideways = drawn_turned and angle in (90, 270)
    box = f"/MediaBox [0 0 {h:.2f} {w:.2f}]" if sideways else f"/MediaBox [0 0 {w:.2f} {h:.2f}]"
    # content space -> the turned paper's space, so that turning the paper by `angle` shows it upright
    back = {90: f"0 1 -1 0 {h:.2f} 0", 180: f"-1 0 0 -1 {w:.2f} {h:.2f}", 270: f"0 -1 1 0 0 {w:.2f}"}[angle]
    for page in pages:
        extra = (f"/Rotate {angle}\n" if flag else "") + box + "\n"
        objects[page] = objects[page].replace(b"/Type /Page\n", b"/Type /Page\n" + extra.encode())
        if drawn_turned:
            content = int(re.search(rb"/Contents (\d+) 0 R", objects[page]).group(1))
            head, _, rest = objects[content].partition(b"stream\n")
            inner = f"q {back} cm\n".encode() + rest.rsplit(b"endstream", 1)[0] + b"\nQ\n"
            head = re.sub(rb"/Length \d+", b"/Length %d" % len(inner), head)
            objects[content] = head + b"stream\n" + inner + b"endstream"
    trailer = re.search(rb"trailer\n(<<.*?>>)", data, re.S).group(1)
    out, offsets = bytearray(b"%PDF-1.3\n"), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A page that is only a picture (no text layer), as a scanner makes it."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def make_locked_pdf(path: Path, font: tuple[str, str]) -> Path:
    pdf = new_pdf(font)
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    pdf.add_page()
    pdf.multi_cell(0, 5, "Kế hoạch cải cách hành chính phường Rạch Giá năm 2026")
    pdf.output(str(path))
    return path
