"""Helpers shared by UI tests that type on Qt's on-screen keyboard."""

from __future__ import annotations

from PySide6.QtQuick import QQuickItem

from kiosk.ui.app import KioskUi


def keyboard_keys(kiosk: KioskUi) -> dict[str, QQuickItem]:
    """Visible on-screen keyboard keys by the character they type."""
    found: dict[str, QQuickItem] = {}

    def visit(item: QQuickItem) -> None:
        if not item.isVisible():
            return
        text = item.property("text")
        if item.property("key") is not None and isinstance(text, str) and len(text) == 1:
            found.setdefault(text, item)
        for child in item.childItems():
            visit(child)

    def find_panel(item: QQuickItem) -> None:
        if item.objectName() == "inputPanel":
            visit(item)
            return
        for child in item.childItems():
            find_panel(child)

    find_panel(kiosk.window.contentItem())
    return found
