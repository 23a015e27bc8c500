"""PrintService: render, deliver and journal every print job (the ``print_jobs`` table).

Why a journal: a slip that did not come out must never cost a citizen their place. The token
is committed before printing is even attempted; the print itself is a separate ``print_jobs``
row that goes ``queued → sent → confirmed`` or ``failed`` with the reason, so staff can see
what failed and reprint the same token with the same call once the paper is back.

Graphics held in the printer: on a printer with download-graphics memory the service keeps,
per printer, a record of the fixed labels the printer holds (:class:`HeldGraphics` — the
managed :class:`~kiosk.devices.printer_adapter.PrinterDevice`'s own when the job goes through
the device manager, else one per URL here). Before each job it asks the printer for its key
list (``GS ( L`` function 80) and trusts only what the printer names; the document is laid out
(Hindi painted) *before* the link is taken, and encoded against that list once it is, so a
label the printer lost (power cycle) is simply defined again in this job.

Thread-safety: the UI calls this from a worker thread. Each thread uses its own SQLite
connection (``Store.conn`` is per thread) and one lock serialises jobs, because two slips
interleaved on one printer would be garbage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import Config
from kiosk.devices.escpos_driver import MSG_OFFLINE, EscposPrinter, PrinterStatus
from kiosk.devices.held_graphics import HeldGraphics
from kiosk.devices.links import Transport, open_transport
from kiosk.documents.model import Document
from kiosk.documents.token_slip import build_token_slip
from kiosk.errors import DeviceError, KioskError, PrinterError
from kiosk.print_journal import PrintJournal
from kiosk.printing.escpos_render import (
    PrinterProfile,
    PrintPlan,
    RenderStats,
    encode_plan,
    layout_document,
)
from kiosk.queue import Token
from kiosk.store import Store

log = logging.getLogger(__name__)

#: Flash writes of a few KB take well under this on the heads that use FS q.
NV_WRITE_WAIT_S = 2.0

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
    #: Fixed labels printed from the printer's memory, and ones this job defined there.
    graphics_from_memory: int = 0
    graphics_defined: int = 0

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
        #: What each printer URL holds, for links this service opens itself (a managed
        #: printer's link brings its device's record instead).
        self._memories: dict[str, HeldGraphics] = {}
        #: Seconds to wait after an ``FS q`` (NV bit images) before sending anything else: the
        #: printer takes no command, not even a status query, while it writes its flash.
        self.nv_write_wait = NV_WRITE_WAIT_S
        if threading.current_thread() is threading.main_thread():
            # Qt must exist before a worker thread paints Hindi (it cannot be created there).
            from kiosk.qt_runtime import ensure_gui_app

            ensure_gui_app()

    def _default_opener(self, url: str) -> Transport:
        return open_transport(url, baudrate=self.config.printer.baudrate,
                              sim_out_dir=self.config.print_dir,
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
                plan = layout_document(doc, self.profile)  # Qt painting: before the link
                status, data, stats = self._deliver(job_id, plan)
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
        log.info("printed %s %s as job %d (%d bytes, %d labels from printer memory, %d defined, "
                 "printer %s, %s)", doc.kind, doc.ref, job_id, len(data), stats.held_prints,
                 len(stats.defined), status.state, final)
        return PrintResult(job_id=job_id, state=final, bytes_sent=len(data), status=status,
                           graphics_from_memory=stats.held_prints,
                           graphics_defined=len(stats.defined))

    def graphics_memory(self, transport: Transport | None = None) -> HeldGraphics:
        """The record of what the printer behind ``transport`` holds (see module doc)."""
        lent = getattr(transport, "graphics", None)
        if isinstance(lent, HeldGraphics):
            return lent
        return self._memories.setdefault(self.config.printer.url, HeldGraphics())

    def _deliver(self, job_id: int, plan: PrintPlan,
                 ) -> tuple[PrinterStatus, bytes, RenderStats]:
        url = self.config.printer.url
        try:
            transport = self._opener(url)
        except PrinterError:
            raise
        except DeviceError as exc:  # the link cannot be opened: keep its "not connected" text
            raise PrinterError(exc.detail, message=exc.message) from exc
        except (OSError, ValueError) as exc:
            raise PrinterError(f"cannot open printer {url}: {exc}", message=MSG_OFFLINE) from exc
        memory = self.graphics_memory(transport) \
            if self.profile.graphics_memory in ("gs_l", "fs_q") else None
        held = (lambda: memory.snapshot() if memory is not None else None)  # noqa: E731
        # The line speed sets how long the after-print check waits for a long slip to drain:
        # at 9600 baud a 6 KB slip is 6 s on the wire, beyond the 115200 default's patience.
        # ``line_baudrate`` follows the opening's precedence (URL ``?baudrate=`` over
        # ``[devices.printer] baudrate``), so the wait is sized for the speed the line runs at.
        with EscposPrinter(transport, status_timeout=self.status_timeout,
                           baudrate=self.config.printer.line_baudrate) as printer:
            if not transport.bidirectional:  # file:// spool: send, but never claim "confirmed"
                data, stats = encode_plan(plan, held())
                printer.write(data)
                if memory is not None:
                    memory.job_sent(stats.defined, reset=stats.reset)
                return PrinterStatus.silent(), data, stats
            before = printer.status()
            if memory is not None and not (before.answered and before.online):
                memory.forget(f"printer {before.state}")  # it may be switched off right now
            printer.ensure_ready(before)
            if memory is not None and self.profile.graphics_memory == "gs_l" \
                    and memory.answers_key_list is not False:
                keys = printer.graphics_keys()
                memory.answers_key_list = keys is not None
                if keys is not None:
                    memory.keep_only(keys)
            data, stats = encode_plan(plan, held(), nv_write_allowed=memory is not None
                                      and memory.nv_write_allowed())
            try:
                if stats.nv_define_bytes:  # FS q: the printer writes its flash, deaf till done
                    printer.write(data[:stats.nv_define_bytes])
                    assert memory is not None
                    memory.note_nv_write()
                    time.sleep(self.nv_write_wait)
                    data_rest = data[stats.nv_define_bytes:]
                else:
                    data_rest = data
                printer.write(data_rest)
                self._set_state(job_id, "sent")
                after = printer.confirm(len(data))
            except PrinterError:
                if memory is not None:
                    memory.job_failed(stats.defined, reset=stats.reset)
                raise
            if memory is not None:
                memory.job_sent(stats.defined, reset=stats.reset)
            return after, data, stats

    def _fail(self, job_id: int, exc: KioskError) -> None:
        reason = f"{exc.detail} [{exc.message}]"
        log.warning("print job %d failed: %s", job_id, exc.detail)
        try:
            self._set_state(job_id, "failed", reason)
        except KioskError as store_exc:
            log.error("could not mark print job %d failed: %s", job_id, store_exc.detail)
