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
from PySide6.QtCore import Qt, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.applications import MSG_BAD_NUMBER, Application, check_character, status_qr_payload
from kiosk.certificates import MSG_REVOKED, MSG_VALID
from kiosk.config import Config, load_config
from kiosk.i18n import translate
from kiosk.i18n.formatting import format_date
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


def _prop(obj: object, name: str) -> object:
    return obj.property(name)  # type: ignore[attr-defined]


def _open(kiosk: KioskUi, screen: str, lang: str) -> None:
    kiosk.session.start()
    kiosk.session.chooseLanguage(lang)
    kiosk.session.openService(screen)


def _type(kiosk: KioskUi, d: object, field: str, text: str) -> None:
    """Tap the field and type on it like a keyboard (or a keyboard-wedge scanner) would."""
    d.tap(field)  # type: ignore[attr-defined]
    d.qtbot.waitUntil(lambda: d.find(field).hasActiveFocus())  # type: ignore[attr-defined]
    for ch in text:
        QTest.keyClick(kiosk.window, ord(ch))  # the char overload: key and text
    d.qtbot.waitUntil(lambda: d.text(field).upper() == text.upper())  # type: ignore[attr-defined]


def _keyboard_letters(kiosk: KioskUi) -> set[str]:
    """Single characters on the visible on-screen keyboard's keys."""
    found: set[str] = set()

    def visit(item: QQuickItem, inside: bool) -> None:
        if not item.isVisible():
            return
        inside = inside or item.objectName() == "inputPanel"
        text = item.property("text")
        if inside and item.property("key") is not None and isinstance(text, str) \
                and len(text) == 1:
            found.add(text)
        for child in item.childItems():
            visit(child, inside)

    visit(kiosk.window.contentItem(), False)
    return found


def _keyboard_locale(kiosk: KioskUi) -> str:
    component = QQmlComponent(kiosk.engine)
    component.setData(b"import QtQuick\nimport QtQuick.VirtualKeyboard.Settings\n"
                      b"QtObject { property string locale: VirtualKeyboardSettings.locale }",
                      QUrl())
    probe = component.create()
    assert probe is not None, component.errorString()
    locale = str(probe.property("locale"))
    probe.deleteLater()
    return locale


def _jobs(config: Config) -> list[tuple[str, str, str]]:
    with sqlite3.connect(config.db_path) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT doc_kind, doc_ref, state FROM print_jobs ORDER BY id")]


# ---------------------------------------------------------------- status


def test_typed_number_shows_the_application_and_reprints_its_acknowledgement(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    config = make_config(default_language="hi")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi", paid=False)
    _open(kiosk, "status", "hi")
    d.wait_for("statusScanHint")  # type: ignore[attr-defined]

    # As a citizen types it: lower case, no dashes (the kiosk puts this centre's back). The
    # on-screen keyboard opens on digits and the dash, Latin although the session is Hindi.
    typed = app.application_no.replace("-", "").lower()
    _type(kiosk, d, "statusNumberField", typed)
    qtbot.waitUntil(lambda: {"7", "-"} <= _keyboard_letters(kiosk))  # type: ignore[attr-defined]
    assert not DEVANAGARI.search("".join(_keyboard_letters(kiosk)))
    assert _keyboard_locale(kiosk) == "en_US"
    d.tap("statusCheckButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)  # type: ignore[attr-defined]

    assert d.text("statusApplicationNo") == app.application_no  # type: ignore[attr-defined]
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["submitted"], "hi")  # type: ignore[attr-defined]
    assert d.text("statusService") == "आय प्रमाण पत्र"  # type: ignore[attr-defined]
    assert d.text("statusApplicant") == SAMPLE_ANSWERS["name_hi"]  # type: ignore[attr-defined]
    assert d.text("statusDue") == format_date(app.due_date, "hi", "long")  # type: ignore[attr-defined]
    assert DEVANAGARI.search(d.text("statusDue"))  # type: ignore[attr-defined]
    assert "₹20.00" in d.text("statusPayment")  # type: ignore[attr-defined]  # cash, not paid yet
    # No backend configured: the kiosk's own records, said so.
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "local")  # type: ignore[attr-defined]
    assert d.text("statusSource") == translate(st.MSG_SOURCE_LOCAL, "hi")  # type: ignore[attr-defined]
    assert d.find("statusScanHint") is None  # type: ignore[attr-defined]  # portrait: the card needs the room

    # The slip was lost (or the kiosk crashed before printing it): print it again.
    d.tap("statusReprintButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "printState") == "printed", timeout=20000)  # type: ignore[attr-defined]
    assert d.text("statusPrintText") == translate("Please take your slip", "hi")  # type: ignore[attr-defined]
    assert _jobs(config) == [("acknowledgement", app.application_no, "confirmed")]
    job = sorted(config.print_dir.glob("job-*.bin"))[-1].read_bytes()
    assert app.application_no.encode() in job  # native text, readable by staff

    # Leaving the screen forgets the citizen, and the keyboard is Hindi again for what follows.
    d.tap("backButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.screen() == "home")  # type: ignore[attr-defined]
    assert _keyboard_locale(kiosk) == "hi_IN"
    for name in ("applicationNo", "applicantName", "statusText", "paymentText"):
        assert _prop(kiosk.lookup.status, name) == "", name
    assert _prop(kiosk.lookup.status, "printState") == "idle"
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kiosk.ui"))
    assert "status look-up: found" in ours
    assert app.application_no not in ours and typed not in ours
    assert "Sunita" not in caplog.text and "सुनीता" not in caplog.text


def test_scanned_acknowledgement_opens_its_status_and_reset_wipes_it(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    app = submit_sample(kiosk, "en")
    kiosk.scans.inject(status_qr_payload(app.application_no))  # attract screen: ignored
    qtbot.wait(50)  # type: ignore[attr-defined]  # delivered (queued) while on the attract screen
    _open(kiosk, "status", "en")
    assert _prop(kiosk.lookup.status, "statusState") == "idle"

    kiosk.scans.inject(status_qr_payload(app.application_no))
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)  # type: ignore[attr-defined]
    assert d.text("statusApplicant") == "Sunita Devi"  # type: ignore[attr-defined]
    assert d.text("statusService") == "Income certificate"  # type: ignore[attr-defined]
    assert "R-2041" in d.text("statusPayment")  # type: ignore[attr-defined]  # paid in cash

    d.tap("langToggle")  # type: ignore[attr-defined]  # the card follows the language at once
    qtbot.waitUntil(lambda: d.text("statusService") == "आय प्रमाण पत्र")  # type: ignore[attr-defined]
    assert d.text("statusApplicant") == SAMPLE_ANSWERS["name_hi"]  # type: ignore[attr-defined]

    kiosk.session.resetSession()  # idle timeout / "Done"
    qtbot.waitUntil(lambda: d.screen() == "attract")  # type: ignore[attr-defined]
    assert _prop(kiosk.lookup.status, "statusState") == "idle"
    assert _prop(kiosk.lookup.status, "applicationNo") == ""
    kiosk.session.start()
    kiosk.session.chooseLanguage("en")
    kiosk.session.openService("status")
    assert d.find("statusResultCard") is None  # type: ignore[attr-defined]
    assert d.text("statusNumberField") == ""  # type: ignore[attr-defined]


def test_wrong_check_character_unknown_number_and_failed_reprint(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config(), use_default_printer=False)  # no printer at all
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi")
    _open(kiosk, "status", "hi")

    body, check = app.application_no[:-2], app.application_no[-1]
    wrong = next(c for c in "0123456789" if c != check)
    _type(kiosk, d, "statusNumberField", f"{body}-{wrong}")
    d.tap("langToggle")  # type: ignore[attr-defined]  # what was typed survives a language switch
    d.tap("langToggle")  # type: ignore[attr-defined]
    assert d.text("statusNumberField") == f"{body}-{wrong}"  # type: ignore[attr-defined]
    d.tap("statusCheckButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("statusError") is not None)  # type: ignore[attr-defined]
    assert d.text("statusError") == translate(MSG_BAD_NUMBER, "hi")  # type: ignore[attr-defined]
    assert DEVANAGARI.search(d.text("statusError"))  # type: ignore[attr-defined]
    assert d.text("statusErrorOther") == translate(MSG_BAD_NUMBER, "en")  # type: ignore[attr-defined]

    other = f"{body[:-4]}0999"
    # well-formed, never issued here
    kiosk.lookup.status.search(f"{other}-{check_character(other)}")
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "statusState") == "not_found")  # type: ignore[attr-defined]
    assert d.text("statusError") == translate(st.MSG_NOT_FOUND, "hi")  # type: ignore[attr-defined]
    assert d.text("statusErrorOther") == translate(st.MSG_NOT_FOUND, "en")  # type: ignore[attr-defined]

    kiosk.lookup.status.search(app.application_no)
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)  # type: ignore[attr-defined]
    d.tap("statusReprintButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "printState") == "failed")  # type: ignore[attr-defined]
    assert d.text("statusPrintText") == translate(st.MSG_NO_PRINTER, "hi")  # type: ignore[attr-defined]
    d.tap("statusAnotherButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("statusScanHint") is not None)  # type: ignore[attr-defined]
    assert _prop(kiosk.lookup.status, "statusState") == "idle"
    assert d.text("statusNumberField") == ""  # type: ignore[attr-defined]


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
        qtbot: object, kiosk_factory: Callable[..., KioskUi], backend: ReferenceBackend,
        tmp_path: Path, drive: Callable[[KioskUi], object]) -> None:
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
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "not_sent", timeout=10000)  # type: ignore[attr-defined]
    assert d.text("statusSource") == translate(st.MSG_SOURCE_NOT_SENT, "en")  # type: ignore[attr-defined]
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["submitted"], "en")  # type: ignore[attr-defined]

    runtime = SyncRuntime(config, kiosk.store, start_worker=False)
    try:
        runtime.sync_once()
        assert _outbox_done(config)
        backend.issue_certificate(app.application_no)  # the officer approves it

        # Asked through the configured [backend] url + token.
        kiosk.lookup.status.search(app.application_no)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "online", timeout=10000)  # type: ignore[attr-defined]
        assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["approved"], "en")  # type: ignore[attr-defined]
        assert d.text("statusSource") == translate(st.MSG_SOURCE_ONLINE, "en")  # type: ignore[attr-defined]
        assert _prop(kiosk.lookup.status, "statusTone") == "good"
        stored = kiosk.applications.get(app.application_no)
        assert stored is not None and stored.status == "approved"  # kept for offline look-ups

        # Through the running sync runtime; then the server goes down.
        kiosk.lookup.status.attach_sync(lambda: runtime)
        backend.stop()
        d.tap("langToggle")  # type: ignore[attr-defined]
        kiosk.lookup.status.search(app.application_no)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.status, "source") == "offline", timeout=10000)  # type: ignore[attr-defined]
    finally:
        runtime.close()
    assert d.text("statusSentence") == translate(st.STATUS_SENTENCES["approved"], "hi")  # type: ignore[attr-defined]
    source = d.text("statusSource")  # type: ignore[attr-defined]
    checked = st.checked_text(_checked_at(config, app.application_no), "hi", config.timezone)
    assert checked and source == translate(st.MSG_SOURCE_OFFLINE_CHECKED, "hi").format(
        when=checked)


def _checked_at(config: Config, number: str) -> str:
    with sqlite3.connect(config.db_path) as conn:
        return str(conn.execute("SELECT status_checked_at FROM applications WHERE "
                                "application_no = ?", (number,)).fetchone()[0])


# ---------------------------------------------------------------- verify


def test_genuine_certificate_in_hindi_then_english(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    pin_demo_trust(kiosk)
    _open(kiosk, "verify", "hi")
    d.wait_for("verifyScanHint")  # type: ignore[attr-defined]

    issued = date(2026, 11, 19)
    kiosk.scans.inject(sample_certificate("INC-2026-000412", issued_on=issued))
    qtbot.waitUntil(lambda: d.find("verdictPanel") is not None)  # type: ignore[attr-defined]
    assert _prop(kiosk.lookup.verify, "verdict") == "valid"
    assert d.text("verdictTitle") == translate(vf.VERDICT_TITLES["valid"], "hi")  # type: ignore[attr-defined]
    assert d.text("verdictText") == translate(MSG_VALID, "hi")  # type: ignore[attr-defined]
    assert DEVANAGARI.search(d.text("verdictText"))  # type: ignore[attr-defined]
    assert d.text("cert_number") == "INC-2026-000412"  # type: ignore[attr-defined]
    assert d.text("cert_holder") == "Sunita Devi"  # type: ignore[attr-defined]
    assert d.text("cert_type") == "आय प्रमाण पत्र / Income certificate"  # type: ignore[attr-defined]
    assert d.text("cert_issued") == format_date(issued, "hi", "long")  # type: ignore[attr-defined]
    assert d.text("cert_key") == "mp-rev-demo-1"  # type: ignore[attr-defined]
    assert "1,20,000" in d.text("cert_detail_income")  # type: ignore[attr-defined]
    as_of = d.text("verdictNote_0")  # type: ignore[attr-defined]  # "verified offline as of …"
    assert DEVANAGARI.search(as_of) and "2026" in as_of

    d.tap("langToggle")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.text("verdictTitle") == "Genuine certificate")  # type: ignore[attr-defined]
    assert d.text("verdictNote_0").startswith("Verified offline as of")  # type: ignore[attr-defined]

    d.tap("verifyAnotherButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("verifyScanHint") is not None)  # type: ignore[attr-defined]
    assert _prop(kiosk.lookup.verify, "certificateRows") == []


def test_tampered_cancelled_and_unknown_issuer_certificates(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config(default_language="en"))
    d = drive(kiosk)
    pin_demo_trust(kiosk, {"INC-2026-000377": "Issued on a forged income declaration"})
    _open(kiosk, "verify", "en")

    def verdict_of(text: str, *, paste: bool = False) -> str:
        kiosk.lookup.verify.clearVerify()
        qtbot.waitUntil(lambda: d.find("verifyCodeField") is not None)  # type: ignore[attr-defined]
        if paste:  # the operator's field
            d.find("verifyCodeField").setProperty("text", text)  # type: ignore[attr-defined]
            d.tap("verifyCheckButton")  # type: ignore[attr-defined]
        else:
            kiosk.scans.inject(text)
        qtbot.waitUntil(lambda: _prop(kiosk.lookup.verify, "verifyState") == "done")  # type: ignore[attr-defined]
        return str(_prop(kiosk.lookup.verify, "verdict"))

    assert verdict_of(tampered(sample_certificate()), paste=True) == "invalid"
    assert d.text("verdictTitle") == "Not valid"  # type: ignore[attr-defined]
    assert d.text("verdictText") == translate(vf.MSG_INVALID_SENTENCE, "en")  # type: ignore[attr-defined]
    assert d.find("cert_holder") is None  # type: ignore[attr-defined]  # forged facts are never shown
    assert _prop(kiosk.lookup.verify, "verdictTone") == "bad"

    assert verdict_of(sample_certificate("INC-2026-000377")) == "revoked"
    assert d.text("verdictText") == translate(MSG_REVOKED, "en")  # type: ignore[attr-defined]
    notes = [str(n) for n in _prop(kiosk.lookup.verify, "verdictNotes")]  # type: ignore[union-attr]
    assert notes[0].startswith("Cancelled on ")
    assert notes[1] == "Reason: Issued on a forged income declaration"
    assert d.text("cert_number") == "INC-2026-000377"  # type: ignore[attr-defined]  # what was revoked
    assert _prop(kiosk.lookup.verify, "verdictTone") == "bad"

    assert verdict_of(sample_certificate(unknown_issuer=True)) == "unknown_issuer"
    assert d.text("verdictTitle") == "Issuing office not known"  # type: ignore[attr-defined]
    assert d.text("verdictNote_0") == f"Verify online at {vf.ONLINE_VERIFY_SITE}"  # type: ignore[attr-defined]
    assert _prop(kiosk.lookup.verify, "verdictTone") == "wait"

    # Hindi for a red verdict too.
    d.tap("langToggle")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _prop(kiosk.session, "language") == "hi")  # type: ignore[attr-defined]
    assert verdict_of(sample_certificate("INC-2026-000377")) == "revoked"
    assert d.text("verdictText") == translate(MSG_REVOKED, "hi")  # type: ignore[attr-defined]
    assert DEVANAGARI.search(d.text("verdictText"))  # type: ignore[attr-defined]


def test_acknowledgement_scanned_on_verify_leads_to_its_status(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    app = submit_sample(kiosk, "hi")
    _open(kiosk, "verify", "en")
    kiosk.scans.inject(status_qr_payload(app.application_no))
    qtbot.waitUntil(lambda: _prop(kiosk.lookup.verify, "verdict") == "acknowledgement")  # type: ignore[attr-defined]
    d.tap("verifyAckStatusButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.screen() == "status")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("statusResultCard") is not None)  # type: ignore[attr-defined]
    assert d.text("statusApplicationNo") == app.application_no  # type: ignore[attr-defined]
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
