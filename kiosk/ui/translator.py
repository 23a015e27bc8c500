"""The gettext-backed QTranslator, adjusted for how PySide6 hands strings back to Qt.

``kiosk.i18n.qt_translator.GettextTranslator`` answers "" for "no translation" (the C++
convention is a *null* QString). Through PySide6 a Python ``""`` becomes an empty but non-null
QString, which Qt takes as a real translation — every English ``qsTr()`` text rendered blank.
Returning ``None`` gives Qt the null string it expects, so it falls back to the source text.
"""

from __future__ import annotations

from kiosk.i18n.qt_translator import GettextTranslator


class KioskTranslator(GettextTranslator):
    """GettextTranslator whose "not found" reaches Qt as a null string."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # type: ignore[override]
        return super().translate(context, source_text, disambiguation, n) or None
