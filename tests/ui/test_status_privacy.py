"""Status privacy and the demo badge in the real kiosk window (issue 11, findings 1 and 2).

Enumeration: application numbers are a daily sequence with a computable check character, so a
stranger can type a run of them. Without proof the screen (and every property QML can bind)
shows the status and a masked name only — no name, no father's name, no mobile, no Aadhaar
digits — and "print again" prints nothing. Wrong proofs are limited per kiosk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from driver import UiDriver, walk
from PySide6.QtCore import QObject
from PySide6.QtQuick import QQuickItem
from pytestqt.qtbot import QtBot

from kiosk.application_lookup import PROOF_LIMIT
from kiosk.applications import format_application_no
from kiosk.config import Config, load_config
from kiosk.documents.demo import MSG_DEMO_BADGE
from kiosk.i18n import translate
from kiosk.masking import mask_name
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_lookup import SAMPLE_ANSWERS
from kiosk.ui.viewmodels import status_text as st

CITIZENS = [("सुनीता देवी", "Sunita Devi", "Ramesh Kumar", "9876543210", "234567890124"),
            ("कमला बाई", "Kamla Bai", "Mohan Lal", "9123456781", "345678901238"),
            ("श्रीमती क्षमा", "Shrimati Kshama", "Vijay Tiwari", "9988776655", "456789012341")]


def _open_status(kiosk: KioskUi, lang: str) -> None:
    kiosk.session.start()
    kiosk.session.chooseLanguage(lang)
    kiosk.session.openService("status")


def _everything_shown(kiosk: KioskUi) -> str:
    """Every text on the window and every string property of the status view-model."""
    texts = [str(item.property("text")) for item in walk(kiosk.window.contentItem())
             if item.isVisible() and isinstance(item.property("text"), str)]
    vm = kiosk.lookup.status
    meta = vm.metaObject()
    names = [meta.property(i).name() for i in range(meta.propertyCount())]
    props = [str(vm.property(n if isinstance(n, str) else bytes(n).decode())) for n in names]
    return "\n".join(texts + props)


def test_guessing_consecutive_numbers_reveals_no_personal_data_and_reprints_nothing(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    apps = kiosk.applications
    stored = []
    for name_hi, name_en, relative, mobile, aadhaar in CITIZENS:
        stored.append(apps.submit("INC", {**SAMPLE_ANSWERS, "name_hi": name_hi,
                                          "name_en": name_en, "relative_name": relative,
                                          "mobile": mobile, "aadhaar": aadhaar}, lang="hi"))
    today: date = apps.now().date()
    _open_status(kiosk, "hi")
    status = kiosk.lookup.status
    jobs_before = sorted(config.print_dir.glob("job-*.bin"))
    found = 0
    for seq in range(1, 7):   # a stranger types today's numbers 1..6
        number = format_application_no(config.centre_code, today, seq)
        status.search(number)
        qtbot.waitUntil(lambda: status.property("statusState") in ("found", "not_found"))
        if status.property("statusState") == "not_found":
            continue
        found += 1
        qtbot.waitUntil(lambda: status.property("source") != "checking")
        name_hi, name_en, relative, mobile, aadhaar = CITIZENS[seq - 1]
        assert d.text("statusApplicantMasked") == mask_name(name_hi)
        assert status.property("statusText")  # the state itself is public
        assert status.property("proven") is False
        shown = _everything_shown(kiosk)
        for secret in (name_hi, name_en, relative, mobile, mobile[-4:], aadhaar[-4:],
                       *name_en.split(), *name_hi.split(), *relative.split()):
            assert secret not in shown, (seq, secret)
        assert status.property("serviceName") == "" and status.property("dueText") == ""
        assert d.find("statusReprintButton") is None
        status.reprintAcknowledgement()   # even called directly: refused at once, no job
        assert status.property("printState") == "idle"
    assert found == len(CITIZENS)
    assert sorted(config.print_dir.glob("job-*.bin")) == jobs_before
    assert all(s.application_no == format_application_no(config.centre_code, today, i + 1)
               for i, s in enumerate(stored))   # the numbers really are guessable


def _says(status: QObject, text: str) -> bool:
    return status.property("proofState") == "wrong" and status.property("proofErrorOther") == text


def _on(d: UiDriver, screen: str) -> bool:
    return d.screen() == screen


def test_wrong_digits_then_a_cooling_off_period_in_both_languages(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    app = kiosk.applications.submit("INC", SAMPLE_ANSWERS, lang="hi")
    right = SAMPLE_ANSWERS["mobile"][-4:]
    _open_status(kiosk, "hi")
    status = kiosk.lookup.status
    status.search(app.application_no)
    qtbot.waitUntil(lambda: d.find("statusProofCard") is not None)

    status.proveMobile("12")   # not 4 digits: said at once, not counted
    qtbot.waitUntil(lambda: status.property("proofState") == "wrong")
    assert d.text("statusProofError") == translate(st.MSG_PROOF_FORMAT, "hi")
    assert d.text("statusProofErrorOther") == translate(st.MSG_PROOF_FORMAT, "en")
    for left in range(PROOF_LIMIT - 1, 0, -1):
        status.proveMobile("0000")
        said = translate(st.MSG_PROOF_WRONG, "en").format(tries=str(left))
        qtbot.waitUntil(partial(_says, status, said))
    assert d.text("statusProofErrorOther") == translate(st.MSG_PROOF_WRONG, "en").format(
        tries="1")
    status.proveMobile("0000")
    qtbot.waitUntil(lambda: status.property("proofState") == "locked")
    assert d.text("statusProofErrorOther") == translate(st.MSG_PROOF_LOCKED, "en").format(
        minutes="15")
    assert "15" in d.text("statusProofError") or "१५" in d.text("statusProofError")
    # Even the right digits are refused while the kiosk cools off; nothing is revealed.
    status.proveMobile(right)
    qtbot.waitUntil(lambda: status.property("proofState") == "locked")
    assert status.property("proven") is False
    assert d.text("statusApplicantMasked") == mask_name(SAMPLE_ANSWERS["name_hi"])


def _start(kiosk: KioskUi) -> None:
    kiosk.session.start()
    kiosk.session.chooseLanguage("hi")


def test_demo_badge_on_every_screen_only_in_demo_mode(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    plain = kiosk_factory(make_config())
    assert drive(plain).find("demoBadge") is None
    assert plain.session.property("demoBadge") == ""

    config = make_config()
    demo = kiosk_factory(load_config(data_dir=config.data_dir.parent / "demo",
                                     environ={"KIOSK_DEMO__ENABLED": "true"}))
    d = drive(demo)
    expected = f"{translate(MSG_DEMO_BADGE, 'hi')} / {translate(MSG_DEMO_BADGE, 'en')}"
    assert expected == "डेमो — असली नहीं / DEMO — NOT REAL"
    steps: list[tuple[str, Callable[[], None]]] = [
        ("attract", lambda: None),
        ("home", lambda: _start(demo)),
        ("groups", lambda: demo.session.openService("token")),
        ("status", lambda: demo.session.openService("status")),
        ("verify", lambda: demo.session.openService("verify")),
    ]
    for screen, go in steps:
        go()
        qtbot.waitUntil(partial(_on, d, screen))
        assert d.text("demoText") == expected, screen
        badge = d.find("demoBadge")
        assert badge is not None and badge.width() > 100 and badge.height() > 20


def _above(item: QQuickItem, panel: QQuickItem) -> bool:
    return item.mapToScene(item.boundingRect().bottomLeft()).y() <= panel.y()


def _slid_in(panel: QQuickItem, height: int) -> bool:
    return panel.y() + panel.height() <= height + 1


def test_the_digits_field_stays_above_the_keyboard_in_both_orientations(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    for size in ((1080, 1920), (1920, 1080)):
        kiosk = kiosk_factory(make_config(), size=size)
        d = drive(kiosk)
        app = kiosk.applications.submit("INC", SAMPLE_ANSWERS, lang="hi")
        _open_status(kiosk, "en")
        kiosk.lookup.status.search(app.application_no)
        d.tap("statusProofField")
        panel = d.wait_for("kioskKeyboard")       # a digits field: the kiosk's number pad
        d.wait_for_value(panel, "up", True)
        qtbot.waitUntil(partial(_slid_in, panel, size[1]))
        # the screen makes room once the keyboard is up (a frame or two after it slid in)
        for name in ("statusProofField", "statusProveButton"):
            item = d.wait_for(name)
            d.wait_until(partial(_above, item, panel), f"{name} above the keyboard at {size}")
