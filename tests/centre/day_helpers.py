"""A centre-day built through the real CentreService, plus receipts and applications inserted
straight into the desk tables (the cash and application modules are other helpers' work)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from centre_helpers import PIN, Clock, add_operator, make_service, new_id

from kiosk.centre.service import CentreService
from kiosk.config import load_config

SUP_PIN = "583920"


@dataclass
class Day:
    svc: CentreService
    clock: Clock
    sessions: dict[str, str] = field(default_factory=dict)
    receipt_seq: int = 0

    @property
    def day(self) -> str:
        return self.svc.today()

    def login(self, counter: str, operator_id: str) -> str:
        session = str(self.svc.login(counter, PIN, operator_id=operator_id)["session_token"])
        self.sessions[counter] = session
        return session

    def serve(self, counter: str, *, wait_min: float, service_min: float) -> dict[str, Any]:
        self.clock.advance(minutes=wait_min)
        token = self.svc.act(counter, "call-next", self.sessions[counter])["token"]
        assert token is not None
        self.clock.advance(minutes=service_min)
        self.svc.act(counter, "complete", self.sessions[counter])
        return dict(token)

    def no_show(self, counter: str, *, wait_min: float) -> dict[str, Any]:
        self.clock.advance(minutes=wait_min)
        token = self.svc.act(counter, "call-next", self.sessions[counter])["token"]
        for _ in range(self.svc.rules.recall_limit):  # called again, then not present
            self.svc.act(counter, "recall", self.sessions[counter])
        self.svc.act(counter, "no-show", self.sessions[counter])
        return dict(token)

    def receipt(self, counter: str, operator_id: str, paise: int, *, application_no: str | None
                = None, voided: str | None = None) -> str:
        """A cash receipt row as desk-cash writes it (``voided`` = 'void' | 'refund')."""
        self.receipt_seq += 1
        number = f"{self.svc.centre_code}-{counter}-{self.day.replace('-', '')}-" \
                 f"{self.receipt_seq:04d}"
        at = self.svc.now().isoformat()
        with self.svc.store.transaction() as conn:
            conn.execute(
                "INSERT INTO cash_receipts (receipt_no, application_no, counter, day, seq, "
                "operator_id, amount_paise, taken_at, voided_at, void_kind, void_supervisor) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (number, application_no or f"APP-{self.receipt_seq}", counter, self.day,
                 self.receipt_seq, operator_id, paise, at, at if voided else None, voided,
                 "sup1" if voided else None))
        return number

    def desk_application(self, service: str, fee_paise: int, *, counter: str = "1",
                         upi: str | None = None) -> str:
        """A desk application row (+ a UPI payment row when ``upi`` is 'paid'/'pending')."""
        with self.svc.store.transaction() as conn:
            seq = int(conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0]) + 1
            number = f"DESK-{seq:04d}"
            at = self.svc.now().isoformat()
            conn.execute(
                "INSERT INTO applications (application_no, submission_id, day, seq, "
                "service_code, lang, submitted_at, due_date, answers, documents_shown, "
                "delivery, fees, fee_paise, counter) VALUES (?, ?, ?, ?, ?, 'hi', ?, ?, '{}', "
                "'[]', 'counter', '[]', ?, ?)",
                (number, new_id(), self.day, seq, service, at, self.day, fee_paise, counter))
            if upi:
                conn.execute("INSERT INTO payments (tr, application_no, method, amount_paise, "
                             "status, created_at, updated_at) VALUES (?, ?, 'upi', ?, ?, ?, ?)",
                             (new_id(), number, fee_paise, upi, at, at))
        return number

    def kiosk_application(self, service: str, fee_paise: int, method: str = "cash",
                          status: str = "pending") -> str:
        with self.svc.store.transaction() as conn:
            seq = int(conn.execute("SELECT COUNT(*) FROM kiosk_applications").fetchone()[0]) + 1
            number = f"KIOSK-{seq:04d}"
            at = self.svc.now().isoformat()
            conn.execute(
                "INSERT INTO kiosk_applications (application_no, kiosk_id, day, service_code, "
                "submitted_at, fee_paise, payment_method, record, received_at) "
                "VALUES (?, 'K1', ?, ?, ?, ?, ?, ?, ?)",
                (number, self.day, service, at, fee_paise, method,
                 json.dumps({"payment": {"method": method, "status": status}}), at))
        return number


def make_day(tmp_path: Path, *, counters: int = 3) -> Day:
    config = load_config(data_dir=tmp_path / "data",
                         environ={"KIOSK_KIOSK__COUNTERS": str(counters),
                                  "KIOSK_CENTRE__IDLE_LOGOUT_SECONDS": "36000"})
    clock = Clock()
    svc = make_service(tmp_path / "centre.sqlite3", config, clock)
    for op in ("op1", "op2", "op3"):
        add_operator(svc.store, op)
    add_operator(svc.store, "sup1", role="supervisor", pin=SUP_PIN)
    add_operator(svc.store, "sup2", role="supervisor", pin=SUP_PIN)
    return Day(svc, clock)


def issue(day: Day, group: str, priority: str = "general", *, minutes_later: float = 1) -> None:
    day.clock.advance(minutes=minutes_later)
    day.svc.issue(new_id(), group, priority)
