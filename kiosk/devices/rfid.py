"""EM4100 125 kHz card reader (RDM6300 and the many clones): staff cards for operator login.

The reader needs no commands: while a card rests on it, it repeats a 14-byte frame about every
220 ms — ``02`` + 10 ASCII hex (2 version + 8 id) + 2 ASCII hex XOR checksum of the 5 data
bytes + ``03`` at 9600 8N1. So the driver's jobs are (1) find frames in a byte stream that may
start mid-frame or carry noise, (2) reject frames whose checksum fails, and (3) turn the
repeats into one "card presented" event per visit: a card counts again only after it has been
absent for longer than ``absence`` (default 0.5 s, a bit over two repeat periods).
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.model import (
    Capabilities,
    DeviceState,
    ListenerRegistry,
    SelfTestResult,
    SerialStreamingDevice,
)
from kiosk.masking import mask_card

log = logging.getLogger(__name__)

STX = 0x02
ETX = 0x03
FRAME_LEN = 14
_HEX = frozenset(b"0123456789ABCDEFabcdef")


@dataclass(frozen=True)
class CardRead:
    """One valid frame: ``card_id`` is the 10 hex digits (version + 32-bit number)."""

    card_id: str

    @property
    def version(self) -> int:
        return int(self.card_id[:2], 16)

    @property
    def number(self) -> int:
        """The 32-bit number; many cards print it in decimal on the front."""
        return int(self.card_id[2:], 16)


@dataclass(frozen=True)
class FrameError:
    reason: str


def encode_frame(card_id: str) -> bytes:
    """The frame a reader sends for ``card_id`` (10 hex digits) — used by the simulator."""
    cid = card_id.upper()
    if len(cid) != 10 or any(c not in "0123456789ABCDEF" for c in cid):
        raise ValueError(f"card id must be 10 hex digits, got {card_id!r}")
    xor = 0
    for i in range(0, 10, 2):
        xor ^= int(cid[i:i + 2], 16)
    return bytes((STX,)) + cid.encode("ascii") + f"{xor:02X}".encode("ascii") + bytes((ETX,))


class Em4100Parser:
    """Incremental frame finder with resynchronisation on ``02``."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.garbage_bytes = 0

    def clear(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> list[CardRead | FrameError]:
        buf = self._buf
        buf += data
        out: list[CardRead | FrameError] = []
        while True:
            start = buf.find(STX)
            if start < 0:
                self.garbage_bytes += len(buf)
                buf.clear()
                return out
            if start:
                self.garbage_bytes += start
                del buf[:start]
            # Every byte after STX up to the 13th must be hex, and the 14th must be ETX.
            bad_at = next((i for i in range(1, min(len(buf), FRAME_LEN - 1))
                           if buf[i] not in _HEX), None)
            if bad_at is not None:
                out.append(FrameError(f"non-hex byte 0x{buf[bad_at]:02X} in frame"))
                self.garbage_bytes += bad_at
                del buf[:bad_at]  # keep the offending byte: it may be the next STX
                if buf and buf[0] != STX:
                    del buf[:1]
                    self.garbage_bytes += 1
                continue
            if len(buf) < FRAME_LEN:
                return out
            if buf[FRAME_LEN - 1] != ETX:
                out.append(FrameError("frame not terminated by 03"))
                del buf[:1]
                self.garbage_bytes += 1
                continue
            text = buf[1:13].decode("ascii").upper()
            del buf[:FRAME_LEN]
            xor = 0
            for i in range(0, 10, 2):
                xor ^= int(text[i:i + 2], 16)
            if xor != int(text[10:12], 16):
                out.append(FrameError(f"checksum mismatch ({xor:02X} != {text[10:12]})"))
                continue
            out.append(CardRead(text[:10]))


class CardDebouncer:
    """Turns ~4.5 repeats per second into one event per visit of a card."""

    def __init__(self, absence: float = 0.5) -> None:
        self.absence = absence
        self.current: str | None = None
        self._last_seen = 0.0

    def seen(self, card_id: str, now: float) -> bool:
        """Record a read; True if it starts a new visit (a different card, or after absence)."""
        new = card_id != self.current or now - self._last_seen > self.absence
        self.current = card_id
        self._last_seen = now
        return new

    def expired(self, now: float) -> str | None:
        """The card that has just gone away (absent for longer than ``absence``), if any."""
        if self.current is not None and now - self._last_seen > self.absence:
            gone, self.current = self.current, None
            return gone
        return None


@dataclass(frozen=True)
class CardEvent:
    card_id: str
    present: bool  # False: the card was taken away
    at: float


CardListener = Callable[[CardEvent], None]


class RfidReader(SerialStreamingDevice):
    """An EM4100 reader on any pyserial URL, with events for "card presented/removed"."""

    kind = "card_reader"
    baudrate = 9600

    def __init__(self, url: str, *, absence: float = 0.5, baudrate: int | None = None,
                 name: str | None = None) -> None:
        super().__init__(url, baudrate=baudrate, name=name)
        self._parser = Em4100Parser()
        self._debounce = CardDebouncer(absence)
        self._cards: ListenerRegistry[CardEvent] = ListenerRegistry("card")
        self._queue: queue.Queue[CardEvent] = queue.Queue(maxsize=64)
        self.frames_ok = 0
        self.frames_bad = 0

    def add_card_listener(self, callback: CardListener) -> Callable[[], None]:
        """``callback(CardEvent)`` from the worker thread on every presentation/removal."""
        return self._cards.add(callback)

    def wait_for_card(self, timeout: float) -> str | None:
        """The next card presented (its id), or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                ev = self._queue.get(timeout=left)
            except queue.Empty:
                return None
            if ev.present:
                return ev.card_id

    def _on_connected(self) -> None:
        self._parser.clear()

    def _feed(self, data: bytes) -> None:
        now = time.monotonic()
        for item in self._parser.feed(data):
            if isinstance(item, FrameError):
                self.frames_bad += 1
                self.bad_input += 1
                log.warning("%s: %s", self.name, item.reason)
                self._input_error(f"bad card frame: {item.reason}")
                continue
            self.frames_ok += 1
            self._input_recovered()
            if self._debounce.seen(item.card_id, now):
                masked = mask_card(item.card_id)  # logs and diagnostics: last four digits
                log.info("%s: card %s presented", self.name, masked)
                self._set_state(detail={"card_present": True, "last_card": masked})
                self._emit(CardEvent(item.card_id, True, now))

    def _on_idle(self) -> None:
        gone = self._debounce.expired(time.monotonic())
        if gone is not None:
            self._set_state(detail={"card_present": False})
            self._emit(CardEvent(gone, False, time.monotonic()))

    def _emit(self, ev: CardEvent) -> None:
        try:
            self._queue.put_nowait(ev)
        except queue.Full:  # nobody is waiting: keep the newest events
            try:
                self._queue.get_nowait()
            except queue.Empty:
                pass
            self._queue.put_nowait(ev)
        self._cards.emit(ev)

    def capabilities(self) -> Capabilities:
        return Capabilities(self.kind, frozenset({"read_card"}),
                            {"protocol": "EM4100", "absence_s": self._debounce.absence})

    def self_test(self, timeout: float = 5.0) -> SelfTestResult:
        """Ask the technician to present a card; pass if one is read within ``timeout``."""
        if self.status().state in (DeviceState.NO_DEVICE, DeviceState.OFFLINE):
            st = self.status()
            return SelfTestResult(False, f"{self.name}: {st.state.value}",
                                  {"error": st.last_error})
        card = self.wait_for_card(timeout)
        if card is None:
            return SelfTestResult(False, f"{self.name}: no card presented within {timeout:.0f} s",
                                  {"frames_bad": self.frames_bad})
        return SelfTestResult(True, f"{self.name}: card {card}",
                              {"card_id": card, "frames_bad": self.frames_bad})
