"""One local address in front of several webhook workers, as an nginx upstream block does
for the bot's deployment: each request is forwarded whole to the next live worker in turn
(round robin); a worker that refuses the connection, drops it or does not answer in time
is left out for `down_for` seconds and the request goes to the next one (Telegram would
send it again anyway); 502 when none answers. Plain HTTP/1.1 on 127.0.0.1, keep-alive on
both sides, for the load test and the benchmark (tests/workerload.py).

    async with Balancer([port_a, port_b]) as lb:
        url = f"http://127.0.0.1:{lb.port}/telegram/hook"
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class Balancer:
    def __init__(self, ports: list[int], down_for: float = 2.0, timeout: float = 10.0):
        if not ports:
            raise ValueError("a balancer needs at least one worker's port, got none")
        self.ports, self.down_for, self.timeout = list(ports), down_for, timeout
        self.forwarded: Counter[int] = Counter()  # requests each worker answered
        self.failed = 0  # attempts a worker refused, dropped or let time out (the next one got it)
        self._down_until: dict[int, float] = {}
        self._next = 0
        self._server: asyncio.Server | None = None
        self._client: httpx.AsyncClient | None = None

    @property
    def port(self) -> int:
        return self._server.sockets[0].getsockname()[1]

    async def __aenter__(self) -> Balancer:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self._client = httpx.AsyncClient(timeout=self.timeout, limits=limits)
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        await self._server.wait_closed()
        await self._client.aclose()

    def _order(self) -> list[int]:
        """The workers to try for the next request: round robin, the live ones first."""
        start, self._next = self._next, (self._next + 1) % len(self.ports)
        turn = self.ports[start:] + self.ports[:start]
        now = time.monotonic()
        return sorted(turn, key=lambda p: self._down_until.get(p, 0) > now)

    async def forward(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
        for port in self._order():
            try:
                reply = await self._client.request(
                    method, f"http://127.0.0.1:{port}{path}", headers=headers, content=body
                )
            except httpx.TransportError:  # refused, dropped, timed out: the next worker
                self._down_until[port] = time.monotonic() + self.down_for
                self.failed += 1
                continue
            self.forwarded[port] += 1
            return reply.status_code, reply.content
        return 502, b"no worker answered"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request := await _read_request(reader):
                method, path, headers, body = request
                status, content = await self.forward(method, path, headers, body)
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Length: {len(content)}\r\n"
                    "Content-Type: text/plain\r\n\r\n".encode()
                    + content
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict, bytes] | None:
    """One request from a keep-alive connection; None when the client closed it."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    body = await reader.readexactly(length) if length else b""
    kept = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
    return method, path, kept, body
