"""A new plan of the genre, written as a real Word file at test time (python-docx).

Xã Tân Hòa Đông (tỉnh Đồng Tháp) is fictional: its plan is not one of the five in
corpus/, and its appendix table puts its columns in another order than any of them
(STT | Nội dung nhiệm vụ | Thời gian hoàn thành | Cơ quan chủ trì | Cơ quan phối hợp |
Kinh phí | Sản phẩm), with a funding column. The letterhead and the "Nơi nhận" / signer
block are layout tables, as Word plans have them; some duty lines are Word bullets.
The plan's content is module data, so tests can compare the records read with it."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from pathlib import Path

FILE_NAME = "xa-tan-hoa-dong-2027.docx"
PLAN_ID = "xa-tan-hoa-dong-2027"
PLACE = "xã Tân Hòa Đông"
PROVINCE = "tỉnh Đồng Tháp"
NUMBER = "45/KH-UBND"
DATE = "15/01/2027"
YEAR = 2027

LETTERHEAD = (
    ("ỦY BAN NHÂN DÂN\nXÃ TÂN HÒA ĐÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
    ("Số: 45/KH-UBND", "Tân Hòa Đông, ngày 15 tháng 01 năm 2027"),
)

# The body before "IV. TỔ CHỨC THỰC HIỆN": (kind, text); kind "title" is centred and bold,
# "heading" bold, "para" plain.
OPENING: tuple[tuple[str, str], ...] = (
    ("title", "KẾ HOẠCH"),
    ("title", "Cải cách hành chính năm 2027"),
    (
        "para",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình "
        "tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
    ),
    (
        "para",
        "Căn cứ Kế hoạch số 318/KH-UBND ngày 20 tháng 12 năm 2026 của Ủy ban nhân dân tỉnh Đồng Tháp "
        "về cải cách hành chính nhà nước năm 2027;",
    ),
    (
        "para",
        "Căn cứ Nghị quyết số 12/NQ-HĐND ngày 18 tháng 12 năm 2026 của Hội đồng nhân dân xã về nhiệm vụ "
        "phát triển kinh tế - xã hội năm 2027;",
    ),
    (
        "para",
        "Ủy ban nhân dân (UBND) xã Tân Hòa Đông ban hành Kế hoạch cải cách hành chính (CCHC) năm 2027 "
        "như sau:",
    ),
    ("heading", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("heading", "1. Mục đích"),
    (
        "para",
        "- Triển khai đồng bộ, có hiệu quả các nhiệm vụ CCHC của tỉnh và của xã năm 2027; lấy người dân, "
        "doanh nghiệp làm trung tâm phục vụ.",
    ),
    (
        "para",
        "- Nâng cao chất lượng giải quyết thủ tục hành chính (TTHC) tại Trung tâm Phục vụ hành chính công "
        "xã; cải thiện mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành "
        "chính nhà nước.",
    ),
    ("heading", "2. Yêu cầu"),
    (
        "para",
        "- Người đứng đầu các cơ quan, đơn vị trực thuộc UBND xã trực tiếp chỉ đạo và chịu trách nhiệm "
        "về kết quả thực hiện nhiệm vụ CCHC được giao.",
    ),
    (
        "para",
        "- Nhiệm vụ phải cụ thể, có sản phẩm, thời gian hoàn thành và cơ quan chủ trì rõ ràng; gắn kết "
        "quả thực hiện với đánh giá, xếp loại cán bộ, công chức cuối năm.",
    ),
    ("heading", "II. MỤC TIÊU, CHỈ TIÊU"),
    ("heading", "1. Mục tiêu"),
    (
        "para",
        "Xây dựng nền hành chính xã chuyên nghiệp, hiện đại, công khai, minh bạch; đẩy mạnh chuyển đổi "
        "số trong giải quyết TTHC và trong chỉ đạo, điều hành.",
    ),
    ("heading", "2. Chỉ tiêu"),
)

# The targets of "2. Chỉ tiêu", one bullet each, and the value each one sets.
TARGETS: tuple[tuple[str, str], ...] = (
    ("- 100% hồ sơ TTHC thuộc thẩm quyền của xã được giải quyết đúng hạn và trước hạn.", "100%"),
    (
        "- Phấn đấu ít nhất 90% hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình.",
        "ít nhất 90%",
    ),
    (
        "- 100% kết quả giải quyết TTHC được số hóa và lưu trữ trên Hệ thống thông tin giải quyết TTHC "
        "của tỉnh.",
        "100%",
    ),
    (
        "- Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà "
        "nước đạt từ 95% trở lên.",
        "từ 95% trở lên",
    ),
    (
        "- Tỷ lệ thanh toán trực tuyến phí, lệ phí trong giải quyết TTHC đạt tối thiểu 70%.",
        "tối thiểu 70%",
    ),
)

TASKS_PROSE: tuple[tuple[str, str], ...] = (
    ("heading", "III. NHIỆM VỤ"),
    ("heading", "1. Cải cách thể chế"),
    (
        "para",
        "- Rà soát, kiểm tra văn bản quy phạm pháp luật do HĐND, UBND xã ban hành; nâng cao chất lượng "
        "công tác tổ chức thi hành pháp luật trên địa bàn xã.",
    ),
    ("heading", "2. Cải cách thủ tục hành chính"),
    (
        "para",
        "- Công khai đầy đủ, kịp thời TTHC tại Trung tâm Phục vụ hành chính công xã và trên Cổng Dịch vụ "
        "công quốc gia; giải quyết dứt điểm phản ánh, kiến nghị của người dân, doanh nghiệp.",
    ),
    ("heading", "3. Chuyển đổi số trong cơ quan nhà nước"),
    (
        "para",
        "- Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, thanh toán trực tuyến; số hóa hồ sơ, "
        "kết quả giải quyết TTHC; phát huy vai trò của Tổ công nghệ số cộng đồng ở các ấp.",
    ),
    ("para", "(Danh mục nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này)."),
    ("heading", "IV. TỔ CHỨC THỰC HIỆN"),
)

# "IV. TỔ CHỨC THỰC HIỆN": each unit's heading and its duty lines ("- ..." as text, or a
# Word bullet when the unit is in WORD_BULLETS: the reader writes the "-" out).
DUTIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "1. Phòng Văn hóa - Xã hội",
        (
            "Là cơ quan thường trực, tham mưu UBND xã theo dõi, đôn đốc, kiểm tra việc thực hiện Kế "
            "hoạch này; tổng hợp báo cáo kết quả thực hiện gửi UBND xã và Sở Nội vụ.",
            "Chủ trì, phối hợp với Văn phòng HĐND và UBND xã tham mưu tổ chức kiểm tra công tác CCHC tại "
            "các cơ quan, đơn vị trong quý III/2027.",
            "Chủ trì triển khai các nhiệm vụ cải cách tổ chức bộ máy, cải cách chế độ công vụ và thông "
            "tin, tuyên truyền về CCHC.",
        ),
    ),
    (
        "2. Văn phòng HĐND và UBND xã",
        (
            "Chủ trì tham mưu thực hiện các nội dung cải cách thể chế; rà soát, hệ thống hóa văn bản quy "
            "phạm pháp luật do HĐND, UBND xã ban hành.",
            "Phối hợp với Phòng Văn hóa - Xã hội theo dõi việc thực hiện các nhiệm vụ UBND tỉnh giao cho "
            "UBND xã.",
        ),
    ),
    (
        "3. Phòng Kinh tế",
        (
            "Chủ trì tham mưu thực hiện cải cách tài chính công; hướng dẫn các cơ quan, đơn vị xây dựng, "
            "sửa đổi Quy chế chi tiêu nội bộ.",
            "Tham mưu UBND xã bố trí kinh phí thực hiện Kế hoạch trong dự toán ngân sách xã năm 2027.",
        ),
    ),
    (
        "4. Trung tâm Phục vụ hành chính công",
        (
            "Niêm yết, công khai đầy đủ TTHC; tiếp nhận, giải quyết và trả kết quả hồ sơ TTHC đúng hạn.",
            "Hướng dẫn người dân nộp hồ sơ trực tuyến, thanh toán phí, lệ phí trực tuyến.",
            "Tổ chức khảo sát mức độ hài lòng của người dân, doanh nghiệp hằng quý.",
        ),
    ),
)
WORD_BULLETS = {"4. Trung tâm Phục vụ hành chính công"}

REPORTS_PROSE: tuple[tuple[str, str], ...] = (
    ("heading", "V. CHẾ ĐỘ BÁO CÁO"),
    (
        "para",
        "- Báo cáo quý, báo cáo 6 tháng: các cơ quan, đơn vị gửi báo cáo kết quả thực hiện Kế hoạch về "
        "Phòng Văn hóa - Xã hội trước ngày 10 của tháng cuối quý; Phòng Văn hóa - Xã hội tổng hợp, tham "
        "mưu UBND xã gửi báo cáo về Sở Nội vụ trước ngày 15 của tháng cuối quý.",
    ),
    (
        "para",
        "- Báo cáo năm: các cơ quan, đơn vị gửi báo cáo kết quả thực hiện nhiệm vụ CCHC về Phòng Văn hóa "
        "- Xã hội trước ngày 05/12/2027 để tổng hợp, tham mưu UBND xã báo cáo Sở Nội vụ theo quy định.",
    ),
    ("heading", "VI. KINH PHÍ THỰC HIỆN"),
    (
        "para",
        "Kinh phí thực hiện Kế hoạch được bố trí trong dự toán ngân sách xã năm 2027 và các nguồn kinh "
        "phí hợp pháp khác theo quy định.",
    ),
    (
        "para",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về UBND xã "
        "(qua Phòng Văn hóa - Xã hội) để xem xét, giải quyết./.",
    ),
)

RECIPIENTS = (
    "Nơi nhận:\n- Sở Nội vụ tỉnh Đồng Tháp;\n- TT. Đảng ủy xã;\n- TT. HĐND xã;\n- CT, các PCT UBND xã;\n"
    "- Các cơ quan, đơn vị thuộc UBND xã;\n- Lưu: VT, VHXH."
)
SIGNER = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\n\nNguyễn Văn Thành"

APPENDIX_HEAD = (
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2027",
    "(Kèm theo Kế hoạch số 45/KH-UBND ngày 15 tháng 01 năm 2027 của UBND xã Tân Hòa Đông)",
)

HEADER = (
    "STT",
    "Nội dung nhiệm vụ",
    "Thời gian hoàn thành",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Kinh phí",
    "Sản phẩm",
)
WIDTH = len(HEADER)


@dataclass(frozen=True)
class Row:
    """One task row, in the table's column order."""

    label: str
    content: str
    deadline: str
    lead: str
    cooperating: str
    budget: str
    product: str

    def cells(self) -> tuple[str, ...]:
        return astuple(self)


VP = "Văn phòng HĐND và UBND xã"
VHXH = "Phòng Văn hóa - Xã hội"
KT = "Phòng Kinh tế"
HCC = "Trung tâm Phục vụ hành chính công"
ALL = "Các cơ quan, đơn vị thuộc UBND xã"

GROUPS: tuple[tuple[str, str, tuple[Row, ...]], ...] = (
    (
        "I",
        "CẢI CÁCH THỂ CHẾ (04 nhiệm vụ)",
        (
            Row(
                "1",
                "Xây dựng Kế hoạch kiểm tra, rà soát văn bản quy phạm pháp luật năm 2027",
                "Tháng 3/2027",
                VP,
                ALL,
                "Không",
                "Kế hoạch",
            ),
            Row(
                "2",
                "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND xã ban hành",
                "Quý II/2027",
                VP,
                f"{KT}; {VHXH}",
                "Ngân sách xã",
                "Báo cáo kết quả rà soát",
            ),
            Row(
                "3",
                "Tổ chức phổ biến, giáo dục pháp luật cho cán bộ, công chức và Nhân dân trên địa bàn xã",
                "Thường xuyên",
                VHXH,
                f"{VP}; Mặt trận Tổ quốc Việt Nam xã",
                "20 triệu đồng",
                "Hội nghị, tài liệu tuyên truyền",
            ),
            Row(
                "4",
                "Báo cáo công tác theo dõi tình hình thi hành pháp luật năm 2027",
                "31/10/2027",
                VP,
                "Công an xã",
                "Không",
                "Báo cáo",
            ),
        ),
    ),
    (
        "II",
        "CẢI CÁCH THỦ TỤC HÀNH CHÍNH (04 nhiệm vụ)",
        (
            Row(
                "5",
                "Công bố, niêm yết công khai danh mục TTHC thuộc thẩm quyền giải quyết của xã",
                "Trước 30/6/2027",
                HCC,
                ALL,
                "Không",
                "Quyết định công bố, danh mục niêm yết",
            ),
            Row(
                "6",
                "Khảo sát mức độ hài lòng của người dân, doanh nghiệp đối với việc giải quyết TTHC tại xã",
                "Quý III/2027",
                HCC,
                VHXH,
                "15 triệu đồng",
                "Báo cáo kết quả khảo sát",
            ),
            Row(
                "7",
                "Rà soát, đề xuất phương án đơn giản hóa TTHC nội bộ giữa các cơ quan thuộc UBND xã",
                "Tháng 8/2027",
                VP,
                HCC,
                "Không",
                "Phương án đơn giản hóa",
            ),
            Row(
                "8",
                "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
                "Thường xuyên",
                HCC,
                ALL,
                "Không",
                "Văn bản trả lời",
            ),
        ),
    ),
    (
        "III",
        "CHUYỂN ĐỔI SỐ TRONG CƠ QUAN NHÀ NƯỚC (04 nhiệm vụ)",
        (
            Row(
                "9",
                "Ban hành Kế hoạch chuyển đổi số của xã năm 2027",
                "Tháng 2/2027",
                VHXH,
                ALL,
                "Không",
                "Kế hoạch",
            ),
            Row(
                "10",
                "Số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực",
                "Quý IV/2027",
                HCC,
                f"{KT}; {VP}",
                "50 triệu đồng",
                "Dữ liệu số hóa",
            ),
            Row(
                "11",
                "Trang bị, nâng cấp máy scan, máy tính, camera tại Trung tâm Phục vụ hành chính công",
                "Trước 30/6/2027",
                KT,
                HCC,
                "120 triệu đồng",
                "Thiết bị được trang bị",
            ),
            Row(
                "12",
                "Duy trì hoạt động của Tổ công nghệ số cộng đồng tại các ấp",
                "Thường xuyên",
                VHXH,
                "Ban nhân dân các ấp; Đoàn Thanh niên xã",
                "Ngân sách xã",
                "Tổ công nghệ số hoạt động",
            ),
        ),
    ),
)

ROWS: tuple[Row, ...] = tuple(row for _, _, rows in GROUPS for row in rows)


def make_genre_docx(path: Path) -> Path:
    """Write the plan of xã Tân Hòa Đông as a .docx at `path`."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = docx.Document()
    letterhead = document.add_table(rows=len(LETTERHEAD), cols=2)
    letterhead.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (left, right) in enumerate(LETTERHEAD):
        _cell_lines(letterhead.cell(r, 0), left, bold=r == 0)
        _cell_lines(letterhead.cell(r, 1), right, bold=r == 0)

    def write(items: tuple[tuple[str, str], ...]) -> None:
        for kind, text in items:
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = kind in {"title", "heading"}
            if kind == "title":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    write(OPENING)
    write(tuple(("para", text) for text, _ in TARGETS))
    write(TASKS_PROSE)
    for heading, lines in DUTIES:
        document.add_paragraph().add_run(heading).bold = True
        for line in lines:
            if heading in WORD_BULLETS:
                document.add_paragraph(line, style="List Bullet")
            else:
                document.add_paragraph(f"- {line}")
    write(REPORTS_PROSE)

    closing = document.add_table(rows=1, cols=2)
    _cell_lines(closing.cell(0, 0), RECIPIENTS)
    _cell_lines(closing.cell(0, 1), SIGNER, bold=True)

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for text in APPENDIX_HEAD:
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = not text.startswith("(")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _task_table(document)
    document.save(str(path))
    return path


def _cell_lines(cell, text: str, bold: bool = False) -> None:
    """A cell with one paragraph per line of `text` (blank lines kept, as signers leave room)."""
    lines = text.split("\n")
    cell.paragraphs[0].add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def _task_table(document) -> None:
    table = document.add_table(rows=1 + len(GROUPS) + len(ROWS), cols=WIDTH)
    table.style = "Table Grid"
    rows = iter(table.rows)
    for cell, text in zip(next(rows).cells, HEADER):
        cell.paragraphs[0].add_run(text).bold = True
    for numeral, title, tasks in GROUPS:
        cells = next(rows).cells
        cells[0].paragraphs[0].add_run(numeral).bold = True
        cells[1].merge(cells[WIDTH - 1]).paragraphs[0].add_run(title).bold = True
        for task in tasks:
            for cell, text in zip(next(rows).cells, task.cells()):
                cell.text = text
