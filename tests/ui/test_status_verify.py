"""Application status look-up and certificate verification, in the real kiosk window.

Status: typed (lower case, no dashes), scanned from the acknowledgement's QR, a mistyped check
character, a number this centre never issued, the central server's answer (reference backend)
and the fallback to this kiosk's records when it is down, and the acknowledgement printed again.
Verify: genuine, tampered, cancelled and unknown-issuer certificates, in Hindi and English,
scanned or pasted. Both screens forget everything when the citizen leaves.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from driver import UiDriver, keyboard_keys
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.applications import MSG_BAD_NUMBER, Application, check_character, status_qr_payload
from kiosk.certificates import MSG_REVOKED, MSG_VALID
from kiosk.config import Config, load_config
from kiosk.i18n import translate
from kiosk.i18n.formatting import format_date
from kiosk.masking import mask_name
from kiosk.sync.runtime import SyncRuntime
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_lookup import (
    SAMPLE_ANSWERS,
    pin_demo_trust,
    sample_certificate,
    submit_sample,
    tampered,
)
from kiosk.ui.viewmodels import status_text as st
from kiosk.ui.viewmodels import verify as vf
from reference_backend import ReferenceBackend

DEVANAGARI = re.compile("[\u0900-\u097f]")


def _prop(obj: QObject, name: str) -> object:
    return obj.property(name)


def _open(kiosk: KioskUi, screen: str, lang: str) -> None:
    kiosk.session.start()
    kiosk.session.chooseLanguage(lang)
    kiosk.session.openService(screen)


def _type(kiosk: KioskUi, d: UiDriver, field: str, text: str) -> None:
    """Tap the field and type on it like a keyboard (or a keyboard-wedge scanner) would."""
    d.tap(field)
    d.qtbot.waitUntil(lambda: (item := d.find(field)) is not None and item.hasActiveFocus())
    for ch in text:
        QTest.keyClick(kiosk.window, ord(ch))  # the char overload: key and text
    d.qtbot.waitUntil(lambda: d.text(field).upper() == text.upper())


def _keyboard_letters(kiosk: KioskUi) -> set[str]:
    """Single characters on the kiosk keyboard's keys now."""
    return {k for k in keyboard_keys(kiosk) if len(k) == 1}


def _jobs(config: Config) -> list[tuple[str, str, str]]:
    with sqlite3.connect(config.db_path) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT doc_kind, doc_ref, state FROM print_jobs ORDER BY id")]


# ---------------------------------------------------------------- status


def test_typed_number_shows_the_application_and_reprints_its_acknowledgement(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    config = make_config(default_language="hi")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi", paid=False)
    _open(kiosk, "status", "hi")
    d.wait_for("statusScanHint")

    # As a citizen types it: lower case, no dashes (the kiosk puts this centre's back). The
    # on-screen keyboard opens on digits and the dash, Latin although the session is Hindi.
    typed = app.application_no.replace("-", "").lower()
    _type(kiosk, d, "statusNumberField", typed)
    qtbot.waitUntil(lambda: {"7", "-"} <= _keyboard_letters(kiosk))
    assert not DEVANAGARI.search("".join(_keyboard_letters(kiosk)))
    assert {"A", "Z"} <= _keyboard_letters(kiosk)       # the Latin page, in capitals
    d.tap("statusCheckButton")
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)

    # A typed number proves nothing (numbers are easy to guess): the status and a masked name.
    assert d.text("statusApplicationNo") == app.application_no
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["submitted"], "hi")
    assert d.text("statusApplicantMasked") == mask_name(SAMPLE_ANSWERS["name_hi"])
    assert d.find("statusService") is None and d.find("statusReprintButton") is None
    # The last 4 digits of the registered mobile prove it; then the details show.
    _type(kiosk, d, "statusProofField", SAMPLE_ANSWERS["mobile"][-4:])
    d.tap("statusProveButton")
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "proven") is True)
    assert d.text("statusService") == "आय प्रमाण पत्र"
    assert d.text("statusApplicant") == SAMPLE_ANSWERS["name_hi"]
    assert d.text("statusDue") == format_date(app.due_date, "hi", "long")
    assert DEVANAGARI.search(d.text("statusDue"))
    assert "₹20.00" in d.text("statusPayment")  # cash, not paid yet
    # No backend configured: the kiosk's own records, said so.
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "local")
    assert d.text("statusSource") == translate(st.MSG_SOURCE_LOCAL, "hi")
    assert d.find("statusScanHint") is None  # portrait: the card needs the room

    # The slip was lost (or the kiosk crashed before printing it): print it again.
    d.tap("statusReprintButton")
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "printState") == "printed", timeout=20000)
    assert d.text("statusPrintText") == translate("Please take your slip", "hi")
    assert _jobs(config) == [("acknowledgement", app.application_no, "confirmed")]
    job = sorted(config.print_dir.glob("job-*.bin"))[-1].read_bytes()
    assert app.application_no.encode() in job  # native text, readable by staff

    # Leaving the screen forgets the citizen, and puts the keyboard away.
    d.tap("backButton")
    qtbot.waitUntil(lambda: d.screen() == "home")
    assert not d.keyboard_up()
    for name in ("applicationNo", "applicantName", "statusText", "paymentText"):
        assert _prop(kiosk.lookup.status, name) == "", name
    assert _prop(kiosk.lookup.status, "printState") == "idle"
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kiosk.ui"))
    assert "status look-up: found" in ours
    assert app.application_no not in ours and typed not in ours
    assert "Sunita" not in caplog.text and "सुनीता" not in caplog.text


def test_scanned_acknowledgement_opens_its_status_and_reset_wipes_it(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    app = submit_sample(kiosk, "en")
    kiosk.scans.inject(status_qr_payload(app.application_no))  # attract screen: ignored
    qtbot.wait(50)  # delivered (queued) while on the attract screen
    _open(kiosk, "status", "en")
    assert _prop(kiosk.lookup.status, "statusState") == "idle"

    # The slip's QR carries its secret: scanning it proves possession at once.
    assert app.proof_secret
    kiosk.scans.inject(status_qr_payload(app.application_no, app.proof_secret))
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "proven") is True)
    assert d.text("statusApplicant") == "Sunita Devi"
    assert d.text("statusService") == "Income certificate"
    assert "R-2041" in d.text("statusPayment")  # paid in cash

    d.tap("langToggle")  # the card follows the language at once
    qtbot.waitUntil(lambda: d.text("statusService") == "आय प्रमाण पत्र")
    assert d.text("statusApplicant") == SAMPLE_ANSWERS["name_hi"]

    kiosk.session.resetSession()  # idle timeout / "Done"
    qtbot.waitUntil(lambda: d.screen() == "attract")
    assert _prop(kiosk.lookup.status, "statusState") == "idle"
    assert _prop(kiosk.lookup.status, "applicationNo") == ""
    kiosk.session.start()
    kiosk.session.chooseLanguage("en")
    kiosk.session.openService("status")
    assert d.find("statusResultCard") is None
    assert d.text("statusNumberField") == ""


def test_wrong_check_character_unknown_number_and_failed_reprint(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(), use_default_printer=False)  # no printer at all
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi")
    _open(kiosk, "status", "hi")

    body, check = app.application_no[:-2], app.application_no[-1]
    wrong = next(c for c in "0123456789" if c != check)
    _type(kiosk, d, "statusNumberField", f"{body}-{wrong}")
    d.tap("langToggle")  # what was typed survives a language switch
    d.tap("langToggle")
    assert d.text("statusNumberField") == f"{body}-{wrong}"
    d.tap("statusCheckButton")
    qtbot.waitUntil(lambda: d.find("statusError") is not None)
    assert d.text("statusError") == translate(MSG_BAD_NUMBER, "hi")
    assert DEVANAGARI.search(d.text("statusError"))
    assert d.text("statusErrorOther") == translate(MSG_BAD_NUMBER, "en")

    other = f"{body[:-4]}0999"
    # well-formed, never issued here
    kiosk.lookup.status.search(f"{other}-{check_character(other)}")
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "statusState") == "not_found")
    assert d.text("statusError") == translate(st.MSG_NOT_FOUND, "hi")
    assert d.text("statusErrorOther") == translate(st.MSG_NOT_FOUND, "en")

    kiosk.lookup.status.search(app.application_no)
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)
    kiosk.lookup.status.proveMobile(SAMPLE_ANSWERS["mobile"][-4:])
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "proven") is True)
    d.tap("statusReprintButton")
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "printState") == "failed")
    assert d.text("statusPrintText") == translate(st.MSG_NO_PRINTER, "hi")
    d.tap("statusAnotherButton")
    qtbot.waitUntil(lambda: d.find("statusScanHint") is not None)
    assert _prop(kiosk.lookup.status, "statusState") == "idle"
    assert d.text("statusNumberField") == ""


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[ReferenceBackend]:
    be = ReferenceBackend(tmp_path / "backend" / "reference.sqlite3").start()
    try:
        yield be
    finally:
        be.close()


def _outbox_done(config: Config) -> bool:
    with sqlite3.connect(config.db_path) as conn:
        states = [r[0] for r in conn.execute("SELECT state FROM outbox WHERE kind = ?",
                                             ("application.submitted",))]
    return states == ["done"]


def test_status_from_the_central_server_then_this_kiosks_records_when_it_is_down(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], backend: ReferenceBackend,
        tmp_path: Path, drive: Callable[[KioskUi], UiDriver]) -> None:
    token = backend.issue_credential("MP-BPL-HZR-1", "MP-BPL-HZR")
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_BACKEND__URL": backend.url, "KIOSK_BACKEND__TOKEN": token,
        "KIOSK_BACKEND__CONNECT_TIMEOUT": "0.5", "KIOSK_BACKEND__READ_TIMEOUT": "2"})
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    app: Application = submit_sample(kiosk, "en")
    _open(kiosk, "status", "en")

    # Still in the outbox: the server does not know it yet, and the screen says it will be sent.
    kiosk.lookup.status.search(app.application_no)
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "not_sent", timeout=10000)
    assert d.text("statusSource") == translate(st.MSG_SOURCE_NOT_SENT, "en")
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["submitted"], "en")

    runtime = SyncRuntime(config, kiosk.store, start_worker=False)
    try:
        runtime.sync_once()
        assert _outbox_done(config)
        backend.issue_certificate(app.application_no)  # the officer approves it

        # Asked through the configured [backend] url + token.
        kiosk.lookup.status.search(app.application_no)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "online", timeout=10000)
        assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["approved"], "en")
        assert d.text("statusSource") == translate(st.MSG_SOURCE_ONLINE, "en")
        assert _prop(kiosk.lookup.status, "statusTone") == "good"
        stored = kiosk.applications.get(app.application_no)
        assert stored is not None and stored.status == "approved"  # kept for offline look-ups

        # Through the running sync runtime; then the server goes down.
        kiosk.lookup.status.attach_sync(lambda: runtime)
        backend.stop()
        d.tap("langToggle")
        kiosk.lookup.status.search(app.application_no)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "offline", timeout=10000)
    finally:
        runtime.close()
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["approved"], "hi")
    source = d.text("statusSource")
    checked = st.checked_text(_checked_at(config, app.application_no), "hi", config.timezone)
    assert checked and source == translate(st.MSG_SOURCE_OFFLINE_CHECKED, "hi").format(
        when=checked)


def _checked_at(config: Config, number: str) -> str:
    with sqlite3.connect(config.db_path) as conn:
        return str(conn.execute("SELECT status_checked_at FROM applications WHERE "
                                "application_no = ?", (number,)).fetchone()[0])


# ---------------------------------------------------------------- verify


def test_genuine_certificate_in_hindi_then_english(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    pin_demo_trust(kiosk)
    _open(kiosk, "verify", "hi")
    d.wait_for("verifyScanHint")

    issued = date(2026, 11, 19)
    kiosk.scans.inject(sample_certificate("INC-2026-000412", issued_on=issued))
    qtbot.waitUntil(lambda: d.find("verdictPanel") is not None)
    assert _prop(kiosk.lookup.verify, "verdict") == "valid"
    assert d.text("verdictTitle") == translate(vf.VERDICT_TITLES["valid"], "hi")
    assert d.text("verdictText") == translate(MSG_VALID, "hi")
    assert DEVANAGARI.search(d.text("verdictText"))
    assert d.text("cert_number") == "INC-2026-000412"
    assert d.text("cert_holder") == "Sunita Devi"
    assert d.text("cert_type") == "आय प्रमाण पत्र / Income certificate"
    assert d.text("cert_issued") == format_date(issued, "hi", "long")
    assert d.text("cert_key") == "mp-rev-demo-1"
    assert "1,20,000" in d.text("cert_detail_income")
    as_of = d.text("verdictNote_0")  # "verified offline as of …"
    assert DEVANAGARI.search(as_of) and "2026" in as_of

    d.tap("langToggle")
    qtbot.waitUntil(lambda: d.text("verdictTitle") == "Genuine certificate")
    assert d.text("verdictNote_0").startswith("Verified offline as of")

    d.tap("verifyAnotherButton")
    qtbot.waitUntil(lambda: d.find("verifyScanHint") is not None)
    assert _prop(kiosk.lookup.verify, "certificateRows") == []


def test_tampered_cancelled_and_unknown_issuer_certificates(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(default_language="en"))
    d = drive(kiosk)
    pin_demo_trust(kiosk, {"INC-2026-000377": "Issued on a forged income declaration"})
    _open(kiosk, "verify", "en")

    def verdict_of(text: str, *, paste: bool = False) -> str:
        kiosk.lookup.verify.clearVerify()
        qtbot.waitUntil(lambda: d.find("verifyCodeField") is not None)
        if paste:  # the operator's field
            d.wait_for("verifyCodeField").setProperty("text", text)
            d.tap("verifyCheckButton")
        else:
            kiosk.scans.inject(text)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.verify, "verifyState") == "done")
        return str(_prop(kiosk.lookup.verify, "verdict"))

    assert verdict_of(tampered(sample_certificate()), paste=True) == "invalid"
    assert d.text("verdictTitle") == "Not valid"
    assert d.text("verdictText") == translate(vf.MSG_INVALID_SENTENCE, "en")
    assert d.find("cert_holder") is None  # forged facts are never shown
    assert _prop(kiosk.lookup.verify, "verdictTone") == "bad"

    assert verdict_of(sample_certificate("INC-2026-000377")) == "revoked"
    assert d.text("verdictText") == translate(MSG_REVOKED, "en")
    notes = [str(n) for n in d.read(kiosk.lookup.verify, "verdictNotes", list)]
    assert notes[0].startswith("Cancelled on ")
    assert notes[1] == "Reason: Issued on a forged income declaration"
    assert d.text("cert_number") == "INC-2026-000377"  # what was revoked
    assert _prop(kiosk.lookup.verify, "verdictTone") == "bad"

    assert verdict_of(sample_certificate(unknown_issuer=True)) == "unknown_issuer"
    assert d.text("verdictTitle") == "Issuing office not known"
    assert d.text("verdictNote_0") == f"Verify online at {vf.ONLINE_VERIFY_SITE}"
    assert _prop(kiosk.lookup.verify, "verdictTone") == "wait"

    # Hindi for a red verdict too.
    d.tap("langToggle")
    qtbot.waitUntil(lambda: _prop(kiosk.session, "language") == "hi")
    assert verdict_of(sample_certificate("INC-2026-000377")) == "revoked"
    assert d.text("verdictText") == translate(MSG_REVOKED, "hi")
    assert DEVANAGARI.search(d.text("verdictText"))


def test_acknowledgement_scanned_on_verify_leads_to_its_status(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi")
    _open(kiosk, "verify", "en")
    kiosk.scans.inject(status_qr_payload(app.application_no, app.proof_secret))
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.verify, "verdict") == "acknowledgement")
    d.tap("verifyAckStatusButton")
    qtbot.waitUntil(lambda: d.screen() == "status")
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)
    assert d.text("statusApplicationNo") == app.application_no
    # the slip's secret travelled with it: the status opens proven
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "proven") is True)
    assert _prop(kiosk.lookup.verify, "verifyState") == "idle"  # the verify screen's state is gone
    QTest.keyClick(kiosk.window, Qt.Key.Key_Escape)  # stray keys change nothing


# ---------------------------------------------------------------- texts


def test_number_expansion_and_status_sentences() -> None:
    body = "MP-BPL-HZR-20261122-0007"
    number = f"{body}-{check_character(body)}"
    assert st.expand_application_no(number.replace("-", "").lower(), "MP-BPL-HZR") == number
    assert st.expand_application_no(" ack:" + number.lower(), "MP-BPL-HZR") == number
    assert st.expand_application_no(number[11:].replace("-", ""), "MP-BPL-HZR") == number
    assert st.expand_application_no("XY20261122000071", "MP-BPL-HZR") == "XY20261122000071"
    assert st.status_sentence("rejected", "Income proof missing", "en") == \
        "Rejected: Income proof missing"
    assert st.status_sentence("rejected", None, "en") == translate(
        st.STATUS_SENTENCES["rejected"], "en")
    assert st.status_sentence("on_hold", None, "en") == "Current status: on_hold"
    assert st.is_overdue("in_process", date(2026, 11, 20), date(2026, 11, 23))
    assert not st.is_overdue("approved", date(2026, 11, 20), date(2026, 11, 23))
    assert not st.is_overdue("submitted", date(2026, 11, 23), date(2026, 11, 23))
