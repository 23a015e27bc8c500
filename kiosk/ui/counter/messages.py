"""The console's one-line message, in the operator's language and the other one.

Every panel of the counter (console, cash, day-end, the wizard, find) says what just happened
in one sentence under its buttons, in both languages, with a kind (info, ok, error) that
colours it. The getters are the same for all of them, so they live here once; each view-model
keeps its own ``_message`` / ``_message_kind`` and declares its own Qt properties (its own
signal, hence its own meta-object and ``.qmltypes``) with these getters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.ui.counter.texts import Bilingual

if TYPE_CHECKING:
    from kiosk.ui.counter.shell import CounterShell


class SaysMessages:
    """Mixin: ``_message`` (Bilingual), ``_message_kind`` and ``_shell`` are the host's."""

    _message: Bilingual
    _message_kind: str
    _shell: CounterShell
    messageChanged: Any   # the host's own Qt signal

    def _say(self, message: Bilingual, kind: str = "info") -> None:
        self._message, self._message_kind = message, kind
        self.messageChanged.emit()

    def _lang(self) -> str:
        return self._shell.language()

    def _get_message(self) -> str:
        return self._message.get(self._lang(), "")

    def _get_message_other(self) -> str:
        return self._message.get(self._shell.other_language(), "")

    def _get_message_kind(self) -> str:
        return self._message_kind
