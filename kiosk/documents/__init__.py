"""Printable documents described independently of any printer.

A layout (token slip, acknowledgement, receipt) is built once as a :class:`Document`; the
printing package decides per printer how each block travels (native text, raster, native QR).
"""

from kiosk.documents.model import (
    Align,
    Block,
    Cut,
    Document,
    Feed,
    Qr,
    Rule,
    Size,
    Text,
    has_devanagari,
)

__all__ = ["Align", "Block", "Cut", "Document", "Feed", "Qr", "Rule", "Size", "Text",
           "has_devanagari"]
