"""Times as a person at the centre reads them: in the centre's zone (``[kiosk] timezone``,
IST by default), not the machine's.

Why not ``astimezone()``: a kiosk set up from a Debian image runs in UTC (systemd services
have no TZ), so a technician read 04:15 on the test page and in ``kiosk doctor`` for a slip
that said 09:45. Stored times stay UTC ISO-8601 (sortable, unambiguous); only what is shown
or printed is converted, here, in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Kolkata"


def zone(name: str | None) -> ZoneInfo:
    """The named IANA zone; the default (IST) for an empty or unknown name."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def now_in(name: str | None) -> datetime:
    """Now, in the centre's zone."""
    return datetime.now(zone(name))


def _parse(iso: str) -> datetime:
    when = datetime.fromisoformat(iso)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)  # stored as UTC


def clock_text(iso: str | None, name: str | None) -> str:
    """``2026-11-22T04:15:02+00:00`` → ``09:45:02`` in the centre's zone ("" for none)."""
    if not iso:
        return ""
    try:
        return _parse(iso).astimezone(zone(name)).strftime("%H:%M:%S")
    except ValueError:
        return iso


def stamp_text(iso: str | None, name: str | None) -> str:
    """``2026-11-22T04:15:02+00:00`` → ``2026-11-22 09:45:02 IST`` ("" for none)."""
    if not iso:
        return ""
    try:
        return _parse(iso).astimezone(zone(name)).strftime("%Y-%m-%d %H:%M:%S %Z")
    except ValueError:
        return iso


__all__ = ["DEFAULT_ZONE", "clock_text", "now_in", "stamp_text", "zone"]
