"""A sample centre-day written straight into a centre database: for the bench, the preview of
the printed day-end and its tests.

Why rows and not the service's transitions: the bench needs 1,000 tokens and 500 applications
in a second or two, and the printed preview needs a plausible day without a running service.
The rows have exactly the shape the service and the desk write (same tables, same columns), and
the numbers follow a fixed seed so two runs give the same report.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.store import Store

GROUPS = ("C", "C", "C", "A", "A", "L", "R", "T")
SERVICES = ("INC", "CAS", "DOM", "RES", "BIR", "PEN")
OPERATORS = (("1", "op1"), ("2", "op2"), ("3", "op3"))


def seed_day(store: Store, day: str, *, tokens: int = 1000, applications: int = 500,
             tz: ZoneInfo | None = None, seed: int = 13, declare: bool = True,
             first_seq: int = 1) -> None:
    """Write ``tokens`` tokens (9:30 to 17:00, served / no-show / waiting), ``applications``
    applications (desk and kiosk copies, cash and UPI), their cash receipts, and (``declare``)
    the day-ends of counters 1 and 2 — counter 2 a little short, approved by ``sup1``.

    ``first_seq`` starts the token numbers elsewhere than 1, beside a real service's own."""
    zone = tz or ZoneInfo("Asia/Kolkata")
    rng = random.Random(seed)
    start = datetime.combine(date.fromisoformat(day), time(9, 30), tzinfo=zone)
    span = 7.5 * 3600
    token_rows: list[tuple[Any, ...]] = []
    app_rows: list[tuple[Any, ...]] = []
    kiosk_rows: list[tuple[Any, ...]] = []
    pay_rows: list[tuple[Any, ...]] = []
    receipt_rows: list[tuple[Any, ...]] = []
    seqs: dict[str, int] = {}
    for i in range(tokens):
        grp = GROUPS[i % len(GROUPS)]
        seqs[grp] = seqs.get(grp, first_seq - 1) + 1
        # busier in the late morning: a triangle over the day
        issued = start + timedelta(seconds=rng.triangular(0, span, span * 0.3))
        counter: str | None = OPERATORS[i % len(OPERATORS)][0]
        roll = rng.random()
        wait = rng.uniform(60, 1500) * (1.6 if 10.5 <= issued.hour + issued.minute / 60 <= 12.5
                                        else 1.0)
        called: datetime | None = issued + timedelta(seconds=wait)
        service: float | None = rng.uniform(120, 600)
        served_at: datetime | None = None
        no_show_at: datetime | None = None
        if roll < 0.85:
            assert called is not None and service is not None
            state, served_at = "served", called + timedelta(seconds=service)
        elif roll < 0.93:
            state, no_show_at, service = "no_show", called, None
        else:
            state, service, called = "waiting", None, None
            counter = None
        token_rows.append((
            str(uuid.UUID(int=rng.getrandbits(128))), day, grp, seqs[grp],
            f"{grp}-{seqs[grp]:03d}", grp, "general", "hi", "K1", issued.isoformat(), state,
            counter, called.isoformat() if called else None,
            served_at.isoformat() if served_at else None,
            no_show_at.isoformat() if no_show_at else None, service))
    receipt_seq: dict[str, int] = {}
    for i in range(applications):
        code = SERVICES[i % len(SERVICES)]
        fee = rng.choice((3000, 3000, 5000, 2500, 4000))
        at = (start + timedelta(seconds=rng.uniform(0, span))).isoformat()
        desk_counter, op = OPERATORS[i % 2]
        desk = i % 4 != 3
        number = f"{'D' if desk else 'K'}-{day.replace('-', '')}-{i + 1:04d}"
        cash = rng.random() < 0.7
        if desk:
            app_rows.append((number, str(uuid.UUID(int=rng.getrandbits(128))), day, i + 1,
                             code, at, day, fee, desk_counter))
            if not cash:
                pay_rows.append((f"TR{i:06d}", number, fee,
                                 "paid" if rng.random() < 0.8 else "pending", at, at))
        else:
            kiosk_rows.append((number, day, code, at, fee, "cash" if cash else "upi",
                               json.dumps({"payment": {"status": "paid" if not cash and
                                                       rng.random() < 0.8 else "pending"}}),
                               at))
        if cash and rng.random() < 0.9:
            receipt_seq[desk_counter] = receipt_seq.get(desk_counter, 0) + 1
            seq = receipt_seq[desk_counter]
            voided = "void" if seq % 40 == 0 else None
            receipt_rows.append((f"SMP-{desk_counter}-{day.replace('-', '')}-{seq:04d}", number,
                                 desk_counter, day, seq, op, fee, at, at if voided else None,
                                 voided, "sup1" if voided else None))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO tokens (id, day, num_grp, seq, number, grp, priority, lang, kiosk_id, "
            "issued_at, state, counter, called_at, served_at, no_show_at, service_s) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", token_rows)
        conn.executemany(
            "INSERT INTO applications (application_no, submission_id, day, seq, service_code, "
            "lang, submitted_at, due_date, answers, documents_shown, delivery, fees, "
            "fee_paise, counter) VALUES (?, ?, ?, ?, ?, 'hi', ?, ?, '{}', '[]', 'counter', "
            "'[]', ?, ?)", app_rows)
        conn.executemany(
            "INSERT INTO payments (tr, application_no, method, amount_paise, status, "
            "created_at, updated_at) VALUES (?, ?, 'upi', ?, ?, ?, ?)", pay_rows)
        conn.executemany(
            "INSERT INTO kiosk_applications (application_no, kiosk_id, day, service_code, "
            "submitted_at, fee_paise, payment_method, record, received_at) "
            "VALUES (?, 'K1', ?, ?, ?, ?, ?, ?, ?)", kiosk_rows)
        conn.executemany(
            "INSERT INTO cash_receipts (receipt_no, application_no, counter, day, seq, "
            "operator_id, amount_paise, taken_at, voided_at, void_kind, void_supervisor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", receipt_rows)
        if declare:
            end = (start + timedelta(seconds=span + 900)).isoformat()
            for drawer, op in OPERATORS[:2]:
                expected = int(conn.execute(
                    "SELECT COALESCE(SUM(amount_paise), 0) FROM cash_receipts WHERE day = ? "
                    "AND counter = ? AND operator_id = ? AND voided_at IS NULL",
                    (day, drawer, op)).fetchone()[0])
                short = 0 if drawer == "1" else 5000
                conn.execute(
                    "INSERT INTO day_ends VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (day, drawer, op, expected, expected - short, -short, end,
                     "sup1" if short else None, "counted twice" if short else None, end))


__all__ = ["seed_day"]
