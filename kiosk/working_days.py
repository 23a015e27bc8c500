"""The kiosk's working calendar: the shared due-date rule read from the kiosk's own store.

The rule itself (Mon-Fri, gazetted India/MP holidays, the synced district table, the Samadhan
Ek Din same-day window, day 1 = the next working day) lives in
:mod:`backend_client.working_days`, because the backend must compute exactly the same date
for ``due_date`` (docs/backend.md). This module adds only where the kiosk's holidays come
from: the ``holidays`` table the synced reference document fills.
"""

from __future__ import annotations

import sqlite3

from backend_client.working_days import (
    SAME_DAY_CLOSE,
    SAME_DAY_OPEN,
    WEEKEND,
    district_holidays,
)
from backend_client.working_days import WorkingCalendar as _SharedCalendar

__all__ = ["SAME_DAY_CLOSE", "SAME_DAY_OPEN", "WEEKEND", "WorkingCalendar"]


class WorkingCalendar(_SharedCalendar):
    """The shared calendar, built from the kiosk's synced ``holidays`` table."""

    @classmethod
    def from_store(cls, conn: sqlite3.Connection, district: str,
                   subdiv: str = "MP") -> WorkingCalendar:
        rows = conn.execute("SELECT day, district FROM holidays WHERE district IN ('*', ?)",
                            (district,))
        return cls(district_holidays(({"date": d, "district": w} for d, w in rows), district),
                   subdiv)
