"""The citizen journey tapped through the real QML screens, in Hindi and in English."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.devices.escpos_driver import MSG_PAPER_OUT
from kiosk.devices.sim import sim_registry
from kiosk.errors import StoreError
from kiosk.i18n import translate
from kiosk.ui.app import KioskUi

DEVANAGARI = re.compile("[\u0900-\u097f]")


def _tokens(config: Config) -> list[tuple[str, str, str]]:
    with sqlite3.connect(config.db_path) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT number, priority, lang FROM tokens ORDER BY issued_at")]


def _print_states(config: Config) -> list[str]:
    with sqlite3.connect(config.db_path) as conn:
        return [r[0] for r in conn.execute("SELECT state FROM print_jobs ORDER BY id")]


def _jobs(config: Config) -> list[Path]:
    return sorted(config.print_dir.glob("job-*.bin"))


def _walk_to_priority(d: object, lang: str) -> None:
    d.tap("startButton")  # type: ignore[attr-defined]
    d.tap("langHi" if lang == "hi" else "langEn")  # type: ignore[attr-defined]
    d.tap("tileToken")  # type: ignore[attr-defined]
    d.tap("group_C")  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_token_journey_issues_prints_and_returns(
        lang: str, qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    config = make_config(default_language="en" if lang == "hi" else "hi")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    session = kiosk.session
    assert d.screen() == "attract"  # type: ignore[attr-defined]

    _walk_to_priority(d, lang)
    assert session.property("language") == lang
    d.tap("priority_senior")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: session.queue.property("printState") == "printed",  # type: ignore[attr-defined]
                    timeout=20000)

    assert d.text("tokenNumber") == "C-001"  # type: ignore[attr-defined]
    assert _tokens(config) == [("C-001", "senior", lang)]
    jobs = _jobs(config)
    assert len(jobs) == 1
    assert b"C-001" in jobs[0].read_bytes()  # native text, not only a raster
    assert d.text("printedText") == translate("Please take your slip", lang)  # type: ignore[attr-defined]
    assert d.find("priorityBadge") is not None  # type: ignore[attr-defined]
    if lang == "hi":
        assert DEVANAGARI.search(d.text("printedText"))  # type: ignore[attr-defined]

    d.tap("doneButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.screen() == "attract")  # type: ignore[attr-defined]
    assert session.queue.property("tokenNumber") == ""
    assert session.property("language") == config.default_language


def test_language_switches_live_on_token_screen(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    _walk_to_priority(d, "en")
    d.tap("priority_general")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.queue.property("printState") == "printed",  # type: ignore[attr-defined]
                    timeout=20000)
    assert d.text("printedText") == "Please take your slip"  # type: ignore[attr-defined]
    d.tap("langToggle")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.text("printedText") == "कृपया अपनी पर्ची लें")  # type: ignore[attr-defined]
    assert d.text("tokenGroup") == "प्रमाण पत्र"  # type: ignore[attr-defined]


def test_paper_out_shows_bilingual_fault_and_reprint_prints(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    sim = sim_registry.get("printer", out_dir=config.print_dir)
    sim.paper = "out"

    _walk_to_priority(d, "hi")
    d.tap("priority_general")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.queue.property("printState") == "failed",  # type: ignore[attr-defined]
                    timeout=20000)
    assert d.text("tokenNumber") == "C-001"  # type: ignore[attr-defined]
    assert d.text("printErrorOther") == MSG_PAPER_OUT  # type: ignore[attr-defined]
    assert d.text("printError") == translate(MSG_PAPER_OUT, "hi")  # type: ignore[attr-defined]
    assert DEVANAGARI.search(d.text("printError"))  # type: ignore[attr-defined]
    assert d.find("reprintButton") is not None  # type: ignore[attr-defined]
    assert not _jobs(config)

    sim.reset_faults()
    d.tap("reprintButton")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.queue.property("printState") == "printed",  # type: ignore[attr-defined]
                    timeout=20000)
    states = _print_states(config)
    assert len(states) == 2 and states[0] == "failed" and states[1] in ("confirmed", "sent")
    jobs = _jobs(config)
    assert len(jobs) == 1 and b"C-001" in jobs[0].read_bytes()
    assert _tokens(config) == [("C-001", "general", "hi")]  # a reprint is not a new token


def test_unexpected_error_shows_generic_message_and_logs_detail(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object],
        caplog: pytest.LogCaptureFixture) -> None:
    class Exploding:
        def print_token(self, token: object, lang: str) -> None:
            raise RuntimeError("internal detail xyz")

    kiosk = kiosk_factory(make_config(), printer=Exploding())
    d = drive(kiosk)
    caplog.set_level(logging.ERROR)
    _walk_to_priority(d, "en")
    d.tap("priority_general")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: kiosk.session.queue.property("printState") == "failed",  # type: ignore[attr-defined]
                    timeout=20000)
    generic = "Something went wrong. Please ask the staff for help."
    assert d.text("printError") == generic  # type: ignore[attr-defined]
    assert d.text("printErrorOther") == translate(generic, "hi")  # type: ignore[attr-defined]
    assert any(r.exc_info and "internal detail xyz" in str(r.exc_info[1])
               for r in caplog.records)


def test_store_failure_shows_its_user_message(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object],
        monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)

    def fail(*_args: object, **_kwargs: object) -> None:
        raise StoreError("disk I/O error at /var/lib/…")

    monkeypatch.setattr(kiosk.tokens, "issue", fail)
    _walk_to_priority(d, "hi")
    d.tap("priority_general")  # type: ignore[attr-defined]
    d.wait_for("errorOverlay")  # type: ignore[attr-defined]
    assert d.text("errorText") == StoreError().user_message("hi")  # type: ignore[attr-defined]
    assert "disk" not in d.text("errorText")  # type: ignore[attr-defined]
    d.tap("errorOk")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.find("errorOverlay") is None)  # type: ignore[attr-defined]
    assert d.screen() == "priority"  # type: ignore[attr-defined]


def test_back_button_walks_back_to_attract(
        qtbot: object, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], object]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _walk_to_priority(d, "en")
    for expected in ("groups", "home", "language"):
        d.tap("backButton" if expected != "language" else "backButton")  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda e=expected: d.screen() == e)  # type: ignore[attr-defined]
    d.tap("languageBack")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: d.screen() == "attract")  # type: ignore[attr-defined]

