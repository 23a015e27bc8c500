"""Discovery and hot-plug: which serial ports and USB devices are there, and when that changes.

Why this exists: a technician plugging in a new printer needs to see *which* port it became
(``/dev/ttyUSB1``? a CH340 or an FTDI?) and the kiosk must notice a re-plugged device without a
restart. Serial ports come from ``serial.tools.list_ports.comports()`` (pseudo-terminals never
appear there); USB devices from pyusb with the ``libusb-package`` backend, and USB printers
among them by their interface class (7), each with the ``usb://`` URL to configure. All degrade
to an empty list — containers and locked-down machines have no USB bus or no backend — because
discovery is advice for a human, never a reason to fail.

Hot-plug is an injectable :class:`HotplugSource`: pyudev's netlink monitor where pyudev is
installed and works, otherwise a thread that diffs the port/USB lists every few seconds, and in
tests a fake that emits events on demand. The device manager only needs "something was added"
/ "something was removed" to retry its missing devices at once instead of waiting for backoff.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnownDevice:
    """What a VID(:PID) is, from public vendor/USB-ID facts. ``pid`` None matches the vendor."""

    vid: int
    pid: int | None
    vendor: str
    kind: str  # printer | scanner | fingerprint | usb_serial
    note: str = ""


#: Only ids we can state with confidence. USB-serial bridges are listed because most serial
#: printers, card readers and fingerprint modules reach a kiosk through one of them.
KNOWN_DEVICES: tuple[KnownDevice, ...] = (
    KnownDevice(0x04B8, 0x0202, "Epson", "printer", "TM-T88 series receipt printer"),
    KnownDevice(0x04B8, None, "Epson", "printer", "Seiko Epson (receipt printers)"),
    KnownDevice(0x0519, None, "Star Micronics", "printer", "receipt printers"),
    KnownDevice(0x0A5F, None, "Zebra", "printer", "label/receipt printers"),
    KnownDevice(0x0C2E, None, "Honeywell (Metrologic)", "scanner", "barcode/QR scanners"),
    KnownDevice(0x05E0, None, "Zebra (Symbol)", "scanner", "barcode/QR scanners"),
    KnownDevice(0x1162, None, "SecuGen", "fingerprint", "fingerprint readers"),
    KnownDevice(0x1A86, 0x7523, "QinHeng", "usb_serial", "CH340 USB-serial bridge"),
    KnownDevice(0x10C4, 0xEA60, "Silicon Labs", "usb_serial", "CP210x USB-serial bridge"),
    KnownDevice(0x0403, 0x6001, "FTDI", "usb_serial", "FT232R USB-serial bridge"),
    KnownDevice(0x067B, 0x2303, "Prolific", "usb_serial", "PL2303 USB-serial bridge"),
)


def identify(vid: int | None, pid: int | None) -> KnownDevice | None:
    """The most specific :data:`KNOWN_DEVICES` entry for ``vid:pid`` (exact pid first)."""
    if vid is None:
        return None
    exact = [k for k in KNOWN_DEVICES if k.vid == vid and k.pid is not None and k.pid == pid]
    if exact:
        return exact[0]
    return next((k for k in KNOWN_DEVICES if k.vid == vid and k.pid is None), None)


def _hex4(v: int | None) -> str:
    return f"{v:04x}" if v is not None else ""


@dataclass(frozen=True)
class SerialPortInfo:
    device: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""
    manufacturer: str = ""
    product: str = ""
    hwid: str = ""

    @property
    def known(self) -> KnownDevice | None:
        return identify(self.vid, self.pid)

    @property
    def key(self) -> str:
        return f"serial:{self.device}:{_hex4(self.vid)}:{_hex4(self.pid)}:{self.serial_number}"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["vid"], d["pid"] = _hex4(self.vid), _hex4(self.pid)
        k = self.known
        d["known"] = f"{k.vendor} {k.note}".strip() if k else ""
        d["known_kind"] = k.kind if k else ""
        return d


@dataclass(frozen=True)
class UsbDeviceInfo:
    vid: int
    pid: int
    bus: int | None = None
    address: int | None = None
    device_class: int | None = None

    @property
    def known(self) -> KnownDevice | None:
        return identify(self.vid, self.pid)

    @property
    def key(self) -> str:
        return f"usb:{self.bus}:{self.address}:{_hex4(self.vid)}:{_hex4(self.pid)}"

    def as_dict(self) -> dict[str, Any]:
        k = self.known
        return {"vid": _hex4(self.vid), "pid": _hex4(self.pid), "bus": self.bus,
                "address": self.address, "device_class": self.device_class,
                "known": f"{k.vendor} {k.note}".strip() if k else "",
                "known_kind": k.kind if k else ""}


def list_serial_ports() -> list[SerialPortInfo]:
    """Every serial port the OS reports (ttyUSB/ttyACM/ttyS…); empty if listing fails."""
    try:
        from serial.tools import list_ports

        ports = list_ports.comports()
    except Exception as exc:  # sysfs missing or unreadable in a sandbox
        log.debug("listing serial ports failed: %s", exc)
        return []
    out = [SerialPortInfo(p.device, p.description or "", p.vid, p.pid, p.serial_number or "",
                          p.manufacturer or "", p.product or "", p.hwid or "") for p in ports]
    return sorted(out, key=lambda p: p.device)


def usb_backend() -> Any:
    """pyusb's libusb1 backend from ``libusb-package`` (or the system's); None if neither."""
    try:
        import usb.backend.libusb1 as libusb1
    except ImportError:
        return None
    try:
        import libusb_package

        backend = libusb1.get_backend(find_library=libusb_package.find_library)
    except Exception:
        backend = None
    if backend is None:
        with contextlib.suppress(Exception):
            backend = libusb1.get_backend()
    return backend


def list_usb_devices(backend: Any = None) -> list[UsbDeviceInfo]:
    """Every USB device (vid/pid/bus/address); empty without a backend or a USB bus.

    Strings (manufacturer, serial) are not read: that opens the device, which needs the udev
    permission a technician may not have set yet — ids are enough to recognise it.
    """
    be = backend if backend is not None else usb_backend()
    if be is None:
        return []
    try:
        import usb.core

        devices = list(usb.core.find(find_all=True, backend=be) or [])
    except Exception as exc:  # no /dev/bus/usb, libusb init failure …
        log.debug("listing USB devices failed: %s", exc)
        return []
    out = []
    for dev in devices:
        try:
            out.append(UsbDeviceInfo(int(dev.idVendor), int(dev.idProduct),
                                     getattr(dev, "bus", None), getattr(dev, "address", None),
                                     getattr(dev, "bDeviceClass", None)))
        except Exception:  # a device vanishing while we look at it
            continue
    return sorted(out, key=lambda d: (d.bus or 0, d.address or 0))


#: USB interface class 7: printers (USB Device Class Definition for Printing Devices).
USB_CLASS_PRINTER = 7


@dataclass(frozen=True)
class UsbPrinterInfo:
    """A USB interface of class 7 and its bulk endpoints: a printer the kiosk can use."""

    vid: int
    pid: int
    bus: int | None
    address: int | None
    interface: int
    #: 1 unidirectional, 2 bidirectional (status replies possible), 3 IEEE 1284.4
    protocol: int
    out_ep: int | None
    in_ep: int | None
    #: On the simulated set-up's virtual bus (``?bus=sim``), not on the machine's USB.
    simulated: bool = False

    @property
    def known(self) -> KnownDevice | None:
        return identify(self.vid, self.pid)

    @property
    def url(self) -> str:
        """The ``[devices.printer] url`` for this printer (endpoints spelled out)."""
        query = [f"interface={self.interface}"]
        if self.out_ep is not None:
            query.append(f"out={self.out_ep:#04x}")
        if self.in_ep is not None:
            query.append(f"in={self.in_ep:#04x}")
        if self.simulated:
            query.append("bus=sim")
        return f"usb://{self.vid:04x}:{self.pid:04x}?{'&'.join(query)}"

    def addressed_by(self, url: str) -> bool:
        """Does the printer URL ``url`` open this printer (ids, interface, bus)?"""
        from kiosk.devices.model import DeviceUnavailableError
        from kiosk.devices.usb_printer import parse_usb_printer_url

        if not url.lower().startswith("usb://"):
            return False
        try:
            addr = parse_usb_printer_url(url)
        except DeviceUnavailableError:
            return False
        return ((addr.vid, addr.pid, addr.interface) == (self.vid, self.pid, self.interface)
                and (addr.bus == "sim") == self.simulated)

    def as_dict(self) -> dict[str, Any]:
        k = self.known
        return {"vid": _hex4(self.vid), "pid": _hex4(self.pid), "bus": self.bus,
                "address": self.address, "interface": self.interface,
                "bidirectional": self.in_ep is not None, "url": self.url,
                "known": f"{k.vendor} {k.note}".strip() if k else "",
                "simulated": self.simulated}


def _printer_interfaces(dev: Any) -> list[UsbPrinterInfo]:
    """Class-7 interfaces of ``dev``'s first configuration, read from the descriptors pyusb
    already has (no open, so no udev permission needed)."""
    found: list[UsbPrinterInfo] = []
    cfg = next(iter(dev), None)
    if cfg is None:
        return found
    for intf in cfg:
        if intf.bInterfaceClass != USB_CLASS_PRINTER or intf.bAlternateSetting != 0:
            continue
        out_ep = in_ep = None
        for ep in intf:
            if ep.bmAttributes & 0x03 != 0x02:  # bulk only
                continue
            if ep.bEndpointAddress & 0x80:
                in_ep = in_ep if in_ep is not None else int(ep.bEndpointAddress)
            else:
                out_ep = out_ep if out_ep is not None else int(ep.bEndpointAddress)
        found.append(UsbPrinterInfo(int(dev.idVendor), int(dev.idProduct),
                                    getattr(dev, "bus", None), getattr(dev, "address", None),
                                    int(intf.bInterfaceNumber), int(intf.bInterfaceProtocol),
                                    out_ep, in_ep))
    return found


def simulated_usb_printers(printer_url: str) -> list[UsbPrinterInfo]:
    """The simulated set-up's printer when ``printer_url`` is ``usb://VID:PID?bus=sim``: the
    printer on the virtual bus that URL opens, so the technician's screens list it as they
    would a real one (marked ``simulated``). Empty for any other URL."""
    from kiosk.devices.model import DeviceUnavailableError
    from kiosk.devices.usb_printer import parse_usb_printer_url

    if not printer_url.lower().startswith("usb://"):
        return []
    try:
        addr = parse_usb_printer_url(printer_url)
    except DeviceUnavailableError:
        return []
    if addr.bus != "sim":
        return []
    from dataclasses import replace

    from kiosk.devices.sim.usb_bus import sim_bus

    return [replace(p, simulated=True)
            for p in list_usb_printers(sim_bus(vid=addr.vid, pid=addr.pid))]


def list_usb_printers(backend: Any = None) -> list[UsbPrinterInfo]:
    """Every USB printer interface (class 7) on the bus; empty without a backend or a bus.

    A printer's device class is 0 ("per interface"), so the interfaces are what tell — a
    receipt printer, a label printer, an office printer all say 7 there.
    """
    be = backend if backend is not None else usb_backend()
    if be is None:
        return []
    try:
        import usb.core

        devices = list(usb.core.find(find_all=True, backend=be) or [])
    except Exception as exc:
        log.debug("listing USB devices failed: %s", exc)
        return []
    out: list[UsbPrinterInfo] = []
    for dev in devices:
        try:
            out += _printer_interfaces(dev)
        except Exception:  # a device vanishing while we look at it
            continue
    return sorted(out, key=lambda p: (p.bus or 0, p.address or 0, p.interface))


def snapshot() -> frozenset[str]:
    """Keys of every serial port and USB device now: what a polling hot-plug source diffs."""
    return frozenset([p.key for p in list_serial_ports()] + [d.key for d in list_usb_devices()])


# ---------------------------------------------------------------------------------------------
# Hot-plug
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HotplugEvent:
    action: Literal["add", "remove"]
    what: str  # a device key or a sysfs/dev path: for logs, never parsed by the manager


HotplugCallback = Callable[[HotplugEvent], None]


class HotplugSource(Protocol):
    """Calls back on add/remove from its own thread between ``start`` and ``stop``."""

    name: str

    def start(self, callback: HotplugCallback) -> None: ...

    def stop(self) -> None: ...


class PollingHotplugSource:
    """Diffs :func:`snapshot` every ``interval`` seconds (the fallback without udev)."""

    name = "polling"

    def __init__(self, interval: float = 3.0,
                 lister: Callable[[], Iterable[str]] = snapshot) -> None:
        self.interval = interval
        self._lister = lister
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: HotplugCallback) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(callback,),
                                        name="hotplug-poll", daemon=True)
        self._thread.start()

    def _run(self, callback: HotplugCallback) -> None:
        try:
            before = frozenset(self._lister())
        except Exception:
            log.exception("hot-plug listing failed")
            before = frozenset()
        while not self._stop.wait(self.interval):
            try:
                now = frozenset(self._lister())
            except Exception:
                log.exception("hot-plug listing failed")
                continue
            for key in sorted(now - before):
                callback(HotplugEvent("add", key))
            for key in sorted(before - now):
                callback(HotplugEvent("remove", key))
            before = now

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)


class UdevHotplugSource:
    """pyudev's netlink monitor for the ``tty`` and ``usb`` subsystems (Linux with udev)."""

    name = "udev"

    def __init__(self) -> None:
        import pyudev

        self._context = pyudev.Context()
        self._monitor = pyudev.Monitor.from_netlink(self._context)
        self._monitor.filter_by("tty")
        self._monitor.filter_by("usb")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, callback: HotplugCallback) -> None:
        self._monitor.start()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(callback,),
                                        name="hotplug-udev", daemon=True)
        self._thread.start()

    def _run(self, callback: HotplugCallback) -> None:
        while not self._stop.is_set():
            try:
                dev = self._monitor.poll(timeout=0.5)
            except Exception:
                log.exception("udev monitor failed")
                self._stop.wait(1.0)
                continue
            if dev is None:
                continue
            if dev.action in ("add", "remove"):
                callback(HotplugEvent(dev.action, str(dev.device_node or dev.sys_path)))

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)


class FakeHotplugSource:
    """Emits whatever a test tells it to: ``source.emit("add", "/dev/ttyUSB0")``."""

    name = "fake"

    def __init__(self) -> None:
        self._callback: HotplugCallback | None = None

    def start(self, callback: HotplugCallback) -> None:
        self._callback = callback

    def stop(self) -> None:
        self._callback = None

    def emit(self, action: Literal["add", "remove"], what: str = "test") -> None:
        cb = self._callback
        if cb is not None:
            cb(HotplugEvent(action, what))


def default_hotplug_source(poll_interval: float = 3.0) -> HotplugSource:
    """pyudev when importable and working, else polling (containers have no udev)."""
    try:
        return UdevHotplugSource()
    except Exception as exc:  # ImportError, or no netlink socket in a sandbox
        log.debug("pyudev unavailable (%s); polling for hot-plug", exc)
        return PollingHotplugSource(poll_interval)


def discovery_report(printer_url: str = "", *, backend: Any = None) -> dict[str, Any]:
    """Ports and USB devices as plain data (``kiosk doctor`` and the diagnostics screen).

    ``printer_url`` is the configured ``[devices.printer] url``: each USB printer says whether
    it is the one that URL opens (``configured``), and a ``?bus=sim`` URL adds the simulated
    printer. ``backend`` replaces libusb (tests pass a virtual bus). Slow enough (sysfs, the
    USB bus) to belong on a worker thread, never the GUI thread.
    """
    be = backend if backend is not None else usb_backend()
    printers = (list_usb_printers(be) if be is not None else []) \
        + simulated_usb_printers(printer_url)
    return {"serial_ports": [p.as_dict() for p in list_serial_ports()],
            "usb_devices": [d.as_dict() for d in list_usb_devices(be)] if be is not None else [],
            "usb_printers": [{**p.as_dict(), "configured": p.addressed_by(printer_url)}
                             for p in printers],
            "usb_backend": be is not None}
