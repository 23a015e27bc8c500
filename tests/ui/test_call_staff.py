""""Call staff": a kiosk asks, every logged-in counter shows which kiosk and when, "Going"
clears it on that desk; a second press within two minutes is the same request; a counter
cannot raise one; a kiosk without its centre tells the citizen to walk to a counter."""

from __future__ import annotations

from typing import Any

import pytest
from counter_helpers import PIN, centre, counter_factory  # noqa: F401

from kiosk.centre.client import CentreClient
from kiosk.centre.errors import ForbiddenError


def test_a_kiosk_asks_and_the_counter_shows_it(counter_factory: Any,  # noqa: F811
                                               centre: Any) -> None:  # noqa: F811
    drive = counter_factory("1", lang="en")
    drive.log_in("op1", PIN)
    token = centre.issue_credential("MP-BPL-HZR-K2", "kiosk")
    with CentreClient(centre.url, device_token=token) as kiosk:
        first = kiosk.request_help("apply")
        again = kiosk.request_help("apply")
    assert first["repeat"] is False and again == {**first, "repeat": True}
    drive.wait_for("helpCalls")
    drive.qtbot.waitUntil(lambda: any("MP-BPL-HZR-K2" in c for c in
                                      drive.ui.help_calls.property("calls")), timeout=8000)
    [line] = drive.ui.help_calls.property("calls")
    assert line.startswith("Kiosk MP-BPL-HZR-K2 asks for help (")
    assert "मदद" in drive.ui.help_calls.property("callsOther")[0]
    events = [r[0] for r in centre.store.conn.execute(
        "SELECT type FROM events WHERE type = 'help.requested'")]
    assert events == ["help.requested"]                  # the repeat added nothing
    drive.click("helpGoing")
    drive.qtbot.waitUntil(lambda: drive.find("helpCalls") is None, timeout=5000)


def test_only_a_kiosk_can_call_the_staff(centre: Any) -> None:  # noqa: F811
    token = centre.issue_credential("C-9", "counter")
    with CentreClient(centre.url, device_token=token) as client, \
            pytest.raises(ForbiddenError) as err:
        client.request_help()
    assert "कियोस्क" in err.value.user_message("hi")


def test_the_kiosk_button_tells_the_citizen(qtbot: Any, kiosk_factory: Any,
                                            make_config: Any) -> None:
    """With no centre link (a kiosk built without one) the citizen is sent to a counter; the
    next citizen starts without the message."""
    kiosk = kiosk_factory(make_config())
    kiosk.session.start()
    kiosk.session.chooseLanguage("hi")
    kiosk.help.callStaff()
    assert kiosk.help.property("state") == "unreachable"
    assert "काउंटर" in kiosk.help.property("text")
    kiosk.session.resetSession()
    assert kiosk.help.property("state") == ""


def test_the_kiosk_button_reaches_its_centre(qtbot: Any, kiosk_factory: Any, tmp_path: Any,
                                             drive: Any) -> None:
    """The real path: the top bar's button on a kiosk with its embedded centre service."""
    import socket
    import sqlite3

    from kiosk.config import load_config

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = load_config(data_dir=tmp_path / "data",
                         environ={"KIOSK_CENTRE__PORT": str(port)})
    kiosk = kiosk_factory(config, lang="en", use_default_printer=False, centre=True)
    kiosk.start_background_now()
    assert kiosk.centre_link is not None and kiosk.centre_link.wait_started(30)
    d = drive(kiosk)
    d.tap("startEn")
    d.tap("callStaffButton")
    qtbot.waitUntil(lambda: kiosk.help.property("state") == "coming", timeout=20000)
    assert "staff is coming" in kiosk.help.property("text")
    d.wait_for("helpBanner")
    with sqlite3.connect(config.centre_db_path) as conn:
        rows = conn.execute("SELECT body FROM events WHERE type = 'help.requested'").fetchall()
    assert len(rows) == 1 and '"screen": "home"' in rows[0][0]
