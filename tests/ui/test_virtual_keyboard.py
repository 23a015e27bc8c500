"""The on-screen keyboard in the real kiosk window types Devanagari and Latin.

Touch-only kiosks have no physical keyboard; later forms (applications, status look-up) depend
on this working in both scripts, with the layout following the session language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from vk_helpers import keyboard_keys

from kiosk.config import Config
from kiosk.ui.app import KioskUi

FIELD_QML = b"""
import QtQuick.Controls.Basic
TextField { objectName: "vkField"; x: 40; y: 200; width: 700; height: 96; font.pixelSize: 40 }
"""



def _press(kiosk: KioskUi, key: QQuickItem) -> None:
    centre = key.mapToScene(QPointF(key.width() / 2, key.height() / 2)).toPoint()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     centre)


def test_input_panel_types_hindi_then_english(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    d.tap("startButton")  # type: ignore[attr-defined]
    d.tap("langHi")  # type: ignore[attr-defined]

    component = QQmlComponent(kiosk.engine)
    component.setData(FIELD_QML, QUrl())
    field = component.create()
    assert isinstance(field, QQuickItem), component.errorString()
    field.setParentItem(kiosk.window.contentItem())
    field.forceActiveFocus()

    panel = d.wait_for("inputPanel")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.property("active") is True)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "क" in keyboard_keys(kiosk))  # type: ignore[attr-defined]
    for ch in "कमल":
        _press(kiosk, keyboard_keys(kiosk)[ch])
    qtbot.waitUntil(lambda: field.property("text") == "कमल")  # type: ignore[attr-defined]
    assert re.fullmatch("[\u0900-\u097f]+", field.property("text"))

    field.setProperty("text", "")
    d.tap("langToggle")  # type: ignore[attr-defined]  # session → English, keyboard → en_US
    qtbot.waitUntil(lambda: kiosk.session.property("keyboardLocale") == "en_US")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: any(k.lower() == "s" for k in keyboard_keys(kiosk)))  # type: ignore[attr-defined]
    for ch in "seva":
        keys = {k.lower(): v for k, v in keyboard_keys(kiosk).items()}
        _press(kiosk, keys[ch])
    qtbot.waitUntil(lambda: field.property("text").lower() == "seva")  # type: ignore[attr-defined]
    assert re.fullmatch("[A-Za-z]+", field.property("text"))
    field.setParentItem(None)
    field.deleteLater()
