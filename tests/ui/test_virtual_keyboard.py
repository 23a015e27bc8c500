"""The on-screen keyboard in the real kiosk window types Devanagari and Latin.

Touch-only kiosks have no physical keyboard; later forms (applications, status look-up) depend
on this working in both scripts, with the keyboard following the session language. There is
one keyboard, the kiosk's own: its Devanagari page (a vowel after a consonant is its matra) in
a Hindi session, its Latin page in an English one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from driver import UiDriver, keyboard_keys

from kiosk.config import Config
from kiosk.ui.app import KioskUi

FIELD_QML = b"""
import QtQuick.Controls.Basic
TextField { objectName: "vkField"; x: 40; y: 200; width: 700; height: 96; font.pixelSize: 40 }
"""


def test_keyboard_types_hindi_then_english(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(default_language="hi"))
    d = drive(kiosk)
    d.tap("startHi")

    field = d.create_item(FIELD_QML)
    field.forceActiveFocus()

    own = d.wait_for("kioskKeyboard")
    d.wait_for_value(own, "up", True)
    d.wait_until(lambda: "क" in keyboard_keys(kiosk), "the Hindi page")
    d.type_text("कमला")
    d.wait_for_value(field, "text", "कमला")
    assert re.fullmatch("[\u0900-\u097f]+", d.read(field, "text", str))

    field.setProperty("text", "")
    d.tap("langToggle")  # session → English: the same keyboard shows its Latin page
    d.wait_for_value(kiosk.session, "keyboardLocale", "en_US")
    field.forceActiveFocus()
    d.wait_until(lambda: any(k.lower() == "s" for k in keyboard_keys(kiosk)),
                 "the English page")
    d.type_text("seva")
    d.wait_until(lambda: d.read(field, "text", str) == "seva", "seva typed")
    assert d.find("inputPanel") is None
    d.remove_item(field)
