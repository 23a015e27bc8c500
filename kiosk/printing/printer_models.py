"""Printer models from python-escpos's capabilities database: dots, columns, QR, cutter, graphics.

Why a database and not our own table: python-escpos ships the escpos-printer-db profiles (Epson
TM-T88V, Zjiang POS-5890, Netum NT-5890K …) with each model's printable width in dots, the
columns of its built-in fonts and which commands it understands. A technician writes one word
(``[devices.printer] model = "TM-T88V"``) and the renderer learns that this head is 512 dots
wide (so a native line holds 42 characters, not the 48 of a generic 80 mm head — a longer line
would wrap on paper), that a POS-5890 has no ``GS ( k`` QR (so the QR goes as a raster) and no
cutter.

This module only *reads* the database and says what it means for us (:class:`ModelInfo`); the
configuration (:mod:`kiosk.config`) uses it for the defaults of ``paper_mm`` / ``native_qr`` /
``cutter`` and to name an unknown model, and
:meth:`kiosk.printing.escpos_render.PrinterProfile.from_config` for dots, columns and graphics
memory. Customer displays in the database (no raster image command) are refused: they cannot
print Hindi, which is always a raster.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kiosk.i18n import N_

#: Printable widths above this many dots are an 80 mm roll (58 mm heads are 384–432 dots).
_MAX_58MM_DOTS = 432

MSG_UNKNOWN_MODEL = N_("The printer model in the settings is not known. The kiosk prints as on "
                       "a common printer. Please ask a technician to check the model name.")


@dataclass(frozen=True)
class ModelInfo:
    """What one capabilities-database profile says, in the renderer's terms."""

    #: The profile's key in the database (``TM-T88V``), as written in the configuration.
    model: str
    vendor: str
    #: Printable width in dots when the database states it (None: "Unknown").
    dots: int | None
    #: The roll the head is for (58 or 80), from ``dots``; None when the width is unknown.
    paper_mm: int | None
    #: Characters per line of font A and font B (the ``ESC M 0/1`` fonts) when listed.
    font_columns: tuple[int | None, int | None]
    native_qr: bool
    cutter: bool
    #: ``GS ( L`` graphics (the download-graphics / NV-graphics function).
    graphics: bool
    #: ``GS v 0`` raster images: without them nothing in Devanagari can be printed.
    raster: bool

    @property
    def graphics_memory(self) -> str:
        """``gs_l`` for Epson TM models the database says have graphics, else ``none``.

        Only Epson's own TM heads are trusted with ``GS ( L`` define/print: clones that list
        "graphics" often mean the raster command only, and a define they ignore would leave
        the label out of the slip.
        """
        epson_tm = self.vendor.lower() == "epson" and self.model.upper().startswith("TM-")
        return "gs_l" if epson_tm and self.graphics else "none"


class UnknownModelError(ValueError):
    """The name is not in the database (``close`` holds the nearest names, for the message)."""

    def __init__(self, name: str, close: list[str]) -> None:
        self.name = name
        self.close = close
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        super().__init__(f"unknown printer model {name!r}{hint}")


class UnusableModelError(ValueError):
    """The model cannot print raster images (a customer display, an impact printer)."""


def _profiles() -> Mapping[str, Mapping[str, Any]]:
    from escpos.capabilities import CAPABILITIES

    profiles: Mapping[str, Mapping[str, Any]] = CAPABILITIES["profiles"]
    return profiles


def known_models() -> list[str]:
    """Every model name the database has, sorted (``default``/``simple`` are generic)."""
    return sorted(_profiles())


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _font_columns(fonts: Mapping[str, Any]) -> tuple[int | None, int | None]:
    def cols(key: str) -> int | None:
        font = fonts.get(key)
        return _int_or_none(font.get("columns")) if isinstance(font, Mapping) else None

    return cols("0"), cols("1")


@cache
def model_info(name: str) -> ModelInfo:
    """The database's profile ``name`` (case as in the database; a case-insensitive match is
    accepted). Raises :class:`UnknownModelError` / :class:`UnusableModelError`."""
    profiles = _profiles()
    key = name if name in profiles else next(
        (k for k in profiles if k.lower() == name.strip().lower()), None)
    if key is None:
        close = difflib.get_close_matches(name, list(profiles), n=3, cutoff=0.5)
        raise UnknownModelError(name, close)
    data = profiles[key]
    features: Mapping[str, Any] = data.get("features") or {}
    width = (data.get("media") or {}).get("width") or {}
    dots = _int_or_none(width.get("pixels"))
    raster = bool(features.get("bitImageRaster"))
    if not raster:
        raise UnusableModelError(f"printer model {key!r} cannot print raster images, so it "
                                 "cannot print Hindi")
    return ModelInfo(
        model=key, vendor=str(data.get("vendor") or ""), dots=dots,
        paper_mm=None if dots is None else (58 if dots <= _MAX_58MM_DOTS else 80),
        font_columns=_font_columns(data.get("fonts") or {}),
        native_qr=bool(features.get("qrCode")),
        cutter=bool(features.get("paperFullCut") or features.get("paperPartCut")),
        graphics=bool(features.get("graphics")), raster=raster)


__all__ = ["MSG_UNKNOWN_MODEL", "ModelInfo", "UnknownModelError", "UnusableModelError",
           "known_models", "model_info"]
