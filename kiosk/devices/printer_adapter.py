"""The ESC/POS printer in the common device model (an adapter around :class:`EscposPrinter`).

Three printer modules, three jobs: ``escpos_driver.py`` speaks ESC/POS to one link (status
bytes, checked delivery); this module makes that printer a managed :class:`Device`; and
``kiosk/printing/print_jobs.py`` renders documents and journals every job.

Why an adapter and not a rewrite of ``escpos_driver.py``: the print pipeline (``PrintService``)
already uses ``EscposPrinter`` and its tests pin its behaviour; the device manager only needs the
printer to look like every other device — common state, per-kind detail, capabilities,
self-test. So this class owns one open :class:`Transport`, polls ``DLE EOT 1..4`` on request
(``poll()``) and maps :class:`PrinterStatus` onto :class:`DeviceState` via ``common_state``.

One link, shared safely: a serial port can only be opened once, so print jobs must not open a
second handle while the manager polls. :meth:`PrinterDevice.lend_transport` hands the same link
to ``PrintService`` (as its ``printer_opener``) and holds the I/O lock until the job closes it,
so a status poll can never interleave with a job and steal its status replies.

Graphics memory: the device owns the :class:`HeldGraphics` record of the fixed labels its
printer holds, and empties it whenever the printer may have lost its RAM — a poll that finds
it silent or offline (it comes back from an off → on), a lost link, a reset. The lent link
carries the record, so every job through the manager uses the one record of this printer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from kiosk.devices.escpos_driver import EscposPrinter, PrinterStatus
from kiosk.devices.held_graphics import HeldGraphics
from kiosk.devices.links import Transport, open_transport
from kiosk.devices.model import (
    Capabilities,
    Device,
    DeviceState,
    DeviceUnavailableError,
    SelfTestResult,
)
from kiosk.errors import PrinterError

log = logging.getLogger(__name__)

DOTS_BY_PAPER = {58: 384, 80: 576}

TransportOpener = Callable[[str], Transport]


def _paper_detail(status: PrinterStatus) -> str:
    """``ok`` / ``near_end`` / ``out`` / ``unknown`` — the words the diagnostics screen shows."""
    return {"adequate": "ok"}.get(status.paper, status.paper)


class PrinterDevice(Device):
    """An ESC/POS printer on any URL ``open_transport`` understands (serial, tcp, file, sim)."""

    kind = "printer"

    def __init__(self, url: str, *, paper_mm: int = 80, native_qr: bool = True,
                 cutter: bool = True, baudrate: int = 115200, status_timeout: float = 0.3,
                 sim_out_dir: Path | None = None, opener: TransportOpener | None = None,
                 name: str | None = None) -> None:
        super().__init__(url, name=name)
        self.paper_mm = paper_mm
        self.native_qr = native_qr
        self.cutter = cutter
        self.baudrate = baudrate
        self.status_timeout = status_timeout
        self.sim_out_dir = sim_out_dir
        self._opener = opener
        self._io = threading.RLock()
        self._printer: EscposPrinter | None = None
        self.last_printer_status: PrinterStatus | None = None
        #: The fixed labels this printer holds in its download-graphics memory (see above).
        self.graphics = HeldGraphics()

    # -- lifecycle --------
    def _open_transport(self) -> Transport:
        if self._opener is not None:
            return self._opener(self.url)
        return open_transport(self.url, baudrate=self.baudrate, sim_out_dir=self.sim_out_dir,
                              paper_mm=self.paper_mm)

    def _connect(self) -> EscposPrinter:
        transport = self._open_transport()  # DeviceUnavailableError says no_device/offline
        printer = EscposPrinter(transport, status_timeout=self.status_timeout,
                                baudrate=self.baudrate)
        self._printer = printer
        return printer

    def _drop(self) -> None:
        self.graphics.forget("printer link closed or lost")
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:
                log.debug("closing printer link", exc_info=True)

    def _open(self) -> None:
        with self._io:
            self._connect()
        self.poll()

    def _close(self) -> None:
        with self._io:
            self._drop()

    # -- health --------
    def poll(self) -> DeviceState:
        """Ask ``DLE EOT 1..4`` (reconnecting first if the link was lost); update the state.

        Silence is ``offline`` with paper ``unknown`` — never "paper OK" (see ``escpos_driver.py``).
        A write-only link (``file://``) cannot be asked, so it is ``online`` with
        ``status_known`` False: bytes will be accepted, nothing more can be known.
        """
        if not self.is_open:
            return self.status().state
        with self._io:
            try:
                printer = self._printer or self._connect()
            except DeviceUnavailableError as exc:
                self.graphics.forget("printer not reachable")
                self._set_state(exc.state, error=exc.detail,
                                detail={"paper": "unknown", "status_known": False})
                return exc.state
            if not printer.transport.bidirectional:
                self._set_state(DeviceState.ONLINE, error="",
                                detail={"paper": "unknown", "cover_open": False,
                                        "status_known": False, "printer_state": "write-only"})
                return DeviceState.ONLINE
            try:
                status = printer.status()
            except PrinterError as exc:  # the link vanished (USB-serial pulled, socket reset)
                self._drop()
                self._set_state(DeviceState.OFFLINE, error=exc.detail,
                                detail={"paper": "unknown", "status_known": False})
                return DeviceState.OFFLINE
        return self._apply(status)

    check = poll  # the manager's health-poll name for command-driven devices

    def _apply(self, status: PrinterStatus) -> DeviceState:
        self.last_printer_status = status
        if not (status.answered and status.online):  # it may be off: RAM lost on power-up
            self.graphics.forget(f"printer {status.state}")
        state = DeviceState(status.common_state)
        problem = status.problem()
        self._set_state(state, error=problem[1] if problem else "", detail={
            "paper": _paper_detail(status), "cover_open": status.cover_open,
            "printer_state": status.state, "status_known": status.answered,
            "errors": [k for k in ("mechanical_error", "autocutter_error",
                                   "unrecoverable_error", "auto_recoverable_error")
                       if getattr(status, k)],
            "raw": " ".join(f"n{n}={b:02X}" for n, b in sorted(status.raw.items())),
        })
        return state

    # -- sharing the link with print jobs --------
    def lend_transport(self, url: str | None = None) -> Transport:
        """The open link for one print job; the I/O lock is held until the job closes it.

        Matches ``PrintService``'s ``printer_opener(url)`` signature, so the service prints
        through the managed link instead of opening the port a second time. Raises
        :class:`PrinterError` (the service journals it) when the printer cannot be reached.
        """
        self._io.acquire()
        try:
            if not self.is_open:
                raise PrinterError(f"{self.name} is closed")
            try:
                printer = self._printer or self._connect()
            except DeviceUnavailableError as exc:
                self._set_state(exc.state, error=exc.detail)
                raise PrinterError(exc.detail) from exc
            return _LentTransport(self, printer.transport)
        except BaseException:
            self._io.release()
            raise

    def _job_done(self, broken: bool) -> None:
        if broken:
            self._drop()
        self._io.release()

    # -- Device behaviour --------
    def capabilities(self) -> Capabilities:
        features = {"print", "raster"}
        if self.native_qr:
            features.add("native_qr")
        if self.cutter:
            features.add("cutter")
        printer = self._printer
        if printer is None or printer.transport.bidirectional:
            features.add("status")
        return Capabilities(self.kind, frozenset(features),
                            {"paper_mm": self.paper_mm, "dots": DOTS_BY_PAPER.get(self.paper_mm),
                             "native_qr": self.native_qr, "cutter": self.cutter})

    def self_test(self) -> SelfTestResult:
        """A fresh status poll; the test page is printed by the caller through ``PrintService``
        (so it is journalled like every other job)."""
        state = self.poll()
        st = self.status()
        detail: dict[str, Any] = dict(st.detail)
        detail["state"] = state.value
        if st.last_error:
            detail["error"] = st.last_error
        summary = f"{self.name}: {detail.get('printer_state', state.value)}, " \
                  f"paper {detail.get('paper', 'unknown')}"
        return SelfTestResult(state is DeviceState.ONLINE, summary, detail)

    def reset(self) -> None:
        """Drop and reopen the link, then poll."""
        with self._io:
            self._drop()
        self.poll()


class _LentTransport:
    """The printer's link for one job; ``close()`` gives it back (and releases the lock)."""

    def __init__(self, owner: PrinterDevice, inner: Transport) -> None:
        self._owner = owner
        self._inner = inner
        self.graphics = owner.graphics
        self.url = inner.url
        self.bidirectional = inner.bidirectional
        self._broken = False
        self._returned = False

    def write(self, data: bytes) -> None:
        try:
            self._inner.write(data)
        except PrinterError:
            self._broken = True
            raise

    def read(self, n: int, timeout: float) -> bytes:
        try:
            return self._inner.read(n, timeout)
        except PrinterError:
            self._broken = True
            raise

    def reset_input(self) -> None:
        self._inner.reset_input()

    def close(self) -> None:
        if self._returned:
            return
        self._returned = True
        self._owner._job_done(self._broken)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
