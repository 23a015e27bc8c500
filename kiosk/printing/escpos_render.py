"""Document → ESC/POS bytes, sending as much as possible as native printer text.

Why not the usual "paint the whole slip and send one image": every byte crosses a serial line,
often at 9600–115200 baud. A full-width 80 mm raster row is 72 bytes, so a 1 200-row slip is
~86 KB (≈7.5 s at 115200, >1 min at 9600). Here Latin text and digits go as native text (one byte
per character), the QR as a native ``GS ( k`` (its data, not its pixels), and only lines that
the printer's code page cannot encode — Hindi — are rasterised, each cropped tight to its ink.
:func:`render_full_raster` builds the common one-image version of the same slip so the saving
can be measured rather than claimed.

Graphics held in the printer: a line a document marks ``static`` (a fixed label, the centre's
name) is the same raster on every slip. On a printer with download-graphics memory
(``profile.graphics_memory == "gs_l"``) such a raster is defined once under a key derived from
its pixels (``GS ( L`` function 83) and printed by key (function 85, 11 bytes); the caller says
which graphics the printer already holds (:class:`~kiosk.devices.held_graphics.HeldGraphics`)
and gets back which ones this job defined. Epson's reference says ``ESC @`` clears download
graphics, so a job for a printer believed to hold graphics starts with explicit mode resets
instead of ``ESC @``. The encoding is split from the layout (:func:`layout_document`), so the
slow part — painting Hindi with Qt — happens before the printer's link is taken, and only the
cheap encoding waits for the printer's key list.

Command constants come from python-escpos; bytes are collected by an ``Escpos`` subclass whose
``_raw`` appends to a buffer (python-escpos' own pattern for its ``Dummy`` printer).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

from escpos import constants as ec
from escpos.escpos import Escpos
from PIL import Image

from kiosk.config import PrinterConfig
from kiosk.devices.held_graphics import DEFAULT_BUDGET_BYTES, HeldGraphic, graphic_key
from kiosk.documents.model import Align, Cut, Document, Feed, Qr, Rule, Size, Text
from kiosk.printing.raster import Bitmap, qr_bitmap, render_text_line, wrap_text

#: Printable width in dots (8 dots/mm; the head is narrower than the roll).
DOTS_BY_PAPER: dict[int, int] = {80: 576, 58: 384}

#: Native style per document size: (font, width multiplier, height multiplier).
#: Font A is 12×24 dots, font B 9×17 — the printer's built-in cells.
NATIVE_STYLE: dict[str, tuple[str, int, int]] = {
    "small": ("b", 1, 1),
    "normal": ("a", 1, 1),
    "large": ("a", 2, 2),
    "huge": ("a", 4, 4),
}
FONT_CELL: dict[str, tuple[int, int]] = {"a": (12, 24), "b": (9, 17)}

#: Default line spacing after ``ESC @`` (dots); one ``Feed`` line is this much paper.
LINE_DOTS = 30
#: Paper fed after a raster text line / a QR, so lines do not touch.
RASTER_GAP = {"small": 5, "normal": 7, "large": 10, "huge": 14}
QR_GAP = 12
#: Paper between the last line and the blade: the cutter sits above the print head.
CUT_FEED_DOTS = 110
#: ``GS v 0`` height is limited (yH ≤ 8 on common heads), so tall images go in bands.
MAX_RASTER_ROWS = 2048

_ALIGN_BYTE: dict[str, bytes] = {"left": b"\x00", "center": b"\x01", "right": b"\x02"}


@dataclass(frozen=True)
class PrinterProfile:
    """What the renderer needs to know about one printer model."""

    paper_mm: int = 80
    native_qr: bool = True
    cutter: bool = True
    codepage: str = "cp437"
    #: True if the printer applies ``ESC a`` to raster images (Epson TM and most clones do).
    #: When False, centred/right images are padded on the left with blank bytes instead.
    raster_justify: bool = True
    #: The model's name as in python-escpos's capabilities database ("" = a generic printer).
    model: str = ""
    #: The model's printable width when it differs from the paper's default (TM-T88V: 512).
    dots_override: int | None = None
    #: Where the model can hold graphics between jobs: ``"gs_l"`` (``GS ( L`` / ``GS 8 L``
    #: download graphics), ``"fs_q"`` (the older NV bit image ``FS q`` / ``FS p``) or
    #: ``"none"`` (every raster is sent inline).
    graphics_memory: str = "none"
    #: Characters per line of font A and font B from the model's database entry (None: the
    #: printable width divided by the font's cell, which is what a generic head does).
    font_columns: tuple[int | None, int | None] = (None, None)

    def __post_init__(self) -> None:
        if self.paper_mm not in DOTS_BY_PAPER:
            raise ValueError(f"paper_mm must be one of {sorted(DOTS_BY_PAPER)}")
        if self.graphics_memory not in ("gs_l", "fs_q", "none"):
            raise ValueError("graphics_memory must be gs_l, fs_q or none")

    @property
    def dots(self) -> int:
        return self.dots_override or DOTS_BY_PAPER[self.paper_mm]

    @classmethod
    def from_config(cls, printer: PrinterConfig) -> PrinterProfile:
        """The profile for ``[devices.printer]``: its keys plus what its ``model`` says.

        ``paper_mm`` / ``native_qr`` / ``cutter`` arrive already resolved (the configuration
        fills keys the file leaves unset from the model, and an explicit key wins — see
        :mod:`kiosk.config`); the model adds its printable width, its fonts' columns and,
        for ``graphics_memory = "auto"``, whether it holds ``GS ( L`` graphics. An unknown
        model was reported as a configuration problem and reset to generic before this.
        """
        from kiosk.printing.printer_models import model_info

        info = None
        if printer.model:
            try:
                info = model_info(printer.model)
            except ValueError:  # load_config names it; a hand-built config prints generic
                info = None
        memory = printer.graphics_memory
        if memory == "auto":  # the simulator holds download graphics; a model-less real
            # printer might not understand GS ( L, so it gets inline rasters.
            if printer.url.startswith("sim://") or "bus=sim" in printer.url:
                memory = "gs_l"
            else:
                memory = info.graphics_memory if info is not None else "none"
        dots = info.dots if info is not None else None
        return cls(paper_mm=printer.paper_mm, native_qr=printer.native_qr,
                   cutter=printer.cutter, model=info.model if info else "",
                   dots_override=dots if dots != DOTS_BY_PAPER[printer.paper_mm] else None,
                   graphics_memory=memory,
                   font_columns=info.font_columns if info else (None, None))

    def columns(self, size: Size) -> int:
        """Characters per native line at ``size``.

        The model's own font columns where its database entry lists them (TM-T88V: 42 in
        font A on 512 dots), never more than fit the dots and ignored when implausibly few
        (a database slip such as 12 columns on an 80 mm head); otherwise dots ÷ cell width.
        """
        font, w, _ = NATIVE_STYLE[size]
        fitting = self.dots // (FONT_CELL[font][0] * w)
        listed = self.font_columns[0 if font == "a" else 1]
        if listed is None:
            return fitting
        per_size = listed // w
        return per_size if fitting // 2 <= per_size <= fitting else fitting

@dataclass
class RenderStats:
    """What went on the wire, for previews, benchmarks and logs."""

    total_bytes: int = 0
    raster_bytes: int = 0
    raster_images: int = 0
    native_lines: int = 0
    native_qr: int = 0
    raster_rows: int = 0
    lines: list[str] = field(default_factory=list)
    #: Graphics this job defined in the printer (key → record), to be held once it printed.
    defined: dict[bytes, HeldGraphic] = field(default_factory=dict)
    #: Graphics printed from the printer's memory by key (no pixels on the wire).
    held_prints: int = 0
    #: Bytes of graphics definitions in this job.
    define_bytes: int = 0
    #: The job starts with ``ESC @``, which clears the printer's download graphics (or, for
    #: NV bit images, it replaced all of them): ``defined`` is then all the printer holds.
    reset: bool = True
    #: Bytes at the start of the job that rewrite the printer's NV bit images (``FS q``): the
    #: printer takes no command while it writes its flash, so the sender pauses after them.
    nv_define_bytes: int = 0


# --- layout: the same operations drive the ESC/POS and the full-raster output --------------

@dataclass(frozen=True)
class _NativeLine:
    text: str
    size: Size
    align: Align
    bold: bool


@dataclass(frozen=True)
class _RasterLine:
    bitmap: Bitmap
    align: Align
    after: int
    text: str = ""
    #: The same pixels on every copy: may be held in the printer's graphics memory.
    static: bool = False


@dataclass(frozen=True)
class _QrCode:
    data: str
    module_size: int
    align: Align


@dataclass(frozen=True)
class _FeedDots:
    dots: int


@dataclass(frozen=True)
class _CutHere:
    pass


_Op = _NativeLine | _RasterLine | _QrCode | _FeedDots | _CutHere


def is_native(text: str, codepage: str = "cp437") -> bool:
    """Can the printer print ``text`` from its code page? (Devanagari never can.)"""
    try:
        text.encode(codepage)
    except UnicodeEncodeError:
        return False
    return True


_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})


def normalise_spaces(text: str) -> str:
    """Map no-break/thin spaces to a plain space.

    CLDR puts U+202F between a time and "pm"; no code page has it, and sending a whole English
    date line as raster just for one invisible character would waste ~1 KB.
    """
    return text.translate(_SPACES)


# Typographic punctuation CP437 lacks, for lines that are otherwise plain Latin: "about 10–15
# minutes" (CLDR ranges use an en dash) would otherwise go out as a ~1.5 KB raster for one dash.
# Raster lines keep the real glyphs: Qt draws them.
_CODEPAGE_PUNCT = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'",
                                 "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."})


def native_text(text: str, codepage: str = "cp437") -> str | None:
    """``text`` as the printer's code page can print it natively, or None (it needs a raster)."""
    plain = text.translate(_CODEPAGE_PUNCT)
    return plain if is_native(plain, codepage) else None


#: A trailing Latin run of a mixed line goes out as native text when its last word is a code
#: of at least this many letters/digits ("UTR 633412345678"): a lone "(60+)", "op17" or the
#: "2026 11:26 pm" end of a date is not worth a line of its own (and reads badly split off).
MIN_NATIVE_CODE = 8


def split_native_runs(text: str, codepage: str = "cp437") -> list[tuple[str, bool]]:
    """``text`` as ``[(part, native?)]``: a leading label and a trailing code in code-page
    characters split off a line that needs a raster, so they do not travel as pixels.

    Only the ends are split (a line stays at most three lines): a leading run ending in ":"
    ("Father: रामप्रसाद" → "Father:" native, the name raster) and a trailing run ending in a
    long code ("यूपीआई से भुगतान हुआ, UTR 633412345678" → "UTR 633412345678" native).
    """
    words = text.split(" ")
    native = [native_text(w, codepage) is not None for w in words]
    if all(native) or not any(native):
        return [(text, all(native))]
    first_raster = native.index(False)
    last_raster = len(words) - 1 - native[::-1].index(False)

    head, body, tail = words[:first_raster], words[first_raster:last_raster + 1], \
        words[last_raster + 1:]
    if not (head and head[-1].endswith(":") and sum(ch.isalnum() for ch in "".join(head)) >= 3):
        body, head = head + body, []
    if not (tail and sum(ch.isalnum() for ch in tail[-1]) >= MIN_NATIVE_CODE):
        body, tail = body + tail, []
    parts: list[tuple[str, bool]] = []
    if " ".join(head).strip():
        parts.append((" ".join(head).strip(), True))
    parts.append((" ".join(body).strip(), False))
    if " ".join(tail).strip():
        parts.append((" ".join(tail).strip(), True))
    return parts


def _rule_bitmap(width: int) -> Bitmap:
    ink = Image.new("L", (width, 2), 255)
    return Bitmap.from_ink_image(ink.convert("1", dither=Image.Dither.NONE))


def _text_ops(ops: list[_Op], block: Text, profile: PrinterProfile, all_raster: bool) -> None:
    plain = None if all_raster else native_text(block.text, profile.codepage)
    if plain is not None:
        cols = profile.columns(block.size)
        for para in plain.split("\n"):
            for line in textwrap.wrap(para, cols) or [""]:
                ops.append(_NativeLine(line, block.size, block.align, block.bold))
        return
    if not all_raster and not block.static and "\n" not in block.text:
        parts = split_native_runs(block.text, profile.codepage)
        if len(parts) > 1:
            for part, _ in parts:
                _text_ops(ops, Text(part, block.size, block.align, block.bold), profile, False)
            return
    if ops and isinstance(ops[-1], _NativeLine):
        # The crop is tight, so a matra above the headline would touch the native line
        # before it; a few dots of feed cost 3 bytes.
        ops.append(_FeedDots(RASTER_GAP[block.size] // 2 + 1))
    for line in wrap_text(block.text, block.size, block.bold, profile.dots):
        bitmap = render_text_line(line, block.size, block.bold, block.align)
        if bitmap is None:
            ops.append(_FeedDots(LINE_DOTS))
        else:
            ops.append(_RasterLine(bitmap, block.align, RASTER_GAP[block.size], line,
                                   static=block.static))


def _layout(doc: Document, profile: PrinterProfile, all_raster: bool) -> list[_Op]:
    ops: list[_Op] = []
    for block in doc.blocks:
        if isinstance(block, Text):
            _text_ops(ops, Text(normalise_spaces(block.text), block.size, block.align,
                                block.bold, block.static), profile, all_raster)
        elif isinstance(block, Rule):
            if all_raster:
                ops.append(_FeedDots(8))
                ops.append(_RasterLine(_rule_bitmap(profile.dots), "left", 10, "----"))
            else:
                ops.append(_NativeLine("-" * profile.columns("normal"), "normal", "left", False))
        elif isinstance(block, Feed):
            if block.lines:
                ops.append(_FeedDots(block.lines * LINE_DOTS))
        elif isinstance(block, Qr):
            if all_raster or not profile.native_qr:
                ops.append(_RasterLine(qr_bitmap(block.data, block.module_size), block.align,
                                       QR_GAP, f"[QR {block.data}]"))
            else:
                ops.append(_QrCode(block.data, block.module_size, block.align))
        elif isinstance(block, Cut):
            ops.append(_CutHere())
    return ops


# --- ESC/POS encoding -----------------------------------------------------------------------

class _ByteSink(Escpos):
    """An ``Escpos`` whose output is a byte buffer (python-escpos' ``Dummy`` pattern)."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = bytearray()

    def _raw(self, msg: bytes) -> None:
        self.buffer += msg

    def close(self) -> None:
        """Nothing to close: the sink owns no device."""


def _raster_command(bitmap: Bitmap) -> bytes:
    """``GS v 0`` commands for ``bitmap`` (in bands if it is taller than a head accepts)."""
    out = bytearray()
    bw = bitmap.byte_width
    for top in range(0, bitmap.height, MAX_RASTER_ROWS):
        rows = min(MAX_RASTER_ROWS, bitmap.height - top)
        out += ec.S_RASTER_N + bytes((bw & 0xFF, bw >> 8, rows & 0xFF, rows >> 8))
        out += bitmap.data[top * bw:(top + rows) * bw]
    return bytes(out)


def _feed_dots(n: int) -> bytes:
    out = bytearray()
    while n > 0:
        step = min(n, 255)
        out += ec.ESC + b"J" + bytes((step,))
        n -= step
    return bytes(out)


def _left_pad(bitmap: Bitmap, align: Align, dots: int) -> Bitmap:
    """For printers that ignore ``ESC a`` on images: shift by blank bytes on the left."""
    free = dots - bitmap.width
    if align == "left" or free <= 0:
        return bitmap
    pad_bytes = (free // 2 if align == "center" else free) // 8
    if pad_bytes == 0:
        return bitmap
    bw = bitmap.byte_width
    rows = [b"\x00" * pad_bytes + bitmap.data[r * bw:(r + 1) * bw] for r in range(bitmap.height)]
    return Bitmap(bitmap.width + pad_bytes * 8, bitmap.height, b"".join(rows))


# --- download graphics (GS ( L / GS 8 L, m = 48) -------------------------------------------

def _gs_l(body: bytes) -> bytes:
    """``GS ( L pL pH body`` or, for a body over 65 535 bytes, ``GS 8 L p1..p4 body``."""
    if len(body) <= 0xFFFF:
        return b"\x1d(L" + len(body).to_bytes(2, "little") + body
    return b"\x1d8L" + len(body).to_bytes(4, "little") + body


def define_graphic_command(key: bytes, bitmap: Bitmap) -> bytes:
    """Function 83: define download graphics (raster format, one colour) under ``key``."""
    head = (b"\x30\x53\x30" + key + b"\x01" + bitmap.width.to_bytes(2, "little")
            + bitmap.height.to_bytes(2, "little") + b"\x31")
    return _gs_l(head + bitmap.data)


def print_graphic_command(key: bytes) -> bytes:
    """Function 85: print the download graphics ``key`` at normal size (x = y = 1)."""
    return _gs_l(b"\x30\x55" + key + b"\x01\x01")


#: Function 80: "send the key code list of defined download graphics" (d1 d2 = "KC").
KEY_LIST_COMMAND = _gs_l(b"\x30\x50KC")

#: What ``ESC @`` would reset, sent one by one so download graphics survive: character mode
#: (font A, not bold, single size), ``GS !`` size, left alignment, code page 437, default line
#: spacing.
_SOFT_INIT = (ec.ESC + b"!\x00" + ec.TXT_SIZE + b"\x00" + ec.TXT_STYLE["align"]["left"]
              + ec.ESC + b"t\x00" + ec.ESC + b"2")


# --- NV bit images (FS q / FS p): the older command set, flash memory --------------------

#: NV bit-image area the kiosk lets itself use: the smallest heads have 16 KB, and a command
#: that does not fit is ignored whole — every label would then be missing.
NV_BUDGET_BYTES = 16 * 1024 - 4


def _nv_columns(bitmap: Bitmap) -> tuple[int, int, bytes]:
    """``(x bytes, y bytes, data)`` of ``bitmap`` in FS q's column format: height padded to
    whole bytes at the bottom, each column top to bottom, most significant bit on top."""
    pad = (-bitmap.height) % 8
    ink = bitmap.to_ink_image()
    if pad:
        tall = Image.new("1", (bitmap.width, bitmap.height + pad), 0)
        tall.paste(ink, (0, 0))
        ink = tall
    return bitmap.width // 8, ink.height // 8, ink.transpose(Image.Transpose.TRANSPOSE).tobytes()


def define_nv_images_command(bitmaps: list[Bitmap]) -> bytes:
    """``FS q n [xL xH yL yH d…]…``: replaces every NV bit image with ``bitmaps`` (1…n)."""
    out = bytearray(b"\x1cq" + bytes((len(bitmaps),)))
    for bitmap in bitmaps:
        x, y, data = _nv_columns(bitmap)
        out += x.to_bytes(2, "little") + y.to_bytes(2, "little") + data
    return bytes(out)


def _nv_fits(bitmap: Bitmap) -> bool:
    return bitmap.width // 8 <= 1023 and (bitmap.height + 7) // 8 <= 288


def _graphics_plan(ops: list[_Op]) -> dict[bytes, tuple[str, Bitmap]]:
    """The static rasters of a layout, by key (first come; a colliding key is left inline)."""
    found: dict[bytes, tuple[str, Bitmap]] = {}
    for op in ops:
        if isinstance(op, _RasterLine) and op.static:
            key, digest = graphic_key(op.bitmap.width, op.bitmap.height, op.bitmap.data)
            found.setdefault(key, (digest, op.bitmap))
    return found


class _Encoder:
    """Turns layout operations into bytes, sending a mode command only when it changes."""

    def __init__(self, profile: PrinterProfile,
                 held: Mapping[bytes, HeldGraphic] | None = None) -> None:
        self.profile = profile
        self.sink = _ByteSink()
        self.stats = RenderStats()
        self.use_memory = profile.graphics_memory == "gs_l" and held is not None
        self.use_nv = profile.graphics_memory == "fs_q" and held is not None
        self.held: dict[bytes, HeldGraphic] = dict(held or {})
        #: NV bit images: digest → image number (1…255) of what the printer holds after the
        #: job's ``FS q`` (or before it, when the job defines nothing).
        self.nv_numbers: dict[str, int] = {}
        self.nv_may_write = True
        self.align: str | None = None
        self.bold: bool | None = None
        self.font: str | None = None
        self.size_byte: int | None = None

    def raw(self, data: bytes) -> None:
        self.sink._raw(data)

    def set_align(self, align: str) -> None:
        if align != self.align:
            self.raw(ec.TXT_STYLE["align"][align])
            self.align = align

    def _begin_nv(self, ops: list[_Op]) -> None:
        """NV bit images: rewrite them all (``FS q``) if this job needs one the printer lacks.

        The new set is what the printer held plus this job's images, or — when that would not
        fit — this job's images alone; with no write allowed (flash wear) or no room, the
        missing ones are sent inline. ``FS q`` software-resets the printer, so it goes first.
        """
        held = sorted(self.held.items(), key=lambda kv: kv[0])
        numbers = {g.digest: k[0] for k, g in held}
        needed = {d: bm for d, bm in _graphics_plan(ops).values() if _nv_fits(bm)}
        missing = {d: bm for d, bm in needed.items() if d not in numbers}
        self.nv_numbers = numbers
        if not missing or not self.nv_may_write:
            return
        kept = [(g.digest, Bitmap(*g.image)) for _, g in held if g.image is not None]
        union = kept + list(missing.items())
        if sum(len(bm.data) for _, bm in union) > NV_BUDGET_BYTES or len(union) > 255:
            union = list(needed.items())
            while union and (sum(len(bm.data) for _, bm in union) > NV_BUDGET_BYTES
                             or len(union) > 255):
                union.pop()
        if not union:
            return
        command = define_nv_images_command([bm for _, bm in union])
        self.raw(command)
        self.stats.nv_define_bytes = len(command)
        self.stats.define_bytes += len(command)
        self.stats.raster_bytes += len(command)
        self.nv_numbers = {d: i + 1 for i, (d, _) in enumerate(union)}
        self.stats.defined = {bytes((i + 1,)): HeldGraphic(d, len(bm.data), (
            bm.width, bm.height, bm.data)) for i, (d, bm) in enumerate(union)}

    def begin(self, ops: list[_Op]) -> None:
        """``ESC @`` — unless the printer holds graphics this job can use (it would clear them).

        Also ``ESC @`` when this job's new graphics would overflow the budget: clearing is the
        one way to make room that works on every model. NV bit images survive ``ESC @``.
        """
        if self.use_nv:
            self._begin_nv(ops)
            self.raw(ec.HW_INIT)
            self.raw(ec.ESC + b"t\x00")
            self.stats.reset = bool(self.stats.nv_define_bytes)
            self.align, self.bold, self.font, self.size_byte = "left", False, "a", 0
            return
        reset = True
        if self.use_memory and self.held:
            plan = _graphics_plan(ops)
            new = sum(len(bm.data) for key, (digest, bm) in plan.items()
                      if self.held.get(key, HeldGraphic("", 0)).digest != digest)
            held_bytes = sum(g.size for g in self.held.values())
            reset = held_bytes + new > DEFAULT_BUDGET_BYTES
        if reset:
            self.held.clear()
            self.raw(ec.HW_INIT)
            self.raw(ec.ESC + b"t\x00")  # code page PC437: what the text below is encoded in
        else:
            self.raw(_SOFT_INIT)
        self.stats.reset = reset
        self.align, self.bold, self.font, self.size_byte = "left", False, "a", 0

    def native(self, op: _NativeLine) -> None:
        font, w, h = NATIVE_STYLE[op.size]
        self.set_align(op.align)
        if op.bold != self.bold:
            self.raw(ec.TXT_STYLE["bold"][op.bold])
            self.bold = op.bold
        if font != self.font:
            self.raw(ec.SET_FONT(b"\x01" if font == "b" else b"\x00"))
            self.font = font
        size_byte = ec.TXT_STYLE["width"][w] | ec.TXT_STYLE["height"][h]
        if size_byte != self.size_byte:
            self.raw(ec.TXT_SIZE + bytes((size_byte,)))
            self.size_byte = size_byte
        self.raw(op.text.encode(self.profile.codepage) + ec.CTL_LF)
        self.stats.native_lines += 1
        self.stats.lines.append(op.text)

    def raster(self, op: _RasterLine) -> None:
        bitmap = op.bitmap
        if self.profile.raster_justify:
            self.set_align(op.align)
        else:
            self.set_align("left")
            bitmap = _left_pad(bitmap, op.align, self.profile.dots)
        self.stats.raster_rows += bitmap.height
        self.stats.lines.append(op.text)
        if self.use_nv and op.static:
            digest = graphic_key(bitmap.width, bitmap.height, bitmap.data)[1]
            number = self.nv_numbers.get(digest)
            if number is not None:
                self.raw(b"\x1cp" + bytes((number, 0)))
                # The image was padded to whole bytes at the bottom: feed that much less.
                self.raw(_feed_dots(max(0, op.after - (-bitmap.height) % 8)))
                self.stats.held_prints += 1
                self.stats.raster_images += 1
                return
        if self.use_memory and op.static and bitmap.height <= 2304 and bitmap.width <= 8192:
            key, digest = graphic_key(bitmap.width, bitmap.height, bitmap.data)
            defined = self.stats.defined.get(key)
            if defined is None and self.held.get(key, HeldGraphic("", 0)).digest != digest:
                data = define_graphic_command(key, bitmap)
                self.raw(data)
                self.stats.define_bytes += len(data)
                self.stats.raster_bytes += len(data)
                defined = self.stats.defined[key] = HeldGraphic(digest, len(bitmap.data))
            if defined is None or defined.digest == digest:  # held, or defined just now
                self.raw(print_graphic_command(key))
                self.raw(_feed_dots(op.after))
                self.stats.held_prints += 1
                self.stats.raster_images += 1
                return
            # Another graphic of this job has the same key: this one goes inline.
        data = _raster_command(bitmap)
        self.raw(data)
        self.raw(_feed_dots(op.after))
        self.stats.raster_bytes += len(data)
        self.stats.raster_images += 1

    def qr(self, op: _QrCode) -> None:
        self.set_align(op.align)  # ESC a applies to 2D codes printed with GS ( k
        self.sink.qr(op.data, ec=ec.QR_ECLEVEL_M, size=op.module_size, model=ec.QR_MODEL_2,
                     native=True)
        self.raw(_feed_dots(QR_GAP))
        self.stats.native_qr += 1
        self.stats.lines.append(f"[QR {op.data}]")

    def cut(self) -> None:
        self.raw(_feed_dots(CUT_FEED_DOTS))
        if self.profile.cutter:
            self.raw(ec.PAPER_PART_CUT)

    def finish(self) -> tuple[bytes, RenderStats]:
        data = bytes(self.sink.buffer)
        self.stats.total_bytes = len(data)
        return data, self.stats


@dataclass(frozen=True)
class PrintPlan:
    """A document laid out for one printer profile: every Hindi line already painted.

    Encoding a plan is cheap, so a print job lays out first and asks the printer which
    graphics it holds only when it has the link (see :func:`encode_plan`).
    """

    ops: tuple[_Op, ...]
    profile: PrinterProfile
    kind: str = ""
    ref: str = ""

    @property
    def static_keys(self) -> dict[bytes, str]:
        """Key → digest of every graphic this plan could keep in the printer."""
        return {k: d for k, (d, _) in _graphics_plan(list(self.ops)).items()}


def layout_document(doc: Document, profile: PrinterProfile) -> PrintPlan:
    """Lay ``doc`` out (the slow, Qt-painting part of rendering)."""
    return PrintPlan(tuple(_layout(doc, profile, all_raster=False)), profile, doc.kind, doc.ref)


def encode_plan(plan: PrintPlan, held: Mapping[bytes, HeldGraphic] | None = None, *,
                nv_write_allowed: bool = True) -> tuple[bytes, RenderStats]:
    """ESC/POS bytes for ``plan``. ``held``: the graphics the printer is known to hold
    (``None``: the printer keeps nothing, every raster is inline — the cold, safe default;
    ``{}``: it can hold graphics but holds none yet, so this job defines them).
    ``nv_write_allowed``: for NV bit images (``fs_q``), may this job rewrite the flash?"""
    profile = plan.profile
    enc = _Encoder(profile, held)
    enc.nv_may_write = nv_write_allowed
    ops = list(plan.ops)
    enc.begin(ops)
    for op in ops:
        if isinstance(op, _NativeLine):
            enc.native(op)
        elif isinstance(op, _RasterLine):
            enc.raster(op)
        elif isinstance(op, _QrCode):
            enc.qr(op)
        elif isinstance(op, _FeedDots):
            enc.raw(_feed_dots(op.dots))
        else:
            enc.cut()
    return enc.finish()


def render_escpos_with_stats(doc: Document, profile: PrinterProfile,
                             held: Mapping[bytes, HeldGraphic] | None = None,
                             ) -> tuple[bytes, RenderStats]:
    """Like :func:`render_escpos`, also returning what was sent how."""
    return encode_plan(layout_document(doc, profile), held)


def render_escpos(doc: Document, profile: PrinterProfile,
                  held: Mapping[bytes, HeldGraphic] | None = None) -> bytes:
    """The ESC/POS byte stream for ``doc``: native text where possible, raster where not."""
    return render_escpos_with_stats(doc, profile, held)[0]


def compose_full_raster(doc: Document, profile: PrinterProfile) -> tuple[Bitmap, bool]:
    """The whole slip painted as one full-width bitmap; second item: the slip ends in a cut."""
    ops = _layout(doc, profile, all_raster=True)
    width = profile.dots
    placed: list[tuple[int, int, Bitmap]] = []
    y = 0
    cut = False
    for op in ops:
        if isinstance(op, _RasterLine):
            bm = op.bitmap
            offsets = {"left": 0, "center": (width - bm.width) // 2, "right": width - bm.width}
            placed.append((max(0, offsets[op.align]), y, bm))
            y += bm.height + op.after
        elif isinstance(op, _FeedDots):
            y += op.dots
        elif isinstance(op, _CutHere):
            cut = True
    canvas = Image.new("1", (width, max(1, y)), 0)
    for x, top, bm in placed:
        canvas.paste(1, (x, top), bm.to_ink_image().crop((0, 0, min(bm.width, width - x),
                                                          bm.height)))
    return Bitmap.from_ink_image(canvas), cut


def render_full_raster(doc: Document, profile: PrinterProfile) -> bytes:
    """The same slip as ONE full-width raster image — the common approach, for comparison."""
    bitmap, cut = compose_full_raster(doc, profile)
    out = bytearray(ec.HW_INIT)
    out += ec.TXT_STYLE["align"]["left"]
    out += _raster_command(bitmap)
    if cut:
        out += _feed_dots(CUT_FEED_DOTS)
        if profile.cutter:
            out += ec.PAPER_PART_CUT
    return bytes(out)
