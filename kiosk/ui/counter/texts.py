"""Operator-facing wording for the counter console (pure Python, no Qt).

Kept apart from the view-models so the rules (how a wait is written, which sentence a refusal
from the centre service becomes) are unit-testable without a QML engine, and every panel of
the console words a duration or a refusal the same way.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.queue import PRIORITY_LABELS, Priority

#: A sentence in both languages: what every message of the console is.
Bilingual = dict[str, str]

UNREACHABLE = N_("The centre service cannot be reached. Please check the network cable.")


def both(msgid: str, **values: object) -> Bilingual:
    """``msgid`` in Hindi and English, placeholders filled."""
    return {lang: translate(msgid, lang).format(**values) for lang in ("hi", "en")}


def problem_text(exc: BaseException, what: str, log: logging.Logger) -> Bilingual:
    """The centre service's own bilingual refusal when it sent one, else our sentence.

    The server words its refusals (wrong PIN, locked, call while on break) in both languages
    in its problem answer; the client raises them as a :class:`~kiosk.errors.KioskError`
    whose ``user_message(lang)`` is that text. Anything else becomes the generic sentence, and
    the technical story goes only to the log.
    """
    if isinstance(exc, KioskError):
        log.warning("%s refused: %s: %s", what, type(exc).__name__, exc.detail)
        if type(exc).__name__ == "CentreUnreachableError":
            return both(UNREACHABLE)
        return {"hi": exc.user_message("hi"), "en": exc.user_message("en")}
    log.error("%s failed unexpectedly", what, exc_info=exc)
    return both(KioskError.default_message)


def status_code(exc: BaseException) -> int | None:
    """The HTTP status of a refusal, whatever the client calls the attribute."""
    for name in ("status", "status_code", "http_status"):
        value = getattr(exc, name, None)
        if isinstance(value, int):
            return value
    return None


def parse_time(value: object) -> datetime | None:
    """An ISO timestamp from the centre service (naive ones are UTC), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def clock(seconds: float | int | None) -> str:
    """``12:05`` (minutes:seconds), ``1:02:05`` past an hour; ``—`` when unknown.

    Digits stay Latin in both languages: operators read them next to token numbers, which
    are Latin on the slip and the board.
    """
    if seconds is None:
        return "—"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def seconds_between(start: object, end: object | None = None,
                    now: datetime | None = None) -> int | None:
    """Whole seconds from ``start`` to ``end`` (or ``now``); None if ``start`` is unknown."""
    begin = parse_time(start)
    if begin is None:
        return None
    finish = parse_time(end) if end is not None else None
    finish = finish or now or datetime.now(UTC)
    return max(0, int((finish - begin).total_seconds()))


def priority_text(priority: object, lang: str) -> str:
    """The priority category in ``lang`` (unknown values shown as sent)."""
    try:
        return translate(PRIORITY_LABELS[Priority(str(priority))], lang)
    except ValueError:
        return str(priority)


def wait_range_text(low: object, high: object, lang: str) -> str:
    """"10–15 min" / "10–15 मिनट"; "—" when no counter is open for the group."""
    if not isinstance(low, int) or not isinstance(high, int):
        return "—"
    if low == high:
        return translate(N_("{minutes} min"), lang).format(minutes=low)
    return translate(N_("{low}–{high} min"), lang).format(low=low, high=high)


__all__ = ["UNREACHABLE", "Bilingual", "both", "clock", "parse_time", "priority_text",
           "problem_text", "seconds_between", "status_code", "wait_range_text"]
