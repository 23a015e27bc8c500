"""The saved application and its acknowledgement (पावती): number, payment line, the slip.

QML reaches it as ``apply.ack``; the payment page shows its number too. The application is
committed before any of this is shown (see :mod:`kiosk.applications`), so a failed slip only
says so, and the application can be printed again here or from the status screen.

Threads: reading the record back and printing run on the wizard's worker, after the save.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.applications import Application, ApplicationService
from kiosk.config import Config
from kiosk.documents import acknowledgement as ack_doc
from kiosk.errors import PrinterError
from kiosk.i18n import N_
from kiosk.i18n.formatting import format_paise
from kiosk.ui.text import error_messages, other_language
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.states import PrintState
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

MSG_NO_PRINTER = N_("There is no printer here. Please write down your application number.")
MSG_ACK_PRINT_FAILED = N_("The printer could not print your acknowledgement. "
                          "Your application is saved.")


class AcknowledgementViewModel(QObject):
    """The saved application and its slip (``apply.ack``)."""

    applicationChanged = Signal()
    printChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, printer: Any | None,
                 runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._applications = applications
        self._printer = printer
        self._runner = runner
        self._generation = 0
        self.wipe()
        session.languageChanged.connect(self.applicationChanged)
        session.languageChanged.connect(self.printChanged)

    def wipe(self) -> None:
        """Forget the application (session reset, wizard left)."""
        self._generation += 1
        self._app: Application | None = None
        self._chose_cash = False
        self._print_state = PrintState.IDLE
        self._print_error: dict[str, str] = {}

    def _lang(self) -> str:
        return str(self._session.property("language"))

    # ----------------------------------------------------------------- properties
    def _get_payment_text(self) -> str:
        if self._app is None:
            return ""
        return ack_doc.payment_message(self._app, self._lang(), money=format_paise,
                                       chose_cash=self._chose_cash)

    applicationNo = Property(str, lambda self: self._app.application_no if self._app else "",
                             notify=applicationChanged)
    paid = Property(bool, lambda self: bool(self._app and self._app.paid),
                    notify=applicationChanged)
    paymentText = Property(str, _get_payment_text, notify=applicationChanged)
    printState = Property(str, lambda self: self._print_state.value, notify=printChanged)
    printError = Property(str, lambda self: self._print_error.get(self._lang(), ""),
                          notify=printChanged)
    printErrorOther = Property(str, lambda self: self._print_error.get(
        other_language(self._lang()), ""), notify=printChanged)

    def use_printer(self, printer: Any | None) -> None:
        """Print acknowledgements with ``printer`` (screenshots use a stand-in)."""
        self._printer = printer

    # ----------------------------------------------------------------- the record
    def saved(self, app: Application) -> None:
        """The application was just committed (the payment page shows its number)."""
        self._app = app
        self.applicationChanged.emit()

    def updated(self, fresh: Application) -> None:
        """A fresher read of the same application (its payment changed)."""
        if self._app is not None and fresh.application_no == self._app.application_no:
            self._app = fresh
            self.applicationChanged.emit()

    def show(self, *, chose_cash: bool) -> None:
        """The acknowledgement page is up: read the record back on the worker (its payment may
        have changed since the last read), then print it."""
        app = self._app
        assert app is not None
        self._chose_cash = chose_cash
        self.applicationChanged.emit()
        self._print_state, self._print_error = PrintState.PRINTING, {}
        self.printChanged.emit()
        apps, generation, no = self._applications, self._generation, app.application_no
        self._runner.submit(lambda: apps.get(no), lambda fresh: self._read_back(generation, fresh),
                            lambda exc: self._read_back(generation, None))

    # ----------------------------------------------------------------- slots
    @Slot()
    def reprint(self) -> None:
        if self._app is not None and self._print_state is not PrintState.PRINTING:
            self._start_print()

    @Slot()
    def finish(self) -> None:
        self._session.resetSession()   # → sessionReset → the wizard wipes everything

    # ----------------------------------------------------------------- internals
    def _read_back(self, generation: int, fresh: Application | None) -> None:
        if generation != self._generation:
            return
        if fresh is not None:
            self.updated(fresh)
        self._start_print()

    def _start_print(self) -> None:
        app = self._app
        assert app is not None
        self._print_state, self._print_error = PrintState.PRINTING, {}
        self.printChanged.emit()
        printer, apps, config = self._printer, self._applications, self._config
        lang, generation, no = self._lang(), self._generation, app.application_no

        def job() -> None:
            ack_doc.print_acknowledgement(printer, apps, config, no, lang,
                                          no_printer_message=MSG_NO_PRINTER, fallback=app)

        self._runner.submit(job, lambda _r: self._printed(generation),
                            lambda exc: self._print_failed(generation, exc))

    def _printed(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._print_state = PrintState.PRINTED
        self.printChanged.emit()

    def _print_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._print_state = PrintState.FAILED
        self._print_error = error_messages(exc, "printing an acknowledgement", log,
                                           {PrinterError.default_message: MSG_ACK_PRINT_FAILED})
        self.printChanged.emit()


__all__ = ["AcknowledgementViewModel", "MSG_ACK_PRINT_FAILED", "MSG_NO_PRINTER"]
