"""The load test of issue 22, small: two real `python bot.py` webhook workers sharing a
PostgreSQL store behind one local address, 200 updates from 40 chats (a follow-up of the
chat's own question among them, 8 chats turning the digest on), one worker killed (kill -9)
halfway: every update answered exactly once, every follow-up understood, each digest sent
once. `benchmarks/bench_workers.py` runs the same with 2,000 updates from 200 chats."""

from __future__ import annotations

import pytest
from loadrun import run
from loadtraffic import QUESTIONS, Load, screen

pytestmark = pytest.mark.slow
SMALL = Load(updates=200, chats=40, rate=8.0, subscribed=8, stale_after=8.0, digest_after=12.0, seed=7)


async def test_two_workers_one_killed_answer_every_update_once(tg, postgres_url, lexical_assistant, tmp_path):
    leads = screen(lexical_assistant, list(QUESTIONS))
    index = lexical_assistant.settings.index_dir
    outcome = await run(SMALL, tg, postgres_url, index, "none", QUESTIONS, leads, tmp_path)
    verdict, figures = outcome.verdict, outcome.figures
    print(verdict, figures, sep="\n")
    assert verdict.ok, outcome.explain()
    assert (verdict.unanswered, verdict.answered_twice) == ([], [])
    assert verdict.answered_once == SMALL.updates
    assert verdict.unresolved == [] and verdict.follow_ups_resolved == verdict.follow_ups > 0
    assert verdict.digests_once == verdict.subscribed == SMALL.subscribed and not verdict.digests_wrong
    assert verdict.stray == 0
    assert 0 < figures["killed"]["after_updates_posted"] < SMALL.updates
    # what the killed worker held was taken over well before a chat's message stops waiting
    # for its earlier one (30 s): none waited that long
    assert figures["reply_ms_max"] < 25_000
