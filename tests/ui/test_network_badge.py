"""The online/offline badge and the token's trip to the backend, in the real kiosk window.

With no backend configured the kiosk starts the reference backend embedded on loopback; a
token a citizen takes is in the outbox at once and reaches the backend without anyone waiting.
With the backend unreachable, the badge says so and counts what waits to be sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from driver import UiDriver
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.app import KioskUi


def _outbox(config: Config) -> dict[str, int]:
    with sqlite3.connect(config.db_path) as conn:
        return dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())


def _issue_token(d: UiDriver) -> None:
    for name in ("startEn", "tileToken", "group_C", "priority_general"):
        d.tap(name)


def test_embedded_backend_receives_the_token_and_badge_says_online(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config, sync=True)
    d = drive(kiosk)
    runtime = kiosk.sync_ready()
    assert runtime is not None and runtime.status().embedded
    _issue_token(d)
    qtbot.waitUntil(lambda: kiosk.session.queue.property("tokenNumber") == "C-001",
                    timeout=10000)
    qtbot.waitUntil(lambda: _outbox(config).get("done", 0) == 1, timeout=15000)
    qtbot.waitUntil(lambda: kiosk.network.property("state") == "online"
                    and kiosk.network.property("waiting") == 0, timeout=5000)
    assert d.text("networkText") == "Online"


def test_unreachable_backend_shows_offline_and_waiting_count(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        offline_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    config = offline_config()
    kiosk = kiosk_factory(config, sync=True)
    d = drive(kiosk)
    _issue_token(d)
    qtbot.waitUntil(lambda: kiosk.session.queue.property("tokenNumber") == "C-001",
                    timeout=10000)
    qtbot.waitUntil(lambda: kiosk.network.property("state") == "offline"
                    and kiosk.network.property("waiting") == 1, timeout=15000)
    assert d.text("networkText").startswith("Offline")
    assert "1" in d.text("networkText")
    d.tap("langToggle")
    qtbot.waitUntil(lambda: "ऑफ़लाइन" in d.text("networkText")
                    or "ऑफलाइन" in d.text("networkText"), timeout=3000)
    states = _outbox(config)  # kept, not delivered; the worker may be mid-attempt
    assert sum(states.values()) == 1 and set(states) <= {"pending", "inflight"}
