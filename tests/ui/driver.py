"""A typed driver for UI tests: find, tap, type into, read and wait on a real kiosk window.

How to write a UI test
----------------------
Build a real kiosk with the ``kiosk_factory`` and ``make_config`` fixtures and drive it the way
a citizen would: through the items on the screen, found by ``objectName``. Take the driver
from the ``drive`` fixture (``d = drive(kiosk)``) and annotate the fixtures you use
(``qtbot: QtBot``, ``drive: Callable[[KioskUi], UiDriver]``), so mypy checks the test without
any type-ignore comment (mypy checks all of tests/ui).

``d.tap("startEn")`` waits for the visible item and clicks its centre (a disabled item
fails the test); ``d.type_text("seva")`` types into the focused field on the kiosk's
on-screen keyboard, key by key (``keyboard_keys`` and ``name_chips`` read what it shows);
``d.text(name)`` reads what a label shows; ``d.read(obj, "prop", str)``
reads any Qt property and fails unless it has that type, so the value is typed from there on.
Never sleep: ``d.wait_until(lambda: ..., "what you wait for")`` waits for a condition and says
what did not happen, ``d.wait_for_value(obj, "prop", value)`` waits for a property.

Assert what the citizen sees (texts, visible items, the screen) and what is on disk, not
private state. The fixture fails the test on any QML warning, so a broken binding never passes
as a blank label. Keep item wrappers short-lived (look them up again after the screen
changes): PySide may hand back a stale wrapper for an object whose address QML reused, which
is also why nothing here calls ``metaObject()`` on a QML item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, QPointF, Qt, QUrl
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.translit.compose import keys_for
from kiosk.ui.app import KioskUi

T = TypeVar("T")

DEFAULT_TIMEOUT_MS = 5000
#: The double-buffered loaders (SwapLoader.qml) a look-up waits for.
SWAP_LOADERS = ("screenLoader", "applyPageLoader")


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    """``item`` and every item below it (Repeater delegates have no QObject parent, so
    ``findChildren`` would miss them; the item tree does not)."""
    yield item
    for child in item.childItems():
        yield from walk(child)


#: The kiosk keyboard's keys that type no character of their own.
ACTION_KEYS = frozenset(("key_backspace", "key_enter", "key_digits", "key_letters", "key_shift",
                         "key_language"))


def keyboard_keys(kiosk: KioskUi) -> dict[str, QQuickItem]:
    """The on-screen keyboard's keys by what they type now (``" "`` for space; a Latin letter
    in the case it shows). There is one keyboard, the kiosk's own (``kioskKeyboard``): only
    the keys of the page on screen carry their ``key_<label>`` names, and only while it is up."""
    found: dict[str, QQuickItem] = {}

    def visit_own(item: QQuickItem) -> None:
        if not item.isVisible():
            return
        name = item.objectName()
        text = item.property("text")
        if name == "key_space":
            found.setdefault(" ", item)
        elif name.startswith("key_") and name not in ACTION_KEYS and isinstance(text, str):
            found.setdefault(text, item)
        for child in item.childItems():
            visit_own(child)

    def find_keyboard(item: QQuickItem) -> None:
        if item.objectName() == "kioskKeyboard":
            if item.property("up"):
                visit_own(item)
            return
        for child in item.childItems():
            find_keyboard(child)

    find_keyboard(kiosk.window.contentItem())
    return found


def name_chips(kiosk: KioskUi) -> list[str]:
    """The name chips the keyboard shows now, left to right (``suggest_<word>``)."""
    chips: list[tuple[float, str]] = []
    for item in walk(kiosk.window.contentItem()):
        name = item.objectName()
        if name.startswith("suggest_") and item.isVisible():
            chips.append((item.mapToScene(QPointF(0, 0)).x(), name[len("suggest_"):]))
    return [word for _, word in sorted(chips)]


class UiDriver:
    """Taps and reads the real QML items of one kiosk, the way a finger and an eye would."""

    def __init__(self, qtbot: QtBot, kiosk: KioskUi) -> None:
        self.qtbot = qtbot
        self.kiosk = kiosk
        self._made: list[tuple[QQmlComponent, QQuickItem]] = []

    # -- finding -------------------------------------------------------------------------

    def find(self, name: str) -> QQuickItem | None:
        """The visible item called ``name`` now, or None; first waits for a screen switch
        under way to finish (see :meth:`wait_screen_shown`), so a look-up right after a tap
        that changed ``Session.screen`` sees the new screen, never the old one on its way out.
        """
        self.wait_screen_shown()
        for item in walk(self.kiosk.window.contentItem()):
            if item.objectName() == name and item.isVisible():
                return item
        return None

    def wait_for(self, name: str, timeout: int = DEFAULT_TIMEOUT_MS) -> QQuickItem:
        """The visible item called ``name``, waiting up to ``timeout`` ms for it to appear."""
        self.wait_until(lambda: self.find(name) is not None, f"item {name!r} to be visible",
                        timeout)
        item = self.find(name)
        assert item is not None, f"{name} vanished"
        return item

    def wait_gone(self, name: str, timeout: int = DEFAULT_TIMEOUT_MS) -> None:
        """Wait until no visible item is called ``name``."""
        self.wait_until(lambda: self.find(name) is None, f"item {name!r} to go away", timeout)

    # -- acting --------------------------------------------------------------------------

    def tap(self, target: str | QQuickItem) -> None:
        """Click the centre of ``target`` (an item or an objectName to wait for)."""
        item = self.wait_for(target) if isinstance(target, str) else target
        assert item.isEnabled(), f"{item.objectName() or item} is disabled"
        self.next_frame()
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.kiosk.window, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)

    def next_frame(self) -> None:
        """Wait for one frame to be drawn. A finger taps what the screen shows, and the screen
        shows items laid out: a row or column changed by the last tap or key (a chip row
        refilled, a tile grown by its note) places its children only when the next frame is
        polished, and a click before that lands where they were."""
        window = self.kiosk.window
        with self.qtbot.waitSignal(window.frameSwapped, timeout=DEFAULT_TIMEOUT_MS):
            window.update()

    def type_text(self, text: str, timeout: int = DEFAULT_TIMEOUT_MS) -> None:
        """Type ``text`` into the focused field by tapping on-screen keyboard keys.

        Each key is waited for, so a page switch in between is fine. A Latin letter whose case
        the keyboard does not show is typed with a shift tap first (a name's words start with
        a capital by themselves). Devanagari is typed as a citizen types it: a matra by its
        vowel's key (कि is क then इ; see kiosk.translit.compose).
        """
        for ch in keys_for(text):
            key = self._wait_key(ch, timeout)
            if key.property("text") != ch and self.find("key_shift") is not None:
                self.tap("key_shift")
                key = self._wait_key(ch, timeout)
            self.tap(key)

    def _wait_key(self, ch: str, timeout: int) -> QQuickItem:
        self.wait_until(lambda: self._key(ch) is not None, f"an on-screen key for {ch!r}",
                        timeout)
        key = self._key(ch)
        assert key is not None
        return key

    def _key(self, ch: str) -> QQuickItem | None:
        keys = keyboard_keys(self.kiosk)
        if ch in keys:
            return keys[ch]
        return {k.lower(): v for k, v in keys.items()}.get(ch.lower())

    def keyboard_up(self) -> bool:
        """The kiosk's keyboard is showing (its ``up``: an editable text box has the focus)."""
        kb = self.find("kioskKeyboard")
        return kb is not None and bool(kb.property("up"))

    def create_item(self, qml: bytes) -> QQuickItem:
        """A test-only QML item made in this kiosk's engine and shown on its window; removed
        again with :meth:`remove_item`."""
        component = QQmlComponent(self.kiosk.engine)
        component.setData(qml, QUrl())
        item = component.create()
        assert isinstance(item, QQuickItem), component.errorString()
        # Both must stay referenced: PySide deletes the item along with the last Python
        # reference to the component that made it.
        self._made.append((component, item))
        item.setParentItem(self.kiosk.window.contentItem())
        return item

    def remove_item(self, item: QQuickItem) -> None:
        item.setVisible(False)
        item.deleteLater()
        self._made = [(c, i) for c, i in self._made if i is not item]

    # -- reading -------------------------------------------------------------------------

    @staticmethod
    def read(obj: QObject, prop: str, kind: type[T]) -> T:
        """Property ``prop`` of ``obj`` (an item or a view-model), which must be a ``kind``."""
        value = obj.property(prop)
        assert isinstance(value, kind), \
            f"{prop} is {value!r} ({type(value).__name__}), not a {kind.__name__}"
        return value

    def read_item(self, name: str, prop: str, kind: type[T]) -> T:
        """Property ``prop`` of the visible item ``name`` (waited for), as a ``kind``."""
        return self.read(self.wait_for(name), prop, kind)

    def text(self, name: str) -> str:
        """What the visible item ``name`` shows."""
        return self.read_item(name, "text", str)

    def screen(self) -> str:
        """The screen the session is on (``attract``, ``groups``, ``token``, …): it changes at
        once on a tap; the window shows it a few frames later (:meth:`shown_screen`)."""
        return self.read(self.kiosk.session, "screen", str)

    # -- the screen on display ------------------------------------------------------------
    # Main.qml builds the next screen asynchronously while the old one stays up (taking no
    # input), and so does ApplyScreen with its pages (SwapLoader.qml);
    # `screenLoader.shownScreen` says which screen is really on display.

    def _screen_loader(self) -> QQuickItem | None:
        return self.kiosk.window.findChild(QQuickItem, "screenLoader")

    def shown_screen(self) -> str:
        """The screen really on display (it follows :meth:`screen` once that one is built)."""
        loader = self._screen_loader()
        assert loader is not None, "the kiosk window has no screenLoader"
        return self.read(loader, "shownScreen", str)

    def switching(self) -> bool:
        """A screen or page switch is under way (the next one is being built or not yet
        drawn)."""
        return any(loader.isVisible() and bool(loader.property("switching"))
                   for name in SWAP_LOADERS
                   for loader in self.kiosk.window.findChildren(QQuickItem, name))

    def wait_screen_shown(self, screen: str | None = None,
                          timeout: int = DEFAULT_TIMEOUT_MS) -> None:
        """Wait until the window shows ``screen`` (default: the session's screen) and no
        switch is under way."""
        def shown() -> bool:
            wanted = self.screen() if screen is None else screen
            return not self.switching() and self.shown_screen() == wanted

        if not shown():
            self.wait_until(shown, f"the {screen or self.screen()!r} screen to be shown",
                            timeout)

    # -- waiting -------------------------------------------------------------------------

    def wait_until(self, condition: Callable[[], bool], what: str = "the condition",
                   timeout: int = DEFAULT_TIMEOUT_MS) -> None:
        """Process events until ``condition()`` is true; fail saying ``what`` never happened."""
        try:
            self.qtbot.waitUntil(condition, timeout=timeout)
        except TimeoutError:
            pytest.fail(f"waited {timeout} ms for {what}")

    def wait_for_value(self, obj: QObject, prop: str, expected: object,
                       timeout: int = DEFAULT_TIMEOUT_MS) -> None:
        """Wait until property ``prop`` of ``obj`` equals ``expected``."""
        try:
            self.qtbot.waitUntil(lambda: obj.property(prop) == expected, timeout=timeout)
        except TimeoutError:
            pytest.fail(f"waited {timeout} ms for {prop} == {expected!r}; "
                        f"it is {obj.property(prop)!r}")

    def settle(self, ms: int) -> None:
        """Let the event loop run ``ms`` ms: only for "nothing happens" checks (an idle timer
        that must not fire), never to wait for something that does happen."""
        self.qtbot.wait(ms)


__all__ = ["ACTION_KEYS", "UiDriver", "keyboard_keys", "name_chips", "walk"]
