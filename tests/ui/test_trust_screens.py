"""Screens a stranger may try (issue 11, finding 8): backend text shown as plain text (an
``<img src>`` in a status remark is never fetched), the technician PIN lock-out that survives
a restart, and the warning while the shipped default PIN still opens diagnostics."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from driver import UiDriver
from pytestqt.qtbot import QtBot

from kiosk.applications import status_qr_payload
from kiosk.auth_pin import DEFAULT_PIN, LOCKOUT_FILE, hash_pin
from kiosk.config import Config, load_config
from kiosk.i18n import translate
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_lookup import CannedServer, submit_sample
from kiosk.ui.viewmodels.technician import MSG_DEFAULT_PIN

#: A 1×1 PNG, so the control fetch succeeds without a QML warning.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
                         "DwAChwGA60e6kgAAAABJRU5ErkJggg==")


class _Counting(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PIXEL)))
        self.end_headers()
        self.wfile.write(PIXEL)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def image_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that counts every request (the "tracking pixel")."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="image-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_img_in_a_status_remark_is_shown_as_text_and_never_fetched(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver], image_server: tuple[str, list[str]]) -> None:
    base, hits = image_server
    kiosk = kiosk_factory(make_config(default_language="en"))
    d = drive(kiosk)

    # The control: rich text in this very engine does fetch, so silence below means something.
    probe = d.create_item(f'import QtQuick\nText {{ textFormat: Text.RichText; '
                          f'text: "<img src=\\"{base}/control.png\\">" }}'.encode())
    d.wait_until(lambda: "/control.png" in hits, "the control image to be fetched")
    d.remove_item(probe)

    remark = f'<img src="{base}/x.png"> please bring the patwari report'
    app = submit_sample(kiosk, "en")
    kiosk.session.start()
    kiosk.session.chooseLanguage("en")
    kiosk.session.openService("status")
    kiosk.lookup.status.set_status_client(CannedServer("rejected", remark))
    kiosk.scans.inject(status_qr_payload(app.application_no, app.proof_secret))  # proven
    d.wait_until(lambda: kiosk.lookup.status.property("source") == "online", "the answer")
    sentence = d.wait_for("statusSentence")
    d.wait_until(lambda: "<img" in str(sentence.property("text")), "the remark on screen")
    kiosk.window.grabWindow()      # render it, as the panel would
    d.settle(800)                  # a fetch would have started by now (the control took less)
    kiosk.window.grabWindow()
    assert "/x.png" not in hits, hits
    assert hits == ["/control.png"]


def _tap_corner(d: UiDriver) -> None:
    for _ in range(5):
        if d.screen() != "attract":
            break
        d.tap("techCorner")
    d.wait_for("techPinScreen")


def _wrong_pins(qtbot: QtBot, kiosk: KioskUi, d: UiDriver, times: int) -> None:
    _tap_corner(d)
    for _ in range(times):
        for c in "9999":
            d.tap(f"pinKey_{c}")
        d.tap("pinOk")
        qtbot.waitUntil(lambda: not kiosk.diagnostics.gate.checking, timeout=5000)


def test_pin_lockout_survives_a_restart(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(default_language="en")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    _wrong_pins(qtbot, kiosk, d, 5)
    assert kiosk.diagnostics.gate.locked
    assert (config.data_dir / LOCKOUT_FILE).stat().st_mode & 0o777 == 0o600
    kiosk.close()

    again = kiosk_factory(load_config(data_dir=config.data_dir,
                                      environ={"KIOSK_KIOSK__DEFAULT_LANGUAGE": "en"}))
    d2 = drive(again)
    assert again.diagnostics.gate.locked            # the restart did not open the pad
    _tap_corner(d2)
    assert "Try again in" in d2.text("pinMessage")
    assert not d2.wait_for("pinKey_2").isEnabled()
    gate = again.diagnostics.gate
    for c in DEFAULT_PIN:                           # even the right PIN waits out the lock
        gate.pinDigit(c)
    gate.pinSubmit()
    assert gate.pinLength == 0 and not gate.checking and d2.find("diagnosticsScreen") is None


def test_default_pin_warns_on_diagnostics_and_a_new_pin_does_not(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], tmp_path: Path,
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(load_config(data_dir=tmp_path / "a", environ={
        "KIOSK_KIOSK__DEFAULT_LANGUAGE": "en"}))
    d = drive(kiosk)
    _tap_corner(d)
    for c in DEFAULT_PIN:
        d.tap(f"pinKey_{c}")
    d.tap("pinOk")
    d.wait_for("diagnosticsScreen", timeout=5000)
    banner = d.wait_for("defaultPinWarning")
    assert banner.isVisible()
    gate = kiosk.diagnostics.gate
    assert gate.property("defaultPinWarning") == translate(MSG_DEFAULT_PIN, "en")
    assert gate.property("defaultPinWarningOther") == translate(MSG_DEFAULT_PIN, "hi")
    assert gate.property("defaultPinWarningOther") != gate.property("defaultPinWarning")

    other = kiosk_factory(load_config(data_dir=tmp_path / "b", environ={
        "KIOSK_KIOSK__DEFAULT_LANGUAGE": "en",
        "KIOSK_TECHNICIAN__PIN_HASH": f'"{hash_pin("97531")}"'}))
    d2 = drive(other)
    _tap_corner(d2)
    for c in "97531":
        d2.tap(f"pinKey_{c}")
    d2.tap("pinOk")
    d2.wait_for("diagnosticsScreen", timeout=5000)
    item = d2.find("defaultPinWarning")
    assert item is None or not item.isVisible()
    assert not other.diagnostics.gate.property("defaultPinInUse")


def test_the_second_lock_is_five_minutes_on_the_pad(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    """A kiosk that already locked once (and then waited it out) locks for 5 min next time."""
    config = make_config(default_language="en")
    config.data_dir.mkdir(parents=True, exist_ok=True)
    (config.data_dir / LOCKOUT_FILE).write_text(
        json.dumps({"failures": 4, "locks": 1, "locked_until": 0.0}))
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    assert not kiosk.diagnostics.gate.locked
    _wrong_pins(qtbot, kiosk, d, 1)
    assert kiosk.diagnostics.gate.locked
    assert d.text("pinMessage") == "Too many wrong PINs. Try again in 5 min."
    assert d.text("pinMessageOther") == "बहुत बार गलत पिन डाला गया। 5 मिनट बाद फिर कोशिश करें।"
