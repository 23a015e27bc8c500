"""Filling the applicant's step from an Aadhaar Secure QR held to the scanner.

QML reaches it as ``apply.prefill`` (the banner that says whether the QR's signature was
checked). Only on the wizard's applicant step is a scanned Secure QR read; decoding (a big
integer, gzip, an RSA check) runs on the wizard's worker. The QR holds the last four Aadhaar
digits only, so the Aadhaar field is never filled, and nothing scanned is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal

from kiosk.aadhaar_qr import AadhaarQrData, decode_secure_qr, looks_like_secure_qr
from kiosk.config import Config
from kiosk.documents.model import has_devanagari
from kiosk.errors import KioskError, ValidationError
from kiosk.i18n import translate
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import Screen
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

#: ``prefillStatus`` when the QR could not be read (else the QR's signature state).
PREFILL_ERROR = "error"


def prefill_answers(data: AadhaarQrData) -> dict[str, str]:
    """Form answers from an Aadhaar Secure QR; blank QR fields leave the form alone.

    The QR holds only the last four Aadhaar digits, so the Aadhaar field is never filled: the
    citizen types the number if they wish.
    """
    out: dict[str, str] = {}
    name = data.name.strip()
    if name:
        out["name_hi" if has_devanagari(name) else "name_en"] = name
    relation = {"son_of": "father", "daughter_of": "father", "wife_of": "husband"}.get(
        data.care_of_relation or "")
    if relation:
        out["relation"] = relation
    if data.care_of_name.strip() and data.care_of_relation != "husband_of":
        out["relative_name"] = data.care_of_name.strip()
    if data.dob is not None:
        out["dob"] = data.dob.strftime("%d-%m-%Y")
    if data.gender:
        out["gender"] = data.gender
    addr = data.address
    house = ", ".join(p.strip() for p in (addr.get("house", ""), addr.get("street", ""),
                                          addr.get("landmark", "")) if p.strip())
    if house:
        out["house"] = house[:80]
    village = (addr.get("village") or addr.get("locality") or "").strip()
    for key, value in (("village", village), ("tehsil", addr.get("tehsil", "")),
                       ("district", addr.get("district", "")), ("pin", addr.get("pin", ""))):
        if value and value.strip():
            out[key] = value.strip()
    return out


class PrefillViewModel(QObject):
    """The Aadhaar QR banner and the answers it brings (``apply.prefill``)."""

    prefillChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config, scans: ScanRouter,
                 runner: BackgroundRunner, *, accepting: Callable[[], bool],
                 fill: Callable[[dict[str, str]], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._runner = runner
        self._accepting = accepting   # the wizard is on its applicant step
        self._fill = fill             # hand the answers to the wizard (False: form has gone)
        self._trusted: list[Any] | None = None
        self._generation = 0
        self.wipe()
        scans.scanned.connect(self._on_scan)
        session.languageChanged.connect(self.prefillChanged)

    def wipe(self) -> None:
        """Forget the banner (session reset, wizard left); a decode in flight is dropped."""
        self._generation += 1
        self._status = ""
        self._msgid = ""

    def _text(self, lang: str) -> str:
        return translate(self._msgid, lang) if self._msgid else ""

    prefillStatus = Property(str, lambda self: self._status, notify=prefillChanged)
    prefillText = Property(str, lambda self: self._text(str(self._session.property(
        "language"))), notify=prefillChanged)
    prefillTextOther = Property(str, lambda self: self._text(other_language(str(
        self._session.property("language")))), notify=prefillChanged)

    def _on_scan(self, text: str) -> None:
        if (self._session.property("screen") != Screen.APPLY or not self._accepting()
                or not looks_like_secure_qr(text)):
            return
        generation = self._generation

        def job() -> AadhaarQrData:
            return decode_secure_qr(text, self._trusted_certificates())

        self._runner.submit(job, lambda data: self._decoded(generation, data),
                            lambda exc: self._failed(generation, exc))

    def _trusted_certificates(self) -> list[Any]:
        if self._trusted is None:
            path = self._config.aadhaar_trusted_cert
            if path is None:
                self._trusted = []
            else:
                from kiosk.aadhaar_qr import load_trusted_certificates

                self._trusted = list(load_trusted_certificates([path]))
        return self._trusted

    def _decoded(self, generation: int, data: AadhaarQrData) -> None:
        if generation != self._generation or not self._fill(prefill_answers(data)):
            return
        self._status = data.signature
        self._msgid = data.signature_message
        self.prefillChanged.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._status = PREFILL_ERROR
        self._msgid = (exc.message if isinstance(exc, ValidationError)
                       else KioskError.default_message)
        self.prefillChanged.emit()


__all__ = ["PREFILL_ERROR", "PrefillViewModel", "prefill_answers"]
