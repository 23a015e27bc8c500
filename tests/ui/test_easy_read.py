"""Easy reading (the top bar's A+): every text larger for this citizen, and the next citizen
starts without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config import Config
from kiosk.ui.app import KioskUi


def test_a_plus_makes_text_larger_and_the_next_citizen_starts_without_it(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    d.tap("startHi")
    d.wait_for("easyReadButton")
    d.tap("tile_apply")
    d.tap("service_INC")
    field = d.wait_for("input_name_hi")
    normal = int(field.property("font").pixelSize())
    d.tap("easyReadButton")
    qtbot.waitUntil(lambda: int(field.property("font").pixelSize()) > normal)
    assert int(field.property("font").pixelSize()) == round(normal * 1.25)
    assert kiosk.session.property("easyRead") is True
    kiosk.session.resetSession()
    assert kiosk.session.property("easyRead") is False
