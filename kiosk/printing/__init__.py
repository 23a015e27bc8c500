"""Printing: documents → ESC/POS bytes (native text + tight raster), previews, the print service."""

import os
from pathlib import Path


def _escpos_cache_dir() -> None:
    """Give python-escpos a lasting place for its printer-database pickle.

    It reads ``ESCPOS_CAPABILITIES_PICKLE_DIR`` when ``escpos.capabilities`` is imported and
    otherwise pickles into a fresh ``mkdtemp()`` every time — a cache that never hits, so each
    process parsed the whole database again. Set before the first escpos import (this package
    is imported before any of its modules); an explicit setting wins, and a cache that cannot
    be created leaves python-escpos to its default.
    """
    if os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"):
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = base / "seva-kiosk" / "escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)


_escpos_cache_dir()

from kiosk.printing.escpos_render import (  # noqa: E402  (after the cache directory)
    PrinterProfile,
    RenderStats,
    render_escpos,
    render_escpos_with_stats,
    render_full_raster,
)

__all__ = ["PrinterProfile", "RenderStats", "render_escpos", "render_escpos_with_stats",
           "render_full_raster"]
