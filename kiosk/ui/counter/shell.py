"""What the whole console shares: which counter this is, the language, simulated devices.

Why its own small view-model: the language switch and the counter's identity are read by
every screen, but belong to none of the concerns (log-in, serving, waiting list, link).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.documents.demo import demo_badge
from kiosk.i18n import LANGUAGES


class CounterShell(QObject):
    """``counter`` (its number as text), ``language`` (hi/en), ``cardSimulated`` /
    ``fingerSimulated`` (the test buttons show only while those devices are simulators)."""

    languageChanged = Signal()
    changed = Signal()

    def __init__(self, counter: str, *, language: str, apply_language: Callable[[str], None],
                 card_simulated: bool, finger_simulated: bool, demo: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._counter = counter
        self._language = language
        self._apply_language = apply_language
        self._card_simulated = card_simulated
        self._finger_simulated = finger_simulated
        self._demo = demo

    def language(self) -> str:
        return self._language

    def other_language(self) -> str:
        return "en" if self._language == "hi" else "hi"

    @Slot(str)
    def setLanguage(self, lang: str) -> None:
        if lang not in LANGUAGES or lang == self._language:
            return
        self._language = lang
        self._apply_language(lang)
        self.languageChanged.emit()

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en" if self._language == "hi" else "hi")

    def _get_language(self) -> str:
        return self._language

    def _get_other_language(self) -> str:
        return "en" if self._language == "hi" else "hi"

    def _get_counter(self) -> str:
        return self._counter

    def _get_card_simulated(self) -> bool:
        return self._card_simulated

    def _get_finger_simulated(self) -> bool:
        return self._finger_simulated

    def _get_demo_badge(self) -> str:
        """"डेमो — असली नहीं / DEMO — NOT REAL" in demo mode, as on the kiosk; else ""."""
        return demo_badge(self._demo)

    lang = Property(str, _get_language, notify=languageChanged)
    otherLanguage = Property(str, _get_other_language, notify=languageChanged)
    counter = Property(str, _get_counter, constant=True)
    cardSimulated = Property(bool, _get_card_simulated, constant=True)
    fingerSimulated = Property(bool, _get_finger_simulated, constant=True)
    demoBadge = Property(str, _get_demo_badge, constant=True)


__all__ = ["CounterShell"]
