"""Getting a Qt GUI application for work that needs fonts but maybe no screen.

Printing shapes Devanagari with Qt (HarfBuzz), which needs a QGuiApplication even in a CLI run on
a headless box; there we fall back to the offscreen platform instead of failing on a missing
display. The full kiosk window creates its own application first and this returns that one.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from kiosk.i18n.fonts import register_fonts


def ensure_gui_app(offscreen: bool | None = None) -> QGuiApplication:
    """Return the running QGuiApplication, creating one (offscreen if no display) if needed."""
    app = QCoreApplication.instance()
    if app is None:
        headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if offscreen or (offscreen is None and headless):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("a QCoreApplication without GUI is running; fonts need QtGui")
    register_fonts()
    return app
