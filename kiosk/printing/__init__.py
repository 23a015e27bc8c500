"""Printing: documents → ESC/POS bytes (native text + tight raster), previews, the print service."""

from kiosk.printing.escpos_render import (
    PrinterProfile,
    RenderStats,
    render_escpos,
    render_escpos_with_stats,
    render_full_raster,
)

__all__ = ["PrinterProfile", "RenderStats", "render_escpos", "render_escpos_with_stats",
           "render_full_raster"]
