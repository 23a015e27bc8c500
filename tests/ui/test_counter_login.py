"""Operator log-in at the counter console, driven offscreen against a real centre service."""

from __future__ import annotations

import re
from typing import Any

from counter_helpers import PIN, centre, counter_factory  # noqa: F401

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def test_typed_id_and_pin_open_the_console(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1")
    drive.log_in("op1", PIN)
    assert "Sunita Verma" in drive.text("operatorLabel")
    assert drive.ui.console.property("counterState") == "open"
    assert drive.wait_for("servingIdle") is not None  # nobody called yet


def test_wrong_pin_is_refused_in_both_languages(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1")
    drive.wait_online()
    drive.type_into("operatorIdField", "op1")
    drive.type_into("pinField", "9137")
    drive.enter("pinField")
    drive.wait_for("loginMessage")
    # The centre's own refusal, in both languages, with the tries left before the lock-out.
    english, hindi = drive.text("loginMessage"), drive.text("loginMessageOther")
    assert "Wrong PIN" in english and "4" in english, english
    assert DEVANAGARI.search(hindi) and "4" in hindi, hindi
    assert drive.find("counterLoginScreen") is not None
    assert not drive.ui.login.property("loggedIn")
    assert drive.text("pinField") == ""  # a refused PIN is not left in the field


def test_simulated_staff_card_then_pin(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("2", devices=True)
    assert drive.ui.devices_ready(10)
    drive.wait_online()
    drive.click("testCardButton")
    drive.wait_for("credentialChip")
    assert "Staff card" in drive.text("credentialText")
    assert drive.find("operatorIdField") is None  # the card said who; only the PIN is asked
    drive.type_into("pinField", PIN)
    drive.enter("pinField")
    drive.wait_for("counterConsoleScreen")
    assert drive.ui.login.property("operatorId") == "op1"


def test_test_buttons_only_while_devices_are_simulated(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1", devices=False)
    drive.wait_for("loginButton")
    assert drive.find("testCardButton") is None
    assert drive.find("testFingerButton") is None


def test_idle_logout_counts_down_then_logs_out(counter_factory: Any,  # noqa: F811
                                               centre: Any) -> None:  # noqa: F811
    drive = counter_factory("1", idle_logout_s=3)
    drive.log_in("op1", PIN)
    drive.wait_for("idleCountdown", timeout=4000)
    drive.wait_for("counterLoginScreen", timeout=6000)
    assert "Logged out after" in drive.text("loginMessage")
    # the centre closed the counter too (the session is gone, not only the screen)
    drive.qtbot.waitUntil(lambda: drive.ui.console.property("counterState") == "closed",
                          timeout=5000)
    # ... and its audit trail says why: an idle log-out, not the operator's own.
    from kiosk.centre import audit

    def logouts() -> list[tuple[str | None, str | None, dict[str, Any]]]:
        return [(e.operator_id, e.counter, e.detail)
                for e in audit.matching(centre.store.conn, action="operator.logout")]

    drive.qtbot.waitUntil(lambda: logouts() != [], timeout=5000)
    assert logouts() == [("op1", "1", {"reason": "idle"})]


def test_simulated_finger_matched_on_the_module_then_pin(counter_factory: Any) -> None:  # noqa: F811
    """1:N search on the counter's own module: only the slot number goes to the centre."""
    drive = counter_factory("3", devices=True)
    assert drive.ui.devices_ready(10)
    drive.wait_online()
    drive.click("testFingerButton")
    drive.wait_for("credentialChip", timeout=15000)
    assert drive.ui.login.property("credential") == "finger"
    drive.type_into("pinField", PIN)
    drive.enter("pinField")
    drive.wait_for("counterConsoleScreen")
    assert drive.ui.login.property("operatorId") == "op1"


def test_disabled_operator_is_refused_in_both_languages(counter_factory: Any,  # noqa: F811
                                                        centre: Any) -> None:  # noqa: F811
    from datetime import UTC, datetime

    from kiosk.centre import operators

    with centre.store.transaction() as conn:
        operators.disable_operator(conn, "op1", now=datetime.now(UTC))
    drive = counter_factory("1", lang="hi")
    drive.wait_online()
    drive.type_into("operatorIdField", "op1")
    drive.type_into("pinField", PIN)
    drive.enter("pinField")
    drive.wait_for("loginMessage")
    assert DEVANAGARI.search(drive.text("loginMessage"))
    assert "disabled" in drive.text("loginMessageOther").lower()
    assert not drive.ui.login.property("loggedIn")


def test_empty_fields_are_explained_before_asking_the_centre(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1")
    drive.wait_online()
    drive.click("loginButton")
    drive.wait_text("loginMessage", "operator ID")
    drive.type_into("operatorIdField", "op1")
    drive.click("loginButton")
    drive.wait_text("loginMessage", "PIN")


def test_unknown_card_is_refused_in_both_languages(counter_factory: Any) -> None:  # noqa: F811
    from kiosk.devices.sim import sim_registry

    drive = counter_factory("2", devices=True, lang="hi")
    assert drive.ui.devices_ready(10)
    drive.wait_online()
    drive.qtbot.waitUntil(lambda: drive.ui.login.property("cardReaderReady"), timeout=8000)
    reader = sim_registry.simulator("card_reader")
    reader.present("0F0F0F0F0F")  # nobody's card
    drive.wait_for("credentialChip")
    reader.remove()
    drive.type_into("pinField", PIN)
    drive.enter("pinField")
    drive.wait_text("loginMessageOther", "not registered")
    assert DEVANAGARI.search(drive.text("loginMessage"))
    assert not drive.ui.login.property("loggedIn")


def test_repeated_wrong_pins_lock_the_log_in(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1")
    drive.wait_online()
    drive.type_into("operatorIdField", "op1")
    for _ in range(5):
        drive.type_into("pinField", "9137")
        drive.enter("pinField")
        drive.qtbot.waitUntil(lambda: not drive.ui.login.property("busy"), timeout=8000)
    drive.wait_text("loginMessage", "locked")
    drive.type_into("pinField", PIN)  # even the right PIN now waits out the lock
    drive.enter("pinField")
    drive.qtbot.waitUntil(lambda: not drive.ui.login.property("busy"), timeout=8000)
    assert "locked" in drive.text("loginMessage")
    assert DEVANAGARI.search(drive.text("loginMessageOther"))
    assert not drive.ui.login.property("loggedIn")
