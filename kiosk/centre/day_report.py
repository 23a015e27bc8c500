"""The day-end report of a centre-day: the queue, the applications, the fees and the cash.

Why it reads the centre's own tables and nothing else: the centre service is the desk's
authority (CENTRE.md), so the figures a supervisor signs are the records themselves — the
``tokens`` of the day, the desk ``applications`` and their ``payments``, the kiosks' copies in
``kiosk_applications``, the ``cash_receipts`` and the ``day_ends`` — never a counter's own
tally. Each section is one grouped SQL statement (a few passes over a day's rows, with the
indexes the tables already have), so 1,000 tokens and 500 applications report in milliseconds
(``bench/bench_day_end.py``).

What the figures mean:

* **issued / served / no-show**: tokens of the day by their state now (a requeued no-show that
  was served later counts as served). With ``counter``, only the tokens called at that counter.
* **wait**: issued → called (the first call; a recall does not restart it); **service**:
  called → served (``tokens.service_s``, as the centre measured it). Per group (the group the
  token is in now: a transfer moves it) and per counter.
* **waits by hour**: tokens issued in each hour of the centre's local day, and their average
  wait, for the console's chart.
* **applications per service**: desk applications (entered at a counter) and kiosk copies.
* **fees by method**: cash from live receipts (voided and refunded ones apart), UPI confirmed
  by the backend, and what is still pending.
* **cash per operator**: the live receipts of each operator at each counter (the expected cash)
  against the declared count, its difference and the supervisor who approved it.

Amounts are integer paise, times seconds (one decimal); formatting for people is the caller's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.centre.day_end import day_closed


def _avg(value: object) -> float | None:
    return None if value is None else round(float(value), 1)  # type: ignore[arg-type]


@dataclass
class DayReport:
    """Everything on the day-end report; :meth:`to_json` is the wire and ``--json`` shape."""

    day: str
    counter: str | None
    tokens: dict[str, Any]
    groups: list[dict[str, Any]]
    counters: list[dict[str, Any]]
    waits_by_hour: list[dict[str, Any]]
    applications: list[dict[str, Any]]
    applications_total: dict[str, int]
    fees: dict[str, Any]
    cash: list[dict[str, Any]]
    cash_total: dict[str, Any]
    day_closed: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """No token, application or cash that day (a date without data)."""
        return (not self.tokens["issued"] and not self.applications_total["total"]
                and not self.cash)

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day, "counter": self.counter, "tokens": self.tokens,
                "groups": self.groups, "counters": self.counters,
                "waits_by_hour": self.waits_by_hour, "applications": self.applications,
                "applications_total": self.applications_total, "fees": self.fees,
                "cash": self.cash, "cash_total": self.cash_total,
                "day_closed": self.day_closed, "empty": self.empty}


def _utc_offset_minutes(day: str, tz: ZoneInfo) -> int:
    noon = datetime.combine(date.fromisoformat(day), time(12), tzinfo=tz)
    offset = noon.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


_WAIT = "(julianday(called_at) - julianday(issued_at)) * 86400.0"


def _token_sections(conn: sqlite3.Connection, day: str, counter: str | None,
                    offset: int) -> tuple[dict[str, Any], list[dict[str, Any]],
                                          list[dict[str, Any]], list[dict[str, Any]]]:
    where, params = "day = ?", [day]
    if counter is not None:
        where += " AND counter = ?"
        params.append(counter)
    base = (f"SELECT grp, counter, state, service_s, "
            f"CASE WHEN called_at IS NOT NULL THEN MAX(0.0, {_WAIT}) END AS wait_s, "
            f"CAST(strftime('%H', issued_at, '{offset:+d} minutes') AS INTEGER) AS hour "
            f"FROM tokens WHERE {where}")
    figures = ("COUNT(*), SUM(state = 'served'), SUM(state = 'no_show'), "
               "SUM(state = 'waiting'), AVG(wait_s), "
               "AVG(CASE WHEN state = 'served' THEN service_s END), COUNT(wait_s)")

    def row_json(r: tuple[Any, ...]) -> dict[str, Any]:
        return {"issued": int(r[0]), "served": int(r[1] or 0), "no_show": int(r[2] or 0),
                "waiting": int(r[3] or 0), "avg_wait_s": _avg(r[4]),
                "avg_service_s": _avg(r[5]), "called": int(r[6] or 0)}

    rows = conn.execute(
        f"WITH t AS ({base}) "
        f"SELECT 'all', NULL, {figures} FROM t "
        f"UNION ALL SELECT 'group', grp, {figures} FROM t GROUP BY grp "
        f"UNION ALL SELECT 'counter', counter, {figures} FROM t WHERE counter IS NOT NULL "
        f"GROUP BY counter "
        f"UNION ALL SELECT 'hour', hour, {figures} FROM t GROUP BY hour", params).fetchall()
    totals: dict[str, Any] = {}
    groups, counters, hours = [], [], []
    for r in rows:
        kind, key, values = r[0], r[1], row_json(tuple(r[2:]))
        if kind == "all":
            totals = values
        elif kind == "group":
            groups.append({"group": str(key), **values})
        elif kind == "counter":
            counters.append({"counter": str(key), **values})
        else:
            hours.append({"hour": int(key), **values})
    groups.sort(key=lambda g: g["group"])
    counters.sort(key=lambda c: (len(c["counter"]), c["counter"]))
    hours.sort(key=lambda h: h["hour"])
    return totals, groups, counters, hours


def _applications(conn: sqlite3.Connection, day: str,
                  counter: str | None) -> tuple[list[dict[str, Any]], dict[str, int]]:
    desk_where, params = "day = ?", [day]
    if counter is not None:
        desk_where += " AND counter = ?"
        params.append(counter)
    kiosk_sql = ("UNION ALL SELECT service_code, 0, 1 FROM kiosk_applications WHERE day = ?"
                 if counter is None else "")
    if counter is None:
        params.append(day)
    rows = conn.execute(
        f"SELECT service_code, SUM(desk), SUM(kiosk) FROM ("
        f"SELECT service_code, 1 AS desk, 0 AS kiosk FROM applications WHERE {desk_where} "
        f"{kiosk_sql}) GROUP BY service_code ORDER BY service_code", params).fetchall()
    services: list[dict[str, Any]] = [
        {"service": str(r[0]), "desk": int(r[1]), "kiosk": int(r[2]),
         "total": int(r[1]) + int(r[2])} for r in rows]
    desk = sum(int(s["desk"]) for s in services)
    kiosk = sum(int(s["kiosk"]) for s in services)
    total = {"desk": desk, "kiosk": kiosk, "total": desk + kiosk}
    return services, total


def _fees(conn: sqlite3.Connection, day: str, counter: str | None) -> dict[str, Any]:
    rc_where, rc_params = "day = ?", [day]
    if counter is not None:
        rc_where += " AND counter = ?"
        rc_params.append(counter)
    cash = conn.execute(
        f"SELECT SUM(voided_at IS NULL), COALESCE(SUM(CASE WHEN voided_at IS NULL THEN "
        f"amount_paise END), 0), SUM(void_kind = 'void'), COALESCE(SUM(CASE WHEN "
        f"void_kind = 'void' THEN amount_paise END), 0), SUM(void_kind = 'refund'), "
        f"COALESCE(SUM(CASE WHEN void_kind = 'refund' THEN amount_paise END), 0) "
        f"FROM cash_receipts WHERE {rc_where}", rc_params).fetchone()
    app_where, app_params = "a.day = ?", [day]
    if counter is not None:
        app_where += " AND a.counter = ?"
        app_params.append(counter)
    live = ("EXISTS (SELECT 1 FROM cash_receipts r WHERE r.application_no = {col} "
            "AND r.voided_at IS NULL)")
    upi_paid = ("EXISTS (SELECT 1 FROM payments p WHERE p.application_no = a.application_no "
                "AND p.method = 'upi' AND p.status = 'paid')")
    desk = conn.execute(
        f"SELECT SUM({upi_paid}), COALESCE(SUM(CASE WHEN {upi_paid} THEN a.fee_paise END), 0), "
        f"SUM(NOT {upi_paid} AND NOT {live.format(col='a.application_no')}), "
        f"COALESCE(SUM(CASE WHEN NOT {upi_paid} AND NOT "
        f"{live.format(col='a.application_no')} THEN a.fee_paise END), 0) "
        f"FROM applications a WHERE {app_where} AND a.fee_paise > 0", app_params).fetchone()
    upi_count, upi_paise = int(desk[0] or 0), int(desk[1] or 0)
    pending_count, pending_paise = int(desk[2] or 0), int(desk[3] or 0)
    if counter is None:
        kiosk_paid = ("(k.payment_method = 'upi' AND "
                      "json_extract(k.record, '$.payment.status') = 'paid')")
        kiosk = conn.execute(
            f"SELECT SUM({kiosk_paid}), COALESCE(SUM(CASE WHEN {kiosk_paid} THEN k.fee_paise "
            f"END), 0), SUM(NOT {kiosk_paid} AND NOT {live.format(col='k.application_no')}), "
            f"COALESCE(SUM(CASE WHEN NOT {kiosk_paid} AND NOT "
            f"{live.format(col='k.application_no')} THEN k.fee_paise END), 0) "
            f"FROM kiosk_applications k WHERE k.day = ? AND k.fee_paise > 0 AND "
            f"json_valid(k.record)", (day,)).fetchone()
        upi_count += int(kiosk[0] or 0)
        upi_paise += int(kiosk[1] or 0)
        pending_count += int(kiosk[2] or 0)
        pending_paise += int(kiosk[3] or 0)
    return {"cash": {"count": int(cash[0] or 0), "paise": int(cash[1])},
            "upi": {"count": upi_count, "paise": upi_paise},
            "pending": {"count": pending_count, "paise": pending_paise},
            "voided": {"count": int(cash[2] or 0), "paise": int(cash[3])},
            "refunded": {"count": int(cash[4] or 0), "paise": int(cash[5])},
            "total_paise": int(cash[1]) + upi_paise}


def _cash(conn: sqlite3.Connection, day: str,
          counter: str | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    filt, params = "", [day, day]
    if counter is not None:
        filt = " AND counter = ?"
        params = [day, counter, day, counter]
    rows = conn.execute(
        f"""
        SELECT k.counter, k.operator_id,
               COALESCE(r.receipts, 0), COALESCE(r.voided, 0), COALESCE(r.live, 0),
               d.expected_paise, d.declared_paise, d.difference_paise, d.supervisor_id,
               d.note, d.declared_at, d.closed_at
        FROM (SELECT counter, operator_id FROM cash_receipts WHERE day = ?{filt}
              UNION SELECT counter, operator_id FROM day_ends WHERE day = ?{filt}) AS k
        LEFT JOIN (SELECT counter, operator_id, SUM(voided_at IS NULL) AS receipts,
                          SUM(voided_at IS NOT NULL) AS voided,
                          SUM(CASE WHEN voided_at IS NULL THEN amount_paise ELSE 0 END) AS live
                   FROM cash_receipts WHERE day = ? GROUP BY counter, operator_id) AS r
          ON r.counter = k.counter AND r.operator_id = k.operator_id
        LEFT JOIN day_ends AS d
          ON d.day = ? AND d.counter = k.counter AND d.operator_id = k.operator_id
        ORDER BY length(k.counter), k.counter, k.operator_id
        """, [*params, day, day]).fetchall()
    out = []
    for r in rows:
        declared = None if r[6] is None else int(r[6])
        state = "not_declared" if declared is None else ("closed" if r[11] else "declared")
        out.append({
            "counter": str(r[0]), "operator_id": str(r[1]), "receipts": int(r[2]),
            "voided": int(r[3]), "expected_paise": int(r[4]), "declared_paise": declared,
            "difference_paise": None if declared is None else int(r[7]),
            "counted_expected_paise": None if r[5] is None else int(r[5]),
            "changed_since_count": declared is not None and int(r[5]) != int(r[4]),
            "supervisor_id": r[8], "note": r[9], "declared_at": r[10], "closed_at": r[11],
            "state": state})
    total = {"expected_paise": sum(c["expected_paise"] for c in out),
             "declared_paise": sum(c["declared_paise"] or 0 for c in out),
             "difference_paise": sum(c["difference_paise"] or 0 for c in out),
             "receipts": sum(c["receipts"] for c in out),
             "not_declared": sum(c["state"] == "not_declared" for c in out),
             "open": sum(c["state"] != "closed" for c in out)}
    return out, total


def day_report(conn: sqlite3.Connection, day: str, *, counter: str | None = None,
               tz: ZoneInfo | None = None) -> DayReport:
    """The report of ``day`` (``YYYY-MM-DD``, the centre's local day), optionally one counter.

    Reads in one read transaction, so the sections agree with each other while counters keep
    writing.
    """
    date.fromisoformat(day)  # a bad date is the caller's ValueError, never SQL
    zone = tz or ZoneInfo("Asia/Kolkata")
    offset = _utc_offset_minutes(day, zone)
    counter = None if counter in (None, "") else str(counter)
    own = conn.in_transaction
    if not own:
        conn.execute("BEGIN")
    try:
        totals, groups, counters, hours = _token_sections(conn, day, counter, offset)
        services, apps_total = _applications(conn, day, counter)
        fees = _fees(conn, day, counter)
        cash, cash_total = _cash(conn, day, counter)
        closed = day_closed(conn, day)
    finally:
        if not own:
            conn.execute("COMMIT")
    if not totals:
        totals = {"issued": 0, "served": 0, "no_show": 0, "waiting": 0, "avg_wait_s": None,
                  "avg_service_s": None, "called": 0}
    return DayReport(day=day, counter=counter, tokens=totals, groups=groups, counters=counters,
                     waits_by_hour=hours, applications=services,
                     applications_total=apps_total, fees=fees, cash=cash,
                     cash_total=cash_total, day_closed=closed)


__all__ = ["DayReport", "day_report"]
