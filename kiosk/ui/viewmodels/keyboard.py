"""The kiosk's own on-screen keyboard for Devanagari and digits, as QML sees it (``Keyboard``).

The QML keyboard (``KioskKeyboard.qml``) draws the rows given here and, on every tap, asks
:meth:`KeyboardViewModel.press` what to do to the text before the cursor; the rules (a vowel
after a consonant is its matra, …) live in the pure :mod:`kiosk.translit.compose`, where they
are unit-tested without Qt. The view-model keeps no text: the focused field owns it, so a
field that loses focus or a new citizen leaves nothing behind here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from kiosk.translit import compose
from kiosk.ui.qt_property import qproperty


def _edit(edit: compose.Edit) -> dict[str, object]:
    return {"remove": edit.delete, "insert": edit.insert}


class KeyboardViewModel(QObject):
    """Constant layouts plus the composer, one per kiosk window."""

    def _letters(self) -> list[list[str]]:
        return [list(row) for row in compose.DEVANAGARI_ROWS]

    def _digits(self) -> list[list[str]]:
        return [list(row) for row in compose.DIGIT_ROWS]

    #: The Devanagari rows, top to bottom (each a list of key labels).
    letterRows = qproperty(list, _letters, constant=True)
    #: The digits pad: 1 2 3 / 4 5 6 / 7 8 9 / 0 — no arithmetic, no symbols.
    digitRows = qproperty(list, _digits, constant=True)

    @Slot(str, str, result="QVariantMap")
    def press(self, before: str, key: str) -> dict[str, object]:
        """``{"remove": n, "insert": text}``: what pressing ``key`` does after ``before``."""
        return _edit(compose.press(before, key))

    @Slot(str, result="QVariantMap")
    def backspace(self, before: str) -> dict[str, object]:
        """``{"remove": 1, "insert": ""}`` (one code point), or nothing on an empty field."""
        return _edit(compose.backspace(before))

    @Slot(str, result=str)
    def keyName(self, label: str) -> str:  # noqa: N802 - QML name
        """The key's objectName (``key_क``; see :func:`kiosk.translit.compose.key_name`)."""
        return compose.key_name(label)


__all__ = ["KeyboardViewModel"]
