"""The centre service over real HTTP on loopback: auth, problems, limits, the event stream."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from centre_helpers import DEVANAGARI, PIN, add_operator, new_id

from kiosk.centre.client import CentreClient, EventSubscriber
from kiosk.centre.errors import CentreUnreachableError, NotAllowedError, UnauthorizedError
from kiosk.centre.runtime import CentreRuntime, start_centre
from kiosk.config import load_config


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[CentreRuntime]:
    config = load_config(data_dir=tmp_path / "data", environ={})
    rt = start_centre(config, port=0, forward=False, enrolment_code="CODE-7")
    add_operator(rt.store, "op1")
    try:
        yield rt
    finally:
        rt.close()


@pytest.fixture
def client(centre: CentreRuntime) -> Iterator[CentreClient]:
    c = CentreClient(centre.url)
    c.enrol("CODE-7", "K-1", "kiosk")
    try:
        yield c
    finally:
        c.close()


def wait_until(cond, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def test_health_is_open_everything_else_needs_a_device_token(centre: CentreRuntime) -> None:
    assert requests.get(centre.url + "/v1/health", timeout=5).json()["status"] == "ok"
    r = requests.get(centre.url + "/v1/queue", timeout=5)
    assert r.status_code == 401 and r.headers["content-type"].startswith(
        "application/problem+json")
    body = r.json()
    assert DEVANAGARI.search(body["message_hi"]) and body["message_en"]
    with CentreClient(centre.url) as c:
        with pytest.raises(UnauthorizedError) as e:
            c.enrol("WRONG", "K-2", "kiosk")
        assert DEVANAGARI.search(e.value.user_message("hi"))


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/nope", 404), ("DELETE", "/v1/queue", 405), ("PUT", "/v1/tokens", 405),
    ("POST", "/v1/health", 405), ("GET", "/v1/counters/1/call-next", 405)])
def test_unknown_paths_and_methods_are_bilingual_problems(centre: CentreRuntime, method: str,
                                                          path: str, status: int) -> None:
    r = requests.request(method, centre.url + path, timeout=5)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and DEVANAGARI.search(body["message_hi"])
    if status == 405:
        assert "allow" in {k.lower() for k in r.headers}


def test_body_limit_and_bad_json(centre: CentreRuntime, client: CentreClient) -> None:
    h = {"Authorization": f"Bearer {client.device_token}", "Content-Type": "application/json"}
    big = b'{"token_id": "' + b"x" * 70_000 + b'"}'
    r = requests.post(centre.url + "/v1/tokens", data=big, headers=h, timeout=5)
    assert r.status_code == 413 and DEVANAGARI.search(r.json()["message_hi"])

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams in
        for _ in range(80):
            yield b" " * 1024

    r = requests.post(centre.url + "/v1/tokens", data=chunks(), headers=h, timeout=5)
    assert r.status_code == 413
    r = requests.post(centre.url + "/v1/tokens", data=b"{not json", headers=h, timeout=5)
    assert r.status_code == 400 and r.json()["code"] == "bad-request"


def test_kiosk_issue_counter_flow_over_http(centre: CentreRuntime, client: CentreClient) -> None:
    t = client.issue(new_id(), "C", "senior", "hi", "K-1")
    assert t["number"] == "C-001" and client.token("C-001")["id"] == t["id"]
    s = client.login("1", PIN, operator_id="op1")
    assert s["operator"]["id"] == "op1" and s["counter"]["state"] == "open"
    called = client.act("1", "call-next", s["session_token"])
    assert called["token"]["number"] == "C-001"
    with pytest.raises(NotAllowedError) as e:
        client.act("1", "call-next", s["session_token"])
    assert DEVANAGARI.search(e.value.user_message("hi")) and e.value.status == 409
    client.act("1", "complete", s["session_token"])
    assert client.stats("1")["served"] == 1
    assert client.queue()["counters"][0]["served_today"] == 1
    client.logout(s["session_token"])
    with pytest.raises(UnauthorizedError):
        client.act("1", "call-next", s["session_token"])


def test_unreachable_is_its_own_error() -> None:
    with CentreClient("http://127.0.0.1:9", timeout=0.5) as c:
        with pytest.raises(CentreUnreachableError):
            c.health()


def test_event_stream_resumes_after_a_disconnect_without_missing_one(
        centre: CentreRuntime, client: CentreClient) -> None:
    got: list[dict] = []
    lock = threading.Lock()

    def on_event(ev: dict) -> None:
        with lock:
            got.append(ev)

    sub = EventSubscriber(centre.url, str(client.device_token), on_event, max_backoff=0.2)
    sub.start()
    try:
        wait_until(sub.connected.is_set)
        for _ in range(5):
            client.issue(new_id(), "C")
        wait_until(lambda: len(got) == 5)
        # Cut the stream under the subscriber's feet, keep issuing while it is away.
        sub._abort()
        for _ in range(5):
            client.issue(new_id(), "A")
        wait_until(lambda: len(got) == 10 and sub.connects >= 2)
        ids = [e["id"] for e in got]
        assert ids == sorted(ids) and len(set(ids)) == 10 and ids == list(range(1, 11))
        assert [e["token"]["number"] for e in got[5:]] == [f"A-00{i}" for i in range(1, 6)]
    finally:
        sub.close()
    # A late subscriber starting after id 7 gets exactly 8, 9, 10.
    late: list[dict] = []
    sub2 = EventSubscriber(centre.url, str(client.device_token), late.append, last_event_id=7)
    sub2.start()
    try:
        wait_until(lambda: len(late) == 3)
        assert [e["id"] for e in late] == [8, 9, 10]
    finally:
        sub2.close()


def test_far_behind_subscriber_gets_a_snapshot(centre: CentreRuntime, client: CentreClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.centre import server

    monkeypatch.setattr(server, "BACKLOG_LIMIT", 3)
    for _ in range(6):
        client.issue(new_id(), "C")
    got: list[dict] = []
    sub = EventSubscriber(centre.url, str(client.device_token), got.append, last_event_id=1)
    sub.start()
    try:
        wait_until(lambda: len(got) >= 1)
        snap = got[0]
        assert snap["type"] == "snapshot" and snap["id"] == 6
        assert len(snap["snapshot"]["waiting"]) == 6
        client.issue(new_id(), "C")
        wait_until(lambda: len(got) == 2)
        assert got[1]["id"] == 7 and got[1]["type"] == "token.issued"
    finally:
        sub.close()


def test_keepalive_comments_and_close_ends_streams(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "d", environ={})
    rt = CentreRuntime(config, forward=False, keepalive_s=0.05)
    try:
        token = rt.issue_credential("B-1", "board")
        with requests.get(rt.url + "/v1/events", headers={"Authorization": f"Bearer {token}"},
                          stream=True, timeout=5) as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            lines = r.iter_lines()
            assert next(lines) == b": keep-alive"
    finally:
        rt.close()
