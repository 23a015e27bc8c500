"""Fewer answers (issue 14), each tried on the real window offscreen: one tap starts in a
language, the focus follows the form (and never leaves a box the citizen chose, nor a wrong
answer), a small count is tiles, "I have all of these" ticks every document, the kiosk's own
district and tehsil are chosen (and shown chosen), and two letters find the village."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_application_flow import fill_by_slots, open_apply, press_keys, tap, type_into
from test_place_lists import _settled

from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import SAMPLE_ADDRESS, SAMPLE_APPLICANT, SAMPLE_INCOME


def _focused(d: Any, key: str) -> bool:
    box = d.find(f"input_{key}")
    return box is not None and bool(box.hasActiveFocus())


def _open_service(qtbot: Any, d: Any, lang: str, code: str = "INC") -> None:
    open_apply(d, lang)
    tap(qtbot, d, f"service_{code}")
    d.wait_for("applyFormPage")


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_one_tap_on_the_attract_screen_starts_in_that_language(
        lang: str, qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    other = "en" if lang == "hi" else "hi"
    kiosk = kiosk_factory(make_config(default_language=other))
    d = drive(kiosk)
    d.tap("startHi" if lang == "hi" else "startEn")
    d.wait_for("homeScreen")
    assert kiosk.session.property("language") == lang
    # the idle wipe goes back to the attract screen, in the default language
    kiosk.session.resetSession()
    d.wait_for("attractScreen")
    assert kiosk.session.property("language") == other
    # a tap anywhere else still asks for the language first
    d.tap("attractArea")
    d.wait_for("languageScreen")
    d.tap("langHi" if lang == "hi" else "langEn")
    d.wait_for("homeScreen")
    assert kiosk.session.property("language") == lang


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_applicant_step_opens_on_the_name_in_the_citizens_language(
        lang: str, qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _open_service(qtbot, d, lang)
    key = "name_hi" if lang == "hi" else "name_en"
    qtbot.waitUntil(lambda: _focused(d, key))
    press_keys(kiosk.window, "Kamal" if lang == "en" else "कमल")
    qtbot.waitUntil(lambda: kiosk.apply.raw_answers.get(key) in ("Kamal", "कमल"))


def test_focus_follows_choices_and_complete_numbers_and_stays_on_errors(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _open_service(qtbot, d, "en")
    qtbot.waitUntil(lambda: _focused(d, "name_en"))
    press_keys(kiosk.window, "Kamal Singh")
    tap(qtbot, d, "choice_relation_father")          # a choice: on to the relative's name
    qtbot.waitUntil(lambda: _focused(d, "relative_name"))
    press_keys(kiosk.window, "Ram Singh")
    tap(qtbot, d, "input_dob")
    qtbot.waitUntil(lambda: _focused(d, "dob"))
    press_keys(kiosk.window, "31021985")             # no 31 February: the focus stays
    qtbot.waitUntil(lambda: vm.raw_answers.get("dob") == "31021985")
    d.settle(100)
    assert _focused(d, "dob")
    type_into(qtbot, d, "dob", "15081985")           # a real date: on to the mobile
    qtbot.waitUntil(lambda: _focused(d, "mobile"))
    press_keys(kiosk.window, "1234567890")           # ten digits but no mobile number
    qtbot.waitUntil(lambda: vm.raw_answers.get("mobile") == "1234567890")
    d.settle(100)
    assert _focused(d, "mobile")
    # the citizen puts the focus on the Aadhaar box, then chooses the gender: it stays there
    tap(qtbot, d, "input_aadhaar")
    qtbot.waitUntil(lambda: _focused(d, "aadhaar"))
    tap(qtbot, d, "choice_gender_male")
    d.settle(100)
    assert _focused(d, "aadhaar")
    type_into(qtbot, d, "mobile", "9876543210")      # complete: on to the next empty box
    qtbot.waitUntil(lambda: _focused(d, "aadhaar"))
    assert vm.raw_answers["name_en"] == "Kamal Singh" and vm.raw_answers["gender"] == "male"


def test_a_step_that_comes_back_with_errors_takes_no_focus(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _open_service(qtbot, d, "en")
    qtbot.waitUntil(lambda: _focused(d, "name_en"))
    kiosk.window.contentItem().forceActiveFocus()   # the keyboard put away
    tap(qtbot, d, "nextButton")
    d.wait_for("error_name_en")
    kiosk.session.toggleLanguage()                  # the step is built again, errors on show
    qtbot.waitUntil(lambda: d.text("nextButton") == "आगे")
    d.wait_for("error_name_en")
    d.settle(100)
    assert not any(_focused(d, k) for k in ("name_hi", "name_en", "relative_name", "dob"))


def _to_step(qtbot: Any, kiosk: KioskUi, d: Any, lang: str, step: str,
             answers: dict[str, str]) -> None:
    _open_service(qtbot, d, lang)
    vm = kiosk.apply
    while vm.property("stepKey") != step:
        for key, value in answers.items():
            vm.setAnswer(key, value)
        vm.next()
    _settled(qtbot, d.wait_for("stepTitle"))


def test_the_family_size_is_one_tap_and_10_or_more_opens_the_box(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _to_step(qtbot, kiosk, d, "en", "service", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS})
    qtbot.waitUntil(lambda: _focused(d, "annual_income"))       # the step's first box
    assert d.find("input_family_members") is None            # no box: tiles
    for n in range(1, 10):
        assert d.find(f"count_family_members_{n}") is not None
    tap(qtbot, d, "count_family_members_5")
    qtbot.waitUntil(lambda: vm.raw_answers.get("family_members") == "5")
    assert d.find("count_family_members_5").property("checked") is True
    tap(qtbot, d, "count_family_members_more")
    box = d.wait_for("input_family_members")
    qtbot.waitUntil(lambda: box.isVisible() and box.hasActiveFocus())
    assert vm.raw_answers.get("family_members") == ""      # 5 is not "10 or more"
    press_keys(kiosk.window, "12")
    qtbot.waitUntil(lambda: vm.raw_answers.get("family_members") == "12")
    assert d.find("input_family_members") is box
    tap(qtbot, d, "count_family_members_3")                # back to a tile: the box goes
    qtbot.waitUntil(lambda: vm.raw_answers.get("family_members") == "3")
    d.wait_gone("input_family_members")


def test_i_have_all_of_these_ticks_every_document_and_says_so(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    open_apply(d, "en")
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    vm.back()                                               # review -> documents
    d.wait_for("applyDocumentsPage")
    docs = [row["key"] for row in vm.property("documents")]
    assert len(docs) >= 2
    tap(qtbot, d, "docsAll")
    qtbot.waitUntil(lambda: all(r["have"] for r in vm.property("documents")))
    assert vm.property("allDocuments") is True
    assert d.find("docsAll").property("checked") is True
    assert d.find("docsAll").property("subText") == "All of them are ticked. Tap one to untick it."
    tap(qtbot, d, f"doc_{docs[0]}")                         # a single tick still works
    qtbot.waitUntil(lambda: vm.property("allDocuments") is False)
    assert d.find("docsAll").property("checked") is False
    assert [r["have"] for r in vm.property("documents")] == [False] + [True] * (len(docs) - 1)
    tap(qtbot, d, "docsAll")
    qtbot.waitUntil(lambda: vm.property("allDocuments") is True)
    tap(qtbot, d, "docsAll")                                # and all of them off again
    qtbot.waitUntil(lambda: not any(r["have"] for r in vm.property("documents")))


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_kiosks_district_and_tehsil_are_chosen_and_shown_chosen(
        lang: str, qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config(tehsil="Huzur"))
    d = drive(kiosk)
    vm = kiosk.apply
    _to_step(qtbot, kiosk, d, lang, "address", SAMPLE_APPLICANT)
    bhopal, huzur = ("भोपाल", "हुज़ूर") if lang == "hi" else ("Bhopal", "Huzur")
    assert vm.raw_answers["district"] == bhopal and vm.raw_answers["tehsil"] == huzur
    assert d.wait_for("input_district").property("text") == bhopal     # seen, not silent
    assert d.wait_for("input_tehsil").property("text") == huzur
    assert d.wait_for("input_pin").property("text") == "46"
    assert d.wait_for(f"place_district_{bhopal}").property("kind") == "primary"   # chosen
    assert d.wait_for(f"place_tehsil_{huzur}").property("kind") == "primary"
    other = "बैरसिया" if lang == "hi" else "Berasia"
    assert d.wait_for(f"place_tehsil_{other}").property("kind") == "secondary"
    qtbot.waitUntil(lambda: _focused(d, "village"))       # the first empty box
    # the other districts are a tap away; the PIN follows the one tapped
    tap(qtbot, d, "placesAll_district")
    qtbot.waitUntil(lambda: len(vm.property("placeChoices")["district"]) == 55)
    indore = "इंदौर" if lang == "hi" else "Indore"
    tap(qtbot, d, f"place_district_{indore}")
    qtbot.waitUntil(lambda: vm.raw_answers.get("pin", "").startswith("45"))


def test_without_a_tehsil_configured_nothing_is_chosen_for_it(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _to_step(qtbot, kiosk, d, "en", "address", SAMPLE_APPLICANT)
    assert vm.raw_answers["district"] == "Bhopal" and not vm.raw_answers.get("tehsil")
    assert d.wait_for("place_tehsil_Huzur").property("kind") == "secondary"
    d.settle(100)
    assert not _focused(d, "village")        # the tehsil's tiles come first: no keyboard
    tap(qtbot, d, "place_tehsil_Huzur")      # a tile tapped: on to the village's box
    qtbot.waitUntil(lambda: _focused(d, "village"))
    # a citizen who clears the district is not given it back
    type_into(qtbot, d, "district", "")
    vm.back()
    vm.next()
    qtbot.waitUntil(lambda: vm.property("stepKey") == "address")
    assert vm.raw_answers["district"] == ""


def test_two_letters_show_the_village_to_tap(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config(tehsil="Huzur"))
    d = drive(kiosk)
    vm = kiosk.apply
    _to_step(qtbot, kiosk, d, "en", "address", SAMPLE_APPLICANT)
    qtbot.waitUntil(lambda: _focused(d, "village"))
    press_keys(kiosk.window, "s")
    qtbot.waitUntil(lambda: vm.raw_answers.get("village") == "s")
    assert d.find("place_village_Sukhi Sewania") is None
    press_keys(kiosk.window, "u")
    tap(qtbot, d, "place_village_Sukhi Sewania")
    qtbot.waitUntil(lambda: vm.raw_answers.get("pin") == "462010")
    assert vm.raw_answers["village"] == "Sukhi Sewania"
