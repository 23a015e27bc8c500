"""The counter's day-end screen, driven offscreen with the keyboard and mouse against a real
centre service: Ctrl+D opens it, the count is typed, the difference shows in colour and words,
a supervisor closes it, the waits-by-hour chart has a bar per hour, and it prints."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from counter_helpers import PIN, add_operator, centre, counter_factory, issue_token  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
SUP_PIN = "583920"


def _receipt(centre: Any, paise: int, seq: int) -> None:  # noqa: F811
    """A cash receipt of op1 at counter 1, as the desk's cash module writes it."""
    day = centre.service.today()
    with centre.store.transaction() as conn:
        conn.execute(
            "INSERT INTO cash_receipts (receipt_no, application_no, counter, day, seq, "
            "operator_id, amount_paise, taken_at) VALUES (?, ?, '1', ?, ?, 'op1', ?, ?)",
            (f"R-{seq}", f"APP-{seq}", day, seq, paise, datetime.now(UTC).isoformat()))


def test_day_end_with_a_difference_and_a_supervisor(counter_factory: Any,  # noqa: F811
                                                    centre: Any) -> None:  # noqa: F811
    add_operator(centre, operator_id="sup1", name="Meena Sharma", role="supervisor",
                 pin=SUP_PIN)
    issue_token(centre, "C")
    issue_token(centre, "A")
    _receipt(centre, 30000, 1)
    _receipt(centre, 12050, 2)
    drive = counter_factory("1", lang="en")
    drive.log_in("op1", PIN)
    drive.key(Qt.Key.Key_Return)          # call one, so the chart has a wait
    drive.qtbot.waitUntil(lambda: bool(drive.ui.console.property("hasToken")), timeout=8000)
    drive.click("completeButton")
    drive.wait_for("servingIdle")
    day_end = drive.ui.day_end
    assert day_end is not None
    QTest.keyClick(drive.ui.window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    drive.wait_for("dayEndScreen")
    drive.qtbot.waitUntil(lambda: bool(day_end.property("loaded")), timeout=8000)
    assert drive.text("dayEndExpected") == "₹420.50"
    assert drive.find("dayEndBar_" + datetime.now(centre.service.tz).strftime("%H")) is not None
    assert drive.text("dayEndFigure_issuedValue") == "1"   # the tokens of this counter
    drive.type_into("dayEndCountField", "400")
    drive.qtbot.waitUntil(lambda: day_end.property("differenceKind") == "short", timeout=3000)
    assert drive.text("dayEndDifference") == "−₹20.50"
    assert "short" in drive.text("dayEndDifferenceWords")
    drive.enter("dayEndCountField")       # Enter saves the count
    drive.qtbot.waitUntil(lambda: day_end.property("state") == "declared", timeout=8000)
    drive.wait_for("dayEndSupervisor")
    drive.click("dayEndClose")            # no supervisor typed: refused here, nothing sent
    drive.wait_text("dayEndMessage", "supervisor")
    drive.type_into("dayEndSupervisorId", "op1")
    drive.type_into("dayEndSupervisorPin", PIN)
    drive.click("dayEndClose")            # an operator cannot approve
    drive.qtbot.waitUntil(lambda: day_end.property("messageKind") == "error"
                          and "supervisor" in str(day_end.property("message")), timeout=8000)
    assert day_end.property("state") == "declared"
    field = drive.wait_for("dayEndSupervisorId")
    field.setProperty("text", "")
    drive.type_into("dayEndSupervisorId", "sup1")
    drive.type_into("dayEndSupervisorPin", SUP_PIN)
    drive.click("dayEndClose")
    drive.qtbot.waitUntil(lambda: day_end.property("state") == "closed", timeout=8000)
    row = centre.store.conn.execute(
        "SELECT expected_paise, declared_paise, difference_paise, supervisor_id, closed_at "
        "FROM day_ends").fetchone()
    assert tuple(row)[:4] == (42050, 40000, -2050, "sup1") and row[4]
    assert "sup1" in drive.text("dayEndState")
    # the centre's day: counter 1 is the asking one, nothing else open → closes
    drive.click("dayEndCloseDay")
    drive.qtbot.waitUntil(lambda: bool(day_end.property("dayClosed")), timeout=8000)
    # print on the counter's printer (a worker; the simulated printer)
    drive.click("dayEndPrint")
    drive.qtbot.waitUntil(lambda: not day_end.property("printing")
                          and day_end.property("messageKind") == "done", timeout=15000)
    assert "printed" in str(day_end.property("message"))
    QTest.keyClick(drive.ui.window, Qt.Key.Key_Escape)
    drive.qtbot.waitUntil(lambda: not day_end.property("visible"), timeout=3000)


def test_day_end_in_hindi_refuses_a_bad_count(counter_factory: Any,  # noqa: F811
                                              centre: Any) -> None:  # noqa: F811
    _receipt(centre, 5000, 1)
    drive = counter_factory("1", lang="hi")
    drive.log_in("op1", PIN)
    drive.click("dayEndButton")
    day_end = drive.ui.day_end
    drive.qtbot.waitUntil(lambda: bool(day_end.property("loaded")), timeout=8000)
    drive.wait_for("dayEndChartEmpty")    # no token yet: the chart says so
    drive.type_into("dayEndCountField", "50")
    drive.qtbot.waitUntil(lambda: day_end.property("differenceKind") == "zero", timeout=3000)
    assert DEVANAGARI.search(drive.text("dayEndDifferenceWords"))
    drive.enter("dayEndCountField")
    drive.qtbot.waitUntil(lambda: day_end.property("state") == "declared", timeout=8000)
    assert drive.find("dayEndSupervisor") is None     # zero difference: no supervisor
    drive.click("dayEndClose")
    drive.qtbot.waitUntil(lambda: day_end.property("state") == "closed", timeout=8000)
    assert DEVANAGARI.search(drive.text("dayEndMessage"))
