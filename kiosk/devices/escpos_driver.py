"""ESC/POS printer driver: real-time status and checked job delivery over any Transport.

Why our own status code and not python-escpos' ``paper_status()``: that returns "adequate" when
the printer says nothing at all, so a switched-off printer looks ready and the citizen walks away
without a slip. Here silence is *offline/unknown*, never "paper OK", and every reply byte is
checked for the fixed ``0xx1xx10`` shape before it is believed.

The driver does not subclass python-escpos' ``Escpos``: that class carries a ``__del__`` that
closes the device behind our back, and the renderer already builds the bytes with it.

This is the protocol only; ``printer_adapter.py`` makes the printer a managed device and
``kiosk/printing/print_jobs.py`` renders and journals the jobs it prints.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

from kiosk.devices.links import Transport
from kiosk.errors import PrinterError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

PaperLevel = Literal["adequate", "near_end", "out", "unknown"]

MSG_PAPER_OUT = N_("The printer is out of paper. Your token is still valid; please ask the "
                   "staff to load paper and reprint.")
MSG_COVER_OPEN = N_("The printer cover is open. Please ask the staff to close it.")
MSG_OFFLINE = N_("The printer is not answering. Your token is still valid; please ask the "
                 "staff for help.")
MSG_PRINTER_ERROR = N_("The printer has a fault. Your token is still valid; please ask the "
                       "staff for help.")

DLE_EOT = b"\x10\x04"


def _valid(byte: int) -> bool:
    """Every real-time status byte has bits 1 and 4 set and bits 0 and 7 clear."""
    return byte & 0x93 == 0x12


@dataclass(frozen=True)
class PrinterStatus:
    """What ``DLE EOT 1..4`` said (or that nothing was said)."""

    answered: bool
    online: bool
    cover_open: bool = False
    paper: PaperLevel = "unknown"
    feed_pressed: bool = False
    waiting_for_recovery: bool = False
    mechanical_error: bool = False
    autocutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    raw: dict[int, int] = field(default_factory=dict)

    @property
    def has_error(self) -> bool:
        return (self.mechanical_error or self.autocutter_error or self.unrecoverable_error
                or self.auto_recoverable_error)

    @property
    def ready(self) -> bool:
        """Fit to print: answered, online, cover shut, paper present, no error."""
        return (self.answered and self.online and not self.cover_open
                and self.paper in ("adequate", "near_end") and not self.has_error)

    @property
    def state(self) -> str:
        """One word for logs and the technician screen."""
        if not self.answered:
            return "not-answering"
        if self.paper == "out":
            return "paper-out"
        if self.cover_open:
            return "cover-open"
        if self.has_error:
            return "error"
        if not self.online:
            return "offline"
        return "paper-low" if self.paper == "near_end" else "ready"

    @property
    def common_state(self) -> str:
        """The CEN/XFS-style common state (values of ``kiosk.devices.model.DeviceState``)."""
        if not self.answered:
            return "offline"
        if self.has_error:
            return "hardware_error"
        if self.paper == "out" or self.cover_open:
            return "user_error"
        return "online" if self.online else "offline"

    def problem(self) -> tuple[str, str] | None:
        """``(user msgid, detail)`` if the printer cannot print now, else ``None``."""
        if self.ready:
            return None
        detail = f"printer {self.state}; status bytes " + " ".join(
            f"n{n}={b:02X}" for n, b in sorted(self.raw.items()))
        if not self.answered:
            return MSG_OFFLINE, detail if self.raw else "printer did not answer DLE EOT"
        if self.paper == "out":
            return MSG_PAPER_OUT, detail
        if self.cover_open:
            return MSG_COVER_OPEN, detail
        if self.has_error:
            return MSG_PRINTER_ERROR, detail
        return MSG_OFFLINE, detail

    @classmethod
    def silent(cls) -> PrinterStatus:
        return cls(answered=False, online=False)

    @classmethod
    def parse(cls, raw: dict[int, int]) -> PrinterStatus:
        """Decode replies to ``DLE EOT n``; a missing or malformed byte means unknown."""
        good = {n: b for n, b in raw.items() if _valid(b)}
        if 1 not in good:
            return cls(answered=False, online=False, raw=dict(raw))
        s1, s2, s3, s4 = good[1], good.get(2, 0x12), good.get(3, 0x12), good.get(4)
        if s4 is None:
            paper: PaperLevel = "unknown"
        elif s4 & 0x60:
            paper = "out"
        elif s4 & 0x0C:
            paper = "near_end"
        else:
            paper = "adequate"
        if s2 & 0x20:  # "stopped by paper end" is as good as the roll sensor
            paper = "out"
        return cls(
            answered=True,
            online=not s1 & 0x08,
            cover_open=bool(s2 & 0x04),
            paper=paper,
            feed_pressed=bool(s1 & 0x40 or s2 & 0x08),
            waiting_for_recovery=bool(s1 & 0x20),
            mechanical_error=bool(s3 & 0x04),
            autocutter_error=bool(s3 & 0x08),
            unrecoverable_error=bool(s3 & 0x20),
            auto_recoverable_error=bool(s3 & 0x40),
            raw=dict(raw),
        )


#: Seconds a printer may spend printing before it answers the status query after a job.
AFTER_PRINT_GRACE_S = 3.0


class EscposPrinter:
    """An ESC/POS printer on a :class:`Transport`; owns (and closes) the transport."""

    def __init__(self, transport: Transport, *, status_timeout: float = 0.3,
                 baudrate: int = 115200) -> None:
        self.transport = transport
        self.status_timeout = status_timeout
        self.baudrate = baudrate
        self._closed = False

    def _query(self, n: int, timeout: float) -> int | None:
        self.transport.write(DLE_EOT + bytes((n,)))
        reply = self.transport.read(1, timeout)
        return reply[0] if reply else None

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """Ask ``DLE EOT 1..4``. No answer to the first query → not answering (no 4× wait)."""
        wait = self.status_timeout if timeout is None else timeout
        self.transport.reset_input()
        raw: dict[int, int] = {}
        for n in (1, 2, 3, 4):
            byte = self._query(n, wait if n == 1 else max(wait, 0.2))
            if byte is None:
                if n == 1:
                    return PrinterStatus.silent()
                break
            raw[n] = byte
        status = PrinterStatus.parse(raw)
        log.debug("printer %s status %s %s", self.transport.url, status.state, raw)
        return status

    def check_ready(self, timeout: float | None = None) -> PrinterStatus:
        """Status, raising :class:`PrinterError` with the specific user message if not ready."""
        return self.ensure_ready(self.status(timeout))

    def ensure_ready(self, status: PrinterStatus) -> PrinterStatus:
        """``status`` if it is fit to print; else :class:`PrinterError` with its message."""
        problem = status.problem()
        if problem is not None:
            message, detail = problem
            raise PrinterError(f"{self.transport.url}: {detail}", message=message)
        return status

    def write(self, data: bytes) -> None:
        self.transport.write(data)

    def graphics_keys(self, timeout: float | None = None) -> set[bytes] | None:
        """Ask which download graphics the printer holds (``GS ( L`` function 80).

        The reply is ``37h 73h status key… NUL`` per block of up to 40 keys (status 41h: more
        blocks follow), each answered with ACK. ``None`` when the printer does not answer or
        the reply is malformed: the caller then falls back to what it saw itself.
        """
        wait = self.status_timeout if timeout is None else timeout
        self.transport.reset_input()
        self.transport.write(b"\x1d(L\x04\x00\x30\x50KC")
        keys: set[bytes] = set()
        for _ in range(256):  # 256 blocks × 40 keys covers every possible key
            head = self._read_exact(3, wait)
            if head is None or head[0] != 0x37 or head[1] != 0x73 or head[2] not in (0x40, 0x41):
                return None
            body = bytearray()
            while True:
                byte = self._read_exact(1, wait)
                if byte is None:
                    return None
                if byte == b"\x00":
                    break
                body += byte
            if len(body) % 2:
                return None
            keys.update(bytes(body[i:i + 2]) for i in range(0, len(body), 2))
            self.transport.write(b"\x06")  # ACK: next block, or the end of the exchange
            if head[2] == 0x40:
                return keys
        return None

    def _read_exact(self, n: int, timeout: float) -> bytes | None:
        out = b""
        while len(out) < n:
            chunk = self.transport.read(n - len(out), timeout)
            if not chunk:
                return None
            out += chunk
        return out

    def print_document(self, data: bytes) -> PrinterStatus:
        """Check, send ``data``, check again. Returns the status after printing.

        On a write-only link (``file://``) nothing can be checked: the bytes are sent and the
        returned status says ``answered=False`` — the caller must not call that confirmed.
        """
        if not self.transport.bidirectional:
            self.write(data)
            return PrinterStatus.silent()
        self.check_ready()
        self.write(data)
        return self.confirm(len(data))

    def confirm(self, sent_bytes: int) -> PrinterStatus:
        """The after-print check: raise if the printer stopped or went quiet.

        It waits for as long as the bytes take on the wire (pseudo-terminals and sockets do
        not throttle, real serial lines do) plus the time a printer may take to burn a long
        slip before it reads the status query queued behind it, so a busy printer is not
        mistaken for a silent one. This runs on a worker, so patience costs no one a frozen
        screen; only a truly silent printer is reported that much later.
        """
        wire_seconds = sent_bytes * 10 / self.baudrate
        after = self.status(self.status_timeout + wire_seconds * 1.5 + AFTER_PRINT_GRACE_S)
        problem = after.problem()
        if problem is not None:
            message, detail = problem
            raise PrinterError(f"{self.transport.url}: after sending {sent_bytes} bytes: "
                               f"{detail}", message=message)
        return after

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.transport.close()

    def __enter__(self) -> EscposPrinter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
