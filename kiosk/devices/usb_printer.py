"""USB printers through pyusb: ``usb://VID:PID[?interface=0&out=0x01&in=0x82]``.

Why raw USB and not the kernel's ``/dev/usb/lp0``: ``usblp`` gives a write-only file on many
kernels and boards (no status back, so a printer out of paper looks ready — see
``escpos_driver.py``), and its node number moves with the plug order. Through pyusb the kiosk
finds the printer by its ids, writes jobs to the bulk OUT endpoint and reads the ``DLE EOT``
status replies from the bulk IN endpoint, exactly as over a serial line.

The link is a :class:`~kiosk.devices.links.Transport`, so the printer driver and the print
service do not know it is USB. pyusb needs a libusb backend: the ``libusb-package`` wheel's, or
the system's ``libusb-1.0-0``. Without one, or without permission to open the device (no udev
rule: ``deploy/udev/60-seva-kiosk.rules``), opening raises a :class:`DeviceUnavailableError`
with a bilingual message saying so — never a pyusb stack trace. ``kiosk doctor`` gives the fix.

Tests (and the simulated set-up, ``?bus=sim``) pass a virtual pyusb backend
(:mod:`kiosk.devices.sim.usb_bus`); nothing else does, so a real URL always means real USB.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kiosk.devices.links import MSG_NO_DEVICE, _Base
from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.errors import PrinterError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

MSG_NO_LIBUSB = N_("The USB printer cannot be used: the USB library (libusb) is missing on "
                   "this computer. Please call a technician.")
MSG_USB_PERMISSION = N_("The kiosk is not allowed to use the USB printer. Please call a "
                        "technician to install the kiosk's device rules.")
MSG_BAD_USB_URL = N_("The printer address in the settings is not a valid USB address. Please "
                     "call a technician.")

#: A job may wait while the printer's buffer drains (a 22 KB slip is a few seconds of paper).
WRITE_TIMEOUT_MS = 30_000
_CHUNK = 4096


@dataclass(frozen=True)
class UsbPrinterAddress:
    """What a ``usb://`` printer URL names."""

    vid: int
    pid: int
    interface: int = 0
    out_ep: int | None = None  # None: the interface's first bulk OUT endpoint
    in_ep: int | None = None   # None: its first bulk IN endpoint (if any)
    bus: str = ""              # "sim": the virtual bus of the simulated set-up

    @property
    def ids(self) -> str:
        return f"{self.vid:04x}:{self.pid:04x}"


def _number(text: str) -> int:
    return int(text, 16) if text.lower().startswith("0x") else int(text)


def parse_usb_printer_url(url: str) -> UsbPrinterAddress:
    """``usb://04b8:0202?interface=0&out=0x01&in=0x82`` → its parts (ids are hex).

    Raises :class:`DeviceUnavailableError` (a bilingual "not a valid USB address") otherwise.
    """
    parts = urlsplit(url)
    try:
        if parts.scheme.lower() != "usb" or parts.path not in ("", "/"):
            raise ValueError("expected usb://VID:PID")
        vid_text, pid_text = parts.netloc.split(":")
        vid, pid = int(vid_text, 16), int(pid_text, 16)
        if not (0 <= vid <= 0xFFFF and 0 <= pid <= 0xFFFF) or len(vid_text) > 4 \
                or len(pid_text) > 4:
            raise ValueError("VID and PID are four hex digits")
        query = dict(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False))
        unknown = set(query) - {"interface", "out", "in", "bus"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}")
        out_ep = _number(query["out"]) if "out" in query else None
        in_ep = _number(query["in"]) if "in" in query else None
        if out_ep is not None and (out_ep & 0x80 or not 0 < out_ep < 0x10):
            raise ValueError("out= must be an OUT endpoint address (0x01..0x0f)")
        if in_ep is not None and (not in_ep & 0x80 or not 0x80 < in_ep < 0x90):
            raise ValueError("in= must be an IN endpoint address (0x81..0x8f)")
        bus = query.get("bus", "")
        if bus not in ("", "sim"):
            raise ValueError("bus= may only be 'sim' (the simulated printer)")
        return UsbPrinterAddress(vid, pid, _number(query.get("interface", "0")), out_ep, in_ep,
                                 bus)
    except ValueError as exc:
        raise DeviceUnavailableError(f"bad USB printer URL {url!r}: {exc}",
                                     message=MSG_BAD_USB_URL,
                                     state=DeviceState.HARDWARE_ERROR) from exc


def libusb_backend() -> Any:
    """The libusb backend pyusb will use for a real ``usb://`` URL, or None if there is none."""
    from kiosk.devices.discovery import usb_backend

    return usb_backend()


def _denied(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM)


class UsbTransport(_Base):
    """The bulk endpoints of one claimed USB printer interface, as a ``Transport``."""

    def __init__(self, url: str, dev: Any, interface: int, ep_out: Any, ep_in: Any | None,
                 usb_errors: tuple[type[BaseException], ...],
                 timeout_errors: tuple[type[BaseException], ...]) -> None:
        self.url = url
        self.dev = dev
        self.interface = interface
        self.ep_out = ep_out
        self.ep_in = ep_in
        self.bidirectional = ep_in is not None
        self._usb_errors = usb_errors
        self._timeout_errors = timeout_errors
        self._pending = bytearray()  # IN bytes read past what a caller asked for
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        self._check_open()
        try:
            for start in range(0, len(data), _CHUNK):
                chunk = data[start:start + _CHUNK]
                sent = self.ep_out.write(chunk, timeout=WRITE_TIMEOUT_MS)
                if sent != len(chunk):
                    raise PrinterError(f"USB write to {self.url}: {sent} of {len(chunk)} bytes",
                                       message=MSG_NO_DEVICE)
        except self._usb_errors as exc:
            raise PrinterError(f"USB write to {self.url} failed: {exc}",
                               message=MSG_NO_DEVICE) from exc

    def read(self, n: int, timeout: float) -> bytes:
        """Up to ``n`` bytes within ``timeout`` seconds (fewer, or none, if the printer is
        silent). Reads whole packets — a short buffer would overflow on a real host."""
        self._check_open()
        if self.ep_in is None:
            return b""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._pending) < n:
                left_ms = int((deadline - time.monotonic()) * 1000)
                if left_ms <= 0:
                    break
                try:
                    got = self.ep_in.read(self.ep_in.wMaxPacketSize, timeout=left_ms)
                except self._timeout_errors:
                    break
                except self._usb_errors as exc:
                    raise PrinterError(f"USB read from {self.url} failed: {exc}",
                                       message=MSG_NO_DEVICE) from exc
                self._pending += bytes(got)
            out = bytes(self._pending[:n])
            del self._pending[:n]
        return out

    def reset_input(self) -> None:
        """Forget stale replies: the ones buffered here and any the printer still holds."""
        with self._lock:
            self._pending.clear()
            if self.ep_in is None or self._closed:
                return
            for _ in range(16):
                try:
                    if not self.ep_in.read(self.ep_in.wMaxPacketSize, timeout=1):
                        return
                except Exception:  # timeout (nothing left) or a lost device: both mean done
                    return

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            import usb.util

            usb.util.release_interface(self.dev, self.interface)
            usb.util.dispose_resources(self.dev)
        except Exception:  # unplugged meanwhile: nothing left to release
            log.debug("releasing USB printer %s", self.url, exc_info=True)


def open_usb_transport(url: str, *, backend: Any = None, paper_mm: int = 80,
                       sim_out_dir: Any = None) -> UsbTransport:
    """Find, claim and open the printer ``url`` names; see the module docstring.

    ``backend`` is a pyusb backend (tests pass a :class:`VirtualUsbBus`); None means libusb,
    or the simulated printer's virtual bus for ``?bus=sim``.
    """
    addr = parse_usb_printer_url(url)
    try:
        import usb.core
        import usb.util
    except ImportError as exc:
        raise DeviceUnavailableError(f"{url}: pyusb is not installed ({exc})",
                                     message=MSG_NO_LIBUSB) from exc
    if backend is None and addr.bus == "sim":
        from kiosk.devices.sim.usb_bus import sim_bus

        backend = sim_bus(vid=addr.vid, pid=addr.pid, paper_mm=paper_mm, out_dir=sim_out_dir)
    if backend is None:
        backend = libusb_backend()
        if backend is None:
            raise DeviceUnavailableError(
                f"{url}: no libusb backend for pyusb (install libusb-1.0-0 or libusb-package)",
                message=MSG_NO_LIBUSB)
    usb_errors: tuple[type[BaseException], ...] = (usb.core.USBError,)
    timeout_errors: tuple[type[BaseException], ...] = (usb.core.USBTimeoutError,)
    try:
        dev = usb.core.find(idVendor=addr.vid, idProduct=addr.pid, backend=backend)
    except usb.core.USBError as exc:
        raise DeviceUnavailableError(f"{url}: USB look-up failed: {exc}", message=MSG_NO_DEVICE,
                                     state=DeviceState.OFFLINE) from exc
    if dev is None:
        raise DeviceUnavailableError(f"{url}: no USB device {addr.ids} is attached",
                                     message=MSG_NO_DEVICE)
    try:
        return _claim(url, addr, dev, usb_errors, timeout_errors)
    except DeviceUnavailableError:
        usb.util.dispose_resources(dev)
        raise
    except usb.core.USBError as exc:
        usb.util.dispose_resources(dev)
        if _denied(exc):
            raise DeviceUnavailableError(
                f"{url}: no permission to open USB device {addr.ids} ({exc}); install "
                "deploy/udev/60-seva-kiosk.rules and re-plug the printer",
                message=MSG_USB_PERMISSION, state=DeviceState.OFFLINE) from exc
        raise DeviceUnavailableError(f"{url}: cannot claim USB device {addr.ids}: {exc}",
                                     message=MSG_NO_DEVICE, state=DeviceState.OFFLINE) from exc


def _claim(url: str, addr: UsbPrinterAddress, dev: Any,
           usb_errors: tuple[type[BaseException], ...],
           timeout_errors: tuple[type[BaseException], ...]) -> UsbTransport:
    import usb.core
    import usb.util

    try:
        if dev.is_kernel_driver_active(addr.interface):
            dev.detach_kernel_driver(addr.interface)  # usblp holds printer-class interfaces
    except NotImplementedError:  # backends without kernel drivers (Windows, virtual)
        pass
    try:
        cfg = dev.get_active_configuration()
    except usb.core.USBError as exc:
        if _denied(exc):
            raise
        dev.set_configuration()
        cfg = dev.get_active_configuration()
    try:
        intf = cfg[(addr.interface, 0)]
    except (KeyError, IndexError, usb.core.USBError) as exc:
        raise DeviceUnavailableError(f"{url}: USB device {addr.ids} has no interface "
                                     f"{addr.interface}", message=MSG_NO_DEVICE,
                                     state=DeviceState.HARDWARE_ERROR) from exc

    def bulk(direction: int, wanted: int | None) -> Any:
        def match(ep: Any) -> bool:
            if usb.util.endpoint_type(ep.bmAttributes) != usb.util.ENDPOINT_TYPE_BULK:
                return False
            if wanted is not None:
                return bool(ep.bEndpointAddress == wanted)
            return bool(usb.util.endpoint_direction(ep.bEndpointAddress) == direction)

        return usb.util.find_descriptor(intf, custom_match=match)

    ep_out = bulk(usb.util.ENDPOINT_OUT, addr.out_ep)
    if ep_out is None:
        raise DeviceUnavailableError(f"{url}: interface {addr.interface} has no bulk OUT "
                                     f"endpoint{f' {addr.out_ep:#04x}' if addr.out_ep else ''}",
                                     message=MSG_NO_DEVICE, state=DeviceState.HARDWARE_ERROR)
    ep_in = bulk(usb.util.ENDPOINT_IN, addr.in_ep)
    if ep_in is None and addr.in_ep is not None:
        raise DeviceUnavailableError(f"{url}: interface {addr.interface} has no bulk IN "
                                     f"endpoint {addr.in_ep:#04x}", message=MSG_NO_DEVICE,
                                     state=DeviceState.HARDWARE_ERROR)
    usb.util.claim_interface(dev, addr.interface)
    return UsbTransport(url, dev, addr.interface, ep_out, ep_in, usb_errors, timeout_errors)


__all__ = ["MSG_BAD_USB_URL", "MSG_NO_LIBUSB", "MSG_USB_PERMISSION", "UsbPrinterAddress",
           "UsbTransport", "libusb_backend", "open_usb_transport", "parse_usb_printer_url"]
