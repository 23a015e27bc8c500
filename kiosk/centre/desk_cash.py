"""Cash at the operator's desk: confirm a fee taken in cash, void or refund a receipt, cash in hand.

Why here and not in :mod:`kiosk.applications`: counters hold no state (CENTRE.md), so the
receipt series, the receipts and the drawer's balance live in the centre's database, and any
application of the centre can be paid at any counter — one entered at a counter (``applications``
/ ``payments``) or a kiosk's copy (``kiosk_applications``). Each action is one ``BEGIN
IMMEDIATE`` transaction on the centre's store that writes, all or nothing: the receipt (and the
counter application's ``payments`` row), the audit entry and the outbox entry the sync engine
forwards to the state (``payment.cash`` / ``payment.void``). So after a power cut between the
cash and the printed receipt there is exactly one payment, and the receipt is rebuilt from it.

Rules:

* The fee is the stored application's (computed from the catalogue rules at submit). An amount
  that differs is refused unless the service's catalogue entry says ``"cash_amount_editable":
  true`` (a fee the desk settles, e.g. copies counted at the counter).
* Receipt numbers are ``<centre>-<counter>-<YYYYMMDD>-<seq>``, ``seq`` from ``receipt_sequences``
  per counter and day, from 1 (zero-padded to three digits, like token numbers).
* A second confirm of the same application answers the live receipt with ``already_paid``.
* UPI is confirmed only by the backend: cash is refused for an application already paid by UPI.
* A void (a mistake) or refund (money handed back) needs a supervisor at the same counter
  (:func:`kiosk.centre.supervisor.approve`, never one's own) and a reason; a voided receipt
  frees the application to be paid again (a new receipt number, a new transaction ref).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiosk.catalogue import Catalogue, load_catalogue
from kiosk.centre import audit, operators, supervisor
from kiosk.centre.errors import (
    BadRequestError,
    ForbiddenError,
    NotAllowedError,
    NotFoundError,
    refusal,
)
from kiosk.errors import ValidationError
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_paise
from kiosk.payments import new_transaction_ref
from kiosk.rupees import rupees_to_paise
from kiosk.sync import outbox

if TYPE_CHECKING:
    from kiosk.centre.service import CentreService

CASH_KIND, VOID_KIND = "payment.cash", "payment.void"
VOID, REFUND = "void", "refund"
MAX_REASON = 200

MSG_NO_APPLICATION = N_("There is no application {number} at this centre.")
MSG_WRONG_AMOUNT = N_("The fee for this application is {fee}. Please take exactly that "
                      "amount.")
MSG_NO_FEE = N_("This application has no fee to pay.")
MSG_PAID_BY_UPI = N_("This application is already paid by UPI. Do not take cash.")
MSG_NO_RECEIPT = N_("There is no cash receipt {receipt}.")
MSG_ALREADY_VOIDED = N_("This receipt was already cancelled.")
MSG_NEED_REASON = N_("Please write why the receipt is cancelled.")
MSG_OTHER_COUNTER = N_("This receipt was made at counter {counter}. Cancel it there.")
MSG_ROLE = N_("Only an operator or a supervisor can take cash.")
MSG_BAD_AMOUNT = N_("The amount is not a sum of rupees (for example 20 or 20.50).")
MSG_NEED_SUPERVISOR = N_("A supervisor must approve this with their card or id and PIN.")
#: The most one receipt can take: ₹10 lakh, far above any fee (a typo's guard).
MAX_CASH_PAISE = 100_000_000


@dataclass(frozen=True)
class Payable:
    """What confirming cash needs to know about an application, from either table."""

    application_no: str
    service_code: str
    fee_paise: int
    source: str  # "counter" or "kiosk"
    upi_paid: bool
    pending_tr: str | None  # a counter application's unpaid payments row


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def find_payable(conn: sqlite3.Connection, application_no: str) -> Payable | None:
    """The application ``application_no`` of this centre, counter-entered or a kiosk's copy."""
    row = conn.execute("SELECT application_no, service_code, fee_paise FROM applications "
                       "WHERE application_no = ?", (application_no,)).fetchone()
    if row is not None:
        pays = conn.execute("SELECT tr, method, status FROM payments WHERE application_no = ? "
                            "ORDER BY created_at, rowid", (application_no,)).fetchall()
        upi = any(p["method"] == "upi" and p["status"] == "paid" for p in pays)
        pending = next((p["tr"] for p in pays if p["status"] == "pending"), None)
        return Payable(row["application_no"], row["service_code"], int(row["fee_paise"]),
                       "counter", upi, pending)
    krow = conn.execute("SELECT application_no, service_code, fee_paise, payment_method, record "
                        "FROM kiosk_applications WHERE application_no = ?",
                        (application_no,)).fetchone()
    if krow is None:
        return None
    return Payable(krow["application_no"], krow["service_code"], int(krow["fee_paise"]),
                   "kiosk", _kiosk_upi_paid(krow["payment_method"], krow["record"]), None)


def _kiosk_upi_paid(method: str | None, record: str) -> bool:
    """A kiosk's copy is paid by UPI when its method is ``upi`` and its record says paid
    (``payment.status`` or ``payment_status``); a UPI attempt never confirmed may be paid in
    cash at the desk instead."""
    if method != "upi":
        return False
    try:
        rec = json.loads(record)
    except ValueError:
        return False
    if not isinstance(rec, dict):
        return False
    pay = rec.get("payment")
    status = pay.get("status") if isinstance(pay, dict) else rec.get("payment_status")
    return status == "paid"


def parse_rupees(text: str) -> int:
    """``"20"``, ``"20.5"``, ``"₹20.50"``, ``"1,020"``, ``"२०"`` → paise; anything else is
    refused with the bilingual bad-amount message (the rule itself is :mod:`kiosk.rupees`)."""
    paise = rupees_to_paise(text, MAX_CASH_PAISE)
    if paise is None:
        raise ValidationError(f"bad amount {text[:20]!r}", message=MSG_BAD_AMOUNT)
    return paise


def _payable_and_live(conn: sqlite3.Connection,
                      number: str) -> tuple[Payable, sqlite3.Row | None]:
    """What ``number`` is due, and its live (not voided) receipt if it has one; an unknown
    number is refused with the bilingual not-found message."""
    pay = find_payable(conn, number)
    if pay is None:
        raise refusal(NotFoundError, f"no application {number[:40]!r}", MSG_NO_APPLICATION,
                      number=number[:40])
    live = conn.execute("SELECT * FROM cash_receipts WHERE application_no = ? AND "
                        "voided_at IS NULL", (number,)).fetchone()
    return pay, live


def amount_editable(catalogue: Catalogue, service_code: str) -> bool:
    svc = catalogue.get(service_code)
    return bool(svc is not None and svc.cash_amount_editable)


def receipt_json(row: sqlite3.Row, conn: sqlite3.Connection) -> dict[str, Any]:
    """One receipt as the desk's endpoints answer it (no personal data: numbers and amounts)."""
    pay = find_payable(conn, row["application_no"])
    status = "paid" if row["voided_at"] is None else (
        "refunded" if row["void_kind"] == REFUND else "voided")
    return {"receipt_no": row["receipt_no"], "application_no": row["application_no"],
            "service_code": pay.service_code if pay else "",
            "amount_paise": int(row["amount_paise"]),
            "fee_paise": pay.fee_paise if pay else int(row["amount_paise"]),
            "counter": row["counter"], "operator_id": row["operator_id"], "day": row["day"],
            "seq": int(row["seq"]), "tr": row["tr"], "taken_at": row["taken_at"],
            "status": status, "voided_at": row["voided_at"], "void_kind": row["void_kind"],
            "void_reason": row["void_reason"], "void_supervisor": row["void_supervisor"]}


def cash_in_hand(conn: sqlite3.Connection, *, day: str, counter: str | None = None,
                 operator_id: str | None = None, session_started_at: str | None = None) -> int:
    """Paise the operator should hold: cash taken − cash handed back (voids and refunds).

    Pure (reads only). ``day`` is the centre's local date (``YYYY-MM-DD``); a receipt counts on
    the day it was taken, its void on the day of the void (both local times with offset, so
    the first ten characters are the local date). ``session_started_at`` (an ISO time of the
    same form) narrows both to the operator's session. Filters are the receipt's counter and
    the operator who took the cash (whose drawer it is in).
    """
    where, args = [], []
    if counter is not None:
        where.append("counter = ?")
        args.append(str(counter))
    if operator_id is not None:
        where.append("operator_id = ?")
        args.append(operator_id)
    common = "".join(f" AND {w}" for w in where)
    since_taken = since_void = ""
    extra_t: list[str] = []
    extra_v: list[str] = []
    if session_started_at is not None:
        since_taken, since_void = " AND taken_at >= ?", " AND voided_at >= ?"
        extra_t, extra_v = [session_started_at], [session_started_at]
    taken = conn.execute(f"SELECT COALESCE(SUM(amount_paise), 0) FROM cash_receipts "
                         f"WHERE day = ?{common}{since_taken}",
                         [day, *args, *extra_t]).fetchone()[0]
    handed_back = conn.execute(f"SELECT COALESCE(SUM(amount_paise), 0) FROM cash_receipts "
                               f"WHERE voided_at IS NOT NULL AND substr(voided_at, 1, 10) = ?"
                               f"{common}{since_void}", [day, *args, *extra_v]).fetchone()[0]
    return int(taken) - int(handed_back)


class DeskCash:
    """The cash actions over one :class:`CentreService` (its store, clock, write lock)."""

    def __init__(self, service: CentreService) -> None:
        self.service = service

    # -- plumbing -------------------------------------------------------------------------------

    def _operator(self, conn: sqlite3.Connection, session: str | None,
                  counter: str | None = None) -> sqlite3.Row:
        """The operator's session row; a technician (or an unknown role) is refused."""
        srow = self.service._session(conn, session, counter)
        op = operators.get_operator(conn, str(srow["operator_id"]))
        if op is None or op.role not in (operators.Role.OPERATOR, operators.Role.SUPERVISOR):
            raise ForbiddenError(f"{srow['operator_id']} may not handle cash", code="role",
                                 message=MSG_ROLE)
        return srow

    def _wake(self) -> None:
        if self.service.on_forward is not None:
            self.service.on_forward()

    def _receipt_row(self, conn: sqlite3.Connection, receipt_no: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM cash_receipts WHERE receipt_no = ?",
                           (receipt_no,)).fetchone()
        if row is None:
            raise refusal(NotFoundError, f"no receipt {receipt_no[:40]!r}", MSG_NO_RECEIPT,
                          receipt=receipt_no[:40])
        return row

    def _next_seq(self, conn: sqlite3.Connection, counter: str, day: str) -> int:
        row = conn.execute("SELECT next_seq FROM receipt_sequences WHERE counter = ? AND day = ?",
                           (counter, day)).fetchone()
        seq = 1 if row is None else int(row[0])
        conn.execute("INSERT INTO receipt_sequences (counter, day, next_seq) VALUES (?, ?, ?) "
                     "ON CONFLICT (counter, day) DO UPDATE SET next_seq = excluded.next_seq",
                     (counter, day, seq + 1))
        return seq

    # -- actions --------------------------------------------------------------------------------

    def confirm(self, session: str | None, application_no: str, *,
                amount_paise: int | None = None, counter: str | None = None) -> dict[str, Any]:
        """Record cash taken for ``application_no`` → the receipt (``already_paid`` when the
        application had a live receipt: the same receipt, nothing new written)."""
        number = application_no.strip().upper()
        catalogue = load_catalogue(self.service.store)
        with self.service._write() as (conn, _published):
            srow = self._operator(conn, session, counter)
            counter_id, op_id = str(srow["counter"]), str(srow["operator_id"])
            pay, live = _payable_and_live(conn, number)
            if live is not None:
                return {**receipt_json(live, conn), "already_paid": True}
            if pay.upi_paid:
                raise NotAllowedError(f"{number} paid by UPI", code="paid-by-upi",
                                      message=MSG_PAID_BY_UPI)
            amount = pay.fee_paise if amount_paise is None else int(amount_paise)
            if amount != pay.fee_paise and not amount_editable(catalogue, pay.service_code):
                raise BadRequestError(
                    f"amount {amount} != fee {pay.fee_paise}", code="wrong-amount",
                    message=MSG_WRONG_AMOUNT,
                    message_en=translate(MSG_WRONG_AMOUNT, "en").format(
                        fee=format_paise(pay.fee_paise, "en")),
                    message_hi=translate(MSG_WRONG_AMOUNT, "hi").format(
                        fee=format_paise(pay.fee_paise, "hi")))
            if amount <= 0:
                raise NotAllowedError(f"{number}: nothing to pay", code="no-fee",
                                      message=MSG_NO_FEE)
            now = self.service.now()
            day = now.date().isoformat()
            seq = self._next_seq(conn, counter_id, day)
            receipt_no = (f"{self.service.centre_code}-{counter_id}-{day.replace('-', '')}-"
                          f"{seq:03d}")
            if pay.source == "counter" and pay.pending_tr is not None:
                tr = pay.pending_tr
                conn.execute("UPDATE payments SET method = 'cash', status = 'paid', "
                             "amount_paise = ?, cash_receipt_no = ?, updated_at = ? "
                             "WHERE tr = ?", (amount, receipt_no, _iso(now), tr))
            else:
                tr = new_transaction_ref(number)
                if pay.source == "counter":
                    conn.execute("INSERT INTO payments (tr, application_no, method, "
                                 "amount_paise, status, cash_receipt_no, created_at, "
                                 "updated_at) VALUES (?, ?, 'cash', ?, 'paid', ?, ?, ?)",
                                 (tr, number, amount, receipt_no, _iso(now), _iso(now)))
            conn.execute("INSERT INTO cash_receipts (receipt_no, application_no, tr, counter, "
                         "day, seq, operator_id, amount_paise, taken_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (receipt_no, number, tr, counter_id, day, seq, op_id, amount,
                          _iso(now)))
            audit.append(conn, action="cash.confirmed", operator_id=op_id, counter=counter_id,
                         detail={"application_no": number, "receipt_no": receipt_no,
                                 "amount_paise": amount, "fee_paise": pay.fee_paise},
                         at=now)
            outbox.enqueue(conn, CASH_KIND, number, {
                "application_no": number, "amount_paise": amount, "method": "cash", "tr": tr,
                "cash_receipt_no": receipt_no, "operator_id": op_id, "counter": counter_id},
                key=f"{CASH_KIND}:{receipt_no}", now=_iso(now))
            answer = {**receipt_json(self._receipt_row(conn, receipt_no), conn),
                      "already_paid": False}
        self._wake()
        return answer

    def void(self, session: str | None, receipt_no: str, *, pin: str, reason: str,
             kind: str = VOID, supervisor_id: str | None = None,
             card_id: str | None = None) -> dict[str, Any]:
        """Cancel a receipt (``void``) or hand the cash back (``refund``), approved by a
        supervisor at this counter. The refused attempt's audit entry is committed."""
        if kind not in (VOID, REFUND):
            raise BadRequestError(f"kind {kind[:10]!r}")
        why = " ".join(reason.split())[:MAX_REASON]
        if not why:
            raise BadRequestError("no reason", code="no-reason", message=MSG_NEED_REASON)
        if (supervisor_id is None) == (card_id is None) or not pin:
            raise BadRequestError("need supervisor_id or card_id, and pin",
                                  code="need-supervisor", message=MSG_NEED_SUPERVISOR)
        now = self.service.now()
        approval: supervisor.Approval | None = None
        answer: dict[str, Any] = {}
        with self.service._write() as (conn, _published):
            srow = self._operator(conn, session)
            counter_id, op_id = str(srow["counter"]), str(srow["operator_id"])
            row = self._receipt_row(conn, receipt_no)
            if row["voided_at"] is not None:
                raise NotAllowedError(f"{receipt_no} already voided", code="already-voided",
                                      message=MSG_ALREADY_VOIDED)
            if row["counter"] != counter_id:
                raise refusal(ForbiddenError, f"{receipt_no} is of counter {row['counter']}",
                              MSG_OTHER_COUNTER, counter=row["counter"])
            approval = supervisor.approve(conn, pin=pin, counter=counter_id,
                                          action=f"cash.{kind}", now=now,
                                          operator_id=supervisor_id, card_id=card_id,
                                          requested_by=op_id)
            if approval.error is None:
                sup = approval.result()
                conn.execute("UPDATE cash_receipts SET voided_at = ?, void_kind = ?, "
                             "void_reason = ?, void_operator = ?, void_supervisor = ? "
                             "WHERE receipt_no = ?",
                             (_iso(now), kind, why, op_id, sup.id, receipt_no))
                if row["tr"]:
                    conn.execute("UPDATE payments SET status = 'voided', updated_at = ? "
                                 "WHERE tr = ?", (_iso(now), row["tr"]))
                action = "cash.refunded" if kind == REFUND else "cash.voided"
                audit.append(conn, action=action, operator_id=op_id, counter=counter_id,
                             detail={"application_no": row["application_no"],
                                     "receipt_no": receipt_no,
                                     "amount_paise": int(row["amount_paise"]),
                                     "supervisor_id": sup.id, "kind": kind}, at=now)
                outbox.enqueue(conn, VOID_KIND, row["application_no"], {
                    "application_no": row["application_no"], "tr": row["tr"],
                    "cash_receipt_no": receipt_no, "kind": kind, "reason": why,
                    "amount_paise": int(row["amount_paise"]), "operator_id": op_id,
                    "supervisor_id": sup.id, "counter": counter_id, "at": _iso(now)},
                    key=f"{VOID_KIND}:{receipt_no}", now=_iso(now))
                answer = receipt_json(self._receipt_row(conn, receipt_no), conn)
        assert approval is not None
        if approval.error is not None:
            raise approval.error
        self._wake()
        return answer

    def summary(self, session: str | None, *, day: str | None = None,
                application_no: str | None = None) -> dict[str, Any]:
        """The operator's receipts of ``day`` (default today) and their cash in hand: for the
        session and for the whole day at this counter. With ``application_no``, also what is
        due for it (``application``: fee, whether the amount may differ, paid by UPI, its live
        receipt) — what the console shows before the cash is taken."""
        due: dict[str, Any] | None = None
        if application_no is not None:
            catalogue = load_catalogue(self.service.store)
        with self.service._write() as (conn, _published):
            srow = self._operator(conn, session)  # before any look-up: no session, no answer
            if application_no is not None:
                number = application_no.strip().upper()
                pay, live = _payable_and_live(conn, number)
                due = {"application_no": number, "service_code": pay.service_code,
                       "fee_paise": pay.fee_paise, "upi_paid": pay.upi_paid,
                       "amount_editable": amount_editable(catalogue, pay.service_code),
                       "receipt": receipt_json(live, conn) if live is not None else None}
            counter_id, op_id = str(srow["counter"]), str(srow["operator_id"])
            the_day = day or self.service.today()
            rows = conn.execute("SELECT * FROM cash_receipts WHERE day = ? AND counter = ? "
                                "AND operator_id = ? ORDER BY seq",
                                (the_day, counter_id, op_id)).fetchall()
            receipts = [receipt_json(r, conn) for r in rows]
            session_paise = cash_in_hand(conn, day=the_day, counter=counter_id,
                                         operator_id=op_id,
                                         session_started_at=str(srow["created_at"]))
            day_paise = cash_in_hand(conn, day=the_day, counter=counter_id, operator_id=op_id)
        answer = {"day": the_day, "counter": counter_id, "operator_id": op_id,
                  "receipts": receipts, "session_cash_in_hand_paise": session_paise,
                  "day_cash_in_hand_paise": day_paise}
        if due is not None:
            answer["application"] = due
        return answer

    def receipt(self, session: str | None, receipt_no: str, *,
                reprint: bool = False) -> dict[str, Any]:
        """One receipt of this centre; ``reprint`` records ``cash.receipt_reprinted``."""
        with self.service._write() as (conn, _published):
            srow = self._operator(conn, session)
            row = self._receipt_row(conn, receipt_no)
            if reprint:
                audit.append(conn, action="cash.receipt_reprinted",
                             operator_id=str(srow["operator_id"]), counter=str(srow["counter"]),
                             detail={"receipt_no": receipt_no,
                                     "application_no": row["application_no"],
                                     "voided": row["voided_at"] is not None},
                             at=self.service.now())
            return receipt_json(row, conn)
