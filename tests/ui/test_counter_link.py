"""The console and a centre service that goes away and comes back (a restart, a pulled cable)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from counter_helpers import PIN, centre, counter_factory, issue_token  # noqa: F401
from PySide6.QtCore import Qt

from kiosk.centre.runtime import start_centre


def test_console_rides_out_a_centre_restart(counter_factory: Any,  # noqa: F811
                                            centre: Any) -> None:  # noqa: F811
    drive = counter_factory("1")
    drive.log_in("op1", PIN)
    drive.wait_for("centreBadge")
    config, port = centre.config, urlparse(centre.url).port
    centre.close()
    drive.qtbot.waitUntil(lambda: drive.ui.link.property("state") == "offline", timeout=10000)
    drive.key(Qt.Key.Key_Return)
    drive.wait_text("consoleMessage", "cannot be reached")
    assert drive.ui.login.property("loggedIn")  # a dead link does not throw the operator out
    again = start_centre(config, port=port, forward=False)
    try:
        drive.qtbot.waitUntil(lambda: drive.ui.link.property("state") == "online",
                              timeout=15000)
        token = issue_token(again, "C")
        drive.wait_text("waitingCount_C", "1", timeout=15000)  # the event stream resumed
        drive.key(Qt.Key.Key_Return)  # the operator's session survived the restart
        drive.wait_text("servingToken", token["number"])
    finally:
        drive.ui.link.close()  # stop following before the restarted service goes away
        again.close()


def test_session_ended_by_the_centre_returns_to_log_in(counter_factory: Any) -> None:  # noqa: F811
    """Someone logs in at the same counter elsewhere: this console's session is closed there,
    and its next action brings the log-in back with the centre's own words."""
    first = counter_factory("1")
    first.log_in("op1", PIN)
    second = counter_factory("1")
    second.log_in("op1", PIN)
    first.key(Qt.Key.Key_Return)
    first.wait_for("counterLoginScreen")
    assert "log in again" in first.text("loginMessage").lower()
