"""Running the Qt event loop until a condition holds, for screenshots and benches.

A screen driven to a sample state waits for a worker's result, which arrives as a queued
signal: only a running event loop delivers it. Tests use pytest-qt's ``waitUntil`` instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop


def pump(until: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Process events until ``until()`` is true; ``TimeoutError`` after ``timeout_s``."""
    app = QCoreApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the sample state in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)


def settle(ms: int) -> None:
    """Keep the event loop running for ``ms`` so transitions finish (the screen fade is 180 ms)
    before a screenshot is grabbed; nothing to wait *for* but the animation's clock."""
    app = QCoreApplication.instance()
    assert app is not None
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.005)
