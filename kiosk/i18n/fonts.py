"""Register the bundled Noto fonts with Qt so no system font is ever relied on.

Tehsil-office PCs come with whatever fonts the vendor left; a missing Devanagari font shows
empty boxes to a Hindi reader. The fonts ship as PyPI packages (fontpkg-noto-*), so we register
their files at start and name the families explicitly everywhere.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

DEVANAGARI_FAMILY = "Noto Sans Devanagari"
LATIN_FAMILY = "Noto Sans"
_FONT_PACKAGES = ("fontpkg_noto_sans", "fontpkg_noto_sans_devanagari")
_registered: list[str] = []


def font_files() -> list[Path]:
    """Paths of the bundled .ttf/.otf files (upright faces only: we never print italics)."""
    files: list[Path] = []
    for pkg in _FONT_PACKAGES:
        root = Path(str(resources.files(pkg))) / "files"
        files += sorted(p for p in root.iterdir()
                        if p.suffix.lower() in (".ttf", ".otf") and "Italic" not in p.name)
    return files


def register_fonts() -> list[str]:
    """Add the bundled fonts to Qt's database (needs a QGuiApplication); returns families."""
    if _registered:
        return list(_registered)
    from PySide6.QtGui import QFontDatabase

    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("Qt could not load font %s", path)
            continue
        _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    missing = {DEVANAGARI_FAMILY, LATIN_FAMILY} - set(_registered)
    if missing:
        log.error("bundled font families missing: %s", ", ".join(sorted(missing)))
    return list(_registered)
