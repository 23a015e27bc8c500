"""Sample states of the application wizard for ``kiosk screenshot`` and the layout tests.

Each ``apply_*`` screen is reached through the real view-model slots a citizen's taps call,
with a realistic (invented) applicant, so a picture shows exactly what the kiosk would. The
payment QR comes from a stand-in backend that never confirms, and the acknowledgement "prints"
on a stand-in printer: a screenshot never needs a network or paper.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtQuick import QQuickItem

from kiosk.ui.app import KioskUi
from kiosk.ui.pump import pump

#: The wizard's sample screens, in the order a citizen meets them.
APPLY_SCREENS: tuple[str, ...] = (
    "apply_service", "apply_form_applicant", "apply_form_keyboard", "apply_form_keyboard_digits",
    "apply_form_keyboard_latin", "apply_form_keyboard_chips",
    "apply_form_suggestion", "apply_form_prefill", "apply_form_errors", "apply_form_address",
    "apply_form_service", "apply_documents", "apply_review", "apply_payment",
    "apply_payment_upi", "apply_ack",
)

#: An invented applicant (the Aadhaar number passes the Verhoeff check but is nobody's).
SAMPLE_APPLICANT: dict[str, str] = {
    "name_hi": "सुनीता देवी", "name_en": "Sunita Devi", "relation": "husband",
    "relative_name": "रमेश कुमार", "dob": "15-08-1985", "gender": "female",
    "mobile": "9876543210", "aadhaar": "498712345679",
}
SAMPLE_ADDRESS: dict[str, str] = {
    "house": "12, गांधी नगर", "village": "हुज़ूर", "tehsil": "हुज़ूर", "district": "भोपाल",
    "pin": "462001",
}
SAMPLE_INCOME: dict[str, str] = {
    "annual_income": "85000", "income_source": "agriculture", "family_members": "5",
    "purpose": "education",
}


@dataclass(frozen=True)
class _Intent:
    upi_uri: str | None = None
    status: str = "pending"
    utr: str | None = None


class SampleBackend:
    """Answers like a reachable backend whose bank has not confirmed the payment yet."""

    def health(self, timeout: float = 2.0) -> str:
        return "2026-11-22T10:00:00+05:30"

    def create_payment(self, intent: Any, idempotency_key: str) -> _Intent:
        return _Intent()

    def payment_status(self, tr: str) -> _Intent:
        return _Intent()


class SampleAckPrinter:
    """Prints acknowledgements "successfully" (and token slips, for completeness)."""

    def print_document(self, doc: object) -> None:
        return None

    def print_token(self, token: object, lang: str) -> None:
        return None



def _fill(vm: Any, answers: dict[str, str]) -> None:
    for key, value in answers.items():
        vm.setAnswer(key, value)


def sample_aadhaar_qr() -> str:
    """A Secure QR text for the sample applicant, signed by the TEST authority (so a kiosk
    without that certificate reports the signature as not checked, as a real one would)."""
    from kiosk.devices.sim.aadhaar_qr import build_secure_qr, make_test_authority

    key, _cert = make_test_authority("screenshots")
    return build_secure_qr(
        reference_id="567920230101120000123", name="Sunita Devi", dob="15-08-1985",
        gender="F", private_key=key, care_of="W/O: Ramesh Kumar", district="Bhopal",
        house="12", street="Gandhi Nagar", location="Huzur", pin="462001", state="Madhya Pradesh",
        sub_district="Huzur", vtc="Huzur")


def _items(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from _items(child)


def focus_field(kiosk: KioskUi, key: str) -> None:
    """Focus the form's text box ``key`` and bring its keyboard up, as a tap on it does."""
    def box() -> QQuickItem | None:
        return next((i for i in _items(kiosk.window.contentItem())
                     if i.objectName() == f"input_{key}" and i.isVisible()), None)
    pump(lambda: box() is not None)
    found = box()
    assert found is not None
    found.forceActiveFocus()
    keyboard = kiosk.window.findChild(QQuickItem, "kioskKeyboard")
    pump(lambda: keyboard is None or bool(keyboard.property("up")))


def drive_apply(kiosk: KioskUi, name: str, lang: str) -> None:
    """From the home screen to wizard state ``name`` (language already chosen)."""
    if name not in APPLY_SCREENS:
        raise ValueError(f"unknown apply screen {name!r}")
    session, vm = kiosk.session, kiosk.apply
    vm.ack.use_printer(SampleAckPrinter())
    vm.payment.use_backend(SampleBackend)
    session.openService("apply")
    if name == "apply_service":
        return
    vm.chooseService("INC")
    if name == "apply_form_applicant":
        _fill(vm, {k: SAMPLE_APPLICANT[k] for k in ("name_hi", "name_en", "relation")})
        vm.fieldsChanged.emit()  # the text boxes read their values when (re)built
        return
    if name in ("apply_form_keyboard", "apply_form_keyboard_digits"):
        # the Devanagari keyboard half-way through the Hindi name; the number pad on the date
        _fill(vm, {"name_en": SAMPLE_APPLICANT["name_en"], "relation": "husband",
                   "name_hi": "सुनीता"})
        vm.fieldsChanged.emit()
        focus_field(kiosk, "name_hi" if name == "apply_form_keyboard" else "dob")
        return
    if name == "apply_form_keyboard_latin":
        # the Latin page on the English name, its surname chips after "Sunita " (the Hindi
        # twin's surname, Devi, first)
        _fill(vm, {"name_hi": SAMPLE_APPLICANT["name_hi"], "name_en": "Sunita ",
                   "relation": "husband"})
        vm.fieldsChanged.emit()
        focus_field(kiosk, "name_en")
        return
    if name == "apply_form_keyboard_chips":
        # the relative's name half-typed, in the session's script: name chips complete it
        _fill(vm, {k: SAMPLE_APPLICANT[k] for k in ("name_hi", "name_en", "relation")}
              | {"relative_name": "रमे" if lang == "hi" else "Rame"})
        vm.fieldsChanged.emit()
        focus_field(kiosk, "relative_name")
        return
    if name == "apply_form_suggestion":
        # the English name typed: its Hindi spelling is offered inside the empty Hindi box
        _fill(vm, {"name_en": SAMPLE_APPLICANT["name_en"], "relation": "husband"})
        vm.fieldsChanged.emit()
        return
    if name == "apply_form_prefill":
        kiosk.scans.inject(sample_aadhaar_qr())
        pump(lambda: vm.prefill.property("prefillStatus") != "")
        return
    if name == "apply_form_errors":
        _fill(vm, {**SAMPLE_APPLICANT, "mobile": "12345", "dob": "31-02-1985"})
        vm.fieldsChanged.emit()
        vm.next()
        return
    _fill(vm, SAMPLE_APPLICANT)
    vm.next()
    if name == "apply_form_address":
        # the district tapped, its tehsils offered, three letters of the village typed
        hindi = lang == "hi"
        _fill(vm, {"district": "भोपाल" if hindi else "Bhopal", "village": "सुख" if hindi
                   else "Suk"})
        vm.fieldsChanged.emit()
        return
    _fill(vm, SAMPLE_ADDRESS)
    vm.next()
    _fill(vm, SAMPLE_INCOME)
    if name == "apply_form_service":
        vm.fieldsChanged.emit()
        return
    vm.next()
    vm.toggleDocument("aadhaar")
    if name == "apply_documents":
        return
    vm.next()
    if name == "apply_review":
        vm.setConsent(True)
        return
    vm.setConsent(True)
    vm.submit()
    pump(lambda: vm.property("page") == "payment" and vm.payment.property("upiAvailable"))
    if name == "apply_payment":
        return
    if name == "apply_payment_upi":
        vm.payment.payUpi()
        pump(lambda: vm.payment.property("payState") == "waiting")
        return
    vm.payment.payCash()
    pump(lambda: vm.ack.property("printState") == "printed")
