"""A load run against two real `python bot.py` webhook workers sharing one PostgreSQL
store and one index folder, behind one local address (`balancer.Balancer`), with the fake
Bot API server standing in for Telegram: the updates of `loadtraffic.traffic` posted at a
steady rate as Telegram would (again after a failure), one worker killed (kill -9) at a
moment none of its replies is on its way out (as tests/test_durable.py does: the one
moment no design serves both ways), the run carried on to quiescence, then the replies
matched to the updates and the figures taken.

The workers take a fixed day for today and run their digest job `Load.digest_after`
seconds after their launch, both before the kill: `bot.py` is run through a launcher of a
few lines that sets the two (the bot has no setting for either). Used by
tests/test_load_workers.py and benchmarks/bench_workers.py."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
from balancer import Balancer
from helpers import ROOT
from loadtraffic import Load, Post, Replies, Verdict, explain, match, traffic, verdict

SECRET = "load-run-secret-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HOOK = "telegram/hook"
DAY = date(2026, 1, 24)  # the workers' today: a day with deadlines to remind of
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the digest's time is the plans' local time
LAUNCHER = """\
import runpy, sys
from datetime import date
import assistant.due.schedule as schedule
import assistant.telegram.digest as digest
day, at = sys.argv[1:3]
schedule.today_in_vietnam = lambda: date.fromisoformat(day)
digest.DIGEST_TIME = tuple(int(n) for n in at.split(":"))
sys.argv = ["bot.py"]
runpy.run_path("bot.py", run_name="__main__")
"""


class RunFailed(RuntimeError):
    """The run could not be carried out as planned (not a verdict on the bot's answers)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Linear between the closest ranks (as benchmarks/run_benchmarks.py)."""
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


@dataclass
class Worker:
    name: str
    log: Path
    port: int = field(default_factory=free_port)
    metrics_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def launch(self, env: dict[str, str], digest_at: datetime) -> None:
        env = env | {
            "PORT": str(self.port),
            "ASSISTANT_WORKER_ID": self.name,
            "ASSISTANT_METRICS_PORT": str(self.metrics_port),
            "ASSISTANT_DATA_DIR": str(self.log.parent / self.name),
        }
        args = [sys.executable, "-c", LAUNCHER, DAY.isoformat(), digest_at.strftime("%H:%M:%S")]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=out)

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RunFailed(f"worker {self.name} stopped at its start\n{self.tail()}")
        if " ready: " not in self.log.read_text(errors="replace"):
            return False
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    async def metrics(self) -> dict[str, float]:
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5)).text
        return {m[1]: float(m[2]) for m in re.finditer(r"^(cchc_\S+) (\S+)$", text, re.M)}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, chars: int = 3000) -> str:
        return f"--- worker {self.name} ---\n{self.log.read_text(errors='replace')[-chars:]}"


def shared_env(tg, balancer_port: int, db_url: str, index_dir: Path, embedder: str, load: Load) -> dict:
    """What every worker is given: the fake Bot API, the one public address, the store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ASSISTANT_"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{balancer_port}/{HOOK}",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "ASSISTANT_DATABASE_URL": db_url,
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_EMBEDDER": embedder,
        "ASSISTANT_WORKER_STALE_AFTER": str(load.stale_after),
        "PYTHONPATH": str(ROOT),
    }


async def deliver(client: httpx.AsyncClient, url: str, post: Post, tries: int = 60) -> None:
    """POST the update as Telegram does: again a second later until it is accepted (200)."""
    post.posted = time.monotonic()
    for attempt in range(1, tries + 1):
        post.attempts = attempt
        try:
            if (await client.post(url, json=post.update, headers={SECRET_HEADER: SECRET})).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(1.0)
    raise RunFailed(f"update {post.update_id} was not accepted in {tries} attempts")


def _query(db_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(db_url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


async def kill_outside_the_send_window(worker: Worker, db_url: str, replies, patience: int = 200):
    """kill -9 at a moment every update the worker marked as `sending` has its reply at
    the fake server, and, within `patience` tries, while it holds an update it claimed
    (its take-over by the other worker is then part of the run). Returns the tries and
    the store's updates as the kill left them: {state: count}, the worker's own and the
    unclaimed ones."""
    pid = worker.process.pid
    sql = (
        "SELECT update_id, state FROM updates WHERE (worker = %s AND state IN ('claimed', 'sending')) "
        "OR state = 'new'"
    )
    for tries in range(1, 1000):
        os.kill(pid, signal.SIGSTOP)
        await asyncio.sleep(0.05)  # what the worker wrote to its sockets arrives
        rows = await asyncio.to_thread(_query, db_url, sql, (worker.name,))
        answered = replies()
        safe = all(answered.answered(u) for u, state in rows if state == "sending")
        if safe and (tries > patience or any(state == "claimed" for _, state in rows)):
            os.kill(pid, signal.SIGKILL)
            await asyncio.to_thread(worker.process.wait)
            return tries, dict(Counter(state for _, state in rows))
        os.kill(pid, signal.SIGCONT)
        await asyncio.sleep(0.05 + 0.01 * (tries % 7))  # running at least half the time
    raise RunFailed("no moment outside a reply's way out")


@dataclass
class Outcome:
    verdict: Verdict
    figures: dict
    posts: list[Post]
    calls: list  # every call the fake Bot API server answered

    def explain(self) -> str:
        """The timelines of the chats where an invariant failed."""
        return explain(self.posts, self.calls, self.verdict.problem_chats)


async def run(load: Load, tg, db_url: str, index_dir: Path, embedder: str, questions, leads, workdir: Path):
    """The whole run (see the module's doc); workers' logs in `workdir`."""
    posts = traffic(load, list(questions), set(leads), tg)
    workers = [Worker(name, workdir / f"worker-{name}.log") for name in ("a", "b")]
    replies = lambda: match(posts, list(tg.calls))  # noqa: E731
    digest_at = time.monotonic() + load.digest_after
    async with Balancer([w.port for w in workers]) as lb:
        env = shared_env(tg, lb.port, db_url, index_dir, embedder, load)
        for w in workers:
            w.launch(env, datetime.now(ZONE) + timedelta(seconds=load.digest_after))
        try:
            return await _drive(load, tg, db_url, posts, workers, lb, replies, digest_at)
        except Exception as exc:
            raise RunFailed(f"{exc}\n" + "\n".join(w.tail() for w in workers)) from exc
        finally:
            for w in workers:
                w.stop()


async def _drive(load, tg, db_url, posts, workers, lb, replies, digest_at) -> Outcome:
    victim, survivor = workers
    while not all(w.ready() for w in workers):
        if time.monotonic() > digest_at - load.subscribed / load.rate - 5:
            raise RunFailed(f"the workers were not ready {load.digest_after:.0f} s before their digest")
        await asyncio.sleep(0.1)
    killed: dict = {}

    async def kill() -> None:
        await asyncio.sleep(max(0.0, digest_at + 3 - time.monotonic()))  # both sent digests
        killed["digests_sent_by_victim"] = (await victim.metrics()).get("cchc_digests_sent_total", 0)
        killed["tries"], killed["left"] = await kill_outside_the_send_window(victim, db_url, replies)
        killed["at_update"] = sum(1 for p in posts if p.posted)
        killed["at"] = time.monotonic()

    started = time.monotonic()
    await _post(f"http://127.0.0.1:{lb.port}/{HOOK}", posts, load.rate, int(len(posts) * load.kill_at), kill)
    posted_in = time.monotonic() - started
    deadline = time.monotonic() + 3 * load.stale_after + 60
    while not all(replies().answered(p.update_id) for p in posts) or time.monotonic() < digest_at + 5:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.25)
    await tg.settle(quiet=3.0, timeout=60)
    found = replies()
    if any(p.kind == "subscribe" and _first_reply_at(found, p) > digest_at for p in posts):
        raise RunFailed("subscriptions were confirmed after the digest ran: a longer digest_after")
    survivor_metrics = await survivor.metrics()
    sql = "SELECT state, count(*) FROM updates GROUP BY state"
    states = dict(await asyncio.to_thread(_query, db_url, sql))
    return Outcome(
        verdict(posts, found),
        _figures(load, posts, found, started, posted_in, killed, survivor_metrics, states, lb, workers),
        posts,
        list(tg.calls),
    )


async def _post(url: str, posts: list[Post], rate: float, kill_after: int, kill) -> None:
    """Post the updates at a steady `rate`, each as its own task; `kill()` once `kill_after`
    have gone; returns when every update was accepted and the kill done."""
    started = time.monotonic()
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        sending, killing = [], None
        for i, post in enumerate(posts):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            sending.append(asyncio.create_task(deliver(client, url, post)))
            if i + 1 == kill_after:
                killing = asyncio.create_task(kill())
        await asyncio.gather(*sending, killing)


def _first_reply_at(replies: Replies, post: Post) -> float:
    calls = replies.by_update.get(post.update_id)
    return calls[0].at if calls else float("inf")


def _figures(load, posts, found, started, posted_in, killed, metrics, states, lb, workers) -> dict:
    answered = [p for p in posts if found.answered(p.update_id)]
    seconds = {p.update_id: _first_reply_at(found, p) - p.posted for p in answered}
    last = max((_first_reply_at(found, p) for p in answered), default=started)
    before = [seconds[p.update_id] for p in answered if p.posted < killed["at"]]
    after = [seconds[p.update_id] for p in answered if p.posted >= killed["at"]]
    ms = lambda values, q: round(percentile(values, q) * 1000) if values else None  # noqa: E731
    return {
        "updates": len(posts),
        "chats": load.chats,
        "private_chats": len({p.chat_id for p in posts if not p.group}),
        "group_chats": len({p.chat_id for p in posts if p.group}),
        "questions": sum(p.kind == "question" for p in posts),
        "follow_ups": sum(p.kind == "follow_up" for p in posts),
        "subscriptions": sum(p.kind == "subscribe" for p in posts),
        "rate_offered": load.rate,
        "posting_seconds": round(posted_in, 1),
        "updates_per_second": round(len(answered) / (last - started), 2),
        "reply_ms_p50": ms(list(seconds.values()), 0.5),
        "reply_ms_p95": ms(list(seconds.values()), 0.95),
        "reply_ms_max": ms(list(seconds.values()), 1.0),
        "reply_ms_p95_before_kill": ms(before, 0.95),
        "reply_ms_p95_after_kill": ms(after, 0.95),
        "reply_ms_mean": round(statistics.fmean(seconds.values()) * 1000) if seconds else None,
        "reply_ms_p95_by_tenth": [  # of the updates, in posting order: warming up, the kill
            ms([seconds[p.update_id] for p in tenth if p.update_id in seconds], 0.95)
            for tenth in (posts[i * len(posts) // 10 : (i + 1) * len(posts) // 10] for i in range(10))
        ],
        "stale_after_s": load.stale_after,
        "killed": {
            "worker": workers[0].name,
            "after_updates_posted": killed["at_update"],
            "tries": killed["tries"],
            "store_at_kill": killed["left"],
        },
        "taken_over_by_survivor": metrics.get('cchc_updates_replayed_total{outcome="taken_over"}', 0),
        "taken_elsewhere_by_survivor": metrics.get("cchc_updates_taken_elsewhere_total", 0),
        "redelivered_to_survivor": metrics.get('cchc_updates_received_total{outcome="redelivered"}', 0),
        "digests_sent": {
            workers[0].name: killed["digests_sent_by_victim"],
            workers[1].name: metrics.get("cchc_digests_sent_total", 0),
        },
        "replies_in_several_messages": found.continued,
        "posts_retried": sum(p.attempts > 1 for p in posts),
        "balancer": {
            "forwarded": {w.name: lb.forwarded[w.port] for w in workers},
            "failed_attempts": lb.failed,
        },
        "store_states": states,
    }
