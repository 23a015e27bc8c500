"""Fewer answers (issue 14): district and tehsil tapped from lists, the village found by a few
letters with its PIN, nothing of it left for the next citizen; the review's per-section Edit
and the payment page's Back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF
from test_application_flow import fill_by_slots, open_apply, tap, type_into

from kiosk.catalogue.places import load_places
from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import SAMPLE_ADDRESS, SAMPLE_APPLICANT, SAMPLE_INCOME


def _to_address(qtbot: Any, kiosk: KioskUi, d: Any, lang: str) -> None:
    open_apply(d, lang)
    tap(qtbot, d, "service_INC")
    vm = kiosk.apply
    for key, value in SAMPLE_APPLICANT.items():
        vm.setAnswer(key, value)
    vm.next()
    qtbot.waitUntil(lambda: vm.property("stepKey") == "address")
    _settled(qtbot, d.wait_for("field_district"))


def _settled(qtbot: Any, item: Any) -> None:
    """Wait for the new step's first layout pass (the page is polished before its first frame
    is drawn, so a citizen never sees the step unsettled, but a test can tap that fast)."""
    seen: list[float] = []

    def still() -> bool:
        seen.append(item.mapToScene(QPointF(0, 0)).y())
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

    qtbot.waitUntil(still)


def test_all_55_districts_with_hindi_names_and_pins() -> None:
    places = load_places()
    assert len(places.districts) == 55
    assert all(d.name.hi and d.name.en and len(d.hq_pin) == 6 for d in places.districts)
    assert places.district("भोपाल") is places.district("bhopal")
    assert sum(1 for d in places.districts if d.tehsils) >= 12
    assert all(d.offices for d in places.districts)


def test_district_tehsil_village_by_taps_fill_the_pin(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _to_address(qtbot, kiosk, d, "hi")
    tap(qtbot, d, "place_district_भोपाल")            # the kiosk's own district comes first
    qtbot.waitUntil(lambda: vm.raw_answers.get("district") == "भोपाल")
    assert d.wait_for("input_pin").property("text") == "46"   # every Bhopal PIN begins so
    tap(qtbot, d, "place_tehsil_हुज़ूर")
    qtbot.waitUntil(lambda: vm.raw_answers.get("tehsil") == "हुज़ूर")
    type_into(qtbot, d, "village", "sukh")
    choice = next(c for c in vm.property("placeChoices")["village"] if c["detail"] == "462010")
    tap(qtbot, d, f"place_village_{choice['value']}")
    qtbot.waitUntil(lambda: d.wait_for("input_pin").property("text") == "462010")
    assert vm.raw_answers["pin"] == "462010"
    assert vm.property("placeChoices")["village"] == []   # chosen: the list goes


def test_a_pin_typed_by_the_citizen_is_never_overwritten(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _to_address(qtbot, kiosk, d, "en")
    type_into(qtbot, d, "pin", "463106")
    tap(qtbot, d, "place_district_Bhopal")
    qtbot.waitUntil(lambda: vm.raw_answers.get("district") == "Bhopal")
    assert vm.raw_answers["pin"] == "463106"


def test_all_districts_and_the_place_lists_are_forgotten_between_citizens(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    _to_address(qtbot, kiosk, d, "en")
    tap(qtbot, d, "placesAll_district")
    qtbot.waitUntil(lambda: len(vm.property("placeChoices")["district"]) == 55)
    tap(qtbot, d, "place_district_Indore")
    qtbot.waitUntil(lambda: vm.raw_answers.get("pin", "").startswith("45"))
    kiosk.session.resetSession()
    assert vm.raw_answers == {} and vm.property("placesShowAll") is False
    assert vm.property("placeChoices") == {}
    _to_address(qtbot, kiosk, d, "en")
    # the kiosk's own district is chosen again, with its PIN digits: nothing of Indore's
    assert [c["value"] for c in vm.property("placeChoices")["district"]] == ["Bhopal"]
    assert vm.raw_answers["district"] == "Bhopal"
    assert d.wait_for("input_pin").property("text") == "46"


def test_review_edit_goes_to_the_step_and_next_comes_back(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    open_apply(d, "en")
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    d.wait_for("applyReviewPage")
    tap(qtbot, d, "edit_address")                       # one tap to the village
    qtbot.waitUntil(lambda: vm.property("stepKey") == "address")
    assert d.text("nextButton") == "Back to the review"
    type_into(qtbot, d, "village", "Berasia Road")
    tap(qtbot, d, "nextButton")                         # one tap back
    d.wait_for("applyReviewPage")
    assert d.text("review_village") == "Berasia Road"


def test_payment_back_shows_the_saved_review_and_returns(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    open_apply(d, "en")
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    tap(qtbot, d, "consentCheck")
    tap(qtbot, d, "submitButton")
    d.wait_for("applyPaymentPage", timeout=10000)
    tap(qtbot, d, "navBack")
    d.wait_for("applyReviewPage")
    assert vm.property("saved") is True
    assert d.find("edit_address") is None and d.find("consentCheck") is None
    assert d.text("submitButton") == "Continue to payment"
    tap(qtbot, d, "submitButton")
    d.wait_for("applyPaymentPage")
    tap(qtbot, d, "payCashButton")
    d.wait_for("applyAckPage")
    assert vm.ack.property("applicationNo") != ""
