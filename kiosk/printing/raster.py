"""Qt-shaped text (and QR images) turned into tight 1-bit bitmaps for ``GS v 0``.

Why Qt: no thermal printer has a Devanagari code page, and Devanagari cannot be drawn glyph by
glyph — conjuncts, the reph and the pre-base ``ि`` matra need a shaping engine. Qt shapes with
HarfBuzz, so a line painted by ``QPainter`` is correct Hindi. The painted grey image is then
*thresholded*, never dithered: dithering turns the edges of small glyphs into noise on a 203 dpi
head and makes the data compress worse on the wire. Every bitmap is cropped tight to its ink
(blank rows cost a full row of bytes each on a serial line) and padded to whole bytes because
``GS v 0`` counts width in bytes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import qrcode
import qrcode.constants
from PIL import Image

from kiosk.documents.model import Align, Size
from kiosk.i18n.fonts import DEVANAGARI_FAMILY, LATIN_FAMILY

#: Pixel (= printer dot) size of the raster font for each text size. Chosen so a Hindi line's
#: headline sits about as tall as the printer's own 12×24 font at the same size; "small"
#: matches the printer's small 9×17 font B (at 20 px it stood a size above its English line
#: and cost a fifth more bytes on the wire).
PIXEL_SIZES: dict[str, int] = {"small": 18, "normal": 26, "large": 44, "huge": 92}

#: Grey level below which a pixel becomes ink. A little above mid-grey so the antialiased
#: edges of thin Devanagari strokes survive as ink instead of breaking up.
DEFAULT_THRESHOLD = 150

_paint_lock = threading.Lock()


@dataclass(frozen=True)
class Bitmap:
    """A 1-bit image packed the way ``GS v 0`` wants it: rows of bytes, MSB left, 1 = ink."""

    width: int
    height: int
    data: bytes

    def __post_init__(self) -> None:
        if self.width % 8:
            raise ValueError(f"Bitmap width must be a whole number of bytes, got {self.width}")
        if len(self.data) != self.width // 8 * self.height:
            raise ValueError("Bitmap data length does not match width × height")

    @property
    def byte_width(self) -> int:
        return self.width // 8

    @classmethod
    def from_ink_image(cls, ink: Image.Image) -> Bitmap:
        """From a mode ``"1"`` image whose *set* pixels are ink (width must be a byte multiple)."""
        if ink.mode != "1":
            raise ValueError("from_ink_image needs a mode '1' image")
        return cls(ink.width, ink.height, ink.tobytes())

    def to_ink_image(self) -> Image.Image:
        """Back to a mode ``"1"`` image with ink as set pixels (for compositing)."""
        return Image.frombytes("1", (self.width, self.height), self.data)

    def row_has_ink(self, row: int) -> bool:
        start = row * self.byte_width
        return any(self.data[start:start + self.byte_width])


def _ensure_qt() -> None:
    """Make sure a QGuiApplication exists (fonts need one) without creating it off-thread.

    Creating the application from a worker thread breaks Qt; the kiosk creates it on the main
    thread at start, and CLI/tests get one here on first use from the main thread.
    """
    from PySide6.QtCore import QCoreApplication

    from kiosk.qt_runtime import ensure_gui_app

    if QCoreApplication.instance() is None and threading.current_thread() is not \
            threading.main_thread():
        raise RuntimeError("rendering Hindi needs a QGuiApplication: call "
                           "kiosk.qt_runtime.ensure_gui_app() on the main thread first")
    ensure_gui_app()


def _font(size: Size, bold: bool):  # type: ignore[no-untyped-def]  # QFont; Qt imported lazily
    from PySide6.QtGui import QFont

    font = QFont()
    # Latin first so digits and English words use Noto Sans; Qt falls back per script to the
    # Devanagari face, which is how a mixed "टोकन / Token" line gets both scripts right.
    font.setFamilies([LATIN_FAMILY, DEVANAGARI_FAMILY])
    font.setPixelSize(PIXEL_SIZES[size])
    font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Medium)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    return font


def _grapheme_chunks(word: str) -> list[str]:
    """Split a word into user-perceived characters (never between a consonant and its matra)."""
    from PySide6.QtCore import QTextBoundaryFinder

    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, word)
    chunks: list[str] = []
    start = 0
    pos = finder.toNextBoundary()
    while pos != -1 and pos <= len(word):
        if pos > start:
            chunks.append(word[start:pos])
            start = pos
        pos = finder.toNextBoundary()
    if start < len(word):
        chunks.append(word[start:])
    return chunks


def wrap_text(text: str, size: Size, bold: bool, max_width: int) -> list[str]:
    """Greedy word wrap measured with the real shaped width of each candidate line."""
    from PySide6.QtGui import QFontMetrics

    _ensure_qt()
    with _paint_lock:
        metrics = QFontMetrics(_font(size, bold))

        def fits(s: str) -> bool:
            # What travels is the ink, cropped and padded to whole bytes; a line's last glyph
            # can reach past its advance (a matra, a bearing), which once pushed a 576-dot
            # line to 584 dots and off the paper. Measure both and keep the wider.
            ink = max(metrics.horizontalAdvance(s), metrics.tightBoundingRect(s).width())
            return (ink + 7) // 8 * 8 <= max_width

        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}" if current else word
                if fits(candidate):
                    current = candidate
                    continue
                if current:
                    lines.append(current)
                    current = ""
                if fits(word):
                    current = word
                    continue
                for chunk in _grapheme_chunks(word):  # one word wider than the paper
                    if current and not fits(current + chunk):
                        lines.append(current)
                        current = ""
                    current += chunk
            lines.append(current)
        return lines


def _threshold(gray: Image.Image, threshold: int) -> Image.Image:
    """Grey → mode "L" ink mask (255 = ink) by a hard threshold: deliberately no dithering."""
    lut = [255 if v < threshold else 0 for v in range(256)]
    return gray.point(lut)


def _pad_to_bytes(ink: Image.Image, align: Align) -> Image.Image:
    """Widen a mode "L" ink mask to whole bytes, putting the slack opposite the alignment."""
    slack = (-ink.width) % 8
    if not slack:
        return ink
    left = {"left": 0, "right": slack, "center": slack // 2}[align]
    out = Image.new("L", (ink.width + slack, ink.height), 0)
    out.paste(ink, (left, 0))
    return out


def ink_to_bitmap(ink: Image.Image, align: Align = "left") -> Bitmap:
    """A mode "L" ink mask (255 = ink) → packed bitmap, padded to whole bytes."""
    padded = _pad_to_bytes(ink, align)
    return Bitmap.from_ink_image(padded.convert("1", dither=Image.Dither.NONE))


def render_text_line(text: str, size: Size = "normal", bold: bool = False,
                     align: Align = "left", threshold: int = DEFAULT_THRESHOLD) -> Bitmap | None:
    """Paint one line with Qt and return it cropped tight to its ink (``None`` if no ink).

    The crop is tight on all four sides; the printer's ``ESC a`` justification then places it,
    which is what "cropped to the alignment" means — no blank margin bytes ever travel.
    """
    from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter

    _ensure_qt()
    with _paint_lock:
        font = _font(size, bold)
        metrics = QFontMetrics(font)
        pad = PIXEL_SIZES[size]  # Devanagari marks can reach outside ascent/descent
        width = max(1, metrics.horizontalAdvance(text)) + 2 * pad
        height = metrics.height() + 2 * pad
        image = QImage(width, height, QImage.Format.Format_Grayscale8)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.setFont(font)
            painter.setPen(QColor(0, 0, 0))
            painter.drawText(pad, pad + metrics.ascent(), text)
        finally:
            painter.end()
        raw = bytes(image.constBits())[: image.bytesPerLine() * height]
        gray = Image.frombuffer("L", (width, height), raw, "raw", "L", image.bytesPerLine(), 1)
        ink = _threshold(gray, threshold)
    bbox = ink.getbbox()
    if bbox is None:
        return None
    return ink_to_bitmap(ink.crop(bbox), align)


def qr_bitmap(data: str, module_size: int, error_correction: str = "M") -> Bitmap:
    """A QR code as a bitmap (for printers without native ``GS ( k`` and for full raster).

    No quiet zone is drawn: the paper around a centred code is already blank, and blank rows
    are exactly what we avoid sending.
    """
    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(error_correction=levels[error_correction], box_size=1, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    ink = Image.new("L", (n, n), 0)
    ink.putdata([255 if cell else 0 for row in matrix for cell in row])
    ink = ink.resize((n * module_size, n * module_size), Image.Resampling.NEAREST)
    return ink_to_bitmap(ink, "center")
