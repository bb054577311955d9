"""The operator's two addresses, on a port of their own (ASSISTANT_METRICS_PORT), polling
or webhook alike: `/healthz` answers 200 when the index is loaded and the store answers,
503 naming what fails; `/metrics` gives the bot's counters in Prometheus' text format."""

from __future__ import annotations

import asyncio
import json

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

from assistant.telegram.metrics import CONTENT_TYPE
from assistant.telegram.state import BotState


async def health(state: BotState) -> dict:
    """Whether the worker can answer: its index loaded (with its plans), its store reachable."""
    plans = len(state.assistant.index.catalog) if state.loaded else 0
    try:
        await asyncio.to_thread(state.store.ping)
        store = {"ok": True}
    except Exception as exc:  # whatever the backend raises: the store does not answer
        store = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    index = {"ok": state.loaded, "plans": plans}
    ok = index["ok"] and store["ok"]
    return {
        "status": "ok" if ok else "failing",
        "worker": state.settings.worker_id,
        "index": index,
        "store": store,
    }


class _Health(RequestHandler):
    def initialize(self, state: BotState) -> None:
        self.state = state

    async def get(self) -> None:
        report = await health(self.state)
        self.set_status(200 if report["status"] == "ok" else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(report))


class _Metrics(RequestHandler):
    def initialize(self, state: BotState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(self.state.journal.metrics.exposition())


def serve(state: BotState, port: int, address: str = "") -> HTTPServer:
    """Listen on `port` (every interface unless `address`) in the running event loop."""
    routes = [(r"/healthz", _Health, {"state": state}), (r"/metrics", _Metrics, {"state": state})]
    server = HTTPServer(Application(routes))
    server.listen(port, address)
    return server
