"""Idle timeout, screen layouts in both orientations, touch-target and text sizes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from driver import UiDriver
from PySide6.QtCore import QPointF
from PySide6.QtQuick import QQuickItem

from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot import SCREENS, drive_to, sample_printer_for

TOUCH_MIN = 64
BODY_MIN = 28


def test_idle_timeout_wipes_session_and_resets_language(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    config = make_config(idle_seconds=1, idle_countdown_seconds=2, token_screen_seconds=60,
                         default_language="hi")
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    session = kiosk.session
    d.tap("startEn")
    d.tap("tileToken")
    d.tap("group_A")
    d.tap("priority_divyang")
    d.wait_for_value(session.queue, "printState", "printed", timeout=20000)
    assert session.queue.property("tokenNumber") == "A-001"

    overlay = d.wait_for("idleOverlay", timeout=5000)
    assert overlay.isVisible()
    assert d.text("idleRemaining") in ("1", "2")
    d.wait_until(lambda: d.screen() == "attract", "the attract screen", timeout=6000)

    assert session.property("language") == "hi"
    for prop in ("selectedGroup", "selectedPriority", "tokenNumber", "tokenWaitText"):
        assert session.queue.property(prop) == "", prop
    assert session.queue.property("printState") == "idle"
    assert not session.property("idleWarning")
    assert session.queue.token is None


def test_yes_continue_keeps_the_session(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(idle_seconds=1, idle_countdown_seconds=30))
    d = drive(kiosk)
    d.tap("startEn")
    d.tap("tileToken")
    d.wait_for("idleOverlay", timeout=5000)
    d.tap("idleContinue")
    d.wait_gone("idleOverlay")
    assert d.screen() == "groups"
    assert kiosk.session.property("language") == "en"


def test_attract_screen_never_times_out(
        kiosk_factory: Callable[..., KioskUi], make_config: Callable[..., Config],
        drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config(idle_seconds=1))
    drive(kiosk).settle(1500)  # longer than idle_seconds: the warning must not come
    assert not kiosk.session.property("idleWarning")


def _ours(kiosk: KioskUi) -> list[QQuickItem]:
    """Visible items of our screens, the kiosk's own on-screen keyboard among them."""
    found: list[QQuickItem] = []

    def visit(item: QQuickItem) -> None:
        if not item.isVisible():
            return
        found.append(item)
        for child in item.childItems():
            visit(child)

    visit(kiosk.window.contentItem())
    return found


def _scrolls_to(item: QQuickItem, size: tuple[int, int]) -> bool:
    """``item`` is inside an on-screen list that scrolls (a long form, the review's answers):
    a finger reaches it by scrolling, as the scroll bar shows."""
    parent = item.parentItem()
    while parent is not None:
        if parent.inherits("QQuickFlickable") and \
                float(parent.property("contentHeight")) > parent.height() + 1:
            end = parent.mapToScene(QPointF(parent.width(), parent.height()))
            return end.x() <= size[0] + 1 and end.y() <= size[1] + 1
        parent = parent.parentItem()
    return False


def _layout_problems(kiosk: KioskUi, screen: str, size: tuple[int, int]) -> list[str]:
    """Everything too small or off-screen on the current screen, as readable sentences.

    A function of its own so that no item wrapper outlives it: PySide may hand a stale wrapper
    back for a new QML object that reuses a deleted one's address. For the same reason it never
    calls ``metaObject()``: QML's meta-objects are allocated per object and freed with it, and a
    wrapper made for one is handed back, as a QMetaObject, for the next item at that address.
    """
    problems: list[str] = []
    items = _ours(kiosk)
    targets = [i for i in items if i.property("touchTarget") is True]
    if not targets:
        problems.append(f"{screen}: no touch targets found")
    for item in targets:
        name = item.objectName() or "(unnamed)"
        if item.width() < TOUCH_MIN or item.height() < TOUCH_MIN:
            problems.append(f"{screen}: target {name} is {item.width()}x{item.height()}")
        corner = item.mapToScene(QPointF(item.width(), item.height()))
        if (corner.x() > size[0] + 1 or corner.y() > size[1] + 1) \
                and not _scrolls_to(item, size):
            problems.append(f"{screen}: target {name} reaches off-screen to {corner}")
    for item in items:
        if item.inherits("QQuickText") and item.property("text"):
            px = item.property("font").pixelSize()
            if px < BODY_MIN:
                problems.append(f"{screen}: text {item.property('text')!r} is {px}px")
    return problems


@pytest.mark.slow  # ~20 s each (every screen, every state): scripts/test.sh -m "not slow" skips
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_every_screen_loads_clean_with_big_targets_and_text(
        size: tuple[int, int], lang: str, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    """Any QML warning fails the test too (checked by the fixture when the kiosk closes)."""
    problems: list[str] = []
    for screen in SCREENS:
        printer = sample_printer_for(screen)
        kiosk = kiosk_factory(make_config(), size=size, printer=printer)
        drive_to(kiosk, screen, lang)
        d = drive(kiosk)
        d.wait_screen_shown()    # the screen is built asynchronously (Main.qml)
        d.settle(50)  # let the last screen finish its first layout pass
        problems += _layout_problems(kiosk, screen, size)
        printer.release = True
        kiosk.close()
    assert not problems, "\n".join(problems)
