"""Admins update the plans from Telegram: send a plan file, confirm a replacement, remove a
plan with /xoakehoach. The real Application polls the fake Bot API server (real HTTP, file
downloads included) over a small copy of the corpus (lexical index only)."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from botkit import button, exchange, press, running, visible
from fake_telegram import FakeTelegram

from assistant.index import update as core_update
from assistant.index.update import PlanSummary
from assistant.parse.plan import parse_plan
from assistant.read.load import read_document
from assistant.serve.assistant import Assistant
from assistant.settings import Settings
from assistant.telegram import admin_replies, replies
from assistant.telegram.pending import Pending, PendingUpload

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BASE = ("xa-thai-tan-2025.txt", "xa-thanh-an-2026.txt")
NEW = "xa-tan-phu-2026.txt"
TAN_PHU = (CORPUS / "xa-thanh-an-2026.txt").read_text("utf-8").replace("Thạnh An", "Tân Phú").encode("utf-8")
QUESTION = "Cơ quan thường trực tham mưu về công tác CCHC của xã Tân Phú là đơn vị nào?"
ADMIN, OFFICIAL, GROUP = 4242, 5151, -100300400


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """Two plans and their index, built once; each test works on its own copy."""
    root = tmp_path_factory.mktemp("admin-base")
    (root / "corpus").mkdir()
    for name in BASE:
        shutil.copy(CORPUS / name, root / "corpus" / name)
    Assistant.load(
        Settings(
            corpus_dir=root / "corpus", index_dir=root / "index", data_dir=root / "data", embedder="none"
        )
    )
    return root


@pytest.fixture
def uploads_dir(tmp_path, monkeypatch) -> Path:
    """Where the bot's temporary download folders go, so a test can see them cleaned up."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def settings(base, tmp_path, tg, uploads_dir) -> Settings:
    for part in ("corpus", "index"):
        shutil.copytree(base / part, tmp_path / part)
    return Settings(
        corpus_dir=tmp_path / "corpus",
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedder="none",
        telegram_token=tg.token,
        telegram_webhook_url="",
        telegram_api_base_url=tg.base_url,
        telegram_allowed_chats=(),
        telegram_admins=(str(ADMIN),),
    )


@pytest.fixture
async def app(settings):
    async with running(settings, None) as application:  # post_init loads the assistant
        yield application


# ---------------------------------------------------------------------------- helpers
async def send_file(
    tg: FakeTelegram, content: bytes = TAN_PHU, name: str = NEW, chat_id: int = ADMIN, count: int = 2, **kw
) -> list[dict]:
    """Send a file and wait for `count` new messages to that chat (⏳ reading, then the result)."""
    before = len(tg.sent(chat_id))
    tg.document(name, content, chat_id=chat_id, **kw)
    await tg.until(lambda: len(tg.sent(chat_id)) >= before + count)
    return tg.sent(chat_id)[before:]


def cited_files(app, reply: dict) -> list[str]:
    """The files the answer behind a reply quotes (from the bot's own answer cache)."""
    key = button(reply, "📄").partition(":")[2]
    return [c.doc for c in app.bot_data.answers.get(key, reply["chat_id"]).citations]


def expected_summary(tmp_path: Path, content: bytes = TAN_PHU) -> PlanSummary:
    path = tmp_path / "expected" / NEW
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    doc = read_document(path)
    return PlanSummary.of(parse_plan(doc), doc.text)


def corpus_files(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.corpus_dir.iterdir())


def removed_files(settings: Settings) -> list[str]:
    folder = settings.data_dir / "removed"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# ---------------------------------------------------------------------------- adding
async def test_admin_adds_a_plan_and_questions_use_it(tg, app, settings, tmp_path, uploads_dir):
    old = app.bot_data.assistant
    [before] = await exchange(tg, QUESTION, chat_id=OFFICIAL)
    assert "Chưa có kế hoạch của xã Tân Phú" in visible(before["text"])  # not guessed from another plan
    reading, result = await send_file(tg)
    assert "⏳ Đã nhận tệp «xa-tan-phu-2026.txt»" in reading["text"]
    expected = expected_summary(tmp_path)
    assert expected.duties > 0 and expected.targets > 0
    text = visible(result["text"])
    for line in (
        "✅ Đã thêm kế hoạch xã Tân Phú năm 2026",
        "Xã/phường: xã Tân Phú",
        "Kỳ kế hoạch: năm 2026",
        f"Nhiệm vụ: {expected.tasks}",
        f"Trách nhiệm: {expected.duties}",
        f"Báo cáo: {expected.reports}",
        f"Chỉ tiêu: {expected.targets}",
        f"Dòng chưa đọc đủ: {expected.incomplete_rows}",
    ):
        assert line in text, text
    [file_path] = [path for path, _, _ in tg.files.values()]
    assert len(tg.sent(method="getFile")) == 1
    assert [c["file_path"] for c in tg.sent(method="download")] == [file_path]
    assert (settings.corpus_dir / NEW).read_bytes() == TAN_PHU
    assert app.bot_data.assistant is not old and list(uploads_dir.iterdir()) == []
    [answer] = await exchange(tg, QUESTION, chat_id=OFFICIAL)
    assert "Phòng Văn hóa - Xã hội" in visible(answer["text"])
    assert cited_files(app, answer)[0] == NEW and "xã Tân Phú" in visible(answer["text"])


async def test_same_plan_again_asks_before_replacing(tg, app, settings, uploads_dir):
    await send_file(tg)
    version2 = TAN_PHU + "\nPhụ lục: danh sách đầu mối CCHC.\n".encode()
    _, ask = await send_file(tg, version2)
    assert "⚠️ Đã có kế hoạch xã Tân Phú năm 2026 (tệp xa-tan-phu-2026.txt)" in visible(ask["text"])
    assert [b["text"] for b in ask["reply_markup"]["inline_keyboard"][0]] == ["✅ Thay thế", "❌ Hủy"]
    [cancelled] = await press(tg, ask, "❌")
    assert cancelled["text"].startswith("Đã hủy. Kế hoạch đang có được giữ nguyên")
    assert (settings.corpus_dir / NEW).read_bytes() == TAN_PHU and removed_files(settings) == []
    assert list(uploads_dir.iterdir()) == []  # the downloaded file is gone
    await tg.until(lambda: tg.sent(method="editMessageReplyMarkup"))  # the buttons are taken away
    _, ask = await send_file(tg, version2)
    reading, replaced = await press(tg, ask, "✅ Thay thế", count=2)
    assert "Đang đọc" in reading["text"]
    assert visible(replaced["text"]).startswith("✅ Đã thay thế kế hoạch xã Tân Phú năm 2026")
    assert "Tệp cũ đã được chuyển vào thư mục removed" in replaced["text"]
    assert (settings.corpus_dir / NEW).read_bytes() == version2
    assert [n.endswith(NEW) for n in removed_files(settings)] == [True]
    assert corpus_files(settings) == sorted(BASE + (NEW,)) and list(uploads_dir.iterdir()) == []
    before = len(tg.sent(method="answerCallbackQuery"))
    tg.click(tg.result_of(ask), button(ask, "✅"))  # the same button again: nothing happens
    calls = await tg.until(lambda: tg.sent(method="answerCallbackQuery")[before:])
    assert calls[0]["text"] == admin_replies.STALE_ACTION and len(removed_files(settings)) == 1


# ---------------------------------------------------------------------------- removing
async def test_remove_a_plan_after_confirming(tg, app, settings):
    await send_file(tg)
    [listing] = await exchange(tg, "/xoakehoach", chat_id=ADMIN)
    labels = [row[0]["text"] for row in listing["reply_markup"]["inline_keyboard"]]
    assert len(labels) == 3 and "🗑 kế hoạch xã Tân Phú năm 2026 (tệp xa-tan-phu-2026.txt)" in labels
    [confirm] = await press(tg, listing, "🗑 kế hoạch xã Tân Phú")
    assert confirm["text"].startswith("Gỡ kế hoạch xã Tân Phú năm 2026 (tệp xa-tan-phu-2026.txt) khỏi kho?")
    [kept] = await press(tg, confirm, "❌ Hủy")
    assert "vẫn được giữ nguyên" in kept["text"] and NEW in corpus_files(settings)

    [refused] = await exchange(tg, "/xoakehoach tan phu", chat_id=OFFICIAL)
    assert refused["text"] == admin_replies.ADMIN_ONLY
    [confirm] = await exchange(tg, "/xoakehoach tan phu", chat_id=ADMIN)  # without diacritics
    answered = len(tg.sent(method="answerCallbackQuery"))
    tg.click(tg.result_of(confirm), button(confirm, "✅ Xóa"), user_id=OFFICIAL)
    alert = await tg.until(lambda: tg.sent(method="answerCallbackQuery")[answered:])
    assert alert[0]["text"] == admin_replies.ADMIN_ONLY and NEW in corpus_files(settings)
    [removed] = await press(tg, confirm, "✅ Xóa")
    assert removed["text"].startswith("🗑 Đã gỡ kế hoạch xã Tân Phú năm 2026 (tệp xa-tan-phu-2026.txt)")
    assert corpus_files(settings) == sorted(BASE)
    [answer] = await exchange(tg, QUESTION, chat_id=OFFICIAL)
    assert "Chưa có kế hoạch của xã Tân Phú" in visible(answer["text"])
    [plans] = await exchange(tg, "/kehoach", chat_id=OFFICIAL)
    assert "Tân Phú" not in plans["text"] and "Thạnh An" in plans["text"]
    [unknown] = await exchange(tg, "/xoakehoach Tân Phú", chat_id=ADMIN)
    assert unknown["text"].startswith("Không tìm thấy kế hoạch «Tân Phú». Chọn kế hoạch cần gỡ:")
    assert len(unknown["reply_markup"]["inline_keyboard"]) == 2


# ---------------------------------------------------------------------------- who may, what is taken
async def test_non_admin_files_are_refused_without_downloading(tg, app, settings):
    [refusal] = await send_file(tg, chat_id=OFFICIAL, count=1)
    assert refusal["text"] == admin_replies.FILES_ADMIN_ONLY
    for _ in range(2):  # an album gets one refusal
        tg.document(NEW, TAN_PHU, chat_id=OFFICIAL, media_group_id="album-1")
    tg.document(
        NEW, TAN_PHU, chat_id=GROUP, chat_type="group", user_id=OFFICIAL, caption=f"@{tg.username} mới"
    )
    await tg.settle(quiet=0.5)
    assert [m["text"] for m in tg.sent(OFFICIAL)] == [admin_replies.FILES_ADMIN_ONLY] * 2
    assert [m["text"] for m in tg.sent(GROUP)] == [admin_replies.FILES_ADMIN_ONLY]
    assert tg.calls_to("getFile") == [] and tg.calls_to("download") == []
    assert corpus_files(settings) == sorted(BASE)


async def test_files_are_checked_before_downloading(tg, app, settings):
    [big] = await send_file(tg, file_size=25 * 1024 * 1024, count=1)
    assert big["text"].startswith(
        "Tệp «xa-tan-phu-2026.txt» quá lớn (25.0 MB); trợ lý chỉ nhận tệp tối đa 20 MB"
    )
    [odt] = await send_file(tg, name="ke-hoach.odt", count=1)
    assert "định dạng .odt chưa được hỗ trợ" in odt["text"]
    assert tg.calls_to("getFile") == [] and tg.calls_to("download") == []
    _, unreadable = await send_file(tg, content=b"\xff\xfe\x00\x00 not text", name="hong.txt")
    assert unreadable["text"].startswith("❌ Không đọc được tệp hong.txt: tệp nhị phân")
    assert corpus_files(settings) == sorted(BASE)


async def test_group_upload_needs_the_bot_mentioned_in_the_caption(tg, app, settings):
    tg.document(NEW, TAN_PHU, chat_id=GROUP, chat_type="group", user_id=ADMIN)
    await tg.settle(quiet=0.5)
    assert tg.sent(GROUP) == [] and tg.calls_to("getFile") == []
    _, result = await send_file(
        tg, chat_id=GROUP, chat_type="group", user_id=ADMIN, caption=f"Kế hoạch mới @{tg.username}"
    )
    assert "✅ Đã thêm kế hoạch xã Tân Phú năm 2026" in visible(result["text"])
    assert result["reply_parameters"]["message_id"] > 0


async def test_admin_commands_are_shown_to_admins_only(tg, app):
    [public] = await exchange(tg, "/help", chat_id=OFFICIAL)
    [admin] = await exchange(tg, "/help", chat_id=ADMIN)
    assert "/xoakehoach" not in public["text"] and "/xoakehoach" in admin["text"]
    assert "Gửi tệp kế hoạch (.docx, .pdf, .txt, .md; tối đa 20 MB)" in admin["text"]
    default, scoped = tg.sent(method="setMyCommands")
    assert "scope" not in default and "xoakehoach" not in [c["command"] for c in default["commands"]]
    assert scoped["scope"] == {"type": "chat", "chat_id": ADMIN}
    assert [c["command"] for c in scoped["commands"]][-4:] == ["xoakehoach", "moi", "thuhoi", "danhsach"]
    [unknown] = await exchange(tg, "/khongco", chat_id=ADMIN)
    assert unknown["text"] == replies.UNKNOWN_COMMAND


# ---------------------------------------------------------------------------- while an update runs
async def test_questions_are_answered_from_the_old_index_while_a_plan_is_added(
    tg, app, settings, monkeypatch
):
    entered, release, real_build = threading.Event(), threading.Event(), core_update.sync_index

    def slow_build(*args, **kwargs):
        entered.set()
        release.wait(20)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(core_update, "sync_index", slow_build)
    tg.document(NEW, TAN_PHU, chat_id=ADMIN)
    await tg.until(entered.is_set)
    [answer] = await exchange(tg, QUESTION.replace("Tân Phú", "Thạnh An"), chat_id=OFFICIAL)
    assert (
        "Phòng Văn hóa - Xã hội" in visible(answer["text"])
        and cited_files(app, answer)[0] == "xa-thanh-an-2026.txt"
    )
    [unknown] = await exchange(tg, QUESTION, chat_id=OFFICIAL)  # the old index has no Tân Phú yet
    assert "Chưa có kế hoạch của xã Tân Phú" in visible(unknown["text"])
    [second] = await send_file(tg, content=TAN_PHU, name="xa-tan-phu-2026-ban-2.txt", count=1)
    assert "Đang chờ lần cập nhật trước xong" in second["text"]
    assert len(tg.sent(ADMIN)) == 2, "the update is still running: only the two ⏳ messages so far"
    release.set()
    await tg.until(lambda: len(tg.sent(ADMIN)) >= 4)
    texts = [visible(m["text"]) for m in tg.sent(ADMIN)[2:]]
    assert texts[0].startswith("✅ Đã thêm kế hoạch xã Tân Phú năm 2026")
    assert texts[1].startswith("⚠️ Đã có kế hoạch xã Tân Phú năm 2026")  # the queued one, after the first
    [after] = await exchange(tg, QUESTION, chat_id=OFFICIAL)
    assert cited_files(app, after)[0] == NEW


# ---------------------------------------------------------------------------- the pending store
def test_pending_uploads_are_bounded_and_cleaned_up(tmp_path):
    now = [0.0]
    store = Pending(size=2, ttl=60, clock=lambda: now[0])
    uploads = []
    for i in range(3):
        (folder := tmp_path / f"up{i}").mkdir()
        (path := folder / NEW).write_bytes(b"x")
        uploads.append(PendingUpload(path))
    keys = [store.put(u, ADMIN) for u in uploads]
    assert all(len(f"add:ok:{k}".encode()) <= 64 for k in keys)
    assert (
        store.get(keys[0], ADMIN) is None and not uploads[0].path.exists()
    )  # the oldest is evicted, its file deleted
    assert store.pop(keys[1], GROUP) is None and store.get(keys[1], ADMIN) == uploads[1]  # its own chat's
    now[0] = 61
    assert store.pop(keys[2], ADMIN) is None and not uploads[2].path.parent.exists()  # expired
    assert len(store) == 0
    with pytest.raises(ValueError, match="size=0"):
        Pending(size=0)
