"""Technician actions on the kiosk land in the kiosk's own hash-chained audit trail.

Through the real QML, offscreen, over the simulated devices: a refused PIN, the log-in, a
device test, a reprint from the print journal, Exit, and a second visit ended by the idle
timeout — each is one entry in ``kiosk.sqlite3``'s ``audit_log`` with its ``audit.entry`` in the
outbox, the chain verifies, and the GUI thread's own connection never touched the trail.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from driver import UiDriver
from pytestqt.qtbot import QtBot
from test_diagnostics import _devices_kiosk, _open_diagnostics, _shown, _type_pin
from test_gui_thread_sql import gui_thread_statements

from kiosk.auth_pin import DEFAULT_PIN
from kiosk.centre import audit
from kiosk.config import Config
from kiosk.devices.sim import sim_registry
from kiosk.errors import PrinterError
from kiosk.queue import Priority
from kiosk.ui.app import KioskUi


def _trail(config: Config) -> list[tuple[str, str | None, dict[str, Any]]]:
    """The kiosk trail as a separate reader sees it (not the GUI thread's connection)."""
    conn = sqlite3.connect(config.db_path)
    try:
        return [(e.action, e.operator_id, e.detail) for e in audit.entries(conn, limit=1000)]
    except sqlite3.OperationalError:  # no trail yet
        return []
    finally:
        conn.close()


def test_technician_actions_are_recorded_in_the_kiosk_trail(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(default_language="en", idle_countdown_seconds=1)
    kiosk = _devices_kiosk(kiosk_factory, config)
    assert kiosk.printer is not None
    sim = sim_registry.get("printer")
    token = kiosk.tokens.issue("C", Priority.GENERAL, "en")
    sim.paper = "out"
    with pytest.raises(PrinterError):
        kiosk.printer.print_token(token, "en")
    sim.paper = "ok"
    with sqlite3.connect(config.db_path) as conn:
        (failed_id,) = conn.execute("SELECT id FROM print_jobs WHERE state = 'failed'").fetchone()
    d = drive(kiosk)
    diag = kiosk.diagnostics

    with gui_thread_statements(kiosk) as seen:
        _type_pin(d, "1357")                                   # refused
        qtbot.waitUntil(lambda: _shown(d, "pinMessage") != "", timeout=5000)
        for digit in DEFAULT_PIN:                              # accepted
            d.tap(f"pinKey_{digit}")
        d.tap("pinOk")
        d.wait_for("diagnosticsScreen", timeout=5000)
        d.tap("deviceTest_rdservice")
        qtbot.waitUntil(lambda: any(r["name"] == "rdservice" and r["hasResult"]
                                    and not r["running"] for r in diag.devices), timeout=10000)
        d.tap("tab_journal")
        qtbot.waitUntil(lambda: not diag.journalLoading)
        qtbot.wait(50)  # let the rows settle into their layout
        d.tap(f"reprint_{failed_id}")
        qtbot.waitUntil(lambda: "reprinted" in _shown(d, "journalNotice"), timeout=20000)
        d.tap("diagExit")
        qtbot.waitUntil(lambda: d.screen() == "attract")
        qtbot.waitUntil(lambda: len(_trail(config)) == 5, timeout=10000)

        _open_diagnostics(d)                                   # second visit, left alone
        kiosk.session._idle_expired()  # what the idle timer does; the 1 s countdown follows
        qtbot.waitUntil(lambda: d.screen() == "attract", timeout=8000)
        qtbot.waitUntil(lambda: len(_trail(config)) == 7, timeout=10000)
    touched = [s for s in seen if "audit_" in s]
    assert touched == [], touched

    trail = _trail(config)
    assert [a for a, _op, _d in trail] == [
        "technician.login_refused", "technician.login", "device.self_test",
        "token.slip_reprinted", "technician.logout", "technician.login", "technician.logout"]
    assert {op for _a, op, _d in trail} == {"technician"}
    refused, login, test, reprint, out_exit, _again, out_idle = (d for _a, _op, d in trail)
    assert refused == {"failures": 1, "locked": False}
    assert login == {"default_pin": True}
    assert test == {"device": "rdservice", "ok": True}
    assert reprint["job"] == failed_id and reprint["token"] == token.number
    assert reprint["ok"] is True and reprint["state"] == "confirmed"
    assert (out_exit, out_idle) == ({"reason": "exit"}, {"reason": "idle"})

    with sqlite3.connect(config.db_path) as conn:
        assert audit.verify(conn).ok
        assert audit.trail_source(conn) == "kiosk"
        keys = [str(r[0]) for r in conn.execute(
            "SELECT idempotency_key FROM outbox WHERE kind = 'audit.entry' ORDER BY id")]
    assert keys == [f"audit.entry:kiosk:{i}" for i in range(1, 8)]
