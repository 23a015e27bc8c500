"""The states view-models share with each other and with QML (one ``StrEnum`` each).

QML compares these as strings (``session.screen === "token"``), so every value is a
``StrEnum``: Python code gets a typo caught at import, QML keeps its plain strings. States that
belong to one screen only live with that screen's view-model.
"""

from __future__ import annotations

from enum import StrEnum


class Screen(StrEnum):
    """Which screen is up (``session.screen``); the session owns the switch."""

    ATTRACT = "attract"
    LANGUAGE = "language"
    HOME = "home"
    GROUPS = "groups"
    PRIORITY = "priority"
    TOKEN = "token"
    #: Technician mode (technician.py owns the PIN gate, diagnostics.py the screen; the session
    #: owns only the switch and the idle timeout, so a walked-away technician is logged out
    #: exactly like a citizen).
    TECH_PIN = "tech_pin"
    DIAGNOSTICS = "diagnostics"
    #: Applications (wizard.py owns the wizard's own pages), status look-up (status.py) and
    #: certificate verification (verify.py).
    APPLY = "apply"
    STATUS = "status"
    VERIFY = "verify"


class PrintState(StrEnum):
    """A slip's progress on every screen that prints one (``printState``)."""

    IDLE = "idle"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


__all__ = ["PrintState", "Screen"]
