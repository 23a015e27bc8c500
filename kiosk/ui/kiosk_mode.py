"""Kiosk mode holds: a full-screen kiosk, counter or board window that cannot be closed by a
passer-by, shows no context menus, and covers the real screen in either orientation.

Why each part:

- **Close requests refused.** Under a window manager Alt+F4 (or the compositor's close) sent a
  close event, the window accepted it, the process exited 0 and a black screen was left. Only
  the program itself ends a kiosk: SIGTERM from systemd, which quits through
  :func:`release_all` before ``quit`` (Qt 6's ``quit`` asks every window to close), and
  ``aboutToQuit`` releases a hold too, so the windows' own close steps run normally.
- **No context menus.** Qt Quick Controls text fields open a Cut/Copy/Paste/Select-all menu on
  a right click or a long press; on a public touchscreen that menu is a way to paste into
  another citizen's form and a confusing pop-up. Swallowing ``QEvent.ContextMenu`` at the
  window removes it for every field at once, including the ones added later.
  The citizen kiosk's window blocks them even when it is not held (windowed, or
  ``fullscreen = false`` under a window manager): :func:`block_context_menus`. A window is a
  public touchscreen either way, and the menu speaks Qt's English in a Hindi session.
- **The real screen geometry.** Without a window manager (cage, bare X) ``showFullScreen``
  keeps whatever size the window had, so a 1080×1920 design stayed 1080×1920 on a 1920×1080
  screen with "Touch to start" off-screen. The window is given the screen's geometry before it
  is shown and follows the screen when it is rotated or swapped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QRect, Slot
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtQuick import QQuickWindow

log = logging.getLogger(__name__)


class KioskHold(QObject):
    """Installed on one full-screen window by :func:`hold`; :meth:`release` lets it go."""

    def __init__(self, window: QQuickWindow, app: QGuiApplication) -> None:
        super().__init__(window)
        self._window = window
        self._screen: QScreen | None = None
        self.holding = True
        #: Close requests refused so far (tests and the log read it).
        self.refused = 0
        window.installEventFilter(self)
        app.aboutToQuit.connect(self.release)
        window.screenChanged.connect(self._follow_screen)
        self._follow_screen(window.screen())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        kind = event.type()
        if kind == QEvent.Type.Close and self.holding:
            event.ignore()
            self.refused += 1
            log.warning("kiosk mode: a close request was refused (%d so far)", self.refused)
            return True
        return kind == QEvent.Type.ContextMenu

    @Slot()
    def release(self) -> None:
        """From now on close requests are accepted (the program is quitting).

        The filter also comes off the window, and the screen is no longer followed: a Python
        event filter still installed while the window is being destroyed is called for the
        window's last events, and now and then that crashed the process on SIGTERM (1 run in
        6 of tests/integration/test_kiosk_service.py)."""
        if not self.holding:
            return
        self.holding = False
        self._window.removeEventFilter(self)
        try:
            self._window.screenChanged.disconnect(self._follow_screen)
        except (RuntimeError, TypeError):
            pass
        if self._screen is not None:
            try:
                self._screen.geometryChanged.disconnect(self._fit)
            except (RuntimeError, TypeError):
                pass
            self._screen = None

    @Slot(QScreen)
    def _follow_screen(self, screen: QScreen | None) -> None:
        if self._screen is not None:
            self._screen.geometryChanged.disconnect(self._fit)
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._fit)
            self._fit(screen.geometry())

    @Slot(QRect)
    def _fit(self, geometry: QRect) -> None:
        if self._window.geometry() != geometry:
            log.info("kiosk mode: window takes the screen's %dx%d", geometry.width(),
                     geometry.height())
            self._window.setGeometry(geometry)


class ContextMenuBlock(QObject):
    """Swallows every ``QEvent.ContextMenu`` sent to one window (see the module's docstring)."""

    def __init__(self, window: QQuickWindow) -> None:
        super().__init__(window)
        self._window = window
        #: Menus refused so far (tests read it).
        self.refused = 0
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.aboutToQuit.connect(self.release)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.ContextMenu:
            self.refused += 1
            return True
        return False

    @Slot()
    def release(self) -> None:
        """Off the window before it goes (a Python filter on a dying window can crash; see
        :meth:`KioskHold.release`)."""
        self._window.removeEventFilter(self)


def block_context_menus(window: QQuickWindow) -> ContextMenuBlock:
    """No Cut/Copy/Paste menu on any field of ``window``, held or not; it owns the block."""
    return ContextMenuBlock(window)


def hold(window: QQuickWindow) -> KioskHold:
    """Put ``window`` in kiosk mode (see the module's docstring); it owns the returned hold."""
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    return KioskHold(window, app)


def hold_of(window: QQuickWindow) -> KioskHold | None:
    """The hold put on ``window`` by :func:`hold`, if any."""
    found = window.findChild(KioskHold)
    return found if isinstance(found, KioskHold) else None


def release_all(app: QGuiApplication) -> None:
    """Release the hold of every window: the program is quitting (SIGTERM from systemd)."""
    for window in app.topLevelWindows():
        found = hold_of(window) if isinstance(window, QQuickWindow) else None
        if found is not None:
            found.release()


__all__ = ["ContextMenuBlock", "KioskHold", "block_context_menus", "hold", "hold_of",
           "release_all"]
