"""The kiosk's Latin page, name chips and money pad, tapped in the real application form.

The citizen window has one keyboard now (Qt Virtual Keyboard's panel cost 25-40 ms of
GUI-thread CPU on every focus change): English names are typed on its Latin page, a name field
offers name chips ("Kamal Singh" is K a m [Kamal] [Singh], 5 presses, not 11), a money amount
has a 000 key, and the keyboard goes when the text box loses the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from driver import UiDriver, keyboard_keys, name_chips
from PySide6.QtCore import QMetaObject, QUrl
from PySide6.QtQml import QQmlComponent
from test_devanagari_keyboard import focus_field, open_form, own_keyboard, tap_keys

from kiosk.config import Config
from kiosk.ui.app import QML_DIR, KioskUi
from kiosk.ui.screenshot_lookup import SAMPLE_ANSWERS

Factory = Callable[..., KioskUi]

AREA_PROBE = b"""
import QtQuick
QtObject {
    property real covered: KeyboardArea.height
    function dismiss() { KeyboardArea.dismiss() }
}
"""


def shows_chip(kiosk: KioskUi, word: str) -> bool:
    return word in name_chips(kiosk)


def presses(d: UiDriver, *names: str) -> int:
    for name in names:
        d.tap(name)
    return len(names)


def test_english_name_typed_by_taps_on_the_latin_page(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d, "hi")                                 # a Hindi session: name_en is Latin still
    field = focus_field(d, "name_en")
    own_keyboard(d)
    keys = keyboard_keys(kiosk)
    assert set("QWERTYUIOPASDFGHJKLZXCVBNM") <= set(keys)   # a name starts with a capital
    assert set("0123456789-/,.") <= set(keys)
    assert d.find("key_क") is None and d.find("key_language") is None   # English only here

    # By each key: the capitals come by themselves at the start of each word.
    for label in ("r", "a", "m", "e", "s", "h", "space", "k", "u", "m", "a", "r"):
        d.tap(f"key_{label}")
    assert d.read(field, "text", str) == "Ramesh Kumar"
    assert kiosk.apply.raw_answers["name_en"] == "Ramesh Kumar"
    d.tap("key_shift")                                  # shift: one capital, then small again
    d.tap("key_s")
    d.tap("key_s")
    assert d.read(field, "text", str) == "Ramesh KumarSs"
    d.tap("key_backspace")
    d.tap("key_backspace")
    d.type_text(" Ward 5/2, M.G. Road-3")              # the driver shifts where it must
    assert d.read(field, "text", str) == "Ramesh Kumar Ward 5/2, M.G. Road-3"


@pytest.mark.parametrize(("keys", "chips", "name"), [
    (("k", "a", "m"), ("Kamal", "Singh"), "Kamal Singh"),
    (("r", "a"), ("Ram", "Singh"), "Ram Singh"),
])
def test_name_chips_complete_a_common_name_in_half_the_presses(
        keys: tuple[str, ...], chips: tuple[str, ...], name: str, kiosk_factory: Factory,
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    field = focus_field(d, "name_en")
    own_keyboard(d)
    count = presses(d, *(f"key_{k}" for k in keys))
    for chip in chips:
        d.wait_until(partial(shows_chip, kiosk, chip), f"the {chip} chip")
        count += presses(d, f"suggest_{chip}")
    assert d.read(field, "text", str) == name + " "
    assert count <= len(name) // 2                      # 5 for Kamal Singh (11 letters)
    d.tap("key_enter")                                  # the form keeps the name, trimmed
    d.wait_until(lambda: kiosk.apply.raw_answers.get("name_en", "").strip() == name,
                 f"{name} in the answers")


def test_chips_in_hindi_and_the_applicants_surname_first_for_the_relative(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d, "hi")
    field = focus_field(d, "name_hi")
    own_keyboard(d)
    for label in ("क", "म"):
        d.tap(f"key_{label}")
    d.wait_until(lambda: "कमल" in name_chips(kiosk), "the कमल chip")
    d.tap("suggest_कमल")
    d.wait_until(lambda: "सिंह" in name_chips(kiosk), "surnames after a space")
    tap_keys(d, "अहिरवार")
    assert d.read(field, "text", str) == "कमल अहिरवार"

    # The relative's name, in a Hindi session: the applicant's surname is the first chip.
    kiosk.apply.setAnswer("relation", "father")
    focus_field(d, "relative_name")
    own_keyboard(d)
    d.tap("key_र")
    d.wait_until(lambda: "राम" in name_chips(kiosk), "the राम chip")
    d.tap("suggest_राम")
    d.wait_until(lambda: name_chips(kiosk)[:1] == ["अहिरवार"], "the family's surname first")

    # A new citizen: nothing of the last one's names is offered.
    kiosk.session.resetSession()
    open_form(d, "hi")
    focus_field(d, "relative_name")
    own_keyboard(d)
    d.tap("key_र")
    d.wait_until(lambda: "राम" in name_chips(kiosk), "the राम chip")
    d.tap("suggest_राम")
    d.wait_until(lambda: "सिंह" in name_chips(kiosk), "surnames after a space")
    assert "अहिरवार" not in name_chips(kiosk)


def test_the_language_key_switches_a_free_text_box_between_scripts(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d, "hi")
    field = focus_field(d, "relative_name")           # script "any": the session's, Hindi
    own_keyboard(d)
    assert d.find("key_क") is not None
    d.tap("key_language")
    d.wait_for("key_k")
    assert d.find("key_क") is None
    d.type_text("Ram")
    d.tap("key_language")
    d.tap("key_स")
    assert d.read(field, "text", str) == "Ramस"


def test_money_has_a_000_key(kiosk_factory: Factory, make_config: Callable[..., Config],
                             drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    vm = kiosk.apply
    for _ in range(2):                                  # applicant, address: answered
        for key, value in SAMPLE_ANSWERS.items():
            if key != "annual_income":
                vm.setAnswer(key, value)
        vm.next()
    field = focus_field(d, "annual_income")
    own_keyboard(d)
    d.wait_until(lambda: "000" in keyboard_keys(kiosk), "the 000 key")
    assert presses(d, "key_8", "key_5", "key_000") == 3
    assert d.read(field, "text", str) == "85000"
    assert vm.raw_answers["annual_income"] == "85000"
    d.tap("count_family_members_more")                 # a count's own box has no 000
    focus_field(d, "family_members")
    d.wait_until(lambda: "5" in keyboard_keys(kiosk), "the number pad")
    assert "000" not in keyboard_keys(kiosk)


def test_the_keyboard_hides_when_the_focus_leaves_or_a_screen_asks(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    field = focus_field(d, "name_en")
    kb = own_keyboard(d)
    # A screen's view of KeyboardArea (made beside the screens, where the singleton is seen).
    component = QQmlComponent(kiosk.engine)
    component.setData(AREA_PROBE, QUrl.fromLocalFile(str(QML_DIR / "AreaProbe.qml")))
    area = component.create()
    assert area is not None, component.errorString()
    d.wait_until(lambda: area.property("covered") == kb.height(), "the covered height")
    field.setProperty("focus", False)                  # the focus leaves: the keyboard goes
    d.wait_for_value(kb, "up", False)
    d.wait_until(lambda: area.property("covered") == 0, "nothing covered")

    focus_field(d, "name_en")
    own_keyboard(d)
    QMetaObject.invokeMethod(area, "dismiss")          # what a screen does to put it away
    d.wait_for_value(kb, "up", False)
    assert not field.hasActiveFocus()
    d.tap(field)                                       # a tap on the box brings it back
    own_keyboard(d)
    area.deleteLater()


def _mapped_virtual_keyboard() -> list[str]:
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("needs /proc/self/maps (Linux)")
    return sorted({line.split()[-1] for line in maps.read_text().splitlines()
                   if "virtualkeyboard" in line.lower()})


def test_no_qt_virtual_keyboard_in_the_citizen_window(
        kiosk_factory: Factory, make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_form(d)
    for key in ("name_en", "name_hi", "dob"):
        focus_field(d, key)
        own_keyboard(d)
    assert d.find("inputPanel") is None
    assert _mapped_virtual_keyboard() == []            # neither its QML module nor the plugin
