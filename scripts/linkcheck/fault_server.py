"""A local HTTP server with planted faults, for the link checker's tests and benchmark (loopback only).

Every path is ``/<behaviour>`` or ``/<behaviour>/<anything>``; the tail only makes URLs distinct, and
"first request" behaviours (``flaky``, ``ratelimit``) count per full URL. One server can listen on many
ports, so that each port is a separate host for per-host limits. It never binds anything but 127.x.

Behaviours: ok (HTML with ids), notfound (404), gone (410), error (500), flaky (503 once, then 200),
ratelimit (429 with Retry-After once, then 200), moved (301 -> ok), moved308 (308 -> ok), movedchain
(301 -> 308 -> ok), chain (302 -> 302 -> ok), loop (302 <-> 302), slow (answers after ``slow_seconds``),
headrefused (HEAD 405, GET 200), headforbidden (HEAD 403, GET 200), forbidden (403), huge (an endless
HTML body), latin1 (ISO-8859-1 page), badbytes (invalid UTF-8 declared as UTF-8), reset (TCP reset).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web

OK_IDS = ("intro", "section-2", "梯度下降")
OK_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>ok</title></head><body>"
    "<h1 id='intro'>Intro</h1><h2 id='section-2'>Two</h2><h2 id='梯度下降'>梯度下降</h2>"
    "<a name='legacy'>old anchor</a></body></html>"
)
HUGE_HEAD = b"<!doctype html><html><body><h1 id='top-id'>huge</h1>"
HUGE_CHUNK = b"<p>" + b"x" * 65536 + b"</p>\n"
HUGE_TAIL = b"<h2 id='late-id'>never reached by a bounded reader</h2></body></html>"
HUGE_MAX_CHUNKS = 3000  # about 200 MB: bounded, but far more than any reader should take


@dataclass
class FaultServer:
    """Start with :meth:`start` (in a background thread); stop with :meth:`stop`."""

    ports: int = 1
    host: str = "127.0.0.1"
    latency: float = 0.0
    slow_seconds: float = 5.0
    retry_after: int = 1
    requests: Counter[str] = field(default_factory=Counter)  # "METHOD /path" -> count
    bound_ports: list[int] = field(default_factory=list)
    _seen: Counter[str] = field(default_factory=Counter)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FaultServer:
        if not self.host.startswith("127."):
            raise ValueError("the fault server only listens on loopback addresses")
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault server did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start_sites())
        ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._stop_sites())
        self._loop.close()

    async def _start_sites(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{behaviour}", self._handle)
        app.router.add_route("*", "/{behaviour}/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        for _ in range(self.ports):
            await web.TCPSite(self._runner, self.host, 0, backlog=512).start()
        self.bound_ports = [address[1] for address in self._runner.addresses]

    async def _stop_sites(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def url(self, path: str, port_index: int = 0) -> str:
        return f"http://{self.host}:{self.bound_ports[port_index]}/{path.lstrip('/')}"

    def reset_counts(self) -> None:
        self.requests.clear()
        self._seen.clear()

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    # -- behaviours --------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        behaviour = request.match_info["behaviour"]
        tail = request.match_info.get("tail", "")
        self.requests[f"{request.method} {request.path}"] += 1
        key = f"{request.host}{request.path}"
        if self.latency:
            await asyncio.sleep(self.latency)
        suffix = f"/{tail}" if tail else ""
        head = request.method == "HEAD"
        if behaviour == "ok":
            return web.Response(text=OK_PAGE, content_type="text/html")
        if behaviour in ("notfound", "gone", "error", "forbidden"):
            status = {"notfound": 404, "gone": 410, "error": 500, "forbidden": 403}[behaviour]
            return web.Response(status=status, text=f"{behaviour}\n")
        if behaviour in ("flaky", "ratelimit"):
            self._seen[key] += 1
            if self._seen[key] == 1:
                if behaviour == "flaky":
                    return web.Response(status=503, text="try again\n")
                return web.Response(status=429, headers={"Retry-After": str(self.retry_after)}, text="slow down\n")
            return web.Response(text=OK_PAGE, content_type="text/html")
        redirects = {
            "moved": (301, "ok"),
            "moved308": (308, "ok"),
            "movedchain": (301, "moved308"),
            "chain": (302, "chain2"),
            "chain2": (302, "ok"),
            "loop": (302, "loop2"),
            "loop2": (302, "loop"),
        }
        if behaviour in redirects:
            status, target = redirects[behaviour]
            return web.Response(status=status, headers={"Location": f"/{target}{suffix}"})
        if behaviour == "slow":
            await asyncio.sleep(self.slow_seconds)
            return web.Response(text=OK_PAGE, content_type="text/html")
        if behaviour in ("headrefused", "headforbidden"):
            if head:
                return web.Response(status=405 if behaviour == "headrefused" else 403)
            return web.Response(text=OK_PAGE, content_type="text/html")
        if behaviour == "huge":
            return await self._huge(request, head)
        if behaviour == "latin1":
            body = "<html><body><h1 id='café'>Café</h1><p>\u00e9t\u00e9</p></body></html>".encode("latin-1")
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"})
        if behaviour == "badbytes":
            body = b"<html><body><h1 id='ok-id'>bad \xff\xfe\xc3( bytes</h1></body></html>"
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        if behaviour == "reset":
            self._reset(request)
            return web.Response(status=500)
        return web.Response(status=404, text="unknown behaviour\n")

    async def _huge(self, request: web.Request, head: bool) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        if head:
            return response
        try:
            await response.write(HUGE_HEAD)
            for _ in range(HUGE_MAX_CHUNKS):
                await response.write(HUGE_CHUNK)
            await response.write(HUGE_TAIL)
        except (ConnectionError, RuntimeError):
            return response
        await response.write_eof()
        return response

    @staticmethod
    def _reset(request: web.Request) -> None:
        transport = request.transport
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
