"""Day-end at the desk: the count against the receipts, the supervisor for a difference, the
centre's day closed only when every drawer is accounted for, and the day report's totals
equal to the records they add up."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from centre_helpers import PIN, assert_bilingual
from day_helpers import SUP_PIN, Day, issue, make_day

from kiosk.centre import audit
from kiosk.centre.day_end import DayEndDesk
from kiosk.centre.day_report import day_report
from kiosk.centre.errors import ForbiddenError, NotAllowedError, UnauthorizedError


@pytest.fixture
def day(tmp_path: Path) -> Day:
    d = make_day(tmp_path)
    yield d
    d.svc.store.close()


def _actions(day: Day) -> list[str]:
    return [e.action for e in audit.entries(day.svc.store.conn, limit=10000)]


def test_a_zero_difference_closes_by_the_operator(day: Day) -> None:
    desk = DayEndDesk(day.svc)
    s = day.login("1", "op1")
    day.receipt("1", "op1", 3000)
    day.receipt("1", "op1", 5000)
    day.receipt("1", "op1", 2000, voided="void")   # voided: not in the drawer
    day.receipt("2", "op2", 9900)                  # another drawer
    first = desk.declare("1", s, 7000)
    assert (first["expected_paise"], first["difference_paise"]) == (8000, -1000)
    again = desk.declare("1", s, 8000)              # counted again before the close
    assert again["difference_paise"] == 0 and again["state"] == "declared"
    closed = desk.close("1", s)
    assert closed["state"] == "closed" and closed["supervisor_id"] is None
    assert _actions(day)[-3:] == ["day_end.declared", "day_end.declared", "day_end.closed"]
    entries = audit.entries(day.svc.store.conn, limit=10000)
    assert entries[-2].detail["replaces_declared_paise"] == 7000
    with pytest.raises(NotAllowedError) as err:     # final
        desk.declare("1", s, 8100)
    assert_bilingual(err.value)
    assert audit.verify(day.svc.store.conn).ok


def test_a_difference_needs_a_supervisor(day: Day) -> None:
    desk = DayEndDesk(day.svc)
    s = day.login("1", "op1")
    day.receipt("1", "op1", 12000)
    assert desk.declare("1", s, 11500)["difference_paise"] == -500
    with pytest.raises(ForbiddenError) as err:      # no supervisor
        desk.close("1", s)
    assert err.value.code == "supervisor-required"
    assert_bilingual(err.value)
    with pytest.raises(ForbiddenError) as err:      # an operator's PIN is not a supervisor's
        desk.close("1", s, supervisor_credential={"operator_id": "op2", "pin": PIN})
    assert err.value.code == "not-supervisor"
    with pytest.raises(UnauthorizedError):          # a wrong PIN, counted
        desk.close("1", s, supervisor_credential={"operator_id": "sup1", "pin": "000000"})
    assert "supervisor.refused" in _actions(day)    # refusals were committed
    row = desk.close("1", s, note="₹5 coin short",
                     supervisor_credential={"operator_id": "sup1", "pin": SUP_PIN})
    assert row["state"] == "closed" and row["supervisor_id"] == "sup1"
    assert row["difference_paise"] == -500 and row["note"] == "₹5 coin short"
    stored = day.svc.store.conn.execute(
        "SELECT expected_paise, declared_paise, difference_paise, supervisor_id FROM day_ends"
    ).fetchone()
    assert tuple(stored) == (12000, 11500, -500, "sup1")   # recorded, never adjusted
    last = audit.entries(day.svc.store.conn, limit=10000)[-1]
    assert last.action == "day_end.closed" and last.detail["supervisor"] == "sup1"
    assert "₹5" not in str(last.detail)


def test_cash_after_the_count_means_counting_again(day: Day) -> None:
    desk = DayEndDesk(day.svc)
    s = day.login("1", "op1")
    day.receipt("1", "op1", 1000)
    desk.declare("1", s, 1000)
    day.receipt("1", "op1", 500)
    with pytest.raises(NotAllowedError) as err:
        desk.close("1", s)
    assert err.value.code == "count-again"
    desk.declare("1", s, 1500)
    assert desk.close("1", s)["state"] == "closed"


def test_the_day_close_is_refused_with_the_reason(day: Day) -> None:
    desk = DayEndDesk(day.svc)
    s1 = day.login("1", "op1")
    s2 = day.login("2", "op2")
    day.receipt("1", "op1", 4000)
    day.receipt("2", "op2", 2500)
    with pytest.raises(NotAllowedError) as err:     # counter 2 is still logged in
        desk.close_day("1", s1)
    assert err.value.code == "counter-open" and "2" in err.value.user_message("en")
    assert_bilingual(err.value)
    desk.declare("2", s2, 2500)
    desk.close("2", s2)
    day.svc.logout(s2)
    with pytest.raises(NotAllowedError) as err:     # op1 took cash and has not closed
        desk.close_day("1", s1)
    assert err.value.code == "day-end-missing" and "op1" in err.value.user_message("hi")
    desk.declare("1", s1, 4000)
    desk.close("1", s1)
    closed = desk.close_day("1", s1)
    assert closed["declared_paise"] == 6500 and closed["day_ends"] == 2
    assert _actions(day)[-1] == "day.closed"
    with pytest.raises(NotAllowedError):
        desk.close_day("1", s1)
    with pytest.raises(NotAllowedError):            # nothing more for that day
        desk.declare("1", s1, 1)


def _build_day(day: Day) -> dict[str, int]:
    """Tokens through the real service, receipts and applications in the desk tables."""
    for group in ("C", "C", "A", "C", "L", "A", "C", "R"):
        issue(day, group)
    day.login("1", "op1")
    day.login("2", "op2")
    day.serve("1", wait_min=4, service_min=6)
    day.serve("2", wait_min=1, service_min=3)
    day.no_show("1", wait_min=2)
    day.serve("1", wait_min=1, service_min=5)
    day.clock.advance(hours=1)
    for group in ("C", "A"):
        issue(day, group)
    day.serve("2", wait_min=10, service_min=4)
    day.no_show("2", wait_min=1)
    for paise, voided in ((3000, None), (5000, None), (2000, "void"), (1500, "refund")):
        day.receipt("1", "op1", paise, voided=voided)
    day.receipt("2", "op2", 7000)
    day.desk_application("INC", 3000)
    day.desk_application("INC", 5000, counter="2")
    day.desk_application("CAS", 4000, upi="paid")
    day.desk_application("DOM", 2500, upi="pending")
    day.kiosk_application("INC", 3000, "upi", "paid")
    day.kiosk_application("RES", 2000, "cash")
    return {"issued": 10}


def test_the_report_totals_equal_the_records(day: Day) -> None:
    _build_day(day)
    conn = day.svc.store.conn
    report = day_report(conn, day.day, tz=day.svc.tz).to_json()
    tokens = conn.execute("SELECT state, COUNT(*) FROM tokens GROUP BY state").fetchall()
    by_state = {str(r[0]): int(r[1]) for r in tokens}
    t = report["tokens"]
    assert t["issued"] == sum(by_state.values()) == 10
    assert (t["served"], t["no_show"]) == (by_state["served"], by_state["no_show"]) == (4, 2)
    assert sum(g["issued"] for g in report["groups"]) == t["issued"]
    assert sum(c["served"] for c in report["counters"]) == t["served"]
    assert sum(h["issued"] for h in report["waits_by_hour"]) == t["issued"]
    assert len(report["waits_by_hour"]) == 2 and report["waits_by_hour"][0]["hour"] == 10
    # averages from the individual rows
    rows = conn.execute("SELECT issued_at, called_at, service_s, state, counter FROM tokens "
                        "WHERE called_at IS NOT NULL").fetchall()
    from datetime import datetime
    waits = [(datetime.fromisoformat(r[1]) - datetime.fromisoformat(r[0])).total_seconds()
             for r in rows]
    assert t["avg_wait_s"] == pytest.approx(sum(waits) / len(waits), abs=0.1)
    served = [float(r[2]) for r in rows if r[3] == "served"]
    assert t["avg_service_s"] == pytest.approx(sum(served) / len(served), abs=0.1)
    c1 = next(c for c in report["counters"] if c["counter"] == "1")
    assert c1["avg_service_s"] == pytest.approx((6 * 60 + 5 * 60) / 2, abs=0.1)
    # applications: desk + kiosk copies, per service
    apps = {a["service"]: a for a in report["applications"]}
    assert apps["INC"] == {"service": "INC", "desk": 2, "kiosk": 1, "total": 3}
    assert report["applications_total"] == {"desk": 4, "kiosk": 2, "total": 6}
    # fees: cash from live receipts, UPI confirmed, pending
    fees = report["fees"]
    assert fees["cash"] == {"count": 3, "paise": 15000}
    assert fees["voided"] == {"count": 1, "paise": 2000}
    assert fees["refunded"] == {"count": 1, "paise": 1500}
    assert fees["upi"] == {"count": 2, "paise": 7000}
    # no receipt carries these application numbers: every cash-payable application is pending
    assert fees["pending"]["count"] == 4 and fees["pending"]["paise"] == 3000 + 5000 + 2500 + 2000
    # cash per operator: the receipts' own sums
    cash = {c["operator_id"]: c for c in report["cash"]}
    assert cash["op1"]["expected_paise"] == 8000 and cash["op1"]["state"] == "not_declared"
    assert cash["op2"]["expected_paise"] == 7000
    live = conn.execute("SELECT SUM(amount_paise) FROM cash_receipts WHERE voided_at IS NULL"
                        ).fetchone()[0]
    assert report["cash_total"]["expected_paise"] == live == fees["cash"]["paise"]
    # one counter only
    one = day_report(conn, day.day, counter="1", tz=day.svc.tz).to_json()
    assert one["tokens"]["served"] == 2 and one["tokens"]["no_show"] == 1
    assert [c["operator_id"] for c in one["cash"]] == ["op1"]
    assert one["applications_total"] == {"desk": 3, "kiosk": 0, "total": 3}


def test_the_report_shows_declarations_and_supervisors(day: Day) -> None:
    _build_day(day)
    desk = DayEndDesk(day.svc)
    desk.declare("1", day.sessions["1"], 7900)
    desk.close("1", day.sessions["1"], note="short",
               supervisor_credential={"operator_id": "sup2", "pin": SUP_PIN})
    report = desk.report(day.sessions["2"])
    op1 = next(c for c in report["cash"] if c["operator_id"] == "op1")
    assert (op1["declared_paise"], op1["difference_paise"], op1["supervisor_id"],
            op1["state"]) == (7900, -100, "sup2", "closed")
    assert report["cash_total"]["difference_paise"] == -100


def test_a_day_without_data_is_empty(day: Day) -> None:
    report = day_report(day.svc.store.conn, "2026-11-30")
    assert report.empty and report.tokens["issued"] == 0 and report.cash == []


def test_the_report_is_fast(day: Day) -> None:
    """1,000 tokens + 500 applications well within the 1 s target (bench measures it)."""
    from kiosk.centre.day_sample import seed_day

    seed_day(day.svc.store, day.day, tokens=1000, applications=500)
    start = time.perf_counter()
    report = day_report(day.svc.store.conn, day.day, tz=day.svc.tz)
    took = time.perf_counter() - start
    assert report.tokens["issued"] == 1000 and report.applications_total["total"] == 500
    assert took < 1.0, took
