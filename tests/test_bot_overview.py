"""/tonghop end to end: the real application polling the fake Bot API server sends the
summary as text and the overview as an .xlsx whose rows are the communes."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from botkit import assert_valid_html, exchange, running, visible

from assistant.present.sheet import TABLE_SHEET
from assistant.serve.assistant import Assistant
from assistant.telegram.console import ConsoleChat, respond
from assistant.telegram.html import to_plain

MAY_25 = date(2026, 5, 25)


@pytest.fixture(scope="session")
def assistant(lexical_assistant) -> Assistant:
    return lexical_assistant


def _rows(document: dict) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(document["content"]))
    return list(book[TABLE_SHEET].iter_rows(values_only=True))


async def test_tonghop_sends_the_summary_and_an_xlsx_whose_rows_are_the_communes(tg, settings, assistant):
    async with running(settings, assistant, today=lambda: MAY_25):
        [summary] = await exchange(tg, "/tonghop")
        [doc] = await tg.until(lambda: tg.sent(1001, method="sendDocument"))
    assert_valid_html(summary["text"])
    lines = visible(summary["text"]).splitlines()
    assert lines[0] == "Tổng hợp kế hoạch CCHC năm 2026 — mọi địa bàn: 5 xã, phường"
    assert "• Chưa có kế hoạch năm 2026: 2 (xã Thái Tân, xã Kỳ Lạc)" in lines
    assert doc["document"]["filename"] == "tong-hop-cchc-2026.xlsx"
    assert "mỗi dòng một xã, phường (5)" in doc["caption"]
    head, *rows = _rows(doc["document"])
    assert head[2] == "Xã/phường" and any(h.startswith("Chỉ tiêu: ") for h in head)
    places = [r[2] for r in rows]
    assert sorted(places) == sorted(rec.plan.place for rec in assistant.library.plans)


async def test_tonghop_for_a_province_and_a_year_and_an_unknown_place(tg, settings, assistant):
    async with running(settings, assistant, today=lambda: MAY_25):
        [summary] = await exchange(tg, "/tonghop Hải Phòng 2025")
        [doc] = await tg.until(lambda: tg.sent(1001, method="sendDocument"))
        [unknown] = await exchange(tg, "/tonghop Hà Nội")
    assert visible(summary["text"]).startswith("Tổng hợp kế hoạch CCHC năm 2025 — thành phố Hải Phòng: 1 xã")
    assert doc["document"]["filename"] == "tong-hop-cchc-2025-hai-phong.xlsx"
    assert [r[2] for r in _rows(doc["document"])[1:]] == ["xã Thái Tân"]
    assert_valid_html(unknown["text"])
    assert visible(unknown["text"]).startswith("Không có kế hoạch nào của «Hà Nội». Các tỉnh, thành phố")
    assert len(tg.sent(1001, method="sendDocument")) == 1  # no file for a place without plans


def test_the_console_saves_the_file(assistant, tmp_path):
    reply = to_plain(respond(ConsoleChat(assistant), "/tonghop An Giang", lambda: MAY_25, tmp_path))
    assert reply.startswith("Tổng hợp kế hoạch CCHC năm 2026 — tỉnh An Giang: 1 xã, phường")
    saved = tmp_path / "tong-hop-cchc-2026-an-giang.xlsx"
    assert f"Đã lưu tệp: {saved}" in reply
    assert openpyxl.load_workbook(saved)[TABLE_SHEET]["C2"].value == "phường Rạch Giá"
