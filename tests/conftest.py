"""Suite-wide set-up: offscreen Qt, an isolated environment, and a leak check on every test.

The leak check follows python-can's back2back suite: a test that leaves a thread or a child
process behind fails, because on a kiosk that runs all day a leaked reader thread per print job
is a slow death.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# The kiosk types on its own keyboard: no input-method plugin (kiosk.ui.app.prepare_environment).
os.environ.pop("QT_IM_MODULE", None)
for _name in [n for n in os.environ if n.startswith("KIOSK_")]:
    del os.environ[_name]
# No test (nor a kiosk it starts as a child) reads this machine's /etc/seva-kiosk or ~/.config.
os.environ["KIOSK_CONFIG_DIRS"] = ""


@pytest.fixture(autouse=True)
def _no_system_config(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_config(environ={})`` would otherwise look in the real /etc/seva-kiosk."""
    import kiosk.config

    monkeypatch.setattr(kiosk.config, "SYSTEM_CONFIG_DIR",
                        tmp_path_factory.getbasetemp() / "no-etc-seva-kiosk")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real user's data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))


def _children() -> set[int]:
    me = str(os.getpid())
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                found.add(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def _no_leaks() -> Iterator[None]:
    """Fail a test that leaves a Python thread or a child process running."""
    threads_before = set(threading.enumerate())
    children_before = _children()
    yield
    deadline = time.monotonic() + 3.0
    while True:
        extra = [t for t in threading.enumerate()
                 if t not in threads_before and t.is_alive()
                 and not t.name.startswith(("Dummy-", "asyncio_"))]
        new_children = _children() - children_before
        if not extra and not new_children:
            return
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not extra, f"test left threads running: {[t.name for t in extra]}"
    assert not new_children, f"test left child processes running: {sorted(new_children)}"


@pytest.fixture(scope="session")
def qapp_cls() -> type:
    """The kiosk is Qt Quick only: one QGuiApplication for the session, never QtWidgets."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The built-in configuration with a private data directory."""
    from kiosk.config import load_config

    return load_config(data_dir=tmp_path / "data", environ={})


@pytest.fixture(autouse=True)
def _fresh_simulators(_no_leaks: None) -> Iterator[None]:
    """Every test gets a new in-process ``sim://printer``: it is one per process, so without
    this a test inherited the graphics an earlier test's printer held and saved its jobs into
    that test's folder (test_pii_scan failed after test_demo_mode's doctor run). Torn down
    before the leak check, so a simulator left running is stopped, not reported."""
    from kiosk.devices.sim import sim_registry

    sim_registry.reset()
    yield
    sim_registry.reset()
