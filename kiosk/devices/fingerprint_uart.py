"""Driver for UART fingerprint modules speaking the ZFM/R30x packet protocol (R305, R307, AS608).

The module matches on the sensor: the kiosk asks it to take an image (GenImg), turn the image
into a template in a char buffer (Img2Tz) and search its own flash library (Search). Only a few
dozen bytes cross the wire per step. A full 256×288 image is 36,864 bytes — about 6.4 s at the
default 57600 baud — so this driver never moves images in the capture path (``UpImage`` is not
even offered); templates move only for enrolment back-ups (UpChar/DownChar, ~512 bytes).

Wire format (devices.md): ``EF 01 | addr(4) | PID | LEN(2, BE, payload+2) | payload | SUM(2)``
where SUM is the low 16 bits of PID + LEN bytes + payload. The parser verifies every checksum
and resynchronises on garbage and short frames by scanning for ``EF 01``; each command clears
stale input first, so a half frame left by a previous fault cannot poison the next reply.

Biometric data (templates) is held only in memory and never logged: log lines carry command
names, reply codes and byte counts.
"""

from __future__ import annotations

import logging
import termios
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial

from kiosk.devices.links import open_port
from kiosk.devices.model import (
    Capabilities,
    Device,
    DeviceState,
    DeviceUnavailableError,
    SelfTestResult,
)
from kiosk.errors import DeviceError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

START = b"\xef\x01"
DEFAULT_ADDRESS = 0xFFFFFFFF

PID_COMMAND = 0x01
PID_DATA = 0x02
PID_ACK = 0x07
PID_END_DATA = 0x08
VALID_PIDS = frozenset({PID_COMMAND, PID_DATA, PID_ACK, PID_END_DATA})

# Commands (devices.md)
CMD_GEN_IMG = 0x01
CMD_IMG2TZ = 0x02
CMD_MATCH = 0x03
CMD_SEARCH = 0x04
CMD_REG_MODEL = 0x05
CMD_STORE = 0x06
CMD_LOAD_CHAR = 0x07
CMD_UP_CHAR = 0x08
CMD_DOWN_CHAR = 0x09
CMD_UP_IMAGE = 0x0A
CMD_DOWN_IMAGE = 0x0B
CMD_DELETE_CHAR = 0x0C
CMD_EMPTY = 0x0D
CMD_SET_SYS_PARA = 0x0E
CMD_READ_SYS_PARA = 0x0F
CMD_VFY_PWD = 0x13
CMD_TEMPLATE_NUM = 0x1D
CMD_READ_INDEX = 0x1F

COMMAND_NAMES = {
    CMD_GEN_IMG: "GenImg", CMD_IMG2TZ: "Img2Tz", CMD_MATCH: "Match", CMD_SEARCH: "Search",
    CMD_REG_MODEL: "RegModel", CMD_STORE: "Store", CMD_LOAD_CHAR: "LoadChar",
    CMD_UP_CHAR: "UpChar", CMD_DOWN_CHAR: "DownChar", CMD_UP_IMAGE: "UpImage",
    CMD_DOWN_IMAGE: "DownImage", CMD_DELETE_CHAR: "DeleteChar", CMD_EMPTY: "Empty",
    CMD_SET_SYS_PARA: "SetSysPara", CMD_READ_SYS_PARA: "ReadSysPara", CMD_VFY_PWD: "VfyPwd",
    CMD_TEMPLATE_NUM: "TemplateNum", CMD_READ_INDEX: "ReadIndex",
}

OK = 0x00
# What a vanished port raises: pyserial's wrapper, the OS error, or (for tcflush on a pty
# whose master is gone) termios.error, which is not an OSError.
LINK_ERRORS: tuple[type[BaseException], ...] = (serial.SerialException, OSError, termios.error)
PACKET_SIZES = (32, 64, 128, 256)
MAX_DATA_PAYLOAD = 256
IMAGE_BYTES = 256 * 288 // 2  # 4 bits per pixel: what UpImage would move (never used here)


# ---------------------------------------------------------------------------------------------
# Errors: one class per reply code, each with a citizen message and a technical detail.
# ---------------------------------------------------------------------------------------------
_STAFF = N_("The fingerprint scanner has a problem. Please ask the staff for help.")
_AGAIN = N_("The fingerprint could not be read. Please place your finger again.")


class FingerprintError(DeviceError):
    """A fingerprint module refused a command or could not be understood."""

    default_message = _STAFF
    code: int | None = None

    def __init__(self, detail: str = "", *, message: str | None = None,
                 code: int | None = None) -> None:
        super().__init__(detail, message=message)
        if code is not None:
            self.code = code


class PacketReceiveError(FingerprintError):
    code = 0x01
    default_message = _STAFF


class NoFingerError(FingerprintError):
    code = 0x02
    default_message = N_("Please place your finger on the scanner.")


class ImageCaptureError(FingerprintError):
    code = 0x03
    default_message = _AGAIN


class MessyImageError(FingerprintError):
    code = 0x06
    default_message = N_(
        "The fingerprint is not clear. Please clean your finger, press gently and try again.")


class TooFewFeaturesError(MessyImageError):
    code = 0x07


class NoMatchError(FingerprintError):
    code = 0x08
    default_message = N_("The fingerprints do not match.")


class NotFoundError(FingerprintError):
    code = 0x09
    default_message = N_("This fingerprint is not registered.")


class EnrollMismatchError(FingerprintError):
    code = 0x0A
    default_message = N_(
        "The two fingerprint scans did not match. Please use the same finger and try again.")


class BadLocationError(FingerprintError):
    code = 0x0B


class TemplateLoadError(FingerprintError):
    code = 0x0C


class TemplateUploadError(FingerprintError):
    code = 0x0D


class DeleteTemplateError(FingerprintError):
    code = 0x10


class ClearLibraryError(FingerprintError):
    code = 0x11


class WrongPasswordError(FingerprintError):
    code = 0x13
    default_message = N_(
        "The fingerprint scanner is locked with a different password. Please call a technician.")


class InvalidImageError(FingerprintError):
    code = 0x15
    default_message = _AGAIN


class FlashError(FingerprintError):
    code = 0x18
    default_message = N_("The fingerprint scanner's memory failed. Please call a technician.")


class FingerTimeoutError(FingerprintError):
    """No finger arrived (or left) within the time allowed."""

    default_message = N_(
        "No finger was detected. Please place your finger on the scanner and try again.")


class NotRespondingError(FingerprintError):
    """The module stayed silent: unplugged, wrong baud rate, or no power."""

    default_message = N_("The fingerprint scanner is not responding. Please ask the staff.")


class ProtocolError(FingerprintError):
    """The module answered, but with a corrupt or unexpected packet."""


class CaptureCancelledError(FingerprintError):
    default_message = N_("Fingerprint scanning was cancelled.")


REPLY_CODES: dict[int, tuple[type[FingerprintError], str]] = {
    0x01: (PacketReceiveError, "packet receive error"),
    0x02: (NoFingerError, "no finger on the sensor"),
    0x03: (ImageCaptureError, "failed to capture the image"),
    0x06: (MessyImageError, "image too messy to generate features"),
    0x07: (TooFewFeaturesError, "too few feature points"),
    0x08: (NoMatchError, "the templates do not match"),
    0x09: (NotFoundError, "no matching template in the library"),
    0x0A: (EnrollMismatchError, "the two captures cannot be combined (enroll mismatch)"),
    0x0B: (BadLocationError, "page id is beyond the library"),
    0x0C: (TemplateLoadError, "error reading the template from the library (invalid)"),
    0x0D: (TemplateUploadError, "error uploading the template"),
    0x10: (DeleteTemplateError, "failed to delete the template"),
    0x11: (ClearLibraryError, "failed to clear the library"),
    0x13: (WrongPasswordError, "wrong module password"),
    0x15: (InvalidImageError, "no valid primary image in the image buffer"),
    0x18: (FlashError, "error writing the flash"),
}


def error_for_code(code: int, command: int) -> FingerprintError:
    """The exception for reply ``code`` to ``command``, with a precise technical detail."""
    name = COMMAND_NAMES.get(command, f"0x{command:02X}")
    cls, what = REPLY_CODES.get(code, (FingerprintError, "unknown reply code"))
    return cls(f"fingerprint {name}: reply 0x{code:02X} ({what})", code=code)


# ---------------------------------------------------------------------------------------------
# Framing
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Packet:
    pid: int
    payload: bytes
    address: int = DEFAULT_ADDRESS

    def __repr__(self) -> str:  # never print payload bytes: they may be a template
        return f"Packet(pid=0x{self.pid:02X}, len={len(self.payload)}, addr=0x{self.address:08X})"


@dataclass(frozen=True)
class BadFrame:
    """Something that looked like a frame but was not (reported, then skipped)."""

    reason: str


def checksum(pid: int, length: int, payload: bytes) -> int:
    return (pid + (length >> 8) + (length & 0xFF) + sum(payload)) & 0xFFFF


def build_packet(pid: int, payload: bytes, address: int = DEFAULT_ADDRESS) -> bytes:
    """Encode one packet. ``LEN`` counts the payload plus the two checksum bytes."""
    length = len(payload) + 2
    return (START + address.to_bytes(4, "big") + bytes((pid,)) + length.to_bytes(2, "big")
            + payload + checksum(pid, length, payload).to_bytes(2, "big"))


class PacketParser:
    """Incremental, resynchronising decoder: feed any bytes, get packets and bad-frame notes.

    Why incremental: a UART delivers frames in arbitrary slices, and line noise may insert or
    drop bytes. On anything inconsistent (unknown PID, impossible length, bad checksum) the
    parser drops one byte and scans again for ``EF 01``, so a real frame hiding behind garbage
    or behind a truncated frame is still found.
    """

    def __init__(self, max_payload: int = MAX_DATA_PAYLOAD) -> None:
        self.max_len = max_payload + 2
        self._buf = bytearray()
        self.garbage_bytes = 0
        self.bad_frames = 0

    def clear(self) -> None:
        self._buf.clear()

    @property
    def pending(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[Packet | BadFrame]:
        self._buf += data
        out: list[Packet | BadFrame] = []
        buf = self._buf
        while True:
            i = buf.find(START)
            if i < 0:
                keep = 1 if buf.endswith(START[:1]) else 0
                self.garbage_bytes += len(buf) - keep
                del buf[:len(buf) - keep]
                return out
            if i:
                self.garbage_bytes += i
                del buf[:i]
            if len(buf) < 9:
                return out
            pid = buf[6]
            length = int.from_bytes(buf[7:9], "big")
            if pid not in VALID_PIDS or not 2 <= length <= self.max_len:
                out.append(self._reject(f"bad header (pid 0x{pid:02X}, len {length})"))
                continue
            end = 9 + length
            if len(buf) < end:
                return out
            payload = bytes(buf[9:end - 2])
            got = int.from_bytes(buf[end - 2:end], "big")
            if got != checksum(pid, length, payload):
                out.append(self._reject("bad checksum"))
                continue
            address = int.from_bytes(buf[2:6], "big")
            del buf[:end]
            out.append(Packet(pid, payload, address))

    def _reject(self, reason: str) -> BadFrame:
        self.bad_frames += 1
        self.garbage_bytes += 1
        del self._buf[:1]
        return BadFrame(reason)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SystemParameters:
    """ReadSysPara: 16 bytes after the confirmation code."""

    status_register: int
    system_id: int
    library_size: int
    security_level: int
    address: int
    packet_size_code: int
    baud_n: int

    @property
    def packet_size(self) -> int:
        return PACKET_SIZES[self.packet_size_code] if 0 <= self.packet_size_code < 4 else 128

    @property
    def baudrate(self) -> int:
        return 9600 * self.baud_n

    @classmethod
    def parse(cls, data: bytes) -> SystemParameters:
        if len(data) < 16:
            raise ProtocolError(f"ReadSysPara reply too short ({len(data)} bytes)")

        def u16(i: int) -> int:
            return int.from_bytes(data[i:i + 2], "big")

        return cls(u16(0), u16(2), u16(4), u16(6), int.from_bytes(data[8:12], "big"),
                   u16(12), u16(14))


@dataclass(frozen=True)
class SearchResult:
    page: int
    score: int


PromptCallback = Callable[[str], None]


class FingerprintReader(Device):
    """A ZFM/R30x module on any pyserial URL (``/dev/ttyUSB0``, ``socket://…``, a pty).

    Calls block for at most their timeout, so they belong on a worker thread (the UI's device
    worker), never on the GUI thread. All transactions are serialised by a lock: the protocol
    is strictly one command, one reply. If the module vanishes the link is dropped and the next
    call reconnects (with backoff), re-running the handshake.
    """

    kind = "fingerprint"

    def __init__(self, url: str, *, baudrate: int = 57600, address: int = DEFAULT_ADDRESS,
                 password: int = 0, reply_timeout: float = 1.0, name: str | None = None) -> None:
        super().__init__(url, name=name)
        self.baudrate = baudrate
        self.address = address
        self.password = password
        self.reply_timeout = reply_timeout
        self._link: Any = None
        self._io_lock = threading.RLock()
        self._parser = PacketParser()
        self._pending: deque[Packet | BadFrame] = deque()
        self._cancel = threading.Event()
        self._next_attempt = 0.0
        self._backoff = 0.0
        self.params: SystemParameters | None = None
        self.bytes_sent = 0
        self.bytes_received = 0

    # -- lifecycle ----------------------------------------------------------------------------
    def _open(self) -> None:
        self._backoff = 0.0
        self._next_attempt = 0.0
        with self._io_lock:
            self._connect()

    def _close(self) -> None:
        self._cancel.set()
        with self._io_lock:
            self._drop_link()
        self._cancel.clear()

    def _connect(self) -> None:
        self._link = open_port(self.url, baudrate=self.baudrate, timeout=0.02)
        try:
            self.verify_password()
            self.params = self.read_sys_para()
        except FingerprintError:
            self._drop_link()
            raise
        self._backoff = 0.0
        p = self.params
        self._set_state(DeviceState.ONLINE, error="", detail={
            "library_size": p.library_size, "security_level": p.security_level,
            "packet_size": p.packet_size, "baudrate": p.baudrate,
            "address": f"{p.address:08X}",
        }, ids={"system_id": f"{p.system_id:04X}"})

    def _drop_link(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            try:
                link.close()
            except Exception:
                log.debug("closing fingerprint link", exc_info=True)

    def _ensure_link(self) -> Any:
        if self._link is not None:
            return self._link
        if not self.is_open:
            raise DeviceUnavailableError(f"{self.name} is closed", state=DeviceState.OFFLINE)
        now = time.monotonic()
        if now < self._next_attempt:
            raise DeviceUnavailableError(
                f"{self.name}: reconnecting to {self.url} in {self._next_attempt - now:.1f} s",
                state=self.status().state)
        try:
            self._connect()
        except (DeviceUnavailableError, FingerprintError) as exc:
            self._backoff = min(max(self._backoff * 2, 0.2), 5.0)
            self._next_attempt = time.monotonic() + self._backoff
            state = exc.state if isinstance(exc, DeviceUnavailableError) else DeviceState.OFFLINE
            self._set_state(state, error=exc.detail)
            raise
        return self._link

    def check(self) -> DeviceState:
        """Health poll for a device manager: reconnect if needed, then ask for TemplateNum."""
        try:
            self.template_count()
        except DeviceError:
            pass
        return self.status().state

    def cancel(self) -> None:
        """Abort a finger wait in progress (the citizen pressed Back)."""
        self._cancel.set()

    # -- transactions -----------------------------------------------------------------------
    def _write(self, link: Any, data: bytes) -> None:
        link.write(data)
        self.bytes_sent += len(data)

    def _read_packet(self, link: Any, timeout: float, what: str) -> Packet:
        deadline = time.monotonic() + timeout
        while True:
            while self._pending:  # one read may carry several frames (ack + data packets)
                item = self._pending.popleft()
                if isinstance(item, BadFrame):
                    raise ProtocolError(f"fingerprint {what}: {item.reason}")
                if item.address == self.address:
                    return item
                log.debug("ignoring packet for address %08X", item.address)
            chunk = link.read(max(1, link.in_waiting))
            if chunk:
                self.bytes_received += len(chunk)
                self._pending.extend(self._parser.feed(chunk))
            elif time.monotonic() >= deadline:
                raise NotRespondingError(
                    f"fingerprint {what}: no reply within {timeout:.1f} s on {self.url}")

    def _link_lost(self, exc: BaseException) -> DeviceUnavailableError:
        self._drop_link()
        self._next_attempt = 0.0
        err = DeviceUnavailableError(f"{self.name}: link to {self.url} lost: {exc}",
                                state=DeviceState.OFFLINE)
        self._set_state(DeviceState.OFFLINE, error=err.detail)
        return err

    def _command(self, payload: bytes, *, timeout: float | None = None,
                 retries: int = 1) -> bytes:
        """Send one command packet, return the ack payload (code first). Retries on corruption.

        A corrupt reply is retried once because every command here is idempotent at the
        module (capturing or storing twice gives the same result); a silent module is not
        retried, it is reported offline at once.
        """
        what = COMMAND_NAMES.get(payload[0], f"0x{payload[0]:02X}")
        with self._io_lock:
            for attempt in range(retries + 1):
                link = self._ensure_link()
                try:
                    self._parser.clear()
                    self._pending.clear()
                    link.reset_input_buffer()
                    self._write(link, build_packet(PID_COMMAND, payload, self.address))
                    pkt = self._read_packet(link, timeout or self.reply_timeout, what)
                except LINK_ERRORS as exc:
                    raise self._link_lost(exc) from exc
                except NotRespondingError as exc:
                    self._drop_link()
                    self._set_state(DeviceState.OFFLINE, error=exc.detail)
                    raise
                except ProtocolError as exc:
                    log.warning("%s (attempt %d)", exc.detail, attempt + 1)
                    if attempt < retries:
                        continue
                    self._set_state(DeviceState.HARDWARE_ERROR, error=exc.detail)
                    raise
                if pkt.pid != PID_ACK or not pkt.payload:
                    exc2 = ProtocolError(f"fingerprint {what}: expected an ack, got {pkt!r}")
                    self._set_state(DeviceState.HARDWARE_ERROR, error=exc2.detail)
                    raise exc2
                if self.status().state in (DeviceState.HARDWARE_ERROR, DeviceState.OFFLINE):
                    self._set_state(DeviceState.ONLINE, error="")
                return pkt.payload
        raise AssertionError("unreachable")  # pragma: no cover

    def _checked(self, payload: bytes, *, timeout: float | None = None) -> bytes:
        reply = self._command(payload, timeout=timeout)
        if reply[0] != OK:
            raise error_for_code(reply[0], payload[0])
        return reply

    # -- protocol commands -------------------------------------------------------------------
    def verify_password(self) -> None:
        """VfyPwd: the handshake every module expects first (default password 0)."""
        self._checked(bytes((CMD_VFY_PWD,)) + self.password.to_bytes(4, "big"))

    def read_sys_para(self) -> SystemParameters:
        return SystemParameters.parse(self._checked(bytes((CMD_READ_SYS_PARA,)))[1:])

    def gen_img(self) -> bool:
        """One capture attempt: True if a finger was imaged, False if none was on the sensor."""
        reply = self._command(bytes((CMD_GEN_IMG,)))
        if reply[0] == 0x02:
            self._set_state(detail={"finger_present": False})
            return False
        if reply[0] != OK:
            raise error_for_code(reply[0], CMD_GEN_IMG)
        self._set_state(detail={"finger_present": True})
        return True

    def img2tz(self, buffer: int = 1) -> None:
        """Turn the image in the sensor into a template in char buffer 1 or 2."""
        self._checked(bytes((CMD_IMG2TZ, buffer)))

    def search(self, buffer: int = 1, start: int = 0, count: int | None = None
               ) -> SearchResult | None:
        """Search the module's library; ``None`` when the finger is not enrolled (code 09)."""
        if count is None:
            count = self.params.library_size if self.params else 1000
        reply = self._command(bytes((CMD_SEARCH, buffer)) + start.to_bytes(2, "big")
                              + count.to_bytes(2, "big"), timeout=max(2.0, self.reply_timeout))
        if reply[0] == 0x09:
            return None
        if reply[0] != OK:
            raise error_for_code(reply[0], CMD_SEARCH)
        if len(reply) < 5:
            raise ProtocolError(f"fingerprint Search: short reply ({len(reply)} bytes)")
        result = SearchResult(int.from_bytes(reply[1:3], "big"),
                              int.from_bytes(reply[3:5], "big"))
        self._set_state(detail={"last_score": result.score})
        return result

    def match(self) -> int | None:
        """Compare char buffers 1 and 2; the score, or ``None`` when they differ (code 08)."""
        reply = self._command(bytes((CMD_MATCH,)))
        if reply[0] == 0x08:
            return None
        if reply[0] != OK:
            raise error_for_code(reply[0], CMD_MATCH)
        score = int.from_bytes(reply[1:3], "big")
        self._set_state(detail={"last_score": score})
        return score

    def reg_model(self) -> None:
        self._checked(bytes((CMD_REG_MODEL,)))

    def store(self, page: int, buffer: int = 1) -> None:
        self._checked(bytes((CMD_STORE, buffer)) + page.to_bytes(2, "big"))

    def load_char(self, page: int, buffer: int = 1) -> None:
        self._checked(bytes((CMD_LOAD_CHAR, buffer)) + page.to_bytes(2, "big"))

    def delete(self, page: int, count: int = 1) -> None:
        self._checked(bytes((CMD_DELETE_CHAR,)) + page.to_bytes(2, "big")
                      + count.to_bytes(2, "big"))

    def empty(self) -> None:
        """Delete every template in the module (Empty)."""
        self._checked(bytes((CMD_EMPTY,)))

    def template_count(self) -> int:
        n = int.from_bytes(self._checked(bytes((CMD_TEMPLATE_NUM,)))[1:3], "big")
        self._set_state(detail={"template_count": n})
        return n

    def read_index(self, index_page: int = 0) -> set[int]:
        """Occupied library pages in index page 0..3 (256 pages each)."""
        table = self._checked(bytes((CMD_READ_INDEX, index_page)))[1:33]
        return {index_page * 256 + i * 8 + bit
                for i, byte in enumerate(table) for bit in range(8) if byte >> bit & 1}

    def free_page(self) -> int:
        size = self.params.library_size if self.params else 1000
        for ip in range((size + 255) // 256):
            used = self.read_index(ip)
            for page in range(ip * 256, min(size, ip * 256 + 256)):
                if page not in used:
                    return page
        raise BadLocationError("fingerprint library is full", code=0x0B)

    def upload_template(self, buffer: int = 1) -> bytes:
        """UpChar: copy a char buffer from the module to the kiosk (data packets 02…08)."""
        with self._io_lock:
            self._checked(bytes((CMD_UP_CHAR, buffer)))
            data = bytearray()
            link = self._ensure_link()
            try:
                while True:
                    pkt = self._read_packet(link, self.reply_timeout, "UpChar data")
                    if pkt.pid not in (PID_DATA, PID_END_DATA):
                        raise ProtocolError(f"fingerprint UpChar: unexpected {pkt!r}")
                    data += pkt.payload
                    if pkt.pid == PID_END_DATA:
                        break
                    if len(data) > 64 * 1024:
                        raise ProtocolError("fingerprint UpChar: data never ends")
            except LINK_ERRORS as exc:
                raise self._link_lost(exc) from exc
            except FingerprintError as exc:
                self._set_state(DeviceState.HARDWARE_ERROR, error=exc.detail)
                raise
            log.info("UpChar buffer %d: %d bytes", buffer, len(data))
            return bytes(data)

    def download_template(self, data: bytes, buffer: int = 1) -> None:
        """DownChar: send a template to a char buffer in packets of the module's packet size."""
        if not data:
            raise ValueError("empty template")
        size = self.params.packet_size if self.params else 128
        with self._io_lock:
            self._checked(bytes((CMD_DOWN_CHAR, buffer)))
            link = self._ensure_link()
            try:
                chunks = [data[i:i + size] for i in range(0, len(data), size)]
                for n, chunk in enumerate(chunks):
                    pid = PID_END_DATA if n == len(chunks) - 1 else PID_DATA
                    self._write(link, build_packet(pid, chunk, self.address))
                link.flush()
            except LINK_ERRORS as exc:
                raise self._link_lost(exc) from exc
            log.info("DownChar buffer %d: %d bytes in %d packets", buffer, len(data),
                     len(chunks))

    # -- flows ---------------------------------------------------------------------------------
    def wait_for_finger(self, timeout: float = 10.0, poll: float = 0.05) -> None:
        """Poll GenImg until a finger is imaged; raises :class:`FingerTimeoutError`."""
        self._cancel.clear()
        deadline = time.monotonic() + timeout
        previous = self.status().state
        self._set_state(DeviceState.BUSY)
        try:
            while True:
                if self.gen_img():
                    return
                if time.monotonic() >= deadline:
                    raise FingerTimeoutError(f"no finger within {timeout:.1f} s")
                if self._cancel.wait(poll):
                    raise CaptureCancelledError("capture cancelled")
        finally:
            if self.status().state is DeviceState.BUSY:
                self._set_state(DeviceState.ONLINE if previous is not DeviceState.BUSY
                                else previous)

    def wait_for_finger_removed(self, timeout: float = 10.0, poll: float = 0.05) -> None:
        """Poll GenImg until the sensor reports no finger (between enrolment captures)."""
        self._cancel.clear()
        deadline = time.monotonic() + timeout
        while self.gen_img():
            if time.monotonic() >= deadline:
                raise FingerTimeoutError(f"finger not lifted within {timeout:.1f} s",
                                         message=N_("Please lift your finger."))
            if self._cancel.wait(poll):
                raise CaptureCancelledError("capture cancelled")

    def capture(self, buffer: int = 1, timeout: float = 10.0) -> None:
        """Finger → template in ``buffer`` (no image ever leaves the module)."""
        self.wait_for_finger(timeout)
        self.img2tz(buffer)

    def identify(self, timeout: float = 10.0) -> SearchResult | None:
        """The login flow: capture, template, search. ``None`` = finger not enrolled."""
        self.capture(1, timeout)
        return self.search(1)

    def verify(self, page: int, timeout: float = 10.0) -> int | None:
        """1:1 check against library ``page``: capture into buffer 1, load page into 2, Match."""
        self.capture(1, timeout)
        self.load_char(page, 2)
        return self.match()

    def enroll(self, page: int | None = None, *, timeout: float = 10.0,
               prompt: PromptCallback | None = None) -> int:
        """Two captures → RegModel → Store. Returns the page used.

        ``prompt`` receives msgids ("Place your finger", "Lift your finger", "Place the same
        finger again") so the screen can guide the person between the two captures.
        """
        say = prompt or (lambda _msg: None)
        if page is None:
            page = self.free_page()
        say(N_("Place your finger on the scanner."))
        self.capture(1, timeout)
        say(N_("Lift your finger."))
        self.wait_for_finger_removed(timeout)
        say(N_("Place the same finger again."))
        self.capture(2, timeout)
        self.reg_model()
        self.store(page, 1)
        log.info("fingerprint enrolled at page %d", page)
        return page

    # -- Device behaviour --------------------------------------------------------------------
    def capabilities(self) -> Capabilities:
        p = self.params
        return Capabilities(
            kind=self.kind,
            features=frozenset({"capture", "search", "match", "enroll", "template_io"}),
            extras={"library_size": p.library_size if p else None,
                    "packet_size": p.packet_size if p else None,
                    "match_on_device": True})

    def self_test(self) -> SelfTestResult:
        """Handshake, parameters and template count: proves wiring, baud and password."""
        try:
            self.verify_password()
            params = self.read_sys_para()
            count = self.template_count()
        except DeviceError as exc:
            return SelfTestResult(False, f"{self.name}: {exc.detail}",
                                  {"error": exc.detail, "state": self.status().state.value})
        return SelfTestResult(True, f"{self.name}: {count}/{params.library_size} templates",
                              {"library_size": params.library_size, "templates": count,
                               "security_level": params.security_level,
                               "packet_size": params.packet_size,
                               "baudrate": params.baudrate})

    def reset(self) -> None:
        """Drop the link and handshake again (a module has no soft reset in this protocol)."""
        with self._io_lock:
            self._drop_link()
            self._next_attempt = 0.0
            if self.is_open:
                self._connect()
