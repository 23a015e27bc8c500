"""SIGTERM/SIGINT as a flag that a command's main loop polls.

Why not ``threading.Event.set()`` in the handler (what the commands did before): a Python signal
handler runs in the main thread between two bytecodes, possibly while that same thread is inside
``Event.wait()`` holding the event's internal, non-reentrant lock. ``set()`` then waits for that
lock forever and the process ignores SIGTERM until it is killed (CI saw a simulator hang this
way once in several hundred runs). Setting a plain attribute cannot block.
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType, TracebackType

_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_POLL_S = 0.1


class StopSignal:
    """Install on enter, restore the previous handlers on exit.

    ``also`` is an optional event an in-process caller (a test) sets to stop the loop the same
    way. Outside the main thread no handler can be installed; only ``also`` stops it then.
    """

    def __init__(self, also: threading.Event | None = None) -> None:
        self.also = also
        self.signalled = False
        self._previous: dict[signal.Signals, object] = {}

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.signalled = True

    @property
    def stopped(self) -> bool:
        return self.signalled or (self.also is not None and self.also.is_set())

    def wait(self, timeout: float | None = None) -> bool:
        """Block until stopped (True) or ``timeout`` seconds pass (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.stopped:
            if deadline is None:
                time.sleep(_POLL_S)
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(_POLL_S, left))
        return True

    def __enter__(self) -> StopSignal:
        if threading.current_thread() is threading.main_thread():
            for sig in _SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._previous.clear()
