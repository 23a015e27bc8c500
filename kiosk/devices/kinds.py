"""The device-kind table: which driver class serves each configured device, and its defaults.

Why a table and not an ``if`` chain: adding a device kind should be one row here (plus the
driver module and, if it has one, its simulator), the way python-can lists its interfaces in
one ``BACKENDS`` mapping. The manager, ``kiosk doctor`` and the diagnostics screen read the
kind, poll interval and simulator from the row; nothing else in the tree names the drivers.

Drivers are named by ``"module:Class"`` and imported only when a device of that kind is opened,
so ``kiosk doctor`` and a kiosk without a fingerprint module never import that driver.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.devices.model import Device


@dataclass(frozen=True)
class Driver:
    """A driver class named ``"package.module:Class"``; ``serial`` = it takes ``baudrate=``."""

    path: str
    serial: bool = True

    def load(self) -> type[Device]:
        module, _, cls = self.path.partition(":")
        loaded: type[Device] = getattr(importlib.import_module(module), cls)
        return loaded


@dataclass(frozen=True)
class DeviceKind:
    """One row: a config section and everything needed to build and watch its device.

    ``kind`` is what the driver reports in its status (the RD Service is a fingerprint kind of
    its own); ``by_scheme`` picks another driver for some URL schemes (a ``usb://`` scanner is
    a HID device, not a serial line); ``baudrate`` is used when the configuration gives none
    (``None``: the driver's own default); ``simulator`` is the ``sim://NAME`` that stands in
    for the device on a machine without one.
    """

    kind: str
    driver: Driver
    poll_interval: float
    baudrate: int | None = None
    simulator: str | None = None
    by_scheme: Mapping[str, Driver] = field(default_factory=dict)

    def driver_for(self, url: str) -> Driver:
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        return self.by_scheme.get(scheme, self.driver)

    def build(self, url: str, *, name: str, baudrate: int | None = None,
              options: Mapping[str, Any] | None = None) -> Device:
        """The driver object for ``url`` (not opened yet)."""
        driver = self.driver_for(url)
        kwargs: dict[str, Any] = dict(options or {})
        rate = baudrate or self.baudrate
        if driver.serial and rate is not None:
            kwargs["baudrate"] = rate
        return driver.load()(url, name=name, **kwargs)


#: Config section → device kind. Poll intervals are seconds between health polls; streaming
#: devices (card reader, scanner) watch their own line, so their manager worker wakes for jobs.
DEVICE_KINDS: dict[str, DeviceKind] = {
    "printer": DeviceKind("printer", Driver("kiosk.devices.printer_adapter:PrinterDevice"),
                          poll_interval=3.0, baudrate=115200, simulator="printer"),
    "fingerprint": DeviceKind("fingerprint",
                              Driver("kiosk.devices.fingerprint_uart:FingerprintReader"),
                              poll_interval=3.0, baudrate=57600, simulator="fingerprint"),
    "card_reader": DeviceKind("card_reader", Driver("kiosk.devices.rfid:RfidReader"),
                              poll_interval=30.0, simulator="rfid"),
    "scanner": DeviceKind("scanner", Driver("kiosk.devices.scanner:SerialScanner"),
                          poll_interval=30.0, simulator="scanner",
                          by_scheme={"usb": Driver("kiosk.devices.scanner:UsbHidScanner",
                                                   serial=False)}),
    "rdservice": DeviceKind("fingerprint_rd",
                            Driver("kiosk.devices.rdservice:RdServiceClient", serial=False),
                            poll_interval=5.0, simulator="rdservice"),
}
