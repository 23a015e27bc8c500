"""Serving the production app (``asgi_app.py``) with uvicorn: N worker processes, or a thread.

``serve()`` is ``kiosk backend``: the parent opens the store once (creating or migrating it,
so N workers do not race to), binds the listening socket itself (``--port 0`` works and a busy
port is said plainly), then runs one uvicorn server in-process (``workers=1``) or uvicorn's
multi-process supervisor over the same socket (``workers>1``). Each worker opens its own store
connection(s) from the environment (:func:`app_from_env`): a process-wide connection cannot
cross ``fork``/``spawn``.

Graceful shutdown is uvicorn's, bounded: on SIGTERM a worker stops accepting, closes idle
keep-alive connections, lets every request in flight finish (a batch is committed *and*
answered) for up to ``request_timeout_s`` + a margin, then exits; the supervisor passes the
signal on to every worker and waits for them.

:class:`AsgiBackend` is the same app on uvicorn in a background thread with the test harness's
API (:class:`~reference_backend.server.ReferenceBackend`): the contract tests and the catch-up
test run against it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

from reference_backend.asgi_app import BackendApp, Limits
from reference_backend.db import BackendDB, ProblemError, configured_pool_size
from reference_backend.http_core import PROBLEM
from reference_backend.server import Faults, ReferenceBackend
from reference_backend.store import ConnectionRoom, connection_room, is_postgres_url

log = logging.getLogger(__name__)

ENV = "SEVA_BACKEND_SERVE"  # JSON: db path and limits, for the worker processes
SHUTDOWN_MARGIN_S = 5.0


#: Workers that would take more than this share of the server's free connections leave too
#: little for everything else (psql, backups, a replica, the next deploy's overlap): warn.
CLOSE_SHARE = 0.8


@dataclass(frozen=True)
class ConnectionPlan:
    """N workers x each one's pool against what the PostgreSQL server has free.

    A pool grows to its size only under load, so a plan that does not fit starts fine and
    then fails at random in the busiest hour; :func:`connection_plan` is asked before the
    workers start, and ``kiosk backend`` refuses a plan that does not fit.
    """

    workers: int
    pool_size: int
    room: ConnectionRoom

    @property
    def needed(self) -> int:
        return self.workers * self.pool_size

    @property
    def fits(self) -> bool:
        return self.needed <= self.room.available

    @property
    def close(self) -> bool:
        """Fits, but with little to spare (more than :data:`CLOSE_SHARE` of what is free)."""
        return self.fits and self.needed > CLOSE_SHARE * self.room.available

    def numbers(self) -> dict[str, int]:
        """The figures a message names (``{workers}``, ``{pool}``, ``{needed}`` …)."""
        return {"workers": self.workers, "pool": self.pool_size, "needed": self.needed,
                "available": self.room.available, "max_connections": self.room.max_connections,
                "reserved": self.room.reserved, "in_use": self.room.in_use}


def connection_plan(location: Path | str, workers: int,
                    pool_size: int | None = None) -> ConnectionPlan | None:
    """The :class:`ConnectionPlan` for ``workers`` on the store at ``location`` (``None`` on
    SQLite: a file has no connection limit). ``pool_size`` defaults to each worker's own,
    ``$SEVA_BACKEND_POOL_SIZE`` or 16. Ask it with the parent's own store closed: its
    connections are gone once the workers run, and would be counted as in use.
    Raises :class:`~reference_backend.store.StoreUnavailableError` when the server cannot
    be asked."""
    if not is_postgres_url(location):
        return None
    return ConnectionPlan(max(1, workers), pool_size or configured_pool_size(),
                          connection_room(str(location)))


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (``IPPROTO_TCP``: asyncio then sets TCP_NODELAY on its
    connections; without it a keep-alive client waits ~40 ms per answer on Nagle)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                         socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # a district's catch-up: hundreds of kiosks connect in one second
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _config(app: Any, limits: Limits, *, workers: int = 1, factory: bool = False,
            access: bool = True) -> uvicorn.Config:
    return uvicorn.Config(
        app, factory=factory, workers=workers, lifespan="on", log_level="warning",
        access_log=False,  # ours is structured (asgi_app.py); uvicorn's prints addresses
        timeout_graceful_shutdown=int(limits.request_timeout_s + SHUTDOWN_MARGIN_S),
        timeout_keep_alive=30, backlog=2048, http=ProblemH11Protocol,
        log_config=_log_config() if access else None)


def _log_config() -> dict[str, Any]:
    """uvicorn's own messages as usual; the access log as bare JSON lines on stderr."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"},
                       "default": {"format": "%(levelname)s %(name)s: %(message)s"}},
        "handlers": {"access": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr"},
                     "default": {"class": "logging.StreamHandler", "formatter": "default",
                                 "stream": "ext://sys.stderr"}},
        "loggers": {"reference_backend.access": {"handlers": ["access"], "level": "INFO",
                                                 "propagate": False},
                    "uvicorn": {"handlers": ["default"], "level": "WARNING"},
                    "reference_backend": {"handlers": ["default"], "level": "WARNING"}},
    }


def app_from_env() -> Any:
    """The ASGI app of one worker process, from :data:`ENV` (set by :func:`serve`)."""
    spec = json.loads(os.environ[ENV])
    limits = Limits(**spec["limits"])
    db = BackendDB(spec["db"])
    faults = Faults(**spec.get("faults", {}))
    return BackendApp(db, limits, faults=faults).app


class ProblemH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, but a request it cannot frame (garbage request line, a
    request line or header over h11's limit) is refused as problem JSON like every other
    refusal of the contract, not as a text/plain page. h11 does not say which limit was
    hit, so it is always 400 here (the test server says 414 or 431)."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(ProblemError(400, "bad-request", "the request could not be parsed "
                                       "as HTTP/1.1").body()).encode("utf-8")
        headers = [(b"content-type", PROBLEM.encode()), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        try:
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                          h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:  # h11 would not frame it: plain bytes then
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\ncontent-type: " + PROBLEM.encode()
                                 + b"\r\nconnection: close\r\ncontent-length: "
                                 + str(len(body)).encode() + b"\r\n\r\n" + body)
        self.transport.close()


class _QuietServer(uvicorn.Server):
    """uvicorn re-raises the SIGTERM it caught once it has shut down (the process then dies
    of it, exit -15); ``kiosk backend`` has finished cleanly by then, so it exits 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit)
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def serve(db_path: Path | str, sock: socket.socket, *, workers: int = 1,
          limits: Limits | None = None, faults: Faults | None = None) -> None:
    """Serve until SIGTERM/SIGINT, then shut down gracefully. ``sock`` from :func:`bind`."""
    limits = limits or Limits()
    spec = {"db": str(db_path), "limits": limits.__dict__,
            "faults": {k: v for k, v in (faults or Faults()).__dict__.items()}}
    os.environ[ENV] = json.dumps(spec)
    if workers <= 1:
        config = _config(app_from_env(), limits)
        _QuietServer(config).run(sockets=[sock])
        return
    config = _config(f"{__name__}:app_from_env", limits, workers=workers, factory=True)
    _Supervisor(config, sockets=[sock]).run()


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, but on shutdown the parent lets go of the listening socket
    first: otherwise the kernel would keep queueing new connections that no worker will
    accept while the workers finish what is in flight."""

    def terminate_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().terminate_all()


class AsgiBackend(ReferenceBackend):
    """The production app on uvicorn in a thread, with the test harness's API.

    Same store, admin conveniences, ``stats`` and ``faults`` objects as
    :class:`ReferenceBackend`; of the faults it plays latency, 503 and 429 (the after-commit
    ones need the test server's raw sockets), and ``stats`` counts body bytes only (the test
    server counts headers too). ``stop()`` then ``start()`` reuses the port.
    """

    def __init__(self, db_path: Path | str, host: str = "127.0.0.1", port: int = 0, *,
                 enrolment_code: str | None = None, faults: Faults | None = None,
                 seed: int | None = None, limits: Limits | None = None) -> None:
        super().__init__(db_path, host, port, enrolment_code=enrolment_code, faults=faults,
                         seed=seed)
        self.limits = limits or Limits()
        self.app: BackendApp | None = None
        self._uvicorn: uvicorn.Server | None = None
        self._serve_thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._uvicorn is not None

    def start(self) -> AsgiBackend:
        if self._uvicorn is not None:
            return self
        sock = bind(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        self.app = BackendApp(self.db, self.limits, faults=self.faults, stats=self.stats)
        server = uvicorn.Server(_config(self.app.app, self.limits, access=False))
        started = threading.Event()
        failed: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # reported to start() below
                failed.append(exc)
            finally:
                sock.close()
                started.set()

        thread = threading.Thread(target=run, name=f"reference-backend-asgi:{self.port}")
        thread.start()
        _wait_until(lambda: server.started or not thread.is_alive(), 10.0, started)
        if not server.started:
            thread.join(timeout=5)
            raise RuntimeError(f"the production server did not start: {failed!r}")
        self._uvicorn, self._serve_thread = server, thread
        return self

    def stop(self) -> None:
        server, self._uvicorn = self._uvicorn, None
        thread, self._serve_thread = self._serve_thread, None
        if server is None:
            return
        self.stop_event.set()
        server.should_exit = True
        if thread is not None:
            thread.join(timeout=self.limits.request_timeout_s + SHUTDOWN_MARGIN_S + 5)
        self.stop_event.clear()


def _wait_until(ready: Callable[[], bool], timeout: float, event: threading.Event) -> None:
    """Poll ``ready`` (uvicorn has no 'started' callback) until true or ``timeout``."""
    waited = 0.0
    while not ready() and waited < timeout:
        event.wait(0.01)
        waited += 0.01
