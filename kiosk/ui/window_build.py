"""The steps the counter console and the display board take alike to put up and take down
their window (the kiosk's own :func:`kiosk.ui.app.build_kiosk` does the same inline).

Why one place: the order matters and is easy to get subtly wrong in a copy — QML types are
registered before this process's first engine, the translator is installed before QML loads,
a failed load undoes what was started before raising, and on close the translator and the
GUI-thread collector go last, after window and engine, with posted events flushed so nothing
deleted later runs against them. What each screen builds between these steps stays its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.i18n import set_language
from kiosk.i18n.qt_translator import KioskTranslator
from kiosk.ui import app as kiosk_app
from kiosk.ui import qml_registry
from kiosk.ui.gc_guard import GuiThreadGc


def start_ui(module: qml_registry.Module, app: QGuiApplication | None,
             lang: str) -> tuple[QGuiApplication, KioskTranslator, GuiThreadGc]:
    """Register ``module``'s QML types, ensure the application, install fonts and the
    translator for ``lang``, and start the GUI-thread garbage collector."""
    qml_registry.register_types(module)  # before this process's first engine
    app = kiosk_app.ensure_app(app)
    translator = kiosk_app.install_fonts_and_translator(app, lang)
    set_language(lang)
    gc_guard = GuiThreadGc()
    gc_guard.start()
    return app, translator, gc_guard


def load_window(engine: QQmlApplicationEngine, qml: Path, warnings: list[str],
                undo: Callable[[], None]) -> QQuickWindow:
    """Load ``qml``; its root must be a window, else ``undo()`` runs and the load fails with
    the QML warnings collected in ``warnings``."""
    engine.load(QUrl.fromLocalFile(str(qml)))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        undo()
        raise RuntimeError(f"could not load {qml}: {'; '.join(warnings)}")
    return roots[0]


def release_ui(app: QGuiApplication, translator: KioskTranslator, gc_guard: GuiThreadGc) -> None:
    """The last steps of a close, after window and engine are gone."""
    app.removeTranslator(translator)
    gc_guard.stop()
    shiboken6.delete(gc_guard)
    QCoreApplication.sendPostedEvents(None, 0)


__all__ = ["load_window", "release_ui", "start_ui"]
