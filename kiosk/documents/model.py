"""The device-independent document model: a flat list of printable blocks.

Why so small: a thermal slip is a column of lines. Keeping the model to text, a QR code, a rule,
a feed and a cut lets every printer backend (ESC/POS native text, full raster, a screen preview)
render the same document, and lets tests compare documents without any bytes. Nothing here knows
about dots, code pages or fonts — that is the renderer's business, because the same Hindi line is
a raster image on one printer and could be native text on a future one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Size = Literal["small", "normal", "large", "huge"]
Align = Literal["left", "center", "right"]

SIZES: tuple[str, ...] = get_args(Size)
ALIGNS: tuple[str, ...] = get_args(Align)

_DEVANAGARI = range(0x0900, 0x0980)


def has_devanagari(text: str) -> bool:
    """True if ``text`` contains any character of the Devanagari block (U+0900–U+097F)."""
    return any(ord(ch) in _DEVANAGARI for ch in text)


@dataclass(frozen=True)
class Text:
    """One paragraph of text; the renderer wraps it to the paper width.

    ``text`` may hold Hindi, English or both: the script is detected from the characters at
    render time, so a layout never has to say which language a line is in.

    ``static``: the line is the same on every copy of this document (a fixed label, the
    centre's name, a heading — never a citizen's name, a number or a date). A printer that can
    hold graphics keeps a static Hindi line's raster and prints it later from a short call.
    """

    text: str
    size: Size = "normal"
    align: Align = "left"
    bold: bool = False
    static: bool = False

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"Text.size must be one of {SIZES}, got {self.size!r}")
        if self.align not in ALIGNS:
            raise ValueError(f"Text.align must be one of {ALIGNS}, got {self.align!r}")


@dataclass(frozen=True)
class Qr:
    """A QR code; ``module_size`` is the edge of one module in printer dots (1–16)."""

    data: str
    module_size: int = 6
    align: Align = "center"

    def __post_init__(self) -> None:
        if not 1 <= self.module_size <= 16:
            raise ValueError(f"Qr.module_size must be 1..16, got {self.module_size}")
        if not self.data:
            raise ValueError("Qr.data must not be empty")
        if self.align not in ALIGNS:
            raise ValueError(f"Qr.align must be one of {ALIGNS}, got {self.align!r}")


@dataclass(frozen=True)
class Rule:
    """A horizontal separator across the paper."""


@dataclass(frozen=True)
class Feed:
    """Blank paper: ``lines`` normal text lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        if self.lines < 0:
            raise ValueError(f"Feed.lines must not be negative, got {self.lines}")


@dataclass(frozen=True)
class Cut:
    """End of the slip: cut here if the printer has a cutter (else just feed to tear-off)."""


Block = Text | Qr | Rule | Feed | Cut


@dataclass(frozen=True)
class Document:
    """A printable document: its blocks, what kind it is and which record it prints.

    ``kind`` and ``ref`` (e.g. ``"token"``, the token id) go into the print journal so a failed
    print can be found and reprinted from the record it belongs to.
    """

    blocks: tuple[Block, ...]
    kind: str
    ref: str

    def texts(self) -> list[str]:
        """All text in reading order (handy for tests and logs)."""
        return [b.text for b in self.blocks if isinstance(b, Text)]
