"""The reference backend: the contract in ``openapi.yaml`` served over real HTTP.

It exists so that a kiosk runs whole on one machine (the embedded default) and so that sync is
tested against a real server with a real database — including the ways real servers fail.
:class:`Faults` switches on latency, 5xx/429 answers, connections dropped *after* the commit,
answers that arrive too late, malformed JSON, a captive-portal HTML page, and a skewed clock.

``http.server.ThreadingHTTPServer`` speaks HTTP/1.1 with keep-alive; the server tracks its open
connections so :meth:`ReferenceBackend.close` can end them and join every handler thread (a
kiosk runs for months; a leaked thread per connection is not acceptable).

This is the *test server*: the embedded default and the test harness. It stays stdlib because
its faults need the raw socket and it starts and stops in milliseconds. What a request means
(routes, limits, gzip, auth, encoding) is ``http_core.py``'s, shared with the production server
(``asgi_app.py`` on uvicorn, ``kiosk backend``), so the two serve one contract.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reference_backend import http_core
from reference_backend.db import BackendDB, ProblemError

log = logging.getLogger(__name__)

MAX_BODY = http_core.MAX_BODY  # on the wire and after gzip (the rules are in http_core.py)


@dataclass
class Faults:
    """Fault-injection switches; change them at any time, they apply to the next request.

    Rates are probabilities in [0, 1]. "After commit" faults happen once the request's effect is
    durable, which is the hardest case for a client: it must resend, and the idempotency key
    must make the resend harmless.
    """

    latency_s: float = 0.0
    error_rate: float = 0.0               # 503 before doing anything
    rate_limit_rate: float = 0.0          # 429 before doing anything
    retry_after_s: int | None = None      # sent with 503; 429 always sends one (default 1)
    retry_after_as_date: bool = False     # send Retry-After as an HTTP-date, not seconds
    drop_after_commit_rate: float = 0.0   # commit, then close the socket without answering
    timeout_rate: float = 0.0             # commit, then answer only after timeout_delay_s
    timeout_delay_s: float = 2.0
    malformed_json_rate: float = 0.0      # commit, then a truncated JSON body
    wrong_content_type_rate: float = 0.0  # commit, then an HTML "login page"
    clock_skew_s: float = 0.0             # the server's clock runs this far from true time


class _CountingReader:
    def __init__(self, raw: Any, tally: Callable[[int], None]) -> None:
        self._raw, self._tally = raw, tally

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._raw.read(n)
        self._tally(len(data))
        return data

    def readline(self, limit: int = -1) -> bytes:
        data: bytes = self._raw.readline(limit)
        self._tally(len(data))
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _CountingWriter:
    def __init__(self, raw: Any, tally: Callable[[int], None]) -> None:
        self._raw, self._tally = raw, tally

    def write(self, data: bytes) -> int:
        self._tally(len(data))
        return int(self._raw.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Server(ThreadingHTTPServer):
    daemon_threads = False      # so server_close() joins every handler thread
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], backend: ReferenceBackend) -> None:
        self.backend = backend
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SevaReferenceBackend/1"
    timeout = 60  # an idle keep-alive connection is closed after a minute
    server: _Server

    # -- wire accounting & quiet logs -----------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes; without NODELAY, Nagle + the client's delayed
        # ACK add ~40 ms to every answer on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        stats = self.server.backend.stats
        self.rfile = _CountingReader(self.rfile, stats.add_in)  # type: ignore[assignment]
        self.wfile = _CountingWriter(self.wfile, stats.add_out)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    def date_time_string(self, timestamp: float | None = None) -> str:
        skew = self.server.backend.faults.clock_skew_s
        return email.utils.formatdate((timestamp or time.time()) + skew, usegmt=True)

    # -- dispatch -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def __getattr__(self, name: str) -> Any:
        """Every other method (``PUT``, ``TRACE``, ``FOO``…) reaches the dispatcher too, so it is
        answered 405 with ``Allow`` on a known path or 404 elsewhere, as problem JSON, instead of
        the stdlib's 501 HTML page (a client would retry a 5xx for ever)."""
        if name.startswith("do_") and len(name) > 3:
            return lambda: self._dispatch(name[3:])
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """The stdlib's own refusals (bad request line, over-long URI or headers, …) as problem
        JSON too, and always closing the connection: the request could not be framed."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # unparsed request line: answer as HTTP/1.1
            self.request_version = self.protocol_version
        detail = message or self.responses.get(code, ("error",))[0]
        p = ProblemError(code, "bad-request" if code < 500 else "server-error", str(detail))
        # Straight to the wire: the request's headers may not have been parsed at all.
        self._raw(code, json.dumps(p.body()).encode("utf-8"), "application/problem+json")

    def _dispatch(self, method: str) -> None:
        backend = self.server.backend
        self._body_read = False
        path = urlsplit(self.path).path
        try:
            m = http_core.match(method, path)
        except ProblemError as p:
            self._drain_body()
            self._problem(p, getattr(p, "headers", None))
            return
        backend.stats.count(m.op)
        if m.op not in http_core.PROBES and self._inject_before():
            return
        try:
            answer, headers, _ = http_core.run(backend.db, m, method, path, self.headers.get,
                                               self._read_json)
        except ProblemError as p:
            self._drain_body()
            self._problem(p, {"Retry-After": "1"} if p.status == 503 else None)
            return
        except Exception:  # a bug must still answer (500), not drop the connection
            log.exception("%s %s failed", method, path)
            self.close_connection = True
            self._problem(ProblemError(500, "internal", "internal error"))
            return
        if m.op not in http_core.PROBES and self._inject_after():
            return
        self._send(answer.status, answer.body, headers)

    # -- request parsing ------------------------------------------------------------------------

    def _content_length(self) -> int:
        try:
            return http_core.content_length(self.headers.get)
        except ProblemError:
            self.close_connection = True
            raise

    def _drain_body(self) -> None:
        """Read a body nobody will parse, so the keep-alive connection stays framed."""
        if self._body_read:
            return
        self._body_read = True
        try:
            length = self._content_length()
        except ProblemError:
            return
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _read_json(self) -> Any:
        length = self._content_length()
        if length > MAX_BODY:
            self.close_connection = True
            raise http_core.too_large()
        self._body_read = True
        raw = self.rfile.read(length) if length else b""
        return http_core.decode_json(raw, self.headers.get)

    # -- faults ---------------------------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.server.backend.stop_event.wait(seconds)

    def _inject_before(self) -> bool:
        """Latency, then maybe a 503/429 instead of doing anything. True = answered."""
        backend = self.server.backend
        f = backend.faults
        self._wait(f.latency_s)
        if backend.roll(f.error_rate):
            self._drain_body()
            self._problem(ProblemError(503, "injected-unavailable",
                                       "service unavailable (injected)"),
                          self._retry_after(f.retry_after_s))
            return True
        if backend.roll(f.rate_limit_rate):
            self._drain_body()
            self._problem(ProblemError(429, "injected-rate-limit", "slow down (injected)"),
                          self._retry_after(f.retry_after_s or 1))
            return True
        return False

    def _retry_after(self, seconds: int | None) -> dict[str, str]:
        if seconds is None:
            return {}
        if self.server.backend.faults.retry_after_as_date:
            return {"Retry-After": self.date_time_string(time.time() + seconds)}
        return {"Retry-After": str(seconds)}

    def _inject_after(self) -> bool:
        """Faults after the commit. True = the answer was spoiled and already 'sent'."""
        backend = self.server.backend
        f = backend.faults
        if backend.roll(f.drop_after_commit_rate):
            backend.stats.count("fault:drop")
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if backend.roll(f.timeout_rate):
            backend.stats.count("fault:timeout")
            self._wait(f.timeout_delay_s)
            self.close_connection = True
            return True
        if backend.roll(f.malformed_json_rate):
            backend.stats.count("fault:malformed")
            self._raw(200, b'{"items": [{"idempotency_key": "', "application/json")
            return True
        if backend.roll(f.wrong_content_type_rate):
            backend.stats.count("fault:content-type")
            self._raw(200, b"<html><body>Please log in to the network</body></html>",
                      "text/html; charset=utf-8")
            return True
        return False

    # -- responses ------------------------------------------------------------------------------

    def _problem(self, p: ProblemError, headers: dict[str, str] | None = None) -> None:
        self._send(p.status, p.body(), headers, "application/problem+json")

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None,
              ctype: str = "application/json") -> None:
        data, headers = http_core.encode(status, body, self.headers.get("Accept-Encoding", ""),
                                         headers)
        self._raw(status, data, ctype, headers)

    def _raw(self, status: int, data: bytes, ctype: str,
             headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if data and self.command != "HEAD":
                self.wfile.write(data)
        except OSError:
            self.close_connection = True


class Stats:
    """Requests per operation and bytes on the wire (both directions), for tests and bench."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.bytes_in = 0
        self.bytes_out = 0

    def count(self, op: str) -> None:
        with self._lock:
            self.requests[op] += 1

    def add_in(self, n: int) -> None:
        with self._lock:
            self.bytes_in += n

    def add_out(self, n: int) -> None:
        with self._lock:
            self.bytes_out += n

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.bytes_in = self.bytes_out = 0

    def total_requests(self, exclude: tuple[str, ...] = ("health",)) -> int:
        with self._lock:
            return sum(n for op, n in self.requests.items()
                       if op not in exclude and not op.startswith("fault:"))


class ReferenceBackend:
    """Database + HTTP server + fault switches. ``close()`` safe twice; context manager.

    ``port=0`` picks a free port; after :meth:`stop` a later :meth:`start` reuses the same port,
    which is how tests take the backend "down" and bring it "back".
    """

    def __init__(self, db_path: Path | str, host: str = "127.0.0.1", port: int = 0, *,
                 enrolment_code: str | None = None, faults: Faults | None = None,
                 seed: int | None = None) -> None:
        self.host, self.port = host, port
        self.faults = faults or Faults()
        self.stats = Stats()
        self.stop_event = threading.Event()
        self._random = random.Random(seed)
        self._random_lock = threading.Lock()
        self.db = BackendDB(db_path, enrolment_code, clock=self._now)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def _now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.faults.clock_skew_s)

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._random_lock:
            return self._random.random() < rate

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> ReferenceBackend:
        if self._server is not None:
            return self
        self.stop_event.clear()
        server = _Server((self.host, self.port), self)
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"reference-backend:{self.port}", daemon=True)
        self._thread.start()
        log.info("reference backend listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving (the database stays open): the backend is 'down' until start()."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stop_event.set()
        server.shutdown()
        with server.sockets_lock:
            socks = list(server.open_sockets)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()  # joins the handler threads
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def close(self) -> None:
        self.stop()
        self.db.close()

    def __enter__(self) -> ReferenceBackend:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- admin conveniences (tests, the embedded default, the bench) ----------------------------

    @property
    def enrolment_code(self) -> str:
        return self.db.enrolment_code

    def issue_credential(self, kiosk_id: str, centre: str = "TEST") -> str:
        return self.db.issue_credential(kiosk_id, centre)

    def revoke(self, kiosk_id: str) -> bool:
        return self.db.revoke(kiosk_id)

    def reinstate(self, kiosk_id: str) -> bool:
        return self.db.reinstate(kiosk_id)

    def centre_enrolment_code(self, centre: str) -> str:
        return self.db.centre_enrolment_code(centre)

    def set_centre_district(self, centre: str, district: str) -> None:
        self.db.set_centre_district(centre, district)

    def publish(self, name: str, data: dict[str, Any]) -> str:
        return self.db.publish(name, data)

    def issue_certificate(self, application_no: str, details: dict[str, str] | None = None, *,
                          issued_on: date | None = None) -> str:
        """Approve ``application_no`` and issue its signed certificate (DEMO key); the number."""
        return self.db.issue_certificate(application_no, details, issued_on=issued_on)

    def revoke_certificate(self, certificate_no: str, reason: str = "") -> str:
        """Add a certificate to the ``revocations`` document; returns the new ETag."""
        return self.db.revoke_certificate(certificate_no, reason)
