"""Byte transports chosen by URL: serial ports, TCP, files and the in-process simulator.

Why URLs: a kiosk's printer moves between a USB-serial adapter, an Ethernet port 9100 and the
simulator without a code change. Everything serial-like goes through pyserial's
``serial_for_url``, which already understands ``/dev/ttyUSB0``, ``socket://``, ``loop://``,
``spy://`` and ``hwgrep://`` — python-escpos' own ``Serial`` class opens ``serial.Serial(port)``
and cannot. Drivers see only the small :class:`Transport` protocol, so they are tested against
the simulator through exactly the bytes a real device would get.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, cast, runtime_checkable
from urllib.parse import parse_qsl, urlencode, urlsplit

import serial

from kiosk.errors import PrinterError
from kiosk.i18n import N_

DEFAULT_BAUDRATE = 115200
DEFAULT_TIMEOUT = 0.5

MSG_NO_DEVICE = N_("The printer is not connected. Please ask the staff for help.")


@runtime_checkable
class Transport(Protocol):
    """What a driver needs from a link: write, read with a timeout, close (twice is fine)."""

    url: str
    #: False for links with no way back (a file, a spool): status cannot be asked there.
    bidirectional: bool

    def write(self, data: bytes) -> None: ...

    def read(self, n: int, timeout: float) -> bytes: ...

    def reset_input(self) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class _Base:
    """Context-manager plumbing and a closed flag; no ``__del__`` on purpose (explicit close)."""

    url: str = ""
    bidirectional = True
    _closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise PrinterError(f"transport {self.url} is closed", message=MSG_NO_DEVICE)

    def close(self) -> None:
        self._closed = True


class SerialTransport(_Base):
    """Any pyserial URL (device path, ``socket://``, ``loop://``, ``spy://`` …)."""

    def __init__(self, url: str, port: serial.Serial) -> None:
        self.url = url
        self.port = port

    def write(self, data: bytes) -> None:
        self._check_open()
        try:
            self.port.write(data)
            self.port.flush()
        except (serial.SerialException, OSError) as exc:
            raise PrinterError(f"write to {self.url} failed: {exc}",
                               message=MSG_NO_DEVICE) from exc

    def read(self, n: int, timeout: float) -> bytes:
        self._check_open()
        deadline = time.monotonic() + timeout
        out = bytearray()
        try:
            while len(out) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.port.timeout = remaining
                chunk = self.port.read(n - len(out))
                if chunk:
                    out += chunk
        except (serial.SerialException, OSError) as exc:
            raise PrinterError(f"read from {self.url} failed: {exc}",
                               message=MSG_NO_DEVICE) from exc
        return bytes(out)

    def reset_input(self) -> None:
        self._check_open()
        try:
            self.port.reset_input_buffer()
        except (serial.SerialException, OSError, NotImplementedError):
            pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.port.close()
        except (serial.SerialException, OSError):
            pass


class FileTransport(_Base):
    """Append everything to a file (a spool or ``/dev/usb/lp0``); nothing ever answers."""

    bidirectional = False

    def __init__(self, url: str, path: Path) -> None:
        self.url = url
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("ab")
        except OSError as exc:
            raise PrinterError(f"cannot open {path} for writing: {exc}",
                               message=MSG_NO_DEVICE) from exc

    def write(self, data: bytes) -> None:
        self._check_open()
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:
            raise PrinterError(f"write to {self.path} failed: {exc}",
                               message=MSG_NO_DEVICE) from exc

    def read(self, n: int, timeout: float) -> bytes:
        self._check_open()
        return b""

    def reset_input(self) -> None:
        """A file has no input."""

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._file.close()


class SimTransport(_Base):
    """Feeds the in-process printer simulator directly and buffers its replies."""

    def __init__(self, url: str, sim: object) -> None:
        from kiosk.devices.sim.escpos_printer import EscposPrinterSim

        if not isinstance(sim, EscposPrinterSim):
            raise TypeError("SimTransport needs an EscposPrinterSim")
        self.url = url
        self.sim = sim
        self._replies = bytearray()
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        self._check_open()
        reply = self.sim.feed(data)
        with self._lock:
            self._replies += reply

    def read(self, n: int, timeout: float) -> bytes:
        """Replies are produced synchronously by ``write``; none buffered means silence."""
        self._check_open()
        with self._lock:
            out = bytes(self._replies[:n])
            del self._replies[:n]
        if not out and timeout > 0:
            time.sleep(min(timeout, 0.01))  # a silent printer still costs the caller a wait
        return out

    def reset_input(self) -> None:
        with self._lock:
            self._replies.clear()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.sim.end_job()


def _split_query(url: str) -> tuple[str, dict[str, str]]:
    """Take our own ``baudrate`` (and ``timeout``) out of the query; keep pyserial's options."""
    parts = urlsplit(url)
    if not parts.query:
        return url, {}
    params = parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in params if k in ("baudrate", "timeout")}
    rest = [(k, v) for k, v in params if k not in ("baudrate", "timeout")]
    base = url.split("?", 1)[0]
    return (f"{base}?{urlencode(rest)}" if rest else base), ours


def open_transport(url: str, *, baudrate: int = DEFAULT_BAUDRATE,
                   timeout: float = DEFAULT_TIMEOUT, sim_out_dir: Path | None = None,
                   paper_mm: int = 80) -> Transport:
    """Open the link named by ``url``.

    - ``/dev/ttyUSB0``, ``COM3``, ``socket://h:p``, ``loop://``, ``spy://…``, ``hwgrep://…``:
      pyserial (``?baudrate=9600`` in the URL overrides ``baudrate``)
    - ``tcp://host:9100``: the same as ``socket://host:9100``
    - ``file:///path``: write-only, reads return ``b""``
    - ``sim://printer``: the in-process simulator (one per process; jobs saved to
      ``sim_out_dir``)
    - ``usb://…``: not supported yet (raises :class:`PrinterError`)
    """
    if url.startswith("sim://"):
        from kiosk.devices.sim import sim_registry

        name = url[len("sim://"):].split("?", 1)[0].strip("/") or "printer"
        try:
            sim = sim_registry.get(name, out_dir=sim_out_dir, paper_mm=paper_mm)
        except KeyError as exc:
            raise PrinterError(f"unknown simulator in {url!r}: {exc}",
                               message=MSG_NO_DEVICE) from exc
        return SimTransport(url, sim)
    if url.startswith("file://"):
        return FileTransport(url, Path(urlsplit(url).path))
    if url.startswith("usb://"):
        raise PrinterError(f"USB printers ({url}) are not supported yet; use a serial, "
                           "tcp:// or file:// URL", message=MSG_NO_DEVICE)
    base, ours = _split_query(url)
    if base.startswith("tcp://"):
        base = "socket://" + base[len("tcp://"):]
    try:
        rate = int(ours.get("baudrate", baudrate))
        wait = float(ours.get("timeout", timeout))
    except ValueError as exc:
        raise PrinterError(f"bad baudrate/timeout in {url!r}: {exc}",
                           message=MSG_NO_DEVICE) from exc
    try:
        port = cast(serial.Serial, serial.serial_for_url(base, baudrate=rate, timeout=wait,
                                                          write_timeout=30))
    except (serial.SerialException, OSError, ValueError) as exc:
        raise PrinterError(f"cannot open {url!r}: {exc}", message=MSG_NO_DEVICE) from exc
    return SerialTransport(url, port)
