"""Talking to the centre service: :class:`CentreClient` (requests) and :class:`EventSubscriber`.

Used by the kiosk (issue, lease, live position), the counter console, boards and the CLI.
Every refusal arrives as the server's ``problem+json`` and is raised as the matching
:mod:`kiosk.centre.errors` class carrying the server's own sentence in both languages; no
answer at all (refused connection, timeout, garbage) is :class:`CentreUnreachableError`.

Every request is read whole within a deadline and a size cap, with no redirects
(:mod:`backend_client.bounded`); the event stream's lines and events are capped and a stream
that trickles bytes without completing a line is dropped and reconnected.

``requests.Session`` is not promised to be thread-safe, so the client keeps one per thread
(a console's worker threads share one client), like :class:`backend_client.BackendClient`.

:class:`EventSubscriber` reads the server-sent event stream on its own (non-daemon) thread,
remembers the last event id and reconnects with ``Last-Event-ID`` after any failure, with
backoff — so a counter or board that lost the LAN or outlived a centre restart misses nothing.
``close()`` interrupts a blocked read and joins the thread.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import requests
import urllib3

from backend_client.bounded import bounded_session, exchange
from backend_client.client import parse_json
from backend_client.errors import BackendClientError, ProtocolError
from kiosk.centre import errors as E  # noqa: N812

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[E.CentreError]] = {
    400: E.BadRequestError, 401: E.UnauthorizedError, 403: E.ForbiddenError,
    404: E.NotFoundError, 409: E.NotAllowedError, 423: E.LockedError}


#: The largest answer or event the centre may send. Its biggest answer, a queue snapshot of a
#: busy day, is tens of kilobytes; a centre (or a stranger on the LAN posing as one) that sends
#: more is refused before it costs memory.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_EVENT_BYTES = 256 * 1024


def _parse(body: bytes, what: str) -> Any:
    """JSON as the backend client reads it: no NaN, no nesting that would blow the stack."""
    try:
        return parse_json(body)
    except ProtocolError as exc:
        raise E.CentreUnreachableError(f"{what}: {exc}") from exc


def _raise_for(status: int, body: bytes, what: str) -> None:
    if status < 400:
        if 300 <= status < 400:  # the contract has no redirects: follow none
            raise E.CentreUnreachableError(f"{what}: HTTP {status} (redirects are not followed)")
        return
    try:
        parsed = parse_json(body) if body else {}
    except ProtocolError:
        parsed = {}
    info: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
    cls = _BY_STATUS.get(status, E.CentreError)
    en, hi = info.get("message_en"), info.get("message_hi")
    if status == 422 and isinstance(info.get("errors"), list):
        from kiosk.centre.desk_applications import InvalidAnswersError

        fields = [{k: str(f.get(k) or "") for k in ("key", "message_en", "message_hi")}
                  for f in info["errors"] if isinstance(f, dict)]
        raise InvalidAnswersError(str(info.get("detail") or "invalid answers"), fields=fields,
                                  message_en=str(en) if en else None,
                                  message_hi=str(hi) if hi else None)
    if status >= 500 and not en:
        raise E.CentreUnreachableError(f"HTTP {status} from {what}")
    raise cls(str(info.get("detail") or f"HTTP {status}"),
              code=str(info.get("code") or cls.code), status=status,
              message_en=str(en) if en else None, message_hi=str(hi) if hi else None)


class CentreClient:
    """The centre service's API. ``timeout`` is per request (connect and read)."""

    def __init__(self, base_url: str, *, device_token: str | None = None,
                 timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_token = device_token
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        s: requests.Session | None = getattr(self._local, "s", None)
        if s is None:
            s = bounded_session()
            self._local.s = s
            with self._lock:
                self._sessions.append(s)
        return s

    def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, timeout: float | None = None) -> Any:
        """One request read whole within a deadline and a size cap (backend_client.bounded):
        a slow, huge or redirecting answer from the LAN cannot hold a worker or the memory."""
        h = dict(headers or {})
        if self.device_token:
            h["Authorization"] = f"Bearer {self.device_token}"
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        t = timeout or self.timeout
        what = f"{method} {path}"
        try:
            resp = exchange(self._session(), method, self.base_url + path, data=data, headers=h,
                            timeout=(t, t), deadline=3 * t, max_bytes=MAX_ANSWER_BYTES,
                            what=what)
        except BackendClientError as exc:
            raise E.CentreUnreachableError(f"{what}: {exc}"[:300]) from exc
        _raise_for(resp.status, resp.content, what)
        return _parse(resp.content, what)

    # -- the API --------------------------------------------------------------------------------

    def enrol(self, code: str, device_id: str, kind: str) -> str:
        """Exchange the centre's code for a device token; also keeps it for later calls."""
        token = str(self._call("POST", "/v1/enrol", body={"code": code, "device_id": device_id,
                                                          "kind": kind})["device_token"])
        self.device_token = token
        return token

    def health(self, timeout: float | None = None) -> dict[str, Any]:
        return dict(self._call("GET", "/v1/health", timeout=timeout))

    def issue(self, token_id: str, group: str, priority: str = "general", lang: str = "hi",
              kiosk_id: str | None = None, issued_at: str | None = None,
              seq: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"token_id": token_id, "group": group, "priority": priority,
                                "lang": lang}
        for k, v in (("kiosk_id", kiosk_id), ("issued_at", issued_at), ("seq", seq)):
            if v is not None:
                body[k] = v
        return dict(self._call("POST", "/v1/tokens", body=body))

    def token(self, token_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/v1/tokens/{requests.utils.quote(token_id, safe='')}"))

    def lease(self, kiosk_id: str, group: str, count: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"kiosk_id": kiosk_id, "group": group}
        if count is not None:
            body["count"] = count
        return dict(self._call("POST", "/v1/leases", body=body))

    def request_help(self, screen: str = "") -> dict[str, Any]:
        """"Call staff" from a kiosk: the counters see a ``help.requested`` event."""
        return dict(self._call("POST", "/v1/help", body={"screen": screen}))

    def queue(self) -> dict[str, Any]:
        return dict(self._call("GET", "/v1/queue"))

    def board(self, calls: int = 8) -> dict[str, Any]:
        """A display board's start: snapshot, today's latest ``calls``, the centre's rules."""
        return dict(self._call("GET", f"/v1/board?calls={int(calls)}"))

    def login(self, counter: str, pin: str, *, operator_id: str | None = None,
              card_id: str | None = None, finger_slot: int | None = None,
              groups: list[str] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"counter": str(counter), "pin": pin}
        for k, v in (("operator_id", operator_id), ("card_id", card_id),
                     ("finger_slot", finger_slot), ("groups", groups)):
            if v is not None:
                body[k] = v
        return dict(self._call("POST", "/v1/sessions", body=body))

    def logout(self, session_token: str, reason: str = "operator") -> dict[str, Any]:
        """End the session; ``reason`` (operator, idle, shutdown) goes into the audit trail."""
        return dict(self._call("DELETE", f"/v1/sessions/current?reason={reason}",
                               headers={"X-Operator-Session": session_token}))

    def act(self, counter: str, action: str, session_token: str, **body: Any) -> dict[str, Any]:
        """``action`` ∈ call-next recall park unpark no-show requeue complete break resume
        transfer; ``body``: ``token=``, ``to_group=`` or ``to_counter=``."""
        clean = {k: v for k, v in body.items() if v is not None}
        return dict(self._call("POST", f"/v1/counters/{counter}/{action}", body=clean,
                               headers={"X-Operator-Session": session_token}))

    def stats(self, counter: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/v1/counters/{counter}/stats"))

    # -- the desk: day-end (kiosk/centre/day_end.py) ---------------------------------------------

    def day_end_report(self, session_token: str, *, date: str | None = None,
                       counter: str | None = None) -> dict[str, Any]:
        """The day-end report (today unless ``date``), for one ``counter`` or the centre."""
        query = "&".join(f"{k}={requests.utils.quote(v, safe='')}"
                         for k, v in (("date", date), ("counter", counter)) if v)
        return dict(self._call("GET", "/v1/desk/day-end/report" + ("?" + query if query else ""),
                               headers={"X-Operator-Session": session_token}))

    def declare_day_end(self, counter: str, session_token: str,
                        declared_paise: int) -> dict[str, Any]:
        """Declare the counted cash; answered with the expected amount and the difference."""
        return dict(self._call("POST", "/v1/desk/day-end",
                               body={"counter": str(counter), "declared_paise": declared_paise},
                               headers={"X-Operator-Session": session_token}))

    def close_day_end(self, counter: str, session_token: str, *, note: str | None = None,
                      supervisor_id: str | None = None, supervisor_card: str | None = None,
                      supervisor_pin: str | None = None) -> dict[str, Any]:
        """Close the declaration; a difference needs the supervisor's id or card and PIN."""
        body: dict[str, Any] = {"counter": str(counter)}
        if note:
            body["note"] = note
        if supervisor_pin is not None:
            sup: dict[str, str] = {"pin": supervisor_pin}
            if supervisor_id:
                sup["operator_id"] = supervisor_id
            if supervisor_card:
                sup["card_id"] = supervisor_card
            body["supervisor"] = sup
        return dict(self._call("POST", "/v1/desk/day-end/close", body=body,
                               headers={"X-Operator-Session": session_token}))

    def close_day(self, counter: str, session_token: str) -> dict[str, Any]:
        """Close the centre's day (refused with the reason while anything is open)."""
        return dict(self._call("POST", "/v1/desk/day/close", body={"counter": str(counter)},
                               headers={"X-Operator-Session": session_token}))

    # -- the desk: applications -----------------------------------------------------------------

    def submit_application(self, session_token: str, service_code: str,
                           answers: dict[str, Any], *, submission_id: str,
                           token: str | None = None, lang: str = "hi",
                           delivery: str = "centre",
                           documents_shown: list[str] | None = None) -> dict[str, Any]:
        """Enter an application for the token served at the session's counter (idempotent by
        ``submission_id``); invalid answers raise ``InvalidAnswersError`` with ``fields``."""
        body: dict[str, Any] = {"service_code": service_code, "answers": answers,
                                "submission_id": submission_id, "lang": lang,
                                "delivery": delivery,
                                "documents_shown": list(documents_shown or [])}
        if token:
            body["token"] = token
        return dict(self._call("POST", "/v1/desk/applications", body=body,
                               headers={"X-Operator-Session": session_token}))

    def check_step(self, session_token: str, service_code: str, step: str,
                   answers: dict[str, Any]) -> list[dict[str, str]]:
        """One wizard step checked with the kiosk's rules: ``[{key, message_en, message_hi}]``."""
        data = self._call("POST", "/v1/desk/applications/check",
                          body={"service_code": service_code, "step": step, "answers": answers},
                          headers={"X-Operator-Session": session_token})
        return [dict(e) for e in data.get("errors") or []]

    def find_applications(self, session_token: str, query: str) -> dict[str, Any]:
        """By number, today's token number or the mobile's last digits (audited look-up)."""
        q = requests.utils.quote(query, safe="")
        return dict(self._call("GET", f"/v1/desk/applications?q={q}",
                               headers={"X-Operator-Session": session_token}))

    def application(self, session_token: str, application_no: str) -> dict[str, Any]:
        """One application's full details (an audited look-up of personal data)."""
        no = requests.utils.quote(application_no, safe="")
        return dict(self._call("GET", f"/v1/desk/applications/{no}",
                               headers={"X-Operator-Session": session_token}))

    def documents_seen(self, session_token: str, application_no: str,
                       documents: list[str]) -> dict[str, Any]:
        """The checklist's documents now ticked as seen (replaces the earlier ticks)."""
        no = requests.utils.quote(application_no, safe="")
        return dict(self._call("POST", f"/v1/desk/applications/{no}/documents",
                               body={"documents": list(documents)},
                               headers={"X-Operator-Session": session_token}))

    def record_print(self, session_token: str, application_no: str, what: str,
                     ok: bool = True) -> dict[str, Any]:
        """Tell the centre a reprint (``acknowledgement``/``certificate``) was made (audit)."""
        no = requests.utils.quote(application_no, safe="")
        return dict(self._call("POST", f"/v1/desk/applications/{no}/prints",
                               body={"what": what, "ok": bool(ok)},
                               headers={"X-Operator-Session": session_token}))

    def hand_over_application(self, application_no: str,
                              record: dict[str, Any]) -> dict[str, Any]:
        """A kiosk's copy of an application it stored (device auth; idempotent by number)."""
        return dict(self._call("POST", "/v1/applications",
                               body={"application_no": application_no, "record": record}))

    # -- desk-cash ------------------------------------------------------------------------------

    def confirm_cash(self, session_token: str, application_no: str, *,
                     amount_paise: int | None = None,
                     counter: str | None = None) -> dict[str, Any]:
        """Cash taken → the receipt (``already_paid`` when it had one already)."""
        body: dict[str, Any] = {"application_no": application_no}
        if amount_paise is not None:
            body["amount_paise"] = amount_paise
        if counter is not None:
            body["counter"] = str(counter)
        return dict(self._call("POST", "/v1/desk/cash", body=body,
                               headers={"X-Operator-Session": session_token}))

    def void_cash(self, session_token: str, receipt_no: str, *, pin: str, reason: str,
                  kind: str = "void", supervisor_id: str | None = None,
                  card_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"pin": pin, "reason": reason, "kind": kind}
        if supervisor_id is not None:
            body["supervisor_id"] = supervisor_id
        if card_id is not None:
            body["card_id"] = card_id
        return dict(self._call("POST", f"/v1/desk/cash/{quote(receipt_no, safe='')}/void",
                               body=body, headers={"X-Operator-Session": session_token}))

    def cash_summary(self, session_token: str, day: str | None = None,
                     application_no: str | None = None) -> dict[str, Any]:
        """The operator's receipts and cash in hand (and, with ``application_no``, what is
        due for that application)."""
        query = [f"day={quote(day, safe='')}"] if day else []
        if application_no:
            query.append(f"application={quote(application_no, safe='')}")
        path = "/v1/desk/cash" + ("?" + "&".join(query) if query else "")
        return dict(self._call("GET", path, headers={"X-Operator-Session": session_token}))

    def receipt(self, session_token: str, receipt_no: str, *,
                reprint: bool = False) -> dict[str, Any]:
        path = (f"/v1/desk/cash/{quote(receipt_no, safe='')}"
                + ("?reprint=true" if reprint else ""))
        return dict(self._call("GET", path, headers={"X-Operator-Session": session_token}))

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for s in sessions:
            s.close()
        self._local = threading.local()

    def __enter__(self) -> CentreClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventSubscriber:
    """Reads ``/v1/events`` on a thread; ``on_event(dict)`` gets every event once, in order.

    ``on_event`` runs on the subscriber's thread (bridge it to a Qt signal for a UI). A
    ``snapshot`` event (``{"type": "snapshot", "snapshot": {...}}``) replaces whatever the
    receiver knew. ``on_state(bool)`` is told when the stream connects or drops.
    """

    def __init__(self, base_url: str, device_token: str,
                 on_event: Callable[[dict[str, Any]], None], *, last_event_id: int = 0,
                 on_state: Callable[[bool], None] | None = None,
                 read_timeout: float = 40.0, max_backoff: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_token = device_token
        self.on_event = on_event
        self.on_state = on_state
        self.last_event_id = last_event_id
        self.read_timeout = read_timeout
        self.max_backoff = max_backoff
        self.connected = threading.Event()
        self.connects = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._resp: requests.Response | None = None
        self._resp_lock = threading.Lock()

    def start(self) -> EventSubscriber:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="centre-events")
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop: interrupt the read, join the thread. Safe to call twice."""
        self._stop.set()
        self._abort()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)

    def _abort(self) -> None:
        with self._resp_lock:
            resp = self._resp
        if resp is None:
            return
        try:  # shut the socket so a blocked recv() returns at once
            sock = resp.raw.connection.sock  # type: ignore[union-attr]
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):
            pass
        try:
            resp.close()
        except Exception:  # closing a half-dead response may raise anything; we are leaving
            pass

    def _set_state(self, up: bool) -> None:
        if up:
            self.connected.set()
        else:
            self.connected.clear()
        if self.on_state is not None:
            try:
                self.on_state(up)
            except Exception:
                log.exception("centre events: state callback failed")

    def _run(self) -> None:
        backoff = 0.1
        session = requests.Session()
        try:
            while not self._stop.is_set():
                try:
                    self._read_once(session)
                    backoff = 0.1
                except (requests.RequestException, OSError, ValueError, E.CentreError,
                        BackendClientError) as exc:
                    if not self._stop.is_set():
                        log.info("centre events: %s; reconnecting", type(exc).__name__)
                except Exception as exc:  # the reader must outlive anything a stream does
                    # (http.client raises AttributeError when close() ends a chunked read)
                    if not self._stop.is_set():
                        log.warning("centre events: unexpected %s; reconnecting",
                                    type(exc).__name__)
                finally:
                    if self.connected.is_set():
                        self._set_state(False)
                self._stop.wait(backoff)
                backoff = min(self.max_backoff, backoff * 2)
        finally:
            session.close()

    def _read_once(self, session: requests.Session) -> None:
        headers = {"Authorization": f"Bearer {self.device_token}", "Accept": "text/event-stream",
                   "Last-Event-ID": str(self.last_event_id),
                   "Accept-Encoding": "identity"}  # a compressed stream could not be bounded
        resp = session.get(self.base_url + "/v1/events", headers=headers, stream=True,
                           timeout=(3.05, self.read_timeout), allow_redirects=False)
        with self._resp_lock:
            self._resp = resp
        try:
            if self._stop.is_set():
                return
            if resp.status_code != 200:
                _raise_for(resp.status_code, resp.raw.read(MAX_ANSWER_BYTES, decode_content=False)
                           if resp.status_code >= 400 else b"", "GET /v1/events")
                raise E.CentreUnreachableError(f"GET /v1/events: HTTP {resp.status_code}")
            self.connects += 1
            self._set_state(True)
            data: list[str] = []
            for line in _bounded_lines(resp, self.read_timeout):
                if self._stop.is_set():
                    return
                if not line:
                    if data:
                        self._deliver("\n".join(data))
                        data = []
                    continue
                if line.startswith(":"):
                    continue
                name, _, value = line.partition(":")
                if name == "data":
                    data.append(value[1:] if value.startswith(" ") else value)
                    if sum(len(d) for d in data) > MAX_EVENT_BYTES:
                        raise E.CentreUnreachableError("centre event larger than the cap")
        finally:
            with self._resp_lock:
                self._resp = None
            resp.close()

    def _deliver(self, text: str) -> None:
        event = _parse(text.encode("utf-8"), "centre event")
        if not isinstance(event, dict) or not isinstance(event.get("id"), int):
            raise ValueError("event without an id")
        if event.get("type") != "snapshot" and event["id"] <= self.last_event_id:
            return
        try:
            self.on_event(event)
        except Exception:
            log.exception("centre events: callback failed for event %s", event.get("id"))
        self.last_event_id = int(event["id"])


def _bounded_lines(resp: requests.Response, quiet_limit: float) -> Iterator[str]:
    """The stream's lines, refusing one longer than :data:`MAX_EVENT_BYTES` and a stream that
    trickles bytes but completes no line (heartbeat or event) within ``quiet_limit`` seconds:
    the socket's own read timeout resets on every byte, so a 1-byte-per-second sender would
    otherwise keep a board "connected" and stale forever. (``iter_lines`` bounds neither.)"""
    buf = b""
    last_line = time.monotonic()
    while True:
        # read1: whatever has arrived (up to 4 KB), so the quiet check runs on every trickle;
        # iter_content would block until 4 KB or the end. The stream asks for no encoding.
        try:
            chunk = resp.raw.read1(4096)
        except urllib3.exceptions.HTTPError as exc:  # a broken chunk: the centre went away
            raise E.CentreUnreachableError(f"centre event stream broken: {exc!r}"[:200]) from exc
        if not chunk:
            return
        buf += chunk
        while True:
            cut = buf.find(b"\n")
            if cut < 0:
                break
            line, buf = buf[:cut], buf[cut + 1:]
            last_line = time.monotonic()
            yield line.rstrip(b"\r").decode("utf-8")
        if len(buf) > MAX_EVENT_BYTES:
            raise E.CentreUnreachableError("centre event line larger than the cap")
        if time.monotonic() - last_line > quiet_limit:
            raise E.CentreUnreachableError(f"no complete line from the centre in {quiet_limit}s")
