"""``kiosk doctor``'s printer section: the model's profile, and what a USB printer still needs.

Why its own check: the device self-test says *that* a USB printer cannot be opened; a
technician also needs *why* and *what to type*. The three reasons a ``usb://`` printer fails
before a byte is sent are all set-up problems — no libusb for pyusb, the printer not on the bus
(unplugged, other ids: the class-7 printers that *are* there are listed with their URLs), and
no permission on its ``/dev/bus/usb`` node (the udev rule is not installed) — so each comes
with its fix. The profile lines show what the renderer will assume (dots, columns, native QR,
graphics memory), which is how a wrong ``model`` is noticed before slips come out wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.i18n import translate

USB_NODES = Path("/dev/bus/usb")
FIX_LIBUSB = "sudo apt-get install libusb-1.0-0 (or: .venv/bin/pip install libusb-package)"
FIX_UDEV = ("sudo install -m 644 deploy/udev/60-seva-kiosk.rules /etc/udev/rules.d/ && "
            "sudo udevadm control --reload && sudo udevadm trigger; then re-plug the printer "
            "(the kiosk user must be in group lp)")


def _both(msgid: str) -> dict[str, str]:
    return {lang: translate(msgid, lang) for lang in ("en", "hi")}


def _can_open(path: Path) -> bool:
    return os.access(path, os.R_OK | os.W_OK)


def printer_check(config: Config, *, backend: Any = None,
                  can_open: Callable[[Path], bool] = _can_open,
                  nodes: Path = USB_NODES) -> dict[str, Any]:
    """The printer's profile and, for a real ``usb://`` URL, libusb / bus / permission.

    ``backend`` replaces libusb (tests pass a virtual bus); ``can_open`` and ``nodes`` say how
    a device node's permission is judged (tests run as root, where every node opens).
    """
    from kiosk.devices.discovery import list_usb_devices, list_usb_printers
    from kiosk.devices.model import DeviceUnavailableError
    from kiosk.devices.usb_printer import (
        MSG_NO_LIBUSB,
        MSG_USB_PERMISSION,
        libusb_backend,
        parse_usb_printer_url,
    )
    from kiosk.printing.escpos_render import PrinterProfile

    printer = config.printer
    profile = PrinterProfile.from_config(printer)
    result: dict[str, Any] = {
        "model": profile.model or "generic", "paper_mm": profile.paper_mm, "dots": profile.dots,
        "columns": profile.columns("normal"), "native_qr": profile.native_qr,
        "cutter": profile.cutter, "graphics_memory": profile.graphics_memory, "warnings": []}
    if not printer.url.lower().startswith("usb://"):
        return result
    try:
        addr = parse_usb_printer_url(printer.url)
    except DeviceUnavailableError as exc:
        result["usb"] = {"error": exc.detail}
        return result
    usb: dict[str, Any] = {"ids": addr.ids, "simulated": addr.bus == "sim"}
    result["usb"] = usb
    if addr.bus == "sim":
        return result
    be = backend if backend is not None else libusb_backend()
    usb["libusb"] = be is not None
    if be is None:
        result["warnings"].append({**_both(MSG_NO_LIBUSB), "fix": FIX_LIBUSB})
        return result
    mine = [d for d in list_usb_devices(be) if (d.vid, d.pid) == (addr.vid, addr.pid)]
    usb["attached"] = bool(mine)
    usb["printers_found"] = [p.as_dict() for p in list_usb_printers(be)]
    if not mine:
        return result
    dev = mine[0]
    if dev.bus is not None and dev.address is not None:
        node = nodes / f"{dev.bus:03d}" / f"{dev.address:03d}"
        usb["node"] = str(node)
        usb["permission"] = can_open(node)
        if not usb["permission"]:
            result["warnings"].append({**_both(MSG_USB_PERMISSION), "fix": FIX_UDEV})
    return result


def render_printer_check(check: dict[str, Any]) -> list[str]:
    """The section's lines for ``kiosk doctor``'s text report."""
    lines = [f"Printer profile: model {check['model']}, {check['paper_mm']} mm, "
             f"{check['dots']} dots, {check['columns']} columns, native QR "
             f"{'yes' if check['native_qr'] else 'no (raster QR)'}, cutter "
             f"{'yes' if check['cutter'] else 'no'}, graphics memory {check['graphics_memory']}"]
    usb = check.get("usb")
    if usb:
        if "error" in usb:
            lines.append(f"USB printer: {usb['error']}")
        elif usb.get("simulated"):
            lines.append(f"USB printer {usb['ids']}: the simulated printer on a virtual bus")
        elif usb.get("libusb"):
            where = (f"attached, {usb.get('node', '?')} "
                     f"{'opens' if usb.get('permission') else 'NOT PERMITTED'}"
                     if usb.get("attached") else "not on the USB bus")
            lines.append(f"USB printer {usb['ids']}: {where}")
            for found in usb.get("printers_found", []):
                known = f"  [{found['known']}]" if found["known"] else ""
                lines.append(f"  class-7 printer {found['vid']}:{found['pid']}  "
                             f"url = \"{found['url']}\"{known}")
    for warning in check.get("warnings", []):
        lines.append(f"WARNING: {warning['en']} ({warning['fix']})")
        lines.append(f"चेतावनी: {warning['hi']}")
    return lines


__all__ = ["FIX_LIBUSB", "FIX_UDEV", "printer_check", "render_printer_check"]
