"""UI test fixtures: a real kiosk (real QML, view-model, SQLite, print pipeline) offscreen.

Every test gets its own data directory and a fresh ``sim://printer``, and fails on any QML
warning (binding errors included): a binding error on a kiosk shows up as a blank label, which no
assertion on the view-model would notice.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"

import socket  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from kiosk.config import Config, load_config  # noqa: E402
from kiosk.devices.sim import sim_registry  # noqa: E402
from kiosk.ui.app import KioskUi, build_kiosk  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_printer() -> Iterator[None]:
    sim_registry.reset()
    yield
    sim_registry.reset()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """No Python Qt message handler in UI tests (pytest-qt's log capture installs one).

    Qt logs from its own threads (the QML type loader) too; a Python handler there needs the
    GIL, which the test thread holds while it waits for that loader: a deadlock. QML warnings
    are collected from the engine's ``warnings`` signal instead, which arrives on our thread.
    """
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.no_qt_log)


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Config]:
    """A private-data-dir config with ``[kiosk]`` overrides, e.g. ``idle_seconds=1``."""
    return lambda **kiosk: _make_config(tmp_path, **kiosk)


@pytest.fixture
def offline_config(tmp_path: Path) -> Callable[..., Config]:
    """A config whose backend is a loopback port nobody listens on, with short timeouts;
    ``[kiosk]`` overrides as keywords, like :func:`make_config`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    backend = {"KIOSK_BACKEND__URL": dead, "KIOSK_BACKEND__TOKEN": "test-token",
               "KIOSK_BACKEND__CONNECT_TIMEOUT": "0.2", "KIOSK_BACKEND__READ_TIMEOUT": "0.5"}

    def make(**kiosk: object) -> Config:
        env = {f"KIOSK_KIOSK__{k.upper()}": str(v) for k, v in kiosk.items()}
        return load_config(data_dir=tmp_path / "data", environ={**backend, **env})

    return make


def _make_config(tmp_path: Path, **kiosk: object) -> Config:
    env = {f"KIOSK_KIOSK__{k.upper()}": str(v).lower() if isinstance(v, bool) else str(v)
           for k, v in kiosk.items()}
    return load_config(data_dir=tmp_path / "data", environ=env)


@pytest.fixture
def kiosk_factory(qapp: object) -> Iterator[Callable[..., KioskUi]]:
    """Build real kiosks; all are closed (threads joined) and checked for QML warnings."""
    built: list[KioskUi] = []

    def factory(config: Config, **kwargs: object) -> KioskUi:
        kwargs.setdefault("windowed", True)
        kiosk = build_kiosk(config, **kwargs)  # type: ignore[arg-type]
        built.append(kiosk)
        return kiosk

    yield factory
    for kiosk in built:
        kiosk.close()
    warnings = [w for k in built for w in k.qml_warnings]
    assert not warnings, "QML warnings:\n" + "\n".join(warnings)


class Driver:
    """Taps and reads the real QML items of one kiosk, the way a finger and an eye would."""

    def __init__(self, qtbot: object, kiosk: KioskUi) -> None:
        self.qtbot = qtbot
        self.kiosk = kiosk

    def find(self, name: str) -> QQuickItem | None:
        """The visible item called ``name``, found in the item tree (Repeater delegates have no
        QObject parent, so ``findChildren`` would miss them)."""
        for item in walk(self.kiosk.window.contentItem()):
            if item.objectName() == name and item.isVisible():
                return item
        return None

    def wait_for(self, name: str, timeout: int = 5000) -> QQuickItem:
        self.qtbot.waitUntil(lambda: self.find(name) is not None,  # type: ignore[attr-defined]
                             timeout=timeout)
        item = self.find(name)
        assert item is not None
        return item

    def tap(self, name: str) -> None:
        """Click the centre of item ``name`` on the window."""
        item = self.wait_for(name)
        assert item.isEnabled(), f"{name} is disabled"
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.kiosk.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)

    def text(self, name: str) -> str:
        return str(self.wait_for(name).property("text"))

    def screen(self) -> str:
        return str(self.kiosk.session.property("screen"))


@pytest.fixture
def drive(qtbot: object) -> Callable[[KioskUi], Driver]:
    return lambda kiosk: Driver(qtbot, kiosk)


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    """``item`` and every item below it."""
    yield item
    for child in item.childItems():
        yield from walk(child)
