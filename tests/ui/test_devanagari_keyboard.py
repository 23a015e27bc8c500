"""The kiosk's own keyboard, tapped in the real application form: Hindi names come out exactly.

A first-time citizen types the letters they say (र, आ, म) and must read "राम", not "रआम";
digits fields get a number pad with nothing to calculate; Enter walks the form; in landscape
the field being typed and the one after it stay above the keyboard; no context menu opens.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial

import pytest
from driver import UiDriver, keyboard_keys
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QWindow
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import Config
from kiosk.translit.compose import key_name, keys_for
from kiosk.ui.app import KioskUi
from kiosk.ui.kiosk_mode import ContextMenuBlock

Factory = Callable[..., KioskUi]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def inside(d: UiDriver, name: str, height: int) -> bool:
    return scene_rect(d.wait_for(name)).bottom() <= height


def open_form(d: UiDriver, lang: str = "en") -> None:
    window = d.kiosk.window
    for name in ("startHi" if lang == "hi" else "startEn", "tile_apply"):
        # in landscape the first screen's layout follows the window's size a frame later
        d.wait_until(partial(inside, d, name, window.height()), f"{name} inside the window")
        d.tap(name)
    d.wait_for("applyServicePage")
    d.kiosk.apply.chooseService("INC")
    d.wait_for("applyFormPage")


def focus_field(d: UiDriver, key: str) -> QQuickItem:
    """Scroll ``key`` near the top of the form (a finger scrolls first), then tap it."""
    field = d.wait_for(f"input_{key}")
    flick = d.wait_for("applyFlick")
    top = field.mapToItem(flick.property("contentItem"), QPointF(0, 0)).y()
    limit = max(0.0, float(flick.property("contentHeight")) - flick.height())
    flick.setProperty("contentY", min(max(0.0, top - 40), limit))
    d.tap(field)
    d.wait_until(field.hasActiveFocus, f"{key} to take the focus")
    return field


def own_keyboard(d: UiDriver) -> QQuickItem:
    kb = d.wait_for("kioskKeyboard")
    d.wait_until(lambda: kb.property("up")
                 and kb.mapToScene(QPointF(0, 0)).y() + kb.height()
                 <= d.kiosk.window.height() + 0.5, "the kiosk keyboard to be up")
    return kb


def tap_keys(d: UiDriver, text: str) -> None:
    """Each key of ``text`` found by its objectName and clicked at its centre."""
    for label in keys_for(text):
        d.tap(key_name(label))


def scene_rect(item: QQuickItem) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_hindi_names_typed_by_taps_come_out_exactly(
        lang: str, kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d, lang)
    field = focus_field(d, "name_hi")
    own_keyboard(d)
    assert d.find("key_क") is not None and d.find("key_k") is None   # the Devanagari page

    tap_keys(d, "राम कुमार")
    assert nfc(d.read(field, "text", str)) == nfc("राम कुमार")
    assert kiosk.apply.raw_answers["name_hi"] == "राम कुमार"

    for _ in range(len("राम कुमार")):               # backspace: one code point a tap
        d.tap("key_backspace")
    assert d.read(field, "text", str) == ""
    tap_keys(d, "सुनीता देवी")
    assert nfc(d.read(field, "text", str)) == nfc("सुनीता देवी")

    d.tap("key_backspace")                           # the matra goes, not the whole letter
    assert d.read(field, "text", str) == "सुनीता देव"


def test_matra_rules_on_the_real_keys(kiosk_factory: Factory,
                                      make_config: Callable[..., Config],
                                      drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    field = focus_field(d, "name_hi")
    own_keyboard(d)
    for label in ("र", "आ", "म"):                    # the र then आ
        d.tap(key_name(label))
    assert d.read(field, "text", str) == "राम"
    for label in (" ", "आ", "क", "्", "ष", "ं", "़"):  # आ after a space stays a letter
        d.tap(key_name(label))
    assert d.read(field, "text", str) == "राम आक्षं"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_keys_are_big_and_the_number_pads_have_nothing_to_calculate(
        size: tuple[int, int], kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(), size=size)
    d = drive(kiosk)
    open_form(d)
    focus_field(d, "name_hi")
    own_keyboard(d)
    keys = keyboard_keys(kiosk)
    assert {"क", "आ", "्", "़", "ं", "ँ", "ः", " "} <= set(keys)
    for item in keys.values():
        assert item.height() >= 64 and item.width() >= 64, item.objectName()
        r = scene_rect(item)
        assert 0 <= r.left() and r.right() <= size[0] + 0.5, item.objectName()

    for key, extra in (("mobile", set()), ("dob", {".", "-"})):
        focus_field(d, key)
        d.wait_until(lambda: "5" in keyboard_keys(kiosk), f"the number pad for {key}")
        assert set(keyboard_keys(kiosk)) == set("0123456789") | extra
        for name in ("÷", "×", "√", "^", "%", "+", "="):
            assert d.find(f"key_{name}") is None
        assert d.find("key_language") is None and d.find("key_000") is None
    tap_keys(d, "15-08-1985")
    assert kiosk.apply.raw_answers["dob"] == "15-08-1985"


def test_enter_moves_to_the_next_field_and_the_last_is_next(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    focus_field(d, "name_hi")
    own_keyboard(d)
    d.tap("key_enter")
    d.wait_until(lambda: d.wait_for("input_name_en").hasActiveFocus(), "name_en focused")

    focus_field(d, "aadhaar")                       # the step's last field
    d.wait_until(lambda: "5" in keyboard_keys(kiosk), "the number pad")
    d.tap("key_enter")                              # = the step's Next: its errors show
    d.wait_until(lambda: d.find("formMessage") is not None, "the step checked")
    assert kiosk.apply.property("stepKey") == "applicant"


def both_seen(d: UiDriver, key: str, after: str, limit: float) -> bool:
    """Both text boxes wholly between the top of the form and the keyboard."""
    top = scene_rect(d.wait_for("applyFlick")).top()

    def seen(name: str) -> bool:
        r = scene_rect(d.wait_for(f"input_{name}"))
        return r.top() >= top - 0.5 and r.bottom() <= limit
    return seen(key) and seen(after)


def test_landscape_keeps_the_field_and_the_next_above_the_keyboard(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(), size=(1920, 1080))
    d = drive(kiosk)
    open_form(d)
    for key, after in (("relative_name", "dob"), ("dob", "mobile"), ("mobile", "aadhaar")):
        focus_field(d, key)
        top_of_keyboard = scene_rect(own_keyboard(d)).top()
        assert top_of_keyboard >= kiosk.window.height() * 0.55   # covers at most 45 %

        d.wait_until(partial(both_seen, d, key, after, top_of_keyboard),
                     f"{key} and {after} above the keyboard")


def popups() -> list[QWindow]:
    """Visible pop-up windows (Qt 6.11 opens a text field's Cut/Copy/Paste menu in one)."""
    return [w for w in QGuiApplication.topLevelWindows()
            if w.isVisible() and w.flags() & Qt.WindowType.Popup == Qt.WindowType.Popup]


@pytest.mark.parametrize("key", ["name_en", "name_hi"])
def test_no_context_menu_on_a_text_field_even_windowed(
        key: str, kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())      # windowed: not held, and still no menu
    d = drive(kiosk)
    open_form(d)
    field = focus_field(d, key)
    centre = field.mapToScene(QPointF(field.width() / 2, field.height() / 2)).toPoint()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                     centre)
    QCoreApplication.sendEvent(kiosk.window, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, centre, kiosk.window.mapToGlobal(centre)))
    d.settle(200)    # nothing must open: there is no signal to wait for
    assert popups() == []
    block = kiosk.window.findChild(ContextMenuBlock)
    assert block is not None and block.refused >= 1
