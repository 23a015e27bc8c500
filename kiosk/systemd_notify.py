"""systemd's service notification protocol (``sd_notify``): READY=1, WATCHDOG=1, STOPPING=1.

The protocol is one datagram of ``KEY=VALUE`` lines to the unix socket named by
``$NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace). It is written here
rather than taken from a library: libsystemd's binding (``systemd-python``) is an sdist that
needs a C compiler and libsystemd-dev on every kiosk, and the small pure-Python package on
PyPI (``sdnotify``) has been unmaintained since 2017, ignores the abstract namespace and
swallows every error. The whole client is a few lines and is tested against a real socket.

The watchdog is fed by a QTimer on the GUI thread (:func:`start_gui_watchdog`): if the GUI
thread hangs, the pings stop and systemd (``WatchdogSec=``) kills and restarts the kiosk.
A ping from any other thread would keep a frozen screen alive, which is the failure to catch.
Outside systemd (no ``$NOTIFY_SOCKET``) every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTimer

log = logging.getLogger(__name__)


def _address(name: str) -> str | bytes:
    """``@name`` is Linux's abstract namespace: a leading NUL byte on the wire."""
    return b"\0" + name[1:].encode() if name.startswith("@") else name


def notify(state: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send ``state`` (e.g. ``"READY=1"``) to systemd; False when not under systemd or on error.

    Never raises: a notification that cannot be sent must not stop a kiosk (systemd then
    restarts it if it was waiting for READY or a ping, which is the right outcome).
    """
    env = os.environ if environ is None else environ
    name = env.get("NOTIFY_SOCKET", "")
    if not name or not (name.startswith(("/", "@"))):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(_address(name))
            sock.sendall(state.encode())
    except OSError as exc:
        log.warning("systemd notification %r not sent: %s", state.split("=", 1)[0], exc)
        return False
    return True


def watchdog_interval_ms(environ: Mapping[str, str] | None = None) -> int | None:
    """Half of ``$WATCHDOG_USEC`` in milliseconds (systemd's advice), or None if no watchdog
    is set for this process (``$WATCHDOG_PID`` names another one, or the value is bad).

    ``$WATCHDOG_PID`` may name the parent: in the kiosk session the service's main process is
    cage, which runs the kiosk; the unit's ``NotifyAccess=all`` lets the child's pings count.
    """
    env = os.environ if environ is None else environ
    pid = env.get("WATCHDOG_PID")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    return max(1, usec // 2000)


def start_gui_watchdog(app: QCoreApplication,
                       environ: Mapping[str, str] | None = None) -> QTimer | None:
    """Under systemd: READY=1 now, WATCHDOG=1 from a GUI-thread timer, STOPPING=1 on quit.

    Call on the GUI thread once the window is built; returns the timer (None without a
    watchdog). Outside systemd nothing is sent and no timer is made.
    """
    env = dict(os.environ if environ is None else environ)
    if not env.get("NOTIFY_SOCKET"):
        return None
    from PySide6.QtCore import QTimer

    notify("READY=1", env)
    app.aboutToQuit.connect(lambda: notify("STOPPING=1", env))
    interval = watchdog_interval_ms(env)
    if interval is None:
        return None
    timer = QTimer(app)
    timer.setInterval(interval)
    timer.timeout.connect(lambda: notify("WATCHDOG=1", env))
    timer.start()
    log.info("systemd watchdog fed every %d ms from the GUI thread", interval)
    return timer


class _Waitable(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


def wait_serving(stop: _Waitable, environ: Mapping[str, str] | None = None) -> None:
    """A service without a GUI loop (``kiosk centre``): READY=1, then WATCHDOG=1 from the
    waiting thread until ``stop.wait`` returns True, then STOPPING=1."""
    env = dict(os.environ if environ is None else environ)
    notify("READY=1", env)
    interval = watchdog_interval_ms(env)
    if interval is None:
        stop.wait()
    else:
        while not stop.wait(interval / 1000):
            notify("WATCHDOG=1", env)
    notify("STOPPING=1", env)


__all__ = ["notify", "start_gui_watchdog", "wait_serving", "watchdog_interval_ms"]
