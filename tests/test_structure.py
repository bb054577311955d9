"""Plan text -> blocks: unwrapped paragraphs, section paths, clean text, exact spans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import words_in_order
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistant.lang.normalize import collapse
from assistant.parse.plan import parse_plan, structure
from assistant.read.load import SourceDoc

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RG, KL, TA, VT = "phuong-rach-gia-2026", "xa-ky-lac-2025", "xa-thanh-an-2026", "xa-vinh-thinh-2026"


def blocks_containing(plan, sentence: str):
    want = collapse(sentence)
    return [b for b in plan.blocks if want in collapse(b.text)]


# ---------------------------------------------------------------- unwrapping

WRAPPED = [
    # (plan, first line, last line, a sentence cut across those lines, read from the file)
    (
        KL,
        13,
        19,
        "Tăng cường trách nhiệm của các tổ chức, cá nhân, nhất là người đứng đầu cơ quan "
        "hành chính nhà nước trong việc triển khai nhiệm vụ CCHC, đảm bảo phù hợp, hiệu "
        "quả trong thực hiện CCHC với mô hình chính quyền địa phương 02 cấp.",
    ),
    # lines 239-242 include a page break: line 240 opens with a space
    (
        KL,
        239,
        242,
        "100% Quyết định công bố Danh mục TTHC và Quyết định phê duyệt quy trình nội bộ "
        "TTHC thuộc thẩm quyền giải quyết của UBND cấp xã do UBND tỉnh ban hành được "
        "soát xét, kiểm tra đáp ứng yêu cầu.",
    ),
    # a line ending "..." continues in lower case (lines 717-721)
    (
        KL,
        717,
        721,
        "đai, xây dựng, lao động thương binh và xã hội, tư pháp, y tế, bảo hiểm xã hội... "
        "nội dung của Chỉ số PARINDEX, SIPAS đối với cán bộ, công chức, viên chức thuộc "
        "phạm vi trách nhiệm quản lý.",
    ),
    (
        TA,
        276,
        282,
        "Là cơ quan thường trực tham mưu về công tác CCHC của xã, có trách nhiệm hướng "
        "dẫn, đôn đốc, theo dõi, kiểm tra việc triển khai thực hiện Kế hoạch này tại các "
        "cơ quan, đơn vị trên địa bàn xã; tổng hợp kết quả, tham mưu báo cáo Hội đồng nhân "
        "dân xã, UBND xã và Sở Nội vụ thành phố theo quy định.",
    ),
    (
        TA,
        17,
        25,
        "Để bảo đảm công tác cải cách hành chính được triển khai một cách kịp thời, thông "
        "suốt và hiệu quả, phù hợp với mô hình tổ chức chính quyền địa phương hai cấp",
    ),
    # plans that are not hard-wrapped still have a few cut lines
    (
        VT,
        52,
        54,
        "Triển khai kịp thời các văn bản quy phạm pháp luật của cấp trên và của huyện đến "
        "cán bộ, công chức, viên chức và nhân dân.",
    ),
    (
        RG,
        62,
        64,
        "kiểm tra chặt chẽ số lượng cấp phó trong các cơ quan, đơn vị trực thuộc UBND phường theo quy định.",
    ),
]


@pytest.mark.parametrize("pid,first,last,sentence", WRAPPED, ids=[f"{w[0]}:{w[1]}" for w in WRAPPED])
def test_wrapped_sentence_is_one_block(plans, sources, pid, first, last, sentence):
    lines = sources[pid].split("\n")
    assert collapse(sentence) not in collapse(lines[first - 1])  # it really is cut in the file
    assert collapse(sentence) in collapse(" ".join(lines[first - 1 : last]))
    found = blocks_containing(plans[pid], sentence)
    assert len(found) == 1, [b.text[:60] for b in found]
    assert found[0].span.line_start <= first and found[0].span.line_end >= last


def test_hard_wrapped_paragraphs_are_fewer_than_lines(plans, sources):
    for pid in (KL, TA):
        prose = [b for b in plans[pid].blocks if b.kind != "row"]
        multi = [b for b in prose if b.span.line_end > b.span.line_start]
        assert len(multi) > len(prose) / 3, pid


def test_wrapped_heading_is_joined(plans):
    # Kỳ Lạc lines 541-543: "7. Xây dựng và phát triển chính quyền điện tử, chính quyền số và áp" /
    # "dụng ISO"; the sub-heading on line 545 sits under the whole heading.
    full = "7. Xây dựng và phát triển chính quyền điện tử, chính quyền số và áp dụng ISO"
    [sub] = [b for b in plans[KL].blocks if b.span.line_start == 545]
    assert sub.kind == "heading"
    assert sub.section == ("III. NHIỆM VỤ, GIẢI PHÁP CHUNG", full)


# ---------------------------------------------------------------- section paths


def test_thanh_an_duty_bullet_section_path(plans):
    # lines 228-276: "V. TỔ CHỨC THỰC HIỆN" > "2. Phòng Văn hóa - Xã hội" > "- Là cơ quan thường trực ..."
    [b] = blocks_containing(plans[TA], "Là cơ quan thường trực tham mưu về công tác CCHC")
    assert b.kind == "item"
    assert b.section[0] == "V. TỔ CHỨC THỰC HIỆN"
    assert "2. Phòng Văn hóa - Xã hội" in b.section


def test_thanh_an_headings_reset_at_the_next_roman_numeral(plans):
    [b] = blocks_containing(plans[TA], "100% thủ tục hành chính trên địa bàn xã có đủ điều kiện")
    assert b.section == ("II. MỤC TIÊU", "6. Về xây dựng và phát triển Chính quyền điện tử, Chính quyền số")
    [kinh_phi] = [x for x in plans[TA].blocks if x.text == "IV. KINH PHÍ"]
    assert kinh_phi.kind == "heading" and kinh_phi.section == ()


def test_vinh_thinh_inline_letter_heading(plans):
    # line 134: "2. Phân công trách nhiệm cụ thể ... có liên quan **a) Phòng văn hóa, xã hội**"
    [b] = blocks_containing(plans[VT], "Chủ trì và phối hợp với các phòng, ban, bộ phận liên quan tham mưu")
    assert b.section[0] == "V. TRÁCH NHIỆM TỔ CHỨC THỰC HIỆN"
    assert b.section[-1] == "a) Phòng văn hóa, xã hội"
    [office] = blocks_containing(plans[VT], "Phối hợp với phòng văn hóa, xã hội tham mưu, đề xuất")
    assert office.section[-1] == "b) Văn phòng HĐND và UBND xã"


def test_closing_lines_do_not_join_the_last_section(plans, sources):
    with_closing = [pid for pid in plans if "\nNơi nhận:" in sources[pid]]
    assert len(with_closing) == 4  # Vĩnh Thịnh's file ends before its closing lines
    for pid in with_closing:
        closing = [b for b in plans[pid].blocks if b.text.startswith("- Lưu")]
        assert closing, pid
        for b in closing:
            assert b.section and b.section[0].startswith("Nơi nhận"), (pid, b.section)


# ---------------------------------------------------------------- clean text and exact spans


def test_no_markup_remnants_in_any_block(plans):
    for pid, p in plans.items():
        for b in p.blocks:
            for junk in ("**", "<ul", "</", "<li"):
                assert junk not in b.text, (pid, b.span.line_start, b.text[:80])
            assert b.text == b.text.strip() and "  " not in b.text and "\n" not in b.text


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def test_every_block_span_quotes_its_text(plans, sources):
    for pid, p in plans.items():
        text = sources[pid]
        for b in p.blocks:
            s = b.span
            where = (pid, b.kind, s.line_start)
            assert s.doc == f"{pid}.txt"
            assert 0 <= s.start < s.end <= len(text), where
            assert s.line_start == _line_of(text, s.start), where
            assert s.line_end == _line_of(text, s.end - 1), where
            quoted = text[s.start : s.end]
            if b.kind == "row":
                # a row's text labels its cells ("Chủ trì: ..."); every cell comes from the span,
                # word by word (a flattened cell is split over many lines, maybe a page break)
                for key, value in b.cells.items():
                    if key not in {"label", "task", "objective"}:
                        assert words_in_order(value, quoted), (*where, key, value[:40])
            else:
                clean = collapse(re.sub(r"<[^<>]*>|\*", "", quoted))
                assert collapse(b.text)[:30] in clean, (*where, b.text[:30], clean[:60])


def test_records_point_into_their_plan(plans, sources):
    for pid, p in plans.items():
        text = sources[pid]
        for rec in (*p.tasks, *p.duties, *p.reports, *p.targets):
            assert rec.plan == pid
            assert 0 <= rec.span.start < rec.span.end <= len(text)
            assert rec.span.line_start == _line_of(text, rec.span.start)


# ---------------------------------------------------------------- any text at all


def _table_lines() -> list[str]:
    text = (CORPUS / f"{RG}.txt").read_text(encoding="utf-8")
    return [ln for ln in text.split("\n") if "\t" in ln]


def _flat_lines() -> list[str]:
    text = (CORPUS / f"{KL}.txt").read_text(encoding="utf-8")
    return [ln for ln in text.split("\n")[798:1300] if ln.strip()]


TABLE_LINES = _table_lines()
FLAT_LINES = _flat_lines()
FLAT_HEADER = "\n".join(FLAT_LINES[3:17])  # "TT" / "1- Mục tiêu/Chỉ tiêu/nội" / ... / "phí"
assert FLAT_HEADER.split("\n")[0].strip() == "TT" and "8- Kinh" in FLAT_HEADER

FRAGMENTS = [
    "\t",
    "\t\t",
    "**",
    "*",
    "<ul>",
    "</ul>",
    '<ul style="list-style-type: none">',
    "<li>",
    "I. ",
    "IV ",
    "VII. ",
    "XIV ",
    "1. ",
    "12.",
    "1.1. ",
    "3.2 ",
    "3.10.",
    "a) ",
    "đ. ",
    "- ",
    "+ ",
    "• ",
    "Nơi nhận:",
    "\n",
    "\n\n",
    " \n",
    "\r\n",
    "  ",
    ".",
    ";",
    "(08 nhiệm vụ)",
    "Phòng VHXH",
    "Văn phòng HĐND-",
    "UBND",
    "Thường xuyên",
    "Quý IV năm 2025",
    "V. TỔ CHỨC THỰC HIỆN",
    "Chủ trì, phối hợp với ",
    "báo cáo",
    "trước ngày 08/12",
    "100%",
    FLAT_HEADER,
]


@st.composite
def broken_table_line(draw) -> str:
    cells = draw(st.sampled_from(TABLE_LINES)).split("\t")
    op = draw(st.sampled_from(["drop", "blank", "cut", "spaces", "dup", "keep"]))
    i = draw(st.integers(0, len(cells) - 1))
    if op == "drop":
        del cells[i]
    elif op == "blank":
        cells[i] = ""
    elif op == "dup":
        cells.insert(i, cells[i])
    line = "\t".join(cells)
    if op == "cut":
        line = line[: draw(st.integers(0, len(line)))]
    if op == "spaces":
        line = line.replace("\t", draw(st.sampled_from([" ", "  ", ""])))
    return line


PIECES = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=20),
    broken_table_line().map(lambda s: s + "\n"),
    st.sampled_from(FLAT_LINES).map(lambda s: s + "\n"),
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


def _inside(span, text: str) -> bool:
    lines = text.count("\n") + 1
    return 0 <= span.start <= span.end <= len(text) and 1 <= span.line_start <= span.line_end <= lines


def test_blank_row_under_a_table_header_keeps_a_forward_span():
    # A tab-only line right under a header (a table starting after a page break) must not give
    # a row whose span ends before it starts.
    text = "STT\tNỘI DUNG\tSẢN PHẨM\tCƠ QUAN CHỦ TRÌ\tCƠ QUAN PHỐI HỢP\tTHỜI GIAN\n\t\t\n"
    records = parse_plan(SourceDoc("x.txt", Path("x.txt"), text))
    for rec in (*records.blocks, *records.tasks):
        assert _inside(rec.span, text), (type(rec).__name__, rec.span)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@example(text=FLAT_HEADER + "\n" + "\n".join(FLAT_LINES[17:120]))
@example(text="")
@given(TEXTS)
def test_any_text_structures_without_raising(text):
    blocks, warnings = structure("x.txt", text)
    for b in blocks:
        assert _inside(b.span, text), (b.kind, b.span, repr(b.text[:40]))
    assert all(w.kind == "row_incomplete" and 1 <= w.line <= text.count("\n") + 1 for w in warnings)
    records = parse_plan(SourceDoc("x.txt", Path("x.txt"), text))
    for rec in (*records.blocks, *records.tasks, *records.duties, *records.reports, *records.targets):
        assert _inside(rec.span, text), (type(rec).__name__, rec.span)
