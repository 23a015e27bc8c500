"""The HTTP rules both reference-backend servers share: routes, limits, bodies, answers.

There are two servers over one contract: the in-process test server (``server.py``, stdlib
``ThreadingHTTPServer``, with fault injection down to the socket) and the production server
(``asgi_app.py``, Starlette on uvicorn, several worker processes). Everything that decides *what*
a request means — which route, which method is allowed, how big a body may be before and after
gzip, how deep its JSON may nest, who the caller is, how the answer is encoded — lives here, so
the two cannot drift apart; what each operation does lives in ``operations.py``.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from reference_backend import validate
from reference_backend.db import Answer, BackendDB, Caller, ProblemError
from reference_backend.operations import Operations

#: The largest request body, on the wire *and* after gzip is undone: a 400 KB gzip body that
#: inflates to 400 MB is refused at the 8 MB mark, before anything is parsed.
MAX_BODY = 8 * 1024 * 1024
MAX_JSON_DEPTH = 64  # the contract's deepest body is a handful of levels
INFLATE_CHUNK = 64 * 1024
GZIP_OVER = 1024  # answers larger than this go gzip-compressed when the client accepts it
PROBLEM = "application/problem+json"

Header = Callable[[str], "str | None"]
Route = tuple[str, re.Pattern[str], str, bool]
ROUTES: list[Route] = [
    # (method, path regex, operation name, needs auth)
    ("GET", re.compile(r"^/v1/health$"), "health", False),
    ("GET", re.compile(r"^/v1/ready$"), "ready", False),
    ("POST", re.compile(r"^/v1/kiosks/register$"), "register", False),
    ("GET", re.compile(r"^/v1/reference/(?P<name>[^/]+)$"), "reference", True),
    ("POST", re.compile(r"^/v1/token-events$"), "token_event", True),
    ("POST", re.compile(r"^/v1/batch$"), "batch", True),
    ("POST", re.compile(r"^/v1/applications$"), "application", True),
    ("GET", re.compile(r"^/v1/applications/(?P<no>[^/]+)$"), "application_status", True),
    ("POST", re.compile(r"^/v1/payments$"), "payment", True),
    ("GET", re.compile(r"^/v1/payments/(?P<tr>[^/]+)$"), "payment_status", True),
    ("GET", re.compile(r"^/v1/certificates/(?P<no>[^/]+)$"), "certificate", True),
    ("POST", re.compile(r"^/v1/counters/(?P<counter>[^/]+)/(?P<action>call-next|recall|transfer"
                        r"|complete|no-show)$"), "counter", True),
    ("POST", re.compile(r"^/v1/heartbeat$"), "heartbeat", True),
]
#: Operations that answer about the server itself: never faulted, never shed, never logged
#: with a caller.
PROBES = frozenset({"health", "ready"})

ANONYMOUS = Caller("-", "-")
#: Header parameters the contract declares per operation, checked against their schemas
#: (Idempotency-Key has its own check and problem code, in ``operations.py``).
OP_HEADERS: dict[str, tuple[str, ...]] = {"reference": ("if-none-match",)}


@dataclass(frozen=True)
class Matched:
    """A request line that names an operation of the contract."""

    op: str
    params: dict[str, str]
    needs_auth: bool


def match(method: str, path: str) -> Matched:
    """The operation for ``method path``; raises 405 (with ``Allow``) or 404 problem errors.

    Every method reaches this, declared or not (``PUT``, ``TRACE``, ``FOO``…), so an undeclared
    one is answered 405 as problem JSON instead of a server's own 501 page: a client retries a
    5xx for ever.
    """
    for m, rx, op, auth in ROUTES:
        found = rx.match(path)
        if m == method and found:
            return Matched(op, {k: unquote(v) for k, v in found.groupdict().items()}, auth)
    allowed = sorted({m for m, rx, _, _ in ROUTES if rx.match(path)})
    if allowed:
        raise MethodNotAllowedError(allowed, method)
    raise ProblemError(404, "no-route", "this path is not part of the contract")


class MethodNotAllowedError(ProblemError):
    """405, carrying the methods the path does allow (the ``Allow`` header)."""

    def __init__(self, allowed: list[str], method: str) -> None:
        super().__init__(405, "method-not-allowed", f"{method[:20]} is not allowed on this path")
        self.headers = {"Allow": ", ".join(allowed)}


def authenticate(db: BackendDB, header: Header) -> Caller:
    """The kiosk behind the bearer token, or a 401 problem."""
    scheme, _, token = (header("Authorization") or "").partition(" ")
    kiosk = db.caller_for_token(token.strip()) \
        if scheme.lower() == "bearer" and token.strip() else None
    if kiosk is None:
        raise ProblemError(401, "unauthorized", "missing, unknown or revoked kiosk token")
    return kiosk


def check_headers(op: str, header: Header) -> None:
    """The header parameters the contract declares for ``op``, against their schemas."""
    problems = validate.header_errors(_HeaderView(header), OP_HEADERS.get(op, ()))
    if problems:
        raise ProblemError(400, "bad-header", "; ".join(problems))


class _HeaderView:
    """Just enough of a message's header API for :func:`validate.header_errors`."""

    def __init__(self, header: Header) -> None:
        self._header = header

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self._header(name)
        return default if value is None else value


def content_length(header: Header) -> int:
    """The declared body length (0 when absent); 400 when it is not a non-negative number."""
    try:
        length = int(header("Content-Length") or 0)
    except ValueError:
        raise ProblemError(400, "bad-length", "Content-Length is not a number") from None
    if length < 0:
        raise ProblemError(400, "bad-length", "Content-Length is negative")
    return length


def too_large() -> ProblemError:
    return ProblemError(413, "too-large", "request body too large")


def decode_json(raw: bytes, header: Header) -> Any:
    """A request body (already read, at most :data:`MAX_BODY` bytes) as JSON, or a problem.

    gzip is undone chunk by chunk under the same cap, the type must be JSON, and the value may
    nest at most :data:`MAX_JSON_DEPTH` levels (checked without recursion).
    """
    encoding = (header("Content-Encoding") or "").strip().lower()
    if encoding == "gzip":
        raw = gunzip_capped(raw, MAX_BODY)
    elif encoding not in ("", "identity"):
        raise ProblemError(400, "bad-encoding", "Content-Encoding must be gzip or identity")
    ctype = (header("Content-Type") or "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise ProblemError(400, "bad-content-type", "request body must be application/json")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProblemError(400, "bad-json", "request body is not valid JSON") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ProblemError(400, "bad-json", f"request body nests deeper than "
                           f"{MAX_JSON_DEPTH} levels")
    return value


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Undo gzip (one or more members) chunk by chunk, refusing at ``cap`` inflated bytes.

    ``gzip.decompress`` inflates everything first, so a small body could take the process
    past a gigabyte before any size check; this never holds more than ``cap`` + one chunk.
    """
    out = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            while rest:
                out += inflater.decompress(rest, INFLATE_CHUNK)
                if len(out) > cap:
                    raise ProblemError(413, "too-large", "request body too large once "
                                       "decompressed")
                rest = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            raise ProblemError(400, "bad-gzip", "body is not valid gzip") from None
        if not inflater.eof:
            raise ProblemError(400, "bad-gzip", "body is not valid gzip (truncated)")
        rest = inflater.unused_data
        if not rest:
            return bytes(out)


def json_depth(value: Any) -> int:
    """How deeply ``value`` nests (iteratively: no recursion on hostile input)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            deepest = max(deepest, d)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def ready(db: BackendDB) -> Answer:
    """Readiness: the store answers a trivial keyed read (liveness, ``health``, does not look)."""
    try:
        db.document("catalogue")
    except Exception as exc:  # whichever store it is, "cannot read" means "not ready"
        raise ProblemError(503, "not-ready", f"the store does not answer "
                           f"({type(exc).__name__})") from None
    return Answer(200, {"status": "ready", "server_time": db.now()})


def run(db: BackendDB, m: Matched, method: str, path: str, header: Header,
        body: Callable[[], Any]) -> tuple[Answer, dict[str, str], Caller]:
    """Authenticate, check the declared headers, parse the body, run the operation.

    In that order on both servers (a request without a token is 401 whatever its body);
    ``body`` reads and decodes it (:func:`decode_json`) and is called only for a ``POST``.
    Synchronous: it does the store's I/O, so the ASGI server runs it on a worker thread.
    """
    caller = authenticate(db, header) if m.needs_auth else ANONYMOUS
    check_headers(m.op, header)
    if m.op == "ready":
        return ready(db), {}, caller
    value = body() if method == "POST" else None
    answer, headers = Operations(db).run(m.op, method, path, m.params, caller, value, header)
    return answer, headers, caller


def encode(status: int, body: dict[str, Any], accept_encoding: str,
           headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """An answer's bytes (gzip when it is large and the client accepts it) and headers."""
    data = b"" if status == 304 else json.dumps(body, ensure_ascii=False).encode("utf-8")
    out = dict(headers or {})
    if len(data) > GZIP_OVER and "gzip" in accept_encoding:
        data = gzip.compress(data, compresslevel=6)
        out.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return data, out
