"""A kiosk hands a copy of each application it stored to its centre service, until accepted.

Why a copy at all: the citizen who applied at the kiosk pays cash at the counter, and the
operator must find the application there; the counter talks only to the centre service, which
otherwise knows nothing of the kiosks' applications. The kiosk's own outbox still reports the
application to the state (unchanged): this copy is for the centre's desk only.

How it survives a centre that is down: the application is committed first (``centre_reported_at``
NULL, kiosk store v6); this worker sends every unreported application in submission order with
``POST /v1/applications`` (idempotent by number, so a resend after a crash between "sent" and
"marked" is harmless) and stamps ``centre_reported_at`` only once the centre accepted it. While
the centre is unreachable it waits with a growing pause and tries again; nothing is lost.
A refusal that is not about reachability (the number is already held by another kiosk: two
kiosks configured with one ``[kiosk] station``) is logged and that application retried later,
the others still go.

Typical use (``CentreLink`` does this)::

    handover = ApplicationHandover(store, config, issuer)
    handover.start()              # the worker; applications.on_stored = handover.wake
    ...
    handover.close()
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.errors import StoreError
from kiosk.store import Store

if TYPE_CHECKING:
    from kiosk.applications import ApplicationService
    from kiosk.centre.client import CentreClient
    from kiosk.issuing.issuer import CentreIssuer

log = logging.getLogger(__name__)

INTERVAL_S = 30.0
FIRST_RETRY_S = 1.0
MAX_BACKOFF_S = 60.0
BATCH = 20


class ApplicationHandover:
    """The worker that hands this kiosk's applications to the centre; ``close()`` joins it."""

    def __init__(self, store: Store, config: Config, issuer: CentreIssuer, *,
                 interval_s: float = INTERVAL_S, first_retry_s: float = FIRST_RETRY_S,
                 max_backoff_s: float = MAX_BACKOFF_S) -> None:
        self.store = store
        self.config = config
        self.issuer = issuer
        self.interval_s = interval_s
        self.first_retry_s = first_retry_s
        self.max_backoff_s = max_backoff_s
        self._apps: ApplicationService | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        #: Accepted by the centre since start (tests, status).
        self.handed_over = 0
        self.last_error = ""

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="application-handover",
                                            daemon=True)
            self._thread.start()

    def wake(self, _application_no: str | None = None) -> None:
        """Send now (``ApplicationService.on_stored`` calls this after a new application)."""
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=15)
        if self._apps is not None:
            self._apps.reference.close()
            self._apps = None

    # -- the work -------------------------------------------------------------------------------

    def unreported(self) -> int:
        return int(self.store.conn.execute(
            "SELECT COUNT(*) FROM applications WHERE centre_reported_at IS NULL").fetchone()[0])

    def _service(self) -> ApplicationService:
        if self._apps is None:
            from kiosk.applications import ApplicationService

            self._apps = ApplicationService(self.store, self.config)
        return self._apps

    def hand_over_once(self) -> bool:
        """Send every unreported application; True when none is left unsent for reachability.

        Raises nothing: an unreachable centre ends the round (False), a refusal skips one.
        """
        from kiosk.application_record import application_json
        from kiosk.centre.errors import CentreError, CentreUnreachableError

        skipped: set[str] = set()
        while not self._stop.is_set():
            rows = self.store.conn.execute(
                "SELECT application_no FROM applications WHERE centre_reported_at IS NULL "
                "ORDER BY submitted_at, seq LIMIT ?", (BATCH + len(skipped),)).fetchall()
            todo = [str(r[0]) for r in rows if str(r[0]) not in skipped]
            if not todo:
                return True
            for no in todo:
                app = self._service().get(no)
                if app is None:
                    skipped.add(no)
                    continue
                record = application_json(app)

                def send(c: CentreClient, n: str = no,
                         r: dict[str, Any] = record) -> dict[str, Any]:
                    return c.hand_over_application(n, r)

                try:
                    self.issuer.call(send)
                except CentreUnreachableError as exc:
                    self.last_error = str(exc)[:200]
                    log.info("application hand-over: centre unreachable (%d waiting)",
                             self.unreported())
                    return False
                except CentreError as exc:
                    self.last_error = str(exc)[:200]
                    log.error("application hand-over: centre refused %s: %s", no, exc)
                    skipped.add(no)
                    continue
                try:
                    with self.store.transaction() as conn:
                        conn.execute("UPDATE applications SET centre_reported_at = ? "
                                     "WHERE application_no = ?",
                                     (datetime.now(UTC).isoformat(), no))
                except StoreError:
                    log.exception("application hand-over: could not mark %s", no)
                    return False
                self.handed_over += 1
        return False

    def _run(self) -> None:
        backoff = self.first_retry_s
        while not self._stop.is_set():
            try:
                ok = self.hand_over_once()
            except Exception:  # the worker must outlive anything
                log.exception("application hand-over: unexpected error")
                ok = False
            if ok:
                backoff = self.first_retry_s
                pause = self.interval_s
            else:
                pause = backoff
                backoff = min(self.max_backoff_s, backoff * 2)
            self._wake.wait(pause)
            self._wake.clear()
