"""Certificate verification (``session.screen == "verify"``; QML: ``lookup.verify``).

A certificate's QR code (scanner, or pasted by an operator) is verified offline against the
issuer keys and the revocation list this kiosk last synced (:mod:`kiosk.certificates`, imported
on the worker only: the cryptography stack is not needed to start). An acknowledgement's code
held to the scanner here is recognised and its status offered instead.

Privacy: the screen is wiped when the citizen leaves it and on every session reset; the log gets
the verdict only, never the scanned text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.application_lookup import ApplicationLookup
from kiosk.applications import (
    ApplicationService,
    normalise_application_no,
    split_proof,
    status_qr_payload,
)
from kiosk.catalogue import Catalogue
from kiosk.config import Config
from kiosk.i18n import N_, normalise_language, translate
from kiosk.i18n.formatting import format_date, format_paise
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.status_text import expand_application_no, local_date, tr
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from kiosk.certificates import Verification

log = logging.getLogger(__name__)

VERDICT_TITLES: dict[str, str] = {
    "valid": N_("Genuine certificate"),
    "invalid": N_("Not valid"),
    "revoked": N_("Cancelled certificate"),
    "unknown_issuer": N_("Issuing office not known"),
    "expired_key": N_("Cannot be confirmed"),
    "acknowledgement": N_("This is not a certificate"),
}
VERDICT_TONES: dict[str, str] = {
    "valid": "good", "invalid": "bad", "revoked": "bad", "unknown_issuer": "wait",
    "expired_key": "wait", "acknowledgement": "info"}
MSG_INVALID_SENTENCE = N_("This certificate has been altered or is not genuine. If its QR code "
                          "is only damaged, please check at the counter.")
MSG_ACK_SENTENCE = N_("This is the code of an application slip. Tap below to see the "
                      "application's status.")
MSG_VERIFY_ONLINE = N_("Verify online at {url}")
MSG_REVOKED_ON = N_("Cancelled on {date}")
MSG_REVOKED_REASON = N_("Reason: {reason}")
MSG_LABEL_CERT_NO = N_("Certificate number")
MSG_LABEL_TYPE = N_("Type of certificate")
MSG_LABEL_HOLDER = N_("Name on the certificate")
MSG_LABEL_ISSUED = N_("Date of issue")
MSG_LABEL_APP_NO = N_("Application number")
MSG_LABEL_KEY = N_("Signing key")
MSG_LABEL_DETAIL = N_("Certified")
ONLINE_VERIFY_SITE = "verify.lsk.mp.gov.in"


class VerifyState(StrEnum):
    """Where the check is (``verifyState``)."""

    IDLE = "idle"
    CHECKING = "checking"
    DONE = "done"


class VerifyViewModel(QObject):
    """The verify screen's state (``lookup.verify``)."""

    verifyChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, runner: BackgroundRunner, *,
                 open_status: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._records = ApplicationLookup(applications)
        self._runner = runner
        self._open_status = open_status   # show this application number's status instead
        self._generation = 0
        self.wipe()
        session.languageChanged.connect(self.verifyChanged)

    def _lang(self) -> str:
        return normalise_language(str(self._session.property("language")))[0]

    @property
    def idle(self) -> bool:
        return self._state is VerifyState.IDLE

    def wipe(self) -> None:
        """Forget the certificate shown (leaving the screen, session reset)."""
        self._generation += 1
        self._state = VerifyState.IDLE
        self._verdict = ""
        self._verification: Verification | None = None
        self._ack_number = ""
        self._catalogue: Catalogue | None = None

    @Slot(str)
    def verify(self, text: str) -> None:
        """Verify a certificate's QR text offline (scanned, or pasted by an operator)."""
        if not (text or "").strip():
            return
        self.wipe()
        rest, secret = split_proof(text)
        ack = normalise_application_no(expand_application_no(rest, self._config.centre_code))
        if ack is not None:
            # An acknowledgement held to the scanner: say so and offer its status.
            self._state = VerifyState.DONE
            self._verdict = "acknowledgement"
            # with the slip's secret, so its status opens proven (details, reprint)
            self._ack_number = status_qr_payload(ack, secret)
            self.verifyChanged.emit()
            return
        self._state = VerifyState.CHECKING
        self.verifyChanged.emit()
        generation = self._generation
        records = self._records
        self._runner.submit(lambda: records.verify_certificate(text),
                            lambda result: self._verified(generation, *result),
                            lambda exc: self._verify_failed(generation, exc))

    def _verified(self, generation: int, verification: Verification,
                  catalogue: Catalogue) -> None:
        if generation != self._generation:
            return
        log.info("certificate verified: %s", verification.status)
        self._verification = verification
        self._catalogue = catalogue
        self._verdict = verification.status
        self._state = VerifyState.DONE
        self.verifyChanged.emit()

    def _verify_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.error("certificate verification failed", exc_info=exc)
        self._verdict = "invalid"
        self._state = VerifyState.DONE
        self.verifyChanged.emit()

    @Slot()
    def clearVerify(self) -> None:
        """"Verify another certificate"."""
        self.wipe()
        self.verifyChanged.emit()

    @Slot()
    def openAcknowledgementStatus(self) -> None:
        """From the verify screen: an acknowledgement was scanned; show its status instead."""
        number = self._ack_number
        if number:
            self._open_status(number)

    # -- verify properties --------------------------------------------------------------
    def _get_verify_state(self) -> str:
        return self._state.value

    def _get_verdict(self) -> str:
        return self._verdict

    def _get_verdict_tone(self) -> str:
        return VERDICT_TONES.get(self._verdict, "bad") if self._verdict else ""

    def _get_verdict_title(self) -> str:
        msgid = VERDICT_TITLES.get(self._verdict)
        return translate(msgid, self._lang()) if msgid else ""

    def _get_verdict_title_other(self) -> str:
        msgid = VERDICT_TITLES.get(self._verdict)
        return translate(msgid, other_language(self._lang())) if msgid else ""

    def _get_verdict_text(self) -> str:
        lang = self._lang()
        if self._verdict == "acknowledgement":
            return tr(MSG_ACK_SENTENCE, lang)
        if self._verdict == "invalid":
            return tr(MSG_INVALID_SENTENCE, lang)
        v = self._verification
        return v.user_message(lang) if v is not None else ""

    def _get_verdict_notes(self) -> list[str]:
        """Extra lines under the verdict: cancellation date and reason, where to check online,
        and how fresh the offline lists are."""
        v, lang = self._verification, self._lang()
        if v is None:
            return []
        notes: list[str] = []
        if v.status == "revoked" and v.revocation is not None:
            day = local_date(v.revocation.revoked_at, lang, self._config.timezone)
            if day:
                notes.append(tr(MSG_REVOKED_ON, lang, date=day))
            if v.revocation.reason:
                notes.append(tr(MSG_REVOKED_REASON, lang, reason=v.revocation.reason))
        if v.status in ("unknown_issuer", "expired_key", "invalid"):
            notes.append(tr(MSG_VERIFY_ONLINE, lang, url=ONLINE_VERIFY_SITE))
        if v.status != "invalid":
            notes.append(v.as_of_message(lang, self._config.timezone))
        return notes

    def _get_certificate_rows(self) -> list[dict[str, str]]:
        """The certified facts as label/value rows (only when the signature checked out)."""
        v, lang = self._verification, self._lang()
        if v is None or v.certificate is None:
            return []
        cert = v.certificate
        other = other_language(lang)
        svc = self._catalogue.get(cert.cert_type) if self._catalogue is not None else None
        kind = (f"{svc.name.get(lang)} / {svc.name.get(other)}" if svc is not None
                else cert.cert_type)
        rows = [
            {"key": "number", "label": tr(MSG_LABEL_CERT_NO, lang),
             "value": cert.certificate_no},
            {"key": "type", "label": tr(MSG_LABEL_TYPE, lang), "value": kind},
            {"key": "holder", "label": tr(MSG_LABEL_HOLDER, lang), "value": cert.holder},
            {"key": "issued", "label": tr(MSG_LABEL_ISSUED, lang),
             "value": format_date(cert.issued_on, lang, "long")},
            {"key": "application", "label": tr(MSG_LABEL_APP_NO, lang),
             "value": cert.application_no},
        ]
        for name, value in cert.details.items():
            rows.append({"key": f"detail_{name}", "label": tr(MSG_LABEL_DETAIL, lang),
                         "value": _detail_text(name, value, lang)})
        rows.append({"key": "key", "label": tr(MSG_LABEL_KEY, lang),
                     "value": v.key_id or ""})
        return rows

    verifyState = qproperty(str, _get_verify_state, notify=verifyChanged)
    verdict = qproperty(str, _get_verdict, notify=verifyChanged)
    verdictTone = qproperty(str, _get_verdict_tone, notify=verifyChanged)
    verdictTitle = qproperty(str, _get_verdict_title, notify=verifyChanged)
    verdictTitleOther = qproperty(str, _get_verdict_title_other, notify=verifyChanged)
    verdictText = qproperty(str, _get_verdict_text, notify=verifyChanged)
    verdictNotes = qproperty(list, _get_verdict_notes, notify=verifyChanged)
    certificateRows = qproperty(list, _get_certificate_rows, notify=verifyChanged)



def _detail_text(name: str, value: str, lang: str) -> str:
    """A certified detail as one line ("Annual income: ₹1,20,000"), in ``lang``."""
    from kiosk.documents.certificate import DETAIL_LABELS

    label = DETAIL_LABELS.get(name)
    if label is None:
        return f"{name.replace('_', ' ').capitalize()}: {value}"
    if name == "income":
        digits = value.replace(",", "")
        amount = format_paise(int(digits) * 100, lang) if digits.isdigit() else value
        return translate(label, lang).format(amount=amount.removesuffix(".00"))
    return translate(label, lang).format(value=value)



__all__ = ["VERDICT_TITLES", "VERDICT_TONES", "VerifyState", "VerifyViewModel"]
