"""Issue 14: the English home title was cut ("What would you like to…") in the top bar, and
with larger text (A+) the status answer ran off a landscape screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPointF

from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot import drive_to, sample_printer_for


@pytest.mark.parametrize("easy", [False, True], ids=["normal", "easy"])
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_home_title_is_shown_whole_in_portrait(
        lang: str, easy: bool, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config(), size=(1080, 1920))
    drive_to(kiosk, "home_easy" if easy else "home", lang)
    d = drive(kiosk)
    title = d.wait_for("topBarTitle")
    d.wait_until(lambda: title.height() > 0, "the title laid out")
    assert title.property("truncated") is False, title.property("text")
    centre = d.wait_for("topBarCentre")  # the centre's name under it is not cut either
    assert centre.property("truncated") is False, centre.property("text")


def test_the_status_answer_stays_on_a_landscape_screen_with_larger_text(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config(), size=(1920, 1080),
                          printer=sample_printer_for("status_found"))
    drive_to(kiosk, "status_found_easy", "en")
    d = drive(kiosk)
    card = d.wait_for("statusResultCard")
    d.wait_until(lambda: card.height() > 0, "the answer laid out")
    bottom = card.mapToScene(QPointF(0, card.height())).y()
    assert bottom <= 1080
    flick = d.wait_for("statusResultFlick")
    assert float(flick.property("contentHeight")) > flick.height()   # it scrolls instead
    assert d.wait_for("statusApplicationNo").property("truncated") is False
