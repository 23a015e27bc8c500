"""The reference backend's promises: idempotency, atomic counter arbitration, ETags, auth."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from backend_client import (
    Application,
    AuthError,
    BatchItem,
    DocumentMeta,
    PaymentIntent,
    RejectedError,
    TokenEvent,
)
from backend_client.client import BackendClient
from reference_backend import ReferenceBackend


def _client(backend: ReferenceBackend, kiosk: str = "K-B",
            centre: str = "MP-TEST") -> BackendClient:
    return BackendClient(backend.url, backend.issue_credential(kiosk, centre), retries=0)


def _issue(c: BackendClient, n: int, group: str = "C", priority: str = "general",
           first: int = 1) -> list[str]:
    """``n`` tokens numbered from ``first`` (a number is unique per centre and day)."""
    ids = []
    for i in range(n):
        tid = str(uuid.uuid4())
        c.post_token_event(TokenEvent("issued", tid, f"{group}-{first + i:03d}", group,
                                      f"2026-11-22T10:{i // 60:02d}:{i % 60:02d}+05:30",
                                      "MP-TEST", priority), f"issued:{tid}")
        ids.append(tid)
    return ids


def test_same_key_twice_returns_the_first_result(backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        ev = TokenEvent("issued", "t-1", "C-001", "C", "2026-11-22T10:00:00+05:30", "MP-TEST")
        first = c.post_token_event(ev, "key-1")
        assert c.post_token_event(ev, "key-1") == first
        other = TokenEvent("issued", "t-2", "C-002", "C", "2026-11-22T10:00:00+05:30", "MP-TEST")
        with pytest.raises(RejectedError) as e:
            c.post_token_event(other, "key-1")
        assert e.value.status == 422
    assert backend.db.count("tokens") == 1


def test_counters_never_get_the_same_token(backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        ids = _issue(c, 30)
        _issue(c, 5, priority="senior", first=31)
    called: list[str] = []
    lock = threading.Lock()

    def counter(name: str) -> None:
        with _client(backend, f"K-{name}") as cc:
            while (tok := cc.call_next(name, ["C"])) is not None:
                with lock:
                    called.append(tok.token_id)
                cc.complete(name)

    threads = [threading.Thread(target=counter, args=(f"c{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(called) == 35 and len(set(called)) == 35
    assert set(ids) <= set(called)
    assert backend.db.count("tokens", "status = 'served'") == 35


def test_priority_first_and_recall_transfer_no_show(backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        general = _issue(c, 2)
        senior = _issue(c, 1, priority="senior", first=3)
        tok = c.call_next("1", ["C"])
        assert tok is not None and tok.token_id == senior[0]
        with pytest.raises(RejectedError) as busy:
            c.call_next("1", ["C"])
        assert busy.value.status == 409
        again = c.recall("1")
        assert again is not None and again.recalls == 1
        moved = c.transfer("1", "L")
        assert moved is not None and moved.status == "waiting" and moved.group == "L"
        nxt = c.call_next("1", ["C"])
        assert nxt is not None and nxt.token_id == general[0]
        gone = c.no_show("1")
        assert gone is not None and gone.status == "no_show"
        assert c.call_next("2", ["L"]).token_id == senior[0]  # type: ignore[union-attr]
        assert c.call_next("3", ["Z"]) is None
        with pytest.raises(RejectedError):
            c.complete("4")  # nothing called there


def test_etag_and_if_none_match(backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        doc = c.get_reference("fees")
        assert doc is not None and doc.etag
        assert c.get_reference("fees", doc.etag) is None
        backend.publish("fees", {"fees": [{"code": "*", "item": "processing",
                                           "amount_paise": 2500}]})
        newer = c.get_reference("fees", doc.etag)
        assert newer is not None and newer.etag != doc.etag and newer.version == "2"


def test_revoked_kiosk_gets_401_and_cannot_re_register(backend: ReferenceBackend) -> None:
    with _client(backend, "K-R") as c:
        c.get_reference("fees")
        backend.revoke("K-R")
        with pytest.raises(AuthError) as e:
            c.get_reference("fees")
        assert e.value.status == 401
        with pytest.raises(AuthError) as r:
            c.register("K-R", "MP", backend.enrolment_code)
        assert r.value.status == 403


def test_application_payment_status(backend: ReferenceBackend) -> None:
    # Made this evening: not yet due, so the approval rule leaves it "submitted".
    tonight = datetime.now(ZoneInfo("Asia/Kolkata")).replace(hour=18, minute=0).isoformat()
    app = Application("MP-BPL-20261122-0001-7", "INC", "MP-BPL", tonight,
                      {"name": "Test Applicant", "aadhaar_last4": "1234"},
                      documents=[DocumentMeta("income-declaration", "0" * 64, 1)],
                      fee_paise=2000)
    with _client(backend, centre="MP-BPL") as c:
        acc = c.submit_application(app, "app-1")
        assert c.submit_application(app, "app-1") == acc
        st = c.application_status(app.application_no)
        assert st.status == "submitted" and st.due_date
        upi = c.create_payment(PaymentIntent(app.application_no, 2000, "upi", "TR1"), "pay-1")
        assert upi.status == "pending" and upi.upi_uri and "am=20.00" in upi.upi_uri
        backend.db.confirm_payment("TR1", "UTR123456789")
        assert c.payment_status("TR1").utr == "UTR123456789"
        cash = c.create_payment(PaymentIntent(app.application_no, 500, "cash", "TR2", "R-1"),
                                "pay-2")
        assert cash.status == "paid"
        with pytest.raises(RejectedError) as e:
            c.application_status("NOPE")
        assert e.value.status == 404


def test_batch_holds_back_later_items_of_a_failed_record(backend: ReferenceBackend) -> None:
    base = {"number": "C-001", "group": "C", "at": "2026-11-22T10:00:00+05:30", "centre": "MP-TEST"}
    items = [
        BatchItem("called:x", "token.called", "x", {**base, "token_id": "x", "counter": "1"}),
        BatchItem("served:x", "token.served", "x", {**base, "token_id": "x", "counter": "1"}),
        BatchItem("issued:y", "token.issued", "y", {**base, "token_id": "y"}),
    ]
    with _client(backend) as c:
        result = c.upload_batch(items)
    assert [r.status for r in result.items] == ["rejected", "retry", "accepted"]
    assert "issued" in (result.items[0].message or "")
