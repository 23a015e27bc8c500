"""The board's port for spoken calls: what the speech half plugs into.

Why a Protocol and not an import: the board must run (and its tests pass) with no speech engine
at all — a hall TV without speakers still shows every call — and the speech package must not
import Qt or the board. Any object with this one method will do; the board calls it on the GUI
thread, once per ``token.called`` / ``token.recalled`` event, in the order the centre sent them,
so the implementation only has to queue (never block, never drop).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class CallAnnouncer(Protocol):
    """Speaks calls: ``announce("C-017", "3", False)``; a recall has ``recall=True``."""

    def announce(self, token: str, counter: str, recall: bool) -> None:
        """Queue the announcement and return at once (the board's GUI thread calls this)."""
        ...


__all__ = ["CallAnnouncer"]
