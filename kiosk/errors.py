"""One exception root for the whole kiosk.

Every error carries two things on purpose: a *user message* (an English msgid marked with
``N_`` so it is translated into Hindi at display time) that may be shown to a citizen, and a
*detail* string with the technical facts for the log. The UI shows only the first; the log
gets both. That split is what keeps stack traces off a citizen's screen.
"""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, translate


class KioskError(Exception):
    """Root of every error the kiosk raises on purpose."""

    default_message = N_("Something went wrong. Please ask the staff for help.")

    def __init__(self, detail: str = "", *, message: str | None = None) -> None:
        self.message = message or self.default_message
        self.detail = detail or self.message
        super().__init__(self.detail)

    def user_message(self, lang: str) -> str:
        """The citizen-facing sentence in ``lang`` ("hi" or "en")."""
        return translate(self.message, lang)


class ConfigError(KioskError):
    """The configuration file or an override is unusable (names the key)."""

    default_message = N_("The kiosk settings have a problem. Please call a technician.")


class StoreError(KioskError):
    """The local database could not be read or written."""

    default_message = N_(
        "Your request could not be saved. Nothing was recorded. Please try again or ask the staff."
    )


class DeviceError(KioskError):
    """A device failed, vanished or answered nonsense."""

    default_message = N_("A device is not working. Please ask the staff for help.")


class PrinterError(DeviceError):
    """The printer could not print (paper out, cover open, offline …)."""

    default_message = N_("The printer could not print your slip. Your token is still valid.")


class BackendError(KioskError):
    """The central backend could not be reached or refused a request."""

    default_message = N_("The central server cannot be reached right now. Your work is saved.")


class ValidationError(KioskError):
    """Input from a person or a file does not meet the rules."""

    default_message = N_("Please check what you entered.")


class AuthError(KioskError):
    """A log-in was refused (unknown card or operator, wrong PIN, disabled, locked out).

    Subclasses (in :mod:`kiosk.centre.operators`) carry what the screen needs (attempts left,
    time left) and a ``code`` / ``http_status`` for the centre's API. The detail never holds the
    PIN, and a card id in it is masked.
    """

    default_message = N_("You could not be logged in. Please check and try again.")
    code = "auth_failed"
    http_status = 401
    #: The recorded attempt (a ``kiosk.centre.operators.LoginAttempt``) to put in the audit trail.
    attempt: Any = None
