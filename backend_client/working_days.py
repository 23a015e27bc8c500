"""Guaranteed delivery dates in working days: the one rule the kiosk and the backend share.

The kiosk prints the due date on the acknowledgement when the citizen submits; the backend
answers ``due_date`` on every status look-up. Both must name the same day, so both compute it
here, from the same inputs: the application's own ``submitted_at`` (the kiosk's clock and
zone, not the day the backend happened to receive it), the service's ``days`` and
``same_day`` from the ``catalogue`` document, and the ``holidays`` document's rows for the
centre's district on top of the gazetted holidays of the ``holidays`` package.

The Act counts *working days* (कार्य दिवस): MP government offices work Monday to Friday, and
public holidays do not count. The ``holidays`` package knows India's and MP's gazetted
holidays but misses some state-declared days, so the synced district holiday table is added on
top. The clock starts at acknowledgement: day 1 is the next working day. Samadhan Ek Din
services submitted on a working day within the same-day window are due the same day.

Pure (no database, no HTTP): ``backend_client`` imports nothing from the kiosk, and the
reference backend imports nothing from the kiosk, so the rule lives with the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import holidays

SAME_DAY_OPEN, SAME_DAY_CLOSE = time(9, 30), time(13, 30)
WEEKEND = (5, 6)
#: The ``holidays`` package's subdivision for Madhya Pradesh (the kiosk's default).
DEFAULT_SUBDIV = "MP"


@lru_cache(maxsize=16)
def _gazetted(year: int, subdiv: str) -> frozenset[date]:
    return frozenset(holidays.country_holidays("IN", subdiv=subdiv or None, years=year))


def district_holidays(rows: Iterable[Mapping[str, Any]], district: str) -> list[date]:
    """The days of a ``holidays`` document's rows that apply to ``district`` (or to all, ``*``).

    A row without a district counts for every district (as the kiosk stores it); a row whose
    date does not parse is skipped rather than failing the whole calendar.
    """
    out: list[date] = []
    for r in rows:
        if str(r.get("district") or "*") not in ("*", district):
            continue
        try:
            out.append(date.fromisoformat(str(r.get("date"))))
        except ValueError:
            continue
    return out


class WorkingCalendar:
    """Which days the officer's office works: weekdays minus gazetted and synced holidays."""

    def __init__(self, extra_holidays: Iterable[date] = (),
                 subdiv: str = DEFAULT_SUBDIV) -> None:
        self.extra = frozenset(extra_holidays)
        self.subdiv = subdiv

    def is_working(self, day: date) -> bool:
        return (day.weekday() not in WEEKEND and day not in self.extra
                and day not in _gazetted(day.year, self.subdiv))

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when days is 0)."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                left -= 1
        return day

    def due_date(self, submitted: datetime, days: int, same_day: bool) -> date:
        """The date by which the Act guarantees delivery of an application made ``submitted``.

        ``submitted`` is read in its own offset (the kiosk's local time): the date and the
        same-day window are the citizen's, whatever zone the computing machine runs in.
        """
        start = submitted.date()
        if (same_day and self.is_working(start)
                and SAME_DAY_OPEN <= submitted.time() <= SAME_DAY_CLOSE):
            return start
        return self.add_working_days(start, max(days, 1))
