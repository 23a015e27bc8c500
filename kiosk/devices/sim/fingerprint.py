"""A ZFM/R30x fingerprint module simulator that speaks the exact wire protocol.

It keeps what a real module keeps — an image buffer, two char buffers, a flash library of
templates, system parameters — and answers every command with the same packet shapes (fixed
reply lengths included, because ``adafruit-circuitpython-fingerprint`` reads fixed lengths).
Independent client libraries (``pyfingerprint``, the Adafruit driver) talk to it unchanged;
the test-suite proves that.

"Fingers" are labels. A finger whose template is enrolled at page N is the finger ``N``; its
template is derived from a per-simulator secret and the label, so templates are realistic
512-byte blobs that contain no biometric data at all. Faults can be scripted: no finger, an
unknown finger, poor quality, silence, corrupt checksums, garbage before replies.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass, field

from kiosk.devices.fingerprint_uart import (
    CMD_DELETE_CHAR,
    CMD_DOWN_CHAR,
    CMD_EMPTY,
    CMD_GEN_IMG,
    CMD_IMG2TZ,
    CMD_LOAD_CHAR,
    CMD_MATCH,
    CMD_READ_INDEX,
    CMD_READ_SYS_PARA,
    CMD_REG_MODEL,
    CMD_SEARCH,
    CMD_SET_SYS_PARA,
    CMD_STORE,
    CMD_TEMPLATE_NUM,
    CMD_UP_CHAR,
    CMD_UP_IMAGE,
    CMD_VFY_PWD,
    DEFAULT_ADDRESS,
    IMAGE_BYTES,
    PACKET_SIZES,
    PID_ACK,
    PID_COMMAND,
    PID_DATA,
    PID_END_DATA,
    Packet,
    PacketParser,
    build_packet,
)
from kiosk.devices.sim.serial_host import PtyHost, SerialHost

log = logging.getLogger(__name__)

CMD_HIGH_SPEED_SEARCH = 0x1B  # what Adafruit's finger_fast_search sends
TEMPLATE_BYTES = 512


@dataclass
class Finger:
    """What rests on the sensor: a label (enrolled page or any text) and its quality."""

    label: str
    quality: str = "good"  # "good" | "poor" (Img2Tz fails with 06) | "few" (07)


@dataclass
class FingerprintFaults:
    silent: bool = False  # swallow commands, answer nothing (unplugged power, wrong baud)
    corrupt_replies: int = 0  # the next N replies carry a wrong checksum
    garbage_before_reply: bytes = b""  # noise inserted before every reply
    truncate_replies: int = 0  # the next N replies are cut short (a half frame)
    image_fail: bool = False  # GenImg answers 03


@dataclass
class FingerprintModuleState:
    library_size: int = 1000
    security_level: int = 3
    system_id: int = 0x0000
    status_register: int = 0x0000
    address: int = DEFAULT_ADDRESS
    password: int = 0
    packet_size_code: int = 2  # 128 bytes
    baud_n: int = 6  # 57600
    library: dict[int, bytes] = field(default_factory=dict)


class FingerprintSimulator:
    """The protocol brain; bind it to a :class:`SerialHost` (pty or TCP) with :meth:`attach`."""

    def __init__(self, *, library_size: int = 1000, enrolled: int = 0,
                 secret: bytes | None = None, delays: dict[int, float] | None = None) -> None:
        self.state = FingerprintModuleState(library_size=library_size)
        self.faults = FingerprintFaults()
        self.finger: Finger | None = None
        self._secret = secret or os.urandom(16)
        self._image: Finger | None = None
        self._char: dict[int, bytes | None] = {1: None, 2: None}
        self._parser = PacketParser()
        self._host: SerialHost | None = None
        self._lock = threading.Lock()
        self._download_buffer: int | None = None
        self._download_data = bytearray()
        self.delays = delays or {}  # per-command module processing time, seconds
        self._stop = threading.Event()
        self.commands_seen: list[int] = []
        for page in range(enrolled):
            self.enroll_finger(page)

    # -- scripting ----------------------------------------------------------------------------
    def template_for(self, label: str) -> bytes:
        """A deterministic 512-byte stand-in template for finger ``label`` (not biometric)."""
        out = bytearray()
        counter = 0
        while len(out) < TEMPLATE_BYTES:
            out += hashlib.sha256(self._secret + label.encode() + bytes((counter,))).digest()
            counter += 1
        return bytes(out[:TEMPLATE_BYTES])

    def enroll_finger(self, page: int, label: str | None = None) -> None:
        """Put finger ``label`` (default: the page number) into the library at ``page``."""
        with self._lock:
            self.state.library[page] = self.template_for(label if label is not None
                                                         else str(page))

    def place_finger(self, label: int | str | None = None, quality: str = "good") -> None:
        """A finger rests on the sensor. An int is the page of an enrolled finger."""
        with self._lock:
            self.finger = Finger(str(label) if label is not None else "unknown-finger", quality)

    def place_unknown_finger(self, quality: str = "good") -> None:
        self.place_finger(f"stranger-{os.urandom(4).hex()}", quality)

    def remove_finger(self) -> None:
        with self._lock:
            self.finger = None

    # -- wiring --------------------------------------------------------------------------------
    def attach(self, host: SerialHost) -> SerialHost:
        self._host = host
        host.on_data = self.feed
        return host

    def stop(self) -> None:
        self._stop.set()

    def feed(self, data: bytes) -> None:
        for item in self._parser.feed(data):
            if not isinstance(item, Packet):
                log.debug("sim fingerprint: %s", item.reason)
                continue
            if item.address != self.state.address:
                continue  # a real module ignores frames for another address
            for reply in self.handle(item):
                self._send(reply)

    def _send(self, frame: bytes) -> None:
        host = self._host
        if host is None:
            return
        f = self.faults
        if f.corrupt_replies > 0:
            f.corrupt_replies -= 1
            frame = frame[:-1] + bytes(((frame[-1] + 1) & 0xFF,))
        if f.truncate_replies > 0:
            f.truncate_replies -= 1
            frame = frame[: max(3, len(frame) // 2)]
        host.write(f.garbage_before_reply + frame)

    # -- the protocol --------------------------------------------------------------------------
    def _ack(self, code: int, extra: bytes = b"") -> bytes:
        return build_packet(PID_ACK, bytes((code,)) + extra, self.state.address)

    def _data_packets(self, data: bytes) -> list[bytes]:
        size = PACKET_SIZES[self.state.packet_size_code]
        chunks = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
        return [build_packet(PID_END_DATA if i == len(chunks) - 1 else PID_DATA, c,
                             self.state.address) for i, c in enumerate(chunks)]

    def handle(self, pkt: Packet) -> list[bytes]:
        """Replies (complete frames) to one packet from the host."""
        if self.faults.silent:
            return []
        if pkt.pid in (PID_DATA, PID_END_DATA):
            return self._receive_data(pkt)
        if pkt.pid != PID_COMMAND or not pkt.payload:
            return [self._ack(0x01)]
        cmd, args = pkt.payload[0], pkt.payload[1:]
        self.commands_seen.append(cmd)
        delay = self.delays.get(cmd, 0.0)
        if delay:
            self._stop.wait(delay)
        with self._lock:
            try:
                return self._dispatch(cmd, args)
            except (IndexError, ValueError):
                return [self._ack(0x01)]

    def _dispatch(self, cmd: int, a: bytes) -> list[bytes]:
        st = self.state

        def u16(i: int) -> int:
            if len(a) < i + 2:
                raise ValueError("short command")
            return int.from_bytes(a[i:i + 2], "big")

        if cmd == CMD_VFY_PWD:
            if len(a) < 4:
                return [self._ack(0x01)]
            return [self._ack(0x00 if int.from_bytes(a[:4], "big") == st.password else 0x13)]
        if cmd == CMD_READ_SYS_PARA:
            body = b"".join(v.to_bytes(2, "big") for v in (
                st.status_register, st.system_id, st.library_size, st.security_level))
            body += st.address.to_bytes(4, "big")
            body += st.packet_size_code.to_bytes(2, "big") + st.baud_n.to_bytes(2, "big")
            return [self._ack(0x00, body)]
        if cmd == CMD_SET_SYS_PARA:
            which, value = a[0], a[1]
            if which == 4:
                st.baud_n = value
            elif which == 5 and 1 <= value <= 5:
                st.security_level = value
            elif which == 6 and value < 4:
                st.packet_size_code = value
            else:
                return [self._ack(0x1A)]
            return [self._ack(0x00)]
        if cmd == CMD_GEN_IMG:
            if self.finger is None:
                return [self._ack(0x02)]
            if self.faults.image_fail:
                return [self._ack(0x03)]
            self._image = Finger(self.finger.label, self.finger.quality)
            return [self._ack(0x00)]
        if cmd == CMD_IMG2TZ:
            buf = a[0]
            if buf not in (1, 2):
                return [self._ack(0x01)]
            if self._image is None:
                return [self._ack(0x15)]
            if self._image.quality == "poor":
                return [self._ack(0x06)]
            if self._image.quality == "few":
                return [self._ack(0x07)]
            self._char[buf] = self.template_for(self._image.label)
            return [self._ack(0x00)]
        if cmd in (CMD_SEARCH, CMD_HIGH_SPEED_SEARCH):
            buf, start, count = a[0], u16(1), u16(3)
            probe = self._char.get(buf)
            if probe is not None:
                for page in sorted(st.library):
                    if start <= page < start + count and st.library[page] == probe:
                        return [self._ack(0x00, page.to_bytes(2, "big")
                                          + self._score(probe).to_bytes(2, "big"))]
            return [self._ack(0x09, bytes(4))]
        if cmd == CMD_MATCH:
            one, two = self._char[1], self._char[2]
            if one is not None and one == two:
                return [self._ack(0x00, self._score(one).to_bytes(2, "big"))]
            return [self._ack(0x08, bytes(2))]
        if cmd == CMD_REG_MODEL:
            one, two = self._char[1], self._char[2]
            if one is None or one != two:
                return [self._ack(0x0A)]
            return [self._ack(0x00)]
        if cmd == CMD_STORE:
            buf, page = a[0], u16(1)
            tpl = self._char.get(buf)
            if page >= st.library_size:
                return [self._ack(0x0B)]
            if tpl is None:
                return [self._ack(0x01)]
            st.library[page] = tpl
            return [self._ack(0x00)]
        if cmd == CMD_LOAD_CHAR:
            buf, page = a[0], u16(1)
            if page >= st.library_size:
                return [self._ack(0x0B)]
            if page not in st.library or buf not in (1, 2):
                return [self._ack(0x0C)]
            self._char[buf] = st.library[page]
            return [self._ack(0x00)]
        if cmd == CMD_DELETE_CHAR:
            page, count = u16(0), u16(2)
            if page + count > st.library_size or count == 0:
                return [self._ack(0x10)]
            for p in range(page, page + count):
                st.library.pop(p, None)
            return [self._ack(0x00)]
        if cmd == CMD_EMPTY:
            st.library.clear()
            return [self._ack(0x00)]
        if cmd == CMD_TEMPLATE_NUM:
            return [self._ack(0x00, len(st.library).to_bytes(2, "big"))]
        if cmd == CMD_READ_INDEX:
            index_page = a[0]
            table = bytearray(32)
            for p in st.library:
                if index_page * 256 <= p < index_page * 256 + 256:
                    i = p - index_page * 256
                    table[i // 8] |= 1 << (i % 8)
            return [self._ack(0x00, bytes(table))]
        if cmd == CMD_UP_CHAR:
            tpl = self._char.get(a[0])
            if tpl is None:
                return [self._ack(0x0D)]
            return [self._ack(0x00), *self._data_packets(tpl)]
        if cmd == CMD_DOWN_CHAR:
            if a[0] not in (1, 2):
                return [self._ack(0x0E)]
            self._download_buffer = a[0]
            self._download_data = bytearray()
            return [self._ack(0x00)]
        if cmd == CMD_UP_IMAGE:
            if self._image is None:
                return [self._ack(0x15)]
            return [self._ack(0x00), *self._data_packets(bytes(IMAGE_BYTES))]
        return [self._ack(0x01)]  # unsupported command: "packet error", as modules do

    def _receive_data(self, pkt: Packet) -> list[bytes]:
        if self._download_buffer is None:
            return []
        self._download_data += pkt.payload
        if pkt.pid == PID_END_DATA:
            with self._lock:
                self._char[self._download_buffer] = bytes(self._download_data)
            self._download_buffer = None
        return []

    def _score(self, template: bytes) -> int:
        # Stable, plausible match scores (real modules report ~50–300 for a genuine match).
        return 60 + template[0] % 200


class FingerprintPtySim:
    """Simulator + pseudo-terminal in one object (what tests, bench and ``kiosk sim`` use)."""

    def __init__(self, sim: FingerprintSimulator | None = None, *,
                 host: SerialHost | None = None, baudrate: int = 57600,
                 pace: bool = False, link: str | None = None) -> None:
        self.sim = sim or FingerprintSimulator()
        self.host = host or PtyHost(baudrate=baudrate, pace=pace, link=link)
        self.sim.attach(self.host)

    @property
    def address(self) -> str:
        return self.host.address

    def start(self) -> FingerprintPtySim:
        self.host.start()
        return self

    def stop(self) -> None:
        self.sim.stop()
        self.host.stop()

    def __enter__(self) -> FingerprintPtySim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
