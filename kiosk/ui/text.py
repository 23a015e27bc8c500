"""Citizen-facing wording that needs numbers, times or durations (pure Python, no Qt).

Kept apart from the view-model so the wording rules (how a wait is rounded, when "you are next"
replaces a duration) are unit-testable without a QML engine, and so the token screen and any
later screen word a wait identically.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from babel.dates import format_timedelta

from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import babel_locale, format_date, format_time


def _duration(minutes: int, lang: str) -> str:
    """Babel duration; above an hour we say hours *and* minutes, rounded to five minutes.

    Babel alone rounds 90 minutes to "2 hours", which would make a citizen come back late.
    """
    locale = babel_locale(lang)
    if minutes < 60:
        return format_timedelta(timedelta(minutes=minutes), threshold=1.0, locale=locale)
    rounded = int(5 * round(minutes / 5))
    hours, rest = divmod(rounded, 60)
    parts = [format_timedelta(timedelta(hours=hours), threshold=1.0, locale=locale)]
    if rest:
        parts.append(format_timedelta(timedelta(minutes=rest), threshold=1.0, locale=locale))
    return " ".join(parts)


def wait_text(minutes: int, lang: str) -> str:
    """"about 12 minutes" / "लगभग 12 मिनट"; nobody waiting gives a plain "You are next"."""
    if minutes <= 0:
        return translate(N_("You are next"), lang)
    return translate(N_("about {duration}"), lang).format(duration=_duration(minutes, lang))


def issued_text(when: datetime, lang: str) -> str:
    """Time first (what a citizen checks), then the date the slip is valid for."""
    return f"{format_time(when, lang)}, {format_date(when, lang)}"


def other_language(lang: str) -> str:
    return "en" if lang == "hi" else "hi"


def error_messages(exc: BaseException, what: str, log: logging.Logger,
                   replace: dict[str, str] | None = None) -> dict[str, str]:
    """Citizen-facing text about a failure in both languages; the technical story (detail,
    traceback) goes only to ``log``. ``replace`` swaps a generic msgid for one that fits the
    screen (e.g. the token printer's sentence on the acknowledgement page)."""
    if isinstance(exc, KioskError):
        log.warning("%s failed: %s: %s", what, type(exc).__name__, exc.detail)
        msgid = (replace or {}).get(exc.message, exc.message)
    else:
        log.error("%s failed unexpectedly", what, exc_info=exc)
        msgid = KioskError.default_message
    return {"hi": translate(msgid, "hi"), "en": translate(msgid, "en")}
