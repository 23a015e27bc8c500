"""Paying an application's fee by UPI against the real reference backend, in the real window.

UPI is confirmed only by the backend (what the bank's webhook told it), never by the phone:
the kiosk shows the ``upi://`` QR, polls ``GET /v1/payments/{tr}`` off the GUI thread, and goes
on only when the backend says paid; the UTR is then on screen and on the printed slip. With the
backend unreachable the payment page offers cash and says why UPI cannot be used.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_application_flow import (
    applications,
    fill_by_slots,
    open_apply,
    print_jobs,
    tap,
)

from kiosk.config import Config, load_config
from kiosk.devices.sim.escpos_printer import decode_to_png
from kiosk.i18n import translate
from kiosk.sync.settings import SyncSettings
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import SAMPLE_ADDRESS, SAMPLE_APPLICANT, SAMPLE_INCOME
from kiosk.ui.viewmodels.payment import MSG_UPI_OFFLINE
from reference_backend import ReferenceBackend

ANSWERS = {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME}
UTR = "432198765012"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[ReferenceBackend]:
    be = ReferenceBackend(tmp_path / "backend" / "reference.sqlite3", seed=20261122).start()
    try:
        yield be
    finally:
        be.close()


def _upi_trs(config: Config) -> list[str]:
    with sqlite3.connect(config.db_path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT tr FROM payments WHERE method = 'upi' ORDER BY created_at")]


@pytest.mark.parametrize(("lang", "via_sync"), [("hi", False), ("en", True)],
                         ids=["hi-own-client", "en-sync-runtime"])
def test_upi_paid_when_the_backend_confirms_and_the_slip_carries_the_utr(
        lang: str, via_sync: bool, qtbot: Any, tmp_path: Path, backend: ReferenceBackend,
        kiosk_factory: Callable[..., KioskUi], drive: Callable[[KioskUi], Any]) -> None:
    base = load_config(data_dir=tmp_path / "data", environ={})
    token = backend.issue_credential(SyncSettings.from_config(base).kiosk_id, base.centre_code)
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_BACKEND__URL": backend.url, "KIOSK_BACKEND__TOKEN": token,
        "KIOSK_PAYMENTS__POLL_SECONDS": "0.2"})
    kiosk = kiosk_factory(config, sync=via_sync)
    d = drive(kiosk)
    vm = kiosk.apply
    if via_sync:
        assert kiosk.sync_ready() is not None
        vm.payment.attach_sync(lambda: kiosk.sync)
    open_apply(d, lang)
    fill_by_slots(kiosk, "INC", ANSWERS)
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    d.wait_for("applyPaymentPage", timeout=10000)
    qtbot.waitUntil(lambda: d.wait_for("payUpiButton").isEnabled(), timeout=10000)
    assert d.find("upiReason") is None
    tap(qtbot, d, "payUpiButton")

    qr = d.wait_for("upiQr", timeout=10000)
    assert str(qr.property("source").toString()).startswith("data:image/png;base64,")
    qtbot.waitUntil(lambda: qr.property("paintedWidth") > 100)  # the PNG decoded and shows
    d.wait_for("upiWaiting")
    trs = _upi_trs(config)
    assert len(trs) == 1
    assert backend.db.payment(trs[0])["status"] == "pending"
    qtbot.wait(600)  # several polls: still waiting, nothing claimed
    assert vm.payment.property("payState") == "waiting"

    backend.db.confirm_payment(trs[0], UTR)  # what the bank's webhook does
    qtbot.waitUntil(lambda: vm.payment.property("payState") == "paid", timeout=10000)
    assert UTR in d.text("paidUtr")
    tap(qtbot, d, "payContinue")

    d.wait_for("applyAckPage")
    qtbot.waitUntil(lambda: vm.ack.property("printState") == "printed", timeout=20000)
    assert UTR in d.text("ackPayment")
    assert vm.ack.property("paid") is True
    rows = applications(config)
    assert len(rows) == 1
    no = rows[0]["application_no"]
    app = kiosk.applications.get(no)
    assert app is not None and app.paid and app.payment is not None
    assert app.payment.utr == UTR
    jobs = print_jobs(config)
    assert len(jobs) == 1
    data = jobs[0].read_bytes()
    assert no.encode() in data and f"ACK:{no}".encode() in data
    assert UTR.encode() in data
    decoded = decode_to_png(data, tmp_path / "ack.png")
    assert len(decoded) == 1 and (tmp_path / "ack.png").stat().st_size > 0


def test_embedded_demo_backend_plays_the_bank(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    """A kiosk run on one machine (embedded backend) can finish a UPI payment: the demo
    backend confirms it by itself, and the kiosk still waits for the backend to say so."""
    kiosk = kiosk_factory(make_config(), sync=True)
    d = drive(kiosk)
    runtime = kiosk.sync_ready()
    assert runtime is not None and runtime.embedded and runtime.backend is not None
    runtime.backend.db.upi_auto_confirm_s = 0.0
    kiosk.apply.payment.attach_sync(lambda: kiosk.sync)
    open_apply(d, "en")
    fill_by_slots(kiosk, "INC", ANSWERS)
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    d.wait_for("applyPaymentPage", timeout=10000)
    qtbot.waitUntil(lambda: d.wait_for("payUpiButton").isEnabled(), timeout=10000)
    tap(qtbot, d, "payUpiButton")
    qtbot.waitUntil(lambda: kiosk.apply.payment.property("payState") == "paid", timeout=20000)
    assert d.text("paidUtr")


def test_offline_backend_offers_cash_and_says_why(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        offline_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    config = offline_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    open_apply(d, "hi")
    fill_by_slots(kiosk, "INC", ANSWERS)
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    d.wait_for("applyPaymentPage", timeout=10000)
    qtbot.waitUntil(lambda: d.text("upiReason") == translate(MSG_UPI_OFFLINE, "hi"),
                    timeout=10000)
    assert not d.wait_for("payUpiButton").isEnabled()
    tap(qtbot, d, "payCashButton")
    qtbot.waitUntil(lambda: kiosk.apply.ack.property("printState") == "printed", timeout=20000)
    assert len(applications(config)) == 1
    assert _upi_trs(config) == []
