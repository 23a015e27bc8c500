"""Device simulators that speak the real wire protocols, plus a per-process registry.

The registry is what makes ``sim://…`` URLs behave like physical devices:

* ``sim://printer`` is one in-process printer per process (no thread, no pty): every job goes to
  the same simulator, so its paper state persists between jobs and a test (or the technician
  screen) can fault it with ``sim_registry.get("printer").paper = "out"``.
* ``sim://fingerprint``, ``sim://rfid`` and ``sim://scanner`` are the serial simulators on a
  pseudo-terminal, started when the first link opens and stopped when the last one closes
  (reference counted), so the default configuration leaves no thread behind after ``close()``.
  The simulator *object* outlives its pty, so scripted state (enrolled fingers, a card on the
  reader) survives a reconnect. pyserial finds them through its URL-handler hook
  (``kiosk/devices/sim/protocol_sim.py``), so every driver — and independent libraries such as
  pyfingerprint — open ``sim://fingerprint`` with plain ``serial_for_url``.
* ``sim://rdservice`` is the HTTP RD Service simulator on an ephemeral loopback port, started and
  stopped the same way; the port is kept across restarts so a "replugged" service is found again.

``unplug(name)`` / ``replug(name)`` pull a running simulator away and put it back (the pty
vanishes: a driver reading it gets EIO exactly as with a pulled USB cable).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim, decode_to_png

log = logging.getLogger(__name__)

ALIASES = {"card_reader": "rfid", "rd": "rdservice"}


def _fingerprint() -> Any:
    from kiosk.devices.sim.fingerprint import FingerprintPtySim, FingerprintSimulator

    # Page 0 holds a finger, so a technician can run a capture-and-match self-test.
    return FingerprintPtySim(FingerprintSimulator(library_size=1000, enrolled=1))


def _rfid() -> Any:
    from kiosk.devices.sim.rfid import RfidSimulator

    return RfidSimulator()


def _scanner() -> Any:
    from kiosk.devices.sim.scanner import ScannerSimulator

    return ScannerSimulator()


def _rdservice() -> Any:
    from kiosk.devices.sim.rdservice import RdServiceSimulator

    return RdServiceSimulator("127.0.0.1", 0)


@dataclass(frozen=True)
class SimKind:
    """How ``sim://NAME`` is hosted (``pty``: a serial line; ``http``: a loopback server) and
    the factory that makes a fresh simulator in the state the default configuration expects."""

    host: str
    factory: Callable[[], Any]


#: Simulators that ``sim://NAME`` can start besides the in-process printer (the device-kind
#: table in ``kiosk/devices/kinds.py`` names which one stands in for each device).
SIMULATORS: dict[str, SimKind] = {
    "fingerprint": SimKind("pty", _fingerprint),
    "rfid": SimKind("pty", _rfid),
    "scanner": SimKind("pty", _scanner),
    "rdservice": SimKind("http", _rdservice),
}
SERIAL_SIMS = tuple(name for name, k in SIMULATORS.items() if k.host == "pty")
HTTP_SIMS = tuple(name for name, k in SIMULATORS.items() if k.host == "http")


class SimUnavailableError(OSError):
    """The named simulator is "unplugged" (or unknown): what a missing device looks like."""


@dataclass
class _Running:
    """One startable simulator: the object, how to start/stop it, and who holds it."""

    sim: Any
    refs: int = 0
    running: bool = False
    plugged: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


def _make(name: str) -> Any:
    """A fresh simulator for ``name`` (from :data:`SIMULATORS`)."""
    row = SIMULATORS.get(name)
    if row is None:
        raise SimUnavailableError(f"no simulator called {name!r} "
                                  f"(known: printer, {', '.join(SIMULATORS)})")
    return row.factory()


def _address(name: str, sim: Any) -> str:
    return str(sim.url if name in HTTP_SIMS else sim.address)


def sim_name(url: str) -> str:
    """``sim://fingerprint?x=1`` → ``fingerprint`` (aliases resolved)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    name = rest.split("?", 1)[0].strip("/").lower() or "printer"
    return ALIASES.get(name, name)


class SimRegistry:
    """Named in-process simulators, created on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sims: dict[str, EscposPrinterSim] = {}
        self._hosted: dict[str, _Running] = {}

    # -- the in-process printer ------------------------------------------------------------
    def get(self, name: str = "printer", *, out_dir: Path | None = None,
            paper_mm: int = 80) -> EscposPrinterSim:
        """The simulator called ``name``; ``out_dir`` is set if the simulator has none yet."""
        with self._lock:
            sim = self._sims.get(name)
            if sim is None:
                if name != "printer":
                    raise KeyError(f"no simulator called {name!r} (known: printer)")
                sim = EscposPrinterSim(paper_mm=paper_mm, out_dir=out_dir)
                self._sims[name] = sim
            elif out_dir is not None and sim.out_dir is None:
                sim.out_dir = out_dir
            return sim

    # -- hosted simulators (pty / HTTP) -----------------------------------------------------
    def _entry(self, name: str) -> _Running:
        name = ALIASES.get(name, name)
        with self._lock:
            entry = self._hosted.get(name)
            if entry is None:
                entry = _Running(_make(name))
                self._hosted[name] = entry
            return entry

    def simulator(self, name: str) -> Any:
        """The simulator object behind ``sim://name`` (for scripting: ``present``, ``scan`` …)."""
        return self._entry(name).sim

    def acquire(self, name: str) -> str:
        """Start ``name`` if needed and take a reference; returns its address (pty path/URL).

        Raises :class:`SimUnavailableError` when the simulator is unplugged — the same
        "not there" a driver sees for a missing ``/dev/ttyUSB0``.
        """
        name = ALIASES.get(name, name)
        entry = self._entry(name)
        with entry.lock:
            if not entry.plugged:
                raise SimUnavailableError(f"simulated {name} is unplugged")
            if not entry.running:
                entry.sim.start()
                entry.running = True
                log.debug("simulated %s started at %s", name, _address(name, entry.sim))
            entry.refs += 1
            return _address(name, entry.sim)

    def release(self, name: str) -> None:
        """Drop a reference; the last one stops the simulator (threads joined, fds closed)."""
        name = ALIASES.get(name, name)
        with self._lock:
            entry = self._hosted.get(name)
        if entry is None:
            return
        with entry.lock:
            entry.refs = max(0, entry.refs - 1)
            if entry.refs == 0 and entry.running:
                entry.sim.stop()
                entry.running = False

    def is_running(self, name: str) -> bool:
        name = ALIASES.get(name, name)
        with self._lock:
            entry = self._hosted.get(name)
        return bool(entry and entry.running)

    def unplug(self, name: str) -> None:
        """Pull the simulated device away: its pty/port vanishes until :meth:`replug`."""
        entry = self._entry(name)
        with entry.lock:
            entry.plugged = False
            if entry.running:
                entry.sim.stop()
                entry.running = False

    def replug(self, name: str) -> None:
        """Put it back; it starts again at once if a driver still holds a reference."""
        entry = self._entry(name)
        with entry.lock:
            entry.plugged = True
            if entry.refs > 0 and not entry.running:
                entry.sim.start()
                entry.running = True

    def reset(self) -> None:
        """Stop and forget every simulator (tests call this so state never leaks)."""
        with self._lock:
            self._sims.clear()
            hosted, self._hosted = list(self._hosted.values()), {}
        for entry in hosted:
            with entry.lock:
                if entry.running:
                    try:
                        entry.sim.stop()
                    except Exception:  # one broken simulator must not keep others running
                        log.exception("stopping a simulator failed")
                    entry.running = False


sim_registry = SimRegistry()

__all__ = ["SIMULATORS", "EscposPrinterSim", "PrinterPtySim", "SimKind", "SimRegistry",
           "SimUnavailableError", "decode_to_png", "sim_name", "sim_registry"]
