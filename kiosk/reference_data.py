"""What the reference documents say, read once per applied version: catalogue and holidays.

Why a cache with an explicit version instead of reading the database when asked: screens ask
for the catalogue on every property read (a wizard journey used to run ~900 look-ups of the
``reference_docs`` row on the GUI thread), and a fee or a due date needs the holiday list.
Both change only when sync applies a new document, and :func:`kiosk.sync.reference.
apply_document` tells the store, which tells this object: it reloads on the applying thread
(the sync worker), bumps :attr:`version` and calls its listeners there. A screen's view-model
turns that call into a queued Qt signal and re-reads; it never touches the database itself.

A document applied by *another process* is seen at the next start (the kiosk's own sync
runtime is the one that applies documents while it runs).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.catalogue import Catalogue, load_catalogue
from kiosk.store import Store
from kiosk.working_days import WorkingCalendar

log = logging.getLogger(__name__)

#: The reference documents whose content is cached here.
CACHED_DOCUMENTS = frozenset({"catalogue", "holidays"})


class ReferenceData:
    """The catalogue and the working calendar in force, reloaded only when one changes."""

    def __init__(self, store: Store, district: str, subdivision: str = "MP") -> None:
        self._store = store
        self._district = district
        self._subdivision = subdivision
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._calendar: WorkingCalendar | None = None
        self._version = 0
        self._listeners: list[Callable[[], None]] = []
        self._unsubscribe = store.add_reference_listener(self._applied)

    # -- reads (any thread; no SQL once loaded) -----------------------------------------------
    def catalogue(self) -> Catalogue:
        """The synced catalogue when there is a usable one, else the packaged one."""
        cat = self._catalogue
        if cat is None:
            with self._lock:
                if self._catalogue is None:
                    self._catalogue = load_catalogue(self._store)
                cat = self._catalogue
        return cat

    def calendar(self) -> WorkingCalendar:
        """Working days of the officer's office (gazetted plus synced district holidays)."""
        cal = self._calendar
        if cal is None:
            with self._lock:
                if self._calendar is None:
                    self._calendar = WorkingCalendar.from_store(
                        self._store.conn, self._district, self._subdivision)
                cal = self._calendar
        return cal

    @property
    def version(self) -> int:
        """Bumped each time an applied document replaced cached data (cache keys use it)."""
        return self._version

    def load(self) -> None:
        """Read everything now (start-up, before the first screen needs it)."""
        self.catalogue()
        self.calendar()

    # -- change notification --------------------------------------------------------------------
    def add_listener(self, callback: Callable[[], None]) -> Callable[[], None]:
        """``callback()`` after a reload, on the thread that applied the document."""
        with self._lock:
            self._listeners.append(callback)

        def remove() -> None:
            with self._lock:
                if callback in self._listeners:
                    self._listeners.remove(callback)

        return remove

    def close(self) -> None:
        """Stop listening to the store (the kiosk is closing)."""
        self._unsubscribe()
        with self._lock:
            self._listeners.clear()

    def _applied(self, name: str) -> None:
        if name not in CACHED_DOCUMENTS:
            return
        # Read the new data before swapping it in, so a reader never sees "nothing loaded".
        if name == "catalogue":
            fresh_cat = load_catalogue(self._store)
            with self._lock:
                self._catalogue = fresh_cat
                self._version += 1
                listeners = list(self._listeners)
        else:
            fresh_cal = WorkingCalendar.from_store(self._store.conn, self._district,
                                                   self._subdivision)
            with self._lock:
                self._calendar = fresh_cal
                self._version += 1
                listeners = list(self._listeners)
        log.info("reference document %s applied; cached data reloaded", name)
        for callback in listeners:
            try:
                callback()
            except Exception:
                log.exception("reference data listener failed")


__all__ = ["CACHED_DOCUMENTS", "ReferenceData"]
