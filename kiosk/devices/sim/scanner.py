"""A serial (USB-COM mode) QR/barcode scanner simulator on a pty or TCP port.

``scan(text)`` sends the text with the configured terminator (CR, LF or CRLF, as scanners are
configurable); ``inject`` puts arbitrary bytes on the line for fault tests.
"""

from __future__ import annotations

from kiosk.devices.sim.serial_host import PtyHost, SerialHost

TERMINATORS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}


class ScannerSimulator:
    def __init__(self, host: SerialHost | None = None, *, terminator: str = "cr",
                 link: str | None = None) -> None:
        self.host = host or PtyHost(baudrate=9600, link=link)
        self.terminator = TERMINATORS[terminator]
        self.scans_sent = 0

    @property
    def address(self) -> str:
        return self.host.address

    def scan(self, text: str, terminator: str | None = None) -> None:
        end = TERMINATORS[terminator] if terminator else self.terminator
        self.host.write(text.encode("utf-8") + end)
        self.scans_sent += 1

    def inject(self, data: bytes) -> None:
        self.host.write(data)

    def start(self) -> ScannerSimulator:
        self.host.start()
        return self

    def stop(self) -> None:
        self.host.stop()

    def __enter__(self) -> ScannerSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
