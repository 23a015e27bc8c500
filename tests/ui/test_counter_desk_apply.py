"""The operator's wizard and find screen, driven offscreen with the desk keyboard: from a called
token to an application stored at the centre, then found, its documents ticked, and reprinted.

Real QML, real centre service on loopback, real SQLite; the keys go where an operator's would.
"""

from __future__ import annotations

import json
from typing import Any

from counter_helpers import PIN, centre, counter_factory, issue_token  # noqa: F401
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest


def press(item: QQuickItem, key: Qt.Key, text: str = "",
          mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(item, QKeyEvent(kind, key, mods, text))


def type_text(item: QQuickItem, text: str) -> None:
    """What a desk keyboard (with its Hindi layout for Devanagari) puts into the field."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_Space
        press(item, key, ch)


def shortcut(drive: Any, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    window = drive.ui.window
    if not window.isActive():
        window.requestActivate()
        drive.qtbot.waitUntil(lambda: bool(window.isActive()), timeout=3000)
    QTest.keyClick(window, key, mods)


class Desk:
    """The wizard's fields by name, filled and left with Enter as an operator does."""

    def __init__(self, drive: Any) -> None:
        self.drive = drive
        self.wizard = drive.ui.desk_wizard

    def focused(self, name: str) -> QQuickItem:
        item = self.drive.wait_for(name)
        self.drive.qtbot.waitUntil(lambda: bool(item.hasActiveFocus()), timeout=3000)
        return item

    def fill(self, key: str, text: str) -> None:
        """Type into the field that has the focus (it must be ``key``), then Enter."""
        item = self.focused("deskField_" + key)
        item.setProperty("text", "")
        type_text(item, text)
        press(item, Qt.Key.Key_Return, "\r")

    def choose(self, key: str, downs: int) -> None:
        item = self.focused("deskChoice_" + key)
        for _ in range(downs):
            press(item, Qt.Key.Key_Down)
        press(item, Qt.Key.Key_Return, "\r")

    def wait_idle(self) -> None:
        self.drive.qtbot.waitUntil(lambda: not self.wizard.property("busy"), timeout=8000)


def test_from_a_called_token_to_a_stored_application_then_found_and_reprinted(
        counter_factory: Any, centre: Any) -> None:  # noqa: F811
    token = issue_token(centre, "C")
    drive = counter_factory("1", lang="en")
    drive.log_in("op1", PIN)
    drive.key(Qt.Key.Key_Return)  # Enter = call next
    drive.wait_text("servingToken", token["number"])
    desk = Desk(drive)
    ready: list[tuple[str, int]] = []
    desk.wizard.applicationReady.connect(lambda no, fee: ready.append((no, fee)))

    shortcut(drive, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    drive.wait_text("deskWizardToken", token["number"])
    service = desk.focused("deskServiceFilter")
    type_text(service, "inc")
    press(service, Qt.Key.Key_Return, "\r")
    drive.wait_text("deskWizardService", "Income certificate")

    # about the applicant: Hindi and English names side by side, Enter from field to field
    desk.fill("name_hi", "सुनीता देवी")
    desk.fill("name_en", "Sunita Devi")
    desk.choose("relation", 2)                    # father → husband
    desk.fill("relative_name", "Ramesh Kumar")
    desk.fill("dob", "15-08-1985")
    desk.choose("gender", 1)                      # female
    desk.fill("mobile", "12345")                  # a slip: refused by the kiosk's own rule
    desk.fill("aadhaar", "")                      # the last field: Enter checks the step
    desk.wait_idle()
    drive.wait_text("deskError_mobile", "10 digits")
    assert desk.wizard.property("stepKey") == "applicant"
    drive.click("deskField_mobile")
    desk.fill("mobile", "9876543210")
    desk.fill("aadhaar", "")
    drive.wait_for("deskField_village")           # on to the address
    assert drive.find("deskError_mobile") is None

    desk.fill("district", "Bhopal")               # the catalogue's order: district first
    desk.fill("tehsil", "Huzur")
    desk.fill("village", "Berasia Road")
    desk.fill("house", "12, Ward 4")
    desk.fill("pin", "462001")
    drive.wait_for("deskField_annual_income")     # the service's own questions
    desk.fill("annual_income", "84000")
    desk.choose("income_source", 2)               # wage labour
    desk.fill("family_members", "4")
    desk.choose("purpose", 1)                     # education
    drive.wait_for("deskDoc_aadhaar")             # documents and delivery
    drive.click("deskDoc_aadhaar")
    shortcut(drive, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter
    drive.wait_for("deskResultNumber", timeout=10000)

    number = str(desk.wizard.property("resultNumber"))
    row = centre.store.conn.execute(
        "SELECT token_id, counter, operator, fee_paise, answers FROM applications "
        "WHERE application_no = ?", (number,)).fetchone()
    assert row is not None and (row[0], row[1], row[2]) == (token["id"], "1", "op1")
    assert json.loads(row[4])["name_hi"] == "सुनीता देवी"
    assert ready == [(number, row[3])] and row[3] > 0
    assert "-900001-" in number
    seen = [r[0] for r in centre.store.conn.execute(
        "SELECT doc_key FROM documents_seen WHERE application_no = ?", (number,))]
    assert seen == ["aadhaar"]

    # "Take cash" on the result: back at the console, the cash panel has this application
    desk.wizard.takeCash()
    cash = drive.ui.cash
    drive.qtbot.waitUntil(lambda: cash.property("applicationNo") == number
                          and bool(cash.property("hasDue")) and not cash.property("busy"),
                          timeout=10000)
    assert "20.00" in str(cash.property("fee"))
    drive.wait_for("counterConsoleScreen")

    # Ctrl+F: found by the mobile's last digits; the look-up is in the audit trail
    shortcut(drive, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    query = desk.focused("deskFindQuery")
    type_text(query, "3210")
    press(query, Qt.Key.Key_Return, "\r")
    drive.wait_text("deskFindSelected", number)
    viewed = [json.loads(r[0]) for r in centre.store.conn.execute(
        "SELECT detail FROM audit_log WHERE action = 'application.viewed'")]
    assert [v.get("application_no") for v in viewed] == [None, number]  # search, then details
    drive.click("deskSeen_income_declaration")
    drive.click("deskSaveSeenButton")
    drive.wait_text("deskFindMessage", "saved")
    assert sorted(r[0] for r in centre.store.conn.execute(
        "SELECT doc_key FROM documents_seen WHERE application_no = ?", (number,))) == \
        ["aadhaar", "income_declaration"]
    drive.click("deskReprintButton")
    drive.qtbot.waitUntil(lambda: centre.store.conn.execute(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'application.ack_reprinted'"
    ).fetchone()[0] == 1, timeout=15000)
    shortcut(drive, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    drive.wait_for("counterConsoleScreen")


def test_ctrl_n_without_a_called_token_says_so(counter_factory: Any) -> None:  # noqa: F811
    drive = counter_factory("1", lang="hi")
    drive.log_in("op1", PIN)
    shortcut(drive, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    drive.wait_text("consoleMessage", "टोकन")
    assert not drive.ui.desk_wizard.property("active")
