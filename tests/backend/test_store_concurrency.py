"""The store's promises under concurrent writers, on SQLite and on PostgreSQL.

On SQLite every write waits its turn (``BEGIN IMMEDIATE``), so these hold by construction; on
PostgreSQL (READ COMMITTED) they hold only because of the unique indexes and row locks in
db.py. Each test lines its threads up on a barrier, then fires at once over real HTTP. Before
those guards, two requests with one Idempotency-Key both applied on PostgreSQL (or one got a
500), two kiosks could both get the same token number accepted, and two counters could call the
same token.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from reference_backend import ReferenceBackend

CENTRE = "MP-BPL-HZR"
AT = "2026-12-01T10:00:00+05:30"
N = 8
#: Every sender admitted at once by the production server (tests/backend/conftest.py).
MAX_INFLIGHT_WRITES = 2 * N


def _at_once(n: int, send: Callable[[requests.Session, int], requests.Response]
             ) -> list[requests.Response]:
    """``send`` from ``n`` threads released together (each with its own connection)."""
    barrier = threading.Barrier(n)
    sessions = [requests.Session() for _ in range(n)]

    def one(i: int) -> requests.Response:
        barrier.wait(timeout=10)
        return send(sessions[i], i)

    try:
        with ThreadPoolExecutor(n) as pool:
            return list(pool.map(one, range(n)))
    finally:
        for s in sessions:
            s.close()


def _post(s: requests.Session, backend: ReferenceBackend, token: str, path: str, body: Any,
          key: str) -> requests.Response:
    """One request; a 429 (the production server's gate, if a slow store lowered it) is sent
    again with the same key, as a kiosk would — at once, since these tests are not about pacing."""
    for _ in range(100):
        answer = s.post(backend.url + path, json=body, timeout=30,
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
        if answer.status_code != 429:
            break
    return answer


def _issued(token_id: str, number: str) -> dict[str, Any]:
    return {"event": "issued", "token_id": token_id, "number": number, "group": "C", "at": AT,
            "centre": CENTRE}


def test_one_key_sent_at_once_applies_once_and_every_sender_gets_its_answer(
        backend: ReferenceBackend) -> None:
    token = backend.issue_credential("K-1", CENTRE)
    body, key = _issued(str(uuid.uuid4()), "C-001"), str(uuid.uuid4())
    answers = _at_once(N, lambda s, _: _post(s, backend, token, "/v1/token-events", body, key))
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
    assert len({r.text for r in answers}) == 1  # the first answer, stored and replayed
    assert backend.db.count("tokens") == 1 and backend.db.count("token_events") == 1
    assert backend.db.count("idempotency", "status = 201") == 1


def test_one_batch_key_sent_at_once_applies_its_items_once(backend: ReferenceBackend) -> None:
    token = backend.issue_credential("K-1", CENTRE)
    items = [{"idempotency_key": f"issue-{i}", "kind": "token.issued",
              "record_id": tid, "payload": {k: v for k, v in _issued(tid, f"C-{i:03d}").items()
                                            if k != "event"}}
             for i, tid in enumerate(str(uuid.uuid4()) for _ in range(20))]
    key = str(uuid.uuid4())
    answers = _at_once(4, lambda s, _: _post(s, backend, token, "/v1/batch", {"items": items},
                                             key))
    assert {r.status_code for r in answers} == {200}
    assert len({r.text for r in answers}) == 1
    assert {i["status"] for i in answers[0].json()["items"]} == {"accepted"}
    assert backend.db.count("tokens") == 20 and backend.db.count("token_events") == 20


def test_one_token_number_is_accepted_once_per_centre_and_day(backend: ReferenceBackend) -> None:
    tokens = [backend.issue_credential(f"K-{i}", CENTRE) for i in range(N)]
    answers = _at_once(N, lambda s, i: _post(s, backend, tokens[i], "/v1/token-events",
                                             _issued(str(uuid.uuid4()), "C-007"),
                                             str(uuid.uuid4())))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * (N - 1), [r.text for r in answers]
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"number-taken"}
    assert backend.db.count("tokens", "number = ?", ("C-007",)) == 1


def test_one_application_number_is_accepted_once(backend: ReferenceBackend) -> None:
    tokens = [backend.issue_credential(f"K-{i}", CENTRE) for i in range(N)]
    app = {"application_no": "MP-BPL-HZR-20261201-0001-7", "service_code": "INC",
           "centre": CENTRE, "submitted_at": AT,
           "applicant": {"name": "Sunita Devi", "mobile": "9876543210"}}
    answers = _at_once(N, lambda s, i: _post(s, backend, tokens[i], "/v1/applications", app,
                                             str(uuid.uuid4())))
    assert sorted(r.status_code for r in answers) == [201] + [409] * (N - 1)
    assert backend.db.count("applications") == 1


def test_counters_calling_at_once_each_get_a_different_token(backend: ReferenceBackend) -> None:
    token = backend.issue_credential("K-1", CENTRE)
    with requests.Session() as s:
        for i in range(N):
            assert _post(s, backend, token, "/v1/token-events",
                         _issued(str(uuid.uuid4()), f"C-{i:03d}"),
                         str(uuid.uuid4())).status_code == 201
    answers = _at_once(N, lambda s, i: _post(s, backend, token, f"/v1/counters/{i + 1}/call-next",
                                             {"groups": ["C"]}, str(uuid.uuid4())))
    assert {r.status_code for r in answers} == {200}, [r.text for r in answers]
    called = [r.json()["token"]["token_id"] for r in answers]
    assert len(set(called)) == N  # nobody called twice, nobody left waiting
    assert backend.db.count("tokens", "status = 'called'") == N
    assert backend.db.count("token_events", "source = 'counter'") == N
