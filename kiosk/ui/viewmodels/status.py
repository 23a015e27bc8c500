"""Application status look-up (``session.screen == "status"``; QML: ``lookup.status``).

A citizen types the number printed on their acknowledgement, or holds its QR code
(``ACK:<number>``) to the scanner. The kiosk's own record is shown at once (it is on this
machine's disk); then, off the GUI thread, the central server is asked for the current status.
Its answer replaces the local status and is saved, so the next offline look-up can say "last
checked …". Every outcome says where the status came from: the central server just now, or this
kiosk's records (server unreachable, not configured, or the application not uploaded yet). The
acknowledgement can be printed again from here: a crash between "Submit" and the slip leaves the
application stored, and this is where it is found.

Privacy: numbers are easy to guess (a daily sequence with a check character), so without proof
of possession the screen shows only the status and a masked name ("सु*** दे***"); the service,
dates, fee, office remarks and "print again" need the acknowledgement's QR (its secret) or the
last four digits of the registered mobile (:meth:`ApplicationLookup.prove`, rate-limited per
kiosk). The screen is wiped when the citizen leaves it and on every session reset; the log gets
outcomes only, never a number, a name, a digit or a scanned text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.application_lookup import ApplicationLookup, LocalStatus, ProofResult
from kiosk.applications import MSG_BAD_NUMBER, ApplicationService, check_character, split_proof
from kiosk.config import Config
from kiosk.documents.acknowledgement import print_acknowledgement
from kiosk.errors import ValidationError
from kiosk.i18n import normalise_language, translate
from kiosk.i18n.formatting import format_date, format_number, format_time
from kiosk.masking import mask_name
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import error_messages, other_language
from kiosk.ui.viewmodels import status_text as st
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import PrintState
from kiosk.ui.viewmodels.status_text import Source
from kiosk.ui.workers import BackgroundRunner

if TYPE_CHECKING:
    from backend_client import ApplicationStatus
    from backend_client.client import BackendClient
    from kiosk.sync.runtime import SyncRuntime

log = logging.getLogger(__name__)


class LookupState(StrEnum):
    """The look-up's outcome (``statusState``)."""

    IDLE = "idle"
    SEARCHING = "searching"
    FOUND = "found"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    ERROR = "error"


class ProofState(StrEnum):
    """Proof of possession of the application shown (``proofState``)."""

    NONE = "none"          # not proven: status and masked name only
    CHECKING = "checking"
    WRONG = "wrong"        # the digits did not match (``proofError`` says how many tries left)
    LOCKED = "locked"      # too many wrong proofs on this kiosk: wait (``proofError``)
    PROVEN = "proven"


class StatusClient(Protocol):
    """What the look-up needs from the backend (``backend_client.BackendClient``)."""

    def application_status(self, application_no: str) -> ApplicationStatus: ...


@dataclass(frozen=True)
class _Remote:
    source: Source
    status: str | None = None
    remarks: str | None = None


class StatusViewModel(QObject):
    """The status screen's state (``lookup.status``)."""

    statusChanged = Signal()
    printChanged = Signal()
    proofChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, printer: Any | None,
                 runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._applications = applications
        self._records = ApplicationLookup(applications)
        self._printer = printer
        #: Local reads and printing: one thread shared with verify, so a reprint never races
        #: a read.
        self._runner = runner
        #: The central server, on its own thread: a slow network never delays a reprint.
        self._net = BackgroundRunner(self)
        self._sync_source: Callable[[], SyncRuntime | None] | None = None
        self._client_lock = threading.Lock()
        self._own_client: BackendClient | None = None
        self._own_client_made = False
        self._generation = 0
        self.wipe()
        session.languageChanged.connect(self.statusChanged)
        session.languageChanged.connect(self.printChanged)
        session.languageChanged.connect(self.proofChanged)

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

        return direct_client(self._config, self._applications.store, quick=True)

    def _lang(self) -> str:
        return normalise_language(str(self._session.property("language")))[0]

    @property
    def idle(self) -> bool:
        return self._state is LookupState.IDLE and self._print_state is PrintState.IDLE

    def shutdown(self) -> None:
        """Wait for a question to the backend in flight; close the client made here."""
        self._generation += 1
        self._net.shutdown()
        with self._client_lock:
            client, self._own_client = self._own_client, None
        closer = getattr(client, "close", None)
        if callable(closer):
            closer()

    # ----------------------------------------------------------------- look-up
    def wipe(self) -> None:
        """Forget the application shown (leaving the screen, session reset)."""
        self._generation += 1
        self._state = LookupState.IDLE
        self._error: dict[str, str] = {}
        self._found: LocalStatus | None = None
        self._remote = _Remote(Source.LOCAL)
        self._print_state = PrintState.IDLE
        self._print_error: dict[str, str] = {}
        self._proof = ProofState.NONE
        self._proof_error: dict[str, str] = {}
        self.proofChanged.emit()

    def _is_proven(self) -> bool:
        return self._found is not None and self._proof is ProofState.PROVEN

    @Slot(str)
    def search(self, text: str) -> None:
        """Look up ``text`` (typed number, or a scanned ``ACK:<number>.<secret>`` code)."""
        if not (text or "").strip():
            self._show_error(LookupState.INVALID, st.MSG_EMPTY)
            return
        self.wipe()
        self._state = LookupState.SEARCHING
        self.statusChanged.emit()
        self.printChanged.emit()
        generation = self._generation
        rest, secret = split_proof(text)
        number = st.expand_application_no(rest, self._config.centre_code)
        records = self._records

        def find() -> tuple[LocalStatus | None, bool]:
            # ValidationError when the check character is wrong
            found = records.find(number)
            if found is None or secret is None:
                return found, False
            return found, records.prove(found.app.application_no, secret=secret).ok

        self._runner.submit(find, lambda result: self._looked_up(generation, *result),
                            lambda exc: self._lookup_failed(generation, exc))

    def _show_error(self, state: LookupState, msgid: str) -> None:
        self.wipe()
        self._state = state
        self._error = {"hi": translate(msgid, "hi"), "en": translate(msgid, "en")}
        self.statusChanged.emit()
        self.printChanged.emit()

    def _looked_up(self, generation: int, found: LocalStatus | None,
                   proven: bool = False) -> None:
        if generation != self._generation:
            return
        if found is None:
            log.info("status look-up: not found at this centre")
            self._show_error(LookupState.NOT_FOUND, st.MSG_NOT_FOUND)
            return
        self._found = found
        self._state = LookupState.FOUND
        self._remote = _Remote(Source.CHECKING)
        self._proof = ProofState.PROVEN if proven else ProofState.NONE
        log.info("status look-up: %s", "proven by the slip's code" if proven else "not proven")
        self.statusChanged.emit()
        self.proofChanged.emit()
        number = found.app.application_no
        apps = self._applications

        def ask() -> _Remote:
            from backend_client import AuthError, BackendClientError, RejectedError

            client = self._client()
            if client is None:
                return _Remote(Source.LOCAL)
            try:
                answer = client.application_status(number)
            except AuthError as exc:
                log.warning("status look-up: backend refused the kiosk (%s)", exc)
                return _Remote(Source.OFFLINE)
            except RejectedError as exc:
                if exc.status == 404:
                    return _Remote(Source.NOT_SENT)
                log.warning("status look-up: backend rejected the request (%s)", exc)
                return _Remote(Source.OFFLINE)
            except BackendClientError as exc:
                log.info("status look-up: backend unreachable (%s)", type(exc).__name__)
                return _Remote(Source.OFFLINE)
            if answer.status not in st.STATUS_TONES:
                log.warning("status look-up: backend sent unknown status %r", answer.status)
            apps.set_remote_status(number, answer.status)
            return _Remote(Source.ONLINE, answer.status, answer.remarks)

        self._net.submit(ask, lambda remote: self._answered(generation, remote),
                         lambda exc: self._answer_failed(generation, exc))

    def _lookup_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, ValidationError):
            log.info("status look-up: not a valid application number")
            self._show_error(LookupState.INVALID, MSG_BAD_NUMBER)
            return
        self.wipe()
        self._state = LookupState.ERROR
        self._error = error_messages(exc, "looking up an application", log)
        self.statusChanged.emit()

    def _answered(self, generation: int, remote: _Remote) -> None:
        if generation != self._generation:
            return
        if remote.source is Source.NOT_SENT and self._found is not None \
                and self._found.uploaded:
            # Uploaded, yet unknown there: say "this kiosk's records", not "will be sent".
            remote = _Remote(Source.OFFLINE)
        log.info("status look-up: found (%s)", remote.source.value)
        self._remote = remote
        self.statusChanged.emit()

    def _answer_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.error("status look-up: asking the backend failed", exc_info=exc)
        self._remote = _Remote(Source.OFFLINE)
        self.statusChanged.emit()

    @Slot()
    def clearStatus(self) -> None:
        """"Check another number": back to the empty entry."""
        self.wipe()
        self.statusChanged.emit()
        self.printChanged.emit()

    # ----------------------------------------------------------------- proof
    @Slot(str)
    def proveMobile(self, digits: str) -> None:
        """The citizen typed the last four digits of their registered mobile (worker check)."""
        found = self._found
        if found is None or self._proof in (ProofState.CHECKING, ProofState.PROVEN):
            return
        text = "".join(ch for ch in (digits or "") if not ch.isspace())
        if not (len(text) == 4 and text.isascii() and text.isdigit()):
            self._proof = ProofState.WRONG
            self._proof_error = st.both(st.MSG_PROOF_FORMAT)
            self.proofChanged.emit()
            return
        self._proof = ProofState.CHECKING
        self._proof_error = {}
        self.proofChanged.emit()
        generation, records, number = self._generation, self._records, found.app.application_no
        self._runner.submit(lambda: records.prove(number, mobile_digits=text),
                            lambda result: self._proof_answered(generation, result),
                            lambda exc: self._proof_failed(generation, exc))

    def _proof_answered(self, generation: int, result: ProofResult) -> None:
        if generation != self._generation:
            return
        if result.ok:
            log.info("status look-up: proven by the mobile's digits")
            self._proof, self._proof_error = ProofState.PROVEN, {}
            self.statusChanged.emit()
        elif result.locked_for_s:
            log.warning("status look-up: too many wrong proofs; cooling off for %d s",
                        result.locked_for_s)
            self._proof = ProofState.LOCKED
            minutes = max(1, -(-result.locked_for_s // 60))
            self._proof_error = {lang: st.tr(st.MSG_PROOF_LOCKED, lang,
                                             minutes=format_number(minutes, lang))
                                 for lang in ("hi", "en")}
        else:
            log.info("status look-up: wrong mobile digits")
            self._proof = ProofState.WRONG
            self._proof_error = {lang: st.tr(st.MSG_PROOF_WRONG, lang,
                                             tries=format_number(result.tries_left, lang))
                                 for lang in ("hi", "en")}
        self.proofChanged.emit()

    def _proof_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._proof = ProofState.WRONG
        self._proof_error = error_messages(exc, "checking a proof of possession", log)
        self.proofChanged.emit()

    # ----------------------------------------------------------------- reprint
    @Slot()
    def reprintAcknowledgement(self) -> None:
        """Print the found application's acknowledgement again (a lost or never-printed slip).

        Only once proven: the slip carries the name, father's name and the QR's secret."""
        found = self._found
        if found is None or not self._is_proven() or self._print_state is PrintState.PRINTING:
            return
        self._print_state = PrintState.PRINTING
        self._print_error = {}
        self.printChanged.emit()
        generation, lang = self._generation, self._lang()
        printer, apps, config = self._printer, self._applications, self._config
        number = found.app.application_no

        def job() -> None:
            print_acknowledgement(printer, apps, config, number, lang,
                                  no_printer_message=st.MSG_NO_PRINTER, fallback=found.app)

        self._runner.submit(job, lambda _r: self._printed(generation),
                            lambda exc: self._print_failed(generation, exc))

    def _printed(self, generation: int) -> None:
        if generation != self._generation:
            return
        log.info("acknowledgement printed again")
        self._print_state = PrintState.PRINTED
        self.printChanged.emit()

    def _print_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._print_state = PrintState.FAILED
        self._print_error = error_messages(exc, "printing an acknowledgement again", log)
        self.printChanged.emit()

    # ----------------------------------------------------------------- properties
    def _status_now(self) -> str:
        if self._found is None:
            return ""
        return self._remote.status or self._found.app.status

    def _service_name(self, lang: str, fallback: bool) -> str:
        f = self._found
        if f is None or not self._is_proven():
            return ""
        if f.service is None:
            return f.app.service_code if fallback else ""
        return f.service.name.get(lang)

    def _get_submitted_text(self) -> str:
        if self._found is None or not self._is_proven():
            return ""
        when = self._found.app.submitted_at
        lang = self._lang()
        return f"{format_date(when, lang, 'long')}, {format_time(when, lang)}"

    def _get_status_text(self) -> str:
        status = self._status_now()
        # The office's remarks can be personal ("income proof of Sunita missing"): proven only.
        remarks = self._remote.remarks if self._is_proven() else None
        return st.status_sentence(status, remarks, self._lang()) if status else ""

    def _get_overdue_text(self) -> str:
        f = self._found
        if f is None or not self._is_proven():
            return ""
        today = self._applications.now().date()
        if not st.is_overdue(self._status_now(), f.app.due_date, today):
            return ""
        return st.tr(st.MSG_OVERDUE, self._lang(), number=f.helpline)

    def _get_source_text(self) -> str:
        if self._found is None:
            return ""
        return st.source_sentence(self._remote.source, self._found.checked_at, self._lang(),
                                  self._config.timezone)

    def _get_number_example(self) -> str:
        body = f"{self._config.centre_code.upper()}-{self._applications.now():%Y%m%d}-0007"
        return f"{body}-{check_character(body)}"

    statusState = qproperty(str, lambda self: self._state.value, notify=statusChanged)
    statusError = qproperty(str, lambda self: self._error.get(self._lang(), ""),
                           notify=statusChanged)
    statusErrorOther = qproperty(str, lambda self: self._error.get(
        other_language(self._lang()), ""), notify=statusChanged)
    applicationNo = qproperty(str, lambda self: self._found.app.application_no
                             if self._found else "", notify=statusChanged)
    serviceName = qproperty(str, lambda self: self._service_name(self._lang(), True),
                           notify=statusChanged)
    serviceNameOther = qproperty(str, lambda self: self._service_name(
        other_language(self._lang()), False), notify=statusChanged)
    def _get_applicant_name(self) -> str:
        if self._found is None:
            return ""
        name = self._found.app.applicant_name(self._lang())
        return name if self._is_proven() else mask_name(name)

    def _get_due_text(self) -> str:
        if self._found is None or not self._is_proven():
            return ""
        return format_date(self._found.app.due_date, self._lang(), "long")

    def _get_payment_text(self) -> str:
        if self._found is None or not self._is_proven():
            return ""
        return st.payment_sentence(self._found.app, self._lang())

    applicantName = qproperty(str, _get_applicant_name, notify=statusChanged)
    submittedText = qproperty(str, _get_submitted_text, notify=statusChanged)
    dueText = qproperty(str, _get_due_text, notify=statusChanged)
    statusCode = qproperty(str, _status_now, notify=statusChanged)
    statusText = qproperty(str, _get_status_text, notify=statusChanged)
    statusTone = qproperty(str, lambda self: st.STATUS_TONES.get(self._status_now(), "info"),
                          notify=statusChanged)
    overdueText = qproperty(str, _get_overdue_text, notify=statusChanged)
    paymentText = qproperty(str, _get_payment_text, notify=statusChanged)
    paymentSettled = qproperty(bool, lambda self: bool(self._found and self._found.app.paid),
                              notify=statusChanged)
    source = qproperty(str, lambda self: self._remote.source.value if self._found else "",
                      notify=statusChanged)
    sourceText = qproperty(str, _get_source_text, notify=statusChanged)
    printState = qproperty(str, lambda self: self._print_state.value, notify=printChanged)
    printError = qproperty(str, lambda self: self._print_error.get(self._lang(), ""),
                          notify=printChanged)
    printErrorOther = qproperty(str, lambda self: self._print_error.get(
        other_language(self._lang()), ""), notify=printChanged)
    numberExample = qproperty(str, _get_number_example, constant=True)
    #: Proof of possession: ``proven`` unlocks the details and "print again".
    proven = qproperty(bool, _is_proven, notify=proofChanged)
    proofState = qproperty(str, lambda self: self._proof.value, notify=proofChanged)
    proofError = qproperty(str, lambda self: self._proof_error.get(self._lang(), ""),
                          notify=proofChanged)
    proofErrorOther = qproperty(str, lambda self: self._proof_error.get(
        other_language(self._lang()), ""), notify=proofChanged)


__all__ = ["LookupState", "ProofState", "StatusClient", "StatusViewModel"]
