"""Seeing every tap, click and key press, whichever QML item ends up handling it.

A MouseArea in QML only sees what reaches it and misses presses that a Button accepts first;
an event filter on the window sits in front of all item delivery, so one filter covers every
screen, popup and the on-screen keyboard. Mouse *moves* without a press do not count: a bumped
mouse on a kiosk must not keep a walked-away citizen's session alive.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

_ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
})


class ActivityFilter(QObject):
    """Calls ``on_activity`` for each user input event; never consumes the event."""

    def __init__(self, on_activity: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._on_activity()
        return False
