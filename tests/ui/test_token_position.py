"""The token screen of a kiosk in a centre: the number from the centre service, and the live
position while the token is on screen (people ahead, the wait range, "go to counter 1")."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import Config, load_config
from kiosk.ui.app import KioskUi
from tests.centre_kiosk.conftest import CentreProcessless

PIN = "7391"


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[CentreProcessless]:
    c = CentreProcessless(tmp_path / "centre").start()
    yield c
    c.stop()


def _config(tmp_path: Path, url: str) -> Config:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[centre]\nurl = "{url}"\nenrolment_code = "test-enrol"\n'
                   '[backend]\nkiosk_id = "K-UI"\n', encoding="utf-8")
    return load_config(cfg, data_dir=tmp_path / "data", environ={})


def _value(d: object, name: str) -> str:
    return str(d.wait_for(name).property("value"))  # type: ignore[attr-defined]


def _login(centre: CentreProcessless) -> str:
    from kiosk.centre import operators

    assert centre.store is not None and centre.service is not None
    with centre.store.transaction() as conn:
        operators.add_operator(conn, operator_id="op-1", name="Operator 1", role="operator",
                               pin=PIN, now=datetime.now(ZoneInfo("Asia/Kolkata")))
    return str(centre.service.login("1", PIN, operator_id="op-1")["session_token"])


def test_token_screen_shows_the_centres_number_and_live_position(
        tmp_path: Path, centre: CentreProcessless, qtbot: object,
        kiosk_factory: Callable[..., KioskUi], drive: Callable[[KioskUi], object]) -> None:
    assert centre.service is not None
    for _ in range(2):  # two citizens from another kiosk are already waiting for C
        centre.service.issue(str(uuid.uuid4()), "C", "general", "hi", "K-OTHER")
    config = _config(tmp_path, centre.url)
    kiosk = kiosk_factory(config, lang="en", use_default_printer=False, centre=True)
    kiosk.start_background_now()
    assert kiosk.centre_link is not None and kiosk.centre_link.wait_started(20)
    d = drive(kiosk)
    d.tap("startEn")  # type: ignore[attr-defined]
    d.tap("tileToken")  # type: ignore[attr-defined]
    d.tap("group_C")  # type: ignore[attr-defined]
    d.tap("priority_general")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.property("screen") == "token",  # type: ignore[attr-defined]
                    timeout=20000)
    token = kiosk.session.queue.token
    assert token is not None and token.estimate == "no_counter"
    # the centre's number (its leased block is C-5001..C-5050, apart), shown as it is
    assert token.number == "C-003" == d.text("tokenNumber")  # type: ignore[attr-defined]
    with sqlite3.connect(config.db_path) as conn:  # committed here before it was shown
        assert conn.execute("SELECT number FROM tokens").fetchall() == [("C-003",)]
    assert _value(d, "peopleAhead") == "2"
    assert _value(d, "waitTime") == "—"
    assert d.text("positionNote") == "No counter is serving this service yet."  # type: ignore[attr-defined]

    # a senior citizen arrives at another kiosk: called before us, so one more ahead
    centre.service.issue(str(uuid.uuid4()), "C", "senior", "hi", "K-OTHER")
    qtbot.waitUntil(lambda: _value(d, "peopleAhead") == "3", timeout=10000)  # type: ignore[attr-defined]
    # a counter opens: the wait becomes a range
    session = _login(centre)
    qtbot.waitUntil(lambda: "minutes" in _value(d, "waitTime"), timeout=10000)  # type: ignore[attr-defined]
    assert _value(d, "waitTime").startswith(("about ", "up to "))
    # the counter serves the three ahead, then calls us
    for _ in range(3):
        centre.service.act("1", "call-next", session)
        centre.service.act("1", "complete", session)
    called = centre.service.act("1", "call-next", session)["token"]
    assert called["id"] == token.id
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: d.text("positionNote") == "Your number is being called. "  # type: ignore[attr-defined]
                                          "Please go to counter 1 now.", timeout=10000)
    kiosk.session.setLanguage("hi")
    qtbot.waitUntil(lambda: "काउंटर 1" in d.text("positionNote"),  # type: ignore[attr-defined]
                    timeout=5000)


def test_a_kiosk_without_a_centre_url_embeds_one_that_others_on_the_machine_join(
        tmp_path: Path, qtbot: object, kiosk_factory: Callable[..., KioskUi]) -> None:
    import json
    import os
    import subprocess
    import sys
    import urllib.request

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[centre]\nport = 0\n", encoding="utf-8")  # 0: any free port (a test)
    config = load_config(cfg, data_dir=tmp_path / "data", environ={})
    kiosk = kiosk_factory(config, lang="en", use_default_printer=False, centre=True)
    kiosk.start_background_now()
    assert kiosk.centre_link is not None and kiosk.centre_link.wait_started(30)
    url = (config.data_dir / "centre.url").read_text().strip()
    with urllib.request.urlopen(f"{url}/v1/health", timeout=5) as resp:  # noqa: S310
        assert json.loads(resp.read())["status"] == "ok"
    first = kiosk.tokens.issue("C", "general", "en")
    # `kiosk token issue` on the same machine joins the kiosk's centre: the next number
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "token", "issue", "--group", "C",
                          "--config", str(cfg), "--data-dir", str(config.data_dir)],
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["seq"] == first.seq + 1
    kiosk.close()
    assert not (config.data_dir / "centre.url").exists()


def test_with_the_centre_away_the_screen_says_the_wait_is_not_known(
        tmp_path: Path, centre: CentreProcessless, qtbot: object,
        kiosk_factory: Callable[..., KioskUi], drive: Callable[[KioskUi], object]) -> None:
    config = _config(tmp_path, centre.url)
    kiosk = kiosk_factory(config, lang="hi", use_default_printer=False, centre=True)
    kiosk.start_background_now()
    assert kiosk.centre_link is not None and kiosk.centre_link.wait_started(20)
    assert kiosk.centre_link.issuer.lease_remaining("C") == 50
    centre.stop()  # the LAN cable is pulled
    d = drive(kiosk)
    d.tap("startHi")  # type: ignore[attr-defined]
    d.tap("tileToken")  # type: ignore[attr-defined]
    d.tap("group_C")  # type: ignore[attr-defined]
    d.tap("priority_general")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.property("screen") == "token",  # type: ignore[attr-defined]
                    timeout=20000)
    token = kiosk.session.queue.token
    assert token is not None and token.offline and token.number == "C-5001"  # from the lease band
    assert _value(d, "peopleAhead") == "पता नहीं"
    assert _value(d, "waitTime") == "पता नहीं"
    assert d.text("positionNote") == "केंद्र की कतार से संपर्क न होने पर दिया गया। आपका नंबर मान्य है।"  # type: ignore[attr-defined]
    centre.start()  # back: the token is handed over, once
    assert kiosk.centre_link.issuer.sync_once()
    assert [t["id"] for t in centre.tokens()] == [token.id]
