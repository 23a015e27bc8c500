"""Python's cyclic garbage collector, run only on the GUI thread while the kiosk is up.

Why: the collector runs in whichever thread happens to allocate when a threshold is crossed —
often the sync or device worker. If the garbage holds a PySide ``QObject`` (a view-model's
timer or wrapper caught in a reference cycle), its C++ destructor then runs on that worker: it
takes Qt's signal-slot lock and waits for the GIL, while the GUI thread, holding the GIL, waits
for the same lock. Both stop for good (seen as a hung UI test: the sync worker in
``gc_collect_main → QObject::~QObject``, the GUI thread in ``QMetaObject::disconnect``).
Disabling automatic collection and collecting from a GUI-thread timer, generation by generation
exactly when Python would have, removes the race.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 500


class GuiThreadGc(QObject):
    """``start()`` moves cyclic collection to this (GUI) thread; ``stop()`` gives it back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._running = False

    def start(self) -> None:
        if self._running:
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._running = True
        self._timer.start()

    def tick(self) -> None:
        """Collect the oldest generation whose count is over its threshold (like Python)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for gen in range(3):
            if counts[gen] > thresholds[gen]:
                generation = gen
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        """Collect everything here, on the GUI thread, then restore automatic collection."""
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
