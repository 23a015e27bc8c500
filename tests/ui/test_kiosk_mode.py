"""Kiosk mode holds (issue 16): in full screen a close request is refused, no context menu
opens on a text field (right click or long press), and the window covers the real screen
whatever size it was designed at. Offscreen, with the real QML engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.app import KioskUi, place_window
from kiosk.ui.kiosk_mode import hold_of

FIELD_QML = """
import QtQuick
import QtQuick.Controls
ApplicationWindow {
    width: 1080; height: 1920
    TextField { objectName: "field"; x: 20; y: 20; width: 400; height: 80; text: "1234" }
}
"""


def _open_menus(window: QQuickWindow) -> list[str]:
    """Visible menu items anywhere in the window (a context menu brings a column of them)."""
    return [i.metaObject().className() for i in window.findChildren(QQuickItem)
            if i.isVisible() and "Menu" in i.metaObject().className()]


@pytest.fixture
def field_window(qapp: QGuiApplication, tmp_path: Path) -> Iterator[
        Callable[[bool], QQuickWindow]]:
    engines: list[QQmlApplicationEngine] = []

    def make(kiosk_mode: bool) -> QQuickWindow:
        qml = tmp_path / "Field.qml"
        qml.write_text(FIELD_QML, encoding="utf-8")
        engine = QQmlApplicationEngine()
        engines.append(engine)
        engine.load(QUrl.fromLocalFile(str(qml)))
        window = engine.rootObjects()[0]
        assert isinstance(window, QQuickWindow)
        from kiosk.config import load_config

        config = load_config(data_dir=tmp_path / "data", environ={})
        place_window(window, config, (1080, 1920), windowed=not kiosk_mode, show=True)
        assert QTest.qWaitForWindowExposed(window)
        return window

    yield make
    for engine in engines:
        for root in engine.rootObjects():
            if isinstance(root, QQuickWindow):
                hold = hold_of(root)
                if hold is not None:
                    hold.release()
                root.close()
        shiboken6.delete(engine)


def test_right_click_and_long_press_open_no_menu_in_kiosk_mode(
        field_window: Callable[[bool], QQuickWindow], qtbot: QtBot) -> None:
    # Control: the same field in a normal window does open Qt's Cut/Copy/Paste menu.
    normal = field_window(False)
    QTest.mouseClick(normal, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(100, 60))
    qtbot.waitUntil(lambda: bool(_open_menus(normal)), timeout=3000)

    held = field_window(True)
    QTest.mouseClick(held, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(100, 60))
    touch = QTest.createTouchDevice()
    QTest.touchEvent(held, touch).press(0, QPoint(120, 60), held).commit()
    qtbot.wait(1200)  # a long press: longer than Qt's press-and-hold interval
    QTest.touchEvent(held, touch).release(0, QPoint(120, 60), held).commit()
    qtbot.wait(100)
    assert _open_menus(held) == []


def test_close_request_is_refused_and_the_window_covers_the_screen(
        field_window: Callable[[bool], QQuickWindow]) -> None:
    window = field_window(True)
    screen = window.screen().geometry()
    # Designed at 1080x1920, shown on whatever screen there is (offscreen: 800x600).
    assert (window.width(), window.height()) == (screen.width(), screen.height())
    assert window.close() is False  # what Alt+F4 / the compositor's close request does
    assert window.isVisible()
    hold = hold_of(window)
    assert hold is not None and hold.refused == 1
    hold.release()  # the program itself is quitting (aboutToQuit): now it closes
    assert window.close() is True


def test_windowed_mode_is_not_held(field_window: Callable[[bool], QQuickWindow]) -> None:
    window = field_window(False)
    assert hold_of(window) is None
    assert (window.width(), window.height()) == (1080, 1920)


def test_the_citizen_kiosk_full_screen_refuses_close(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config]) -> None:
    kiosk = kiosk_factory(make_config(), windowed=False)
    assert QTest.qWaitForWindowExposed(kiosk.window)
    assert kiosk.window.close() is False
    assert kiosk.window.isVisible()
    screen = kiosk.window.screen().geometry()
    assert kiosk.window.geometry() == screen
