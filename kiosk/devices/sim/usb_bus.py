"""A virtual USB bus for pyusb: one USB printer whose bulk endpoints reach the ESC/POS simulator.

Why at the bus and not above it: the kiosk's USB printer code (:mod:`kiosk.devices.usb_printer`)
is pyusb — ``usb.core.find``, configurations, interfaces, endpoint look-up, claiming, kernel
driver detaching, bulk transfers with timeouts. Replacing any of that with a fake would test
the fake. pyusb takes its backend as a parameter (``usb.core.find(backend=…)``), so this module
is a :class:`usb.backend.IBackend` — the layer libusb fills on a real machine — that presents
the descriptors of a USB printer-class device (interface class 7, subclass 1, protocol 2:
bidirectional) and turns bulk OUT transfers into :meth:`EscposPrinterSim.feed` calls and bulk
IN transfers into reads of the simulator's replies (``DLE EOT`` status bytes).

It is used only when a test or the simulated set-up asks for it: an explicit ``backend=`` or
the URL ``usb://VID:PID?bus=sim``. A plain ``usb://`` URL always means libusb.
"""

from __future__ import annotations

import array
import errno
import threading
from dataclasses import dataclass, field
from typing import Any

import usb.backend
import usb.core

from kiosk.devices.sim.escpos_printer import EscposPrinterSim

#: Epson's vendor id and the TM-T88 series product id (``lsusb``: 04b8:0202).
EPSON_VID, TM_T88_PID = 0x04B8, 0x0202
OUT_EP, IN_EP = 0x01, 0x82
_BULK = 0x02
_MAX_PACKET = 64


@dataclass
class _Descriptor:
    """A descriptor as pyusb reads it: every field an attribute (pyusb copies them)."""

    fields: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None


def _device_descriptor(vid: int, pid: int, bus: int, address: int) -> _Descriptor:
    return _Descriptor({
        "bLength": 18, "bDescriptorType": 0x01, "bcdUSB": 0x0200,
        # Class 0: the class is given per interface (as on every USB printer).
        "bDeviceClass": 0, "bDeviceSubClass": 0, "bDeviceProtocol": 0,
        "bMaxPacketSize0": 64, "idVendor": vid, "idProduct": pid, "bcdDevice": 0x0100,
        "iManufacturer": 0, "iProduct": 0, "iSerialNumber": 0, "bNumConfigurations": 1,
        "address": address, "bus": bus, "port_number": 1, "port_numbers": (1,), "speed": 2})


_CONFIG = _Descriptor({
    "bLength": 9, "bDescriptorType": 0x02, "wTotalLength": 32, "bNumInterfaces": 1,
    "bConfigurationValue": 1, "iConfiguration": 0, "bmAttributes": 0xC0, "bMaxPower": 1,
    "extra_descriptors": []})

def _interface(interface_class: int) -> _Descriptor:
    return _Descriptor({
        "bLength": 9, "bDescriptorType": 0x04, "bInterfaceNumber": 0, "bAlternateSetting": 0,
        "bNumEndpoints": 2, "bInterfaceClass": interface_class,
        "bInterfaceSubClass": 1 if interface_class == 7 else 0,
        "bInterfaceProtocol": 2 if interface_class == 7 else 0, "iInterface": 0,
        "extra_descriptors": []})


def _endpoint(address: int) -> _Descriptor:
    return _Descriptor({
        "bLength": 7, "bDescriptorType": 0x05, "bEndpointAddress": address,
        "bmAttributes": _BULK, "wMaxPacketSize": _MAX_PACKET, "bInterval": 0, "bRefresh": 0,
        "bSynchAddress": 0, "extra_descriptors": []})


_ENDPOINTS = (_endpoint(OUT_EP), _endpoint(IN_EP))


@dataclass
class _Handle:
    """What ``open_device`` returns: one open of the one device."""

    claimed: set[int] = field(default_factory=set)


class VirtualUsbBus(usb.backend.IBackend):  # type: ignore[misc]
    """A pyusb backend with one printer on it, wired to ``sim``.

    Fault switches beyond the simulator's own: :meth:`unplug` / :meth:`replug` (the device
    disappears from the bus and transfers fail with ``ENODEV``, as libusb reports it) and
    ``kernel_driver`` (True: the kernel's ``usblp`` is bound and must be detached first).
    Counters (``opens``, ``bulk_out_bytes``) let tests see the traffic really went this way.
    ``interface_class`` other than 7 makes it some other device (discovery must skip it).
    """

    def __init__(self, sim: EscposPrinterSim, *, vid: int = EPSON_VID, pid: int = TM_T88_PID,
                 bus: int = 1, address: int = 7, interface_class: int = 7) -> None:
        super().__init__()
        self.sim = sim
        self.vid, self.pid = vid, pid
        self.plugged = True
        self.kernel_driver = True
        self.configuration = 0
        self.opens = 0
        self.bulk_out_bytes = 0
        self._descriptor = _device_descriptor(vid, pid, bus, address)
        self._interface = _interface(interface_class)
        self._replies = bytearray()
        self._cond = threading.Condition()
        self._handles: list[_Handle] = []

    # -- fault switches --------------------------------------------------------------------
    def unplug(self) -> None:
        with self._cond:
            self.plugged = False
            self._replies.clear()
            self._cond.notify_all()

    def replug(self) -> None:
        with self._cond:
            self.plugged = True
            self.kernel_driver = True  # the kernel binds usblp again on a new plug
            self.configuration = 0

    def _check(self) -> None:
        if not self.plugged:
            raise usb.core.USBError("No such device (it may have been disconnected)",
                                    error_code=-4, errno=errno.ENODEV)

    # -- enumeration and descriptors ---------------------------------------------------------
    def enumerate_devices(self) -> list[str]:
        return ["printer"] if self.plugged else []

    def get_device_descriptor(self, dev: str) -> _Descriptor:
        return self._descriptor

    def get_configuration_descriptor(self, dev: str, config: int) -> _Descriptor:
        if config != 0:
            raise IndexError(config)
        return _CONFIG

    def get_interface_descriptor(self, dev: str, intf: int, alt: int,
                                 config: int) -> _Descriptor:
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError((intf, alt, config))
        return self._interface

    def get_endpoint_descriptor(self, dev: str, ep: int, intf: int, alt: int,
                                config: int) -> _Descriptor:
        if (intf, alt, config) != (0, 0, 0) or not 0 <= ep < len(_ENDPOINTS):
            raise IndexError(ep)
        return _ENDPOINTS[ep]

    # -- handles, configuration, interfaces ---------------------------------------------------
    def open_device(self, dev: str) -> _Handle:
        self._check()
        handle = _Handle()
        with self._cond:
            self._handles.append(handle)
            self.opens += 1
        return handle

    def close_device(self, dev_handle: _Handle) -> None:
        with self._cond:
            if dev_handle in self._handles:
                self._handles.remove(dev_handle)
        # The link is gone: what was sent is the job (SimTransport does the same on close).
        self.sim.end_job()

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        self._check()
        if config_value not in (0, 1):
            raise usb.core.USBError("Invalid parameter", error_code=-2, errno=errno.EINVAL)
        self.configuration = config_value

    def get_configuration(self, dev_handle: _Handle) -> int:
        self._check()
        return self.configuration

    def set_interface_altsetting(self, dev_handle: _Handle, intf: int, altsetting: int) -> None:
        self._check()

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        self._check()
        if intf != 0:
            raise usb.core.USBError("Entity not found", error_code=-5, errno=errno.ENOENT)
        if self.kernel_driver:  # libusb: the kernel driver holds it
            raise usb.core.USBError("Resource busy", error_code=-6, errno=errno.EBUSY)
        dev_handle.claimed.add(intf)

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        dev_handle.claimed.discard(intf)

    def is_kernel_driver_active(self, dev_handle: _Handle, intf: int) -> bool:
        self._check()
        return self.kernel_driver

    def detach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        self._check()
        self.kernel_driver = False

    def attach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        self._check()
        self.kernel_driver = True

    def clear_halt(self, dev_handle: _Handle, ep: int) -> None:
        self._check()

    def reset_device(self, dev_handle: _Handle) -> None:
        self._check()

    def ctrl_transfer(self, dev_handle: _Handle, bmRequestType: int, bRequest: int,  # noqa: N803
                      wValue: int, wIndex: int, data: Any, timeout: int) -> int:  # noqa: N803
        """Only what pyusb itself may ask; a printer-class GET_DEVICE_ID is not needed."""
        self._check()
        raise usb.core.USBError("Pipe error", error_code=-9, errno=errno.EPIPE)

    # -- bulk transfers ---------------------------------------------------------------------
    def _claimed(self, dev_handle: _Handle, intf: int) -> None:
        self._check()
        if intf not in dev_handle.claimed:
            raise usb.core.USBError("Resource busy", error_code=-6, errno=errno.EBUSY)

    def bulk_write(self, dev_handle: _Handle, ep: int, intf: int, data: array.array[int],
                   timeout: int) -> int:
        self._claimed(dev_handle, intf)
        if ep != OUT_EP:
            raise usb.core.USBError("Pipe error", error_code=-9, errno=errno.EPIPE)
        payload = data.tobytes()
        reply = self.sim.feed(payload)
        with self._cond:
            self.bulk_out_bytes += len(payload)
            if reply:
                self._replies += reply
                self._cond.notify_all()
        return len(payload)

    def bulk_read(self, dev_handle: _Handle, ep: int, intf: int, buff: array.array[int],
                  timeout: int) -> int:
        self._claimed(dev_handle, intf)
        if ep != IN_EP:
            raise usb.core.USBError("Pipe error", error_code=-9, errno=errno.EPIPE)
        with self._cond:
            # libusb waits up to ``timeout`` ms (0: forever) for the device to send something.
            wait = None if timeout == 0 else timeout / 1000.0
            self._cond.wait_for(lambda: bool(self._replies) or not self.plugged, wait)
            self._check()
            if not self._replies:
                raise usb.core.USBTimeoutError("Operation timed out", error_code=-7,
                                               errno=errno.ETIMEDOUT)
            n = min(len(buff) * buff.itemsize, len(self._replies))
            chunk = bytes(self._replies[:n])
            del self._replies[:n]
        buff[:n] = array.array("B", chunk)
        return n


def sim_bus(*, vid: int = EPSON_VID, pid: int = TM_T88_PID, paper_mm: int = 80,
            out_dir: Any = None) -> VirtualUsbBus:
    """A bus with the process's simulated printer (``sim://printer``'s) at ``vid:pid``: what
    ``usb://VID:PID?bus=sim`` opens, so the whole kiosk can print over pyusb in a demo."""
    from kiosk.devices.sim import sim_registry

    return VirtualUsbBus(sim_registry.get("printer", out_dir=out_dir, paper_mm=paper_mm),
                         vid=vid, pid=pid)


__all__ = ["EPSON_VID", "IN_EP", "OUT_EP", "TM_T88_PID", "VirtualUsbBus", "sim_bus"]
