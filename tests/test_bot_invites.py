"""Letting new staff in from Telegram: an admin's /moi makes a one-time invite link, the
new chat that opens it is answered, /thuhoi shuts it out again, /danhsach says who may use
the bot and how. Played through the real application and the fake Bot API server, with an
allowlist (TELEGRAM_ALLOWED_CHATS) that does not name the new chats."""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest
from botkit import assert_valid_html, exchange, running, visible

from assistant.serve.assistant import Assistant
from assistant.settings import Settings
from assistant.telegram import replies
from assistant.telegram.admin_replies import ADMIN_ONLY
from assistant.telegram.invite_replies import OPEN_TO_ALL, PRIVATE_ONLY, REDEEMED
from assistant.telegram.invites import INVITE_HOURS
from assistant.telegram.store import SqliteStore

QUESTION = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
ALLOWED, ADMIN, GROUP, NEWCOMER = 1001, 9, -100700800, 3003


@pytest.fixture(scope="session")
def assistant(lexical_assistant) -> Assistant:
    return lexical_assistant


@pytest.fixture
def settings(settings) -> Settings:
    """One allowed chat and group, one admin: everyone else is refused unless let in."""
    return replace(settings, telegram_allowed_chats=(str(ALLOWED), str(GROUP)), telegram_admins=(str(ADMIN),))


async def make_invite(tg) -> str:
    """An admin's /moi: the code its private-chat link carries."""
    [made] = await exchange(tg, "/moi", chat_id=ADMIN)
    assert_valid_html(made["text"])
    link = re.search(rf"https://t\.me/{tg.username}\?start=([A-Za-z0-9_-]+)", made["text"])
    assert link and f"https://t.me/{tg.username}?startgroup={link.group(1)}" in made["text"]
    return link.group(1)


async def test_an_invite_lets_a_new_chat_in_and_revoking_shuts_it_out(tg, settings, assistant):
    async with running(settings, assistant):
        [refused] = await exchange(tg, QUESTION, chat_id=NEWCOMER)
        code = await make_invite(tg)
        welcome, greeting = await exchange(tg, f"/start {code}", chat_id=NEWCOMER, count=2)
        [answer] = await exchange(tg, QUESTION, chat_id=NEWCOMER)
        [listed] = await exchange(tg, "/danhsach", chat_id=ADMIN)
        [revoked] = await exchange(tg, f"/thuhoi {NEWCOMER}", chat_id=ADMIN)
        [refused_again] = await exchange(tg, QUESTION, chat_id=NEWCOMER)
        tg.text(QUESTION, chat_id=NEWCOMER)
        before = len(tg.calls_to("answerCallbackQuery"))
        [[sources, *_], *_] = answer["reply_markup"]["inline_keyboard"]
        tg.click(tg.result_of(answer), sources["callback_data"], user_id=NEWCOMER)
        await tg.until(lambda: len(tg.calls_to("answerCallbackQuery")) > before)
        await tg.settle()
    assert refused["text"] == replies.REFUSED
    assert welcome["text"] == REDEEMED["admitted"] and greeting["text"].startswith("Xin chào!")
    assert "Phòng Văn hóa" in answer["text"]
    for reply in (listed, revoked):
        assert_valid_html(reply["text"])
    text = visible(listed["text"])
    assert f"Theo cấu hình (TELEGRAM_ALLOWED_CHATS): {GROUP}, {ALLOWED}" in text
    assert f"Quản trị viên (TELEGRAM_ADMINS): {ADMIN}" in text
    assert f"Cán bộ ({NEWCOMER}) — mã mời {code} của {ADMIN}" in text and f"/thuhoi {NEWCOMER}" in text
    assert "Mã mời chưa dùng (0)" in text
    assert f"Đã thu hồi quyền của cuộc trò chuyện {NEWCOMER}" in visible(revoked["text"])
    assert refused_again["text"] == replies.REFUSED  # told once more, then silence
    assert len(tg.sent(NEWCOMER)) == 5
    assert tg.sent(method="answerCallbackQuery")[-1]["text"] == replies.REFUSED  # its old buttons too


async def test_a_used_expired_cancelled_or_unknown_invite_is_refused_with_the_reason(tg, settings, assistant):
    async with running(settings, assistant) as app:
        code = await make_invite(tg)
        await exchange(tg, f"/start {code}", chat_id=NEWCOMER, count=2)
        [used] = await exchange(tg, f"/start {code}", chat_id=3004)
        [still_refused] = await exchange(tg, QUESTION, chat_id=3004)
        late = await make_invite(tg)
        app.bot_data.clock = lambda: time.time() + INVITE_HOURS * 3600 + 60
        [expired] = await exchange(tg, f"/start {late}", chat_id=3005)
        app.bot_data.clock = time.time
        cancelled = await make_invite(tg)
        [cancel] = await exchange(tg, f"/thuhoi {cancelled}", chat_id=ADMIN)
        [after_cancel] = await exchange(tg, f"/start {cancelled}", chat_id=3006)
        [unknown] = await exchange(tg, "/start AAAAAAAAAAAAAAAA", chat_id=3007)
        [plain] = await exchange(tg, "/start", chat_id=3008)
    assert used["text"] == REDEEMED["used"] and still_refused["text"] == replies.REFUSED
    assert expired["text"] == REDEEMED["expired"] and "hết hạn" in expired["text"]
    assert "Đã hủy mã mời" in cancel["text"] and after_cancel["text"] == REDEEMED["expired"]
    assert unknown["text"] == REDEEMED["unknown"] and plain["text"] == replies.REFUSED
    store = SqliteStore(settings.data_dir)
    assert [a.chat_id for a in store.admitted()] == [NEWCOMER]
    assert store.invite(code).used_by == NEWCOMER and store.invite(late).used_by is None


async def test_an_admin_lets_a_group_in_by_its_id_and_the_settings_cannot_be_changed_from_telegram(
    tg, settings, assistant
):
    group = -100900900
    async with running(settings, assistant):
        [admitted] = await exchange(tg, f"/moi {group}", chat_id=ADMIN)
        [answer] = await exchange(tg, f"/hoi {QUESTION}", chat_id=group, chat_type="supergroup")
        [configured] = await exchange(tg, f"/thuhoi {ALLOWED}", chat_id=ADMIN)
        [admin] = await exchange(tg, f"/moi {ADMIN}", chat_id=ADMIN)
        [not_an_id] = await exchange(tg, "/moi nhóm mới", chat_id=ADMIN)
        [listed] = await exchange(tg, "/danhsach", chat_id=ADMIN)
    assert f"Đã cho phép cuộc trò chuyện {group}" in visible(admitted["text"])
    assert "Phòng Văn hóa" in answer["text"]
    assert "có trong TELEGRAM_ALLOWED_CHATS" in configured["text"]
    assert "là quản trị viên (TELEGRAM_ADMINS)" in admin["text"]
    assert "không phải mã cuộc trò chuyện" in not_an_id["text"]
    assert f"{group} — quản trị viên {ADMIN} cho phép" in visible(listed["text"])


async def test_only_admins_in_their_private_chat_let_chats_in_and_only_when_the_bot_is_restricted(
    tg, settings, assistant
):
    async with running(settings, assistant):
        [official] = await exchange(tg, "/moi", chat_id=ALLOWED)
        [in_group] = await exchange(tg, "/danhsach", chat_id=GROUP, user_id=ADMIN, chat_type="supergroup")
        [usage] = await exchange(tg, "/thuhoi", chat_id=ADMIN)
        [help_] = await exchange(tg, "/help", chat_id=ADMIN)
    async with running(replace(settings, telegram_allowed_chats=()), assistant):
        [open_] = await exchange(tg, "/moi", chat_id=ADMIN)
        [listed] = await exchange(tg, "/danhsach", chat_id=ADMIN)
    assert official["text"] == ADMIN_ONLY and in_group["text"] == PRIVATE_ONLY
    assert "Cách dùng" in usage["text"]
    assert all(f"/{c} " in visible(help_["text"]) for c in ("moi", "thuhoi", "danhsach"))
    assert open_["text"] == OPEN_TO_ALL
    assert "Mọi người: TELEGRAM_ALLOWED_CHATS để trống" in visible(listed["text"])
    assert SqliteStore(settings.data_dir).open_invites(time.time()) == []


async def test_a_newcomers_reminders_stop_when_revoked(tg, settings, assistant):
    async with running(settings, assistant) as app:
        code = await make_invite(tg)
        await exchange(tg, f"/start {code}", chat_id=NEWCOMER, count=2)
        [on] = await exchange(tg, "/nhacviec on", chat_id=NEWCOMER)
        store = app.bot_data.store  # the daily digest job reads the subscriptions from it
        assert [chat for chat, _ in store.subscriptions()] == [NEWCOMER]
        await exchange(tg, f"/thuhoi {NEWCOMER}", chat_id=ADMIN)
        await tg.until(lambda: store.subscriptions() == [])
    assert "Đã bật nhắc việc" in on["text"]
    assert SqliteStore(settings.data_dir).subscriptions() == []
