"""The embedded demo backend plays the payer's bank; a real (test) backend never does."""

from __future__ import annotations

from backend_client import PaymentIntent
from backend_client.client import BackendClient
from reference_backend import ReferenceBackend


def _pay(backend: ReferenceBackend, tr: str) -> BackendClient:
    c = BackendClient(backend.url, backend.issue_credential("K-PAY"), retries=0)
    c.create_payment(PaymentIntent("MP-BPL-20261122-0001-7", 2000, "upi", tr), f"pay:{tr}")
    return c


def test_upi_stays_pending_until_the_bank_confirms(backend: ReferenceBackend) -> None:
    with _pay(backend, "TR1") as c:
        assert c.payment_status("TR1").status == "pending"
        backend.db.confirm_payment("TR1", "633412345678")
        paid = c.payment_status("TR1")
    assert (paid.status, paid.utr) == ("paid", "633412345678")


def test_demo_payer_confirms_after_its_delay(backend: ReferenceBackend) -> None:
    backend.db.upi_auto_confirm_s = 30.0
    with _pay(backend, "TR2") as c:
        assert c.payment_status("TR2").status == "pending"
        backend.faults.clock_skew_s = 31.0   # half a minute later
        paid = c.payment_status("TR2")
    assert paid.status == "paid" and paid.utr is not None and len(paid.utr) == 12
