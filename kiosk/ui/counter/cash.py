"""The console's cash panel: what is due, take cash, change to return, the receipt, cash in hand.

Why a view-model of its own: cash is a concern apart from calling tokens (its own refusals, its
own printer state), and it lives at the centre service like everything else at the counter —
the panel holds only what the centre last said. Every request runs on the link's action worker
(one at a time, so a double Ctrl+M cannot take cash twice — and the centre answers a second
confirm with the same receipt anyway). The receipt prints on a worker of its own, so a printer
out of paper never blocks the next citizen's request; the payment is already recorded when the
print starts, and a failed print says why and offers Reprint (Ctrl+R).

``amount received`` is the note the citizen handed over; it is checked here (at least the
fee) and gives the change to return — the centre records the fee (or, for a service whose
catalogue entry allows it, the amount typed in the amount field).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.centre.desk_cash import parse_rupees
from kiosk.config import Config
from kiosk.errors import KioskError, PrinterError
from kiosk.i18n import N_
from kiosk.i18n.formatting import format_paise
from kiosk.ui.counter.desk_printer import DeskPrinter
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.messages import SaysMessages
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import Bilingual, both, problem_text, status_code
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

MSG_TAKEN = N_("Cash received: receipt {receipt}.")
MSG_ALREADY = N_("Already paid: receipt {receipt}. Press Reprint for a copy.")
MSG_TOO_LITTLE = N_("The amount received is less than the fee.")
MSG_NO_PRINTER = N_("There is no receipt printer at this counter.")
MSG_VOIDED = N_("Receipt {receipt} cancelled.")
MSG_REFUNDED = N_("Receipt {receipt} refunded.")
MSG_TYPE_NUMBER = N_("Type or scan the application number first.")


class CashViewModel(SaysMessages, QObject):
    """Properties for the cash panel (``applicationNo``, ``hasDue``, ``fee``, ``received``,
    ``change``, ``receiptNo``, ``receiptStatus``, ``printState``: "" | printing | printed |
    failed, ``cashInHand``, ``busy``, the message) and its slots (``lookUp``, ``takeCash``,
    ``reprint``, ``voidReceipt``)."""

    changed = Signal()
    messageChanged = Signal()
    printChanged = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 printer: DeskPrinter | None, config: Config,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell, self._link, self._login = shell, link, login
        self._printer, self._config = printer, config
        self._printing = BackgroundRunner(self)
        self._closed = False
        self._busy = False
        self._number = ""
        self._due: dict[str, Any] | None = None
        self._received = ""
        self._amount = ""
        self._receipt: dict[str, Any] | None = None
        self._summary: dict[str, Any] = {}
        self._print_state = ""
        self._print_error: Bilingual = {}
        self._message: Bilingual = {}
        self._message_kind = "info"
        for signal in (self.changed, self.messageChanged, self.printChanged):
            shell.languageChanged.connect(signal)
        self._refresh_again = False
        login.sessionStarted.connect(lambda _session: self.refresh())
        login.sessionEnded.connect(self._session_ended)

    # ------------------------------------------------------------------ requests
    def _request(self, what: str, call: Any, done: Any) -> None:
        session = self._login.session_token
        if self._busy or self._closed or session is None:
            return
        client = self._link.client
        self._set_busy(True)

        def ok(result: Any) -> None:
            self._set_busy(False)
            if not self._closed:
                done(result)
                self._refresh_if_asked()

        self._link.actions.submit(lambda: call(client, session), ok,
                                  lambda exc: self._refused(what, exc))

    def _refresh_if_asked(self) -> None:
        """A refresh asked for while another request was in flight runs now: the look-up of
        an application typed just after log-in was dropped while the log-in's own summary
        was still on its way, and the fee never showed."""
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _refused(self, what: str, exc: BaseException) -> None:
        self._set_busy(False)
        if self._closed:
            return
        if status_code(exc) == 401 and getattr(exc, "code", "") in ("no-session",
                                                                      "session-idle"):
            self._refresh_again = False
            self._login.end_session(problem_text(exc, what, log), tell_centre=False)
            return
        self._say(problem_text(exc, what, log), "error")
        self._refresh_if_asked()

    @Slot()
    def refresh(self) -> None:
        """Cash in hand (and what is due for the application on screen), from the centre."""
        if self._busy:
            self._refresh_again = True
            return
        number = self._number or None
        self._request("cash summary",
                      lambda c, s: dict(c.cash_summary(s, application_no=number)),
                      self._summarised)

    def _summarised(self, summary: dict[str, Any]) -> None:
        self._summary = summary
        due = summary.get("application")
        self._due = dict(due) if isinstance(due, dict) else None
        if self._due and isinstance(self._due.get("receipt"), dict):
            self._set_receipt(dict(self._due["receipt"]))
        self.changed.emit()

    @Slot(str)
    def lookUp(self, number: str) -> None:
        """The application the operator typed, scanned or has open: show its fee."""
        self._number = number.strip().upper()
        self._due, self._received, self._amount = None, "", ""
        self._set_receipt(None)
        self._say({})
        if self._number:
            self.refresh()
        self.changed.emit()

    @Slot(str)
    def setReceived(self, text: str) -> None:
        self._received = text
        self.changed.emit()

    @Slot(str)
    def setAmount(self, text: str) -> None:
        self._amount = text
        self.changed.emit()

    @Slot()
    def takeCash(self) -> None:
        """Record the cash for the application on screen; the receipt prints after."""
        if not self._number:
            self._say(both(MSG_TYPE_NUMBER), "error")
            return
        amount = self._amount_paise()
        if self._received.strip():
            received = self._parse(self._received)
            if received is None:
                return
            if amount is not None and received < amount:
                self._say(both(MSG_TOO_LITTLE), "error")
                return
        editable = bool((self._due or {}).get("amount_editable"))
        sent = amount if editable and self._amount.strip() else None
        number = self._number
        self._request("take cash",
                      lambda c, s: dict(c.confirm_cash(s, number, amount_paise=sent)),
                      self._taken)

    def _taken(self, receipt: dict[str, Any]) -> None:
        self._set_receipt(receipt)
        if receipt.get("already_paid"):
            self._say(both(MSG_ALREADY, receipt=receipt["receipt_no"]), "info")
        else:
            self._say(both(MSG_TAKEN, receipt=receipt["receipt_no"]), "done")
            self._print_receipt(receipt, reprint=False)
        self.refresh()

    @Slot()
    def reprint(self) -> None:
        """Print the receipt on screen again (audited at the centre as a reprint)."""
        if self._receipt is None:
            return
        number = str(self._receipt["receipt_no"])
        self._request("reprint receipt",
                      lambda c, s: dict(c.receipt(s, number, reprint=True)), self._reprinted)

    def _reprinted(self, receipt: dict[str, Any]) -> None:
        self._set_receipt(receipt)
        self._print_receipt(receipt, reprint=receipt.get("status") == "paid",
                            slip=receipt.get("status") != "paid")

    @Slot(str, str, str, bool, bool)
    def voidReceipt(self, supervisor: str, pin: str, reason: str, by_card: bool,
                    refund: bool) -> None:
        """Cancel (or refund) the receipt on screen with a supervisor's id or card + PIN."""
        if self._receipt is None:
            return
        number, who = str(self._receipt["receipt_no"]), supervisor.strip()
        kind = "refund" if refund else "void"

        def call(c: Any, s: str) -> dict[str, Any]:
            return dict(c.void_cash(s, number, pin=pin, reason=reason, kind=kind,
                                    supervisor_id=None if by_card else who,
                                    card_id=who if by_card else None))

        self._request("void receipt", call, self._voided)

    def _voided(self, receipt: dict[str, Any]) -> None:
        self._set_receipt(receipt)
        msg = MSG_REFUNDED if receipt.get("void_kind") == "refund" else MSG_VOIDED
        self._say(both(msg, receipt=receipt["receipt_no"]), "done")
        self._print_receipt(receipt, reprint=False, slip=True)
        self.refresh()

    # ------------------------------------------------------------------ printing
    def _print_receipt(self, receipt: dict[str, Any], *, reprint: bool,
                       slip: bool = False) -> None:
        printer, config, lang = self._printer, self._config, self._shell.language()
        self._set_print("printing", {})

        def work() -> str:
            from kiosk.catalogue import packaged_catalogue
            from kiosk.documents.cash_receipt import build_cash_receipt, build_void_slip

            if printer is None:
                raise PrinterError("no desk printer", message=MSG_NO_PRINTER)
            catalogue = packaged_catalogue()
            doc = (build_void_slip(receipt, catalogue, config, lang) if slip
                   else build_cash_receipt(receipt, catalogue, config, lang, reprint=reprint))
            if printer.print_document(doc) is None:
                raise PrinterError("no print pipeline", message=MSG_NO_PRINTER)
            return "printed"

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KioskError):
                self._set_print("failed", {"hi": exc.user_message("hi"),
                                           "en": exc.user_message("en")})
            else:
                log.error("receipt print failed unexpectedly", exc_info=exc)
                self._set_print("failed", both(KioskError.default_message))

        self._printing.submit(work, lambda state: self._set_print(state, {}), failed)

    # ------------------------------------------------------------------ plumbing
    def _amount_paise(self) -> int | None:
        if self._due is None:
            return None
        if self._due.get("amount_editable") and self._amount.strip():
            return self._parse(self._amount)
        return int(self._due.get("fee_paise") or 0)

    def _parse(self, text: str) -> int | None:
        try:
            return parse_rupees(text)
        except KioskError as exc:
            self._say({"hi": exc.user_message("hi"), "en": exc.user_message("en")}, "error")
            return None

    def _session_ended(self) -> None:
        self._number, self._due, self._received, self._amount = "", None, "", ""
        self._receipt, self._summary = None, {}
        self._set_print("", {})
        self._say({})
        self.changed.emit()

    def _set_receipt(self, receipt: dict[str, Any] | None) -> None:
        self._receipt = receipt
        if receipt is None:
            self._set_print("", {})
        self.changed.emit()

    def _set_print(self, state: str, error: Bilingual) -> None:
        if self._closed:
            return
        self._print_state, self._print_error = state, error
        self.printChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.changed.emit()

    def shutdown(self) -> None:
        self._closed = True
        self._printing.shutdown()

    # ------------------------------------------------------------------ QML
    def _money(self, paise: int | None) -> str:
        return "" if paise is None else format_paise(paise, self._lang())

    def _get_application_no(self) -> str:
        return self._number

    def _get_has_due(self) -> bool:
        return self._due is not None

    def _get_fee(self) -> str:
        return self._money(None if self._due is None else int(self._due.get("fee_paise") or 0))

    def _get_amount_editable(self) -> bool:
        return bool((self._due or {}).get("amount_editable"))

    def _get_upi_paid(self) -> bool:
        return bool((self._due or {}).get("upi_paid"))

    def _get_received(self) -> str:
        return self._received

    def _get_change(self) -> str:
        amount = self._amount_paise_quiet()
        try:
            received = parse_rupees(self._received) if self._received.strip() else None
        except KioskError:
            received = None
        if amount is None or received is None or received < amount:
            return ""
        return self._money(received - amount)

    def _amount_paise_quiet(self) -> int | None:
        if self._due is None:
            return None
        if self._due.get("amount_editable") and self._amount.strip():
            try:
                return parse_rupees(self._amount)
            except KioskError:
                return None
        return int(self._due.get("fee_paise") or 0)

    def _get_can_take(self) -> bool:
        return (not self._busy and self._due is not None and not self._get_upi_paid()
                and (self._receipt is None or self._receipt.get("status") != "paid"))

    def _get_receipt_no(self) -> str:
        return str((self._receipt or {}).get("receipt_no") or "")

    def _get_receipt_status(self) -> str:
        return str((self._receipt or {}).get("status") or "")

    def _get_receipt_amount(self) -> str:
        if self._receipt is None:
            return ""
        return self._money(int(self._receipt.get("amount_paise") or 0))

    def _get_cash_in_hand(self) -> str:
        return self._money(int(self._summary.get("session_cash_in_hand_paise") or 0))

    def _get_cash_today(self) -> str:
        return self._money(int(self._summary.get("day_cash_in_hand_paise") or 0))

    def _get_receipt_count(self) -> int:
        return sum(1 for r in self._summary.get("receipts") or [] if r.get("status") == "paid")

    def _get_print_state(self) -> str:
        return self._print_state

    def _get_print_error(self) -> str:
        return self._print_error.get(self._lang(), "")

    def _get_print_error_other(self) -> str:
        return self._print_error.get(self._shell.other_language(), "")

    def _get_busy(self) -> bool:
        return self._busy

    applicationNo = Property(str, _get_application_no, notify=changed)
    hasDue = Property(bool, _get_has_due, notify=changed)
    fee = Property(str, _get_fee, notify=changed)
    amountEditable = Property(bool, _get_amount_editable, notify=changed)
    upiPaid = Property(bool, _get_upi_paid, notify=changed)
    received = Property(str, _get_received, notify=changed)
    change = Property(str, _get_change, notify=changed)
    canTake = Property(bool, _get_can_take, notify=changed)
    receiptNo = Property(str, _get_receipt_no, notify=changed)
    receiptStatus = Property(str, _get_receipt_status, notify=changed)
    receiptAmount = Property(str, _get_receipt_amount, notify=changed)
    cashInHand = Property(str, _get_cash_in_hand, notify=changed)
    cashToday = Property(str, _get_cash_today, notify=changed)
    receiptCount = Property(int, _get_receipt_count, notify=changed)
    printState = Property(str, _get_print_state, notify=printChanged)
    printError = Property(str, _get_print_error, notify=printChanged)
    printErrorOther = Property(str, _get_print_error_other, notify=printChanged)
    busy = Property(bool, _get_busy, notify=changed)
    message = Property(str, SaysMessages._get_message, notify=messageChanged)
    messageOther = Property(str, SaysMessages._get_message_other, notify=messageChanged)
    messageKind = Property(str, SaysMessages._get_message_kind, notify=messageChanged)


__all__ = ["CashViewModel"]
