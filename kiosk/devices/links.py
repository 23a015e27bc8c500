"""One way to open a device link, chosen by URL: serial ports, TCP, files, simulators.

Why URLs: a kiosk's printer moves between a USB-serial adapter, an Ethernet port 9100 and the
simulator, a fingerprint module between ``/dev/ttyUSB1`` and ``sim://fingerprint``, without a
code change. Everything serial-like goes through :func:`open_port`, the tree's only call of
pyserial's ``serial_for_url``, which already understands ``/dev/ttyUSB0``, ``socket://``,
``loop://``, ``spy://``, ``hwgrep://`` and (through the URL-handler hook registered by
``kiosk.devices``) ``sim://NAME`` — python-escpos' own ``Serial`` class opens
``serial.Serial(port)`` and cannot. On top of it:

* :func:`open_port` returns the pyserial port itself, for drivers that speak a framed protocol
  with pyserial's API (fingerprint module, card reader, code scanner).
* :func:`open_transport` returns the small :class:`Transport` protocol the printer driver uses;
  it adds the links that are not serial ports (``file://`` spools, the in-process
  ``sim://printer``, ``usb://VID:PID`` printers through pyusb) through the
  :data:`TRANSPORT_SCHEMES` table
  and wraps everything else around :func:`open_port`.

Both accept ``tcp://host:port`` (the same as ``socket://``) and ``?baudrate=…&timeout=…`` in the
URL, and both report a link that cannot be opened the same way: :class:`DeviceUnavailableError`
with ``no_device`` (nothing at that path) or ``offline`` (present but refusing). Drivers are
therefore tested against the simulators through exactly the bytes a real device would get.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, cast, runtime_checkable
from urllib.parse import parse_qsl, urlencode, urlsplit

import serial

from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.errors import PrinterError
from kiosk.i18n import N_

DEFAULT_BAUDRATE = 115200
DEFAULT_TIMEOUT = 0.5

MSG_NO_DEVICE = N_("The printer is not connected. Please ask the staff for help.")


@runtime_checkable
class Transport(Protocol):
    """What the printer driver needs from a link: write, read with a timeout, close (twice is
    fine). Write and read failures raise :class:`PrinterError`: a link the printer lost."""

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
            raise DeviceUnavailableError(f"cannot open {path} for writing: {exc}",
                                         message=MSG_NO_DEVICE,
                                         state=DeviceState.OFFLINE) from exc

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


def _missing(exc: BaseException) -> bool:
    """Did opening fail because nothing is at that path (as opposed to a refusal)?"""
    return (isinstance(exc, FileNotFoundError) or isinstance(exc.__context__, FileNotFoundError)
            or "No such file" in str(exc))


def open_port(url: str, *, baudrate: int = DEFAULT_BAUDRATE, timeout: float = DEFAULT_TIMEOUT,
              write_timeout: float | None = None, message: str | None = None) -> serial.SerialBase:
    """Open any pyserial URL as a pyserial port: the one ``serial_for_url`` call in the kiosk.

    ``tcp://host:port`` means ``socket://host:port``; ``?baudrate=9600`` / ``?timeout=0.1`` in
    the URL override the arguments (other query options are pyserial's). Raises
    :class:`DeviceUnavailableError`: ``no_device`` when nothing is at that path, ``offline``
    when it is there but refuses (a busy port, a closed TCP port). ``message`` is the user
    message the error carries (the device kind's "not connected" sentence).
    """
    base, ours = _split_query(url)
    if base.startswith("tcp://"):
        base = "socket://" + base[len("tcp://"):]
    try:
        rate = int(ours.get("baudrate", baudrate))
        wait = float(ours.get("timeout", timeout))
    except ValueError as exc:
        raise DeviceUnavailableError(f"bad baudrate/timeout in {url!r}: {exc}", message=message,
                                     state=DeviceState.OFFLINE) from exc
    try:
        return cast(serial.SerialBase, serial.serial_for_url(base, baudrate=rate, timeout=wait,
                                                             write_timeout=write_timeout))
    except (serial.SerialException, OSError, ValueError) as exc:
        state = DeviceState.NO_DEVICE if _missing(exc) else DeviceState.OFFLINE
        raise DeviceUnavailableError(f"cannot open {url!r}: {exc}", message=message,
                                     state=state) from exc


@dataclass(frozen=True)
class _TransportOptions:
    """What :func:`open_transport` was asked for, handed to the scheme's opener."""

    baudrate: int
    timeout: float
    sim_out_dir: Path | None
    paper_mm: int


def _open_file(url: str, options: _TransportOptions) -> Transport:
    return FileTransport(url, Path(urlsplit(url).path))


def _open_sim(url: str, options: _TransportOptions) -> Transport:
    """``sim://printer`` in process; any other ``sim://NAME`` is a serial simulator's pty."""
    from kiosk.devices.sim import sim_name, sim_registry

    name = sim_name(url)
    if name != "printer":
        return _open_serial(url, options)
    sim = sim_registry.get(name, out_dir=options.sim_out_dir, paper_mm=options.paper_mm)
    return SimTransport(url, sim)


def _open_usb(url: str, options: _TransportOptions) -> Transport:
    """``usb://VID:PID[?interface=…&out=…&in=…]``: bulk endpoints through pyusb and libusb
    (``?bus=sim``: the simulated printer on a virtual USB bus); see ``usb_printer.py``."""
    from kiosk.devices.usb_printer import open_usb_transport

    return open_usb_transport(url, paper_mm=options.paper_mm, sim_out_dir=options.sim_out_dir)


def _open_serial(url: str, options: _TransportOptions) -> Transport:
    port = open_port(url, baudrate=options.baudrate, timeout=options.timeout, write_timeout=30,
                     message=MSG_NO_DEVICE)
    return SerialTransport(url, cast(serial.Serial, port))


#: URL scheme → opener, for the links that are not (only) a pyserial port. Every other URL —
#: a device path, ``socket://``, ``tcp://``, ``loop://``, ``spy://`` … — is :func:`open_port`.
TRANSPORT_SCHEMES: dict[str, Callable[[str, _TransportOptions], Transport]] = {
    "file": _open_file,
    "sim": _open_sim,
    "usb": _open_usb,
}


def open_transport(url: str, *, baudrate: int = DEFAULT_BAUDRATE,
                   timeout: float = DEFAULT_TIMEOUT, sim_out_dir: Path | None = None,
                   paper_mm: int = 80) -> Transport:
    """Open the link named by ``url`` as a :class:`Transport` (what the printer driver uses).

    - ``/dev/ttyUSB0``, ``COM3``, ``socket://h:p``, ``tcp://h:p``, ``loop://``, ``spy://…``,
      ``hwgrep://…``: :func:`open_port` (``?baudrate=9600`` in the URL overrides ``baudrate``)
    - ``file:///path``: write-only, reads return ``b""``
    - ``sim://printer``: the in-process simulator (one per process; jobs saved to
      ``sim_out_dir``); ``sim://fingerprint`` etc.: that simulator's pty, through
      :func:`open_port`
    - ``usb://VID:PID[?interface=0&out=0x01&in=0x82]``: a USB printer through pyusb (bulk
      OUT for jobs, bulk IN for status; :mod:`kiosk.devices.usb_printer`)

    Raises :class:`DeviceUnavailableError` (with the printer's "not connected" message) when
    the link cannot be opened.
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    opener = TRANSPORT_SCHEMES.get(scheme, _open_serial)
    return opener(url, _TransportOptions(baudrate, timeout, sim_out_dir, paper_mm))
