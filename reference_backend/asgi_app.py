"""The reference backend's production HTTP layer: a Starlette app for uvicorn.

Why a second server next to ``server.py``: ``ThreadingHTTPServer`` is one process with a thread
per connection, right for a kiosk's embedded backend and for tests that break sockets on
purpose, wrong for a district where 500 kiosks reconnect in the same minute. This app is one
ASGI callable per worker process (``workers.py`` runs several); the event loop parses and
waits, the store's synchronous work runs on worker threads (as in the centre service,
``kiosk/centre/server.py``).

What a request means is decided in ``http_core.py`` (routes, sizes, gzip, JSON depth, auth) and
what it does in ``operations.py`` — the same code the test server runs, so both serve one
contract. This layer adds what a production server needs:

* **limits**: a body over :data:`http_core.MAX_BODY` is refused (413) by its header or as it
  streams in, and a request that runs longer than ``request_timeout_s`` is answered 503 +
  ``Retry-After`` (its thread runs on; if it commits, the kiosk's resend with the same
  idempotency key gets the stored answer);
* **load shaping**: at most ``max_inflight_writes`` writes in flight per worker (fewer when the
  store is slow, so an admitted write is answered well inside the kiosk's timeout); the rest
  get 429 with a spread-out ``Retry-After`` at once (``load_shaping.py``);
* **access logs**: one JSON line per request — method, route (the operation, never the raw path:
  paths carry application numbers), status, ms, bytes in and out, the kiosk id; no body, no
  query, no address, nothing about a citizen;
* **readiness**: ``/v1/ready`` reads the store (``http_core.ready``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from reference_backend import http_core
from reference_backend.db import Answer, BackendDB, Caller, ProblemError
from reference_backend.load_shaping import WriteGate
from reference_backend.server import Faults, Stats

log = logging.getLogger(__name__)
access_log = logging.getLogger("reference_backend.access")

REQUEST_TIMEOUT_S = 8.0  # under the kiosk's 10 s read timeout, so it hears 503, not silence
WORKER_THREADS = 16      # store calls at once per worker; writes are bounded lower by the gate


@dataclass
class Limits:
    """The knobs ``kiosk backend`` exposes (docs/sync.md, "Running the reference backend")."""

    max_body: int = http_core.MAX_BODY
    request_timeout_s: float = REQUEST_TIMEOUT_S
    #: 4: on SQLite writes go one at a time anyway; 8 drained the bench 20 % faster but let a
    #: few batches past the time limit on a loaded machine (docs/sync.md, Load shaping).
    max_inflight_writes: int = 4
    max_retry_after_s: int = 10
    worker_threads: int = WORKER_THREADS


@dataclass
class _Seen:
    """What the access log line says about one request (filled in as it is handled)."""

    method: str
    route: str = "-"
    kiosk: str = "-"
    bytes_in: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class BackendApp:
    """The routes over one :class:`BackendDB` (``.app`` is the ASGI application)."""

    def __init__(self, db: BackendDB, limits: Limits | None = None, *,
                 faults: Faults | None = None, stats: Stats | None = None,
                 gate: WriteGate | None = None) -> None:
        self.db = db
        self.limits = limits or Limits()
        self.faults = faults or Faults()
        self.stats = stats or Stats()
        self.gate = gate or WriteGate(self.limits.max_inflight_writes,
                                      self.limits.max_retry_after_s,
                                      budget_s=self.limits.request_timeout_s / 2)
        # An ASGI endpoint (not a function) takes every method, declared or not: routing and
        # 404/405 are http_core's, the same as the test server's.
        self.app = Starlette(routes=[Route("/{path:path}", _Endpoint(self.endpoint))],
                             lifespan=self._lifespan)

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = \
            self.limits.worker_threads
        yield

    async def endpoint(self, request: Request) -> Response:
        t0 = time.perf_counter()
        seen = _Seen(request.method)
        response = await self._handle(request, seen)
        body = getattr(response, "body", b"") or b""
        self.stats.add_in(seen.bytes_in)
        self.stats.add_out(len(body))
        if access_log.isEnabledFor(logging.INFO):
            access_log.info("%s", json.dumps({
                "method": seen.method[:16], "route": seen.route, "status": response.status_code,
                "ms": round((time.perf_counter() - t0) * 1000, 1), "bytes_in": seen.bytes_in,
                "bytes_out": len(body), "kiosk": seen.kiosk, "pid": os.getpid(), **seen.extra}))
        return response

    async def _handle(self, request: Request, seen: _Seen) -> Response:
        method = request.method
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        path = raw_path.decode("latin-1").split("?", 1)[0]
        header: http_core.Header = request.headers.get
        try:
            m = http_core.match(method, path)
        except ProblemError as p:
            await self._drain(request, seen)
            return self._problem(p, request, getattr(p, "headers", None))
        seen.route = m.op
        self.stats.count(m.op)
        ticket: float | None = None
        try:
            if m.op not in http_core.PROBES:
                early = await self._inject_before(request, seen)
                if early is not None:
                    return early
            raw = b""
            if method == "POST":
                # The body first (a kiosk on a slow link must not hold a write slot while it
                # uploads), then a slot, or 429 at once.
                raw = await self._read_body(request, seen)
                ticket = self.gate.try_enter()
                if ticket is None:
                    self.stats.count("shed")
                    seen.extra["shed"] = True
                    return self._problem(
                        ProblemError(429, "busy", "too many writes in flight; send the same "
                                     "request again after Retry-After seconds"), request,
                        {"Retry-After": str(self.gate.retry_after())})

            def work() -> tuple[Answer, dict[str, str], Caller]:
                return http_core.run(self.db, m, method, path, header,
                                     lambda: http_core.decode_json(raw, header))

            held, ticket = ticket, None  # from here _in_thread releases it, when the thread ends
            answer, headers, caller = await self._in_thread(work, ticket=held)
            seen.kiosk = caller.kiosk_id
            data, out = http_core.encode(answer.status, answer.body,
                                         header("Accept-Encoding") or "", headers)
            return Response(data, answer.status, out,
                            media_type=None if answer.status == 304 else "application/json")
        except ProblemError as p:
            extra = getattr(p, "headers", None)
            if p.status == 503 and not extra:
                extra = {"Retry-After": str(self.gate.retry_after())}
            return self._problem(p, request, extra)
        except ClientDisconnect:
            return Response(b"", 400)
        except Exception:  # a bug must still answer (500), not drop the connection
            log.exception("%s %s failed", method, m.op)
            return self._problem(ProblemError(500, "internal", "internal error"), request,
                                 {"Connection": "close"})
        finally:
            if ticket is not None:
                self.gate.leave(ticket)

    async def _in_thread(self, fn: Callable[[], tuple[Answer, dict[str, str], Caller]], *,
                         ticket: float | None) -> tuple[Answer, dict[str, str], Caller]:
        """Run ``fn`` on a worker thread, answering 503 if it outlasts the time limit.

        The thread cannot be stopped; it runs on, and holds its write slot until it ends, so a
        slow store sheds load instead of piling more threads onto it.
        """
        task = asyncio.ensure_future(anyio.to_thread.run_sync(fn))
        if ticket is not None:
            task.add_done_callback(lambda _t: self.gate.leave(ticket))
        try:
            return await asyncio.wait_for(asyncio.shield(task),
                                          timeout=self.limits.request_timeout_s)
        except TimeoutError:
            task.add_done_callback(_retrieve)
            raise ProblemError(503, "timeout", f"the request took longer than "
                               f"{self.limits.request_timeout_s:g} s; send it again") from None

    async def _read_body(self, request: Request, seen: _Seen) -> bytes:
        """The body, refused at :attr:`Limits.max_body` bytes by header or as it arrives."""
        length = http_core.content_length(request.headers.get)
        if length > self.limits.max_body:
            raise _ClosingError(http_core.too_large())
        chunks: list[bytes] = []
        async for chunk in request.stream():
            seen.bytes_in += len(chunk)
            if seen.bytes_in > self.limits.max_body:
                raise _ClosingError(http_core.too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    async def _drain(self, request: Request, seen: _Seen) -> None:
        """Read (and drop) a body nobody will parse, up to the limit: keeps keep-alive framed."""
        try:
            if http_core.content_length(request.headers.get) > self.limits.max_body:
                return
            async for chunk in request.stream():
                seen.bytes_in += len(chunk)
                if seen.bytes_in > self.limits.max_body:
                    return
        except (ProblemError, ClientDisconnect):
            return

    async def _inject_before(self, request: Request, seen: _Seen) -> Response | None:
        """The faults this server can play: latency, then maybe a 503 or 429 (``kiosk backend
        --latency-ms/--error-rate``). After-commit faults need the test server's sockets."""
        f = self.faults
        if f.latency_s > 0:
            await asyncio.sleep(f.latency_s)
        for rate, status, code in ((f.error_rate, 503, "injected-unavailable"),
                                   (f.rate_limit_rate, 429, "injected-rate-limit")):
            if rate > 0 and self.gate.rng.random() < rate:
                await self._drain(request, seen)
                self.stats.count(f"fault:{status}")
                retry = f.retry_after_s if f.retry_after_s is not None else 1
                return self._problem(ProblemError(status, code, f"{status} (injected)"),
                                     request, {"Retry-After": str(retry)})
        return None

    @staticmethod
    def _problem(p: ProblemError, request: Request,
                 headers: dict[str, str] | None = None) -> Response:
        if isinstance(p, _ClosingError):
            p, headers = p.problem, {**(headers or {}), "Connection": "close"}
        data = json.dumps(p.body()).encode("utf-8")
        return Response(data, p.status, headers, media_type=http_core.PROBLEM)


class _Endpoint:
    """A request handler as a plain ASGI app, which Starlette routes whatever the method."""

    def __init__(self, handle: Callable[[Request], Awaitable[Response]]) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)


class _ClosingError(ProblemError):
    """A refusal after which the connection must close (the body was not read to its end)."""

    def __init__(self, problem: ProblemError) -> None:
        super().__init__(problem.status, problem.code, problem.detail)
        self.problem = problem


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Collect an abandoned thread's outcome so asyncio does not warn about it."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("a request that timed out later failed: %r", task.exception())
