"""A hostile or broken centre on the LAN cannot stall, flood or redirect a counter or board.

Anyone on the centre's LAN can answer on the centre's port. The client reads every answer
within a deadline and a size cap and follows no redirect; the event stream caps its lines and
drops a stream that trickles bytes without ever completing a line.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from hostile_http import Conn, HostileServer, Request, answer, gzip_bomb, head

from kiosk.centre.client import MAX_ANSWER_BYTES, CentreClient, EventSubscriber
from kiosk.centre.errors import CentreUnreachableError


def _client(url: str) -> CentreClient:
    return CentreClient(url, device_token="dt_x", timeout=1.0)


def test_a_gzip_bomb_answer_is_refused_at_the_cap() -> None:
    bomb = gzip_bomb(64 << 20)
    extra = "Content-Encoding: gzip\r\n"
    with HostileServer(answer(bomb, extra=extra)) as srv, _client(srv.url) as client:
        with pytest.raises(CentreUnreachableError, match="larger|cap|exceed"):
            client.health()


def test_a_huge_answer_is_refused_before_it_is_read() -> None:
    def huge(req: Request, conn: Conn) -> None:
        conn.send(head(length=300 << 20))
        conn.stream(b"[" * 65536, 300 << 20)
    with HostileServer(huge) as srv, _client(srv.url) as client:
        with pytest.raises(CentreUnreachableError):
            client.queue()
    assert MAX_ANSWER_BYTES < 300 << 20


def test_a_slow_loris_answer_ends_at_the_deadline() -> None:
    def slow(req: Request, conn: Conn) -> None:
        conn.trickle(head(length=2) + b"{}", every=0.4)
    with HostileServer(slow) as srv, _client(srv.url) as client:
        started = time.monotonic()
        with pytest.raises(CentreUnreachableError):
            client.health()
        assert time.monotonic() - started < 3 * 1.0 + 1.5  # deadline = 3 x timeout


def test_deeply_nested_json_is_a_clear_error_not_a_recursion_error() -> None:
    with HostileServer(answer(b"[" * 100_000 + b"]" * 100_000)) as srv, \
            _client(srv.url) as client:
        with pytest.raises(CentreUnreachableError, match="nested|JSON"):
            client.health()


def test_a_redirect_is_not_followed_and_the_body_goes_nowhere() -> None:
    with HostileServer(answer(b"{}")) as elsewhere:
        moved = answer(b"", status="307 Temporary Redirect",
                       extra=f"Location: {elsewhere.url}/v1/steal\r\n")
        with HostileServer(moved) as srv, _client(srv.url) as client:
            with pytest.raises(CentreUnreachableError, match="redirect"):
                client.login("1", "1234", operator_id="op-1")
        assert elsewhere.requests == []


def _sse(lines: list[bytes]) -> Any:
    def behave(req: Request, conn: Conn) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                  b"Connection: close\r\n\r\n")
        for line in lines:
            if not conn.send(line):
                return
        conn.stopping.wait(5)
    return behave


def _subscribe(url: str, **kw: Any) -> tuple[EventSubscriber, list[dict[str, Any]],
                                             threading.Event]:
    events: list[dict[str, Any]] = []
    dropped = threading.Event()
    sub = EventSubscriber(url, "dt_x", events.append, max_backoff=0.2,
                          on_state=lambda up: None if up else dropped.set(), **kw)
    return sub, events, dropped


def test_stream_drops_an_endless_line_and_a_nested_event_and_keeps_good_ones() -> None:
    good = b"data: " + json.dumps({"id": 1, "type": "token.called"}).encode() + b"\n\n"
    nested = b"data: " + b"[" * 50_000 + b"]" * 50_000 + b"\n\n"
    endless = b"data: " + b"x" * (1 << 20)  # a line that never ends
    with HostileServer(_sse([good, nested, endless])) as srv:
        sub, events, dropped = _subscribe(srv.url)
        sub.start()
        try:
            assert dropped.wait(10), "the stream was never dropped"
            deadline = time.monotonic() + 5
            while not events and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            sub.close()
    assert [e["id"] for e in events] == [1]  # the good event arrived exactly once


def test_stream_that_trickles_without_a_line_is_dropped() -> None:
    def trickle(req: Request, conn: Conn) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n")
        conn.trickle(b":" + b"z" * 200, every=0.1)  # bytes, never a complete line
    with HostileServer(trickle) as srv:
        sub, _events, dropped = _subscribe(srv.url, read_timeout=1.0)
        sub.start()
        try:
            assert dropped.wait(8), "a trickling stream kept the board 'connected'"
        finally:
            sub.close()
