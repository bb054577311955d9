"""The one error of the reading stage: a file that cannot be read, with the problem as a
code and its figures (`present.errors` words it for users and admins)."""

from __future__ import annotations

from typing import Literal

ReadProblem = Literal[
    "empty",
    "binary",
    "not_utf8",
    "unsupported_format",
    "cannot_open",
    "too_large",
    "too_long",
    "no_folder",
    "missing_library",
    "docx_locked_or_doc",
    "docx_not_package",
    "docx_broken",
    "docx_strange",
    "docx_too_many_parts",
    "docx_part_too_large",
    "docx_too_large_unpacked",
    "pdf_too_many_pages",
    "pdf_broken",
    "pdf_scanned",
    "pdf_blank",
    "pdf_password",
    "pdf_invalid",
    "not_binary_format",
    "no_text",
    "too_slow",
    "too_much_memory",
    "too_slow_cpu",
    "conversion_failed",
]


class UnreadableFile(Exception):
    def __init__(self, problem: ReadProblem, **params: str | int | float):
        super().__init__(problem, params)
        self.problem = problem
        self.params = params
