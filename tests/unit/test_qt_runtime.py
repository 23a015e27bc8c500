"""The Qt binding itself must not corrupt the interpreter over a long day.

PySide6 6.12.0 decrefs ``None`` on every ``processEvents()`` call; on Python 3.11 (where None
is not immortal) that aborts the process after a few thousand calls — a test suite, or any
code that pumps events, dies with "deallocating None". pyproject excludes that release; this
test fails if a build with the same fault comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEventLoop

from kiosk.qt_runtime import ensure_gui_app


def test_processing_events_keeps_none_refcount() -> None:
    ensure_gui_app()
    before = sys.getrefcount(None)
    for _ in range(500):
        QCoreApplication.processEvents()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    assert sys.getrefcount(None) >= before - 50  # a leak shows as -1000 here
