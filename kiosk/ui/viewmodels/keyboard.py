"""The kiosk's own on-screen keyboard (Devanagari, Latin, digits), as QML sees it (``Keyboard``).

The QML keyboard (``KioskKeyboard.qml``) draws the rows given here and, on every tap, asks
:meth:`KeyboardViewModel.press` what to do to the text before the cursor; the rules (a vowel
after a consonant is its matra, a name's words start with a capital, …) live in the pure
:mod:`kiosk.translit.compose`, the name chips in :mod:`kiosk.translit.name_suggest`, where
they are unit-tested without Qt. The view-model keeps no text: the focused field owns it, and
the form passes the names typed elsewhere in it, so a field that loses focus or a new citizen
leaves nothing behind here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from kiosk.translit import compose, name_suggest
from kiosk.ui.qt_property import qproperty


def _edit(edit: compose.Edit) -> dict[str, object]:
    return {"remove": edit.delete, "insert": edit.insert}


def _script(name: str) -> name_suggest.Script | None:
    if name == "latin":
        return "latin"
    return "deva" if name == "deva" else None


class KeyboardViewModel(QObject):
    """Constant layouts plus the composer, one per kiosk window."""

    def _letters(self) -> list[list[str]]:
        return [list(row) for row in compose.DEVANAGARI_ROWS]

    def _digits(self) -> list[list[str]]:
        return [list(row) for row in compose.DIGIT_ROWS]

    def _latin(self) -> list[list[str]]:
        return [list(row) for row in compose.LATIN_ROWS]

    #: The Devanagari rows, top to bottom (each a list of key labels).
    letterRows = qproperty(list, _letters, constant=True)
    #: The digits pad: 1 2 3 / 4 5 6 / 7 8 9 / 0 — no arithmetic, no symbols.
    digitRows = qproperty(list, _digits, constant=True)
    #: The Latin page: digits and - /, then QWERTY; small letters (the case is :meth:`capital`).
    latinRows = qproperty(list, _latin, constant=True)
    #: The money pad's extra key ("000") and the Latin shift key's label.
    thousands = qproperty(str, lambda self: compose.THOUSANDS, constant=True)
    shift = qproperty(str, lambda self: compose.SHIFT, constant=True)

    @Slot(str, str, result="QVariantMap")
    def press(self, before: str, key: str) -> dict[str, object]:
        """``{"remove": n, "insert": text}``: what pressing ``key`` does after ``before``."""
        return _edit(compose.press(before, key))

    @Slot(str, result="QVariantMap")
    def backspace(self, before: str) -> dict[str, object]:
        """``{"remove": 1, "insert": ""}`` (one code point), or nothing on an empty field."""
        return _edit(compose.backspace(before))

    @Slot(str, str, result=bool)
    def capital(self, before: str, caps: str) -> bool:
        """The next Latin letter is a capital (before any shift press): ``caps`` is
        ``words``, ``all`` or ``none`` (:func:`kiosk.translit.compose.latin_capital`)."""
        return compose.latin_capital(before, caps)

    @Slot(str, str, list, int, result=list)
    def suggest(self, before: str, script: str, family: list[str], limit: int) -> list[str]:
        """The name chips for a name field: completions of the word being typed, or the next
        word after a space. ``script`` is ``latin`` or ``deva`` (the page on screen);
        ``family`` the names typed in the form's other name fields (their surnames first)."""
        sc = _script(script)
        if sc is None:
            return []
        words = name_suggest.family_words([str(n) for n in family], sc)
        return name_suggest.suggestions(before, sc, words, max(0, limit))

    @Slot(str, str, str, result="QVariantMap")
    def take(self, before: str, word: str, script: str) -> dict[str, object]:
        """A chip tapped: the word being typed becomes ``word`` and a space follows."""
        sc = _script(script)
        return _edit(compose.NOTHING if sc is None else name_suggest.take(before, word, sc))

    @Slot(str, result=str)
    def keyName(self, label: str) -> str:  # noqa: N802 - QML name
        """The key's objectName (``key_क``; see :func:`kiosk.translit.compose.key_name`)."""
        return compose.key_name(label)


__all__ = ["KeyboardViewModel"]
