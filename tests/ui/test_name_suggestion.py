"""Type a name once: the English name typed suggests the Hindi one inside its empty box, one tap
takes it; typing your own replaces the suggestion; the next citizen sees nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_application_flow import open_apply, tap, type_into

from kiosk.config import Config
from kiosk.ui.app import KioskUi


@pytest.fixture
def kiosk(kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config]) -> KioskUi:
    return kiosk_factory(make_config())


def test_an_english_name_suggests_the_hindi_one_and_a_tap_takes_it(
        qtbot: Any, kiosk: KioskUi, drive: Callable[[KioskUi], Any]) -> None:
    d = drive(kiosk)
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    type_into(qtbot, d, "name_en", "Sunita Devi")
    hindi_box = d.wait_for("input_name_hi")
    qtbot.waitUntil(lambda: hindi_box.property("placeholderText") == "सुनीता देवी")
    assert hindi_box.property("text") == ""          # offered, not filled in for them
    use = d.wait_for("useSuggestion_name_hi")
    assert use.property("visible") is True
    tap(qtbot, d, "useSuggestion_name_hi")
    qtbot.waitUntil(lambda: kiosk.apply.raw_answers.get("name_hi") == "सुनीता देवी")
    qtbot.waitUntil(lambda: d.find("useSuggestion_name_hi") is None
                    or d.find("useSuggestion_name_hi").property("visible") is False)


def test_a_hindi_name_suggests_the_english_one_and_own_typing_wins(
        qtbot: Any, kiosk: KioskUi, drive: Callable[[KioskUi], Any]) -> None:
    d = drive(kiosk)
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    kiosk.apply.setAnswer("name_hi", "रामप्रसाद शर्मा")
    english_box = d.wait_for("input_name_en")
    qtbot.waitUntil(lambda: english_box.property("placeholderText") == "Ramprasad Sharma")
    type_into(qtbot, d, "name_en", "R P Sharma")
    use = d.find("useSuggestion_name_en")
    assert use is None or use.property("visible") is False
    assert kiosk.apply.raw_answers["name_en"] == "R P Sharma"


def test_suggestions_are_wiped_with_the_session(qtbot: Any, kiosk: KioskUi,
                                                drive: Callable[[KioskUi], Any]) -> None:
    d = drive(kiosk)
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    kiosk.apply.setAnswer("name_en", "Ram Kumar")
    assert kiosk.apply.property("nameSuggestions") == {"name_hi": "राम कुमार"}
    kiosk.session.resetSession()
    assert kiosk.apply.property("nameSuggestions") == {}


def test_the_banner_goes_when_the_last_error_is_fixed(
        qtbot: Any, kiosk: KioskUi, drive: Callable[[KioskUi], Any]) -> None:
    """Issue 14: "some answers need to be corrected" stayed after every answer was fixed."""
    d = drive(kiosk)
    open_apply(d, "en")
    tap(qtbot, d, "service_INC")
    vm = kiosk.apply
    vm.next()                                      # nothing filled in: errors + banner
    errors = dict(vm.property("fieldErrors"))
    assert errors and vm.property("formMessage") != ""
    for key in errors:
        vm.setAnswer(key, "x")
        if key != list(errors)[-1]:
            assert vm.property("formMessage") != ""   # still errors left: it stays
    assert vm.property("fieldErrors") == {} and vm.property("formMessage") == ""
