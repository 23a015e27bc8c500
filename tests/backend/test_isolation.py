"""Centre isolation: kiosk B, with its own valid token, cannot touch centre A's records.

Before: B read A's applications and payments, called and served A's tokens at its counters,
submitted in A's name, and anyone holding the enrolment code re-registered A's kiosk id,
which rotated A's token and locked A out. Every endpoint is tried here, as B, against A.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from reference_backend import ReferenceBackend
from reference_backend.admin import main as admin_main

A, B = "MP-BPL-HZR", "MP-IDR-RAU"
APP_NO = "MP-BPL-HZR-20261201-0001-7"
TONIGHT = "2026-12-01T18:00:00+05:30"


@dataclass
class Kiosk:
    """One enrolled kiosk speaking raw HTTP (status codes and problem bodies are the point)."""

    backend: ReferenceBackend
    session: requests.Session
    token: str
    centre: str

    def call(self, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> requests.Response:
        h = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if method == "POST":
            h.setdefault("Idempotency-Key", str(uuid.uuid4()))
        return self.session.request(method, self.backend.url + path, json=body, headers=h,
                                    timeout=10)

    def event(self, event: str, token_id: str, number: str = "C-001", centre: str | None = None,
              counter: str | None = None) -> requests.Response:
        body = {"event": event, "token_id": token_id, "number": number, "group": "C",
                "at": "2026-12-01T10:00:00+05:30", "centre": centre or self.centre}
        if counter:
            body["counter"] = counter
        return self.call("POST", "/v1/token-events", body)


def application(no: str = APP_NO, centre: str = A) -> dict[str, Any]:
    return {"application_no": no, "service_code": "INC", "centre": centre,
            "submitted_at": TONIGHT, "applicant": {"name": "Sunita Devi",
                                                   "mobile": "9876543210"}}


def problem(r: requests.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["title"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.fixture
def pair(backend: ReferenceBackend) -> Iterator[tuple[Kiosk, Kiosk]]:
    sa, sb = requests.Session(), requests.Session()
    try:
        yield (Kiosk(backend, sa, backend.issue_credential("A-1", A), A),
               Kiosk(backend, sb, backend.issue_credential("B-1", B), B))
    finally:
        sa.close()
        sb.close()


@pytest.fixture
def a_records(pair: tuple[Kiosk, Kiosk]) -> dict[str, str]:
    """Centre A's token (waiting), application, UPI payment and issued certificate."""
    a, _ = pair
    tid = str(uuid.uuid4())
    assert a.event("issued", tid).status_code == 201
    assert a.call("POST", "/v1/applications", application()).status_code == 201
    pay = {"application_no": APP_NO, "amount_paise": 3000, "method": "upi", "tr": "TR-A-1"}
    assert a.call("POST", "/v1/payments", pay).status_code == 201
    cert = a.backend.issue_certificate(APP_NO, {"income": "84000"})
    return {"token": tid, "tr": "TR-A-1", "cert": cert}


def test_b_cannot_read_a_s_application_payment_or_certificate(
        pair: tuple[Kiosk, Kiosk], a_records: dict[str, str]) -> None:
    a, b = pair
    for path in (f"/v1/applications/{APP_NO}", f"/v1/payments/{a_records['tr']}",
                 f"/v1/certificates/{a_records['cert']}"):
        body = problem(b.call("GET", path), 404, "not-found")
        assert "Sunita" not in str(body)
        assert a.call("GET", path).status_code == 200  # A still reads its own


def test_b_cannot_submit_or_pay_in_a_s_name(pair: tuple[Kiosk, Kiosk],
                                            a_records: dict[str, str]) -> None:
    a, b = pair
    problem(b.call("POST", "/v1/applications",
                   application("MP-BPL-HZR-20261201-0002-5", centre=A)), 403, "wrong-centre")
    pay = {"application_no": APP_NO, "amount_paise": 1, "method": "cash", "tr": "TR-B-1"}
    problem(b.call("POST", "/v1/payments", pay), 404, "not-found")
    assert b.backend.db.count("applications") == 1 and b.backend.db.count("payments") == 1
    # B's own application in B's centre is fine.
    assert b.call("POST", "/v1/applications",
                  application("MP-IDR-RAU-20261201-0001-3", centre=B)).status_code == 201


def test_b_cannot_issue_call_or_serve_a_s_tokens(pair: tuple[Kiosk, Kiosk],
                                                 a_records: dict[str, str]) -> None:
    a, b = pair
    tid = a_records["token"]
    problem(b.event("issued", str(uuid.uuid4()), "C-002", centre=A), 403, "wrong-centre")
    for event in ("called", "served", "no_show", "recalled", "transferred", "parked",
                  "requeued"):
        problem(b.event(event, tid, counter="1"), 403, "wrong-centre")  # in B's own name
        problem(b.event(event, tid, centre=A, counter="1"), 403, "wrong-centre")
    row = b.backend.db.conn.execute("SELECT status, recalls FROM tokens WHERE token_id = ?",
                                    (tid,)).fetchone()
    assert (row["status"], row["recalls"]) == ("waiting", 0)


def test_counters_are_per_centre(pair: tuple[Kiosk, Kiosk], a_records: dict[str, str]) -> None:
    a, b = pair
    # B's counter 1 finds nobody waiting: A's token is not B's to call.
    r = b.call("POST", "/v1/counters/1/call-next", {"groups": ["C"]})
    assert r.status_code == 200 and r.json() == {"token": None}
    for action in ("recall", "complete", "no-show"):
        problem(b.call("POST", f"/v1/counters/1/{action}", {}), 409, "no-current-token")
    problem(b.call("POST", "/v1/counters/1/transfer", {"to_group": "A"}), 409)
    # A's counter 1 (the same id) calls A's token; B's counter 1 still cannot touch it.
    r = a.call("POST", "/v1/counters/1/call-next", {"groups": ["C"]})
    assert r.json()["token"]["token_id"] == a_records["token"]
    problem(b.call("POST", "/v1/counters/1/complete", {}), 409, "no-current-token")
    assert a.call("POST", "/v1/counters/1/complete", {}).json()["token"]["status"] == "served"


def test_batch_items_about_another_centre_are_rejected_one_by_one(
        pair: tuple[Kiosk, Kiosk], a_records: dict[str, str]) -> None:
    a, b = pair
    tid = a_records["token"]
    base = {"token_id": tid, "number": "C-001", "group": "C", "at": TONIGHT, "centre": A}
    items = [
        {"idempotency_key": "b-1", "kind": "token.called", "record_id": tid,
         "payload": {**base, "counter": "1"}},
        {"idempotency_key": "b-2", "kind": "application.submitted",
         "record_id": "MP-BPL-HZR-20261201-0003-3",
         "payload": application("MP-BPL-HZR-20261201-0003-3")},
        {"idempotency_key": "b-3", "kind": "payment.cash", "record_id": APP_NO,
         "payload": {"application_no": APP_NO, "amount_paise": 1, "method": "cash",
                     "tr": "TR-B-2"}},
    ]
    r = b.call("POST", "/v1/batch", {"items": items})
    assert r.status_code == 200
    got = [(i["status"], i["http_status"]) for i in r.json()["items"]]
    assert got == [("rejected", 403), ("rejected", 403), ("rejected", 404)]
    assert b.backend.db.count("token_events", "token_id = ?", (tid,)) == 1


def test_a_live_kiosk_cannot_be_re_enrolled_until_revoked_and_reinstated(
        backend: ReferenceBackend, pair: tuple[Kiosk, Kiosk], http: requests.Session) -> None:
    a, _ = pair

    def register(kiosk_id: str, centre: str, code: str) -> requests.Response:
        return http.post(backend.url + "/v1/kiosks/register",
                         json={"kiosk_id": kiosk_id, "centre_code": centre,
                               "enrolment_code": code},
                         headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10)

    code = backend.enrolment_code
    problem(register("A-1", A, code), 409, "kiosk-enrolled")
    problem(register("A-1", B, code), 409, "kiosk-enrolled")
    assert a.call("GET", "/v1/reference/fees").status_code == 200  # A is not locked out
    assert backend.revoke("A-1")
    problem(a.call("GET", "/v1/reference/fees"), 401, "unauthorized")
    problem(register("A-1", A, code), 403, "kiosk-revoked")
    assert backend.reinstate("A-1")
    r = register("A-1", A, backend.centre_enrolment_code(A))
    assert r.status_code == 201
    problem(a.call("GET", "/v1/reference/fees"), 401)  # the old token stays dead
    a.token = r.json()["token"]
    assert a.call("GET", "/v1/reference/fees").status_code == 200


def test_a_centre_s_code_enrols_only_into_that_centre(backend: ReferenceBackend,
                                                     http: requests.Session) -> None:
    def register(kiosk_id: str, centre: str, code: str) -> int:
        return http.post(backend.url + "/v1/kiosks/register",
                         json={"kiosk_id": kiosk_id, "centre_code": centre,
                               "enrolment_code": code},
                         headers={"Idempotency-Key": str(uuid.uuid4())},
                         timeout=10).status_code

    b_code = backend.centre_enrolment_code(B)
    assert b_code != backend.centre_enrolment_code(A)
    assert register("EVIL-1", A, b_code) == 403  # B's code cannot make a kiosk of centre A
    assert register("B-2", B, b_code) == 201


def test_admin_commands(backend: ReferenceBackend, pair: tuple[Kiosk, Kiosk],
                        capsys: pytest.CaptureFixture[str]) -> None:
    db = backend.db.location  # a SQLite file or a postgresql:// URL
    assert admin_main(["--db", db, "list"]) == 0
    listing = capsys.readouterr().out
    assert '"kiosk_id": "A-1"' in listing and '"state": "live"' in listing
    assert "token" not in listing.replace('"kiosk_id"', "")
    assert admin_main(["--db", db, "reinstate", "A-1"]) == 1  # live: revoke first
    assert admin_main(["--db", db, "revoke", "A-1"]) == 0
    assert admin_main(["--db", db, "reinstate", "A-1"]) == 0
    assert admin_main(["--db", db, "revoke", "NOBODY"]) == 1
    assert admin_main(["--db", db, "centre-code", A]) == 0
    assert capsys.readouterr().out.split()[-1] == backend.centre_enrolment_code(A)
    assert admin_main(["--db", db, "district", A, "Bhopal"]) == 0
    missing = backend.db.path or Path("/nonexistent")  # a missing file is refused, not made
    assert admin_main(["--db", str(missing.with_name("nothing.sqlite3")), "list"]) == 2
