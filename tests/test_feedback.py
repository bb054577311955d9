"""Feedback that teaches: a 👎 asks what was wrong, the reason is stored with the answer's
intent and plan files, and `python -m assistant feedback --export` turns every 👎 into a
gold-question line for an editor. The bot runs end to end against the fake Bot API server."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime

import pytest
from botkit import button, exchange, press, running
from helpers import FIRST_RELEASE

from assistant.cli.main import main
from assistant.present.feedback import REASONS, TO_FILL, gold_lines
from assistant.telegram import replies
from assistant.telegram.store import STORE_NAME, Feedback, SqliteStore, open_store

RG_QUESTION = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
RG_FILE = "phuong-rach-gia-2026.txt"
FIRST_ROW = ["📄 Nguyên văn", "🔎 Kết quả khác"]
REASON_LABELS = ["Sai đơn vị", "Sai thời hạn", "Không đúng câu hỏi", "Thiếu thông tin"]


def labels(markup: dict) -> list[str]:
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def calls(tg, method: str, count: int) -> list[dict]:
    """The first `count` successful `method` calls, once they have all arrived."""
    await tg.until(lambda: len(tg.sent(method=method)) >= count)
    return tg.sent(method=method)[:count]


async def edits(tg, count: int) -> list[dict]:
    return await calls(tg, "editMessageReplyMarkup", count)


def export(monkeypatch, data_dir, target, database_url: str = "") -> int:
    """The CLI's export, reading the store in `data_dir`, or at `database_url` (as the bot's
    Settings would)."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", database_url)
    return main(["feedback", "--export", str(target)])


def read_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# ---------------------------------------------------------------------------- the bot
async def test_down_vote_asks_why_stores_the_reason_and_exports_it(
    tg, settings, lexical_assistant, tmp_path, monkeypatch, capsys, database_url
):
    """Also with the store in PostgreSQL: the bot and the export open the one it names."""
    settings = dataclasses.replace(settings, database_url=database_url)
    answer = lexical_assistant.ask(RG_QUESTION)
    assert answer.found and answer.citations[0].doc == RG_FILE
    async with running(settings, lexical_assistant):
        [reply] = await exchange(tg, RG_QUESTION)
        assert labels(reply["reply_markup"]) == [*FIRST_ROW, "👍", "👎"]
        await press(tg, reply, "👎", count=0)
        [asked] = await edits(tg, 1)
        assert labels(asked["reply_markup"]) == [*FIRST_ROW, "👍", "👎 ✓", *REASON_LABELS]
        assert (await calls(tg, "answerCallbackQuery", 1))[0]["text"] == replies.THANKS[-1]
        await press(tg, asked, "Sai thời hạn", count=0)  # checks callback_data fits in 64 bytes
        _, chosen = await edits(tg, 2)
        thanks = (await calls(tg, "answerCallbackQuery", 2))[1]
    assert thanks["text"] == replies.reason_thanks("date") and "sai thời hạn" in thanks["text"]
    assert labels(chosen["reply_markup"])[3:] == [
        "👎 ✓",
        "Sai đơn vị",
        "✓ Sai thời hạn",
        "Không đúng câu hỏi",
        "Thiếu thông tin",
    ]

    with open_store(settings) as store:
        [fb] = store.feedback()
    assert (fb.vote, fb.reason, fb.question, fb.chat_id, fb.user_id) == (-1, "date", RG_QUESTION, 1001, 1001)
    assert fb.intent == answer.intent == "lead_unit"
    assert fb.docs[0] == RG_FILE
    assert fb.answer.startswith("**Phòng Văn hóa – xã hội** chủ trì")

    out = tmp_path / "feedback.jsonl"
    assert export(monkeypatch, settings.data_dir, out, database_url) == 0
    assert capsys.readouterr().out.startswith("Đã ghi 1 phản hồi 👎")
    [line] = read_lines(out)
    assert line["id"] == "fb-0001" and line["doc"] == RG_FILE and line["question"] == RG_QUESTION
    assert line["intent"] == "lead_unit" and line["reason"] == "sai thời hạn"
    assert (line["must_contain"], line["evidence"]) == ([], "")
    assert line["to_fill"] == ["must_contain", "evidence"]
    assert line["bot_answer"] == fb.answer
    assert datetime.fromisoformat(line["asked_at"]).timestamp() == pytest.approx(fb.ts, abs=1)
    assert datetime.fromisoformat(line["asked_at"]).utcoffset().total_seconds() == 7 * 3600


async def test_reason_survives_a_second_down_and_a_thumbs_up_clears_it(
    tg, settings, lexical_assistant, tmp_path, monkeypatch, capsys
):
    async with running(settings, lexical_assistant):
        [reply] = await exchange(tg, RG_QUESTION)
        await press(tg, reply, "👎", count=0)
        [asked] = await edits(tg, 1)
        [first] = SqliteStore(settings.data_dir).feedback()
        await press(tg, asked, "Sai đơn vị", count=0)
        await edits(tg, 2)
        await press(tg, reply, "👎", count=0)  # again, from the message as first sent
        _, _, again = await edits(tg, 3)
        assert "✓ Sai đơn vị" in labels(again["reply_markup"])
        assert [f.reason for f in SqliteStore(settings.data_dir).feedback()] == ["unit"]
        await press(tg, reply, "👍", count=0)
        *_, up = await edits(tg, 4)
    assert labels(up["reply_markup"]) == [*FIRST_ROW, "👍 ✓", "👎"]
    [fb] = SqliteStore(settings.data_dir).feedback()
    assert (fb.vote, fb.reason, fb.ts) == (1, "", first.ts)  # the first vote's time is kept

    out = tmp_path / "none.jsonl"
    assert export(monkeypatch, settings.data_dir, out) == 0
    assert out.read_text("utf-8") == ""
    assert "Chưa có phản hồi 👎 nào" in capsys.readouterr().out


async def test_another_member_giving_a_reason_casts_their_own_down_vote(tg, settings, lexical_assistant):
    group, asker, other = -100200300, 41, 42
    async with running(settings, lexical_assistant) as app:
        mention = f"@{tg.username} {RG_QUESTION}"
        [reply] = await exchange(tg, mention, chat_id=group, user_id=asker, chat_type="group")
        tg.click(tg.result_of(reply), button(reply, "👎"), user_id=asker)
        [asked] = await edits(tg, 1)
        tg.click(tg.result_of(asked), button(asked, "Thiếu thông tin"), user_id=other)
        await edits(tg, 2)
        rows = app.bot_data.store.feedback()
    assert sorted((f.user_id, f.chat_id, f.vote, f.reason) for f in rows) == [
        (asker, group, -1, ""),
        (other, group, -1, "missing"),
    ]


async def test_stale_reason_press_is_refused(tg, settings, lexical_assistant):
    """A reason pressed under an answer the bot no longer holds (it restarted since)."""
    async with running(settings, lexical_assistant):
        [reply] = await exchange(tg, RG_QUESTION)
        await press(tg, reply, "👎", count=0)
        [asked] = await edits(tg, 1)
        await calls(tg, "answerCallbackQuery", 1)
    async with running(settings, lexical_assistant) as app:
        tg.click(tg.result_of(asked), button(asked, "Sai đơn vị"))
        _, alert = await calls(tg, "answerCallbackQuery", 2)
        await tg.settle()
        [fb] = app.bot_data.store.feedback()
    assert alert["text"] == replies.STALE and alert["show_alert"] in (True, "true")
    assert (fb.vote, fb.reason) == (-1, "")
    assert len(tg.sent(method="editMessageReplyMarkup")) == 1


# ---------------------------------------------------------------------------- the store
def test_store_of_the_old_schema_is_migrated_and_exported(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / STORE_NAME) as db:
        db.executescript(FIRST_RELEASE)
        db.execute(
            "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?)",
            ("old1", 5, 5, -1, "Báo cáo quý gửi khi nào?", "**ngày 15**", 1767225600.0),
        )
        db.execute("INSERT INTO subscriptions VALUES (5, 'Văn phòng', 1, 1767225600.0)")
    db.close()

    store = SqliteStore(data)
    assert store.recovered is None
    [old] = store.feedback()
    assert old == Feedback("old1", 5, 5, -1, "Báo cáo quý gửi khi nào?", "**ngày 15**", 1767225600.0)
    assert (old.reason, old.intent, old.docs) == ("", "", ())
    assert store.subscriptions() == [(5, "Văn phòng")]
    new = store.add_feedback(
        Feedback("new1", 6, 6, -1, "Ai chủ trì?", "**UBND**", 1767312000.0, "unit", "lead_unit", (RG_FILE,))
    )
    assert (new.reason, new.intent, new.docs) == ("unit", "lead_unit", (RG_FILE,))
    assert SqliteStore(data).feedback() == [old, new]  # opening a migrated store again changes nothing

    out = tmp_path / "out.jsonl"
    assert export(monkeypatch, data, out) == 0
    first, second = read_lines(out)
    assert (first["id"], first["doc"], first["reason"], first["intent"]) == ("fb-0001", "", "", "")
    assert first["asked_at"] == "2026-01-01T07:00:00+07:00"
    assert (second["id"], second["doc"], second["reason"]) == ("fb-0002", RG_FILE, "sai đơn vị")
    assert "Đã ghi 2 phản hồi 👎" in capsys.readouterr().out


# ---------------------------------------------------------------------------- the export
def test_gold_lines_keep_only_down_votes_oldest_first():
    rows = [
        Feedback("b", 2, 2, -1, "q2", "a2", 200.0, "", "deadline", ("x.txt", "y.txt")),
        Feedback("u", 1, 1, 1, "q0", "a0", 50.0, "", "target", ("x.txt",)),
        Feedback("a", 1, 1, -1, "q1", "a1", 100.0, "question", "general", ()),
    ]
    lines = gold_lines(rows)
    assert [(g["id"], g["question"], g["doc"], g["reason"]) for g in lines] == [
        ("fb-0001", "q1", "", "không đúng câu hỏi"),
        ("fb-0002", "q2", "x.txt", ""),
    ]
    assert lines[1]["docs"] == ["x.txt", "y.txt"] and lines[1]["intent"] == "deadline"
    for g in lines:
        assert all(not g[name] for name in TO_FILL) and g["to_fill"] == list(TO_FILL)
    assert set(REASONS) == {"unit", "date", "question", "missing"}


def test_export_without_a_store_writes_an_empty_file_and_creates_no_store(tmp_path, monkeypatch, capsys):
    out = tmp_path / "empty.jsonl"
    assert export(monkeypatch, tmp_path / "data", out) == 0
    assert out.is_file() and out.read_text("utf-8") == ""
    assert not (tmp_path / "data" / STORE_NAME).exists()
    assert "Chưa có phản hồi 👎 nào" in capsys.readouterr().out


def test_export_to_standard_output(tmp_path, monkeypatch, capsys):
    SqliteStore(tmp_path).add_feedback(Feedback("a", 1, 1, -1, "Hạn báo cáo năm?", "**15/12**", 0.0, "date"))
    assert export(monkeypatch, tmp_path, "-") == 0
    out, err = capsys.readouterr()
    [line] = [json.loads(x) for x in out.splitlines()]
    assert line["question"] == "Hạn báo cáo năm?" and line["reason"] == "sai thời hạn"
    assert err.startswith("Đã ghi 1 phản hồi 👎")
