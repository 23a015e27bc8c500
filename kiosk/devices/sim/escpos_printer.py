"""A simulated ESC/POS thermal printer that speaks the real wire protocol.

Why a simulator in the package: the kiosk must run, and its print path must be tested, on a
machine with no printer. The simulator is fed the *same bytes* a real printer gets — in process
(``sim://printer``) or over a pseudo-terminal that a driver opens like a serial port (the
shared :class:`~kiosk.devices.sim.serial_host.PtyHost`, via :class:`PrinterPtySim`) — answers
``DLE EOT n`` with the exact status bytes of a real head, and can be faulted (paper near end /
out, cover open, offline, silent, errors, slow). Its decoder is independent of our renderer: it
lays the page out from the byte stream alone (printer font cells 12×24 / 9×17 scaled by
``GS !``, ``GS v 0`` raster, ``GS ( k`` QR drawn with the ``qrcode`` library from the stored
data), so a PNG of a job shows what the bytes really say, not what the renderer meant.

Graphics memory: ``GS ( L`` / ``GS 8 L`` download graphics (functions 83 define, 85 print,
80 key list, 81/82 delete) live in the simulator's RAM across jobs, and NV graphics (67, 69,
64, 65, 66) survive a power cycle, as on an Epson head. ``ESC @`` clears download graphics
(Epson's reference: "defined data is lost when ESC @ is executed, the system is reset, or
power is turned off"); :meth:`EscposPrinterSim.power_cycle` is the fault switch that loses
them, after which printing an undefined key prints nothing — so a kiosk that forgets to
define a label again gets a visibly incomplete slip in tests and previews.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from kiosk.devices.sim.serial_host import PtyHost, SerialHost

log = logging.getLogger(__name__)

PaperState = Literal["ok", "near_end", "out"]
SimErrorKind = Literal["mechanical", "autocutter", "unrecoverable", "auto_recoverable"]

DOTS_BY_PAPER: dict[int, int] = {80: 576, 58: 384}
FONT_CELL: dict[int, tuple[int, int]] = {0: (12, 24), 1: (9, 17)}
DEFAULT_LINE_SPACING = 30
#: A page taller than this (≈5 m of paper) is cut off: protects memory against garbage input.
MAX_PAGE_ROWS = 40_000
CODEPAGES: dict[int, str] = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
_QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
          50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}

#: ESC commands followed by exactly one parameter byte.
_ESC_ONE_PARAM = frozenset("aEM!dJt-3GV{rRUeT=% ")

_STATUS_BASE = 0x12  # every real-time status byte has the shape 0xx1xx10


@dataclass
class SimJob:
    """One printed job: its raw bytes, the decoded page, and what the decoder recognised."""

    number: int
    data: bytes
    image: Image.Image
    text_lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    raster_boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    cut: bool = False
    #: Graphics printed from memory by key, and keys asked for that the printer did not hold.
    graphics_printed: list[bytes] = field(default_factory=list)
    graphics_missing: list[bytes] = field(default_factory=list)
    bin_path: Path | None = None
    png_path: Path | None = None


# --- glyphs --------------------------------------------------------------------------------

def _latin_font_file() -> Path:
    from kiosk.i18n.fonts import font_files

    for path in font_files():
        if "Devanagari" not in path.name:
            return path
    raise FileNotFoundError("bundled Noto Sans font file not found")


@lru_cache(maxsize=8)
def _cell_font(font_no: int, bold: bool) -> ImageFont.FreeTypeFont:
    """One font object per printer font and weight: setting a variable font's axes makes
    FreeType rebuild its instance (~20 ms), which per glyph made a first slip take seconds."""
    size = 19 if font_no == 0 else 14
    font = ImageFont.truetype(str(_latin_font_file()), size)
    # Condensed width so proportional Noto glyphs fit a fixed printer cell.
    font.set_variation_by_axes([700 if bold else 450, 80])
    return font


@lru_cache(maxsize=4096)
def _glyph_cell(ch: str, font_no: int, bold: bool) -> Image.Image:
    """One character cell as a printer would draw it: black on white, no grey."""
    cell_w, cell_h = FONT_CELL.get(font_no, FONT_CELL[0])
    font = _cell_font(font_no, bold)
    cell = Image.new("L", (cell_w, cell_h), 255)
    if not ch.strip():
        return cell
    wide = Image.new("L", (cell_w * 3, cell_h), 255)
    baseline = cell_h - (5 if font_no == 0 else 4)
    ImageDraw.Draw(wide).text((cell_w, baseline), ch, font=font, fill=0, anchor="ls")
    bbox = Image.eval(wide, lambda v: 255 - v).getbbox()
    if bbox is None:
        return cell
    left, _, right, _ = bbox
    glyph = wide.crop((left, 0, right, cell_h))
    if glyph.width > cell_w - 1:
        glyph = glyph.resize((cell_w - 1, cell_h), Image.Resampling.LANCZOS)
    cell.paste(glyph, ((cell_w - glyph.width) // 2, 0))
    return cell.point(lambda v: 0 if v < 140 else 255)


# --- page layout ---------------------------------------------------------------------------

@dataclass
class _Style:
    align: int = 0
    bold: bool = False
    font: int = 0
    wmul: int = 1
    hmul: int = 1
    line_spacing: int = DEFAULT_LINE_SPACING
    codepage: str = "cp437"


class _Page:
    """Lays out one job's paper as bands of full-width greyscale image."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.bands: list[Image.Image] = []
        self.height = 0
        self.line: list[tuple[str, int, int, int, bool]] = []  # ch, font, w, h, bold
        self.line_x = 0
        self.line_align = 0
        self.has_ink = False
        self.text_lines: list[str] = []
        self.qr_payloads: list[str] = []
        self.raster_boxes: list[tuple[int, int, int, int]] = []
        self.graphics_printed: list[bytes] = []
        self.graphics_missing: list[bytes] = []

    def _add_band(self, band: Image.Image) -> None:
        if self.height + band.height > MAX_PAGE_ROWS:
            return
        self.bands.append(band)
        self.height += band.height

    def feed(self, dots: int) -> None:
        if dots > 0:
            self._add_band(Image.new("L", (self.width, min(dots, MAX_PAGE_ROWS)), 255))

    def _x_for(self, align: int, width: int) -> int:
        free = max(0, self.width - width)
        return {0: 0, 1: free // 2, 2: free}.get(align, 0)

    def add_char(self, ch: str, style: _Style) -> None:
        cell_w = FONT_CELL[style.font][0] * style.wmul
        if self.line_x + cell_w > self.width:
            self.print_line(style, spacing=True)  # the printer wraps by itself
        if not self.line:
            self.line_align = style.align
        self.line.append((ch, style.font, style.wmul, style.hmul, style.bold))
        self.line_x += cell_w

    def print_line(self, style: _Style, spacing: bool) -> None:
        """Print the line buffer; ``spacing`` adds the line spacing (LF) vs none (ESC J)."""
        if not self.line:
            if spacing:
                self.feed(style.line_spacing)
            return
        char_h = max(FONT_CELL[f][1] * h for _, f, _, h, _ in self.line)
        band_h = max(style.line_spacing, char_h) if spacing else char_h
        band = Image.new("L", (self.width, band_h), 255)
        x = self._x_for(self.line_align, self.line_x)
        for ch, font_no, w, h, bold in self.line:
            cell = _glyph_cell(ch, font_no, bold)
            if w != 1 or h != 1:
                cell = cell.resize((cell.width * w, cell.height * h), Image.Resampling.NEAREST)
            band.paste(cell, (x, char_h - cell.height))
            x += cell.width
        text = "".join(c for c, *_ in self.line)
        if text.strip():
            self.has_ink = True
            self.text_lines.append(text.rstrip())
        self.line.clear()
        self.line_x = 0
        self._add_band(band)

    def raster(self, ink: Image.Image, style: _Style) -> None:
        """Place a mode "1" ink image (set = black) at the current position."""
        if self.line:
            self.print_line(style, spacing=True)
        ink = ink.crop((0, 0, min(ink.width, self.width), ink.height))
        band = Image.new("L", (self.width, ink.height), 255)
        x = self._x_for(style.align, ink.width)
        band.paste(0, (x, 0), ink)
        self.raster_boxes.append((x, self.height, ink.width, ink.height))
        self.has_ink = self.has_ink or ink.getbbox() is not None
        self._add_band(band)

    def image(self) -> Image.Image:
        page = Image.new("L", (self.width, max(1, self.height)), 255)
        y = 0
        for band in self.bands:
            page.paste(band, (0, y))
            y += band.height
        return page


# --- the printer ---------------------------------------------------------------------------

class EscposPrinterSim:
    """The simulated printer: state, fault injection, status replies and the decoder.

    ``feed(data)`` accepts any chunking of the stream (a command may arrive split across
    calls) and returns the bytes the printer sends back. All public methods are thread-safe:
    the pty runner feeds from its thread while a test flips faults from another.
    """

    def __init__(self, paper_mm: int = 80, out_dir: Path | None = None,
                 keep_jobs: int = 20) -> None:
        if paper_mm not in DOTS_BY_PAPER:
            raise ValueError(f"paper_mm must be 58 or 80, got {paper_mm}")
        self.paper_mm = paper_mm
        self.width = DOTS_BY_PAPER[paper_mm]
        self.out_dir = out_dir
        self.keep_jobs = keep_jobs
        # fault injection
        self.paper: PaperState = "ok"
        self.cover_open = False
        self.offline = False
        self.silent = False
        self.error: SimErrorKind | None = None
        self.byte_delay = 0.0
        # observations
        self.jobs: list[SimJob] = []
        self.job_count = 0
        self._file_no: int | None = None  # the last job-NNNN file in out_dir (read once)
        self.bytes_received = 0
        self.discarded_bytes = 0
        self.refused_jobs = 0
        self.status_queries = 0
        self.first_rx_time: float | None = None
        self.last_rx_time: float | None = None
        self._lock = threading.RLock()
        self._buf = bytearray()
        self._job_bytes = bytearray()
        self._job_refused = False
        self._style = _Style()
        self._page = _Page(self.width)
        self._qr_data = b""
        self._qr_module = 3
        self._qr_ec = 49
        #: Download graphics (RAM) and NV graphics (flash), key → mode "1" ink image.
        self.download_graphics: dict[bytes, Image.Image] = {}
        self.nv_graphics: dict[bytes, Image.Image] = {}
        #: NV bit images (FS q), numbered from 1; flash: they survive power and ESC @.
        self.nv_bit_images: list[Image.Image] = []
        self.nv_writes = 0
        self.power_cycles = 0
        self.graphics_defined = 0

    # -- state ---------------------------------------------------------------------------
    def reset_faults(self) -> None:
        """Back to a healthy printer with paper (keeps the job history)."""
        with self._lock:
            self.paper = "ok"
            self.cover_open = self.offline = self.silent = False
            self.error = None
            self.byte_delay = 0.0

    def power_cycle(self) -> None:
        """Switch the printer off and on: RAM (download graphics, modes, the line buffer and a
        half-received command) is lost; NV graphics, faults and the job history stay."""
        with self._lock:
            self.power_cycles += 1
            self.download_graphics.clear()
            self._buf.clear()
            self._style = _Style()
            self._finish_job(cut=False)

    @property
    def can_print(self) -> bool:
        return (self.paper != "out" and not self.cover_open and not self.offline
                and self.error is None)

    def status_byte(self, n: int) -> int:
        """The reply to ``DLE EOT n`` for the current state (see devices.md)."""
        b = _STATUS_BASE
        if n == 1:
            if not self.can_print:
                b |= 0x08
            if self.error in ("auto_recoverable", "autocutter", "mechanical"):
                b |= 0x20
        elif n == 2:
            if self.cover_open:
                b |= 0x04
            if self.paper == "out":
                b |= 0x20
            if self.error is not None:
                b |= 0x40
        elif n == 3:
            b |= {"mechanical": 0x04, "autocutter": 0x08, "unrecoverable": 0x20,
                  "auto_recoverable": 0x40}.get(self.error or "", 0)
        elif n == 4:
            if self.paper == "out":
                b |= 0x60
            elif self.paper == "near_end":
                b |= 0x0C
        return b

    # -- input ---------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Receive bytes from the host; return what the printer answers."""
        if self.byte_delay:
            time.sleep(self.byte_delay * len(data))
        with self._lock:
            now = time.perf_counter()
            if self.first_rx_time is None:
                self.first_rx_time = now
            self.last_rx_time = now
            self.bytes_received += len(data)
            self._buf += data
            reply = bytearray()
            pos = 0
            while pos < len(self._buf):
                used = self._step(pos, reply)
                if used == 0:
                    break
                pos += used
            del self._buf[:pos]
            return bytes(reply)

    def end_job(self) -> SimJob | None:
        """End of stream: finish the current job (as if the operator tore the paper off)."""
        with self._lock:
            return self._finish_job(cut=False)

    def idle_for(self) -> float:
        """Seconds since the last byte arrived (infinite if none ever did)."""
        last = self.last_rx_time
        return float("inf") if last is None else time.perf_counter() - last

    @property
    def has_pending_job(self) -> bool:
        with self._lock:
            return self._page.has_ink or bool(self._page.line) or self._job_refused

    @property
    def qr_payloads(self) -> list[str]:
        return [p for job in self.jobs for p in job.qr_payloads]

    # -- decoder -------------------------------------------------------------------------
    def _need(self, pos: int, n: int) -> bool:
        return len(self._buf) - pos >= n

    def _print_cmd(self, data: bytes | bytearray) -> bool:
        """Record a printing command's bytes; False if the printer refuses to print now."""
        if not self.can_print:
            self.discarded_bytes += len(data)
            self._job_refused = True
            return False
        self._job_bytes += data
        return True

    def _step(self, pos: int, reply: bytearray) -> int:
        """Decode one command at ``pos``; return bytes used, 0 if it is still incomplete."""
        buf = self._buf
        b = buf[pos]
        if b == 0x10:  # DLE: real-time commands
            if not self._need(pos, 2):
                return 0
            sub = buf[pos + 1]
            if sub == 0x04:
                if not self._need(pos, 3):
                    return 0
                n = buf[pos + 2]
                self.status_queries += 1
                if 1 <= n <= 4 and not self.silent:
                    reply.append(self.status_byte(n))
                return 3
            if sub == 0x05:
                return 3 if self._need(pos, 3) else 0
            if sub == 0x14:
                return 5 if self._need(pos, 5) else 0
            return 1
        if b in (0x06, 0x15, 0x18):  # ACK / NAK / CAN: the host's answer to a key list block
            return 1
        if b == 0x1B:
            return self._esc(pos)
        if b == 0x1D:
            return self._gs(pos, reply)
        if b == 0x1C:  # FS: kanji and NV bit-image commands
            if not self._need(pos, 2):
                return 0
            if buf[pos + 1] == ord("p"):
                if not self._need(pos, 4):
                    return 0
                if self._print_cmd(buf[pos:pos + 4]):
                    self._print_nv_bit_image(buf[pos + 2], buf[pos + 3])
                return 4
            if buf[pos + 1] == ord("q"):
                return self._define_nv_bit_images(pos)
            self._print_cmd(buf[pos:pos + 2])
            return 2
        if not self._print_cmd(buf[pos:pos + 1]):
            return 1
        if b == 0x0A:
            self._page.print_line(self._style, spacing=True)
        elif b == 0x0C:
            self._page.print_line(self._style, spacing=True)
        elif b == 0x09:
            cell = FONT_CELL[self._style.font][0] * self._style.wmul
            for _ in range(8 - (self._page.line_x // cell) % 8):
                self._page.add_char(" ", self._style)
        elif b >= 0x20:
            ch = bytes((b,)).decode(self._style.codepage, errors="replace")
            self._page.add_char(ch, self._style)
        return 1

    def _esc(self, pos: int) -> int:
        buf, st = self._buf, self._style
        if not self._need(pos, 2):
            return 0
        c = chr(buf[pos + 1])
        if c == "@":
            self._print_cmd(buf[pos:pos + 2])
            self.download_graphics.clear()
            self._style = _Style()
            self._page.line.clear()
            self._page.line_x = 0
            return 2
        if c == "2":
            if self._print_cmd(buf[pos:pos + 2]):
                st.line_spacing = DEFAULT_LINE_SPACING
            return 2
        if c in _ESC_ONE_PARAM:
            if not self._need(pos, 3):
                return 0
            n = buf[pos + 2]
            if not self._print_cmd(buf[pos:pos + 3]):
                return 3
            if c == "a":
                st.align = n - 48 if n >= 48 else n
                st.align = st.align if st.align in (0, 1, 2) else 0
            elif c == "E":
                st.bold = bool(n & 1)
            elif c == "M":
                st.font = 1 if n in (1, 49) else 0
            elif c == "!":
                st.font = n & 1
                st.bold = bool(n & 0x08)
                st.hmul = 2 if n & 0x10 else 1
                st.wmul = 2 if n & 0x20 else 1
            elif c == "d":
                self._page.print_line(st, spacing=True)
                self._page.feed(st.line_spacing * max(0, n - 1))
            elif c == "J":
                self._page.print_line(st, spacing=False)
                self._page.feed(n)
            elif c == "t":
                st.codepage = CODEPAGES.get(n, "cp437")
            elif c == "3":
                st.line_spacing = n
            return 3
        if c == "c":  # ESC c 3/4/5 n
            if not self._need(pos, 4):
                return 0
            self._print_cmd(buf[pos:pos + 4])
            return 4
        if c == "p":
            if not self._need(pos, 5):
                return 0
            self._print_cmd(buf[pos:pos + 5])
            return 5
        if c == "*":  # bit image: ESC * m nL nH d1..dk
            if not self._need(pos, 5):
                return 0
            m, nl, nh = buf[pos + 2], buf[pos + 3], buf[pos + 4]
            total = 5 + (nl + nh * 256) * (3 if m in (32, 33) else 1)
            if not self._need(pos, total):
                return 0
            self._print_cmd(buf[pos:pos + total])
            return total
        if c == "D":  # tab positions, NUL-terminated
            end = buf.find(b"\x00", pos + 2)
            if end < 0:
                return 0 if len(buf) - pos < 40 else 2
            self._print_cmd(buf[pos:end + 1])
            return end + 1 - pos
        self._print_cmd(buf[pos:pos + 2])
        return 2

    def _gs(self, pos: int, reply: bytearray) -> int:
        buf, st = self._buf, self._style
        if not self._need(pos, 2):
            return 0
        c = chr(buf[pos + 1])
        if c == "!":
            if not self._need(pos, 3):
                return 0
            n = buf[pos + 2]
            if self._print_cmd(buf[pos:pos + 3]):
                st.wmul = ((n >> 4) & 7) + 1
                st.hmul = (n & 7) + 1
            return 3
        if c == "V":
            if not self._need(pos, 3):
                return 0
            m = buf[pos + 2]
            size = 4 if m in (65, 66, 97, 98, 103, 104) else 3
            if not self._need(pos, size):
                return 0
            if self._print_cmd(buf[pos:pos + size]):
                if size == 4:
                    self._page.print_line(st, spacing=False)
                    self._page.feed(buf[pos + 3])
                self._finish_job(cut=True)
            return size
        if c == "v":  # GS v 0 m xL xH yL yH data
            if not self._need(pos, 8):
                return 0
            m = buf[pos + 3]
            xb = buf[pos + 4] | buf[pos + 5] << 8
            rows = buf[pos + 6] | buf[pos + 7] << 8
            total = 8 + xb * rows
            if not self._need(pos, total):
                return 0
            if self._print_cmd(buf[pos:pos + total]) and xb and rows:
                ink = Image.frombytes("1", (xb * 8, rows), bytes(buf[pos + 8:pos + total]))
                if m & 1 or m == 49:
                    ink = ink.resize((ink.width * 2, ink.height), Image.Resampling.NEAREST)
                if m & 2 or m == 50:
                    ink = ink.resize((ink.width, ink.height * 2), Image.Resampling.NEAREST)
                self._page.raster(ink, st)
            return total
        if c == "(":  # GS ( fn pL pH ...
            if not self._need(pos, 5):
                return 0
            total = 5 + (buf[pos + 3] | buf[pos + 4] << 8)
            if not self._need(pos, total):
                return 0
            if buf[pos + 2] == ord("L"):
                self._graphics(bytes(buf[pos + 5:pos + total]), buf[pos:pos + total], reply)
            elif self._print_cmd(buf[pos:pos + total]) and buf[pos + 2] == ord("k"):
                self._qr(bytes(buf[pos + 5:pos + total]))
            return total
        if c == "8":  # GS 8 L p1..p4 m fn ...
            if not self._need(pos, 7):
                return 0
            length = int.from_bytes(buf[pos + 3:pos + 7], "little")
            total = 7 + length
            if not self._need(pos, total):
                return 0 if length < 1 << 20 else 2
            if buf[pos + 2] == ord("L"):
                self._graphics(bytes(buf[pos + 7:pos + total]), buf[pos:pos + total], reply)
            else:
                self._print_cmd(buf[pos:pos + total])
            return total
        if c == "k":  # barcodes: not drawn, only skipped correctly
            if not self._need(pos, 3):
                return 0
            m = buf[pos + 2]
            if m <= 6:
                end = buf.find(b"\x00", pos + 3)
                if end < 0:
                    return 0 if len(buf) - pos < 300 else 3
                self._print_cmd(buf[pos:end + 1])
                return end + 1 - pos
            if not self._need(pos, 4):
                return 0
            total = 4 + buf[pos + 3]
            if not self._need(pos, total):
                return 0
            self._print_cmd(buf[pos:total + pos])
            return total
        if c in "LWP":
            if not self._need(pos, 4):
                return 0
            self._print_cmd(buf[pos:pos + 4])
            return 4
        if c == "*":
            if not self._need(pos, 4):
                return 0
            total = 4 + buf[pos + 2] * buf[pos + 3] * 8
            if not self._need(pos, total):
                return 0
            self._print_cmd(buf[pos:pos + total])
            return total
        if c in "aBIHhwfbr/|TZ":
            if not self._need(pos, 3):
                return 0
            self._print_cmd(buf[pos:pos + 3])
            return 3
        self._print_cmd(buf[pos:pos + 2])
        return 2

    def _define_nv_bit_images(self, pos: int) -> int:
        """``FS q n [xL xH yL yH d…]…``: all NV bit images replaced; then a software reset."""
        buf = self._buf
        if not self._need(pos, 3):
            return 0
        count, at = buf[pos + 2], pos + 3
        images: list[Image.Image] = []
        for _ in range(count):
            if not self._need(at, 4):
                return 0
            x, y = buf[at] | buf[at + 1] << 8, buf[at + 2] | buf[at + 3] << 8
            k = x * y * 8
            if not self._need(at, 4 + k):
                return 0 if k < 1 << 20 else 3
            if 1 <= x <= 1023 and 1 <= y <= 288:
                # Column format: each column top to bottom, MSB on top = rows of the transpose.
                cols = Image.frombytes("1", (y * 8, x * 8), bytes(buf[at + 4:at + 4 + k]))
                images.append(cols.transpose(Image.Transpose.TRANSPOSE))
            at += 4 + k
        self._job_bytes += buf[pos:at]
        if count and len(images) == count:
            self.nv_bit_images = images
            self.nv_writes += 1
        self._style = _Style()
        return at - pos

    def _print_nv_bit_image(self, n: int, mode: int) -> None:
        if not 1 <= n <= len(self.nv_bit_images):
            self._page.graphics_missing.append(bytes((n,)))
            return
        ink = self.nv_bit_images[n - 1]
        m = mode - 48 if mode >= 48 else mode
        sx, sy = (2 if m & 1 else 1), (2 if m & 2 else 1)
        if sx != 1 or sy != 1:
            ink = ink.resize((ink.width * sx, ink.height * sy), Image.Resampling.NEAREST)
        self._page.raster(ink, self._style)
        self._page.graphics_printed.append(bytes((n,)))

    def _graphics(self, body: bytes, raw: bytes | bytearray, reply: bytearray) -> None:
        """``GS ( L`` / ``GS 8 L`` body ``m fn …`` (m = 48): define, print, list, delete."""
        if len(body) < 2 or body[0] not in (48, 50):
            return
        fn = body[1]
        store = self.download_graphics if fn >= 80 else self.nv_graphics
        if fn in (83, 67):  # define, raster format: a kc1 kc2 b xL xH yL yH c d1..dk
            self._job_bytes += raw  # accepted even when the head cannot print (no paper)
            if len(body) < 12 or body[5] != 1:
                return
            key = body[3:5]
            if not all(32 <= k <= 126 for k in key):  # out of range: the command is ignored
                return
            width = body[6] | body[7] << 8
            height = body[8] | body[9] << 8
            data = body[11:]
            if not (1 <= width <= 8192 and 1 <= height <= 2304) or \
                    len(data) != (width + 7) // 8 * height:
                log.info("simulated printer: bad graphics definition %r ignored", key)
                return
            ink = Image.frombytes("1", ((width + 7) // 8 * 8, height), data)
            store[key] = ink.crop((0, 0, width, height))
            self.graphics_defined += 1
        elif fn in (85, 69):  # print by key: kc1 kc2 x y
            if len(body) < 6 or not self._print_cmd(raw):
                return
            key = body[2:4]
            held = store.get(key)
            if held is None:  # an Epson head ignores an undefined key: nothing is printed
                self._page.graphics_missing.append(key)
                return
            ink = held
            sx, sy = (2 if body[4] == 2 else 1), (2 if body[5] == 2 else 1)
            if sx != 1 or sy != 1:
                ink = ink.resize((ink.width * sx, ink.height * sy), Image.Resampling.NEAREST)
            self._page.raster(ink, self._style)
            self._page.graphics_printed.append(key)
        elif fn in (80, 64):  # key code list: 37h, 73h (72h for NV), status, keys…, NUL
            ident = 0x73 if fn == 80 else 0x72
            keys = sorted(store)
            blocks = [keys[i:i + 40] for i in range(0, len(keys), 40)] or [[]]
            if self.silent:
                return
            for i, block in enumerate(blocks):
                status = 0x41 if i < len(blocks) - 1 else 0x40
                reply += bytes((0x37, ident, status)) + b"".join(block) + b"\x00"
        elif fn in (81, 65):  # delete all: "CLR"
            if body[2:5] == b"CLR":
                store.clear()
        elif fn in (82, 66):  # delete one: kc1 kc2
            store.pop(bytes(body[2:4]), None)

    def _qr(self, body: bytes) -> None:
        """``GS ( k`` body (cn fn params) for the QR symbol (cn = 49)."""
        if len(body) < 2 or body[0] != 49:
            return
        fn = body[1]
        if fn == 67 and len(body) >= 3:
            self._qr_module = max(1, min(16, body[2]))
        elif fn == 69 and len(body) >= 3:
            self._qr_ec = body[2] if body[2] in _QR_EC else 49
        elif fn == 80 and len(body) >= 3:
            self._qr_data = body[3:]
        elif fn == 81:
            self._print_qr()

    def _print_qr(self) -> None:
        if not self._qr_data:
            return
        payload = self._qr_data.decode("utf-8", errors="replace")
        code = qrcode.QRCode(error_correction=_QR_EC[self._qr_ec], box_size=1, border=0)
        try:
            code.add_data(self._qr_data)
            code.make(fit=True)
        except (ValueError, qrcode.exceptions.DataOverflowError):
            log.info("simulated printer: QR data too long (%d bytes); nothing printed",
                     len(self._qr_data))
            return
        matrix = code.get_matrix()
        n = len(matrix)
        ink = Image.new("1", (n, n), 0)
        ink.putdata([1 if cell else 0 for row in matrix for cell in row])
        size = n * self._qr_module
        self._page.raster(ink.resize((size, size), Image.Resampling.NEAREST), self._style)
        self._page.qr_payloads.append(payload)

    # -- jobs ----------------------------------------------------------------------------
    def _finish_job(self, cut: bool) -> SimJob | None:
        page = self._page
        if page.line:
            page.print_line(self._style, spacing=True)
        refused = self._job_refused
        data = bytes(self._job_bytes)
        self._page = _Page(self.width)
        self._job_bytes = bytearray()
        self._job_refused = False
        if refused and not page.has_ink:
            self.refused_jobs += 1
            return None
        if not page.has_ink:
            return None
        self.job_count += 1
        job = SimJob(number=self.job_count, data=data, image=page.image(),
                     text_lines=page.text_lines, qr_payloads=page.qr_payloads,
                     raster_boxes=page.raster_boxes, cut=cut,
                     graphics_printed=page.graphics_printed,
                     graphics_missing=page.graphics_missing)
        if self.out_dir is not None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                name = f"job-{self._next_file_no():04d}"
                job.bin_path = self.out_dir / f"{name}.bin"
                job.png_path = self.out_dir / f"{name}.png"
                job.bin_path.write_bytes(data)
                job.image.convert("1", dither=Image.Dither.NONE).save(job.png_path)
            except OSError as exc:
                log.error("simulated printer cannot save job %d to %s: %s", job.number,
                          self.out_dir, exc)
        self.jobs.append(job)
        del self.jobs[:-self.keep_jobs]
        return job


    def _next_file_no(self) -> int:
        """Files go on from the highest ``job-NNNN`` already in ``out_dir``: a restarted kiosk
        must not overwrite yesterday's printouts (job numbers in memory start at 1 again)."""
        if self._file_no is None:
            assert self.out_dir is not None
            numbers = [int(m.group(1)) for p in self.out_dir.glob("job-*.bin")
                       if (m := re.fullmatch(r"job-(\d+)\.bin", p.name))]
            self._file_no = max(numbers, default=0)
        self._file_no += 1
        return self._file_no


# --- helpers -------------------------------------------------------------------------------

def decode_to_png(data: bytes, out_png: Path, paper_mm: int = 80,
                  printer: EscposPrinterSim | None = None) -> list[SimJob]:
    """Decode an ESC/POS stream with the simulator and save the paper as one PNG.

    Several cuts give several jobs; they are stacked with a dashed tear line between them.
    ``printer``: a simulator that already holds graphics (a warm job prints them by key);
    by default a fresh one, holding nothing.
    """
    sim = printer or EscposPrinterSim(paper_mm)
    before = sim.job_count
    sim.feed(data)
    sim.end_job()
    jobs = [job for job in sim.jobs if job.number > before]
    images = [job.image for job in jobs] or [Image.new("L", (sim.width, 1), 255)]
    gap = 12
    total = sum(im.height for im in images) + gap * (len(images) - 1)
    sheet = Image.new("L", (sim.width, total), 255)
    y = 0
    for i, im in enumerate(images):
        if i:
            draw = ImageDraw.Draw(sheet)
            for x in range(0, sim.width, 12):
                draw.line((x, y + gap // 2, x + 5, y + gap // 2), fill=128)
            y += gap
        sheet.paste(im, (0, y))
        y += im.height
    out_png.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out_png)
    return jobs


class PrinterPtySim:
    """The simulated printer on a :class:`SerialHost`: a pty by default, or TCP.

    A driver opens :attr:`address` exactly like a serial port (``serial_for_url(path,
    baudrate=115200)``); the shared host puts the slave in raw mode, so the line discipline
    neither echoes the driver's bytes back nor turns LF into CR LF. A job with no cut ends
    after ``idle_job_end`` seconds of silence. ``stop()`` joins the thread, closes every
    descriptor and finishes the job in progress (safe twice).
    """

    def __init__(self, sim: EscposPrinterSim, out_dir: Path | None = None, *,
                 idle_job_end: float = 0.5, host: SerialHost | None = None) -> None:
        if out_dir is not None:
            sim.out_dir = out_dir
        self.sim = sim
        self.idle_job_end = idle_job_end
        self.host = host or PtyHost()
        self.host.on_data = self._on_data
        self.host.on_idle = self._on_idle

    @property
    def address(self) -> str:
        """What a driver opens: the pty slave path (or ``socket://host:port``)."""
        return self.host.address

    def _on_data(self, data: bytes) -> None:
        reply = self.sim.feed(data)
        if reply:
            self.host.write(reply)

    def _on_idle(self) -> None:
        if self.sim.has_pending_job and self.sim.idle_for() > self.idle_job_end:
            self.sim.end_job()

    def start(self) -> PrinterPtySim:
        self.host.start()
        return self

    def stop(self) -> None:
        self.host.stop()
        self.sim.end_job()

    def __enter__(self) -> PrinterPtySim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
