"""Day-end at the desk: each operator's counted cash against what the receipts say, and the
centre's day closed only when every drawer is accounted for.

Why the difference is recorded and never adjusted (CENTRE.md "Money at the desk"): the count is
what the operator found in the drawer, the expected amount is what the live receipts of that
operator at that counter add up to (cash receipts taken that day, minus those voided or
refunded — a receipt with ``voided_at`` set). A shortfall or excess is a fact for the
supervisor to see, so the row keeps both amounts and the difference; closing a non-zero
difference needs a supervisor (:func:`kiosk.centre.supervisor.approve`, a second person at the
same counter) and records who approved it and their note. A zero difference closes by the
operator alone.

Re-declaring before the close replaces the declaration (a miscount is corrected by counting
again); each declaration is its own ``day_end.declared`` audit entry, with the amount it
replaced, so the trail keeps every count. A closed declaration is final. If cash is taken after
the count, the close is refused until the operator counts again: the recorded expected amount
must still be the receipts' sum when the row is closed.

The centre's day (``day.closed``, kept in ``settings`` as ``day_closed:<YYYY-MM-DD>``) closes
only when no other counter is logged in and every operator who took cash that day has a closed
declaration whose expected amount still matches the receipts; the refusal names the counter or
the operator.

The functions here take the caller's connection inside its ``BEGIN IMMEDIATE`` (state + audit
entry in one transaction); :class:`DayEndDesk` is the centre service's side of the HTTP
endpoints, checking the operator's session the way counter actions do.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.centre import audit, supervisor
from kiosk.centre.errors import (
    BadRequestError,
    CentreError,
    ForbiddenError,
    NotAllowedError,
    refusal,
)
from kiosk.i18n import N_

if TYPE_CHECKING:
    from kiosk.centre.service import CentreService

#: The most cash one drawer can hold, in paise (₹1 crore): anything larger is a typing slip.
MAX_DECLARED_PAISE = 10_000_000_00
MAX_NOTE = 300

MSG_ALREADY_CLOSED = N_("Your day-end is already closed. It cannot be changed.")
MSG_NOT_DECLARED = N_("Count the cash and enter the amount first.")
MSG_CASH_SINCE = N_("Cash was taken after your count. Please count the cash again.")
MSG_SUPERVISOR_NEEDED = N_("The counted cash differs from the expected amount. A supervisor "
                           "must approve the difference.")
MSG_BAD_AMOUNT = N_("Enter the counted cash as an amount in rupees, for example 1250 or "
                    "1250.50.")
MSG_DAY_CLOSED = N_("The centre's day is already closed.")
MSG_COUNTER_OPEN = N_("Counter {counter} is still open. The operator there must log out first.")
MSG_NOT_COUNTED = N_("Operator {operator} at counter {counter} has not closed their day-end "
                     "yet.")
MSG_CASH_AFTER_CLOSE = N_("Cash was taken at counter {counter} after its day-end was closed. "
                          "Please ask the supervisor.")

DECLARED, CLOSED = "declared", "closed"


@dataclass(frozen=True)
class DayEnd:
    """One operator's declaration for a counter and day (a ``day_ends`` row)."""

    day: str
    counter: str
    operator_id: str
    expected_paise: int
    declared_paise: int
    difference_paise: int
    declared_at: str
    supervisor_id: str | None
    note: str | None
    closed_at: str | None

    @property
    def state(self) -> str:
        return CLOSED if self.closed_at else DECLARED

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day, "counter": self.counter, "operator_id": self.operator_id,
                "expected_paise": self.expected_paise, "declared_paise": self.declared_paise,
                "difference_paise": self.difference_paise, "declared_at": self.declared_at,
                "supervisor_id": self.supervisor_id, "note": self.note,
                "closed_at": self.closed_at, "state": self.state,
                "needs_supervisor": self.difference_paise != 0}


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def expected_cash(conn: sqlite3.Connection, *, day: str, counter: str,
                  operator_id: str) -> int:
    """Paise the drawer should hold: the live (not voided or refunded) receipts taken by
    ``operator_id`` at ``counter`` on ``day``."""
    row = conn.execute(
        "SELECT COALESCE(SUM(amount_paise), 0) FROM cash_receipts WHERE day = ? AND "
        "counter = ? AND operator_id = ? AND voided_at IS NULL",
        (day, str(counter), operator_id)).fetchone()
    return int(row[0])


def _from_row(row: sqlite3.Row | tuple[Any, ...]) -> DayEnd:
    r = tuple(row)
    return DayEnd(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5]), str(r[6]),
                  r[7], r[8], r[9])


_COLUMNS = ("day, counter, operator_id, expected_paise, declared_paise, difference_paise, "
            "declared_at, supervisor_id, note, closed_at")


def get(conn: sqlite3.Connection, *, day: str, counter: str, operator_id: str) -> DayEnd | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM day_ends WHERE day = ? AND counter = ? AND "
                       "operator_id = ?", (day, str(counter), operator_id)).fetchone()
    return _from_row(row) if row is not None else None


def day_closed(conn: sqlite3.Connection, day: str) -> dict[str, Any] | None:
    """The centre's day close (``{"at", "by", "counter"}``) or None while the day is open."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?",
                       (f"day_closed:{day}",)).fetchone()
    if row is None:
        return None
    value = json.loads(row[0])
    return value if isinstance(value, dict) else None


def declare(conn: sqlite3.Connection, *, day: str, counter: str, operator_id: str,
            declared_paise: int, now: datetime) -> DayEnd:
    """Record the counted cash (replacing an earlier count not yet closed); audited."""
    if isinstance(declared_paise, bool) or not isinstance(declared_paise, int) \
            or not 0 <= declared_paise <= MAX_DECLARED_PAISE:
        raise BadRequestError(f"declared_paise {declared_paise!r} out of range",
                              code="bad-amount", message=MSG_BAD_AMOUNT)
    if day_closed(conn, day) is not None:
        raise NotAllowedError(f"day {day} closed", code="day-closed", message=MSG_DAY_CLOSED)
    before = get(conn, day=day, counter=counter, operator_id=operator_id)
    if before is not None and before.closed_at:
        raise NotAllowedError("day-end already closed", code="day-end-closed",
                              message=MSG_ALREADY_CLOSED)
    expected = expected_cash(conn, day=day, counter=counter, operator_id=operator_id)
    difference = declared_paise - expected
    conn.execute(
        "INSERT OR REPLACE INTO day_ends (day, counter, operator_id, expected_paise, "
        "declared_paise, difference_paise, declared_at, supervisor_id, note, closed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
        (day, str(counter), operator_id, expected, declared_paise, difference, _iso(now)))
    detail: dict[str, Any] = {"day": day, "expected_paise": expected,
                              "declared_paise": declared_paise, "difference_paise": difference}
    if before is not None:
        detail["replaces_declared_paise"] = before.declared_paise
    audit.append(conn, action="day_end.declared", operator_id=operator_id, counter=counter,
                 detail=detail, at=now)
    result = get(conn, day=day, counter=counter, operator_id=operator_id)
    assert result is not None
    return result


def close(conn: sqlite3.Connection, *, day: str, counter: str, operator_id: str, now: datetime,
          supervisor_id: str | None = None, note: str | None = None) -> DayEnd:
    """Close the declaration. A non-zero difference needs ``supervisor_id`` (already approved
    by :func:`kiosk.centre.supervisor.approve` in this transaction); audited."""
    current = get(conn, day=day, counter=counter, operator_id=operator_id)
    if current is None:
        raise NotAllowedError("nothing declared", code="not-declared", message=MSG_NOT_DECLARED)
    if current.closed_at:
        raise NotAllowedError("day-end already closed", code="day-end-closed",
                              message=MSG_ALREADY_CLOSED)
    if expected_cash(conn, day=day, counter=counter, operator_id=operator_id) \
            != current.expected_paise:
        raise NotAllowedError("receipts changed since the count", code="count-again",
                              message=MSG_CASH_SINCE)
    if current.difference_paise != 0 and not supervisor_id:
        raise ForbiddenError("difference needs a supervisor", code="supervisor-required",
                             message=MSG_SUPERVISOR_NEEDED)
    clean_note = (note or "").strip()[:MAX_NOTE] or None
    conn.execute("UPDATE day_ends SET supervisor_id = ?, note = ?, closed_at = ? WHERE day = ? "
                 "AND counter = ? AND operator_id = ?",
                 (supervisor_id if current.difference_paise else None, clean_note, _iso(now),
                  day, str(counter), operator_id))
    detail: dict[str, Any] = {"day": day, "expected_paise": current.expected_paise,
                              "declared_paise": current.declared_paise,
                              "difference_paise": current.difference_paise}
    if current.difference_paise:
        detail["supervisor"] = supervisor_id
    if clean_note:
        detail["with_note"] = 1  # the note's text may name people: it stays in the row only
    audit.append(conn, action="day_end.closed", operator_id=operator_id, counter=counter,
                 detail=detail, at=now)
    result = get(conn, day=day, counter=counter, operator_id=operator_id)
    assert result is not None
    return result


def close_refusal(conn: sqlite3.Connection, *, day: str,
                  except_counter: str | None = None) -> CentreError | None:
    """Why the centre's day cannot close now (the first reason), or None when it can.

    ``except_counter`` is the counter asking: its own operator is logged in to ask.
    """
    if day_closed(conn, day) is not None:
        return NotAllowedError(f"day {day} closed", code="day-closed", message=MSG_DAY_CLOSED)
    for (number,) in conn.execute("SELECT counter FROM counters WHERE state != 'closed' "
                                  "ORDER BY counter"):
        if except_counter is not None and str(number) == str(except_counter):
            continue
        error = refusal(NotAllowedError, f"counter {number} open", MSG_COUNTER_OPEN,
                        counter=str(number))
        error.code = "counter-open"
        return error
    drawers = conn.execute(
        """
        SELECT c.counter, c.operator_id, c.live, d.expected_paise, d.closed_at
        FROM (SELECT counter, operator_id,
                     COALESCE(SUM(CASE WHEN voided_at IS NULL THEN amount_paise END), 0) AS live
              FROM cash_receipts WHERE day = ? GROUP BY counter, operator_id) AS c
        LEFT JOIN day_ends AS d
          ON d.day = ? AND d.counter = c.counter AND d.operator_id = c.operator_id
        UNION ALL
        SELECT d.counter, d.operator_id, d.expected_paise, d.expected_paise, d.closed_at
        FROM day_ends AS d WHERE d.day = ? AND d.closed_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM cash_receipts r WHERE r.day = d.day AND r.counter = d.counter
            AND r.operator_id = d.operator_id)
        ORDER BY 1, 2
        """, (day, day, day)).fetchall()
    for number, operator_id, live, expected, closed_at in drawers:
        if closed_at is None and expected is None and int(live) == 0:
            continue  # every receipt voided and nothing declared: no cash to account for
        if closed_at is None:
            error = refusal(NotAllowedError, f"{operator_id} at {number} not closed",
                            MSG_NOT_COUNTED, operator=str(operator_id), counter=str(number))
            error.code = "day-end-missing"
            return error
        if int(live) != int(expected):
            error = refusal(NotAllowedError, f"cash at {number} after its close",
                            MSG_CASH_AFTER_CLOSE, counter=str(number))
            error.code = "cash-after-close"
            return error
    return None


def close_day(conn: sqlite3.Connection, *, day: str, now: datetime, operator_id: str,
              counter: str) -> dict[str, Any]:
    """Close the centre's day (refused with the reason, see :func:`close_refusal`); audited."""
    error = close_refusal(conn, day=day, except_counter=counter)
    if error is not None:
        raise error
    totals = conn.execute("SELECT COUNT(*), COALESCE(SUM(expected_paise), 0), "
                          "COALESCE(SUM(declared_paise), 0) FROM day_ends WHERE day = ?",
                          (day,)).fetchone()
    record = {"day": day, "at": _iso(now), "by": operator_id, "counter": str(counter),
              "day_ends": int(totals[0]), "expected_paise": int(totals[1]),
              "declared_paise": int(totals[2])}
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                 (f"day_closed:{day}", json.dumps(record)))
    audit.append(conn, action="day.closed", operator_id=operator_id, counter=counter,
                 detail={k: v for k, v in record.items() if k not in ("at", "by", "counter")},
                 at=now)
    return record


def parse_supervisor(body: dict[str, Any] | None) -> dict[str, str] | None:
    """The supervisor's credential from a request (``operator_id`` or ``card_id``, ``pin``)."""
    if not body:
        return None
    out = {k: str(body[k]) for k in ("operator_id", "card_id", "pin") if body.get(k)}
    if "pin" not in out or ("operator_id" in out) == ("card_id" in out):
        raise BadRequestError("supervisor needs a pin and one of operator_id, card_id",
                              message=N_("Give the supervisor's ID or card, and their PIN."))
    return out


class DayEndDesk:
    """The centre service's day-end: each call one transaction, after the session check."""

    def __init__(self, service: CentreService) -> None:
        self.service = service

    def _day(self, day: str | None) -> str:
        return day or self.service.today()

    def declare(self, counter: str, session: str | None, declared_paise: int) -> dict[str, Any]:
        svc = self.service
        with svc._write() as (conn, _published):
            srow = svc._session(conn, session, counter)
            row = declare(conn, day=svc.today(), counter=str(counter),
                          operator_id=str(srow["operator_id"]), declared_paise=declared_paise,
                          now=svc.now())
        return row.to_json()

    def close(self, counter: str, session: str | None, *, note: str | None = None,
              supervisor_credential: dict[str, Any] | None = None) -> dict[str, Any]:
        svc = self.service
        credential = parse_supervisor(supervisor_credential)
        error: CentreError | None = None
        result: DayEnd | None = None
        with svc._write() as (conn, _published):
            srow = svc._session(conn, session, counter)
            op, day, now = str(srow["operator_id"]), svc.today(), svc.now()
            current = get(conn, day=day, counter=str(counter), operator_id=op)
            approved: str | None = None
            if current is not None and current.difference_paise and not current.closed_at \
                    and credential is not None:
                approval = supervisor.approve(
                    conn, pin=credential["pin"], counter=str(counter), action="day_end.close",
                    now=now, operator_id=credential.get("operator_id"),
                    card_id=credential.get("card_id"), requested_by=op)
                # A refused approval still commits: its attempt counts towards the lock-out.
                error = approval.error
                approved = approval.supervisor.id if approval.supervisor else None
            if error is None:
                result = close(conn, day=day, counter=str(counter), operator_id=op, now=now,
                               supervisor_id=approved, note=note)
        if error is not None:
            raise error
        assert result is not None
        return result.to_json()

    def close_day(self, counter: str, session: str | None) -> dict[str, Any]:
        svc = self.service
        with svc._write() as (conn, _published):
            srow = svc._session(conn, session, counter)
            return close_day(conn, day=svc.today(), now=svc.now(),
                             operator_id=str(srow["operator_id"]), counter=str(counter))

    def report(self, session: str | None, *, day: str | None = None,
               counter: str | None = None) -> dict[str, Any]:
        """The day report (:mod:`kiosk.centre.day_report`) for a logged-in operator."""
        from kiosk.centre.day_report import day_report

        svc = self.service
        with svc._write() as (conn, _published):
            svc._session(conn, session)  # proves an operator asks (and keeps it alive)
        return day_report(svc.store.conn, self._day(day), counter=counter,
                          tz=svc.tz).to_json()


__all__ = ["DayEnd", "DayEndDesk", "close", "close_day", "close_refusal", "declare",
           "expected_cash", "get"]
