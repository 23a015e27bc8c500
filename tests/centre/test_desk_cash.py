"""Cash at the desk on a real centre database: receipts, their series, refusals, voids, cash in
hand — each action one transaction with its audit entry and outbox entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_helpers import PIN, Clock, assert_bilingual, make_service
from desk_cash_helpers import (
    SUP_CARD,
    SUP_PIN,
    add_counter_application,
    add_kiosk_application,
    add_staff,
)

from kiosk.centre import audit
from kiosk.centre.desk_cash import DeskCash, cash_in_hand
from kiosk.centre.errors import (
    BadRequestError,
    CentreError,
    ForbiddenError,
    NotAllowedError,
    NotFoundError,
    UnauthorizedError,
)
from kiosk.centre.service import CentreService
from kiosk.config import load_config

APP = "MP-IND-042-20261201-0001-X"
KAPP = "MP-IND-042-20261201-0002-Y"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(tmp_path: Path, clock: Clock) -> Iterator[CentreService]:
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_COUNTERS__1__GROUPS": '["C"]', "KIOSK_COUNTERS__2__GROUPS": '["C"]'})
    s = make_service(tmp_path / "centre.sqlite3", config, clock)
    add_staff(s.store)
    add_counter_application(s.store, APP)
    add_kiosk_application(s.store, KAPP)
    try:
        yield s
    finally:
        s.store.close()


def login(svc: CentreService, counter: str = "1", op: str = "op1", pin: str = PIN) -> str:
    return str(svc.login(counter, pin, operator_id=op)["session_token"])


def outbox(svc: CentreService, kind: str) -> list[dict]:
    rows = svc.store.conn.execute("SELECT payload FROM outbox WHERE kind = ? ORDER BY id",
                                  (kind,)).fetchall()
    return [json.loads(r[0]) for r in rows]


def actions(svc: CentreService) -> list[str]:
    return [e.action for e in audit.entries(svc.store.conn)]


def test_confirm_records_receipt_payment_audit_and_outbox(svc: CentreService) -> None:
    cash = DeskCash(svc)
    r = cash.confirm(login(svc), APP)
    code = svc.centre_code
    assert r["receipt_no"] == f"{code}-1-20261201-001" and not r["already_paid"]
    assert r["amount_paise"] == 2000 and r["operator_id"] == "op1" and r["status"] == "paid"
    pay = svc.store.conn.execute("SELECT status, method, cash_receipt_no FROM payments "
                                 "WHERE application_no = ?", (APP,)).fetchone()
    assert tuple(pay) == ("paid", "cash", r["receipt_no"])
    [entry] = outbox(svc, "payment.cash")
    assert entry == {"application_no": APP, "amount_paise": 2000, "method": "cash",
                     "tr": r["tr"], "cash_receipt_no": r["receipt_no"], "operator_id": "op1",
                     "counter": "1"}
    assert "cash.confirmed" in actions(svc) and audit.verify(svc.store.conn).ok


def test_confirming_twice_answers_the_same_receipt(svc: CentreService) -> None:
    cash = DeskCash(svc)
    s = login(svc)
    first = cash.confirm(s, APP)
    again = cash.confirm(s, APP)
    assert again["already_paid"] and again["receipt_no"] == first["receipt_no"]
    n = svc.store.conn.execute("SELECT COUNT(*) FROM cash_receipts").fetchone()[0]
    assert n == 1 and len(outbox(svc, "payment.cash")) == 1
    assert actions(svc).count("cash.confirmed") == 1


def test_series_per_counter_and_day(svc: CentreService, clock: Clock) -> None:
    cash = DeskCash(svc)
    for i in range(2, 5):
        add_counter_application(svc.store, f"APP-{i}")
    s1, s2 = login(svc), login(svc, "2", "op2")
    assert cash.confirm(s1, APP)["receipt_no"].endswith("-1-20261201-001")
    assert cash.confirm(s1, "APP-2")["receipt_no"].endswith("-1-20261201-002")
    assert cash.confirm(s2, "APP-3")["receipt_no"].endswith("-2-20261201-001")
    clock.advance(days=1)
    s1 = login(svc)
    assert cash.confirm(s1, "APP-4")["receipt_no"].endswith("-1-20261202-001")


def test_wrong_amount_refused_unless_the_catalogue_allows_it(svc: CentreService) -> None:
    cash = DeskCash(svc)
    s = login(svc)
    with pytest.raises(BadRequestError) as err:
        cash.confirm(s, APP, amount_paise=1500)
    assert err.value.code == "wrong-amount"
    assert_bilingual(err.value)
    assert "20" in err.value.user_message("en")
    assert svc.store.conn.execute("SELECT COUNT(*) FROM cash_receipts").fetchone()[0] == 0
    # KHA (copies counted at the counter) says "cash_amount_editable": the desk's amount holds.
    r = cash.confirm(s, KAPP, amount_paise=4500)
    assert r["amount_paise"] == 4500 and r["fee_paise"] == 3000
    assert outbox(svc, "payment.cash")[0]["amount_paise"] == 4500


def test_unknown_application_upi_paid_and_technician_refused(svc: CentreService) -> None:
    cash = DeskCash(svc)
    add_counter_application(svc.store, "UPI-1", method="upi", status="paid")
    add_kiosk_application(svc.store, "UPI-2", method="upi", paid=True)
    s = login(svc)
    with pytest.raises(NotFoundError) as nf:
        cash.confirm(s, "NO-SUCH-1")
    assert_bilingual(nf.value)
    for number in ("UPI-1", "UPI-2"):
        with pytest.raises(NotAllowedError) as upi:
            cash.confirm(s, number)
        assert upi.value.code == "paid-by-upi"
        assert_bilingual(upi.value)
    with pytest.raises(UnauthorizedError):
        cash.confirm(None, APP)
    with pytest.raises(UnauthorizedError):  # no look-up of an application without a session
        cash.summary(None, application_no="NO-SUCH-1")
    tech = login(svc, "2", "tech1")
    with pytest.raises(ForbiddenError) as forb:
        cash.confirm(tech, APP)
    assert_bilingual(forb.value)


def test_void_needs_a_real_supervisor_then_frees_the_application(svc: CentreService) -> None:
    cash = DeskCash(svc)
    s = login(svc)
    r = cash.confirm(s, APP)
    no = r["receipt_no"]
    refused: list[CentreError] = []
    for kw in ({"supervisor_id": "sup1", "pin": ""},          # no PIN
               {"supervisor_id": "sup1", "pin": "111000"},    # wrong PIN
               {"supervisor_id": "op2", "pin": PIN},          # an operator's PIN
               {"supervisor_id": None, "pin": SUP_PIN}):      # nobody named
        with pytest.raises(CentreError) as err:
            cash.void(s, no, reason="typed the wrong application", **kw)  # type: ignore[arg-type]
        assert_bilingual(err.value)
        refused.append(err.value)
    assert [type(e) for e in refused] == [BadRequestError, UnauthorizedError, ForbiddenError,
                                          BadRequestError]
    with pytest.raises(BadRequestError):
        cash.void(s, no, reason="  ", supervisor_id="sup1", pin=SUP_PIN)
    assert cash.receipt(s, no)["status"] == "paid" and not outbox(svc, "payment.void")
    assert actions(svc).count("supervisor.refused") == 2  # the PIN checks are audited

    voided = cash.void(s, no, reason="typed the wrong application", card_id=SUP_CARD,
                       pin=SUP_PIN)
    assert voided["status"] == "voided" and voided["void_supervisor"] == "sup1"
    [v] = outbox(svc, "payment.void")
    assert v["cash_receipt_no"] == no and v["tr"] == r["tr"] and v["kind"] == "void"
    assert v["supervisor_id"] == "sup1" and v["operator_id"] == "op1"
    assert "cash.voided" in actions(svc)
    with pytest.raises(NotAllowedError):
        cash.void(s, no, reason="again", supervisor_id="sup1", pin=SUP_PIN)
    again = cash.confirm(s, APP)
    assert not again["already_paid"] and again["receipt_no"].endswith("-002")
    assert again["tr"] != r["tr"]
    assert len(outbox(svc, "payment.cash")) == 2
    assert audit.verify(svc.store.conn).ok


def test_a_supervisor_cannot_approve_their_own_refund(svc: CentreService) -> None:
    cash = DeskCash(svc)
    s = login(svc, "2", "sup1", SUP_PIN)
    no = cash.confirm(s, APP)["receipt_no"]
    with pytest.raises(ForbiddenError) as err:
        cash.void(s, no, kind="refund", reason="citizen left", supervisor_id="sup1",
                  pin=SUP_PIN)
    assert err.value.code == "own-approval"


def test_void_at_another_counter_refused(svc: CentreService) -> None:
    cash = DeskCash(svc)
    no = cash.confirm(login(svc), APP)["receipt_no"]
    other = login(svc, "2", "op2")
    with pytest.raises(ForbiddenError) as err:
        cash.void(other, no, reason="x", supervisor_id="sup1", pin=SUP_PIN)
    assert_bilingual(err.value)


def test_cash_in_hand_and_summary(svc: CentreService, clock: Clock) -> None:
    cash = DeskCash(svc)
    add_counter_application(svc.store, "APP-2", fee_paise=5000)
    s = login(svc)
    a = cash.confirm(s, APP)
    cash.confirm(s, "APP-2")
    cash.confirm(s, KAPP)
    assert cash.summary(s)["session_cash_in_hand_paise"] == 10000
    cash.void(s, a["receipt_no"], kind="refund", reason="service not needed",
              supervisor_id="sup1", pin=SUP_PIN)
    summary = cash.summary(s)
    assert summary["session_cash_in_hand_paise"] == 8000
    assert summary["day_cash_in_hand_paise"] == 8000
    assert [r["status"] for r in summary["receipts"]] == ["refunded", "paid", "paid"]
    due = cash.summary(s, application_no=APP)["application"]
    assert due["fee_paise"] == 2000 and due["receipt"] is None and not due["upi_paid"]
    kdue = cash.summary(s, application_no=KAPP.lower())["application"]
    assert kdue["amount_editable"] and kdue["receipt"]["status"] == "paid"
    conn = svc.store.conn
    assert cash_in_hand(conn, day="2026-12-01") == 8000
    assert cash_in_hand(conn, day="2026-12-01", counter="2") == 0
    assert cash_in_hand(conn, day="2026-12-01", operator_id="op1", counter="1") == 8000
    # A new session of the same operator starts from zero; the day keeps counting.
    clock.advance(minutes=5)
    s = login(svc)
    assert cash.summary(s)["session_cash_in_hand_paise"] == 0
    assert cash.summary(s)["day_cash_in_hand_paise"] == 8000


def test_reprint_is_audited(svc: CentreService) -> None:
    cash = DeskCash(svc)
    s = login(svc)
    no = cash.confirm(s, APP)["receipt_no"]
    assert cash.receipt(s, no, reprint=True)["receipt_no"] == no
    entry = list(audit.entries(svc.store.conn))[-1]
    assert entry.action == "cash.receipt_reprinted" and entry.detail["receipt_no"] == no
    with pytest.raises(NotFoundError):
        cash.receipt(s, "NOPE")
