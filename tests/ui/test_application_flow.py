"""The application wizard tapped and typed through the real QML, in Hindi and in English.

Income, domicile and caste certificates from the home tile to the printed acknowledgement:
search, every field kind, the keyboard following the field (Hindi name in an English session
and the other way round), errors under the field after "Next", Back keeping answers, the
document checklist, the review with the masked Aadhaar, consent, submit, cash, and the slip on
the simulated printer. Also: a double tap saves one application, the idle timeout wipes every
answer, and an Aadhaar QR scan fills the form and says whether its signature was checked.

The helpers here are shared with ``test_apply_payment.py``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from vk_helpers import keyboard_keys

from kiosk.aadhaar_qr import SIGNATURE_MESSAGES
from kiosk.config import Config, load_config
from kiosk.devices.sim.aadhaar_qr import make_test_authority
from kiosk.i18n import translate
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import (
    SAMPLE_ADDRESS,
    SAMPLE_APPLICANT,
    SAMPLE_INCOME,
    sample_aadhaar_qr,
)
from kiosk.ui.viewmodels.payment import MSG_UPI_OFF
from kiosk.ui.viewmodels.wizard import MSG_FIX_ANSWERS
from kiosk.validation import MSG_MOBILE

DEVANAGARI = re.compile("[\u0900-\u097f]")

# --------------------------------------------------------------------------- helpers


def reveal(qtbot: Any, d: Any, name: str) -> QQuickItem:
    """Scroll the page so item ``name`` is in view (a finger would scroll first), once the
    page has drawn what the last tap changed (its own scrolling to the focused box included)."""
    item = d.wait_for(name)
    qtbot.waitUntil(lambda: item.width() > 0 and item.height() > 0)
    d.next_frame()
    flick = d.find("applyFlick")
    if flick is not None:
        content = flick.property("contentItem")
        top = item.mapToItem(content, QPointF(0, 0)).y()
        view_h = flick.height()
        target = top - max(0.0, (view_h - item.height()) / 2)
        limit = max(0.0, float(flick.property("contentHeight")) - view_h)
        flick.setProperty("contentY", min(max(0.0, target), limit))
    return item


def tap(qtbot: Any, d: Any, name: str) -> None:
    reveal(qtbot, d, name)
    d.tap(name)


def press_keys(window: Any, text: str) -> None:
    """Typed text: one key press per character, delivered to the focused field."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(window, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                         ch))


def erase(window: Any, count: int) -> None:
    for _ in range(count):
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(window, QKeyEvent(kind, Qt.Key.Key_Backspace,
                                                         Qt.KeyboardModifier.NoModifier))


def type_into(qtbot: Any, d: Any, key: str, text: str) -> None:
    """Tap field ``key`` (which opens the on-screen keyboard), clear it, type ``text``."""
    tap(qtbot, d, f"input_{key}")
    field = d.wait_for(f"input_{key}")
    qtbot.waitUntil(lambda: field.hasActiveFocus())
    erase(d.kiosk.window, len(str(field.property("text"))))
    press_keys(d.kiosk.window, text)
    qtbot.waitUntil(lambda: d.kiosk.apply.raw_answers.get(key) == text)



def type_on_keyboard(qtbot: Any, d: Any, key: str, text: str) -> None:
    """Tap field ``key`` and type ``text`` on the on-screen keyboard's own keys; the layout
    must have switched to the field's script for the keys to be there at all."""
    tap(qtbot, d, f"input_{key}")
    kiosk = d.kiosk
    first = text[0]
    qtbot.waitUntil(lambda: first in keyboard_keys(kiosk)
                    or first.lower() in {k.lower() for k in keyboard_keys(kiosk)}, timeout=3000)
    for ch in text:
        keys = keyboard_keys(kiosk)
        item = keys.get(ch) or {k.lower(): v for k, v in keys.items()}[ch.lower()]
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)
    qtbot.waitUntil(lambda: kiosk.apply.raw_answers.get(key, "").lower() == text.lower())


def open_apply(d: Any, lang: str) -> None:
    for name in ("startHi" if lang == "hi" else "startEn", "tile_apply"):
        d.tap(name)
    d.wait_for("applyServicePage")


def fill_by_slots(kiosk: KioskUi, code: str, answers: dict[str, str]) -> None:
    """Straight to the review page through the view-model (tests not about the form)."""
    vm = kiosk.apply
    vm.chooseService(code)
    for _ in range(3):
        for key, value in answers.items():
            vm.setAnswer(key, value)
        vm.next()
    vm.next()  # documents
    assert vm.property("page") == "review", vm.property("fieldErrors")


def applications(config: Config) -> list[sqlite3.Row]:
    with sqlite3.connect(config.db_path) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute("SELECT * FROM applications"))


def print_jobs(config: Config) -> list[Path]:
    return sorted(config.print_dir.glob("job-*.bin"))


def progress(d: Any) -> str:
    return str(d.text("progressText"))


def step_text(lang: str, i: int, n: int) -> str:
    return translate("Step %1 of %2", lang).replace("%1", str(i)).replace("%2", str(n))


# --------------------------------------------------------------------------- the journeys

SEARCH = {"INC": {"hi": "आय", "en": "aay"}, "DOM": {"hi": "निवास", "en": "domicile"},
          "CST": {"hi": "जाति", "en": "jati"}}

#: The service's own step: ("type" | "choice", field, value).
OWN_STEP: dict[str, list[tuple[str, str, str]]] = {
    "INC": [("type", "annual_income", "85000"), ("choice", "income_source", "agriculture"),
            ("count", "family_members", "5"), ("choice", "purpose", "education")],
    "DOM": [("type", "years_resident", "20"), ("choice", "purpose", "job")],
    "CST": [("choice", "category", "OBC"), ("type", "caste_name", "Kurmi"),
            ("choice", "purpose", "scheme")],
}


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("code", ["INC", "DOM", "CST"])
def test_apply_by_taps_and_typing_prints_the_acknowledgement(
        code: str, lang: str, qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    config = make_config(default_language="en" if lang == "hi" else "hi")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    vm, window = kiosk.apply, kiosk.window
    open_apply(d, lang)

    # ---- service: search in the citizen's script, then tap the tile
    tap(qtbot, d, "serviceSearch")
    press_keys(window, SEARCH[code][lang])
    qtbot.waitUntil(lambda: code in [s["code"] for s in vm.property("services")])
    assert len(vm.property("services")) < 12
    tap(qtbot, d, f"service_{code}")
    d.wait_for("applyFormPage")
    assert progress(d) == step_text(lang, 1, 6)

    # ---- applicant: the keyboard follows the field (Hindi name on the Hindi layout even in
    # an English session, English name on the English one), a bad mobile is refused
    type_on_keyboard(qtbot, d, "name_hi", "कमल")
    type_on_keyboard(qtbot, d, "name_en", "kamal")
    type_into(qtbot, d, "name_en", "Kamal Singh")
    tap(qtbot, d, "choice_relation_father")
    type_into(qtbot, d, "relative_name", "Ram Singh")
    type_into(qtbot, d, "dob", "15081985")
    tap(qtbot, d, "choice_gender_male")
    type_into(qtbot, d, "mobile", "12345")
    type_into(qtbot, d, "aadhaar", SAMPLE_APPLICANT["aadhaar"])
    tap(qtbot, d, "nextButton")
    assert d.text("error_mobile") == translate(MSG_MOBILE, lang)
    assert d.find("formMessage") is not None
    assert vm.property("stepKey") == "applicant"
    assert d.wait_for("input_name_en").property("text") == "Kamal Singh"  # others kept
    type_into(qtbot, d, "mobile", "9876543210")
    qtbot.waitUntil(lambda: d.find("error_mobile") is None)
    tap(qtbot, d, "nextButton")
    qtbot.waitUntil(lambda: vm.property("stepKey") == "address")
    assert progress(d) == step_text(lang, 2, 6)

    # ---- address: a PIN outside the service's area, then the same PIN in Devanagari digits
    village = "हुज़ूर" if lang == "hi" else "Huzur"
    for key, value in (("village", village), ("tehsil", village),
                       ("district", "भोपाल" if lang == "hi" else "Bhopal"), ("pin", "110001")):
        type_into(qtbot, d, key, value)
    tap(qtbot, d, "nextButton")
    expected = kiosk.applications.check_step(code, "address", {"pin": "110001"})
    pin_error = next(e for e in expected if e.key == "pin")
    assert d.text("error_pin") == pin_error.message(lang)
    if lang == "hi":
        assert DEVANAGARI.search(d.text("error_pin"))
    type_into(qtbot, d, "pin", "४६२००१")
    # Back keeps every answer; Next again finds them valid
    tap(qtbot, d, "navBack")
    qtbot.waitUntil(lambda: vm.property("stepKey") == "applicant")
    assert d.wait_for("input_mobile").property("text") == "9876543210"
    assert d.wait_for("input_name_hi").property("text") == "कमल"
    tap(qtbot, d, "nextButton")
    qtbot.waitUntil(lambda: vm.property("stepKey") == "address")
    assert d.wait_for("input_pin").property("text") == "४६२००१"
    tap(qtbot, d, "nextButton")
    qtbot.waitUntil(lambda: vm.property("stepKey") == "service")

    # ---- the service's own questions
    for how, key, value in OWN_STEP[code]:
        if how == "type":
            type_into(qtbot, d, key, value)
        elif how == "count":                  # a small count is tiles (FormCountTiles.qml)
            tap(qtbot, d, f"count_{key}_{value}")
        else:
            tap(qtbot, d, f"choice_{key}_{value}")
    tap(qtbot, d, "nextButton")

    # ---- documents
    d.wait_for("applyDocumentsPage")
    assert progress(d) == step_text(lang, 4, 6)
    tap(qtbot, d, "doc_aadhaar")
    qtbot.waitUntil(lambda: d.find("doc_aadhaar").property("checked") is True)
    tap(qtbot, d, "nextButton")

    # ---- review: masked Aadhaar, Devanagari PIN stored as digits, consent gates Submit
    d.wait_for("applyReviewPage")
    assert progress(d) == step_text(lang, 5, 6)
    assert d.text("review_aadhaar") == "XXXX XXXX 5679"
    assert d.text("review_pin") == "462001"
    assert d.text("review_dob") == "15-08-1985"
    assert not d.wait_for("submitButton").isEnabled()
    assert vm.property("feeTotalPaise") == 2000
    tap(qtbot, d, "consentCheck")
    qtbot.waitUntil(lambda: d.wait_for("submitButton").isEnabled())
    tap(qtbot, d, "submitButton")

    # ---- payment: no backend here, so UPI says why it cannot be used; cash at the counter
    d.wait_for("applyPaymentPage", timeout=10000)
    qtbot.waitUntil(lambda: d.text("upiReason") == translate(MSG_UPI_OFF, lang))
    assert not d.wait_for("payUpiButton").isEnabled()
    tap(qtbot, d, "payCashButton")

    # ---- acknowledgement
    d.wait_for("applyAckPage")
    qtbot.waitUntil(lambda: vm.ack.property("printState") == "printed", timeout=20000)
    rows = applications(config)
    assert len(rows) == 1
    no = rows[0]["application_no"]
    assert d.text("ackNumber") == no
    assert rows[0]["service_code"] == code and rows[0]["lang"] == lang
    assert rows[0]["aadhaar_last4"] == "5679"
    assert SAMPLE_APPLICANT["aadhaar"] not in rows[0]["answers"]
    assert '"pin": "462001"' in rows[0]["answers"] and "कमल" in rows[0]["answers"]
    assert rows[0]["documents_shown"] == '["aadhaar"]'
    jobs = print_jobs(config)
    assert len(jobs) == 1
    data = jobs[0].read_bytes()
    assert no.encode() in data                      # native text, not only a raster
    assert f"ACK:{no}".encode() in data             # the status QR's payload
    assert "₹20.00" in d.text("ackPayment")

    tap(qtbot, d, "ackDone")
    qtbot.waitUntil(lambda: d.screen() == "attract")
    assert vm.raw_answers == {} and vm.property("page") == "service"
    assert vm.ack.property("applicationNo") == ""


def test_home_tiles_open_apply_status_and_verify(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    d.tap("startEn")
    for key in ("apply", "status", "verify"):
        tile = d.wait_for(f"tile_{key}")
        assert tile.isEnabled() and tile.property("note") == ""
        d.tap(f"tile_{key}")
        qtbot.waitUntil(lambda k=key: d.screen() == k)
        d.tap("backButton")
        qtbot.waitUntil(lambda: d.screen() == "home")


def test_service_list_pages_above_the_keyboard(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    """With the keyboard up the twelve services no longer fit: they page, nothing hides."""
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_apply(d, "en")
    assert d.find("servicesMore") is None  # all fit without the keyboard
    tap(qtbot, d, "serviceSearch")
    more = d.wait_for("servicesMore")
    assert d.find("service_CRC") is None  # the last service is on a later page
    while d.find("service_CRC") is None:
        assert more.isEnabled()
        d.tap("servicesMore")
        qtbot.wait(20)
    assert not d.wait_for("servicesMore").isEnabled()
    tap(qtbot, d, "service_CRC")
    qtbot.waitUntil(lambda: kiosk.apply.property("serviceCode") == "CRC")


def test_double_tap_on_submit_saves_one_application(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    open_apply(d, "en")
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    tap(qtbot, d, "consentCheck")
    button = reveal(qtbot, d, "submitButton")
    qtbot.waitUntil(lambda: button.isEnabled())
    centre = button.mapToScene(QPointF(button.width() / 2, button.height() / 2)).toPoint()
    for _ in range(2):  # a second tap lands while the first is being saved
        QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)
    kiosk.apply.submit()  # and a third straight at the view-model
    d.wait_for("applyPaymentPage", timeout=10000)
    kiosk.apply.submit()
    qtbot.wait(100)
    assert len(applications(config)) == 1
    # the wizard's one submission id: even a retry through the core is the same application
    vm = kiosk.apply
    saved = vm.application
    assert saved is not None
    again = kiosk.applications.submit("INC", saved.answers | {
        "aadhaar": SAMPLE_APPLICANT["aadhaar"]}, lang="en",
        submission_id=saved.submission_id)
    assert again.application_no == vm.ack.property("applicationNo")
    assert len(applications(config)) == 1


def test_idle_timeout_wipes_every_answer(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config(idle_seconds=1, idle_countdown_seconds=1))
    d = drive(kiosk)
    vm = kiosk.apply
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    type_into(qtbot, d, "name_en", "Kamal Singh")
    type_into(qtbot, d, "mobile", "9876543210")
    tap(qtbot, d, "choice_gender_male")
    assert vm.raw_answers
    qtbot.waitUntil(lambda: d.screen() == "attract", timeout=8000)  # warning, then reset
    assert vm.raw_answers == {}
    assert vm.property("answers") == {} and vm.property("serviceCode") == ""
    assert vm.property("page") == "service" and vm.property("fields") == []
    # the next citizen starts on an empty form
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    assert d.wait_for("input_name_en").property("text") == ""
    assert d.wait_for("choice_gender_male").property("checked") is False


def test_invalid_answers_at_submit_go_back_to_the_first_bad_step(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    open_apply(d, "hi")
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    kiosk.apply._answers["mobile"] = "12345"  # as if a rule changed under the citizen
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    d.wait_for("applyFormPage", timeout=10000)
    assert kiosk.apply.property("stepKey") == "applicant"
    assert d.text("error_mobile") == translate(MSG_MOBILE, "hi")
    d.wait_for("formMessage")
    assert kiosk.apply.property("formMessage") == translate(MSG_FIX_ANSWERS, "hi")
    assert applications(config) == []
    assert d.wait_for("input_name_en").property("text") == SAMPLE_APPLICANT["name_en"]


@pytest.mark.parametrize("trusted", [False, True], ids=["no_certificate", "trusted"])
def test_aadhaar_qr_scan_fills_the_form_and_says_if_it_was_verified(
        trusted: bool, qtbot: Any, tmp_path: Path, kiosk_factory: Callable[..., KioskUi],
        drive: Callable[[KioskUi], Any]) -> None:
    env = {}
    if trusted:
        _key, cert = make_test_authority("screenshots")
        pem = tmp_path / "uidai.pem"
        pem.write_bytes(cert)
        env["KIOSK_AADHAAR__TRUSTED_CERT"] = str(pem)
    kiosk = kiosk_factory(load_config(data_dir=tmp_path / "data", environ=env))
    d = drive(kiosk)
    vm = kiosk.apply
    open_apply(d, "en")
    kiosk.scans.inject(sample_aadhaar_qr())  # on the service list: ignored
    qtbot.wait(200)
    assert vm.prefill.property("prefillStatus") == ""
    tap(qtbot, d, "service_INC")
    d.wait_for("aadhaarHint")
    kiosk.scans.inject(sample_aadhaar_qr())
    d.wait_for("prefillBanner", timeout=10000)
    status = "verified" if trusted else "no_trusted_certificate"
    assert vm.prefill.property("prefillStatus") == status
    assert d.text("prefillText") == translate(SIGNATURE_MESSAGES[status], "en")
    banner = d.wait_for("prefillBanner").property("color").name()
    assert banner == ("#e5f4e9" if trusted else "#fff1e0")  # green / amber
    assert d.wait_for("input_name_en").property("text") == "Sunita Devi"
    assert d.wait_for("input_relative_name").property("text") == "Ramesh Kumar"
    assert d.wait_for("input_dob").property("text") == "15-08-1985"
    assert d.wait_for("choice_gender_female").property("checked") is True
    assert d.wait_for("choice_relation_husband").property("checked") is True
    assert d.wait_for("input_aadhaar").property("text") == ""  # never filled from a QR
    d.tap("langToggle")  # the message follows the language
    qtbot.waitUntil(lambda: d.text("prefillText") == translate(SIGNATURE_MESSAGES[status], "hi"))
    assert vm.raw_answers["pin"] == "462001" and vm.raw_answers["district"] == "Bhopal"


def test_acknowledgement_print_failure_is_bilingual_and_reprint_prints(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    from kiosk.devices.escpos_driver import MSG_PAPER_OUT
    from kiosk.devices.sim import sim_registry

    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    sim = sim_registry.get("printer", out_dir=config.print_dir)
    sim.paper = "out"
    open_apply(d, "hi")
    fill_by_slots(kiosk, "DOM", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, "years_resident": "30",
                                 "purpose": "education"})
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    tap(qtbot, d, "payCashButton")
    qtbot.waitUntil(lambda: kiosk.apply.ack.property("printState") == "failed", timeout=20000)
    assert d.text("ackPrintErrorOther") == MSG_PAPER_OUT
    assert d.text("ackPrintError") == translate(MSG_PAPER_OUT, "hi")
    assert d.text("ackNumber") == kiosk.apply.ack.property("applicationNo")  # still shown
    sim.reset_faults()
    tap(qtbot, d, "ackReprint")
    qtbot.waitUntil(lambda: kiosk.apply.ack.property("printState") == "printed", timeout=20000)
    jobs = print_jobs(config)
    number = kiosk.apply.ack.property("applicationNo")
    assert len(jobs) == 1 and number.encode() in jobs[0].read_bytes()
    assert len(applications(config)) == 1
