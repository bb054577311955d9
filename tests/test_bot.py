"""The Telegram bot end to end: the real Application from build_application, polling a fake
Bot API server on 127.0.0.1, over a real Assistant (lexical index, built once)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from botkit import assert_valid_html, bot_settings, exchange, press, running, visible

from assistant.present.answers import NEXT_PASSAGES, TENTATIVE, answer_markdown, scope_label
from assistant.serve.assistant import Assistant
from assistant.telegram import replies
from assistant.telegram.app import build_application, file_url, telegram_commands
from assistant.telegram.html import split_html
from assistant.telegram.store import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RG_QUESTION = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
QUICK_QUESTION = "Báo cáo quý gửi khi nào?"
GROUP = -100200300
LONG_STEPS = (
    " ".join(
        f"Bước {i}: rà soát, số hóa hồ sơ nhóm A{i} & B{i} của Bộ phận một cửa, bảo đảm tỷ lệ số hóa >90%."
        for i in range(1, 61)
    )
    + " Tỷ lệ sai sót phải <1%."
)
SPECIAL_PLAN = f"""ỦY BAN NHÂN DÂN XÃ HÒA BÌNH

Số: 12/KH-UBND

Hòa Bình, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Cải cách hành chính xã Hòa Bình năm 2026

I. MỤC TIÊU

1. Tỷ lệ người dân hài lòng >95% & tỷ lệ hồ sơ giải quyết trễ hạn <2% trong năm 2026.

II. NHIỆM VỤ

1. Số hóa hồ sơ thủ tục hành chính

- Quy trình rà soát và số hóa hồ sơ của Bộ phận một cửa gồm các bước sau. {LONG_STEPS}

III. TỔ CHỨC THỰC HIỆN

1. Phòng Văn hóa – Xã hội

- Chủ trì theo dõi chỉ tiêu hài lòng >95% & trễ hạn <2%; tổng hợp báo cáo Ủy ban nhân dân xã.
"""


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def assistant(lexical_assistant) -> Assistant:
    return lexical_assistant


@pytest.fixture(scope="session")
def special(tmp_path_factory) -> Assistant:
    """An assistant over one plan whose text holds `<`, `>`, `&` and a 5,000-character passage."""
    folder = tmp_path_factory.mktemp("special")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "xa-hoa-binh-2026.txt").write_text(SPECIAL_PLAN, "utf-8")
    return Assistant.load(
        bot_settings(corpus_dir=folder / "corpus", index_dir=folder / "index", data_dir=folder / "data")
    )


@pytest.fixture
async def bot(settings, assistant):
    async with running(settings, assistant) as app:
        yield app


# ---------------------------------------------------------------------------- helpers
# ---------------------------------------------------------------------------- conversation
async def test_start_lists_plans_and_registers_commands(tg, bot, assistant):
    [reply] = await exchange(tg, "/start")
    assert reply["parse_mode"] == "HTML"
    for rec in assistant.library.plans:
        assert rec.plan.place in reply["text"] and rec.plan.period in reply["text"]
    for example in replies.EXAMPLES:
        assert html.escape(example, quote=False) in reply["text"]
    [call] = tg.sent(method="setMyCommands")
    assert call["commands"] == [c.to_dict() for c in telegram_commands()]


async def test_question_gets_bold_fact_and_quote(tg, bot, assistant):
    [reply] = await exchange(tg, RG_QUESTION)
    text = reply["text"]
    assert text.startswith("<b>Phòng Văn hóa – xã hội</b> chủ trì")
    quote = assistant.ask(RG_QUESTION).citations[0].quote
    assert f"<blockquote>{html.escape(quote, quote=False)}</blockquote>" in text
    assert "dòng 223" in text
    assert_valid_html(text)
    assert tg.sent(1001, method="sendChatAction")[0]["action"] == "typing"
    labels = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["📄 Nguyên văn", "🔎 Kết quả khác", "👍", "👎"]


async def test_source_and_alternatives_buttons(tg, bot, assistant):
    [reply] = await exchange(tg, RG_QUESTION)
    [source] = await press(tg, reply, "📄")
    answer = assistant.ask(RG_QUESTION)
    assert html.escape(answer.citations[0].quote, quote=False) in source["text"]
    [others] = await press(tg, reply, "🔎")
    for alt in answer.alternatives:
        assert html.escape(alt.quote[:100], quote=False) in others["text"]
    await tg.until(lambda: len(tg.sent(method="answerCallbackQuery")) == 2)


async def test_stale_button_says_ask_again(tg, bot):
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1001, "type": "private"},
        "from": tg.me,
        "text": "cũ",
    }
    tg.click(message, "src:gone1234")  # a key of the right shape the bot no longer has
    calls = await tg.until(lambda: tg.sent(method="answerCallbackQuery"))
    assert calls[0]["text"] == replies.STALE


async def test_unit_view_and_usage(tg, bot, assistant):
    parts = await exchange(tg, "/donvi Phòng VHXH")
    await tg.settle()
    parts = tg.sent(1001)
    assert len(parts) > 1, "the onboarding view of a busy unit needs several messages"
    for part in parts:
        assert_valid_html(part["text"])
    whole = visible("\n".join(p["text"] for p in parts))
    assert "Phòng Văn hóa – Xã hội" in whole and "Chủ trì (31 nhiệm vụ)" in whole
    assert "Kế hoạch Chuyển đổi số năm 2026" in whole
    [usage] = await exchange(tg, "/donvi")
    assert "Cách dùng" in usage["text"] and "Văn phòng HĐND và UBND" in usage["text"]
    [unknown] = await exchange(tg, "/donvi Phòng Không Có")
    assert "Không tìm thấy đơn vị «Phòng Không Có»" in unknown["text"]
    assert "Trung tâm Phục vụ hành chính công" in unknown["text"]


async def test_plans_and_help(tg, bot, assistant):
    [plans] = await exchange(tg, "/kehoach")
    rg = next(r for r in assistant.library.plans if r.plan.id == "phuong-rach-gia-2026")
    assert f"{len(rg.tasks)} nhiệm vụ · {len(rg.duties)} trách nhiệm" in plans["text"]
    [help_] = await exchange(tg, "/help")
    assert "/donvi &lt;tên đơn vị&gt;" in help_["text"]
    [unknown] = await exchange(tg, "/khongco")
    assert unknown["text"] == replies.UNKNOWN_COMMAND


async def test_invalid_question_is_sent_as_is(tg, bot, assistant):
    [reply] = await exchange(tg, "hello how are you")
    assert reply["text"] == html.escape(answer_markdown(assistant.ask("hello how are you")), quote=False)
    assert "reply_markup" not in reply


async def test_a_tentative_answer_is_shown_apart_from_a_confident_one(tg, bot, assistant, gold_questions):
    """A tentative answer is marked (❔, in italics, "Có thể là") and followed by the next two
    passages; a confident one carries neither."""
    answers = ((g["question"], assistant.ask(g["question"])) for g in gold_questions)
    question, answer = next(
        (q, a)
        for q, a in answers
        if a.found and a.confidence == "low" and len(split_html(replies.answer_html(a))) == 1
    )
    [reply] = await exchange(tg, question)  # one message
    text = reply["text"]
    assert_valid_html(text)
    assert text.startswith(f"❔ <i><b>{html.escape(TENTATIVE, quote=False)}</b>") or text.startswith(
        f"❔ <i>{html.escape(TENTATIVE, quote=False)}"
    )
    assert html.escape(NEXT_PASSAGES, quote=False) in text
    shown = answer.citations + answer.alternatives[:2]
    assert text.count("<blockquote>") == len(shown)
    for c in shown:
        assert html.escape(c.quote[:60], quote=False) in text
    labels = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert "👎" in labels
    [confident] = await exchange(tg, RG_QUESTION)
    assert not confident["text"].startswith("❔") and TENTATIVE not in confident["text"]
    assert NEXT_PASSAGES not in confident["text"]


async def test_not_found_lists_closest(tg, bot):
    [reply] = await exchange(tg, "Con mèo của xã Kỳ Lạc tên là gì?")
    assert "Không tìm thấy" in reply["text"] and "Các đoạn gần nhất" in reply["text"]
    assert reply["text"].count("<blockquote>") >= 1


# ---------------------------------------------------------------------------- groups, access
async def test_group_answers_only_when_addressed(tg, bot):
    tg.text(QUICK_QUESTION, chat_id=GROUP, chat_type="group")
    await tg.settle(quiet=0.5)
    assert tg.sent(GROUP) == []
    [mentioned] = await exchange(tg, f"@{tg.username} {QUICK_QUESTION}", chat_id=GROUP, chat_type="group")
    assert "<b>Báo cáo quý</b>" in mentioned["text"]
    assert mentioned["reply_parameters"]["message_id"] > 0
    [hoi] = await exchange(tg, f"/hoi@{tg.username} {RG_QUESTION}", chat_id=GROUP, chat_type="group")
    assert "<b>Phòng Văn hóa – xã hội</b>" in hoi["text"]
    [replied] = await exchange(
        tg, QUICK_QUESTION, chat_id=GROUP, chat_type="group", reply_to=tg.result_of(hoi)
    )
    assert "<b>Báo cáo quý</b>" in replied["text"]
    tg.text("@someone_else " + QUICK_QUESTION, chat_id=GROUP, chat_type="group")
    await tg.settle(quiet=0.5)
    assert len(tg.sent(GROUP)) == 3


async def test_chat_outside_allowed_list_is_refused_once(tg, settings, assistant):
    from dataclasses import replace

    async with running(
        replace(settings, telegram_allowed_chats=("1001",), telegram_admins=("9",)), assistant
    ) as app:
        assert app.bot_data.is_admin(9) and not app.bot_data.is_admin(1001)
        [refusal] = await exchange(tg, RG_QUESTION, chat_id=2002)
        assert refusal["text"] == replies.REFUSED
        tg.text("/kehoach", chat_id=2002)
        tg.text(RG_QUESTION, chat_id=2002)
        [answer] = await exchange(tg, RG_QUESTION, chat_id=1001)
        await tg.settle()
        assert len(tg.sent(2002)) == 1
        assert "Phòng Văn hóa" in answer["text"]


# ---------------------------------------------------------------------------- HTML
async def test_plan_text_is_escaped(tg, settings, special):
    async with running(settings, special):
        [reply] = await exchange(tg, "Ai chủ trì theo dõi chỉ tiêu hài lòng?")
    text = reply["text"]
    assert_valid_html(text)
    assert "hài lòng &gt;95% &amp; trễ hạn &lt;2%" in text
    assert "hài lòng >95% & trễ hạn <2%; tổng hợp báo cáo" in visible(text)


async def test_long_passage_is_cut_in_the_answer_and_split_behind_the_button(tg, settings, special):
    question = "Quy trình rà soát và số hóa hồ sơ của Bộ phận một cửa gồm những bước nào?"
    async with running(settings, special):
        [reply] = await exchange(tg, question)
        quote = re.search(r"<blockquote>(.*?)</blockquote>", reply["text"], re.S).group(1)
        assert quote.endswith("…") and len(html.unescape(quote)) <= 701
        parts = await press(tg, reply, "📄", count=2)
        await tg.settle()
    parts = tg.sent(1001)[1:]
    assert len(parts) >= 2
    for part in parts:
        assert_valid_html(part["text"])
    assert "Tỷ lệ sai sót phải <1%." in visible(parts[-1]["text"])
    assert re.sub(r"\s+", " ", visible(" ".join(p["text"] for p in parts))).count("Bước ") == 60


def test_split_html_keeps_every_part_valid():
    paragraphs = [f"<b>Mục {i}</b> nội dung &amp; chi tiết " + "chữ " * 150 for i in range(20)]
    paragraphs.insert(5, "<blockquote>" + "trích dẫn &lt;dài&gt; " * 600 + "</blockquote>")
    paragraphs.insert(9, "<i>" + "x" * 5000 + "</i>")
    text = "\n\n".join(paragraphs)
    parts = split_html(text)
    assert len(parts) > 3
    for part in parts:
        assert_valid_html(part)
    assert visible("".join(parts)).replace(" ", "").replace("\n", "") == visible(text).replace(
        " ", ""
    ).replace("\n", "")
    assert parts[0].endswith("chữ") and parts[1].startswith(("<b>Mục", "<blockquote>"))  # paragraph cut
    assert split_html("ngắn") == ["ngắn"]


def test_file_url_follows_base_url():
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"


# ---------------------------------------------------------------------------- robustness
async def test_keeps_answering_when_non_essential_calls_fail(tg, settings, assistant):
    tg.reject("setMyCommands", 400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    tg.reject("sendChatAction", 403, "Forbidden: bot can't initiate conversation")
    tg.reject("editMessageReplyMarkup", 400, "Bad Request: message can't be edited")
    async with running(settings, assistant):
        [reply] = await exchange(tg, RG_QUESTION)
        assert "Phòng Văn hóa" in reply["text"]
        await press(tg, reply, "👍", count=0)
        thanks = await tg.until(lambda: tg.sent(method="answerCallbackQuery"))
        assert thanks[0]["text"] == replies.THANKS[1]
        [second] = await exchange(tg, QUICK_QUESTION)
        assert "Báo cáo quý" in second["text"]
    assert not tg.calls_to("setMyCommands")[0].ok


async def test_error_handler_tells_the_user(tg, settings, assistant, monkeypatch):
    async with running(settings, assistant):
        monkeypatch.setattr(assistant, "ask", lambda q: 1 / 0)
        [reply] = await exchange(tg, QUICK_QUESTION)
    assert reply["text"] == replies.ERROR


async def test_feedback_survives_a_restart(tg, settings, assistant):
    async with running(settings, assistant):
        [reply] = await exchange(tg, RG_QUESTION)
        await press(tg, reply, "👍", count=0)
        await tg.until(lambda: tg.sent(method="editMessageReplyMarkup"))
    assert tg.sent(method="answerCallbackQuery")[0]["text"] == replies.THANKS[1]
    edited = tg.sent(method="editMessageReplyMarkup")[0]["reply_markup"]
    assert "👍 ✓" in [b["text"] for row in edited["inline_keyboard"] for b in row]
    async with running(settings, assistant) as app:
        [fb] = app.bot_data.store.feedback()
    assert (fb.chat_id, fb.user_id, fb.vote, fb.question) == (1001, 1001, 1, RG_QUESTION)
    assert fb.answer.startswith("**Phòng Văn hóa – xã hội** chủ trì") and fb.ts > 0
    assert SqliteStore(settings.data_dir).feedback() == [fb]


async def test_rate_limit_warns_once_then_ignores(tg, bot):
    for _ in range(21):
        tg.text(QUICK_QUESTION, chat_id=1001)
    await tg.until(lambda: len(tg.sent(1001)) >= 21)
    tg.text(QUICK_QUESTION, chat_id=1001)
    await tg.settle(quiet=0.5)
    texts = [p["text"] for p in tg.sent(1001)]
    assert len(texts) == 21
    assert texts.count(replies.SLOW_DOWN) == 1
    assert sum("Báo cáo quý" in t for t in texts) == 20
    [other] = await exchange(tg, QUICK_QUESTION, chat_id=1002)
    assert "Báo cáo quý" in other["text"]


async def test_other_chats_are_answered_while_one_question_is_slow(tg, bot, assistant, monkeypatch):
    release, real_ask = threading.Event(), assistant.ask
    monkeypatch.setattr(
        assistant,
        "ask",
        lambda q, *a, **kw: (release.wait(10) if "chậm" in q else None, real_ask(q, *a, **kw))[1],
    )
    tg.text("Báo cáo quý gửi khi nào, hỏi chậm?", chat_id=1001)
    [fast] = await exchange(tg, QUICK_QUESTION, chat_id=1002)
    assert "Báo cáo quý" in fast["text"] and not tg.sent(1001)
    release.set()
    await tg.until(lambda: tg.sent(1001))


async def test_post_init_loads_the_assistant_before_the_first_update(tg, settings, caplog):
    caplog.set_level("INFO")
    async with running(settings, None) as app:
        assert app.bot_data.loaded
        [reply] = await exchange(tg, "/kehoach")
    assert "phường Rạch Giá" in reply["text"]
    assert "loading the assistant" in caplog.text


def test_polling_by_default_webhook_when_its_url_is_set(settings, monkeypatch):
    from dataclasses import replace

    from telegram.ext import Application

    from assistant.telegram.app import run

    seen = {}
    monkeypatch.setattr(Application, "run_polling", lambda self, **kw: seen.update(polling=kw))
    monkeypatch.setattr(Application, "run_webhook", lambda self, **kw: seen.update(webhook=kw))
    run(settings)
    assert "polling" in seen and "webhook" not in seen
    run(replace(settings, telegram_webhook_url="https://bot.example.gov.vn/telegram/hook"), port=9443)
    hook = seen["webhook"]
    assert (hook["listen"], hook["port"], hook["url_path"]) == ("0.0.0.0", 9443, "telegram/hook")
    assert hook["webhook_url"] == "https://bot.example.gov.vn/telegram/hook"
    assert len(hook["secret_token"]) >= 32  # generated into the data folder, kept for restarts
    run(replace(settings, telegram_webhook_url="https://bot.example.gov.vn/telegram/hook"), port=9443)
    assert seen["webhook"]["secret_token"] == hook["secret_token"]
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        run(replace(settings, telegram_webhook_url="https://x.vn/h", telegram_webhook_secret="short"))


def test_bad_allowed_chat_id_is_named(settings):
    from dataclasses import replace

    with pytest.raises(ValueError, match="TELEGRAM_ALLOWED_CHATS: 'nhom-a'"):
        build_application(replace(settings, telegram_allowed_chats=("nhom-a",)))


# ---------------------------------------------------------------------------- bot.py
def _env(**kw) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ASSISTANT_"))}
    return (
        env
        | {
            "TELEGRAM_BOT_TOKEN": "",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
            "ASSISTANT_EMBEDDER": "none",
            "PYTHONPATH": str(ROOT),
        }
        | kw
    )


def test_bot_without_token_exits_2_with_botfather_hint(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        capture_output=True,
        text=True,
        env=_env(ASSISTANT_DATA_DIR=str(tmp_path)),
        timeout=60,
    )
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and "/newbot" in done.stderr
    assert "python bot.py --console" in done.stderr


def test_console_answers_piped_questions(assistant, lexical_index_dir, tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--console"],
        capture_output=True,
        text=True,
        input=f"{RG_QUESTION}\n\n/donvi\n{QUICK_QUESTION}\n",
        env=_env(ASSISTANT_INDEX_DIR=str(lexical_index_dir), ASSISTANT_DATA_DIR=str(tmp_path)),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Phòng Văn hóa – xã hội chủ trì" in out and "<b>" not in out
    assert "   │ 1 Kế hoạch Chuyển đổi số năm 2026" in out
    assert "Cách dùng: /donvi <tên đơn vị>" in out
    assert "Báo cáo quý gửi trước" in out


def test_the_console_s_first_start_shows_no_log_lines(tmp_path):
    """Building the index at the first start, the console prints its Vietnamese lines (one
    a stage, `tests/test_first_start.py`) and the answer: no library DEBUG or INFO lines."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--console"],
        capture_output=True,
        text=True,
        input=f"{RG_QUESTION}\n",
        env=_env(
            ASSISTANT_INDEX_DIR=str(tmp_path / "index"),
            ASSISTANT_DATA_DIR=str(tmp_path / "data"),
            ASSISTANT_EMBEDDER="none",
        ),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Phòng Văn hóa – xã hội chủ trì" in done.stdout
    assert not re.search(r"\b(?:DEBUG|INFO)\b", done.stderr), done.stderr
    assert "Kế hoạch 5/5 (xa-vinh-thinh-2026.txt): đang tách từ" in done.stderr
    assert "Đã xây dựng xong chỉ mục" in done.stderr


# ---------------------------------------------------------------------------- deadlines
JAN_20, JAN_24, MAY_15 = date(2026, 1, 20), date(2026, 1, 24), date(2026, 5, 15)
JAN_28, JAN_30 = date(2026, 1, 28), date(2026, 1, 30)


class Clock:
    """A frozen date the test can move."""

    def __init__(self, day: date):
        self.day = day

    def __call__(self) -> date:
        return self.day


async def test_deadlines_listed_by_date(tg, settings, assistant):
    async with running(settings, assistant, today=Clock(JAN_20)):
        [reply] = await exchange(tg, "/hanchot")
        [usage] = await exchange(tg, "/hanchot mười")
        [none] = await exchange(tg, "/hanchot 3")
    text = reply["text"]
    assert_valid_html(text)
    assert "<b>Hạn chót trong 30 ngày tới</b>" in text and "Từ 20/01/2026 đến 19/02/2026" in text
    every_plan = list(assistant.index.catalog)  # no commune chosen: every plan is looked at
    assert f"📍 {scope_label(every_plan)}" in visible(text)
    assert "📅 <b>Thứ Bảy, 31/01/2026 (còn 11 ngày)</b>" in text
    assert (
        "Kế hoạch Chuyển đổi số năm 2026\n   <i>phường Rạch Giá · chủ trì: Phòng Văn hóa – xã hội</i>" in text
    )
    assert "Cách dùng" in usage["text"]
    assert f"Không có hạn chót nào trong 3 ngày tới ở {len(every_plan)} kế hoạch." in none["text"]


async def test_digest_subscription_sends_once_on_due_days_and_survives_restart(tg, settings, assistant):
    clock = Clock(JAN_24)
    async with running(settings, assistant, today=clock) as app:
        [ok] = await exchange(tg, "/nhacviec on Văn phòng HĐND và UBND")
        assert "Đã bật nhắc việc" in ok["text"] and "Văn phòng HĐND và UBND" in ok["text"]
        [job] = app.job_queue.get_jobs_by_name("digests")
        [listed] = await exchange(tg, "/hanchot 10")  # the chat's unit now filters /hanchot
        assert "— Văn phòng HĐND và UBND" in listed["text"] and "Kế hoạch Chuyển đổi số" not in listed["text"]
        before = len(tg.sent(1001))
        await job.run(app)
        await tg.settle(quiet=0.2)
        [digest] = tg.sent(1001)[before:]
        assert digest["text"].startswith("⏰ <b>Nhắc việc ngày 24/01/2026</b> — Văn phòng HĐND và UBND")
        assert "31/01/2026 (còn 7 ngày)" in digest["text"] and "Kế hoạch Chuyển đổi số" not in digest["text"]
        clock.day = MAY_15
        await job.run(app)
        await tg.settle(quiet=0.2)
        assert len(tg.sent(1001)) == before + 1, "nothing is sent on a day with nothing due"
    async with running(settings, assistant, today=clock) as app:
        [job] = app.job_queue.get_jobs_by_name("digests")
        local = job.next_t.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
        assert (local.hour, local.minute) == (7, 30)
        clock.day = JAN_24
        await job.run(app)  # a restart at 07:30: that day's digest went out already
        clock.day = JAN_28
        await job.run(app)
        await tg.until(lambda: len(tg.sent(1001)) == before + 2)
        assert "31/01/2026 (còn 3 ngày)" in tg.sent(1001)[-1]["text"]
        [off] = await exchange(tg, "/nhacviec off")
        assert off["text"] == "Đã tắt nhắc việc."
        clock.day = JAN_30
        await job.run(app)
        await tg.settle(quiet=0.2)
    assert len(tg.sent(1001)) == before + 3  # the digests and the reply to /nhacviec off
    assert SqliteStore(settings.data_dir).subscriptions() == []


async def test_calendar_file(tg, settings, assistant):
    async with running(settings, assistant, today=Clock(JAN_20)):
        tg.text("/lich Phòng Văn hóa – Xã hội")
        [doc] = await tg.until(lambda: tg.sent(1001, method="sendDocument"))
    assert doc["document"]["filename"] == "han-chot-cchc-phong-van-hoa-xa-hoi.ics"
    events = icalendar.Calendar.from_ical(doc["document"]["content"]).walk("VEVENT")
    assert events and f"Lịch {len(events)} hạn chót của Phòng Văn hóa – Xã hội" in doc["caption"]
    assert all(e.decoded("dtstart") >= JAN_20 for e in events)
