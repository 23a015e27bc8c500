"""The console fits a desk screen: nothing cut off or off-screen at 1366×768 and 1920×1080,
in Hindi and English, on the log-in, serving, transfer and break screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from counter_helpers import PIN, centre, counter_factory, issue_token, walk  # noqa: F401
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QImage

from kiosk.ui.counter.screenshot import render_counter_screen

SIZES = [(1366, 768), (1920, 1080)]


def _root(window: Any) -> Any:
    root = window.contentItem()
    while root.parentItem() is not None:  # from the top: popups live on the overlay
        root = root.parentItem()
    return root


def _geometry(window: Any) -> list[tuple[object, ...]]:
    """Every visible item's place and size in the scene, and whether its text is elided."""
    shape: list[tuple[object, ...]] = []
    for item in walk(_root(window)):
        if not item.isVisible():
            continue
        corner = item.mapToScene(QPointF(0, 0))
        shape.append((item.objectName(), corner.x(), corner.y(), item.width(), item.height(),
                      bool(item.property("truncated"))))
    return shape


def _settle(drive: Any, frames: int = 60) -> None:
    """Wait until the scene has been polished and drawn, and stays put from frame to frame.

    Layouts are laid out in the polish step just before a frame is drawn, and a layout change
    can trigger another polish (text wraps, then its row grows); so a frame is requested and
    awaited until two frames in a row show the same geometry — done once nothing moves.
    """
    window = drive.ui.window
    before: list[tuple[object, ...]] | None = None
    for _ in range(frames):
        with drive.qtbot.waitSignal(window.frameSwapped, timeout=5000):
            window.update()
        now = _geometry(window)
        if now == before:
            return
        before = now
    raise AssertionError(f"the console's layout still moved after {frames} frames")


def _problems(drive: Any, screen: str) -> list[str]:
    """Visible text that is elided, or any visible item reaching outside the window."""
    _settle(drive)
    window = drive.ui.window
    width, height = window.width(), window.height()
    root = _root(window)
    found: list[str] = []
    for item in walk(root):
        if not item.isVisible() or item.width() <= 0 or item.height() <= 0:
            continue
        if item.inherits("QQuickText") and item.property("text") and item.property("truncated"):
            found.append(f"{screen}: text {item.property('text')!r} is cut off")
        corner = item.mapToScene(QPointF(item.width(), item.height()))
        if item.inherits("QQuickText") and (corner.x() > width + 1 or corner.y() > height + 1):
            found.append(f"{screen}: text {item.property('text')!r} reaches {corner} "
                         f"outside {width}x{height}")
    return found


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_console_screens_fit(size: tuple[int, int], lang: str, counter_factory: Any,  # noqa: F811
                             centre: Any) -> None:  # noqa: F811
    for group, priority in (("C", "senior"), ("A", "pregnant"), ("L", "divyang"), ("C", "general"),
                            ("R", "general"), ("T", "general")):
        issue_token(centre, group, priority)
    drive = counter_factory("1", lang=lang)
    drive.ui.window.resize(*size)
    drive.wait_online()
    drive.qtbot.waitUntil(lambda: bool(drive.ui.waiting.property("groups")), timeout=8000)
    problems = _problems(drive, "login")
    drive.log_in("op1", PIN)
    drive.key(Qt.Key.Key_Return)
    drive.qtbot.waitUntil(lambda: drive.ui.console.property("hasToken"), timeout=8000)
    drive.idle()
    problems += _problems(drive, "serving")
    popup = drive.ui.window.findChild(QObject, "transferPopup")
    drive.key(Qt.Key.Key_F3)
    drive.wait_for("transferDialog")
    problems += _problems(drive, "transfer")
    drive.key(Qt.Key.Key_Escape)
    drive.qtbot.waitUntil(lambda: not popup.property("visible"), timeout=5000)
    drive.key(Qt.Key.Key_F6)
    drive.key(Qt.Key.Key_F7)
    drive.wait_for("breakNotice")
    problems += _problems(drive, "break")
    assert not problems, "\n".join(problems)


def test_screenshot_of_a_counter_screen(tmp_path: Path, qapp: Any) -> None:
    out = render_counter_screen("counter_transfer", "hi", tmp_path / "t.png")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
