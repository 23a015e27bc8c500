"""A QTranslator backed by the gettext catalogue, so QML's ``qsTr()`` uses the same .po file.

Keeping one catalogue (instead of Qt's .ts/.qm beside gettext's .po) means one file for the
translators, one completeness test, and the same Hindi on screen and on paper. The QML context
is ignored: msgids are the English sentences, unique across the kiosk.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from kiosk.i18n import catalog, normalise_language


class GettextTranslator(QTranslator):
    """Answers Qt's translate() from the gettext catalogue of one language."""

    def __init__(self, lang: str = "hi") -> None:
        super().__init__()
        self.lang = normalise_language(lang)[0]

    def set_language(self, lang: str) -> None:
        self.lang = normalise_language(lang)[0]

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:  # type: ignore[override]
        if self.lang == "en" or not source_text:
            return ""  # "" tells Qt to keep the source text
        found = catalog(self.lang).gettext(source_text)
        return found if found != source_text else ""
