"""The relative's field says the relation the citizen chose: "Husband's name" once Husband is
tapped, not "Father's / husband's / mother's name" (issue 14), on the form and on the review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_application_flow import fill_by_slots, open_apply, tap

from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import SAMPLE_ADDRESS, SAMPLE_APPLICANT, SAMPLE_INCOME

GENERIC = {"hi": "पिता / पति / माता का नाम", "en": "Father's / husband's / mother's name"}
HUSBAND = {"hi": "पति का नाम", "en": "Husband's name"}
MOTHER = {"hi": "माता का नाम", "en": "Mother's name"}


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_relatives_label_follows_the_relation_chosen(
        lang: str, qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_apply(d, lang)
    tap(qtbot, d, "service_INC")
    label = d.wait_for("label_relative_name")
    assert label.property("text") == GENERIC[lang]      # nothing chosen yet
    tap(qtbot, d, "choice_relation_husband")
    qtbot.waitUntil(lambda: label.property("text") == HUSBAND[lang])
    tap(qtbot, d, "choice_relation_mother")
    qtbot.waitUntil(lambda: label.property("text") == MOTHER[lang])
    assert d.wait_for("label_relative_name") is label   # the form was not rebuilt


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_review_names_the_relation_chosen(
        lang: str, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    open_apply(d, lang)
    assert SAMPLE_APPLICANT["relation"] == "husband"
    fill_by_slots(kiosk, "INC", {**SAMPLE_APPLICANT, **SAMPLE_ADDRESS, **SAMPLE_INCOME})
    d.wait_for("applyReviewPage")
    assert d.text("reviewLabel_relative_name") == HUSBAND[lang]
