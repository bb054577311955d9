"""/healthz and /metrics on the operator's port (ASSISTANT_METRICS_PORT), served by the
real application while it answers through the fake Bot API server."""

from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest
from botkit import exchange, running

QUESTION = "Ai chủ trì Kế hoạch Chuyển đổi số năm 2026 của phường Rạch Giá?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
async def test_healthz_and_metrics_tell_the_operator_how_the_worker_does(tg, settings, lexical_assistant):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with running(replace(settings, metrics_port=port, worker_id="w1"), lexical_assistant):
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            healthy = await client.get("/healthz")
            await exchange(tg, QUESTION)
            await tg.settle(quiet=0.3)
            metrics = await client.get("/metrics")
            (settings.data_dir / "bot.sqlite3").write_bytes(b"\x00garbled\xff" * 512)
            failing = await client.get("/healthz")
    plans = len(lexical_assistant.index.catalog)
    assert healthy.status_code == 200
    assert healthy.json() == {
        "status": "ok",
        "worker": "w1",
        "index": {"ok": True, "plans": plans},
        "store": {"ok": True},
    }
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'cchc_updates_received_total{outcome="new"} 1.0' in text
    assert "cchc_updates_answered_total 1.0" in text and "cchc_update_seconds_count 1.0" in text
    assert f"cchc_plans_loaded {float(plans)}" in text and 'cchc_worker{worker="w1"} 1.0' in text
    assert failing.status_code == 503
    report = failing.json()
    assert report["status"] == "failing" and report["index"]["ok"] and not report["store"]["ok"]
