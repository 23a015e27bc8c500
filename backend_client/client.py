"""The HTTP client for the central backend contract (``openapi.yaml``).

Design choices, each because a tehsil link is slow, flaky and sometimes behind a captive portal:

* one ``requests.Session`` per thread (connection reuse matters on a 300 ms link), explicit
  ``(connect, read)`` timeouts on every call *and* a total deadline per exchange, TLS
  verification always on unless a CA bundle path is given instead;
* a hostile or broken server cannot stall or flood the kiosk (:mod:`backend_client.bounded`):
  answers are capped in size after decompression, JSON nested deeper than
  :data:`MAX_JSON_DEPTH` is a protocol error, and redirects are never followed — a 307 would
  otherwise re-send a batch of citizens' records to whatever origin it names;
* plain ``http://`` only to this machine (loopback) unless the caller allows it explicitly;
* the kiosk credential travels in ``Authorization: Bearer``; it is never logged and never
  appears in ``repr``;
* every write carries an ``Idempotency-Key`` and only idempotent requests (GETs and writes that
  carry a key) are retried, so a retry can never create a second record;
* ``Retry-After`` is honoured; an HTTP-date value is measured against the server's own ``Date``
  header, not our clock, so clock skew between kiosk and server cannot stretch a pause;
* failures are classified (:mod:`backend_client.errors`): network, 5xx, 429 and protocol errors
  are retryable; other 4xx are permanent and carry the server's message.

This module imports nothing from ``kiosk``: the contract's client is usable on its own.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import requests
from requests.structures import CaseInsensitiveDict

from backend_client.bounded import (
    DEFAULT_MAX_BYTES,
    BoundedResponse,
    bounded_session,
    exchange,
)
from backend_client.errors import (
    AuthError,
    BackendClientError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    ServerError,
)
from backend_client.models import (
    REFERENCE_NAMES,
    Accepted,
    Application,
    ApplicationStatus,
    BatchItem,
    BatchResult,
    Certificate,
    Credential,
    Heartbeat,
    HeartbeatAck,
    Payment,
    PaymentIntent,
    QueueToken,
    ReferenceDocument,
    TokenEvent,
)
from backend_client.urls import check_url, origin

log = logging.getLogger(__name__)

JSON_TYPES = ("application/json", "application/problem+json")
#: Bodies larger than this are sent gzip-compressed (every byte costs on a 2G/3G link).
GZIP_THRESHOLD = 1024
#: The longest Retry-After the client sleeps through itself; longer ones go back to the caller.
MAX_INLINE_RETRY_AFTER = 10.0

#: JSON nested deeper than this is refused: no contract answer goes past 6 levels, and
#: a deeply nested answer would otherwise end in a RecursionError nobody classifies.
MAX_JSON_DEPTH = 64

#: (HTTP status, parsed JSON body or None, response headers)
Reply = tuple[int, Any, "CaseInsensitiveDict[str]"]


def parse_json(body: bytes) -> Any:
    """Decode a JSON answer, refusing what would trip up the code that reads it.

    Raises :class:`ProtocolError` for malformed JSON, ``NaN``/``Infinity`` (not JSON) and
    nesting deeper than :data:`MAX_JSON_DEPTH` (checked without recursion).
    """
    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        value = json.loads(body, parse_constant=no_constants)
    except RecursionError as exc:
        raise ProtocolError("JSON answer nested too deeply") from exc
    except ValueError as exc:  # includes UnicodeDecodeError
        raise ProtocolError("malformed JSON") from exc
    if json_depth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ProtocolError(f"JSON answer nested deeper than {MAX_JSON_DEPTH} levels")
    return value


def json_depth(value: Any, stop_after: int | None = None) -> int:
    """How deeply ``value`` nests lists/objects (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if stop_after is not None and deepest > stop_after:
            return deepest
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return deepest


def new_key(prefix: str = "") -> str:
    """A fresh idempotency key (random, so it says nothing about the citizen)."""
    return f"{prefix}{uuid.uuid4()}"


def parse_retry_after(value: str | None, server_date: str | None = None,
                      now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date).

    An HTTP-date is compared with the response's ``Date`` header when present: both come from
    the server's clock, so a kiosk whose clock is hours off still waits the intended time.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    base = now()
    if server_date:
        try:
            base = email.utils.parsedate_to_datetime(server_date).timestamp()
        except (TypeError, ValueError, IndexError):
            pass
    return max(0.0, when - base)


class BackendClient:
    """A session with one backend for one kiosk. ``close()`` is safe twice; context manager."""

    def __init__(self, base_url: str, credential: str | None = None, *,
                 connect_timeout: float = 3.05, read_timeout: float = 10.0,
                 deadline: float | None = None, max_response_bytes: int = DEFAULT_MAX_BYTES,
                 allow_insecure_http: bool = False,
                 verify: bool | str = True, retries: int = 2, backoff: float = 0.25,
                 user_agent: str = "seva-kiosk-backend-client/1",
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """``deadline`` bounds each exchange as a whole (default: connect + 2 × read
        timeout); ``max_response_bytes`` caps an answer after decompression. Raises
        :class:`InsecureURLError` for a URL :func:`check_url` refuses."""
        check_url(base_url, allow_insecure_http)
        self.base_url = base_url.rstrip("/")
        self._credential = credential
        self.timeout = (connect_timeout, read_timeout)
        self.deadline = deadline if deadline is not None else connect_timeout + 2 * read_timeout
        self.max_response_bytes = max_response_bytes
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        # verify=False is refused: TLS to the state backend is not optional. A path = own CA.
        self._verify: bool | str = verify if verify is not False else True
        self._user_agent = user_agent
        # One requests.Session per thread: the kiosk's sync worker and its screens' workers
        # (status look-up, UPI polling) share one client, and requests does not promise that a
        # Session is safe to use from several threads at once.
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """This thread's HTTP session (created on first use)."""
        sess: requests.Session | None = getattr(self._local, "session", None)
        if sess is None:
            sess = bounded_session()
            sess.verify = self._verify
            sess.headers["User-Agent"] = self._user_agent
            sess.headers["Accept"] = "application/json"
            self._local.session = sess
            with self._sessions_lock:
                self._sessions.append(sess)
        return sess

    def __repr__(self) -> str:
        return f"BackendClient({self.base_url!r}, credential={'set' if self._credential else None})"

    # -- plumbing -------------------------------------------------------------------------------

    def set_credential(self, token: str | None) -> None:
        self._credential = token

    @property
    def has_credential(self) -> bool:
        return bool(self._credential)

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for sess in sessions:
            sess.close()

    def __enter__(self) -> BackendClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, *, body: Any = None,
                idempotency_key: str | None = None, etag: str | None = None,
                auth: bool = True, timeout: tuple[float, float] | None = None,
                retries: int | None = None) -> Reply:
        """Send one request (retrying only if it is idempotent); return status, JSON, headers.

        304 comes back as ``(304, None, headers)``. Everything else non-2xx raises a classified
        :class:`BackendClientError`.
        """
        idempotent = method in ("GET", "HEAD") or idempotency_key is not None
        tries = 1 + (self.retries if retries is None else retries) if idempotent else 1
        for attempt in range(tries):
            try:
                return self._once(method, path, body, idempotency_key, etag, auth,
                                  timeout or self.timeout)
            except BackendClientError as exc:
                if not exc.retryable or attempt == tries - 1:
                    raise
                wait = exc.retry_after
                if wait is None:
                    wait = self.backoff * (2 ** attempt) * (0.5 + random.random() / 2)
                elif wait > MAX_INLINE_RETRY_AFTER:
                    raise
                log.info("%s %s: %s; retry %d/%d in %.2fs", method, path,
                         type(exc).__name__, attempt + 1, tries - 1, wait)
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, method: str, path: str, body: Any, key: str | None, etag: str | None,
              auth: bool, timeout: tuple[float, float]
              ) -> Reply:
        headers: dict[str, str] = {}
        if auth:
            if not self._credential:
                raise AuthError("no kiosk credential configured", status=401, code="no-credential")
            headers["Authorization"] = f"Bearer {self._credential}"
        if key is not None:
            headers["Idempotency-Key"] = key
        if etag:
            headers["If-None-Match"] = etag
        data: bytes | None = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) > GZIP_THRESHOLD:
                data = gzip.compress(data, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        url = self.base_url + path
        # A short probe (health) gets a shorter deadline than a batch upload.
        deadline = min(self.deadline, timeout[0] + 2 * timeout[1])
        resp = exchange(self.session, method, url, data=data, headers=headers, timeout=timeout,
                        deadline=deadline, max_bytes=self.max_response_bytes,
                        what=f"{method} {path}")
        return self._classify(method, path, resp)

    def _classify(self, method: str, path: str, resp: BoundedResponse) -> Reply:
        status = resp.status
        if status == 304:
            return status, None, resp.headers
        if 300 <= status < 400:
            # Never followed (see bounded.py): name only the origin it pointed at.
            where = resp.headers.get("Location", "")
            log.warning("%s %s: backend answered HTTP %d to %s; redirects are not followed",
                        method, path, status, origin(where) if "//" in where else "a path")
            raise ProtocolError(f"{method} {path}: HTTP {status} redirect not followed",
                                status=status)
        retry_after = parse_retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        payload: Any = None
        parse_error: str | None = None
        if resp.content:
            if ctype not in JSON_TYPES:
                parse_error = f"content type {ctype[:60] or 'none'!r}"
            else:
                try:
                    payload = parse_json(resp.content)
                except ProtocolError as exc:
                    parse_error = exc.message
        if 200 <= status < 300:
            if parse_error or (payload is None and status != 204):
                log.warning("%s %s: protocol error: %s (HTTP %d, %d bytes)", method, path,
                            parse_error or "empty body", status, len(resp.content))
                raise ProtocolError(f"{method} {path}: {parse_error or 'empty body'}",
                                    status=status)
            return status, payload, resp.headers
        message = f"HTTP {status}"
        code = None
        if isinstance(payload, dict):
            message = str(payload.get("detail") or payload.get("title") or message)
            code = payload.get("code") if isinstance(payload.get("code"), str) else None
        if status == 429:
            raise RateLimitedError(message, status=status, retry_after=retry_after, code=code)
        if status >= 500:
            raise ServerError(message, status=status, retry_after=retry_after, code=code)
        if status in (401, 403):
            raise AuthError(message, status=status, code=code)
        if 400 <= status < 500:
            raise RejectedError(message, status=status, code=code)
        raise ProtocolError(f"{method} {path}: unexpected HTTP {status}", status=status)

    # -- the contract ---------------------------------------------------------------------------

    def health(self, timeout: float = 2.0) -> str:
        """Cheap probe (no auth, tiny body): returns the server's time; raises if unreachable."""
        _, data, _ = self.request("GET", "/v1/health", auth=False, retries=0,
                                  timeout=(min(timeout, self.timeout[0]), timeout))
        if not isinstance(data, dict) or not isinstance(data.get("server_time"), str):
            raise ProtocolError("health answer lacks server_time")
        return str(data["server_time"])

    def register(self, kiosk_id: str, centre_code: str, enrolment_code: str,
                 idempotency_key: str | None = None) -> Credential:
        body = {"kiosk_id": kiosk_id, "centre_code": centre_code,
                "enrolment_code": enrolment_code}
        _, data, _ = self.request("POST", "/v1/kiosks/register", body=body, auth=False,
                                  idempotency_key=idempotency_key or new_key("register:"))
        return Credential.from_json(data)

    def get_reference(self, name: str, etag: str | None = None) -> ReferenceDocument | None:
        """The named reference document, or ``None`` when our copy (``etag``) is current."""
        if name not in REFERENCE_NAMES:
            raise ValueError(f"unknown reference document {name!r}")
        status, data, headers = self.request("GET", f"/v1/reference/{name}", etag=etag)
        if status == 304:
            return None
        return ReferenceDocument.from_json(data, headers.get("ETag"))

    def post_token_event(self, event: TokenEvent, idempotency_key: str) -> Accepted:
        _, data, _ = self.request("POST", "/v1/token-events", body=event.to_json(),
                                  idempotency_key=idempotency_key)
        return Accepted.from_json(data)

    def upload_batch(self, items: Iterable[BatchItem], idempotency_key: str | None = None,
                     retries: int | None = None) -> BatchResult:
        """Upload outbox entries in one request; each item's own key guards against repeats."""
        items = list(items)
        body = {"items": [i.to_json() for i in items]}
        _, data, _ = self.request("POST", "/v1/batch", body=body, retries=retries,
                                  idempotency_key=idempotency_key or batch_key(items))
        result = BatchResult.from_json(data)
        if [r.idempotency_key for r in result.items] != [i.idempotency_key for i in items]:
            raise ProtocolError("batch answer does not match the items sent")
        return result

    def submit_application(self, application: Application, idempotency_key: str) -> Accepted:
        _, data, _ = self.request("POST", "/v1/applications", body=application.to_json(),
                                  idempotency_key=idempotency_key)
        return Accepted.from_json(data)

    def application_status(self, application_no: str) -> ApplicationStatus:
        _, data, _ = self.request("GET", f"/v1/applications/{_seg(application_no)}")
        return ApplicationStatus.from_json(data)

    def create_payment(self, intent: PaymentIntent, idempotency_key: str) -> Payment:
        _, data, _ = self.request("POST", "/v1/payments", body=intent.to_json(),
                                  idempotency_key=idempotency_key)
        return Payment.from_json(data)

    def payment_status(self, tr: str) -> Payment:
        _, data, _ = self.request("GET", f"/v1/payments/{_seg(tr)}")
        return Payment.from_json(data)

    def certificate(self, certificate_no: str) -> Certificate:
        _, data, _ = self.request("GET", f"/v1/certificates/{_seg(certificate_no)}")
        return Certificate.from_json(data)

    def _counter(self, counter: str, action: str, body: dict[str, Any],
                 key: str | None) -> QueueToken | None:
        _, data, _ = self.request("POST", f"/v1/counters/{_seg(counter)}/{action}", body=body,
                                  idempotency_key=key or new_key(f"{action}:"))
        token = data.get("token") if isinstance(data, dict) else None
        return None if token is None else QueueToken.from_json(token)

    def call_next(self, counter: str, groups: list[str],
                  idempotency_key: str | None = None) -> QueueToken | None:
        """The backend picks the next waiting token for this counter; ``None`` if none wait."""
        return self._counter(counter, "call-next", {"groups": groups}, idempotency_key)

    def recall(self, counter: str, idempotency_key: str | None = None) -> QueueToken | None:
        return self._counter(counter, "recall", {}, idempotency_key)

    def transfer(self, counter: str, to_group: str,
                 idempotency_key: str | None = None) -> QueueToken | None:
        return self._counter(counter, "transfer", {"to_group": to_group}, idempotency_key)

    def complete(self, counter: str, idempotency_key: str | None = None) -> QueueToken | None:
        return self._counter(counter, "complete", {}, idempotency_key)

    def no_show(self, counter: str, idempotency_key: str | None = None) -> QueueToken | None:
        return self._counter(counter, "no-show", {}, idempotency_key)

    def heartbeat(self, beat: Heartbeat, idempotency_key: str | None = None,
                  retries: int | None = None) -> HeartbeatAck:
        _, data, _ = self.request("POST", "/v1/heartbeat", body=beat.to_json(), retries=retries,
                                  idempotency_key=idempotency_key or new_key("hb:"))
        return HeartbeatAck.from_json(data)


def batch_key(items: Iterable[BatchItem]) -> str:
    """A batch's key derives from its items' keys: the same batch resent is the same request."""
    import hashlib

    h = hashlib.sha256("\n".join(i.idempotency_key for i in items).encode("utf-8"))
    return "batch:" + h.hexdigest()[:40]


def _seg(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
