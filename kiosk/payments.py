"""UPI payment intents and cash-at-counter payments for applications.

A UPI payment is confirmed only by the backend (the provider's webhook reaches the state's
server, which answers ``GET /v1/payments/{tr}``) — never by what a payer's phone shows, because
a screenshot of a "success" screen is the oldest trick at a counter. Cash stays *pending* until
an operator takes it and confirms with a receipt number.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from kiosk.sync.outbox import utc_now

PENDING, PAID, FAILED = "pending", "paid", "failed"
_TR_SAFE = re.compile(r"[^A-Za-z0-9]")


def new_transaction_ref(application_no: str) -> str:
    """A unique UPI ``tr``: the application number (compacted) and a random suffix.

    Random, not sequential, so a retried intent after a crash never collides with the first.
    """
    return f"{_TR_SAFE.sub('', application_no)[-20:]}{secrets.token_hex(4).upper()}"


def upi_uri(vpa: str, payee_name: str, amount_paise: int, tr: str, note: str) -> str:
    """The ``upi://pay`` intent for a QR: amount in rupees with two decimals, spaces as %20."""
    amount = Decimal(amount_paise) / 100
    params = [("pa", vpa), ("pn", payee_name), ("am", f"{amount:.2f}"), ("cu", "INR"),
              ("tn", note), ("tr", tr)]
    return "upi://pay?" + "&".join(f"{k}={quote(v, safe='@.-_')}" for k, v in params)


@dataclass(frozen=True)
class PaymentRecord:
    tr: str
    application_no: str
    method: str
    amount_paise: int
    status: str
    utr: str | None
    cash_receipt_no: str | None
    upi_uri: str | None

    @property
    def reference(self) -> str | None:
        """What the receipt prints as the payment reference: the UTR or the cash receipt no."""
        return self.utr or self.cash_receipt_no


def _row(r: sqlite3.Row) -> PaymentRecord:
    return PaymentRecord(r["tr"], r["application_no"], r["method"], r["amount_paise"],
                         r["status"], r["utr"], r["cash_receipt_no"], r["upi_uri"])


def insert_payment(conn: sqlite3.Connection, tr: str, application_no: str, method: str,
                   amount_paise: int, uri: str | None = None, status: str = PENDING) -> None:
    now = utc_now()
    conn.execute("INSERT INTO payments (tr, application_no, method, amount_paise, status, "
                 "upi_uri, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (tr, application_no, method, amount_paise, status, uri, now, now))


def set_status(conn: sqlite3.Connection, tr: str, status: str, *, utr: str | None = None,
               cash_receipt_no: str | None = None) -> None:
    conn.execute("UPDATE payments SET status = ?, utr = COALESCE(?, utr), "
                 "cash_receipt_no = COALESCE(?, cash_receipt_no), updated_at = ? WHERE tr = ?",
                 (status, utr, cash_receipt_no, utc_now(), tr))


def latest_payment(conn: sqlite3.Connection, application_no: str) -> PaymentRecord | None:
    """The application's payment that counts: a paid one if any, else the newest attempt."""
    r = conn.execute("SELECT * FROM payments WHERE application_no = ? ORDER BY "
                     "status = 'paid' DESC, created_at DESC, rowid DESC LIMIT 1",
                     (application_no,)).fetchone()
    return None if r is None else _row(r)


def get_payment(conn: sqlite3.Connection, tr: str) -> PaymentRecord | None:
    r = conn.execute("SELECT * FROM payments WHERE tr = ?", (tr,)).fetchone()
    return None if r is None else _row(r)
