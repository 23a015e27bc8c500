"""The double-buffered screen switch (Main.qml's ``screenLoader``): the next screen is built
while the old one stays up, so no frame is blank, a tap meant for the old screen goes nowhere,
and ``shownScreen`` changes only once the new screen is the one on display."""

from __future__ import annotations

from collections.abc import Callable

from driver import UiDriver
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.ui.app import KioskUi

#: The screens' root objectNames, by Session.screen.
ROOTS = {"attract": "attractScreen", "language": "languageScreen", "home": "homeScreen",
         "groups": "groupScreen", "apply": "applyScreen"}


def _loader(kiosk: KioskUi) -> QQuickItem:
    loader = kiosk.window.findChild(QQuickItem, "screenLoader")
    assert loader is not None
    return loader


def _on_display(kiosk: KioskUi) -> list[str]:
    """The screen roots that are visible in the window now (the shown one only, we expect)."""
    names = set(ROOTS.values())
    found: list[str] = []
    stack = [kiosk.window.contentItem()]
    while stack:
        item = stack.pop()
        if not item.isVisible():
            continue
        if item.objectName() in names:
            found.append(item.objectName())
            continue
        stack.extend(item.childItems())
    return found


PAGES = {"service": "applyServicePage", "form": "applyFormPage",
         "documents": "applyDocumentsPage", "review": "applyReviewPage"}


def _visible(kiosk: KioskUi, names: set[str]) -> list[str]:
    """Which of ``names`` are visible items in the window now."""
    found: list[str] = []
    stack = [kiosk.window.contentItem()]
    while stack:
        item = stack.pop()
        if item.isVisible():
            if item.objectName() in names:
                found.append(item.objectName())
            stack.extend(item.childItems())
    return found


def _drawn_share(image: QImage) -> float:
    """The share of sampled pixels that differ from the top-left (page background) colour."""
    background = image.pixel(0, 0)
    samples = [image.pixel(x, y) for x in range(0, image.width(), 20)
               for y in range(0, image.height(), 20)]
    return sum(p != background for p in samples) / len(samples)


def _home(kiosk: KioskUi, d: UiDriver) -> None:
    kiosk.session.start()
    kiosk.session.chooseLanguage("en")
    d.wait_screen_shown("home")


def test_every_frame_shows_one_screen_and_shown_screen_follows_the_window(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    loader = _loader(kiosk)
    d.wait_screen_shown("attract")
    frames: list[tuple[str, list[str]]] = []   # (shownScreen, the roots visible) per frame
    changes: list[tuple[str, list[str]]] = []  # the same, each time shownScreen changes

    pages: list[list[str]] = []                # the application pages visible, per frame

    def frame() -> None:
        frames.append((str(loader.property("shownScreen")), _on_display(kiosk)))
        if frames[-1][1] == ["applyScreen"]:
            pages.append(_visible(kiosk, set(PAGES.values())))

    def changed() -> None:
        changes.append((str(loader.property("shownScreen")), _on_display(kiosk)))

    kiosk.window.afterAnimating.connect(frame)
    assert loader.metaObject().indexOfSignal("shownScreenChanged()") >= 0
    loader.shownScreenChanged.connect(changed)  # type: ignore[attr-defined]
    try:
        for act, screen in ((kiosk.session.start, "language"),
                            (lambda: kiosk.session.chooseLanguage("hi"), "home"),
                            (lambda: kiosk.session.openService("apply"), "apply"),
                            (lambda: kiosk.session.openService("token"), "groups"),
                            (kiosk.session.resetSession, "attract")):
            before = d.shown_screen()
            act()
            assert d.switching(), f"{screen}: built synchronously"
            assert d.shown_screen() == before, "shownScreen changed before the screen was built"
            # mid-switch the window still draws the old screen, whole
            assert _on_display(kiosk) == [ROOTS[before]]
            assert _drawn_share(kiosk.window.grabWindow()) > 0.05, f"{before}: a blank frame"
            d.wait_screen_shown(screen)
            assert _on_display(kiosk) == [ROOTS[screen]]
    finally:
        kiosk.window.afterAnimating.disconnect(frame)
        loader.shownScreenChanged.disconnect(changed)  # type: ignore[attr-defined]
    assert len(frames) > 5
    assert pages and all(p == ["applyServicePage"] for p in pages), \
        "the application screen was shown without its page"
    for shown, roots in frames:
        assert roots == [ROOTS[shown]], f"a frame showed {roots} while shownScreen was {shown}"
    assert [name for name, _ in changes] == ["language", "home", "apply", "groups", "attract"]
    for shown, roots in changes:
        assert roots == [ROOTS[shown]], f"shownScreen became {shown} while {roots} was shown"


def test_a_tap_during_a_switch_does_not_reach_the_old_screen(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _home(kiosk, d)
    tile = d.wait_for("tile_apply")
    centre = tile.mapToScene(QPointF(tile.width() / 2, tile.height() / 2)).toPoint()
    kiosk.session.openService("token")
    assert d.switching()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)
    assert d.screen() == "groups", "the tap reached the home screen on its way out"
    d.wait_screen_shown("groups")
    # and once shown, the same spot is the new screen's again (the shield is down)
    assert not d.switching()
    d.tap("group_C")
    d.wait_screen_shown("priority")


def test_a_wipe_or_back_mid_switch_lands_on_the_right_screen(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _home(kiosk, d)
    kiosk.session.openService("apply")
    assert d.switching()
    kiosk.session.resetSession()          # the idle timeout's wipe, before apply was built
    d.wait_screen_shown("attract")
    assert _on_display(kiosk) == ["attractScreen"]

    _home(kiosk, d)
    kiosk.session.openService("status")
    assert d.switching()
    kiosk.session.goBack()                # back to the screen still shown: nothing to build
    assert not d.switching()
    assert d.shown_screen() == "home"
    d.tap("tile_apply")
    d.wait_screen_shown("apply")


def test_the_error_overlay_takes_taps_mid_switch(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    """The overlays lie above the switch's shield: the citizen can still close a message."""
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _home(kiosk, d)
    kiosk.session.report_error(OSError("sample"), "issuing a token")
    ok = d.wait_for("errorOk")
    centre = ok.mapToScene(QPointF(ok.width() / 2, ok.height() / 2)).toPoint()
    kiosk.session.openService("token")
    assert d.switching()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)
    assert kiosk.session.property("errorText") == "", "the message's OK did not take the tap"
    d.wait_screen_shown("groups")
    d.wait_gone("errorOverlay")


def test_application_pages_swap_without_a_blank_frame(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], UiDriver]) -> None:
    """ApplyScreen's pages are double-buffered too: the service list stays until the form is
    built, and every frame shows exactly one page."""
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    _home(kiosk, d)
    kiosk.session.openService("apply")
    d.wait_for("applyServicePage")
    names = set(PAGES.values())
    frames: list[list[str]] = []

    def frame() -> None:
        frames.append(_visible(kiosk, names))

    kiosk.window.afterAnimating.connect(frame)
    try:
        kiosk.apply.chooseService("INC")
        assert d.switching(), "the form was built synchronously"
        assert _visible(kiosk, names) == ["applyServicePage"]
        d.wait_for("applyFormPage")
        assert _visible(kiosk, names) == ["applyFormPage"]
        kiosk.apply.back()
        d.wait_for("applyServicePage")
    finally:
        kiosk.window.afterAnimating.disconnect(frame)
    assert frames and all(len(f) == 1 for f in frames), frames
    assert ["applyFormPage"] in frames
