"""UI test fixtures: a real kiosk (real QML, view-model, SQLite, print pipeline) offscreen.

Every test gets its own data directory and a fresh ``sim://printer``, and fails on any QML
warning (binding errors included): a binding error on a kiosk shows up as a blank label, which no
assertion on the view-model would notice.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("QT_IM_MODULE", None)   # the kiosk's own keyboard, no input-method plugin

import socket  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from driver import UiDriver  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from kiosk.config import Config, load_config  # noqa: E402
from kiosk.ui import qml_registry  # noqa: E402
from kiosk.ui.app import KioskUi, build_kiosk  # noqa: E402

# Both QML modules, before this process creates its first engine (a PySide6 fault, see
# qml_registry.register_types): a selection that built a counter console first and a kiosk
# after (`-k "screenshot or layout"`) broke every later kiosk's QML. Registering here, at
# collection, makes the order tests run in irrelevant.
qml_registry.register_types(qml_registry.KIOSK)
qml_registry.register_types(qml_registry.COUNTER)


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

    def factory(config: Config, **kwargs: Any) -> KioskUi:
        kwargs.setdefault("windowed", True)
        kiosk = build_kiosk(config, **kwargs)
        built.append(kiosk)
        return kiosk

    yield factory
    warnings = _close_all(built)
    # A closed kiosk's view-models sit in reference cycles. Collect them now, on the GUI
    # thread, rather than at whatever allocation crosses the GC threshold next: that may be
    # a worker thread of the next test, started before its kiosk's gc_guard (see
    # kiosk/ui/gc_guard.py for what a QObject destructor on a worker thread does).
    gc.collect()
    assert not warnings, "QML warnings:\n" + "\n".join(warnings)


def _close_all(built: list[KioskUi]) -> list[str]:
    """Close every kiosk (threads joined, engine gone) and hand back their QML warnings;
    ``built`` is left empty, so nothing here keeps a closed kiosk alive."""
    warnings: list[str] = []
    while built:
        kiosk = built.pop(0)
        kiosk.close()
        warnings += kiosk.qml_warnings
    return warnings


@pytest.fixture
def drive(qtbot: QtBot) -> Callable[[KioskUi], UiDriver]:
    """``d = drive(kiosk)``: the typed driver (tests/ui/driver.py) for one kiosk's window."""
    return lambda kiosk: UiDriver(qtbot, kiosk)
