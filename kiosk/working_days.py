"""Guaranteed delivery dates in working days of the designated officer's office.

The Act counts *working days* (कार्य दिवस): MP government offices work Monday to Friday, and
public holidays do not count. The ``holidays`` package knows India's and MP's gazetted
holidays but misses some state-declared days, so the backend-synced district holiday table is
added on top. The clock starts at acknowledgement: day 1 is the next working day.
Samadhan Ek Din services submitted on a working day within the same-day window are due today.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

SAME_DAY_OPEN, SAME_DAY_CLOSE = time(9, 30), time(13, 30)
WEEKEND = (5, 6)


@lru_cache(maxsize=16)
def _gazetted(year: int, subdiv: str) -> frozenset[date]:
    return frozenset(holidays.country_holidays("IN", subdiv=subdiv or None, years=year))


class WorkingCalendar:
    """Which days the officer's office works: weekdays minus gazetted and synced holidays."""

    def __init__(self, extra_holidays: Iterable[date] = (), subdiv: str = "MP") -> None:
        self.extra = frozenset(extra_holidays)
        self.subdiv = subdiv

    @classmethod
    def from_store(cls, conn: sqlite3.Connection, district: str,
                   subdiv: str = "MP") -> WorkingCalendar:
        rows = conn.execute("SELECT day FROM holidays WHERE district IN ('*', ?)", (district,))
        days = []
        for (text,) in rows:
            try:
                days.append(date.fromisoformat(text))
            except ValueError:
                continue
        return cls(days, subdiv)

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
        """The date by which the Act guarantees delivery of an application made ``submitted``."""
        start = submitted.date()
        if (same_day and self.is_working(start)
                and SAME_DAY_OPEN <= submitted.time() <= SAME_DAY_CLOSE):
            return start
        return self.add_working_days(start, max(days, 1))
