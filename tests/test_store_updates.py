"""The store's record of updates and daily jobs, on both backends (`open_test_store`): an
update recorded once, claimed by one worker, replayed after a restart unless too old or
perhaps answered already; a daily job's run claimed by one worker."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.telegram.store.updates import DONE, SENDING

T = 1_000_000.0  # a fixed clock
STALE = 300.0


def state(store, update_id: int) -> tuple[str, str]:
    with store._transaction() as db:
        return tuple(
            db.execute("SELECT state, worker FROM updates WHERE update_id = ?", (update_id,)).fetchone()
        )


def test_an_update_is_recorded_once_and_claimed_by_one_worker(open_test_store):
    store = open_test_store()
    assert store.record_update(7, 42, '{"update_id": 7}', now=T) is True
    assert store.record_update(7, 42, '{"update_id": 7}', now=T + 1) is False  # a redelivery
    workers = [open_test_store() for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        won = list(pool.map(lambda i: workers[i].claim_update(7, f"w{i}", STALE, now=T + 2), range(4)))
    assert won.count(True) == 1
    assert state(store, 7) == ("claimed", f"w{won.index(True)}")
    assert store.claim_update(8, "w0", STALE, now=T) is False  # never recorded


def test_a_claim_is_taken_over_by_the_same_worker_restarted_or_when_stale(open_test_store):
    store = open_test_store()
    store.record_update(1, None, "{}", now=T)
    assert store.claim_update(1, "a", STALE, now=T)
    assert not store.claim_update(1, "b", STALE, now=T + 10)  # a is alive
    assert store.claim_update(1, "a", STALE, now=T + 10)  # a, restarted
    assert store.claim_update(1, "b", STALE, now=T + 10 + STALE + 1)  # a silent too long
    store.mark_update(1, SENDING, now=T + 400)
    assert not store.claim_update(1, "a", STALE, now=T + 10_000)  # a reply may have left: never again
    with pytest.raises(ValueError, match="'claimed'"):
        store.mark_update(1, "claimed")


def test_a_restart_replays_what_was_not_answered_abandons_old_ones_and_never_resends(open_test_store):
    store = open_test_store()
    for update_id, received in (
        (1, T - 900),
        (2, T - 60),
        (3, T - 50),
        (4, T - 40),
        (5, T - 30),
        (6, T - 20),
    ):
        store.record_update(update_id, 9, f'{{"update_id": {update_id}}}', now=received)
    store.claim_update(1, "me", STALE, now=T - 900)  # too old: abandoned
    store.claim_update(3, "me", STALE, now=T - 50)  # mine, cut off while answering: replayed
    store.claim_update(4, "other", STALE, now=T - 40)  # another worker's, alive: left to it
    store.claim_update(5, "me", STALE, now=T - 30)
    store.mark_update(5, SENDING, now=T - 29)  # mine, cut off while sending: unsure
    store.claim_update(6, "me", STALE, now=T - 20)
    store.mark_update(6, DONE, now=T - 19)
    found = store.recover_updates("me", max_age=600, stale_after=STALE, now=T)
    assert found.replay == [(2, '{"update_id": 2}'), (3, '{"update_id": 3}')]
    assert (found.abandoned, found.unsure) == ([1], [5])
    assert [state(store, i)[0] for i in range(1, 7)] == [
        "abandoned",
        "new",
        "claimed",
        "claimed",
        "unsure",
        "done",
    ]
    again = store.recover_updates("me", max_age=600, stale_after=STALE, now=T + 1)
    assert again.replay == found.replay and again.abandoned == again.unsure == []


def test_running_workers_find_what_a_worker_gone_for_good_left(open_test_store):
    store = open_test_store()
    for update_id, received in (
        (1, T - 900),
        (2, T - 200),
        (3, T - 30),
        (4, T - 400),
        (5, T - 250),
        (6, T - 100),
    ):
        store.record_update(update_id, None, f'{{"update_id": {update_id}}}', now=received)
    store.claim_update(4, "gone", STALE, now=T - 400)  # silent longer than STALE
    store.claim_update(5, "me", STALE, now=T - 400)  # this worker's own: in its hands
    store.claim_update(6, "busy", STALE, now=T - 100)  # alive
    found = store.orphaned_updates("me", max_age=600, stale_after=STALE, grace=120, now=T)
    # 1 is too old, 3 was just recorded (its worker has it in hand)
    assert found == [(2, '{"update_id": 2}'), (4, '{"update_id": 4}')]


def test_finished_updates_are_pruned_after_a_day(open_test_store):
    store = open_test_store()
    for update_id in (1, 2, 3):
        store.record_update(update_id, None, "{}", now=T)
    store.mark_update(1, DONE, now=T)
    store.mark_update(2, DONE, now=T + 3600)
    assert store.prune_updates(keep=86400, now=T + 86400 + 10) == 1
    assert store.record_update(1, None, "{}") is True  # forgotten
    assert store.record_update(2, None, "{}") is False and store.record_update(3, None, "{}") is False


def test_a_chats_earlier_message_still_unanswered_holds_the_next(open_test_store):
    store = open_test_store()
    store.record_update(10, 42, "{}", now=T)
    store.record_update(11, 42, "{}", now=T + 1)
    store.record_update(12, 43, "{}", now=T + 1)
    store.record_update(13, 42, "{}", now=T + 1)
    assert store.earlier_unfinished(42, 11, window=60, now=T + 2) == [10]
    assert store.earlier_unfinished(42, 13, window=60, now=T + 2) == [10, 11]  # oldest first
    assert not store.earlier_unfinished(42, 10, window=60, now=T + 2)
    assert not store.earlier_unfinished(43, 12, window=60, now=T + 2)  # another chat
    assert not store.earlier_unfinished(42, 11, window=60, now=T + 100)  # too long ago to wait for
    store.mark_update(10, DONE, now=T + 3)
    assert not store.earlier_unfinished(42, 11, window=60, now=T + 3)


def test_a_daily_job_is_run_by_one_worker_a_day(open_test_store):
    workers = [open_test_store() for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        won = list(pool.map(lambda i: workers[i].claim_job("digest:42", "2026-01-24", f"w{i}"), range(4)))
    assert won.count(True) == 1
    assert workers[0].claim_job("digest:42", "2026-01-25", "w0") is True
    assert workers[1].claim_job("digest:43", "2026-01-24", "w1") is True


async def test_a_redelivery_is_dropped_even_when_the_store_failed_to_record_the_first(tmp_path):
    """The store fails (its file garbled under the running bot): an update is answered
    without its record, and the same update delivered again (getUpdates retried after a
    timeout) is still not answered twice."""
    from telegram import Update

    from assistant.telegram.journal import Journal
    from assistant.telegram.store import STORE_NAME, SqliteStore

    journal = Journal(SqliteStore(tmp_path), "w1")
    (tmp_path / STORE_NAME).write_bytes(b"not a database" * 100)
    update = Update.de_json({"update_id": 9001, "message": _message(7001)}, None)
    assert await journal.record(update)  # unrecorded, but answered
    assert not await journal.record(update)  # the redelivery


def _message(chat_id: int) -> dict:
    return {
        "message_id": 1,
        "date": 0,
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "A"},
        "text": "Ai chủ trì?",
    }
