"""The centre service over HTTP: a Starlette app served by uvicorn, embeddable in a thread.

Why Starlette + uvicorn (docs/centre.md says more): the event stream needs many long-lived
connections (every counter and board holds one all day), which an asyncio server carries
without a thread each; Starlette is small, typed and well kept, its app is a plain ASGI callable
that schemathesis tests in-process, and uvicorn runs it in a background thread of the kiosk
(``start()`` / ``close()``, port 0 allowed) as well as on its own (``kiosk centre``).

The SQLite work stays synchronous (:class:`CentreService`), run on the server's worker threads
(``run_in_threadpool``); the event loop only parses, streams and waits. Every answer that is not
a success — 404 and 405 from routing included — is ``application/problem+json`` with the message
in Hindi and English. Bodies over :data:`MAX_BODY` are refused (413) while being read, and a
request that takes longer than :data:`REQUEST_TIMEOUT_S` is answered 503.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import anyio.to_thread
import uvicorn
import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.centre.day_end import DayEndDesk
from kiosk.centre.desk_cash import DeskCash
from kiosk.centre.errors import (
    BadRequestError,
    CentreError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from kiosk.centre.events import BACKLOG_LIMIT, SNAPSHOT, sse_frame
from kiosk.centre.service import CentreService
from kiosk.i18n import N_

log = logging.getLogger(__name__)

OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")
MAX_BODY = 64 * 1024
REQUEST_TIMEOUT_S = 10.0
KEEPALIVE_S = 15.0
PROBLEM = "application/problem+json"
WORKER_THREADS = 8


@lru_cache(maxsize=1)
def load_spec() -> dict[str, Any]:
    with OPENAPI_PATH.open(encoding="utf-8") as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


class BodyTooLargeError(CentreError):
    status, code = 413, "too-large"
    default_message = N_("The request is too large.")


class BusyError(CentreError):
    status, code = 503, "timeout"
    default_message = N_("The centre service is busy. Please try again.")


def problem_response(exc: CentreError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(exc.problem(), status_code=exc.status, media_type=PROBLEM,
                        headers=headers)


class BodyLimit:
    """ASGI middleware: refuse a body over ``limit`` bytes, by header or while it streams in."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await problem_response(BodyTooLargeError("content-length over limit"))(
                        scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLargeError(f"body over {self.limit} bytes")
            return message

        await self.app(scope, limited, send)


def _bilingual_http(exc: HTTPException) -> CentreError:
    if exc.status_code == 404:
        return NotFoundError(f"no such path ({exc.detail})", code="no-such-path",
                             message=N_("There is no such address on the centre service."))
    if exc.status_code == 405:
        return CentreError(f"method not allowed ({exc.detail})", code="method-not-allowed",
                           status=405,
                           message=N_("That kind of request is not allowed at this address."))
    return CentreError(str(exc.detail), status=exc.status_code, code="http-error")


class CentreApp:
    """The routes over one :class:`CentreService` (``.app`` is the ASGI application)."""

    def __init__(self, service: CentreService, *, keepalive_s: float = KEEPALIVE_S,
                 request_timeout_s: float = REQUEST_TIMEOUT_S) -> None:
        self.service = service
        self.day_end = DayEndDesk(service)

        from kiosk.centre.desk_applications import DeskApplications

        self.desk_apps = DeskApplications(service)
        self.cash = DeskCash(service)
        self.keepalive_s = keepalive_s
        self.request_timeout_s = request_timeout_s
        self._validate: Callable[[Any, str], list[str]] = _validator()
        routes = [
            Route("/v1/health", self.health, methods=["GET"]),
            Route("/v1/enrol", self.enrol, methods=["POST"]),
            Route("/v1/tokens", self.issue, methods=["POST"]),
            Route("/v1/tokens/{ref}", self.token, methods=["GET"]),
            Route("/v1/leases", self.lease, methods=["POST"]),
            Route("/v1/help", self.help, methods=["POST"]),
            Route("/v1/queue", self.queue, methods=["GET"]),
            Route("/v1/board", self.board, methods=["GET"]),
            Route("/v1/sessions", self.login, methods=["POST"]),
            Route("/v1/sessions/current", self.logout, methods=["DELETE"]),
            Route("/v1/counters/{counter}/stats", self.stats, methods=["GET"]),
            Route("/v1/counters/{counter}/{action}", self.act, methods=["POST"]),
            Route("/v1/events", self.events, methods=["GET"]),
            # the operator's desk: day-end (kiosk/centre/day_end.py)
            Route("/v1/desk/day-end/report", self.day_end_report, methods=["GET"]),
            Route("/v1/desk/day-end", self.day_end_declare, methods=["POST"]),
            Route("/v1/desk/day-end/close", self.day_end_close, methods=["POST"]),
            Route("/v1/desk/day/close", self.day_close, methods=["POST"]),

            # the operator's desk: applications (kiosk/centre/desk_applications.py)
            Route("/v1/applications", self.hand_over, methods=["POST"]),
            Route("/v1/desk/applications", self.desk_applications, methods=["GET", "POST"]),
            Route("/v1/desk/applications/check", self.desk_check, methods=["POST"]),
            Route("/v1/desk/applications/{no}", self.desk_application, methods=["GET"]),
            Route("/v1/desk/applications/{no}/documents", self.desk_documents,
                  methods=["POST"]),
            Route("/v1/desk/applications/{no}/prints", self.desk_printed, methods=["POST"]),
            # desk-cash
            Route("/v1/desk/cash", self.confirm_cash, methods=["POST"]),
            Route("/v1/desk/cash", self.cash_summary, methods=["GET"]),
            Route("/v1/desk/cash/{receipt_no}", self.cash_receipt, methods=["GET"]),
            Route("/v1/desk/cash/{receipt_no}/void", self.void_cash, methods=["POST"]),
        ]
        handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
            HTTPException: self._on_http, CentreError: self._on_centre, Exception: self._on_bug}
        self.app = BodyLimit(Starlette(routes=routes, exception_handlers=handlers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    # -- errors ---------------------------------------------------------------------------------

    async def _on_http(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return problem_response(_bilingual_http(exc), headers=dict(exc.headers or {}))

    async def _on_centre(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CentreError)
        if exc.status >= 500:
            log.warning("centre: %s %s → %d %s", request.method, request.url.path, exc.status,
                        exc.detail)
        return problem_response(exc)

    async def _on_bug(self, request: Request, exc: Exception) -> Response:
        log.error("centre: %s %s failed", request.method, request.url.path, exc_info=exc)
        return problem_response(CentreError(f"internal error: {type(exc).__name__}",
                                            code="internal"))

    # -- helpers --------------------------------------------------------------------------------

    async def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await asyncio.wait_for(run_in_threadpool(fn, *args, **kwargs),
                                          self.request_timeout_s)
        except TimeoutError:
            raise BusyError(f"{getattr(fn, '__name__', fn)} took over "
                                f"{self.request_timeout_s}s") from None

    async def _body(self, request: Request, schema: str) -> dict[str, Any]:
        raw = await request.body()
        try:
            import json

            body = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadRequestError("body is not JSON",
                                  message=N_("The request was not understood. Please check "
                                             "what was sent.")) from None
        problems = self._validate(body, schema)
        if problems:
            raise BadRequestError("; ".join(problems)[:500])
        assert isinstance(body, dict)
        return body

    async def _device(self, request: Request) -> tuple[str, str]:
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise UnauthorizedError("no bearer token")
        device = self.service.device_for(token.strip())  # a dict hit after the first time
        if device is None:
            raise UnauthorizedError("unknown device token")
        return tuple(device)  # type: ignore[return-value]

    # -- routes ---------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse(await self._run(self.service.health))

    async def enrol(self, request: Request) -> Response:
        body = await self._body(request, "EnrolRequest")
        token = await self._run(self.service.enrol, body["code"], body["device_id"],
                                body["kind"])
        return JSONResponse({"device_token": token}, status_code=201)

    async def issue(self, request: Request) -> Response:
        device_id, _ = await self._device(request)
        b = await self._body(request, "IssueRequest")
        token = await self._run(self.service.issue, b["token_id"], b["group"],
                                b.get("priority", "general"), b.get("lang", "hi"),
                                b.get("kiosk_id") or device_id, b.get("issued_at"),
                                b.get("seq"))
        return JSONResponse(token)

    async def token(self, request: Request) -> Response:
        await self._device(request)
        return JSONResponse(await self._run(self.service.token, request.path_params["ref"]))

    async def lease(self, request: Request) -> Response:
        device_id, _ = await self._device(request)
        b = await self._body(request, "LeaseRequest")
        return JSONResponse(await self._run(self.service.lease, b.get("kiosk_id") or device_id,
                                            b["group"], b.get("count")), status_code=201)

    async def help(self, request: Request) -> Response:
        device_id, kind = await self._device(request)
        b = await self._body(request, "HelpRequest")
        return JSONResponse(await self._run(self.service.request_help, device_id, kind,
                                            b.get("screen", "")))

    async def queue(self, request: Request) -> Response:
        await self._device(request)
        return JSONResponse(await self._run(self.service.snapshot))

    async def board(self, request: Request) -> Response:
        """A display board's start: snapshot + latest calls + rules; any enrolled device."""
        await self._device(request)
        raw = request.query_params.get("calls") or "8"
        try:
            calls = int(raw)
            if not 0 <= calls <= 50:
                raise ValueError
        except ValueError:
            raise BadRequestError(f"bad calls {raw[:20]!r}") from None
        return JSONResponse(await self._run(self.service.board, calls))

    async def login(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "LoginRequest")
        result = await self._run(self.service.login, b["counter"], b["pin"],
                                 operator_id=b.get("operator_id"), card_id=b.get("card_id"),
                                 finger_slot=b.get("finger_slot"), groups=b.get("groups"))
        return JSONResponse(result, status_code=201)

    async def logout(self, request: Request) -> Response:
        await self._device(request)
        result = await self._run(self.service.logout,
                                 request.headers.get("x-operator-session"),
                                 request.query_params.get("reason") or "operator")
        return JSONResponse(result)

    async def act(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "ActionRequest")
        result = await self._run(self.service.act, request.path_params["counter"],
                                 request.path_params["action"],
                                 request.headers.get("x-operator-session"), b)
        return JSONResponse(result)

    async def stats(self, request: Request) -> Response:
        await self._device(request)
        return JSONResponse(await self._run(self.service.stats,
                                            request.path_params["counter"]))

    # -- desk-cash --------------------------------------------------------------------------------

    async def confirm_cash(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "CashRequest")
        return JSONResponse(await self._run(
            self.cash.confirm, request.headers.get("x-operator-session"), b["application_no"],
            amount_paise=b.get("amount_paise"), counter=b.get("counter")))

    async def cash_summary(self, request: Request) -> Response:
        await self._device(request)
        day = request.query_params.get("day")
        if day is not None and not _DAY.match(day):
            raise BadRequestError(f"bad day {day[:20]!r}")
        application = request.query_params.get("application")
        if application is not None and not _APPLICATION_NO.fullmatch(application):
            raise BadRequestError("bad application number")
        return JSONResponse(await self._run(
            self.cash.summary, request.headers.get("x-operator-session"), day=day,
            application_no=application))

    async def cash_receipt(self, request: Request) -> Response:
        await self._device(request)
        reprint = request.query_params.get("reprint", "false")
        if reprint not in ("true", "false"):
            raise BadRequestError(f"bad reprint {reprint[:10]!r}")
        return JSONResponse(await self._run(
            self.cash.receipt, request.headers.get("x-operator-session"),
            _receipt_no(request), reprint=reprint == "true"))

    async def void_cash(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "VoidRequest")
        return JSONResponse(await self._run(
            self.cash.void, request.headers.get("x-operator-session"), _receipt_no(request),
            pin=b["pin"], reason=b["reason"], kind=b.get("kind", "void"),
            supervisor_id=b.get("supervisor_id"), card_id=b.get("card_id")))

    async def events(self, request: Request) -> Response:
        await self._device(request)
        raw = request.headers.get("last-event-id") or request.query_params.get("after") or "0"
        try:
            after = int(raw)
            if after < 0:
                raise ValueError
        except ValueError:
            raise BadRequestError(f"bad Last-Event-ID/after {raw[:20]!r}") from None
        return StreamingResponse(self._stream(after), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store",
                                          "X-Accel-Buffering": "no"})

    # -- the desk: day-end ----------------------------------------------------------------------

    async def day_end_report(self, request: Request) -> Response:
        await self._device(request)
        day = request.query_params.get("date") or None
        counter = request.query_params.get("counter") or None
        if day is not None and not _DAY.fullmatch(day):
            raise BadRequestError(f"bad date {day[:20]!r}", code="bad-date",
                                  message=N_("Give the date as YYYY-MM-DD, e.g. 2026-12-01."))
        if counter is not None and not _COUNTER.fullmatch(counter):
            raise BadRequestError(f"bad counter {counter[:20]!r}")
        try:
            result = await self._run(self.day_end.report,
                                     request.headers.get("x-operator-session"), day=day,
                                     counter=counter)
        except ValueError:  # 2026-02-30 passes the pattern, not the calendar
            raise BadRequestError(f"bad date {day!r}", code="bad-date",
                                  message=N_("Give the date as YYYY-MM-DD, e.g. "
                                             "2026-12-01.")) from None
        return JSONResponse(result)

    async def day_end_declare(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "DayEndDeclareRequest")
        return JSONResponse(await self._run(self.day_end.declare, b["counter"],
                                            request.headers.get("x-operator-session"),
                                            b["declared_paise"]))

    async def day_end_close(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "DayEndCloseRequest")
        return JSONResponse(await self._run(self.day_end.close, b["counter"],
                                            request.headers.get("x-operator-session"),
                                            note=b.get("note"),
                                            supervisor_credential=b.get("supervisor")))

    async def day_close(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "DayCloseRequest")
        return JSONResponse(await self._run(self.day_end.close_day, b["counter"],
                                            request.headers.get("x-operator-session")))

    async def _stream(self, after: int) -> AsyncIterator[str]:
        """Backlog from the database, then live events; a snapshot when too far behind."""
        sub = self.service.hub.subscribe()
        try:
            last = after
            head = await self._run(self.service.last_event_id)
            if head - after > BACKLOG_LIMIT or after > head:
                frame, last = await self._snapshot_frame()
                yield frame
            else:
                for event in await self._run(self.service.events_after, after):
                    yield sse_frame(event)
                    last = event["id"]
            while True:
                try:
                    item = await sub.get(self.keepalive_s)
                except EOFError:
                    return
                if item is None:
                    yield ": keep-alive\n\n"
                    continue
                event, frame = item
                if sub.overflowed:
                    sub.overflowed = False
                    while not sub.queue.empty():
                        sub.queue.get_nowait()
                    frame, last = await self._snapshot_frame()
                    yield frame
                    continue
                if event["id"] <= last:
                    continue
                if event["id"] > last + 1:  # a gap: fill it from the log, in order
                    for missed in await self._run(self.service.events_after, last,
                                                  event["id"] - last - 1):
                        if missed["id"] < event["id"]:
                            yield sse_frame(missed)
                yield frame
                last = event["id"]
        finally:
            self.service.hub.unsubscribe(sub)

    # -- the desk: applications -------------------------------------------------------------

    async def hand_over(self, request: Request) -> Response:
        """A kiosk's copy of an application it stored (idempotent by number)."""
        device_id, kind = await self._device(request)
        if kind != "kiosk":
            raise ForbiddenError(f"a {kind} hands over no applications")
        b = await self._body(request, "HandOverRequest")
        return JSONResponse(await self._run(self.desk_apps.hand_over, device_id, kind, b))

    async def desk_applications(self, request: Request) -> Response:
        await self._device(request)
        session = request.headers.get("x-operator-session")
        if request.method == "POST":
            b = await self._body(request, "DeskApplicationRequest")
            return JSONResponse(await self._run(self.desk_apps.enter, session, b),
                                status_code=201)
        q = request.query_params.get("q") or ""
        return JSONResponse(await self._run(self.desk_apps.find, session, q[:100]))

    async def desk_check(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "StepCheckRequest")
        return JSONResponse(await self._run(self.desk_apps.check,
                                            request.headers.get("x-operator-session"),
                                            b["service_code"], b["step"], b["answers"]))

    async def desk_application(self, request: Request) -> Response:
        await self._device(request)
        return JSONResponse(await self._run(self.desk_apps.view,
                                            request.headers.get("x-operator-session"),
                                            request.path_params["no"]))

    async def desk_documents(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "DocumentsSeenRequest")
        return JSONResponse(await self._run(self.desk_apps.documents_seen,
                                            request.headers.get("x-operator-session"),
                                            request.path_params["no"], b["documents"]))

    async def desk_printed(self, request: Request) -> Response:
        await self._device(request)
        b = await self._body(request, "PrintedRequest")
        return JSONResponse(await self._run(self.desk_apps.printed,
                                            request.headers.get("x-operator-session"),
                                            request.path_params["no"], b["what"],
                                            bool(b.get("ok", True))))

    async def _snapshot_frame(self) -> tuple[str, int]:
        snap = await self._run(self.service.snapshot)
        last = int(snap["last_event_id"])
        return sse_frame({"id": last, "type": SNAPSHOT, "snapshot": snap}), last


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTER = re.compile(r"[A-Za-z0-9_-]{1,32}")


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RECEIPT_NO = re.compile(r"[A-Za-z0-9_-]{1,80}")
_APPLICATION_NO = re.compile(r"[A-Za-z0-9._:-]{1,80}")


def _receipt_no(request: Request) -> str:
    value = str(request.path_params["receipt_no"])
    if not _RECEIPT_NO.fullmatch(value):
        raise BadRequestError(f"bad receipt number {value[:20]!r}")
    return value


def _validator() -> Callable[[Any, str], list[str]]:
    """Request bodies are checked against this service's own openapi.yaml (no drift)."""
    from reference_backend.validate import errors

    spec = load_spec()

    def check(value: Any, name: str) -> list[str]:
        return errors(value, {"$ref": f"#/components/schemas/{name}"}, spec)

    return check


class CentreServer:
    """uvicorn in a background thread: ``start()`` returns once it listens; ``close()`` joins.

    ``port=0`` picks a free port (``.port`` / ``.url`` tell which).
    """

    def __init__(self, service: CentreService, host: str = "127.0.0.1", port: int = 0, *,
                 keepalive_s: float = KEEPALIVE_S) -> None:
        self.service = service
        self.host = host
        self.app = CentreApp(service, keepalive_s=keepalive_s)
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they
        # are TCP; without it a keep-alive client waits ~40 ms (Nagle + delayed ACK) per answer.
        self._sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                   socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = int(self._sock.getsockname()[1])
        config = uvicorn.Config(self.app, log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=2,
                                timeout_keep_alive=30, limit_concurrency=1000)
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> CentreServer:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._serve, name="centre-http")
        self._thread.start()
        deadline = 10.0
        waited = threading.Event()
        step = 0.01
        while not self._server.started and deadline > 0:
            if not self._thread.is_alive():
                raise RuntimeError("centre service failed to start")
            waited.wait(step)
            deadline -= step
        if not self._server.started:
            raise RuntimeError("centre service did not start within 10 s")
        return self

    def _serve(self) -> None:
        self._sock.listen(1024)
        asyncio.run(self._main())

    async def _main(self) -> None:
        # Each worker thread holds its own SQLite connection (and page cache); SQLite writes
        # one at a time anyway, so a few threads serve a centre and keep the memory flat.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        await self._server.serve(sockets=[self._sock])

    def close(self) -> None:
        """Stop serving: end every event stream, then uvicorn; safe to call twice."""
        self.service.hub.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            self._server.should_exit = True
            thread.join(timeout=10)
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> CentreServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
