"""Certificates issued by the real reference backend, fetched over HTTP, verified by a kiosk.

The backend signs with its own implementation of the QR format (``reference_backend/issuer``)
and the kiosk verifies with another (``kiosk/certificates``): passing here means the two agree
on the contract, not merely that one function inverts itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sync_helpers import KioskUnderTest

from backend_client import Application, RejectedError
from backend_client.client import BackendClient
from kiosk.certificates import load_trust, split_qr_text
from reference_backend import ProblemError, ReferenceBackend
from reference_backend.issuer import DEMO_KEY_ID

APP_NO = "MP-BPL-20261122-0001-7"


def _client(backend: ReferenceBackend) -> BackendClient:
    return BackendClient(backend.url, backend.issue_credential("K-CERT", "MP-BPL"), retries=0)


def _submit(c: BackendClient, no: str = APP_NO, service: str = "INC",
            name: str = "रामेश्वर प्रसाद शर्मा", at: str = "2026-11-22T10:00:00+05:30",
            **fields: object) -> None:
    c.submit_application(Application(no, service, "MP-BPL", at,
                                     {"name": name, "aadhaar_last4": "1234"},
                                     fields=dict(fields)), f"app:{no}")


def test_issued_certificate_is_served_and_verifies_on_a_synced_kiosk(
        kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        _submit(c)
        number = backend.issue_certificate(APP_NO, {"income": "84000"})
        assert backend.issue_certificate(APP_NO, {"income": "1"}) == number  # idempotent
        assert number.startswith("INC-") and c.application_status(APP_NO).status == "approved"
        cert = c.certificate(number)
    assert cert.application_no == APP_NO and cert.cert_type == "INC"
    assert cert.key_id == DEMO_KEY_ID and not cert.revoked
    assert cert.holder_name == "रामेश्वर प्रसाद शर्मा"
    assert cert.qr_text == f"https://verify.lsk.mp.gov.in/c#SC1.{cert.payload}.{cert.signature}"
    assert split_qr_text(cert.qr_text)[0].decode().count('"income":"84000"') == 1

    # Before the first sync the kiosk pins nothing.
    assert load_trust(kiosk.store.conn).verify(cert.qr_text).status == "unknown_issuer"
    assert kiosk.engine.cycle(force_pull=True)
    trust = load_trust(kiosk.store.conn)
    assert "INC-2026-000000" in trust.revoked  # the sample revocation came with the sync
    v = trust.verify(cert.qr_text)
    assert v.status == "valid", v.reason
    assert v.certificate is not None and v.certificate.certificate_no == number
    assert v.certificate.holder == "रामेश्वर प्रसाद शर्मा"
    assert v.certificate.details == {"income": "84000"}
    assert v.verified_offline_as_of is not None

    # Offline: the backend is gone, the kiosk still decides.
    backend.stop()
    assert load_trust(kiosk.store.conn).verify(cert.qr_text).ok


def test_revocation_reaches_the_kiosk_through_the_revocations_document(
        kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        _submit(c)
        number = backend.issue_certificate(APP_NO)
        qr = c.certificate(number).qr_text
        assert kiosk.engine.cycle(force_pull=True)
        assert qr is not None and load_trust(kiosk.store.conn).verify(qr).ok
        etag = backend.revoke_certificate(number, "issued on a forged affidavit")
        assert backend.revoke_certificate(number, "again") != etag  # new version, same entry
        assert c.certificate(number).revoked
        doc = c.get_reference("revocations")
    assert doc is not None
    assert [e["certificate_no"] for e in doc.data["revoked"]].count(number) == 1
    assert kiosk.engine.cycle(force_pull=True)
    v = load_trust(kiosk.store.conn).verify(qr)
    assert v.status == "revoked" and v.certificate is not None
    assert v.revocation is not None and v.revocation.reason == "issued on a forged affidavit"


def test_revoked_issuer_key_revokes_everything_it_signed(kiosk: KioskUnderTest,
                                                         backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        _submit(c)
        qr = c.certificate(backend.issue_certificate(APP_NO)).qr_text
        keys = c.get_reference("issuer-keys")
    assert keys is not None and qr is not None
    backend.publish("issuer-keys", {"keys": [{**k, "revoked": True}
                                             for k in keys.data["keys"]]})
    assert kiosk.engine.cycle(force_pull=True)
    assert load_trust(kiosk.store.conn).verify(qr).status == "revoked"


def test_approval_rule_issues_on_the_guaranteed_date(backend: ReferenceBackend) -> None:
    # Submitted this evening (outside the same-day window): the due date counts from it.
    tonight = datetime.now(ZoneInfo("Asia/Kolkata")).replace(hour=18, minute=0).isoformat()
    with _client(backend) as c:
        _submit(c, income="120000", category="OBC", unrelated="x", at=tonight)
        _submit(c, "MP-BPL-20261122-0002-5", "KHA", at=tonight)  # a land-record copy
        status = c.application_status(APP_NO)
        assert status.status == "submitted" and status.due_date
        due = date.fromisoformat(status.due_date)
        backend.faults.clock_skew_s = (due - date.today() + timedelta(days=1)).days * 86400
        assert c.application_status(APP_NO).status == "approved"
        assert c.application_status("MP-BPL-20261122-0002-5").status == "submitted"
    row = backend.db.conn.execute("SELECT certificate_no FROM certificates WHERE "
                                  "application_no = ?", (APP_NO,)).fetchone()
    cert = backend.db.certificate(row[0])
    payload = split_qr_text(cert["qr_text"])[0].decode()
    assert '"x":{"category":"OBC","income":"120000"}' in payload


def test_issuing_refuses_what_a_kiosk_could_not_verify(backend: ReferenceBackend) -> None:
    with _client(backend) as c:
        _submit(c)
        with pytest.raises(RejectedError):
            c.certificate("INC-2026-999999")
    with pytest.raises(ProblemError):
        backend.issue_certificate("NO-SUCH-APP")
    for details in ({"Income": "1"}, {"income": ""}, {"income": "9" * 81}):
        with pytest.raises(ProblemError):
            backend.issue_certificate(APP_NO, details)
    assert backend.db.application_status(APP_NO)["status"] == "submitted"
