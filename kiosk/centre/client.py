"""Talking to the centre service: :class:`CentreClient` (requests) and :class:`EventSubscriber`.

Used by the kiosk (issue, lease, live position), the counter console, boards and the CLI.
Every refusal arrives as the server's ``problem+json`` and is raised as the matching
:mod:`kiosk.centre.errors` class carrying the server's own sentence in both languages; no
answer at all (refused connection, timeout, garbage) is :class:`CentreUnreachableError`.

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
from collections.abc import Callable
from typing import Any

import requests

from kiosk.centre import errors as E  # noqa: N812

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[E.CentreError]] = {
    400: E.BadRequestError, 401: E.UnauthorizedError, 403: E.ForbiddenError,
    404: E.NotFoundError, 409: E.NotAllowedError, 423: E.LockedError}


def _raise_for(resp: requests.Response) -> None:
    if resp.status_code < 400:
        return
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    cls = _BY_STATUS.get(resp.status_code, E.CentreError)
    en, hi = body.get("message_en"), body.get("message_hi")
    if resp.status_code >= 500 and not en:
        raise E.CentreUnreachableError(f"HTTP {resp.status_code} from {resp.url}")
    raise cls(str(body.get("detail") or f"HTTP {resp.status_code}"),
              code=str(body.get("code") or cls.code), status=resp.status_code,
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
            s = requests.Session()
            self._local.s = s
            with self._lock:
                self._sessions.append(s)
        return s

    def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, timeout: float | None = None) -> Any:
        h = dict(headers or {})
        if self.device_token:
            h["Authorization"] = f"Bearer {self.device_token}"
        try:
            resp = self._session().request(method, self.base_url + path, json=body, headers=h,
                                           timeout=timeout or self.timeout)
        except requests.RequestException as exc:
            raise E.CentreUnreachableError(f"{method} {path}: {type(exc).__name__}: "
                                           f"{exc}"[:300]) from exc
        _raise_for(resp)
        try:
            return resp.json()
        except ValueError as exc:
            raise E.CentreUnreachableError(f"{method} {path}: answer is not JSON") from exc

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

    def logout(self, session_token: str) -> dict[str, Any]:
        return dict(self._call("DELETE", "/v1/sessions/current",
                               headers={"X-Operator-Session": session_token}))

    def act(self, counter: str, action: str, session_token: str, **body: Any) -> dict[str, Any]:
        """``action`` ∈ call-next recall park unpark no-show requeue complete break resume
        transfer; ``body``: ``token=``, ``to_group=`` or ``to_counter=``."""
        clean = {k: v for k, v in body.items() if v is not None}
        return dict(self._call("POST", f"/v1/counters/{counter}/{action}", body=clean,
                               headers={"X-Operator-Session": session_token}))

    def stats(self, counter: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/v1/counters/{counter}/stats"))

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
                except (requests.RequestException, OSError, ValueError, E.CentreError) as exc:
                    if not self._stop.is_set():
                        log.info("centre events: %s; reconnecting", type(exc).__name__)
                finally:
                    if self.connected.is_set():
                        self._set_state(False)
                self._stop.wait(backoff)
                backoff = min(self.max_backoff, backoff * 2)
        finally:
            session.close()

    def _read_once(self, session: requests.Session) -> None:
        headers = {"Authorization": f"Bearer {self.device_token}", "Accept": "text/event-stream",
                   "Last-Event-ID": str(self.last_event_id)}
        resp = session.get(self.base_url + "/v1/events", headers=headers, stream=True,
                           timeout=(3.05, self.read_timeout))
        with self._resp_lock:
            self._resp = resp
        try:
            if self._stop.is_set():
                return
            _raise_for(resp)
            self.connects += 1
            self._set_state(True)
            data: list[str] = []
            for raw in resp.iter_lines(decode_unicode=False):
                if self._stop.is_set():
                    return
                line = raw.decode("utf-8")
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
        finally:
            with self._resp_lock:
                self._resp = None
            resp.close()

    def _deliver(self, text: str) -> None:
        event = json.loads(text)
        if not isinstance(event, dict) or not isinstance(event.get("id"), int):
            raise ValueError("event without an id")
        if event.get("type") != "snapshot" and event["id"] <= self.last_event_id:
            return
        try:
            self.on_event(event)
        except Exception:
            log.exception("centre events: callback failed for event %s", event.get("id"))
        self.last_event_id = int(event["id"])
