"""QR/barcode scanners: serial line mode (preferred) and USB HID boot-keyboard reports.

**Serial ("USB-COM") mode**: the scanner appears as ``/dev/ttyACM*`` and sends each code as a
line ended by CR, LF or CRLF. Lines can be very long — an Aadhaar Secure QR is several
thousand decimal digits — so the assembler allows long lines but still has a ceiling
(``max_line``): a stuck scanner or line noise without terminators must not grow memory forever.

**USB HID keyboard mode**: the scanner types. Letting it type into whatever has focus (a
"keyboard wedge") would let a QR code inject text into a form field, so the kiosk reads the
8-byte boot-keyboard reports itself through pyusb and decodes them here: byte 0 modifiers,
byte 1 reserved, bytes 2–7 usage codes of the keys currently down. A key counts when it first
appears in a report (scanners release every key between characters); Enter ends the code.
"""

from __future__ import annotations

import logging
import queue
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.devices.model import (
    Capabilities,
    DeviceState,
    DeviceUnavailableError,
    ListenerRegistry,
    SelfTestResult,
    SerialStreamingDevice,
    StreamingDevice,
)
from kiosk.i18n import N_

log = logging.getLogger(__name__)

DEFAULT_MAX_LINE = 16 * 1024
# C0 controls that never occur in a real scan. TAB, EOT, GS and RS are allowed because GS1 and
# ISO/IEC 15434 codes (medicine packs, some ID documents) use them as separators.
_BAD_CONTROL = re.compile("[\x00-\x03\x05-\x08\x0b-\x1c\x1f\x7f]")


@dataclass(frozen=True)
class LineError:
    reason: str


class LineAssembler:
    """Bytes → lines; CR, LF and CRLF all end a line (CRLF counts once)."""

    def __init__(self, max_line: int = DEFAULT_MAX_LINE) -> None:
        self.max_line = max_line
        self._buf = bytearray()
        self._after_cr = False
        self._overflow = False

    def clear(self) -> None:
        self._buf.clear()
        self._after_cr = False
        self._overflow = False

    def feed(self, data: bytes) -> list[str | LineError]:
        out: list[str | LineError] = []
        for b in data:
            if b == 0x0A and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = b == 0x0D
            if b in (0x0D, 0x0A):
                out.extend(self._finish())
                continue
            if self._overflow:
                continue
            self._buf.append(b)
            if len(self._buf) > self.max_line:
                self._overflow = True
                self._buf.clear()
        return out

    def _finish(self) -> list[str | LineError]:
        if self._overflow:
            self._overflow = False
            return [LineError(f"line longer than {self.max_line} bytes discarded")]
        raw, self._buf = bytes(self._buf), bytearray()
        if not raw:
            return []
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return [LineError(f"undecodable bytes in scan: {exc.reason}")]
        if _BAD_CONTROL.search(text):
            return [LineError("control characters in scan (line noise?)")]
        return [text]


# HID usage ids (USB HID Usage Tables, keyboard page 0x07) → (plain, shifted)
_USAGE: dict[int, tuple[str, str]] = {}
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz"):
    _USAGE[0x04 + _i] = (_c, _c.upper())
for _i, (_p, _s) in enumerate(zip("1234567890", "!@#$%^&*()", strict=True)):
    _USAGE[0x1E + _i] = (_p, _s)
_USAGE.update({
    0x2B: ("\t", "\t"), 0x2C: (" ", " "), 0x2D: ("-", "_"), 0x2E: ("=", "+"),
    0x2F: ("[", "{"), 0x30: ("]", "}"), 0x31: ("\\", "|"), 0x33: (";", ":"),
    0x34: ("'", '"'), 0x35: ("`", "~"), 0x36: (",", "<"), 0x37: (".", ">"),
    0x38: ("/", "?"),
    # keypad digits and symbols, which some scanners use for numeric codes
    0x54: ("/", "/"), 0x55: ("*", "*"), 0x56: ("-", "-"), 0x57: ("+", "+"),
    0x59: ("1", "1"), 0x5A: ("2", "2"), 0x5B: ("3", "3"), 0x5C: ("4", "4"),
    0x5D: ("5", "5"), 0x5E: ("6", "6"), 0x5F: ("7", "7"), 0x60: ("8", "8"),
    0x61: ("9", "9"), 0x62: ("0", "0"), 0x63: (".", "."),
})
USAGE_ENTER = 0x28
USAGE_KEYPAD_ENTER = 0x58
USAGE_ERROR_ROLLOVER = 0x01
SHIFT_BITS = 0x22  # left shift 0x02, right shift 0x20

_CHAR_TO_USAGE: dict[str, tuple[int, bool]] = {}
for _u, (_p, _s) in sorted(_USAGE.items(), reverse=True):  # main block wins over keypad
    _CHAR_TO_USAGE[_p] = (_u, False)
    if _s != _p:
        _CHAR_TO_USAGE[_s] = (_u, True)


def encode_hid_reports(text: str, *, enter: bool = True) -> list[bytes]:
    """The press/release reports a HID scanner sends for ``text`` (for simulators and tests)."""
    reports: list[bytes] = []
    for ch in text:
        if ch not in _CHAR_TO_USAGE:
            raise ValueError(f"cannot type {ch!r} on a boot keyboard")
        usage, shift = _CHAR_TO_USAGE[ch]
        reports.append(bytes((0x02 if shift else 0, 0, usage, 0, 0, 0, 0, 0)))
        reports.append(bytes(8))
    if enter:
        reports += [bytes((0, 0, USAGE_ENTER, 0, 0, 0, 0, 0)), bytes(8)]
    return reports


class HidReportDecoder:
    """8-byte boot-keyboard reports → completed lines (Enter terminates)."""

    REPORT_LEN = 8

    def __init__(self, max_line: int = DEFAULT_MAX_LINE) -> None:
        self.max_line = max_line
        self._down: set[int] = set()
        self._chars: list[str] = []
        self._overflow = False
        self._partial = bytearray()
        self.unknown_usages = 0

    def clear(self) -> None:
        self._down.clear()
        self._chars.clear()
        self._overflow = False
        self._partial.clear()

    def feed(self, data: bytes) -> list[str | LineError]:
        """Any number of bytes (whole or split reports)."""
        self._partial += data
        out: list[str | LineError] = []
        while len(self._partial) >= self.REPORT_LEN:
            report = bytes(self._partial[:self.REPORT_LEN])
            del self._partial[:self.REPORT_LEN]
            out.extend(self.feed_report(report))
        return out

    def feed_report(self, report: bytes) -> list[str | LineError]:
        if len(report) != self.REPORT_LEN:
            return [LineError(f"HID report of {len(report)} bytes (expected 8)")]
        keys = [k for k in report[2:8] if k]
        if USAGE_ERROR_ROLLOVER in keys:  # too many keys down: the report carries no keys
            return []
        shift = bool(report[0] & SHIFT_BITS)
        new = [k for k in keys if k not in self._down]
        self._down = set(keys)
        out: list[str | LineError] = []
        for k in new:
            if k in (USAGE_ENTER, USAGE_KEYPAD_ENTER):
                out.extend(self._finish())
                continue
            mapped = _USAGE.get(k)
            if mapped is None:
                self.unknown_usages += 1
                continue
            if self._overflow:
                continue
            self._chars.append(mapped[1] if shift else mapped[0])
            if len(self._chars) > self.max_line:
                self._overflow = True
                self._chars.clear()
        return out

    def _finish(self) -> list[str | LineError]:
        if self._overflow:
            self._overflow = False
            return [LineError(f"scan longer than {self.max_line} characters discarded")]
        text, self._chars = "".join(self._chars), []
        return [text] if text else []


@dataclass(frozen=True)
class ScanEvent:
    text: str
    source: str  # "serial" | "usb-hid"
    at: float

    def __repr__(self) -> str:  # scans may be Aadhaar QR data: never print the payload
        return f"ScanEvent(len={len(self.text)}, source={self.source!r})"


ScanListener = Callable[[ScanEvent], None]


class _ScannerMixin:
    """What both scanner kinds share: events, a queue, error accounting."""

    kind = "scanner"
    source = "serial"
    name: str
    bad_input: int

    def _init_scans(self) -> None:
        self._scans: ListenerRegistry[ScanEvent] = ListenerRegistry("scan")
        self._queue: queue.Queue[ScanEvent] = queue.Queue(maxsize=32)
        self.scans = 0

    def add_scan_listener(self, callback: ScanListener) -> Callable[[], None]:
        """``callback(ScanEvent)`` from the worker thread for every complete code."""
        return self._scans.add(callback)

    def wait_for_scan(self, timeout: float) -> str | None:
        try:
            return self._queue.get(timeout=timeout).text
        except queue.Empty:
            return None

    def _handle(self, items: list[str | LineError]) -> None:
        for item in items:
            if isinstance(item, LineError):
                self.bad_input += 1
                log.warning("%s: %s", self.name, item.reason)
                self._input_error(item.reason)  # type: ignore[attr-defined]
                continue
            self.scans += 1
            self._input_recovered()  # type: ignore[attr-defined]
            ev = ScanEvent(item, self.source, time.monotonic())
            # Log the length only: a scan may carry personal data (Aadhaar QR).
            log.info("%s: scanned %d characters", self.name, len(item))
            self._set_state(detail={"scans": self.scans,  # type: ignore[attr-defined]
                                    "last_length": len(item)})
            try:
                self._queue.put_nowait(ev)
            except queue.Full:
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    pass
                self._queue.put_nowait(ev)
            self._scans.emit(ev)

    def _scan_self_test(self, timeout: float) -> SelfTestResult:
        st: Any = self.status()  # type: ignore[attr-defined]
        if st.state in (DeviceState.NO_DEVICE, DeviceState.OFFLINE):
            return SelfTestResult(False, f"{self.name}: {st.state.value}",
                                  {"error": st.last_error})
        text = self.wait_for_scan(timeout)
        if text is None:
            return SelfTestResult(False, f"{self.name}: nothing scanned within {timeout:.0f} s")
        return SelfTestResult(True, f"{self.name}: read {len(text)} characters",
                              {"length": len(text)})


class SerialScanner(_ScannerMixin, SerialStreamingDevice):
    """A scanner in serial/USB-COM line mode on any pyserial URL."""

    baudrate = 9600

    def __init__(self, url: str, *, max_line: int = DEFAULT_MAX_LINE,
                 baudrate: int | None = None, name: str | None = None) -> None:
        SerialStreamingDevice.__init__(self, url, baudrate=baudrate, name=name)
        self._lines = LineAssembler(max_line)
        self._init_scans()

    def _on_connected(self) -> None:
        self._lines.clear()

    def _feed(self, data: bytes) -> None:
        self._handle(self._lines.feed(data))

    def capabilities(self) -> Capabilities:
        return Capabilities(self.kind, frozenset({"scan"}),
                            {"mode": "serial", "max_line": self._lines.max_line})

    def self_test(self, timeout: float = 5.0) -> SelfTestResult:
        return self._scan_self_test(timeout)


class UsbBackendMissingError(DeviceUnavailableError):
    default_message = N_("A device is not connected. Please ask the staff for help.")


_USB_URL = re.compile(r"^usb://([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})(?:\?interface=(\d+))?$")


def parse_usb_url(url: str) -> tuple[int, int, int]:
    """``usb://VID:PID[?interface=N]`` (hex ids) → (vid, pid, interface)."""
    m = _USB_URL.match(url)
    if not m:
        raise ValueError(f"not a usb://VID:PID url: {url!r}")
    return int(m.group(1), 16), int(m.group(2), 16), int(m.group(3) or 0)


def usb_backend() -> Any:
    """The libusb backend from ``libusb-package`` (a wheel), else the system libusb, else None."""
    try:
        import libusb_package

        backend = libusb_package.get_libusb1_backend()
        if backend is not None:
            return backend
    except Exception:  # libusb-package missing or broken: try the system library
        log.debug("libusb-package backend unavailable", exc_info=True)
    try:
        import usb.backend.libusb1

        return usb.backend.libusb1.get_backend()
    except Exception:
        return None


class UsbHidScanner(_ScannerMixin, StreamingDevice):
    """A scanner in USB HID keyboard mode, read directly (never as a keyboard wedge).

    ``finder`` is the device look-up (default ``usb.core.find``); it is a parameter so the
    decode-and-event path can be exercised without USB hardware.
    """

    source = "usb-hid"

    def __init__(self, url: str, *, max_line: int = DEFAULT_MAX_LINE,
                 finder: Callable[..., Any] | None = None, name: str | None = None) -> None:
        StreamingDevice.__init__(self, url, name=name)
        self.vid, self.pid, self.interface = parse_usb_url(url)
        self._decoder = HidReportDecoder(max_line)
        self._finder = finder
        self._dev: Any = None
        self._ep: Any = None
        self._usb_errors: tuple[type[BaseException], ...] = ()
        self._timeout_errors: tuple[type[BaseException], ...] = ()
        self._init_scans()

    def _connect(self) -> None:
        finder = self._finder
        backend = None
        if finder is None:
            try:
                import usb.core
            except ImportError as exc:
                raise UsbBackendMissingError(
                    f"{self.name}: pyusb is not installed ({exc})") from exc
            backend = usb_backend()
            if backend is None:
                raise UsbBackendMissingError(
                    f"{self.name}: no libusb backend (install libusb-package or libusb-1.0)")
            finder = usb.core.find
            self._usb_errors = (usb.core.USBError,)
            self._timeout_errors = (usb.core.USBTimeoutError,)
        try:
            dev = finder(idVendor=self.vid, idProduct=self.pid, backend=backend)
        except Exception as exc:
            raise DeviceUnavailableError(f"{self.name}: USB look-up failed: {exc}") from exc
        if dev is None:
            raise DeviceUnavailableError(
                f"{self.name}: no USB device {self.vid:04x}:{self.pid:04x} attached")
        try:
            if dev.is_kernel_driver_active(self.interface):
                dev.detach_kernel_driver(self.interface)  # stop it typing into the GUI
            dev.set_configuration()
            cfg = dev.get_active_configuration()
            intf = cfg[(self.interface, 0)]
            ep = next(e for e in intf
                      if e.bEndpointAddress & 0x80 and (e.bmAttributes & 0x03) == 0x03)
        except StopIteration as exc:
            raise DeviceUnavailableError(
                f"{self.name}: interface {self.interface} has no interrupt IN endpoint",
                state=DeviceState.HARDWARE_ERROR) from exc
        except Exception as exc:  # permission (udev rule missing), busy, unplugged
            raise DeviceUnavailableError(f"{self.name}: cannot claim USB device: {exc}",
                                         state=DeviceState.OFFLINE) from exc
        self._dev, self._ep = dev, ep
        self.ids_from_device(dev)

    def ids_from_device(self, dev: Any) -> None:
        self._set_state(ids={"vid": f"{self.vid:04x}", "pid": f"{self.pid:04x}",
                             "serial": str(getattr(dev, "serial_number", "") or "")})

    def _disconnect(self) -> None:
        dev, self._dev, self._ep = self._dev, None, None
        if dev is not None:
            try:
                import usb.util

                usb.util.dispose_resources(dev)
            except Exception:
                log.debug("disposing USB resources", exc_info=True)

    def _read_some(self) -> bytes:
        ep = self._ep
        if ep is None:
            raise OSError("not connected")
        try:
            data = ep.read(64, timeout=int(self.poll_interval * 1000))
        except self._timeout_errors:
            return b""
        except self._usb_errors as exc:
            raise OSError(f"USB read failed: {exc}") from exc
        return bytes(data)

    def _on_connected(self) -> None:
        self._decoder.clear()

    def _feed(self, data: bytes) -> None:
        self._handle(self._decoder.feed(data))

    def capabilities(self) -> Capabilities:
        return Capabilities(self.kind, frozenset({"scan"}),
                            {"mode": "usb-hid", "vid": self.vid, "pid": self.pid})

    def self_test(self, timeout: float = 5.0) -> SelfTestResult:
        return self._scan_self_test(timeout)
