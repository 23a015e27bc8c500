"""The counter desk's receipt printer: cash receipts, void slips, acknowledgements, day-end.

Why the counter keeps a small local database at all, when the console holds no queue state:
every print is journalled in ``print_jobs`` (queued → sent → confirmed | failed + reason) like
the kiosk's, so a receipt that did not come out is visible and can be printed again; the
record it prints (the payment, the application) lives at the centre service and is never
touched here. The journal is the counter's own ``<data_dir>/kiosk.sqlite3`` (a counter on
the kiosk's machine shares the file: WAL serialises the two processes).

:meth:`DeskPrinter.print_document` blocks on the printer's wire: call it from a worker
(``kiosk.ui.workers``), never the GUI thread. When the print pipeline cannot start, the desk
still works: ``available`` is false and every print answers a failed result with a reason.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.config import Config
from kiosk.documents.model import Document

if TYPE_CHECKING:
    from kiosk.printing.print_jobs import PrinterOpener, PrintResult, PrintService
    from kiosk.store import Store

log = logging.getLogger(__name__)


class DeskPrinter:
    """One counter's print pipeline, opened on first use (not on the console's start path)."""

    def __init__(self, config: Config, opener: PrinterOpener | None = None) -> None:
        self.config = config
        self._opener = opener
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._service: PrintService | None = None
        self._failed = False

    def _pipeline(self) -> PrintService | None:
        with self._lock:
            if self._service is None and not self._failed:
                try:
                    from kiosk.printing.print_jobs import PrintService
                    from kiosk.store import Store

                    self._store = Store(self.config.db_path)
                    self._service = PrintService(self._store, self.config,
                                                 printer_opener=self._opener)
                except Exception:
                    log.error("the desk's print pipeline could not start", exc_info=True)
                    self._failed = True
            return self._service

    @property
    def available(self) -> bool:
        return self._pipeline() is not None

    def print_document(self, doc: Document) -> PrintResult | None:
        """Render, send and journal ``doc``; None when there is no print pipeline at all."""
        service = self._pipeline()
        if service is None:
            return None
        return service.print_document(doc)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None
            self._service = None
