"""Several webhook workers sharing one PostgreSQL store (and the index folder), each the
real application with its webhook server on 127.0.0.1, updates POSTed to them as Telegram
would: a follow-up is understood whichever worker gets it, a chat's two messages are
answered in the order received, an update delivered to two workers is answered once, a
digest goes out once, and a plan added elsewhere is served after the manifest is read."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import time
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace
from datetime import date

import httpx
import pytest
from botkit import running, visible
from helpers import CORPUS

from assistant.index.update import add_plan
from assistant.serve.assistant import Assistant
from assistant.telegram.app import build_application
from assistant.telegram.durable import sweep
from assistant.telegram.journal import STALE_AFTER
from assistant.telegram.watch import reload_if_changed

pytestmark = pytest.mark.slow
SECRET = "worker-test-secret-0123456789"
DIGITAL = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"
JAN_24 = date(2026, 1, 24)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    def __init__(self, app, url: str):
        self.app, self.url = app, url

    async def post(self, update: dict) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient() as client:
            return (await client.post(self.url, json=update, headers=headers, timeout=10)).status_code


@asynccontextmanager
async def worker(settings, assistant, name: str):
    """One worker as run_webhook runs it (initialize, post_init, the webhook, start)."""
    port = free_port()
    app = build_application(replace(settings, worker_id=name), assistant, today=lambda: JAN_24)
    await app.initialize()
    await app.post_init(app)
    url = f"http://127.0.0.1:{port}/hook"
    await app.updater.start_webhook(
        listen="127.0.0.1", port=port, url_path="hook", webhook_url=url, secret_token=SECRET
    )
    await app.start()
    try:
        yield Worker(app, url)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
async def workers(settings, lexical_assistant, postgres_url):
    shared = replace(settings, database_url=postgres_url)
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(worker(shared, lexical_assistant, n)) for n in ("a", "b")]


def message(tg, update_id: int, text: str, chat_id: int) -> dict:
    return {"update_id": update_id, "message": tg.text_message(text, chat_id=chat_id)}


async def test_a_follow_up_is_understood_by_the_other_worker(tg, workers):
    a, b = workers
    assert await a.post(message(tg, 101, DIGITAL, 7001)) == 200
    await tg.until(lambda: tg.sent(7001))
    assert await b.post(message(tg, 102, "còn phối hợp thì sao?", 7001)) == 200
    await tg.until(lambda: len(tg.sent(7001)) == 2)
    assert visible(tg.sent(7001)[1]["text"]).startswith("Hiểu là: Ai phối hợp")


async def test_a_chats_messages_are_answered_in_order_across_workers(tg, workers):
    a, b = workers
    # the question takes a while to answer; /help none: without the order /help came first
    assert await a.post(message(tg, 201, DIGITAL, 7002)) == 200
    assert await b.post(message(tg, 202, "/help", 7002)) == 200
    await tg.until(lambda: len(tg.sent(7002)) == 2)
    first, second = tg.sent(7002)
    assert "Phòng Văn hóa" in first["text"] and "/hanchot" in second["text"]


async def test_an_update_delivered_to_two_workers_is_answered_once(tg, workers):
    a, b = workers
    update = message(tg, 301, DIGITAL, 7003)
    statuses = await asyncio.gather(a.post(update), b.post(update), a.post(update))
    assert statuses == [200, 200, 200]
    await tg.until(lambda: tg.sent(7003))
    await tg.settle(quiet=1.0)
    assert len(tg.sent(7003)) == 1


async def test_what_a_worker_gone_for_good_left_is_answered_by_another(tg, workers):
    a, b = workers
    update = message(tg, 401, DIGITAL, 7005)
    store = b.app.bot_data.store  # a third worker recorded and claimed it, then died
    long_ago = time.time() - STALE_AFTER - 10
    store.record_update(401, 7005, json.dumps(update), now=long_ago)
    assert store.claim_update(401, "c", STALE_AFTER, now=long_ago)
    counts = await asyncio.gather(*(sweep(w.app, w.app.bot_data.journal, 600) for w in workers))
    # each found it unless the other had already answered it; the claim lets one answer
    assert max(counts) == 1 and 1 <= sum(counts) <= 2
    await tg.until(lambda: tg.sent(7005))
    await tg.settle(quiet=0.5)
    assert len(tg.sent(7005)) == 1 and "Phòng Văn hóa" in tg.sent(7005)[0]["text"]
    assert await sweep(a.app, a.app.bot_data.journal, 600) == 0  # answered: nothing left


async def test_a_chats_message_taken_over_from_a_worker_gone_goes_before_the_chats_next(tg, workers):
    """The chat's next message reached this worker first and waits for the earlier one;
    the earlier one, taken over, must not queue behind it here (both would then wait until
    the order's 30 s ran out, and be answered the wrong way round)."""
    _, b = workers
    question = message(tg, 501, DIGITAL, 7006)
    store = b.app.bot_data.store  # a third worker recorded the question just now, claimed it, died
    store.record_update(501, 7006, json.dumps(question))
    assert store.claim_update(501, "c", STALE_AFTER, now=time.time() - STALE_AFTER - 10)
    assert await b.post(message(tg, 502, "còn phối hợp thì sao?", 7006)) == 200
    await asyncio.sleep(0.5)  # the follow-up waits for the question
    assert await sweep(b.app, b.app.bot_data.journal, 600) == 1
    await tg.until(lambda: len(tg.sent(7006)) == 2, timeout=10)
    first, second = tg.sent(7006)
    assert "Phòng Văn hóa" in first["text"]
    assert visible(second["text"]).startswith("Hiểu là: Ai phối hợp")


async def test_a_digest_goes_out_once_whichever_workers_run_it(tg, workers):
    a, b = workers
    a.app.bot_data.store.subscribe(7004, None)  # through one worker; the other reads the store
    await asyncio.gather(*(w.app.job_queue.get_jobs_by_name("digests")[0].run(w.app) for w in workers))
    await tg.settle(quiet=0.5)
    [digest] = tg.sent(7004)
    assert digest["text"].startswith("⏰ <b>Nhắc việc ngày 24/01/2026</b>")


async def test_a_plan_added_elsewhere_is_served_once_the_manifest_is_read(tg, settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "xa-thanh-an-2026.txt", corpus)
    local = replace(settings, corpus_dir=corpus, index_dir=tmp_path / "index")
    new = tmp_path / "xa-tan-phu-2026.txt"
    new.write_text((CORPUS / "xa-thanh-an-2026.txt").read_text("utf-8").replace("Thạnh An", "Tân Phú"))
    async with running(local, Assistant.load(local)) as app:
        state = app.bot_data
        assert not await reload_if_changed(state)  # nothing changed
        result = await asyncio.to_thread(add_plan, local, new)  # another worker, or the command line
        assert result.ok
        assert "xa-tan-phu-2026" not in {p.id for p in state.assistant.index.catalog}
        assert await reload_if_changed(state)
        assert "xa-tan-phu-2026" in {p.id for p in state.assistant.index.catalog}
