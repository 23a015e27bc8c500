"""PrintService: render, deliver and journal every print job (the ``print_jobs`` table).

Why a journal: a slip that did not come out must never cost a citizen their place. The token
is committed before printing is even attempted; the print itself is a separate ``print_jobs``
row that goes ``queued → sent → confirmed`` or ``failed`` with the reason, so staff can see
what failed and reprint the same token with the same call once the paper is back.

Thread-safety: the UI calls this from a worker thread. Each thread uses its own SQLite
connection (``Store.conn`` is per thread) and one lock serialises jobs, because two slips
interleaved on one printer would be garbage.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import Config
from kiosk.devices.escpos_driver import MSG_OFFLINE, EscposPrinter, PrinterStatus
from kiosk.devices.links import Transport, open_transport
from kiosk.documents.model import Document
from kiosk.documents.token_slip import build_token_slip
from kiosk.errors import DeviceError, KioskError, PrinterError
from kiosk.print_journal import PrintJournal
from kiosk.printing.escpos_render import PrinterProfile, render_escpos
from kiosk.queue import Token
from kiosk.store import Store

log = logging.getLogger(__name__)

PrinterOpener = Callable[[str], Transport]


@dataclass(frozen=True)
class PrintResult:
    """A finished print: journal row, final state, bytes, and the printer afterwards.

    ``state`` is "confirmed" when the printer answered healthy after the job, "sent" on a
    write-only link where no answer is possible.
    """

    job_id: int
    state: str
    bytes_sent: int
    status: PrinterStatus

    @property
    def paper_low(self) -> bool:
        return self.status.paper == "near_end"


class PrintService:
    """Prints documents on the configured printer and records each attempt."""

    def __init__(self, store: Store, config: Config,
                 printer_opener: PrinterOpener | None = None, *,
                 status_timeout: float = 0.3) -> None:
        self.store = store
        self.journal = PrintJournal(store)
        self.config = config
        self.profile = PrinterProfile.from_config(config.printer)
        self.status_timeout = status_timeout
        self._opener = printer_opener or self._default_opener
        self._lock = threading.Lock()
        if threading.current_thread() is threading.main_thread():
            # Qt must exist before a worker thread paints Hindi (it cannot be created there).
            from kiosk.qt_runtime import ensure_gui_app

            ensure_gui_app()

    def _default_opener(self, url: str) -> Transport:
        return open_transport(url, sim_out_dir=self.config.print_dir,
                              paper_mm=self.config.printer.paper_mm)

    # -- journal (kiosk.print_journal holds the SQL) ---------------------------------------
    def _new_job(self, doc: Document) -> int:
        return self.journal.start(doc.kind, doc.ref)

    def _set_state(self, job_id: int, state: str, reason: str | None = None) -> None:
        self.journal.set_state(job_id, state, reason)

    def jobs_for(self, kind: str, ref: str) -> list[dict[str, object]]:
        """Every journal row for one record, oldest first (for staff screens and tests)."""
        return list(self.journal.jobs_for(kind, ref))

    # -- printing -------------------------------------------------------------------------
    def print_token(self, token: Token, lang: str) -> PrintResult:
        """Print ``token``'s slip. Raises :class:`PrinterError`; the token is never touched."""
        return self.print_document(build_token_slip(token, self.config, lang))

    def print_document(self, doc: Document) -> PrintResult:
        """Render, send and confirm ``doc``; the journal row says how it ended."""
        job_id = self._new_job(doc)
        try:
            with self._lock:
                data = render_escpos(doc, self.profile)
                status = self._deliver(job_id, data)
        except PrinterError as exc:
            self._fail(job_id, exc)
            raise
        except KioskError as exc:
            self._fail(job_id, exc)
            raise
        except Exception as exc:  # an unexpected bug must still close the journal row
            err = PrinterError(f"printing {doc.kind} {doc.ref} failed: {exc!r}")
            self._fail(job_id, err)
            raise err from exc
        final = "confirmed" if status.answered else "sent"
        self._set_state(job_id, final)
        log.info("printed %s %s as job %d (%d bytes, printer %s, %s)", doc.kind, doc.ref,
                 job_id, len(data), status.state, final)
        return PrintResult(job_id=job_id, state=final, bytes_sent=len(data), status=status)

    def _deliver(self, job_id: int, data: bytes) -> PrinterStatus:
        url = self.config.printer.url
        try:
            transport = self._opener(url)
        except PrinterError:
            raise
        except DeviceError as exc:  # the link cannot be opened: keep its "not connected" text
            raise PrinterError(exc.detail, message=exc.message) from exc
        except (OSError, ValueError) as exc:
            raise PrinterError(f"cannot open printer {url}: {exc}", message=MSG_OFFLINE) from exc
        with EscposPrinter(transport, status_timeout=self.status_timeout) as printer:
            if not transport.bidirectional:  # file:// spool: send, but never claim "confirmed"
                printer.write(data)
                return PrinterStatus.silent()
            printer.check_ready()
            printer.write(data)
            self._set_state(job_id, "sent")
            return printer.confirm(len(data))

    def _fail(self, job_id: int, exc: KioskError) -> None:
        reason = f"{exc.detail} [{exc.message}]"
        log.warning("print job %d failed: %s", job_id, exc.detail)
        try:
            self._set_state(job_id, "failed", reason)
        except KioskError as store_exc:
            log.error("could not mark print job %d failed: %s", job_id, store_exc.detail)
