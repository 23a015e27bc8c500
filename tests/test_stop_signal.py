"""SIGTERM stops a command's main loop without the handler ever taking a lock."""

from __future__ import annotations

import os
import signal
import threading

from kiosk.stop_signal import StopSignal


def test_sigterm_stops_the_wait_and_the_previous_handler_comes_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignal() as stop:
        assert not stop.wait(0.05)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
    assert signal.getsignal(signal.SIGTERM) is before


def test_handler_runs_while_the_main_thread_holds_a_lock() -> None:
    """The deadlock it replaces: Event.set() from a handler that interrupted Event.wait()."""
    held = threading.Lock()
    with StopSignal() as stop, held:
        os.kill(os.getpid(), signal.SIGTERM)  # handled between bytecodes, lock still held
        assert stop.wait(5)


def test_an_in_process_event_stops_it_too() -> None:
    also = threading.Event()
    with StopSignal(also=also) as stop:
        timer = threading.Timer(0.05, also.set)
        timer.start()
        assert stop.wait(5)
        assert not stop.signalled
    timer.join()
