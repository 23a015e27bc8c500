"""Serving at the counter console: call, complete, transfer, break, the live waiting list.

Driven offscreen with the keyboard and mouse an operator uses, against a real centre service;
tokens are issued through the centre's client, as a kiosk does.
"""

from __future__ import annotations

import re
from typing import Any

from counter_helpers import PIN, centre, counter_factory, issue_token  # noqa: F401
from PySide6.QtCore import Qt

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _logged_in(counter_factory: Any, counter: str = "1", lang: str = "en") -> Any:  # noqa: F811
    drive = counter_factory(counter, lang=lang)
    drive.log_in("op1", PIN)
    return drive


def test_enter_calls_next_then_complete_serves_it(counter_factory: Any,  # noqa: F811
                                                  centre: Any) -> None:  # noqa: F811
    first = issue_token(centre, "C", "senior")
    issue_token(centre, "C")
    drive = _logged_in(counter_factory)
    drive.key(Qt.Key.Key_Return)  # Enter = call next
    drive.wait_text("servingToken", first["number"])
    assert drive.text("servingPriority") == "Senior citizen (60+)"
    assert drive.find("servingWaitedValue") is not None
    assert centre.service.token(first["id"])["state"] in ("called", "serving")
    drive.click("completeButton")
    drive.wait_for("servingIdle")  # nobody at the desk any more
    assert centre.service.token(first["id"])["state"] == "served"
    drive.wait_text("figureServedValue", "1")
    assert first["number"] in drive.text("consoleMessage")


def test_transfer_to_another_group(counter_factory: Any, centre: Any) -> None:  # noqa: F811
    token = issue_token(centre, "C")
    drive = _logged_in(counter_factory)
    drive.click("callNextButton")
    drive.wait_text("servingToken", token["number"])
    drive.key(Qt.Key.Key_F3)
    drive.wait_for("transferDialog")
    drive.click("transferGroup_A")
    drive.wait_for("servingIdle")  # nobody at the desk any more
    moved = centre.service.token(token["id"])
    assert moved["group"] == "A" and moved["state"] == "waiting"
    assert moved["issued_at"] == token["issued_at"]  # keeps its place by issue time
    drive.wait_text("waitingCount_A", "1")


def test_break_refuses_call_next_with_the_centres_message(counter_factory: Any,  # noqa: F811
                                                          centre: Any) -> None:  # noqa: F811
    issue_token(centre, "C")
    drive = _logged_in(counter_factory, lang="hi")
    drive.key(Qt.Key.Key_F7)
    drive.wait_for("breakNotice")
    assert drive.ui.console.property("onBreak")
    drive.key(Qt.Key.Key_Return)
    drive.qtbot.waitUntil(lambda: drive.ui.console.property("messageKind") == "error",
                          timeout=8000)
    hindi, english = drive.text("consoleMessage"), drive.text("consoleMessageOther")
    assert DEVANAGARI.search(hindi), hindi
    assert "break" in english.lower()
    assert not drive.ui.console.property("hasToken")  # nobody was called
    assert centre.service.snapshot()["waiting"], "the token is still waiting"
    drive.key(Qt.Key.Key_F7)  # resume
    drive.qtbot.waitUntil(lambda: not drive.ui.console.property("onBreak"), timeout=8000)
    drive.key(Qt.Key.Key_Return)
    drive.qtbot.waitUntil(lambda: drive.ui.console.property("hasToken"), timeout=8000)


def test_waiting_list_follows_tokens_issued_elsewhere(counter_factory: Any,  # noqa: F811
                                                      centre: Any) -> None:  # noqa: F811
    drive = _logged_in(counter_factory)
    drive.wait_text("waitingCount_C", "0")
    issue_token(centre, "C")
    drive.wait_text("waitingCount_C", "1")
    issue_token(centre, "C", "divyang")
    drive.wait_text("waitingCount_C", "2")
    assert drive.ui.waiting.property("totalWaiting") == 2
    row = next(g for g in drive.ui.waiting.property("groups") if g["group"] == "C")
    assert row["priorityWaiting"] == 1


def test_parked_token_returns_on_the_operators_word(counter_factory: Any,  # noqa: F811
                                                    centre: Any) -> None:  # noqa: F811
    token = issue_token(centre, "C")
    drive = _logged_in(counter_factory)
    drive.key(Qt.Key.Key_Return)
    drive.wait_text("servingToken", token["number"])
    drive.key(Qt.Key.Key_F4)  # park
    drive.wait_for(f"unpark_{token['number']}")
    assert centre.service.token(token["id"])["state"] == "parked"
    drive.click(f"unpark_{token['number']}")
    drive.qtbot.waitUntil(lambda: drive.find(f"unpark_{token['number']}") is None,
                          timeout=8000)
    assert centre.service.token(token["id"])["state"] == "waiting"


def test_transfer_to_a_named_counter(counter_factory: Any, centre: Any) -> None:  # noqa: F811
    token = issue_token(centre, "C")
    drive = _logged_in(counter_factory)
    drive.key(Qt.Key.Key_Return)
    drive.wait_text("servingToken", token["number"])
    drive.click("transferButton")
    drive.click("transferCounter_2")
    drive.wait_for("servingIdle")
    moved = centre.service.token(token["id"])
    assert moved["target_counter"] == "2" and moved["state"] == "waiting"
    assert token["number"] in drive.text("consoleMessage")
