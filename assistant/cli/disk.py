"""A full disk, met by any command at the edge we do not own (the operating system's
writes), said in words instead of a traceback. The wording lives here until
`present.cli` is free to take it."""

from __future__ import annotations

import errno

FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in FULL


def disk_full(exc: OSError, doing: str = "") -> str:
    """`doing`: what the update was ("thêm kế hoạch"), which a full disk leaves undone with
    nothing changed; empty for any other command."""
    where = f" (khi ghi {exc.filename})" if exc.filename else ""
    again = "Hãy giải phóng dung lượng đĩa rồi chạy lại lệnh."
    if doing:
        return (
            f"Không đủ dung lượng đĩa để {doing}{where}. Chưa có gì thay đổi: các kế hoạch và "
            f"chỉ mục vẫn như trước. {again}"
        )
    return f"Không đủ dung lượng đĩa{where}. {again}"
