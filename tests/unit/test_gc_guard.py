"""Cyclic garbage is collected on the GUI thread only while a kiosk runs (see gc_guard)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from kiosk.ui.gc_guard import GuiThreadGc


def test_collection_moves_to_the_gui_thread_and_back(qapp: Any) -> None:
    assert gc.isenabled()
    guard = GuiThreadGc()
    guard.start()
    try:
        assert not gc.isenabled()
        collected_on: list[str] = []

        class Cycle:
            def __init__(self) -> None:
                self.me = self

            def __del__(self) -> None:
                collected_on.append(threading.current_thread().name)

        def worker() -> None:
            for _ in range(5000):   # far past generation 0's threshold
                Cycle()

        t = threading.Thread(target=worker, name="worker")
        t.start()
        t.join()
        assert collected_on == []        # the worker's allocations collected nothing
        for _ in range(3):
            guard.tick()
        assert collected_on and set(collected_on) == {threading.current_thread().name}
    finally:
        guard.stop()
    assert gc.isenabled()
