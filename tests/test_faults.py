"""Fault injection: forged webhook updates, a failing or garbled store, strangers in
groups, floods of commands and buttons, edited commands. Each case is played through the
real application and the fake Bot API server (or the real `bot.py`), and the outcome is
asserted. Run alone with `python -m pytest -m faults`."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from botkit import button, exchange, press, running, visible
from helpers import ROOT

from assistant.serve.assistant import Assistant
from assistant.settings import Settings
from assistant.telegram import replies
from assistant.telegram.ratelimit import RateLimiter
from assistant.telegram.store import SqliteStore

pytestmark = pytest.mark.faults
QUESTION = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
ALLOWED, STRANGER, ADMIN, GROUP = 1001, 2002, 9, -100500600


@pytest.fixture(scope="session")
def assistant(lexical_assistant) -> Assistant:
    return lexical_assistant


@pytest.fixture
def settings(settings) -> Settings:
    """The bot's settings with one allowed chat and one admin."""
    return replace(settings, telegram_allowed_chats=(str(ALLOWED),), telegram_admins=(str(ADMIN),))


def _garble(path: Path) -> None:
    path.write_bytes(b"\x00\xffnot a database\xff\x00" * 512)


# ---------------------------------------------------------------------------- webhook
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, seconds: float = 20.0) -> None:
    """Until the webhook server accepts connections (it may register before it listens)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_webhook_refuses_updates_without_its_secret(tg, tmp_path, lexical_index_dir, assistant):
    """The real `python bot.py` in webhook mode: a forged POST (no secret, a wrong one) is
    refused with 403 and never handled; Telegram's own POST, with the secret, is answered."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ASSISTANT_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "PORT": str(port),
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "ASSISTANT_EMBEDDER": "none",
        "ASSISTANT_INDEX_DIR": str(lexical_index_dir),
        "ASSISTANT_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    bot = subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not tg.calls_to("setWebhook") and time.monotonic() < deadline and bot.poll() is None:
            time.sleep(0.1)
        [hook] = tg.calls_to("setWebhook")
        secret = hook.params["secret_token"]
        assert len(secret) >= 32 and (tmp_path / "webhook_secret").read_text().strip() == secret
        _wait_listening(port)
        url = f"http://127.0.0.1:{port}/hook"
        forged = {"update_id": 1, "message": tg.text_message(QUESTION, chat_id=4444)}
        assert _post(url, forged, None) == 403
        assert _post(url, forged | {"update_id": 2}, "guessed-" + secret[8:]) == 403
        assert _post(url, {"update_id": 3, "message": tg.text_message(QUESTION, chat_id=5555)}, secret) == 200
        deadline = time.monotonic() + 30
        while not tg.sent(5555) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Phòng Văn hóa" in tg.sent(5555)[0]["text"]
        assert tg.sent(4444) == []
    finally:
        bot.terminate()
        _, err = bot.communicate(timeout=30)
    assert err.count(secret) == 1, "the generated secret is shown once, then never logged"


# ---------------------------------------------------------------------------- access gate
async def test_a_stranger_gets_nothing_while_the_store_is_garbled(tg, settings, assistant):
    async with running(settings, assistant):
        _garble(settings.data_dir / "bot.sqlite3")  # the gate's refusal bookkeeping now raises
        tg.text(QUESTION, chat_id=STRANGER)
        tg.click(tg.text_message("một câu trả lời cũ", chat_id=STRANGER), "src:abc")
        [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
        await tg.settle()
    assert "Phòng Văn hóa" in answer["text"]
    assert tg.sent(STRANGER) == []
    assert all(c.params.get("show_alert") for c in tg.calls_to("answerCallbackQuery"))


async def test_a_stranger_gets_nothing_while_the_store_is_locked_and_others_are_not_held_up(
    tg, settings, assistant
):
    async with running(settings, assistant):
        locker = sqlite3.connect(settings.data_dir / "bot.sqlite3", timeout=0)
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the store
        try:
            tg.text(QUESTION, chat_id=STRANGER)
            started = time.monotonic()
            [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
            waited = time.monotonic() - started
            await asyncio.sleep(11)  # past the store's 10 s timeout: the refusal cannot be recorded
        finally:
            locker.rollback()
            locker.close()
        await tg.settle()
    assert "Phòng Văn hóa" in answer["text"] and waited < 8  # not behind the stranger's 10 s wait
    assert tg.sent(STRANGER) == []


async def test_a_group_not_allowed_gets_nothing_even_from_an_allowed_user_or_an_admin(
    tg, settings, assistant
):
    async with running(settings, assistant):
        for user in (ALLOWED, ADMIN):
            tg.text("/nhacviec on", chat_id=GROUP, user_id=user, chat_type="group")
            tg.text(f"@{tg.username} {QUESTION}", chat_id=GROUP, user_id=user, chat_type="group")
        [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
        await tg.settle()
    assert "Phòng Văn hóa" in answer["text"]
    assert [m["text"] for m in tg.sent(GROUP)] == [replies.REFUSED]  # one refusal, nothing else
    assert SqliteStore(settings.data_dir).subscriptions() == []


async def test_a_garbled_store_does_not_stop_the_bot_and_the_admins_are_told(tg, settings, assistant):
    settings.data_dir.mkdir(parents=True)
    _garble(settings.data_dir / "bot.sqlite3")
    async with running(settings, assistant):
        await tg.until(lambda: tg.sent(ADMIN))
        [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
    assert "Tệp dữ liệu của bot bị hỏng" in tg.sent(ADMIN)[0]["text"]
    assert str(settings.data_dir) not in tg.sent(ADMIN)[0]["text"]
    assert "Phòng Văn hóa" in answer["text"]
    assert [p.name.startswith("bot.sqlite3.corrupt-") for p in settings.data_dir.iterdir()].count(True) == 1


# ---------------------------------------------------------------------------- floods and edits
async def test_commands_and_buttons_share_one_rate_limit_per_chat_and_user(tg, settings, assistant):
    async with running(settings, assistant) as app:
        app.bot_data.limiter = RateLimiter(limit=3, window=60.0)
        [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
        for _ in range(4):
            tg.text("/kehoach", chat_id=ALLOWED)
        await tg.until(lambda: any(m["text"] == replies.SLOW_DOWN for m in tg.sent(ALLOWED)))
        tg.click(tg.result_of(tg.calls_to("sendMessage")[0].params), "src:whatever")
        tg.text("/lich", chat_id=ALLOWED)
        await tg.settle()
    texts = [m["text"] for m in tg.sent(ALLOWED)]
    assert texts.count(replies.SLOW_DOWN) == 1  # warned once, then silent
    assert len(texts) == 1 + 2 + 1  # the answer, two /kehoach, the warning
    assert tg.sent(ALLOWED, method="sendDocument") == []  # /lich dropped too
    assert "Phòng Văn hóa" in answer["text"]


async def test_a_message_edited_into_a_command_is_ignored(tg, settings, assistant, caplog):
    async with running(settings, assistant):
        for command in ("/hoi " + QUESTION, "/donvi Phòng Văn hóa", "/xoakehoach", "/lich"):
            tg.text(command, chat_id=ADMIN, edited=True)
        [answer] = await exchange(tg, "/kehoach", chat_id=ADMIN)
        await tg.settle()
    assert len(tg.sent(ADMIN)) == 1 and "phường Rạch Giá" in answer["text"]
    assert "error while handling" not in caplog.text


# ---------------------------------------------------------------------------- button presses
MALFORMED = ("del:ok:a:b", "add:no:x:y:z", "pick:x", "pick:9:", "zzz", "src", "up:", "home:../..", "del:pick")


def answered(tg, queries: list[dict]) -> list[int]:
    """How many times each press was answered (answerCallbackQuery), in order."""
    ids = [c["callback_query_id"] for c in tg.sent(method="answerCallbackQuery")]
    return [ids.count(q["id"]) for q in queries]


async def test_every_press_with_malformed_data_is_answered_once_and_raises_nothing(
    tg, settings, assistant, caplog
):
    async with running(settings, assistant):
        [message] = await exchange(tg, "/kehoach", chat_id=ADMIN)
        queries = [tg.click(tg.result_of(message), data, user_id=ADMIN) for data in MALFORMED]
        await tg.until(lambda: all(answered(tg, queries)))
        await tg.settle()
    assert answered(tg, queries) == [1] * len(MALFORMED)
    notes = {c["text"] for c in tg.sent(method="answerCallbackQuery")}
    assert notes == {replies.INVALID_BUTTON}
    assert len(tg.sent(ADMIN)) == 1 and "error while handling" not in caplog.text


async def test_a_press_without_a_message_is_answered_and_raises_nothing(tg, settings, assistant, caplog):
    async with running(settings, assistant):
        [reply] = await exchange(tg, QUESTION, chat_id=ALLOWED)
        key = next(b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row)
        queries = [tg.click_inline("AgAAAInline1", data, user_id=ALLOWED) for data in (key, "up:abc")]
        await tg.until(lambda: all(answered(tg, queries)))
        await tg.settle()
    assert answered(tg, queries) == [1, 1] and "error while handling" not in caplog.text
    assert len(tg.sent(ALLOWED)) == 1


async def test_a_buttons_key_works_only_in_the_chat_it_was_sent_to(tg, settings, assistant):
    async with running(settings, assistant):
        [reply] = await exchange(tg, QUESTION, chat_id=ALLOWED)
        sources = button(reply, "📄")
        [other] = await exchange(tg, "/kehoach", chat_id=ADMIN)
        [query] = [tg.click(tg.result_of(other), sources, user_id=ADMIN)]
        await tg.until(lambda: all(answered(tg, [query])))
        await tg.settle()
        assert len(tg.sent(ADMIN)) == 1, "no sources shown in another chat"
        [note] = tg.sent(method="answerCallbackQuery")
        assert note["text"] == replies.STALE
        [quote] = await press(tg, reply, "📄")  # in its own chat it works
    assert "Phòng Văn hóa" in visible(quote["text"])


# ---------------------------------------------------------------------------- reminders and long arguments
LONG_UNIT = " ".join(f"Tổ công tác số {i}" for i in range(250))  # 4,639 characters, no known unit


async def test_turning_reminders_on_waits_for_a_locked_store_without_holding_other_chats_up(
    tg, settings, assistant
):
    async with running(settings, assistant) as app:
        app.bot_data.store.quick_wait = 0.2  # a question does without its context sooner
        locker = sqlite3.connect(settings.data_dir / "bot.sqlite3", timeout=0)
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the store
        try:
            tg.text("/nhacviec on", chat_id=ADMIN)
            await asyncio.sleep(0.3)
            started = time.monotonic()
            [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
            waited = time.monotonic() - started
        finally:
            locker.rollback()
            locker.close()
        [on] = await tg.until(lambda: tg.sent(ADMIN))
    assert "Phòng Văn hóa" in answer["text"] and waited < 5  # not behind the store's 10 s wait
    assert "Đã bật nhắc việc" in on["text"]
    assert SqliteStore(settings.data_dir).subscriptions() == [(ADMIN, None)]


async def test_a_unit_too_long_to_keep_is_refused_and_nothing_stored(tg, settings, assistant):
    async with running(settings, assistant) as app:
        [refused] = await exchange(tg, "/nhacviec on " + LONG_UNIT, chat_id=ALLOWED)
        assert not app.job_queue.get_jobs_by_name(f"digest:{ALLOWED}")
    assert "quá dài" in refused["text"] and len(refused["text"]) < 600
    assert SqliteStore(settings.data_dir).subscriptions() == []


async def test_a_calendar_for_a_long_unit_keeps_telegrams_caption_and_a_short_file_name(
    tg, settings, assistant
):
    async with running(settings, assistant):
        tg.text("/lich " + LONG_UNIT, chat_id=ALLOWED)
        [doc] = await tg.until(lambda: tg.sent(ALLOWED, method="sendDocument"))
    name = doc["document"]["filename"]
    assert name.startswith("han-chot-cchc-to-cong-tac-so-0-to-cong") and name.endswith(".ics")
    assert len(name) <= 64 + len(".ics")
    caption = visible(doc["caption"])
    assert len(caption) <= 1024 and "của Tổ công tác số 0 Tổ công tác số 1" in caption and "…" in caption


# ---------------------------------------------------------------------------- ask --jsonl
def test_every_jsonl_line_gets_an_output_line_whatever_it_holds(lexical_index_dir, tmp_path):
    lines = [
        json.dumps({"id": "a", "question": QUESTION}, ensure_ascii=False).encode(),
        b'{"id": "b", "question": 42}',
        b"",
        b'{"id": "c", "question": "\\ud800 b\\u00e1o c\\u00e1o qu\\u00fd"}',
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'{"id": "d", "question": "B\xc3\xa1o c\xc3\xa1o qu\xc3\xbd?"}',
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {
        "ASSISTANT_EMBEDDER": "none",
        "ASSISTANT_INDEX_DIR": str(lexical_index_dir),
        "ASSISTANT_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--jsonl"],
        cwd=ROOT,
        env=env,
        timeout=120,
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    assert [o.get("id") for o in out] == ["a", "b", None, "c", None, None, None, "d"]
    assert out[0]["found"] and out[-1]["found"] and "Phòng Văn hóa" in out[0]["answer"]
    assert [bool(o.get("error")) for o in out] == [False, True, True, False, True, True, True, False]
    assert "answer" in out[3]  # the lone surrogate is replaced, the question still answered


# ---------------------------------------------------------------------------- upload names
@pytest.mark.parametrize(
    "raw, safe",
    [
        ("../../etc/passwd", "passwd"),
        ("a\x00b.txt", "ab.txt"),
        ("ke hoach\nxa.docx", "ke hoach xa.docx"),
        ("\u202egpj.exe.txt", "gpj.exe.txt"),
        ("Kế hoạch xã Thạnh An 2026.docx", "Kế hoạch xã Thạnh An 2026.docx"),
        ("C:\\Users\\x\\kh (ban cuối).pdf", "kh (ban cuối).pdf"),
        (".env", "env"),
        ("...", None),
        ("kh;rm -rf $HOME|.txt", "kh-rm -rf -HOME-.txt"),
    ],
)
def test_upload_names_are_made_safe(raw, safe):
    from assistant.telegram.admin_replies import file_name

    assert file_name(raw) == safe


def test_a_long_upload_name_keeps_its_extension_within_120_bytes():
    from assistant.telegram.admin_replies import MAX_NAME_BYTES, file_name

    name = file_name("kế hoạch " * 40 + ".docx")
    assert name.endswith(".docx") and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    cut = file_name("tệp" * 60 + ".pdf")  # cut between characters, never inside one
    assert cut.endswith(".pdf") and 115 <= len(cut.encode("utf-8")) <= MAX_NAME_BYTES and "\ufffd" not in cut


# ---------------------------------------------------------------------------- hostile files
MEASURE = """
import json, resource, sys, time
from pathlib import Path
from assistant.present.errors import read_problem
from assistant.read.load import UnreadableFile, read_document
started = time.perf_counter()
try:
    read_document(Path(sys.argv[1]))
    reason = None
except UnreadableFile as exc:
    reason = read_problem(exc.problem, exc.params)
# this process's own peak (VmHWM: ru_maxrss would keep the forking test process's), its children's
own = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
rss = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"reason": reason, "seconds": time.perf_counter() - started, "rss_mb": rss}))
"""


def _fresh_python(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter (no test process memory or heap around it); the
    JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _read_measured(path: Path) -> dict:
    """Read one file in a fresh process: the refusal, the time, the peak memory (MB)."""
    return _fresh_python(MEASURE, str(path))


@pytest.mark.parametrize(
    "make, expected",
    [
        ("docx_bomb", "quá lớn khi giải nén"),  # a 2 GiB image part
        ("pdf_bomb", "quá nhiều bộ nhớ"),  # a 1.5 GiB content stream
        ("many_pages_pdf", "quá nhiều trang"),  # 2,000 pages
    ],
)
@pytest.mark.slow
def test_hostile_documents_are_refused_quickly_in_bounded_memory(tmp_path, make, expected):
    import bombs

    suffix = ".docx" if make == "docx_bomb" else ".pdf"
    path = tmp_path / f"ke-hoach{suffix}"
    getattr(bombs, make)(path, *((2000,) if make == "many_pages_pdf" else ()))
    assert path.stat().st_size < 3 * 1024 * 1024
    result = _read_measured(path)
    assert result["reason"] and expected in result["reason"], result
    assert result["seconds"] < 5 and result["rss_mb"] < 300, result


def test_an_overlong_plan_is_refused_with_its_length(tmp_path):
    from assistant.present.errors import read_problem
    from assistant.read.load import MAX_CHARS, UnreadableFile, read_document

    path = tmp_path / "dai.txt"
    path.write_text("Kế hoạch. " * (MAX_CHARS // 10 + 1), "utf-8")
    with pytest.raises(UnreadableFile) as exc:
        read_document(path, max_bytes=100 * 1024 * 1024)
    assert exc.value.problem == "too_long" and exc.value.params["chars"] > MAX_CHARS
    assert read_problem(exc.value.problem, exc.value.params).startswith("tệp quá dài (2.000.010 ký tự")


@pytest.mark.slow
def test_a_binary_plan_is_converted_once_and_read_from_the_cache(tmp_path):
    from planfiles import make_docx, rach_gia_parts

    from assistant.read.load import read_document

    path, cache = make_docx(tmp_path / "phuong-rach-gia-2026.docx", rach_gia_parts()), tmp_path / "converted"
    first = read_document(path, cache=cache)
    [cached] = cache.iterdir()
    assert cached.read_text("utf-8") == first.text and "Rạch Giá" in first.text
    cached.write_text(first.text + "\nDÒNG CHỈ CÓ TRONG BẢN LƯU", "utf-8")  # the next read takes this copy
    assert read_document(path, cache=cache).text.endswith("DÒNG CHỈ CÓ TRONG BẢN LƯU")
    path.write_bytes(path.read_bytes() + b"\0")  # another file: converted again, not the stale copy
    assert not read_document(path, cache=cache).text.endswith("BẢN LƯU") and len(list(cache.iterdir())) == 2


PARSE_TIMES = """
import json, sys, time
from pathlib import Path
from assistant.read.load import SourceDoc
from assistant.parse.plan import parse_plan
out = {}
for item in (False, True):
    for n in (4000, 16000):
        line = "dòng thứ {} của một đoạn văn rất dài không có dấu chấm câu ở cuối"
        text = "KẾ HOẠCH\\n" + "\\n".join(("- " if item else "") + line.format(i) for i in range(n))
        started = time.perf_counter()
        parse_plan(SourceDoc("x.txt", Path("x.txt"), text))
        out[f"{'items' if item else 'prose'} {n}"] = time.perf_counter() - started
print(json.dumps(out))
"""


@pytest.mark.slow
def test_prose_parsing_is_linear_in_the_number_of_lines():
    """16,000 wrapped lines without a full stop (one endless paragraph), and 16,000 items,
    parsed in a fresh process: under 2 s, and four times the lines take about four times
    as long (a quadratic parser took 84 s)."""
    t = _fresh_python(PARSE_TIMES)
    for kind in ("prose", "items"):
        small, large = t[f"{kind} 4000"], t[f"{kind} 16000"]
        assert large < 2.0 and large < 8 * small + 0.2, t


# ---------------------------------------------------------------------------- failed sends
async def test_an_answer_survives_a_flood_wait_and_a_dropped_connection(tg, settings, assistant):
    tg.fail_next(
        "sendMessage",
        (429, "Too Many Requests: retry after 1", {"retry_after": 1}),
        (502, "Bad Gateway", None),
    )
    async with running(settings, assistant):
        [answer] = await exchange(tg, QUESTION, chat_id=ALLOWED)
    assert "Phòng Văn hóa" in answer["text"]
    assert [c.ok for c in tg.calls_to("sendMessage")] == [False, False, True]


async def test_a_bad_request_is_not_sent_again(tg, settings, assistant):
    tg.fail_next("sendMessage", (400, "Bad Request: chat not found", None))
    async with running(settings, assistant):
        tg.text(QUESTION, chat_id=ALLOWED)
        await tg.until(lambda: tg.calls_to("sendMessage"))
        await tg.settle()
    answers = [c for c in tg.calls_to("sendMessage") if c.params.get("text", "").startswith("<b>")]
    assert [c.ok for c in answers] == [False]  # tried once: Telegram said the request is wrong


def test_the_rate_limiter_forgets_idle_chats_and_keeps_limiting_busy_ones():
    from assistant.telegram.ratelimit import Verdict

    now = [0.0]
    limiter = RateLimiter(limit=2, window=60.0, clock=lambda: now[0])
    limiter.MAX_KEYS = 100
    assert [limiter.hit(("busy", 1)) for _ in range(3)] == [Verdict.OK, Verdict.OK, Verdict.WARN]
    for i in range(150):  # a crowd of one-off senders, one a second
        now[0] = 61.0 + i
        if i == 140:
            assert [limiter.hit(("busy", 1)) for _ in range(2)] == [Verdict.OK, Verdict.OK]
        limiter.hit(("crowd", i))
    assert len(limiter) <= 100  # idle keys forgotten: memory stays bounded
    assert limiter.hit(("busy", 1)) is Verdict.WARN  # the busy chat was not forgotten
