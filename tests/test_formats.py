""".docx and .pdf plans: converted text reads like the .txt plan; bad files are named errors."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest
from planfiles import (
    RACH_GIA,
    WIDTH,
    make_docx,
    make_locked_pdf,
    make_pdf,
    make_scanned_pdf,
    new_pdf,
    rach_gia_parts,
    turn_pages,
    unicode_font,
)

from assistant.lang.normalize import has_diacritics
from assistant.parse.plan import parse_plan
from assistant.present.errors import read_problem
from assistant.read.formats import convert_binary
from assistant.read.layout import PlanTables
from assistant.read.load import UnreadableFile, load_corpus, read_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def parts():
    return rach_gia_parts()


@pytest.fixture(scope="module")
def font():
    found = unicode_font()
    if found is None:
        pytest.skip("no Unicode TrueType font (DejaVuSans) on this machine for fpdf2")
    return found


@pytest.fixture(scope="module")
def files(tmp_path_factory, parts, font):
    folder = tmp_path_factory.mktemp("plans")
    return {
        "docx": make_docx(folder / "phuong-rach-gia-2026.docx", parts),
        "pdf": make_pdf(folder / "phuong-rach-gia-2026.pdf", parts, font),
    }


@pytest.fixture(scope="module")
def converted(files):
    """Each file read once (pdfplumber takes a second or two for the eleven pages)."""
    return {kind: read_document(path) for kind, path in files.items()}


@pytest.fixture(scope="module")
def text_version():
    return parse_plan(read_document(RACH_GIA))


def task_key(task):
    return (
        task.label,
        task.content[:60],
        task.lead,
        task.cooperating,
        task.deadline.raw if task.deadline else None,
        task.section,
    )


# ---------------------------------------------------------------- good files


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_table_rows_give_the_same_tasks_as_the_text_version(converted, text_version, kind):
    rec = parse_plan(converted[kind])
    assert len(rec.tasks) == len(text_version.tasks) == 76
    assert [task_key(t) for t in rec.tasks] == [task_key(t) for t in text_version.tasks]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_plan_metadata_and_prose_records_match_the_text_version(converted, text_version, kind):
    rec = parse_plan(converted[kind])
    for field in ("place", "period", "year", "number", "date"):
        assert getattr(rec.plan, field) == getattr(text_version.plan, field), field
    assert rec.plan.id == "phuong-rach-gia-2026"
    assert len(rec.duties) == len(text_version.duties)
    assert len(rec.targets) == len(text_version.targets)
    assert rec.warnings == ()


def test_docx_vertically_merged_cell_is_repeated_in_every_row(files, converted):
    with zipfile.ZipFile(files["docx"]) as z:  # the test file really has a vertical merge
        assert z.read("word/document.xml").count(b"<w:vMerge") == 7
    text = converted["docx"].text
    lines = [line.split("\t") for line in text.split("\n") if "\t" in line]
    group_one = lines[lines.index(["I", "CẢI CÁCH THỂ CHẾ (08 nhiệm vụ)", "", "", "", "", ""]) + 1 :][:7]
    assert [cells[0] for cells in group_one] == ["1", "2", "3", "4", "5", "6", "7"]
    assert {cells[4] for cells in group_one} == {"Các phòng, ban, ngành"}


def test_docx_horizontal_merge_keeps_a_group_row_a_group_row(converted):
    text = converted["docx"].text
    # the title merged across six columns is written once, so the table parser sees a group
    assert "\nI\tCẢI CÁCH THỂ CHẾ (08 nhiệm vụ)\t\t\t\t\t\n" in text
    assert "\nVII\tTHỰC HIỆN CÁC CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI" in text


def test_docx_every_tab_line_is_a_table_row(converted):
    lines = [line for line in converted["docx"].text.split("\n") if "\t" in line]
    assert all(len(line.split("\t")) == WIDTH for line in lines)
    assert sum(line.startswith("STT\t") for line in lines) == 1  # the continuation table has no header


def test_docx_numbering_bullets_and_letterhead_become_text(converted):
    text = converted["docx"].text
    paragraphs = text.split("\n\n")
    assert "1. Mục đích" in paragraphs and "2. Yêu cầu" in paragraphs  # Word's automatic numbers
    assert (
        "- Triển khai thực hiện có hiệu quả các nhiệm vụ giải pháp CCHC của tỉnh, phường đề ra "
        "trong năm 2026." in paragraphs
    )
    assert text.startswith("ỦY BAN NHÂN DÂN\nPHƯỜNG RẠCH GIÁ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_docx_paragraph_tabs_do_not_make_table_rows(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Số: 29/KH-UBND\tRạch Giá, ngày 03 tháng 02 năm 2026")
    document.add_paragraph("Dòng một").add_run().add_break()
    path = tmp_path / "tab.docx"
    document.save(str(path))
    text = convert_binary(path)
    assert "\t" not in text
    assert "Số: 29/KH-UBND Rạch Giá, ngày 03 tháng 02 năm 2026" in text


def test_pdf_keeps_the_text_around_the_table(converted, parts):
    text = converted["pdf"].text
    lines = text.split("\n")
    first_table_line = next(i for i, line in enumerate(lines) if "\t" in line)
    assert lines[first_table_line].startswith("STT\tNỘI DUNG")
    before = " ".join(lines[:first_table_line])
    assert "Ủy ban nhân dân (UBND) phường Rạch Giá ban hành Kế hoạch" in before
    assert parts.prose[-1] in before
    after = [line for line in lines[first_table_line:] if line and "\t" not in line]
    assert after == ["Nơi nhận: các phòng, ban, ngành phường."]


# a landscape appendix is stored turned: (angle, /Rotate flag, content drawn turned, first page turned)
TURNED = {
    "appendix-flagged-90": (90, True, False, 1),
    "appendix-flagged-180": (180, True, False, 1),
    "all-flagged-270": (270, True, False, 0),
    "appendix-on-portrait-paper-90": (90, True, True, 1),
    "appendix-printed-sideways-90": (90, False, True, 1),
    "all-printed-sideways-270": (270, False, True, 0),
}


@pytest.fixture(scope="module")
def upright_pdf(tmp_path_factory, parts, font):
    """Three pages (prose, then the appendix table) and their text, read upright."""
    short = dataclasses.replace(parts, rows=parts.rows[:30])
    path = make_pdf(tmp_path_factory.mktemp("upright") / "phuong-rach-gia-2026.pdf", short, font, 12, False)
    return path, convert_binary(path)


@pytest.mark.parametrize("turn", TURNED.values(), ids=TURNED.keys())
def test_turned_pages_are_read_upright(upright_pdf, tmp_path, turn):
    """Not one word per line (90°) nor each line reversed (180°): the text of the page as a
    reader turns it."""
    path, upright = upright_pdf
    turned = turn_pages(Path(shutil.copy(path, tmp_path / path.name)), *turn)
    text = convert_binary(turned)
    assert "\nI\tCẢI CÁCH THỂ CHẾ (08 nhiệm vụ)\t" in upright  # the appendix table, read as one
    assert text == upright


def test_a_plan_with_a_turned_appendix_reads_as_the_same_plan(upright_pdf, tmp_path):
    path, upright = upright_pdf
    turned = turn_pages(Path(shutil.copy(path, tmp_path / path.name)), 90, flag=True)
    before, after = parse_plan(read_document(path)), parse_plan(read_document(turned))
    assert after.plan.place == before.plan.place == "phường Rạch Giá"
    assert [task_key(t) for t in after.tasks] == [task_key(t) for t in before.tasks] and len(after.tasks) > 20


def test_plan_tables_tell_plan_tables_from_layout_tables():
    tables = PlanTables()
    assert tables.render([["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]) is None
    before, lines = tables.render(
        [
            ["PHỤ LỤC NHIỆM VỤ", "PHỤ LỤC NHIỆM VỤ", None],
            ["STT", "NỘI DUNG", "CHỦ TRÌ"],
            ["1", "Rà soát\nvăn bản", "Văn phòng"],
        ]
    )
    assert before == ["PHỤ LỤC NHIỆM VỤ"]
    assert lines == ["STT\tNỘI DUNG\tCHỦ TRÌ", "1\tRà soát văn bản\tVăn phòng"]
    # a later table of the same width continues the plan table without repeating the header
    assert tables.render([["2", "Báo cáo", "Phòng VHXH"]]) == ([], ["2\tBáo cáo\tPhòng VHXH"])
    assert tables.render([["Nơi nhận:", "KT. CHỦ TỊCH"]]) is None


# ---------------------------------------------------------------- bad files


def _bad_files(folder: Path, font) -> dict[str, str]:
    """Write one file per problem; return file name -> words its reason must contain."""
    import docx

    make_scanned_pdf(folder / "ban-quet.pdf")
    make_locked_pdf(folder / "co-mat-khau.pdf", font)
    (folder / "hong.docx").write_bytes(b"PK\x03\x04 this zip is cut short")
    with zipfile.ZipFile(folder / "khong-phai-word.docx", "w") as z:
        z.writestr("readme.txt", "không phải tài liệu Word")
    (folder / "word-cu.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "hong.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage, no xref\n")
    docx.Document().save(str(folder / "trong.docx"))
    pdf = new_pdf(font)
    pdf.add_page()
    pdf.output(str(folder / "trang-trang.pdf"))
    return {
        "ban-quet.pdf": "không có lớp chữ (bản quét",
        "co-mat-khau.pdf": "mật khẩu",
        "hong.docx": "hỏng",
        "khong-phai-word.docx": "hỏng",
        "word-cu.docx": "mật khẩu hoặc là định dạng .doc",
        "hong.pdf": "hỏng",
        "trong.docx": "rỗng",
        "trang-trang.pdf": "không có nội dung chữ",
    }


def test_each_bad_file_is_named_and_the_rest_of_the_corpus_loads(tmp_path, files, font):
    for name in ("xa-thai-tan-2025.txt", "xa-vinh-thinh-2026.txt"):
        shutil.copy(ROOT / "corpus" / name, tmp_path / name)
    shutil.copy(files["docx"], tmp_path)
    shutil.copy(files["pdf"], tmp_path)
    expected = _bad_files(tmp_path, font)
    docs, errors = load_corpus(tmp_path)
    assert sorted(d.name for d in docs) == sorted(
        [
            "xa-thai-tan-2025.txt",
            "xa-vinh-thinh-2026.txt",
            "phuong-rach-gia-2026.docx",
            "phuong-rach-gia-2026.pdf",
        ]
    )
    assert sorted(e.name for e in errors) == sorted(expected)
    for err in errors:
        assert expected[err.name] in read_problem(err.problem, err.params), (
            err.name,
            read_problem(err.problem, err.params),
        )
        assert has_diacritics(read_problem(err.problem, err.params))


def test_oversize_file_is_refused_before_it_is_opened(tmp_path, files):
    corpus, cache = tmp_path / "corpus", tmp_path / "converted"
    corpus.mkdir()
    shutil.copy(files["docx"], corpus / "nho.docx")
    big = corpus / "lon.pdf"
    big.write_bytes(b"%PDF-1.4 not even a valid pdf " + b"\0" * 300_000)
    docs, errors = load_corpus(corpus, max_bytes=200_000, cache=cache)
    assert [d.name for d in docs] == ["nho.docx"]
    assert [e.name for e in errors] == ["lon.pdf"] and "quá lớn" in read_problem(
        errors[0].problem, errors[0].params
    )
    assert [p.suffixes[-2:] for p in cache.iterdir()] == [[".docx", ".txt"]]  # only the small one converted


def test_a_full_disk_only_skips_the_conversion_cache(upright_pdf, tmp_path, monkeypatch):
    """The converted text is kept for next time when it can be; a full disk does not stop
    the plan from being read (nor leaves a half-written cache file)."""
    import errno

    path, upright = upright_pdf
    cache = tmp_path / "converted"

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    assert read_document(path, cache=cache).text == upright
    assert not (cache.is_dir() and list(cache.iterdir()))


def test_convert_binary_refuses_other_suffixes(tmp_path):
    path = tmp_path / "ke-hoach.odt"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnreadableFile):
        convert_binary(path)


def test_docx_multilevel_numbering_is_written_out(tmp_path):
    """A Word outline list "I." / "1." / "a)": deeper levels restart under a new parent."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            + "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/></w:lvl>'
                for i, (fmt, text) in enumerate(levels)
            )
            + "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    outline = [
        (0, "MỤC ĐÍCH, YÊU CẦU"),
        (1, "Mục đích"),
        (1, "Yêu cầu"),
        (0, "NHIỆM VỤ"),
        (1, "Cải cách thể chế"),
        (2, "Văn phòng HĐND và UBND xã:"),
        (2, "Phòng Văn hóa - Xã hội:"),
    ]
    for level, text in outline:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.add_paragraph("Đoạn thường, không đánh số.")
    path = tmp_path / "de-muc.docx"
    document.save(str(path))
    assert convert_binary(path).split("\n\n") == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "II. NHIỆM VỤ",
        "1. Cải cách thể chế",
        "a) Văn phòng HĐND và UBND xã:",
        "b) Phòng Văn hóa - Xã hội:",
        "Đoạn thường, không đánh số.\n",
    ]
