"""The wizard's payment page: UPI (confirmed by the backend) or cash at the counter.

QML reaches it as ``apply.payment``. UPI is confirmed only by the backend
(``GET /v1/payments/{tr}``), never by what a phone shows. With no backend, UPI switched off,
or the backend unreachable, the page offers cash at the counter and says why UPI cannot be
used. Everything that waits on the network (the probe, the intent, polling for the bank's
confirmation) runs on this object's own worker, so a slow backend never delays a slip; results
carry a generation and are dropped once the citizen has gone.
"""

from __future__ import annotations

import base64
import io
import logging
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.applications import Application, ApplicationService
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

MSG_UPI_OFF = N_("UPI payment is not offered at this kiosk.")
MSG_UPI_CHECKING = N_("Checking the connection to the bank…")
MSG_UPI_OFFLINE = N_("The kiosk is offline, so UPI cannot be used now.")
MSG_UPI_FAILED = N_("UPI payment could not be started. Please pay cash at the counter.")

#: While the bank's confirmation is awaited the citizen may stand still, phone in hand: the idle
#: timeout waits this long before it may wipe the session (a walked-away payer is still reset).
UPI_WAIT_SECONDS = 300


class PayState(StrEnum):
    CHOOSE = "choose"          # UPI or cash?
    STARTING = "starting"      # asking the backend for the UPI intent
    WAITING = "waiting"        # QR shown, polling for the bank's confirmation
    PAID = "paid"              # the backend says paid (UTR known)
    CASH = "cash"              # cash at the counter (pending)


def qr_data_url(text: str) -> str:
    """A ``data:`` PNG of a QR code for QML's Image (made on a worker thread)."""
    import qrcode

    image = qrcode.make(text, box_size=10, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class PaymentViewModel(QObject):
    """State and actions of the payment page (``apply.payment``)."""

    paymentChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, *,
                 on_updated: Callable[[Application], None],
                 on_done: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._applications = applications
        self._on_updated = on_updated   # a fresher read of the application (payment state)
        self._on_done = on_done         # paid, or cash chosen: on to the acknowledgement
        self.net_runner = BackgroundRunner(self)
        self._backend_factory: Callable[[], Any | None] = self._config_client
        self._client: Any = None
        self._own_clients: list[Any] = []   # made here from the config: closed at shutdown
        self._poll = QTimer(self)
        self._poll.setInterval(max(200, int(float(config.payments.get("poll_seconds", 3))
                                            * 1000)))
        self._poll.timeout.connect(self._poll_tick)
        self._generation = 0
        self.wipe()
        session.languageChanged.connect(self.paymentChanged)

    def wipe(self) -> None:
        """Forget this citizen's payment (session reset, wizard left)."""
        self._generation += 1
        self._app: Application | None = None
        self._active = False   # the payment page is up (begin → done)
        self._state = PayState.CHOOSE
        self._upi_available = False
        self._upi_reason = ""
        self._error = ""
        self._upi_qr = ""
        self._upi_tr = ""
        self._upi_since = 0.0
        self._utr = ""
        self._poll.stop()
        self._polling = False

    # ----------------------------------------------------------------- properties
    def _text(self, msgid: str) -> str:
        return translate(msgid, str(self._session.property("language"))) if msgid else ""

    payState = Property(str, lambda self: self._state.value, notify=paymentChanged)
    upiAvailable = Property(bool, lambda self: self._upi_available, notify=paymentChanged)
    upiReason = Property(str, lambda self: self._text(self._upi_reason), notify=paymentChanged)
    payError = Property(str, lambda self: self._text(self._error), notify=paymentChanged)
    upiQr = Property(str, lambda self: self._upi_qr, notify=paymentChanged)
    utr = Property(str, lambda self: self._utr, notify=paymentChanged)

    @property
    def chose_cash(self) -> bool:
        return self._state is PayState.CASH

    # ----------------------------------------------------------------- wiring
    def use_backend(self, factory: Callable[[], Any | None]) -> None:
        """Where UPI intents and payment status come from: ``factory()`` returns an object
        with ``health``/``create_payment``/``payment_status`` (a ``BackendClient``) or None for
        "no backend" (asked again next time). Called on the network worker."""
        self._backend_factory = factory
        self._client = None

    def attach_sync(self, source: Callable[[], Any | None]) -> None:
        """Pay through the running sync runtime's client (``lambda: kiosk.sync``); while it is
        None, a ``[backend] url`` with a token is used directly. The *embedded* demo backend
        plays the payer's bank (it confirms a UPI payment after a few seconds), so a kiosk run
        on one machine can show the whole UPI flow."""
        def factory() -> Any | None:
            runtime = source()
            if runtime is None:
                return self._config_client()
            return runtime.client

        self.use_backend(factory)

    # ----------------------------------------------------------------- the page
    def begin(self, app: Application) -> None:
        """The application is saved with a fee: offer UPI (if the bank can be reached) or cash."""
        self.wipe()
        self._app, self._active = app, True
        if not self._config.payments.get("upi_enabled", True):
            self._upi_available, self._upi_reason = False, MSG_UPI_OFF
            self.paymentChanged.emit()
            return
        self._upi_available, self._upi_reason = False, MSG_UPI_CHECKING
        self.paymentChanged.emit()
        generation = self._generation

        def job() -> bool:
            client = self._get_client()
            if client is None:
                return False
            client.health()
            return True

        self.net_runner.submit(job, lambda ok: self._probed(generation, bool(ok)),
                               lambda exc: self._probe_failed(generation, exc))

    @Slot()
    def payUpi(self) -> None:
        app = self._app
        if (app is None or not self._active or not self._upi_available
                or self._state is not PayState.CHOOSE):
            return
        self._state, self._error = PayState.STARTING, ""
        self.paymentChanged.emit()
        generation, no, apps = self._generation, app.application_no, self._applications

        def job() -> tuple[str, str, Application | None]:
            client = self._get_client()
            if client is None:
                raise KioskError("no backend for UPI", message=MSG_UPI_FAILED)
            from backend_client.models import PaymentIntent

            record = apps.start_upi(no)
            answer = client.create_payment(
                PaymentIntent(application_no=no, amount_paise=record.amount_paise,
                              method="upi", tr=record.tr), idempotency_key=f"pay-{record.tr}")
            uri = answer.upi_uri or record.upi_uri or ""
            return record.tr, qr_data_url(uri), apps.get(no)

        self.net_runner.submit(job, lambda result: self._upi_started(generation, *result),
                               lambda exc: self._upi_failed(generation, exc))

    @Slot()
    def payCash(self) -> None:
        if not self._active or self._state is PayState.PAID:
            return
        self._poll.stop()
        self._state = PayState.CASH
        self.paymentChanged.emit()
        self._finish()

    @Slot()
    def continueAfterPayment(self) -> None:
        if self._active and self._state is PayState.PAID:
            self._finish()

    def _finish(self) -> None:
        self._poll.stop()
        self._active = False
        self._on_done()

    def shutdown(self) -> None:
        """Stop polling and the network worker; close the clients made here (app quit)."""
        self._generation += 1
        self._poll.stop()
        self.net_runner.shutdown()
        self._client = None
        for client in self._own_clients:
            client.close()
        self._own_clients.clear()

    # ----------------------------------------------------------------- the backend
    def _config_client(self) -> Any | None:
        """A client for the configured backend (``[backend] url``), or None without one."""
        from kiosk.sync.runtime import direct_client

        client = direct_client(self._config, self._applications.store)
        if client is not None:
            self._own_clients.append(client)
        return client

    def _get_client(self) -> Any | None:
        """The backend client, kept once found (on the network worker: it imports the HTTP
        stack); "none yet" is asked again, as sync may start after the kiosk."""
        if self._client is None:
            self._client = self._backend_factory()
        return self._client

    def _probed(self, generation: int, ok: bool) -> None:
        if generation != self._generation:
            return
        self._upi_available = ok
        self._upi_reason = "" if ok else MSG_UPI_OFF
        self.paymentChanged.emit()

    def _probe_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.info("backend not reachable for UPI: %s", exc)
        self._upi_available, self._upi_reason = False, MSG_UPI_OFFLINE
        self.paymentChanged.emit()

    def _upi_started(self, generation: int, tr: str, qr: str,
                     fresh: Application | None) -> None:
        if generation != self._generation or self._state is not PayState.STARTING:
            return
        self._upi_tr, self._upi_qr = tr, qr
        self._upi_since = time.monotonic()
        self._state = PayState.WAITING
        self.paymentChanged.emit()
        self._updated(fresh)
        self._polling = False
        self._poll.start()

    def _upi_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("UPI could not start: %s", exc)
        self._state, self._error = PayState.CHOOSE, MSG_UPI_FAILED
        self._upi_available, self._upi_reason = False, MSG_UPI_FAILED
        self.paymentChanged.emit()

    def _poll_tick(self) -> None:
        if self._state is not PayState.WAITING or not self._upi_tr or self._app is None:
            return
        if time.monotonic() - self._upi_since < UPI_WAIT_SECONDS:
            self._session.noteActivity()
        if self._polling:
            return
        self._polling = True
        generation, tr, apps = self._generation, self._upi_tr, self._applications
        no = self._app.application_no

        def job() -> tuple[str, Application | None]:
            client = self._get_client()
            if client is None:
                return "", None
            answer = client.payment_status(tr)
            if answer.status == "paid" and answer.utr:
                apps.mark_paid(tr, answer.utr)
                return str(answer.utr), apps.get(no)
            return "", None

        self.net_runner.submit(job, lambda result: self._polled(generation, *result),
                               lambda exc: self._poll_failed(generation, exc))

    def _polled(self, generation: int, utr: str, fresh: Application | None) -> None:
        if generation != self._generation:
            return
        self._polling = False
        if not utr or self._state is not PayState.WAITING:
            return
        self._poll.stop()
        self._utr = utr
        self._state = PayState.PAID
        self._updated(fresh)
        self.paymentChanged.emit()

    def _poll_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._polling = False
        log.info("payment status not available yet: %s", exc)  # keep polling

    def _updated(self, fresh: Application | None) -> None:
        if fresh is not None and self._app is not None \
                and fresh.application_no == self._app.application_no:
            self._app = fresh
            self._on_updated(fresh)


__all__ = ["MSG_UPI_CHECKING", "MSG_UPI_FAILED", "MSG_UPI_OFF", "MSG_UPI_OFFLINE", "PayState",
           "PaymentViewModel", "UPI_WAIT_SECONDS", "qr_data_url"]
