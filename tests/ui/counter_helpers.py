"""A real centre service in-process (port 0) with operators, and a driver for the console.

Shared by the counter console tests: each test gets its own centre database, its own console
(real QML offscreen, real HTTP on loopback, real event stream), and everything is closed —
threads joined — before the leak check runs.
"""

from __future__ import annotations

import os

# The UI tests run with the kiosk's virtual-keyboard input method. With no on-screen keyboard
# in a window (the counter has none: it has a desk keyboard), Qt's virtual keyboard opens its
# own top-level window when a text field takes focus, and the console loses activation. Read
# when the application is created, which happens after test collection.
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import Config, load_config
from kiosk.ui.counter.app import CounterUi
from kiosk.ui.counter.login import SIM_CARD_ID, SIM_FINGER_SLOT

ENROLMENT_CODE = "test-enrol-7391"
PIN = "4826"
OPERATOR = {"operator_id": "op1", "name": "Sunita Verma", "role": "operator", "pin": PIN,
            "card_id": SIM_CARD_ID, "finger_slot": SIM_FINGER_SLOT}


def centre_config(data_dir: Path, **env: str) -> Config:
    """A config whose centre service (when started from it) takes our enrolment code."""
    environ = {"KIOSK_CENTRE__ENROLMENT_CODE": ENROLMENT_CODE, **env}
    return load_config(data_dir=data_dir, environ=environ)


def add_operator(runtime: Any, **fields: Any) -> None:
    """Add an operator to the running centre's database (the real module or its stand-in)."""
    from kiosk.centre import operators

    kwargs = dict(fields)
    kwargs["now"] = datetime.now(UTC)
    with runtime.store.transaction() as conn:
        operators.add_operator(conn, **kwargs)


def issue_token(runtime: Any, group: str = "C", priority: str = "general") -> dict[str, Any]:
    """A token issued the way a kiosk does: through the centre's client."""
    from kiosk.centre.client import CentreClient

    token = runtime.issue_credential(f"test-kiosk-{uuid.uuid4().hex[:6]}", "kiosk")
    with CentreClient(runtime.url, device_token=token) as client:
        return client.issue(str(uuid.uuid4()), group, priority, "hi", kiosk_id="test-kiosk")


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


class CounterDriver:
    """Clicks, types and reads the real QML items of one console."""

    def __init__(self, qtbot: Any, ui: CounterUi) -> None:
        self.qtbot = qtbot
        self.ui = ui

    def find(self, name: str) -> QQuickItem | None:
        root = self.ui.window.contentItem()
        while root.parentItem() is not None:  # from the top: popups live on the overlay
            root = root.parentItem()
        for item in walk(root):
            if item.objectName() == name and item.isVisible():
                return item
        return None

    def wait_for(self, name: str, timeout: int = 8000) -> QQuickItem:
        self.qtbot.waitUntil(lambda: self.find(name) is not None, timeout=timeout)
        item = self.find(name)
        assert item is not None
        return item

    def click(self, name: str) -> None:
        item = self.wait_for(name)
        self.qtbot.waitUntil(lambda: bool(item.isEnabled()), timeout=8000)
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.ui.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)

    def type_into(self, name: str, text: str) -> None:
        """Focus the field by a click, then type as a desk keyboard does.

        The key events go straight to the focused item: this test process runs with the
        kiosk's virtual-keyboard input method, which swallows window-level key events for
        text fields when no on-screen keyboard is shown (a counter runs without it).
        """
        self.click(name)
        item = self.wait_for(name)
        self.qtbot.waitUntil(lambda: bool(item.hasActiveFocus()), timeout=3000)
        for ch in text:
            self._send_key(item, Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_Space, ch)

    def enter(self, name: str) -> None:
        """Press Enter in text field ``name`` (it has the focus)."""
        item = self.wait_for(name)
        self._send_key(item, Qt.Key.Key_Return, "\r")

    @staticmethod
    def _send_key(item: QQuickItem, key: Qt.Key, text: str) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(item, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                       text))

    def key(self, key: Qt.Key) -> None:
        """A key on the window. Waits for the action in flight first: the console ignores
        keys while the centre answers one (the event stream may show the change earlier)."""
        self.idle()
        window = self.ui.window
        if not window.isActive():  # shortcuts fire only in the active window
            window.requestActivate()
            self.qtbot.waitUntil(lambda: bool(window.isActive()), timeout=3000)
        QTest.keyClick(window, key)

    def idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.ui.console.property("busy"), timeout=8000)

    def text(self, name: str) -> str:
        return str(self.wait_for(name).property("text"))

    def wait_text(self, name: str, wanted: str, timeout: int = 8000) -> None:
        """Until item ``name`` shows text containing ``wanted``."""
        self.qtbot.waitUntil(lambda: (item := self.find(name)) is not None
                             and wanted in str(item.property("text")), timeout=timeout)

    def log_in(self, operator_id: str = "op1", pin: str = PIN) -> None:
        self.wait_online()
        self.type_into("operatorIdField", operator_id)
        self.type_into("pinField", pin)
        self.enter("pinField")
        self.wait_for("counterConsoleScreen")

    def wait_online(self) -> None:
        self.qtbot.waitUntil(lambda: self.ui.link.property("state") == "online", timeout=10000)


# -- fixtures (imported by the test_counter_* modules) ------------------------------------------

import pytest  # noqa: E402

from kiosk.ui.counter.app import build_counter  # noqa: E402


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Any]:
    """The real centre service on a free loopback port, with operator ``op1``."""
    from kiosk.centre.runtime import start_centre

    config = centre_config(tmp_path / "centre")
    runtime = start_centre(config, port=0, forward=False)
    try:
        add_operator(runtime, **OPERATOR)
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def counter_factory(qapp: Any, qtbot: Any, centre: Any, tmp_path: Path) -> Iterator[Any]:
    """Build consoles joined to ``centre``; all are closed and checked for QML warnings."""
    built: list[CounterUi] = []

    def make(counter: str = "1", *, lang: str = "en", devices: bool = False,
             idle_logout_s: int | None = None,
             env: dict[str, str] | None = None) -> CounterDriver:
        config = centre_config(tmp_path / f"counter-{counter}-{len(built)}",
                               KIOSK_CENTRE__URL=centre.url, **(env or {}))
        ui = build_counter(config, counter, lang=lang, devices=devices, hotplug=False,
                           idle_logout_s=idle_logout_s)
        built.append(ui)
        ui.start_background_now()
        return CounterDriver(qtbot, ui)

    yield make
    for ui in built:
        ui.close()
    warnings = [w for ui in built for w in ui.qml_warnings]
    assert not warnings, "QML warnings:\n" + "\n".join(warnings)
