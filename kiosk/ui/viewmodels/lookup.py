"""Application status look-up and certificate verification: the state behind two screens.

**Status** (``session.screen == "status"``). A citizen types the number printed on their
acknowledgement, or holds its QR code (``ACK:<number>``) to the scanner. The kiosk's own record
is shown at once (it is on this machine's disk); then, off the GUI thread, the central server is
asked for the current status. Its answer replaces the local status and is saved, so the next
offline look-up can say "last checked …". Every outcome says where the status came from:
the central server just now, or this kiosk's records (server unreachable, not configured, or
the application not uploaded yet). The acknowledgement can be printed again from here: a crash
between "Submit" and the slip leaves the application stored, and this is where it is found.

**Verify** (``"verify"``). A certificate's QR code (scanner, or pasted by an operator) is
verified offline against the issuer keys and the revocation list this kiosk last synced
(:mod:`kiosk.certificates`, imported lazily: the cryptography stack is not needed to start).

Privacy: both screens are wiped when the citizen leaves them and on every session reset; the
log gets outcomes only, never a number, a name or a scanned text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.applications import (
    MSG_BAD_NUMBER,
    OUTBOX_KIND,
    Application,
    ApplicationService,
    check_character,
    normalise_application_no,
)
from kiosk.catalogue import Catalogue, Service
from kiosk.config import Config
from kiosk.documents.acknowledgement import (
    MSG_NO_FEE,
    MSG_PAID_CASH,
    MSG_PAID_UPI,
    MSG_PAY_CASH,
    print_acknowledgement,
)
from kiosk.errors import ValidationError
from kiosk.i18n import N_, normalise_language, translate
from kiosk.i18n.formatting import format_date, format_paise, format_time
from kiosk.payments import FAILED, PAID
from kiosk.store import Store
from kiosk.ui.text import error_messages, other_language
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import Screen, SessionViewModel
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from backend_client import ApplicationStatus
    from backend_client.client import BackendClient
    from kiosk.certificates import Verification
    from kiosk.sync.runtime import SyncRuntime

log = logging.getLogger(__name__)

# -- status texts ---------------------------------------------------------------------------

MSG_NOT_FOUND = N_("This application number was not found at this centre. Please check the "
                   "number, or ask at the counter.")
MSG_EMPTY = N_("Please type the application number first.")

STATUS_SENTENCES: dict[str, str] = {
    "submitted": N_("Your application has been received. Work on it will start soon."),
    "in_process": N_("Your application is being processed."),
    "awaiting_citizen": N_("Waiting for you: please bring the missing documents to the "
                           "counter."),
    "approved": N_("Approved — collect your certificate at the counter."),
    "rejected": N_("Rejected. Please ask at the counter for the reason."),
    "delivered": N_("Completed — your certificate has been given to you."),
}
MSG_REJECTED_REMARKS = N_("Rejected: {remarks}")
MSG_AWAITING_REMARKS = N_("Waiting for you: {remarks}")
MSG_OTHER_STATUS = N_("Current status: {status}")
#: The colour family of each status on screen (see StatusScreen.qml).
STATUS_TONES: dict[str, str] = {
    "submitted": "info", "in_process": "info", "awaiting_citizen": "wait",
    "approved": "good", "delivered": "good", "rejected": "bad"}
#: Statuses after which nothing more is owed to the citizen.
FINAL_STATUSES = frozenset({"approved", "rejected", "delivered"})
MSG_OVERDUE = N_("The guaranteed date has passed. You can complain on the CM Helpline "
                 "{number}.")

MSG_SOURCE_CHECKING = N_("Checking with the central server…")
MSG_SOURCE_ONLINE = N_("Status from the central server, checked just now.")
MSG_SOURCE_OFFLINE = N_("The central server cannot be reached right now. Showing this kiosk's "
                        "records.")
MSG_SOURCE_OFFLINE_CHECKED = N_("The central server cannot be reached right now. Showing this "
                                "kiosk's records (last checked {when}).")
MSG_SOURCE_NOT_SENT = N_("This application has not reached the central server yet; the kiosk "
                         "sends it automatically. Showing this kiosk's records.")
MSG_SOURCE_LOCAL = N_("Showing this kiosk's records.")
MSG_SOURCE_LOCAL_CHECKED = N_("Showing this kiosk's records (last checked {when}).")

MSG_PAID = N_("Paid")
MSG_UPI_PENDING = N_("UPI payment not confirmed yet. Please ask at the counter.")
MSG_PAY_FAILED = N_("The payment did not go through. Please pay at the counter.")

MSG_NO_PRINTER = N_("The printer could not print your slip. Please ask at the counter.")

# -- verification texts ---------------------------------------------------------------------

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

# Look-up outcomes (``statusState``) and where a status came from (``sourceState``).
IDLE, SEARCHING, FOUND, INVALID, NOT_FOUND, ERROR = (
    "idle", "searching", "found", "invalid", "not_found", "error")
CHECKING, ONLINE, OFFLINE, NOT_SENT, LOCAL = "checking", "online", "offline", "not_sent", "local"


class StatusClient(Protocol):
    """What the look-up needs from the backend (``backend_client.BackendClient``)."""

    def application_status(self, application_no: str) -> ApplicationStatus: ...


@dataclass(frozen=True)
class _Found:
    """One local look-up's result, read on the worker thread."""

    app: Application
    service: Service | None
    checked_at: str | None
    uploaded: bool
    helpline: str


@dataclass(frozen=True)
class _Remote:
    source: str
    status: str | None = None
    remarks: str | None = None


def _tr(msgid: str, lang: str, **values: str) -> str:
    text = translate(msgid, lang)
    return text.format(**values) if values else text



def expand_application_no(text: str, centre_code: str) -> str:
    """What the citizen typed, with this centre's dashes put back when they left them out.

    Typing ``-`` on an on-screen keyboard means a layout switch; a number typed as
    ``MPBPLHZR2026112200071`` (or with spaces, or without the centre's letters:
    ``2026112200071``) is read as this centre's ``MP-BPL-HZR-20261122-0007-1``. Anything
    else is returned as typed (upper case, no spaces), for
    :func:`kiosk.applications.normalise_application_no` to judge.
    """
    t = re.sub(r"\s+", "", text or "").upper()
    if t.startswith("ACK:"):
        t = t[4:]
    if "-" in t:
        return t
    centre = centre_code.upper()
    compact = re.sub(r"[^0-9A-Z]", "", centre)
    rest = t[len(compact):] if compact and t.startswith(compact) else t
    m = re.fullmatch(r"(\d{8})(\d{4,6})([0-9A-Z])", rest)
    if m is None:
        return t
    return f"{centre}-{m.group(1)}-{m.group(2)}-{m.group(3)}"


def status_sentence(status: str, remarks: str | None, lang: str) -> str:
    """The status as a plain sentence in ``lang``; remarks (from the office) when there are."""
    note = (remarks or "").strip()
    if status == "rejected" and note:
        return _tr(MSG_REJECTED_REMARKS, lang, remarks=note)
    if status == "awaiting_citizen" and note:
        return _tr(MSG_AWAITING_REMARKS, lang, remarks=note)
    msgid = STATUS_SENTENCES.get(status)
    if msgid is None:
        return _tr(MSG_OTHER_STATUS, lang, status=status)
    return _tr(msgid, lang)


def payment_sentence(app: Application, lang: str) -> str:
    """Fee and payment state in ``lang``: paid (with its reference), to pay, or no fee."""
    if app.fee_paise == 0:
        return _tr(MSG_NO_FEE, lang)
    amount = format_paise(app.fee_paise, lang)
    pay = app.payment
    if pay is not None and pay.status == PAID:
        ref = pay.reference
        if ref and pay.method == "upi":
            return f"{amount} — {_tr(MSG_PAID_UPI, lang, ref=ref)}"
        if ref:
            return f"{amount} — {_tr(MSG_PAID_CASH, lang, ref=ref)}"
        return f"{amount} — {_tr(MSG_PAID, lang)}"
    if pay is not None and pay.status == FAILED:
        return f"{amount} — {_tr(MSG_PAY_FAILED, lang)}"
    if pay is not None and pay.method == "upi":
        return f"{amount} — {_tr(MSG_UPI_PENDING, lang)}"
    return _tr(MSG_PAY_CASH, lang, amount=amount)


def checked_text(stamp: str | None, lang: str, tz: str) -> str | None:
    """``22 नव॰ 2026, 4:05 pm``-style local time of a stored timestamp, or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    return f"{format_date(when, lang, 'medium')}, {format_time(when, lang)}"


def local_date(stamp: str | None, lang: str, tz: str) -> str | None:
    """The local calendar date of a stored timestamp (``20 नव॰ 2026``), or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    return format_date(when, lang, "medium")


def source_sentence(source: str, checked_at: str | None, lang: str, tz: str) -> str:
    """Where the status on screen came from, in ``lang``."""
    when = checked_text(checked_at, lang, tz)
    if source == CHECKING:
        return _tr(MSG_SOURCE_CHECKING, lang)
    if source == ONLINE:
        return _tr(MSG_SOURCE_ONLINE, lang)
    if source == NOT_SENT:
        return _tr(MSG_SOURCE_NOT_SENT, lang)
    if source == OFFLINE:
        return (_tr(MSG_SOURCE_OFFLINE_CHECKED, lang, when=when) if when
                else _tr(MSG_SOURCE_OFFLINE, lang))
    return _tr(MSG_SOURCE_LOCAL_CHECKED, lang, when=when) if when else _tr(MSG_SOURCE_LOCAL, lang)


def is_overdue(status: str, due: date, today: date) -> bool:
    """Past the guaranteed date with the office still owing a decision."""
    return status not in FINAL_STATUSES and today > due


class LookupViewModel(QObject):
    """The status and verify screens' state; QML binds to it as ``lookup``."""

    statusChanged = Signal()
    printChanged = Signal()
    verifyChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config, store: Store,
                 applications: ApplicationService, printer: Any | None, scans: ScanRouter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._store = store
        self._applications = applications
        self._printer = printer
        self._scans = scans
        #: Local reads, verification and printing: one thread, so a reprint never races a read.
        self._runner = BackgroundRunner(self)
        #: The central server, on its own thread: a slow network never delays a reprint.
        self._net = BackgroundRunner(self)
        self._sync_source: Callable[[], SyncRuntime | None] | None = None
        self._client_lock = threading.Lock()
        self._own_client: BackendClient | None = None
        self._own_client_made = False
        self._generation = 0
        self._verify_generation = 0
        self._clear_status()
        self._clear_verify()
        scans.scanned.connect(self._on_scanned)
        session.sessionReset.connect(self.clear)
        session.screenChanged.connect(self._on_screen)
        session.languageChanged.connect(self._on_language)

    # ----------------------------------------------------------------- wiring
    def attach_sync(self, source: Callable[[], SyncRuntime | None]) -> None:
        """Ask the backend through the running sync runtime (``lambda: kiosk.sync``); it
        knows the embedded backend's address and the kiosk's credential. Without it (or while
        it is None) a ``[backend] url`` with a token is used directly."""
        self._sync_source = source

    def set_status_client(self, client: StatusClient | None) -> None:
        """Use ``client`` for status look-ups (screenshots: a canned central server)."""
        with self._client_lock:
            self._own_client, self._own_client_made = client, True  # type: ignore[assignment]

    def _client(self) -> StatusClient | None:
        """The backend to ask, or None when none is configured (worker thread)."""
        runtime = self._sync_source() if self._sync_source is not None else None
        if runtime is not None:
            return runtime.client
        with self._client_lock:
            if not self._own_client_made:
                self._own_client_made = True
                self._own_client = self._make_client()
            return self._own_client

    def _make_client(self) -> BackendClient | None:
        from kiosk.sync.runtime import direct_client

        return direct_client(self._config, self._store, quick=True)

    # ----------------------------------------------------------------- common
    def _lang(self) -> str:
        return normalise_language(str(self._session.property("language")))[0]

    def _screen(self) -> str:
        return str(self._session.property("screen"))

    @Slot()
    def clear(self) -> None:
        """Forget everything shown on both screens (session reset, leaving a screen)."""
        self._clear_status()
        self._clear_verify()
        self.statusChanged.emit()
        self.printChanged.emit()
        self.verifyChanged.emit()

    def _on_screen(self) -> None:
        screen = self._screen()
        if screen != Screen.STATUS and (self._state != IDLE or self._print_state != IDLE):
            self._clear_status()
            self.statusChanged.emit()
            self.printChanged.emit()
        if screen != Screen.VERIFY and self._verify_state != IDLE:
            self._clear_verify()
            self.verifyChanged.emit()

    def _on_language(self) -> None:
        self.statusChanged.emit()
        self.printChanged.emit()
        self.verifyChanged.emit()

    @Slot(str)
    def _on_scanned(self, text: str) -> None:
        screen = self._screen()
        if screen == Screen.STATUS:
            self.search(text)
        elif screen == Screen.VERIFY:
            self.verify(text)

    def shutdown(self) -> None:
        """Wait for a look-up, a verification or a reprint in flight (app quit, tests)."""
        self._generation += 1
        self._runner.shutdown()
        self._net.shutdown()
        with self._client_lock:
            client, self._own_client = self._own_client, None
        closer = getattr(client, "close", None)
        if callable(closer):
            closer()

    # ================================================================= status
    def _clear_status(self) -> None:
        self._generation += 1
        self._state = IDLE
        self._error: dict[str, str] = {}
        self._found: _Found | None = None
        self._remote = _Remote(LOCAL)
        self._print_state = IDLE
        self._print_error: dict[str, str] = {}

    @Slot(str)
    def search(self, text: str) -> None:
        """Look up ``text`` (typed number, or a scanned ``ACK:`` code)."""
        if not (text or "").strip():
            self._show_error(INVALID, MSG_EMPTY)
            return
        self._clear_status()
        self._state = SEARCHING
        self.statusChanged.emit()
        self.printChanged.emit()
        generation = self._generation
        number = expand_application_no(text, self._config.centre_code)
        apps = self._applications

        def job() -> _Found | None:
            app = apps.lookup(number)  # ValidationError when the check character is wrong
            if app is None:
                return None
            conn = self._store.conn
            row = conn.execute("SELECT status_checked_at FROM applications WHERE "
                               "application_no = ?", (app.application_no,)).fetchone()
            sent = conn.execute("SELECT state FROM outbox WHERE kind = ? AND record_id = ?",
                                (OUTBOX_KIND, app.application_no)).fetchone()
            catalogue: Catalogue = apps.catalogue()
            return _Found(app, catalogue.get(app.service_code), row[0] if row else None,
                          sent is None or sent[0] == "done", catalogue.helpline)

        self._runner.submit(job, lambda found: self._looked_up(generation, found),
                            lambda exc: self._lookup_failed(generation, exc))

    def _show_error(self, state: str, msgid: str) -> None:
        self._clear_status()
        self._state = state
        self._error = {"hi": translate(msgid, "hi"), "en": translate(msgid, "en")}
        self.statusChanged.emit()
        self.printChanged.emit()

    def _looked_up(self, generation: int, found: _Found | None) -> None:
        if generation != self._generation:
            return
        if found is None:
            log.info("status look-up: not found at this centre")
            self._show_error(NOT_FOUND, MSG_NOT_FOUND)
            return
        self._found = found
        self._state = FOUND
        self._remote = _Remote(CHECKING)
        self.statusChanged.emit()
        number = found.app.application_no
        apps = self._applications

        def ask() -> _Remote:
            from backend_client import AuthError, BackendClientError, RejectedError

            client = self._client()
            if client is None:
                return _Remote(LOCAL)
            try:
                answer = client.application_status(number)
            except AuthError as exc:
                log.warning("status look-up: backend refused the kiosk (%s)", exc)
                return _Remote(OFFLINE)
            except RejectedError as exc:
                if exc.status == 404:
                    return _Remote(NOT_SENT)
                log.warning("status look-up: backend rejected the request (%s)", exc)
                return _Remote(OFFLINE)
            except BackendClientError as exc:
                log.info("status look-up: backend unreachable (%s)", type(exc).__name__)
                return _Remote(OFFLINE)
            if answer.status not in STATUS_TONES:
                log.warning("status look-up: backend sent unknown status %r", answer.status)
            apps.set_remote_status(number, answer.status)
            return _Remote(ONLINE, answer.status, answer.remarks)

        self._net.submit(ask, lambda remote: self._answered(generation, remote),
                         lambda exc: self._answer_failed(generation, exc))

    def _lookup_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, ValidationError):
            log.info("status look-up: not a valid application number")
            self._show_error(INVALID, MSG_BAD_NUMBER)
            return
        self._clear_status()
        self._state = ERROR
        self._error = error_messages(exc, "looking up an application", log)
        self.statusChanged.emit()

    def _answered(self, generation: int, remote: _Remote) -> None:
        if generation != self._generation:
            return
        if remote.source == NOT_SENT and self._found is not None and self._found.uploaded:
            # Uploaded, yet unknown there: say "this kiosk's records", not "will be sent".
            remote = _Remote(OFFLINE)
        log.info("status look-up: found (%s)", remote.source)
        self._remote = remote
        self.statusChanged.emit()

    def _answer_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.error("status look-up: asking the backend failed", exc_info=exc)
        self._remote = _Remote(OFFLINE)
        self.statusChanged.emit()

    @Slot()
    def clearStatus(self) -> None:
        """"Check another number": back to the empty entry."""
        self._clear_status()
        self.statusChanged.emit()
        self.printChanged.emit()

    @Slot()
    def reprintAcknowledgement(self) -> None:
        """Print the found application's acknowledgement again (a lost or never-printed slip)."""
        found = self._found
        if found is None or self._print_state == "printing":
            return
        self._print_state = "printing"
        self._print_error = {}
        self.printChanged.emit()
        generation, lang = self._generation, self._lang()
        printer, apps, config = self._printer, self._applications, self._config
        number = found.app.application_no

        def job() -> None:
            print_acknowledgement(printer, apps, config, number, lang,
                                  no_printer_message=MSG_NO_PRINTER, fallback=found.app)

        self._runner.submit(job, lambda _r: self._printed(generation),
                            lambda exc: self._print_failed(generation, exc))

    def _printed(self, generation: int) -> None:
        if generation != self._generation:
            return
        log.info("acknowledgement printed again")
        self._print_state = "printed"
        self.printChanged.emit()

    def _print_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._print_state = "failed"
        self._print_error = error_messages(exc, "printing an acknowledgement again", log)
        self.printChanged.emit()

    # -- status properties --------------------------------------------------------------
    def _status_now(self) -> str:
        if self._found is None:
            return ""
        return self._remote.status or self._found.app.status

    def _get_state(self) -> str:
        return self._state

    def _get_error_text(self) -> str:
        return self._error.get(self._lang(), "")

    def _get_error_text_other(self) -> str:
        return self._error.get(other_language(self._lang()), "")

    def _get_application_no(self) -> str:
        return self._found.app.application_no if self._found else ""

    def _get_service_name(self) -> str:
        f = self._found
        if f is None:
            return ""
        return f.service.name.get(self._lang()) if f.service else f.app.service_code

    def _get_service_name_other(self) -> str:
        f = self._found
        if f is None or f.service is None:
            return ""
        return f.service.name.get(other_language(self._lang()))

    def _get_applicant_name(self) -> str:
        return self._found.app.applicant_name(self._lang()) if self._found else ""

    def _get_submitted_text(self) -> str:
        if self._found is None:
            return ""
        when = self._found.app.submitted_at
        lang = self._lang()
        return f"{format_date(when, lang, 'long')}, {format_time(when, lang)}"

    def _get_due_text(self) -> str:
        return format_date(self._found.app.due_date, self._lang(), "long") if self._found else ""

    def _get_status_code(self) -> str:
        return self._status_now()

    def _get_status_text(self) -> str:
        status = self._status_now()
        return status_sentence(status, self._remote.remarks, self._lang()) if status else ""

    def _get_status_tone(self) -> str:
        return STATUS_TONES.get(self._status_now(), "info")

    def _get_overdue_text(self) -> str:
        f = self._found
        if f is None:
            return ""
        today = self._applications.now().date()
        if not is_overdue(self._status_now(), f.app.due_date, today):
            return ""
        return _tr(MSG_OVERDUE, self._lang(), number=f.helpline)

    def _get_payment_text(self) -> str:
        return payment_sentence(self._found.app, self._lang()) if self._found else ""

    def _get_payment_settled(self) -> bool:
        return bool(self._found and self._found.app.paid)

    def _get_source(self) -> str:
        return self._remote.source if self._found else ""

    def _get_source_text(self) -> str:
        if self._found is None:
            return ""
        return source_sentence(self._remote.source, self._found.checked_at, self._lang(),
                               self._config.timezone)

    def _get_print_state(self) -> str:
        return self._print_state

    def _get_print_error(self) -> str:
        return self._print_error.get(self._lang(), "")

    def _get_print_error_other(self) -> str:
        return self._print_error.get(other_language(self._lang()), "")

    def _get_number_example(self) -> str:
        body = f"{self._config.centre_code.upper()}-{self._applications.now():%Y%m%d}-0007"
        return f"{body}-{check_character(body)}"

    statusState = Property(str, _get_state, notify=statusChanged)
    statusError = Property(str, _get_error_text, notify=statusChanged)
    statusErrorOther = Property(str, _get_error_text_other, notify=statusChanged)
    applicationNo = Property(str, _get_application_no, notify=statusChanged)
    serviceName = Property(str, _get_service_name, notify=statusChanged)
    serviceNameOther = Property(str, _get_service_name_other, notify=statusChanged)
    applicantName = Property(str, _get_applicant_name, notify=statusChanged)
    submittedText = Property(str, _get_submitted_text, notify=statusChanged)
    dueText = Property(str, _get_due_text, notify=statusChanged)
    statusCode = Property(str, _get_status_code, notify=statusChanged)
    statusText = Property(str, _get_status_text, notify=statusChanged)
    statusTone = Property(str, _get_status_tone, notify=statusChanged)
    overdueText = Property(str, _get_overdue_text, notify=statusChanged)
    paymentText = Property(str, _get_payment_text, notify=statusChanged)
    paymentSettled = Property(bool, _get_payment_settled, notify=statusChanged)
    source = Property(str, _get_source, notify=statusChanged)
    sourceText = Property(str, _get_source_text, notify=statusChanged)
    printState = Property(str, _get_print_state, notify=printChanged)
    printError = Property(str, _get_print_error, notify=printChanged)
    printErrorOther = Property(str, _get_print_error_other, notify=printChanged)
    numberExample = Property(str, _get_number_example, constant=True)

    # ================================================================= verify
    def _clear_verify(self) -> None:
        self._verify_generation += 1
        self._verify_state = IDLE
        self._verdict = ""
        self._verification: Verification | None = None
        self._ack_number = ""
        self._catalogue: Catalogue | None = None

    @Slot(str)
    def verify(self, text: str) -> None:
        """Verify a certificate's QR text offline (scanned, or pasted by an operator)."""
        if not (text or "").strip():
            return
        self._clear_verify()
        ack = normalise_application_no(expand_application_no(text, self._config.centre_code))
        if ack is not None:
            # An acknowledgement held to the scanner: say so and offer its status.
            self._verify_state = "done"
            self._verdict = "acknowledgement"
            self._ack_number = ack
            self.verifyChanged.emit()
            return
        self._verify_state = "checking"
        self.verifyChanged.emit()
        generation = self._verify_generation
        store, apps = self._store, self._applications

        def job() -> tuple[Verification, Catalogue]:
            from kiosk.certificates import load_trust

            trust = load_trust(store.conn)
            return trust.verify(text), apps.catalogue()

        self._runner.submit(job, lambda result: self._verified(generation, *result),
                            lambda exc: self._verify_failed(generation, exc))

    def _verified(self, generation: int, verification: Verification,
                  catalogue: Catalogue) -> None:
        if generation != self._verify_generation:
            return
        log.info("certificate verified: %s", verification.status)
        self._verification = verification
        self._catalogue = catalogue
        self._verdict = verification.status
        self._verify_state = "done"
        self.verifyChanged.emit()

    def _verify_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._verify_generation:
            return
        log.error("certificate verification failed", exc_info=exc)
        self._verdict = "invalid"
        self._verify_state = "done"
        self.verifyChanged.emit()

    @Slot()
    def clearVerify(self) -> None:
        """"Verify another certificate"."""
        self._clear_verify()
        self.verifyChanged.emit()

    @Slot()
    def openAcknowledgementStatus(self) -> None:
        """From the verify screen: an acknowledgement was scanned; show its status instead."""
        number = self._ack_number
        if not number:
            return
        self._session.openService(Screen.STATUS.value)
        self.search(number)

    # -- verify properties --------------------------------------------------------------
    def _get_verify_state(self) -> str:
        return self._verify_state

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
            return _tr(MSG_ACK_SENTENCE, lang)
        if self._verdict == "invalid":
            return _tr(MSG_INVALID_SENTENCE, lang)
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
                notes.append(_tr(MSG_REVOKED_ON, lang, date=day))
            if v.revocation.reason:
                notes.append(_tr(MSG_REVOKED_REASON, lang, reason=v.revocation.reason))
        if v.status in ("unknown_issuer", "expired_key", "invalid"):
            notes.append(_tr(MSG_VERIFY_ONLINE, lang, url=ONLINE_VERIFY_SITE))
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
            {"key": "number", "label": _tr(MSG_LABEL_CERT_NO, lang),
             "value": cert.certificate_no},
            {"key": "type", "label": _tr(MSG_LABEL_TYPE, lang), "value": kind},
            {"key": "holder", "label": _tr(MSG_LABEL_HOLDER, lang), "value": cert.holder},
            {"key": "issued", "label": _tr(MSG_LABEL_ISSUED, lang),
             "value": format_date(cert.issued_on, lang, "long")},
            {"key": "application", "label": _tr(MSG_LABEL_APP_NO, lang),
             "value": cert.application_no},
        ]
        for name, value in cert.details.items():
            rows.append({"key": f"detail_{name}", "label": _tr(MSG_LABEL_DETAIL, lang),
                         "value": _detail_text(name, value, lang)})
        rows.append({"key": "key", "label": _tr(MSG_LABEL_KEY, lang),
                     "value": v.key_id or ""})
        return rows

    verifyState = Property(str, _get_verify_state, notify=verifyChanged)
    verdict = Property(str, _get_verdict, notify=verifyChanged)
    verdictTone = Property(str, _get_verdict_tone, notify=verifyChanged)
    verdictTitle = Property(str, _get_verdict_title, notify=verifyChanged)
    verdictTitleOther = Property(str, _get_verdict_title_other, notify=verifyChanged)
    verdictText = Property(str, _get_verdict_text, notify=verifyChanged)
    verdictNotes = Property("QVariantList", _get_verdict_notes, notify=verifyChanged)
    certificateRows = Property("QVariantList", _get_certificate_rows, notify=verifyChanged)


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
