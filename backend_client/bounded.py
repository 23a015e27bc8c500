"""Bounded HTTP exchanges: a total deadline, a size cap on the decompressed answer, no redirects.

Why a module of its own: ``requests`` bounds each socket operation (connect, one read), not an
exchange. A server that answers one byte every two seconds never trips a 10 s read timeout and
can hold a worker for hours; a 600 KB gzip bomb or a 300 MB answer is read whole into memory
before anyone looks at it; and a 307 makes ``requests`` re-send the request body (citizens'
names and mobiles) to whatever origin the ``Location`` names. Here:

* **Total deadline.** A timer armed for the exchange shuts the socket down when the deadline
  passes, wherever the exchange is — status line, headers, body, TLS handshake — so the blocked
  read returns at once and the caller gets :class:`DeadlineExceededError`. The connection is
  found through connection classes mounted on the session (:func:`bounded_session`) that note
  themselves on the calling thread; only DNS resolution (``getaddrinfo``) cannot be cut short.
* **Size cap, decompressed included.** The body is read raw in small chunks and inflated here
  with ``max_length``, so memory never holds more than the cap plus one chunk, whatever the
  compression ratio. ``Content-Length`` over the cap fails before reading anything.
* **No redirects, ever.** The contract has none; a 3xx comes back to the caller as a status
  to classify, and nothing is re-sent anywhere.

Imports nothing from ``kiosk``: the backend client and the RD Service client both use it.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from backend_client.errors import (
    DeadlineExceededError,
    NetworkError,
    ProtocolError,
    ResponseTooLargeError,
)

#: The default cap on an answer, after decompression. The largest answer the contract has is a
#: reference document (the catalogue: tens of KB); 4 MiB of JSON parses into at most ~100 MB
#: of Python objects, which keeps a kiosk under its 300 MB budget.
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
#: Raw bytes read per step: small, so a bomb inflates at most the cap per step.
CHUNK = 16 * 1024

_current = threading.local()


class _Watch:
    """The sockets one exchange uses, and the switch that cuts them at the deadline.

    Sockets, not connections: http.client drops a connection's ``sock`` as soon as it has
    read the headers of a ``Connection: close`` answer, while the body is still read from
    that socket — so each socket is noted when its connection sends or connects.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._finished = False
        self.fired = False

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if not any(s is sock for s in self._socks):
                self._socks.append(sock)
            fired = self.fired
        if fired:  # the deadline passed while this connection was being set up
            _shutdown(sock)

    def fire(self) -> None:
        """Runs on the timer thread: shut every noted socket so a blocked read returns now."""
        with self._lock:
            if self._finished:
                return
            self.fired = True
            socks = list(self._socks)
        for sock in socks:
            _shutdown(sock)

    def finish(self) -> bool:
        """The exchange is over; False if the deadline fired first (its sockets are cut)."""
        with self._lock:
            self._finished = True
            self._socks.clear()
            return not self.fired


def _shutdown(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown even for TLS: it acts on the descriptor and leaves the
        # SSL object to the thread that is reading, which then sees end-of-stream.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError, ValueError):
        pass


def _note(sock: socket.socket | None) -> None:
    watch: _Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.add(sock)


class _Watched:
    """Mixed into urllib3's connection classes: every socket they use is noted for the watch."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        _note(sock)  # the TCP socket, so a TLS handshake can be cut too
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _note(self.sock)  # after TLS: the wrapped socket owns the descriptor now

    def request(self, *args: Any, **kwargs: Any) -> None:
        _note(self.sock)  # a kept-alive connection: no connect() this time
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter with connection pools whose connections report to the watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if getattr(manager, "pool_classes_by_scheme", None) is not None \
                and not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager


def bounded_session() -> requests.Session:
    """A ``requests.Session`` whose exchanges :func:`exchange` can cut at their deadline.

    It asks only for encodings this module inflates itself (gzip, deflate): a server must not
    send brotli or zstd the kiosk could not bound.
    """
    sess = requests.Session()
    adapter = _WatchedAdapter()
    sess.mount("http://", adapter)
    sess.mount("https://", adapter)
    sess.headers["Accept-Encoding"] = "gzip, deflate"
    return sess


@dataclass(frozen=True)
class BoundedResponse:
    """A whole answer: status, headers and the (decompressed) body, read within the bounds."""

    status: int
    headers: CaseInsensitiveDict[str]
    content: bytes

    @property
    def text(self) -> str:
        """The body as text (UTF-8 unless the Content-Type names another charset)."""
        charset = "utf-8"
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"').strip()
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


class _Inflater:
    """gzip/deflate decoding that never produces more than it is allowed to."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._d = zlib.decompressobj(self._wbits)
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``; raises :class:`ResponseTooLargeError` past ``room`` bytes."""
        out: list[bytes] = []
        made = 0
        buf = data
        while buf:
            try:
                piece = self._d.decompress(buf, room - made + 1)
            except zlib.error as exc:
                if self._first and self.encoding == "deflate" and self._wbits > 0:
                    # Some servers send raw deflate without the zlib header (as browsers
                    # tolerate): retry the first chunk that way.
                    self._wbits = -zlib.MAX_WBITS
                    self._d = zlib.decompressobj(self._wbits)
                    continue
                raise ProtocolError(f"corrupt {self.encoding} body ({exc})") from exc
            self._first = False
            made += len(piece)
            if made > room:
                raise ResponseTooLargeError("the answer is larger than allowed once decompressed")
            out.append(piece)
            buf = self._d.unconsumed_tail
            if not buf and self._d.eof and self._d.unused_data.strip(b"\r\n\t \x00"):
                buf = self._d.unused_data  # another gzip member follows
                self._d = zlib.decompressobj(self._wbits)
        return b"".join(out)

    def finish(self, room: int) -> bytes:
        tail = self._d.flush()
        if len(tail) > room:
            raise ResponseTooLargeError("the answer is larger than allowed once decompressed")
        return tail


def _decoder(encoding: str) -> _Inflater | None:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip", "deflate"):
        return _Inflater(enc)
    raise ProtocolError(f"unsupported Content-Encoding {enc[:40]!r}")


def exchange(session: requests.Session, method: str, url: str, *, data: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: tuple[float, float],
             deadline: float, max_bytes: int = DEFAULT_MAX_BYTES,
             what: str | None = None) -> BoundedResponse:
    """One request and its whole answer within ``deadline`` seconds and ``max_bytes``.

    ``timeout`` is requests' ``(connect, read)`` pair (each socket operation); ``deadline``
    bounds the exchange from the first byte sent to the last byte read. Redirects are never
    followed. Raises :class:`NetworkError` (no answer, a broken one, or
    :class:`DeadlineExceededError`), :class:`ResponseTooLargeError` or :class:`ProtocolError`
    (an encoding it cannot bound). ``what`` names the exchange in messages (default: the
    method and the URL's path — never its query).
    """
    what = what or f"{method} {urlsplit(url).path or '/'}"
    watch = _Watch()
    timer = threading.Timer(max(0.0, deadline), watch.fire)
    timer.name = "http-deadline"
    timer.daemon = True
    end = time.monotonic() + deadline
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    timer.start()
    try:
        try:
            # verify passed explicitly: otherwise REQUESTS_CA_BUNDLE in the environment would
            # silently replace a CA file the kiosk was configured with.
            resp = session.request(method, url, data=data, headers=headers, timeout=timeout,
                                   stream=True, allow_redirects=False, verify=session.verify)
        except requests.RequestException as exc:
            if watch.fired:
                raise DeadlineExceededError(
                    f"{what}: no complete answer within {deadline:.1f}s") from exc
            if isinstance(exc, requests.Timeout):
                raise NetworkError(f"{what}: timed out ({type(exc).__name__})") from exc
            raise NetworkError(f"{what}: {type(exc).__name__}") from exc
        released = False
        try:
            body = _read_body(resp, what, end, deadline, max_bytes, watch)
            if not watch.finish():
                raise DeadlineExceededError(f"{what}: no complete answer within {deadline:.1f}s")
            resp.raw.release_conn()  # read to the end: the connection may serve the next call
            released = True
        finally:
            if not released:
                resp.close()
        return BoundedResponse(resp.status_code, resp.headers, body)
    finally:
        watch.finish()
        timer.cancel()
        timer.join()
        _current.watch = previous


def _read_body(resp: requests.Response, what: str, end: float, deadline: float,
               max_bytes: int, watch: _Watch) -> bytes:
    decoder = _decoder(resp.headers.get("Content-Encoding", ""))
    length = resp.headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise ResponseTooLargeError(f"{what}: the answer announces {int(length)} bytes, "
                                    f"more than the {max_bytes} allowed")
    parts: list[bytes] = []
    raw_total = 0
    total = 0
    too_slow = f"{what}: no complete answer within {deadline:.1f}s"
    while True:
        if time.monotonic() > end:
            raise DeadlineExceededError(too_slow)
        try:
            chunk = resp.raw.read(CHUNK, decode_content=False)
        except (urllib3.exceptions.HTTPError, HTTPException, OSError, ValueError) as exc:
            if watch.fired or time.monotonic() > end:
                raise DeadlineExceededError(too_slow) from exc
            raise NetworkError(f"{what}: the answer broke off ({type(exc).__name__})") from exc
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise ResponseTooLargeError(f"{what}: the answer is larger than {max_bytes} bytes")
        piece = chunk if decoder is None else decoder.feed(chunk, max_bytes - total)
        total += len(piece)
        if total > max_bytes:
            raise ResponseTooLargeError(f"{what}: the answer is larger than {max_bytes} bytes")
        parts.append(piece)
    if watch.fired:
        raise DeadlineExceededError(too_slow)
    if decoder is not None:
        tail = decoder.finish(max_bytes - total)
        parts.append(tail)
    return b"".join(parts)
