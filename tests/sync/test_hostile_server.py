"""The kiosk's HTTP client and sync engine against a hostile or broken server (issue 11).

Every case is a real server on loopback (tests/hostile_http.py) doing what an attacker on the
path, a captive portal or a broken proxy would: answer one byte at a time, answer 300 MB or a
gzip bomb, nest JSON 100,000 deep, redirect the batch to another origin, answer HTML or JSON
of the wrong shape. What the kiosk must do each time: fail within its deadline, within its
memory, with a classified error; keep every record pending (never ``inflight``, never given
up); and say "offline" while the backend does not answer properly.
"""

from __future__ import annotations

import gzip
import json
import logging
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_http import (
    PEAK_RSS_CHILD,
    Behaviour,
    Conn,
    HostileServer,
    Request,
    answer,
    gzip_bomb,
    head,
    self_signed,
)
from sync_helpers import FAST, KIOSK_ID, KioskUnderTest, wait_until

from backend_client import NetworkError, ProtocolError, RejectedError
from backend_client.client import MAX_JSON_DEPTH, BackendClient, json_depth, parse_json
from backend_client.errors import (
    DeadlineExceededError,
    InsecureURLError,
    ResponseTooLargeError,
)
from backend_client.models import BatchItem
from kiosk.config import Config, load_config
from kiosk.errors import ConfigError
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.engine import SyncEngine
from kiosk.sync.runtime import SyncRuntime, direct_client
from kiosk.sync.settings import MSG_INSECURE_URL
from kiosk.sync.status import read_state
from reference_backend import ReferenceBackend

ROOT = Path(__file__).resolve().parents[2]
NESTED = b"[" * 100_000 + b"]" * 100_000
BIG = 300 * 1024 * 1024
ITEM = BatchItem("token.issued:t-1", "token.issued", "t-1",
                 {"token_id": "t-1", "number": "C-001", "group": "C", "priority": "normal",
                  "centre": "MP-TEST", "at": "2026-11-22T10:00:00+05:30"})


def _items(req: Request) -> list[dict[str, Any]]:
    body = req.body
    if req.headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return list(json.loads(body)["items"])


def accept_all(req: Request, conn: Conn) -> None:
    """A well-behaved backend's batch answer (and a health answer for the probe)."""
    if req.path.startswith("/v1/reference/"):  # our copy is current
        conn.send(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
        return
    if req.path == "/v1/health":
        body = json.dumps({"server_time": "2026-11-22T04:30:00+00:00"}).encode()
    elif req.path == "/v1/batch":
        body = json.dumps({"items": [
            {"idempotency_key": i["idempotency_key"], "status": "accepted", "http_status": 201}
            for i in _items(req)]}).encode()
    else:
        body = json.dumps({"server_time": "2026-11-22T04:30:00+00:00"}).encode()
    conn.send(head(length=len(body)) + body)


def slow_headers(every: float, nbytes: int = 40) -> Behaviour:
    """A status line, then a header trickled one byte per ``every`` seconds (slow-loris)."""
    def behave(req: Request, conn: Conn) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\n")
        conn.trickle(b"X-Slow: " + b"a" * nbytes, every)
    return behave


def slow_body(every: float, nbytes: int = 40) -> Behaviour:
    def behave(req: Request, conn: Conn) -> None:
        conn.send(head(length=nbytes + 2))
        conn.trickle(b'"' + b"a" * nbytes + b'"', every)
    return behave


def huge(announce: bool, chunked: bool = False) -> Behaviour:
    """300 MB of JSON-looking bytes, with or without Content-Length, or chunked."""
    def behave(req: Request, conn: Conn) -> None:
        piece = b"[1,2,3,4,5,6,7]," * 4096
        if chunked:
            conn.send(head(extra="Transfer-Encoding: chunked\r\n"))
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            conn.stream(frame, BIG)
            return
        conn.send(head(length=BIG if announce else None))
        conn.stream(piece, BIG)
    return behave


def bomb(req: Request, conn: Conn) -> None:
    body = gzip_bomb(BIG)
    conn.send(head(length=len(body), extra="Content-Encoding: gzip\r\n") + body)


@pytest.fixture
def make_server() -> Iterator[Callable[[Behaviour], HostileServer]]:
    servers: list[HostileServer] = []

    def make(behaviour: Behaviour) -> HostileServer:
        srv = HostileServer(behaviour)
        servers.append(srv)
        return srv

    try:
        yield make
    finally:
        for srv in servers:
            srv.close()


def _client(url: str) -> BackendClient:
    return BackendClient(url, "token-x", connect_timeout=FAST.connect_timeout,
                         read_timeout=FAST.read_timeout, retries=0)


# -- the client: every hostile answer is a classified error, fast and small --------------------


def test_deeply_nested_json_is_a_protocol_error_not_a_recursion_error(make_server) -> None:
    srv = make_server(answer(NESTED))
    with _client(srv.url) as c:
        with pytest.raises(ProtocolError, match="nested"):
            c.upload_batch([ITEM])
        with pytest.raises(ProtocolError, match="nested"):
            c.get_reference("catalogue")


def test_json_depth_limit_is_checked_without_recursion() -> None:
    ok = json.dumps({"a": [[{"b": 1}]]}).encode()
    assert parse_json(ok) == {"a": [[{"b": 1}]]}
    deep = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(ProtocolError, match="deeper"):
        parse_json(deep)
    assert json_depth(json.loads(b"[" * 900 + b"]" * 900)) == 900
    with pytest.raises(ProtocolError):
        parse_json(b'{"server_time": NaN}')


@pytest.mark.parametrize("behaviour", [slow_headers(0.3), slow_body(0.3)],
                         ids=["headers", "body"])
def test_slow_loris_fails_within_the_total_deadline(make_server, behaviour: Behaviour) -> None:
    srv = make_server(behaviour)
    with _client(srv.url) as c:
        assert c.deadline == pytest.approx(2.5)  # connect 0.5 + 2 × read 1.0
        t0 = time.monotonic()
        with pytest.raises(DeadlineExceededError) as err:
            c.upload_batch([ITEM])
        took = time.monotonic() - t0
    assert isinstance(err.value, NetworkError) and err.value.retryable
    # Each byte arrives well within the 1 s read timeout: only the total deadline stops it.
    assert 2.0 < took < 3.5, took


@pytest.mark.parametrize("behaviour", [slow_headers(0.3), slow_body(0.3)],
                         ids=["headers", "body"])
def test_slow_loris_over_tls_fails_within_the_total_deadline(tmp_path: Path,
                                                             behaviour: Behaviour) -> None:
    """The production path: the deadline must cut a TLS connection as well as a plain one."""
    tls, ca = self_signed(tmp_path)
    with HostileServer(behaviour, tls=tls) as srv, \
            BackendClient(srv.url, "token-x", connect_timeout=0.5, read_timeout=1.0,
                          verify=str(ca), retries=0) as c:
        t0 = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            c.upload_batch([ITEM])
        took = time.monotonic() - t0
        assert srv.requests and srv.requests[0].path == "/v1/batch"  # TLS did work
    assert 2.0 < took < 3.5, took


def test_the_configured_ca_bundle_wins_over_the_environment(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """requests lets REQUESTS_CA_BUNDLE replace a session's CA file; the kiosk's ca_bundle
    must not be silently swapped for whatever the environment names."""
    (tmp_path / "other").mkdir()
    _, other_ca = self_signed(tmp_path / "other")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other_ca))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(other_ca))
    tls, ca = self_signed(tmp_path)
    with HostileServer(accept_all, tls=tls) as srv, \
            BackendClient(srv.url, verify=str(ca), retries=0) as c:
        assert c.health()


@pytest.mark.parametrize("behaviour", [huge(announce=True), huge(announce=False),
                                       huge(announce=False, chunked=True), bomb],
                         ids=["content-length", "close-delimited", "chunked", "gzip-bomb"])
def test_huge_answers_stop_at_the_cap_without_filling_memory(make_server,
                                                           behaviour: Behaviour) -> None:
    srv = make_server(behaviour)
    if behaviour is bomb:
        gzip_bomb(BIG)  # build it before measuring (the server's memory, not the kiosk's)
    with _client(srv.url) as c:
        tracemalloc.start()
        try:
            t0 = time.monotonic()
            with pytest.raises(ResponseTooLargeError):
                c.upload_batch([ITEM])
            took = time.monotonic() - t0
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 24 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"  # cap 4 MiB + parts + join
    assert took < 5.0


@pytest.mark.parametrize("status", ["307 Temporary Redirect", "302 Found",
                                    "308 Permanent Redirect"])
def test_a_redirect_is_not_followed_and_the_other_origin_gets_nothing(make_server,
                                                                     status: str) -> None:
    elsewhere = make_server(accept_all)
    srv = make_server(answer(b"", status=status,
                             extra=f"Location: {elsewhere.url}/v1/batch\r\n"))
    with _client(srv.url) as c:
        with pytest.raises(ProtocolError, match="redirect"):
            c.upload_batch([ITEM])
    assert [r.path for r in srv.requests] == ["/v1/batch"]
    assert elsewhere.requests == []


@pytest.mark.parametrize("behaviour", [
    answer(b"<html><body>Log in to the Wi-Fi</body></html>", ctype="text/html"),
    answer(b"<html><body>Log in</body></html>"),                       # HTML called JSON
    answer(b'{"items": "all good"}'),                                  # wrong type
    answer(b'{"items": [{"idempotency_key": 5, "status": "accepted", "http_status": 201}]}'),
    answer(b'{"items": [{"idempotency_key": "token.issued:t-1", "status": "accepted", '
           b'"http_status": true}]}'),
    answer(b"[]"),
    answer(b'"\xff\xfe not utf-8"'),
    answer(b"", extra="Content-Encoding: br\r\n"),
], ids=["html", "html-as-json", "items-string", "key-int", "status-bool", "array",
        "bad-utf8", "brotli-empty"])
def test_html_and_wrong_types_are_protocol_errors(make_server, behaviour: Behaviour) -> None:
    srv = make_server(behaviour)
    with _client(srv.url) as c:
        with pytest.raises(ProtocolError):
            c.upload_batch([ITEM])


def test_an_encoding_the_client_cannot_bound_is_refused(make_server) -> None:
    srv = make_server(answer(b"\x1b\x00\x00", extra="Content-Encoding: zstd\r\n"))
    with _client(srv.url) as c:
        with pytest.raises(ProtocolError, match="Content-Encoding"):
            c.upload_batch([ITEM])
    assert "zstd" not in srv.requests[0].headers.get("accept-encoding", "")
    assert "br" not in srv.requests[0].headers.get("accept-encoding", "")


def test_connections_are_still_reused_between_exchanges(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The deadline machinery must not cost the keep-alive a 300 ms link depends on."""
    from backend_client import bounded

    opened: list[int] = []
    real = bounded._WatchedHTTPConnection._new_conn

    def counting(self: Any) -> Any:
        opened.append(1)
        return real(self)

    monkeypatch.setattr(bounded._WatchedHTTPConnection, "_new_conn", counting)
    with ReferenceBackend(tmp_path / "be.sqlite3") as be, _client(be.url) as c:
        for _ in range(5):
            c.health()
    assert len(opened) == 1


# -- http:// only to this machine ----------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://10.20.30.40:8787", "http://backend.example.in",
                                 "ftp://127.0.0.1", "backend.example.in", "http://"])
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    with pytest.raises(InsecureURLError):
        BackendClient(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://localhost:8787",
                                 "http://[::1]:8787", "http://127.8.9.10", "https://a.example"])
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    BackendClient(url).close()


def test_insecure_http_only_when_the_operator_allows_it() -> None:
    BackendClient("http://10.20.30.40:8787", allow_insecure_http=True).close()


def _config(tmp_path: Path, backend: str) -> Config:
    path = tmp_path / "kiosk.toml"
    path.write_text("[backend]\n" + backend, "utf-8")
    return load_config(path, data_dir=tmp_path / "data", environ={})


def test_sync_start_refuses_remote_http_in_both_languages(tmp_path: Path) -> None:
    cfg = _config(tmp_path, 'url = "http://10.20.30.40:8787"\ntoken = "t"\n')
    with Store(cfg.db_path) as store:
        with pytest.raises(ConfigError) as err:
            SyncRuntime(cfg, store, start_worker=False)
        assert err.value.message == MSG_INSECURE_URL
        assert err.value.user_message("hi") != err.value.user_message("en")
        assert "https://" in err.value.user_message("hi")
        state = read_state(store.conn)
        assert state["online"] == "0" and "allow_insecure_http" in state["last_error"]
        assert direct_client(cfg, store) is None  # the screens do not ask it either

    allowed = _config(tmp_path, 'url = "http://10.20.30.40:8787"\ntoken = "t"\n'
                                'allow_insecure_http = true\n')
    assert not allowed.problems
    with Store(allowed.db_path) as store, SyncRuntime(allowed, store, start_worker=False) as rt:
        assert rt.backend_url == "http://10.20.30.40:8787"


def test_kiosk_sync_once_says_why_in_hindi_and_english(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[backend]\nurl = "http://10.20.30.40:8787"\ntoken = "t"\n', "utf-8")
    proc = subprocess.run([sys.executable, "-m", "kiosk.cli", "sync", "once", "--config",
                           str(cfg), "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert proc.returncode == 1
    assert "https://" in proc.stderr and "मुख्य सर्वर" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- the engine: nothing stranded, nothing given up, never "online" after a failure ---------------


def _kiosk(config: Config, url: str, **changes: Any) -> KioskUnderTest:
    import dataclasses

    return KioskUnderTest(config, url, "token-x", dataclasses.replace(FAST, **changes))


def test_nested_json_leaves_nothing_inflight_and_the_kiosk_says_offline(config: Config,
                                                                       make_server) -> None:
    srv = make_server(accept_all)
    kiosk = _kiosk(config, srv.url)
    try:
        kiosk.issue(2)
        assert kiosk.engine.cycle() and kiosk.all_done()
        assert kiosk.engine.status().online is True
        srv.behaviour = answer(NESTED)
        kiosk.issue(3)
        kiosk.engine.start()
        # The worker keeps trying (every backoff period), so the entries were never stranded.
        wait_until(lambda: sum(r.path == "/v1/batch" for r in srv.requests) >= 4,
                   timeout=10, what="the worker retrying after the hostile answer")
        status = kiosk.engine.status()
        assert status.online is False and "nested" in (status.last_error or "")
        kiosk.engine.close()
        assert kiosk.states() == {"done": 2, "pending": 3}
        srv.behaviour = accept_all
        kiosk.engine = SyncEngine(kiosk.store, kiosk.client, FAST)  # a restart, as it were
        assert kiosk.engine.cycle() and kiosk.all_done()
    finally:
        kiosk.close()


def test_an_unexpected_exception_strands_nothing_and_logs_no_personal_data(
        config: Config, make_server, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    srv = make_server(accept_all)
    kiosk = _kiosk(config, srv.url)
    try:
        kiosk.issue(3)

        def boom(*args: object, **kwargs: object) -> None:
            raise KeyError("Sunita Devi 9876543210")

        monkeypatch.setattr(kiosk.client, "upload_batch", boom)
        with caplog.at_level(logging.DEBUG, logger="kiosk.sync"):
            assert kiosk.engine.cycle() is False
        assert kiosk.states() == {"pending": 3}
        status = kiosk.engine.status()
        assert status.online is False and "KeyError" in (status.last_error or "")
        logged = caplog.text + "".join(str(r.exc_info) for r in caplog.records)
        assert "KeyError" in logged
        assert "Sunita" not in logged and "9876543210" not in logged
        assert "Sunita" not in (status.last_error or "")
        attempts = {int(r[0]) for r in kiosk.store.conn.execute("SELECT attempts FROM outbox")}
        assert attempts == {0}  # a bug on our side is not the backend's verdict
        monkeypatch.undo()
        assert kiosk.engine.cycle() and kiosk.all_done()
        assert kiosk.engine.status().online is True
    finally:
        kiosk.close()


def test_an_unexpected_exception_in_the_worker_is_backed_off_and_retried(
        config: Config, make_server, monkeypatch: pytest.MonkeyPatch) -> None:
    srv = make_server(accept_all)
    kiosk = _kiosk(config, srv.url)
    calls: list[int] = []
    real = kiosk.client.upload_batch
    try:
        kiosk.issue(2)

        def flaky(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            if len(calls) <= 2:
                raise RuntimeError("not a client error")
            return real(*args, **kwargs)

        monkeypatch.setattr(kiosk.client, "upload_batch", flaky)
        kiosk.engine.start()
        wait_until(kiosk.all_done, timeout=10, what="delivery after two unexpected errors")
        assert len(calls) == 3
    finally:
        kiosk.close()


def test_an_outage_then_a_503_never_gives_an_entry_up(config: Config, tmp_path: Path) -> None:
    """Issue 11, finding 5: N refused connections, one 503, then a healthy backend."""
    backend = ReferenceBackend(tmp_path / "be" / "reference.sqlite3", seed=1).start()
    token = backend.issue_credential(KIOSK_ID, config.centre_code)
    backend.stop()  # down: every attempt is a refused connection
    import dataclasses

    kiosk = KioskUnderTest(config, backend.url, token,
                           dataclasses.replace(FAST, max_item_attempts=3))
    try:
        kiosk.issue(1)
        for _ in range(8):
            assert kiosk.engine.cycle() is False
        assert kiosk.engine.status().online is False
        backend.faults.error_rate = 1.0  # up, but answering 503
        backend.start()
        assert kiosk.engine.cycle() is False
        assert kiosk.states() == {"pending": 1}, "an outage must never exhaust an entry"
        backend.faults.error_rate = 0.0
        assert kiosk.engine.cycle() is True
        assert kiosk.all_done()
        assert backend.db.count("tokens", "kiosk_id = ?", (KIOSK_ID,)) == 1
    finally:
        kiosk.close()
        backend.close()


def test_timeouts_and_deadlines_never_count_either(config: Config, make_server) -> None:
    srv = make_server(slow_body(0.2))
    kiosk = _kiosk(config, srv.url, max_item_attempts=1, read_timeout=0.4, connect_timeout=0.2)
    try:
        kiosk.issue(1)
        for _ in range(3):
            assert kiosk.engine.cycle() is False
        assert kiosk.states() == {"pending": 1}
        assert "within" in (kiosk.engine.status().last_error or "")
    finally:
        kiosk.close()


def test_an_entry_the_backend_keeps_failing_on_is_still_given_up(config: Config,
                                                                make_server) -> None:
    """The one case that counts: HTTP 500 on a batch of that entry alone (a poison record
    must not hold the outbox for ever)."""
    srv = make_server(answer(b'{"detail": "boom"}', status="500 Internal Server Error",
                             ctype="application/problem+json"))
    kiosk = _kiosk(config, srv.url, max_item_attempts=2, batch_size=1)
    try:
        kiosk.issue(1)
        for _ in range(3):
            kiosk.engine.cycle()
        parked = outbox.parked_entries(kiosk.store.conn)
        assert [p.code for p in parked] == [outbox.PARK_EXHAUSTED]
    finally:
        kiosk.close()


def test_a_4xx_is_still_parked_at_once(config: Config, make_server) -> None:
    srv = make_server(answer(b'{"detail": "bad token id", "code": "invalid"}',
                             status="422 Unprocessable Content",
                             ctype="application/problem+json"))
    with _client(srv.url) as c, pytest.raises(RejectedError):
        c.upload_batch([ITEM])
    kiosk = _kiosk(config, srv.url, batch_size=1)
    try:
        kiosk.issue(1)
        kiosk.engine.cycle()
        assert [p.code for p in outbox.parked_entries(kiosk.store.conn)] == ["rejected"]
    finally:
        kiosk.close()


# -- memory: a child running `kiosk sync once` against the bomb and the 300 MB answer -------------

def sync_once_peak_rss_mb(url: str, tmp_path: Path, extra_path: str | None = None) -> float:
    """Peak RSS (MB) of a child process running ``kiosk sync once`` against ``url``."""
    data = tmp_path / "data"
    cfg_path = tmp_path / "kiosk.toml"
    cfg_path.write_text(f'[backend]\nurl = "{url}"\ntoken = "t"\nkiosk_id = "{KIOSK_ID}"\n'
                        'read_timeout = 5.0\n', "utf-8")
    cfg = load_config(cfg_path, data_dir=data, environ={})
    with Store(cfg.db_path) as store:
        for _ in range(3):
            TokenService(store, cfg).issue("C")
    env = None
    if extra_path:
        import os

        env = {**os.environ, "PYTHONPATH": extra_path}
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS_CHILD, "sync", "once", "--config",
                           str(cfg_path), "--data-dir", str(data)], capture_output=True,
                          text=True, timeout=300, cwd=str(ROOT), env=env)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("MAXRSS_KB")]
    assert line, proc.stderr[-2000:]
    with Store(cfg.db_path) as store:
        states = {str(r[0]) for r in store.conn.execute("SELECT DISTINCT state FROM outbox")}
    assert states == {"pending"}, states  # nothing delivered, nothing stranded or given up
    return int(line[0].split()[1]) / 1024


@pytest.mark.slow
@pytest.mark.parametrize("behaviour", [bomb, huge(announce=False)], ids=["gzip-bomb", "300MB"])
def test_sync_once_stays_under_300_mb_against_a_flood(make_server, tmp_path: Path,
                                                     behaviour: Behaviour) -> None:
    gzip_bomb(BIG)
    srv = make_server(behaviour)
    peak = sync_once_peak_rss_mb(srv.url, tmp_path)
    assert peak < 300, f"peak RSS {peak:.0f} MB"
    assert srv.requests  # it did ask (and was flooded)
