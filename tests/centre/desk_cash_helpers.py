"""Set-up for the desk-cash tests: applications of the centre (a counter's and a kiosk's copy),
a supervisor, and sessions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from centre_helpers import PIN, add_operator

from kiosk.centre.db import CentreStore

SUP_PIN = "583920"
SUP_CARD = "0B001A2B3C"


def add_staff(store: CentreStore) -> None:
    """op1, op2 (operators), sup1 (supervisor with a card), tech1 (technician)."""
    add_operator(store, "op1")
    add_operator(store, "op2")
    add_operator(store, "sup1", pin=SUP_PIN, role="supervisor", card_id=SUP_CARD)
    add_operator(store, "tech1", role="technician")


def add_counter_application(store: CentreStore, number: str, *, fee_paise: int = 2000,
                            service: str = "INC", method: str = "cash",
                            status: str = "pending") -> None:
    """An application entered at a counter, with its payments row (the kiosk's shape)."""
    now = datetime.now(UTC).isoformat()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO applications (application_no, submission_id, day, seq, service_code, "
            "lang, submitted_at, due_date, answers, documents_shown, delivery, fees, fee_paise, "
            "counter) VALUES (?, ?, '2026-12-01', ?, ?, 'hi', ?, '2026-12-08', '{}', '[]', "
            "'counter', '{}', ?, '1')",
            (number, "sub-" + number, abs(hash(number)) % 100000, service, now, fee_paise))
        conn.execute("INSERT INTO payments (tr, application_no, method, amount_paise, status, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     ("TR" + number.replace("-", ""), number, method, fee_paise, status, now,
                      now))


def add_kiosk_application(store: CentreStore, number: str, *, fee_paise: int = 3000,
                          service: str = "KHA", method: str | None = "cash",
                          paid: bool = False) -> None:
    """A kiosk's copy of an application handed over to the centre."""
    now = datetime.now(UTC).isoformat()
    record = {"application_no": number, "payment": {"method": method,
                                                    "status": "paid" if paid else "pending"}}
    with store.transaction() as conn:
        conn.execute("INSERT INTO kiosk_applications VALUES (?, 'K1', '2026-12-01', ?, ?, ?, ?, "
                     "?, ?)", (number, service, now, fee_paise, method, json.dumps(record), now))


__all__ = ["PIN", "SUP_CARD", "SUP_PIN", "add_counter_application", "add_kiosk_application",
           "add_staff"]
