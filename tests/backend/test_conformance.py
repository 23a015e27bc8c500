"""The reference backend keeps the contract at its edges: sizes, methods, headers, numbers.

Each case failed before: a 408 KB gzip body took the process from 40 to 1,239 MB; undeclared
methods got the stdlib's 501 HTML page (a client retries a 5xx for ever); ``100.0`` was refused
as an integer though JSON Schema 2020-12 says it is one; an over-long ``If-None-Match`` was
accepted.
"""

from __future__ import annotations

import gzip
import io
import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from reference_backend import ReferenceBackend
from reference_backend.workers import AsgiBackend

CHILD = r"""
import sys
from reference_backend import ReferenceBackend
from reference_backend.workers import AsgiBackend
with (AsgiBackend if sys.argv[2] == "production" else ReferenceBackend)(sys.argv[1]) as be:
    print(be.port, flush=True)
    sys.stdin.read()          # until the parent closes our stdin
"""


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _bomb(inflated_mb: int) -> bytes:
    """A register body whose enrolment code is ``inflated_mb`` MB of one letter, gzipped."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as g:
        g.write(b'{"kiosk_id": "K-1", "centre_code": "C", "enrolment_code": "')
        chunk = b"a" * (1 << 20)
        for _ in range(inflated_mb):
            g.write(chunk)
        g.write(b'"}')
    return buf.getvalue()


@pytest.mark.parametrize("server", ["test-server", "production"])
def test_gzip_bomb_to_register_is_refused_before_it_inflates(tmp_path: Path, server: str) -> None:
    body = _bomb(400)
    assert len(body) < 500 * 1024  # ~400 KB on the wire
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "b.sqlite3"), server],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        before = _peak_rss_mb(child.pid)
        r = requests.post(f"http://127.0.0.1:{port}/v1/kiosks/register", data=body, timeout=60,
                          headers={"Content-Type": "application/json",
                                   "Content-Encoding": "gzip", "Idempotency-Key": "bomb"})
        after = _peak_rss_mb(child.pid)
        r.close()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert r.status_code == 413 and r.json()["code"] == "too-large"
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert after - before < 60, f"peak RSS {before:.0f} -> {after:.0f} MB"


def test_gzip_bodies_within_the_cap_still_work(backend: ReferenceBackend,
                                              http: requests.Session) -> None:
    token = backend.issue_credential("K-1", "MP-TEST")
    body = json.dumps({"sent_at": "2026-12-01T10:00:00+05:30", "app_version": "1"}).encode()
    two_members = gzip.compress(body[:20]) + gzip.compress(body[20:])
    for data in (gzip.compress(body), two_members):
        r = http.post(backend.url + "/v1/heartbeat", data=data, timeout=10,
                      headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                               "Content-Type": "application/json",
                               "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 200, r.text
    r = http.post(backend.url + "/v1/heartbeat", data=gzip.compress(body)[:-6], timeout=10,
                  headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                           "Content-Type": "application/json", "Idempotency-Key": "t"})
    assert r.status_code == 400 and r.json()["code"] == "bad-gzip"


def _problem(r: requests.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:200])
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "FOO"])
def test_undeclared_methods_get_405_with_allow(backend: ReferenceBackend, http: requests.Session,
                                               method: str) -> None:
    for path, allow in (("/v1/health", "GET"), ("/v1/batch", "POST"),
                        ("/v1/applications/X-1", "GET"), ("/v1/counters/1/recall", "POST")):
        r = http.request(method, backend.url + path, data=b"{}", timeout=10)
        _problem(r, 405)
        assert r.headers["Allow"] == allow
    _problem(http.request(method, backend.url + "/v2/nothing", timeout=10), 404)


def test_head_and_unknown_paths(backend: ReferenceBackend, http: requests.Session) -> None:
    r = http.head(backend.url + "/v1/health", timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET" and r.content == b""
    for method, path in (("GET", "/"), ("GET", "/v1/kiosks/register"), ("POST", "/v1/health"),
                         ("GET", "/v1/counters/1/dance")):
        r = http.request(method, backend.url + path, timeout=10)
        assert r.status_code in (404, 405)
        _problem(r, r.status_code)


@pytest.mark.parametrize(("raw", "status"), [
    (b"NOT A REQUEST LINE AT ALL\r\n\r\n", 400),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET /v1/health HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
], ids=["garbage", "long-uri", "long-header-line"])
def test_a_request_the_server_cannot_parse_gets_problem_json(backend: ReferenceBackend,
                                                            raw: bytes, status: int) -> None:
    with socket.create_connection((backend.host, backend.port), timeout=10) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    if isinstance(backend, AsgiBackend):  # h11 does not tell which limit: always 400
        status = 400
    assert head.startswith(f"HTTP/1.1 {status}".encode()), head[:80]
    assert b"application/problem+json" in head
    assert json.loads(body)["status"] == status


def _write(backend: ReferenceBackend, http: requests.Session, path: str, body: Any,
           token: str) -> requests.Response:
    return http.post(backend.url + path, json=body, timeout=10,
                     headers={"Authorization": f"Bearer {token}",
                              "Idempotency-Key": str(uuid.uuid4())})


def test_100_point_0_is_an_integer(backend: ReferenceBackend, http: requests.Session) -> None:
    token = backend.issue_credential("K-1", "MP-TEST")
    ok = _write(backend, http, "/v1/payments", {"application_no": "A-1", "amount_paise": 100.0,
                                                "method": "cash", "tr": "T-1"}, token)
    assert ok.status_code == 201 and ok.json()["amount_paise"] == 100
    bad = _write(backend, http, "/v1/payments", {"application_no": "A-1", "amount_paise": 100.5,
                                                 "method": "cash", "tr": "T-2"}, token)
    assert "expected integer" in _problem(bad, 400)["detail"]
    app = {"application_no": "A-2", "service_code": "INC", "centre": "MP-TEST",
           "submitted_at": "2026-12-01T18:00:00+05:30", "applicant": {"name": "X"},
           "documents": [{"doc_type": "aadhaar", "sha256": "0" * 64, "pages": 2.0}]}
    assert _write(backend, http, "/v1/applications", app, token).status_code == 201


def test_refusals_do_not_echo_the_citizen_s_data(backend: ReferenceBackend,
                                                 http: requests.Session) -> None:
    token = backend.issue_credential("K-1", "MP-TEST")
    app = {"application_no": "A-3", "service_code": "INC", "centre": "MP-TEST",
           "submitted_at": "2026-12-01T18:00:00+05:30",
           "applicant": {"name": "Sunita Devi", "mobile": "98765-43210"}}
    detail = _problem(_write(backend, http, "/v1/applications", app, token), 400)["detail"]
    assert "body.applicant.mobile" in detail and "98765" not in detail


def test_if_none_match_longer_than_the_contract_allows_is_refused(
        backend: ReferenceBackend, http: requests.Session) -> None:
    auth = {"Authorization": f"Bearer {backend.issue_credential('K-1', 'MP-TEST')}"}
    r = http.get(backend.url + "/v1/reference/fees", headers={**auth, "If-None-Match": "x" * 200},
                 timeout=10)
    assert r.status_code == 200
    r = http.get(backend.url + "/v1/reference/fees", headers={**auth, "If-None-Match": "x" * 201},
                 timeout=10)
    assert "if-none-match" in _problem(r, 400)["detail"]


def test_deeply_nested_body_is_refused_cleanly(backend: ReferenceBackend,
                                               http: requests.Session) -> None:
    token = backend.issue_credential("K-1", "MP-TEST")
    for depth in (100, 100_000):
        r = http.post(backend.url + "/v1/heartbeat", data=b"[" * depth + b"]" * depth,
                      timeout=10, headers={"Authorization": f"Bearer {token}",
                                           "Content-Type": "application/json",
                                           "Idempotency-Key": str(uuid.uuid4())})
        assert _problem(r, 400)["code"] == "bad-json"
