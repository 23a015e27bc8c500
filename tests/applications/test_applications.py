"""Submitting applications: one transaction, one number, nothing half-written, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.applications import (
    ApplicationService,
    InvalidApplicationError,
    format_application_no,
    normalise_application_no,
    status_qr_payload,
)
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.errors import ValidationError
from kiosk.store import Store
from kiosk.working_days import WorkingCalendar

from .conftest import IST, MONDAY_AFTERNOON

Answers = Callable[[str], dict[str, Any]]


def rows(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_submit_stores_application_outbox_and_payment_together(
        apps: ApplicationService, store: Store, answers: Answers) -> None:
    data = {**answers("INC"), "aadhaar": "2345 6789 0124"}
    app = apps.submit("INC", data, lang="hi", documents_shown=["aadhaar", "bogus"],
                      delivery="post")
    assert app.application_no == "MP-BPL-HZR-20261123-0001-F"
    assert app.due_date == date(2026, 11, 27)  # Tue 24 Nov (Guru Nanak Jayanti) does not count
    assert app.fee_paise == 2000 + 1500 and app.payment is not None
    assert app.payment.status == "pending" and not app.paid
    assert app.documents_shown == ("aadhaar",)
    assert (rows(store, "applications"), rows(store, "outbox"), rows(store, "payments")) == (1, 1,
                                                                                              1)
    kind, payload = store.conn.execute("SELECT kind, payload FROM outbox").fetchone()
    assert kind == "application.submitted"
    body = json.loads(payload)
    assert body["applicant"]["aadhaar_last4"] == "0124" and body["fee_paise"] == 3500


def test_the_full_aadhaar_number_is_stored_nowhere(apps: ApplicationService, store: Store,
                                                   answers: Answers, tmp_path: Path) -> None:
    apps.submit("INC", {**answers("INC"), "aadhaar": "234567890124"}, lang="en")
    store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in tmp_path.iterdir():
        if path.is_file():
            assert b"234567890124" not in path.read_bytes(), path.name
            assert "२३४५६७८९०१२४".encode() not in path.read_bytes()


def test_invalid_answers_store_nothing(apps: ApplicationService, store: Store,
                                       answers: Answers) -> None:
    bad = {**answers("DOM"), "mobile": "12345", "pin": "110001"}
    with pytest.raises(InvalidApplicationError) as info:
        apps.submit("DOM", bad, lang="hi")
    assert {e.key for e in info.value.errors} == {"mobile", "pin"}
    assert rows(store, "applications") == rows(store, "outbox") == rows(store, "payments") == 0


def test_unknown_service_and_bad_choices(apps: ApplicationService, answers: Answers) -> None:
    with pytest.raises(ValidationError):
        apps.submit("XYZ", answers("INC"), lang="hi")
    with pytest.raises(ValidationError):
        apps.submit("INC", answers("INC"), lang="hi", delivery="drone")
    with pytest.raises(ValidationError):
        apps.submit("INC", answers("INC"), lang="hi", payment_method="barter")


def test_double_submit_of_one_session_gives_one_application(
        apps: ApplicationService, store: Store, answers: Answers) -> None:
    first = apps.submit("CST", answers("CST"), lang="hi", submission_id="wizard-1")
    again = apps.submit("CST", answers("CST"), lang="hi", submission_id="wizard-1")
    other = apps.submit("CST", answers("CST"), lang="hi", submission_id="wizard-2")
    assert first.application_no == again.application_no != other.application_no
    assert rows(store, "applications") == 2 and rows(store, "outbox") == 2


def test_numbers_count_per_day_and_carry_a_check_character(
        apps: ApplicationService, answers: Answers, clock: list[datetime]) -> None:
    a = apps.submit("INC", answers("INC"), lang="hi")
    b = apps.submit("INC", answers("INC"), lang="hi")
    clock[0] = datetime(2026, 11, 25, 10, 0, tzinfo=IST)
    c = apps.submit("INC", answers("INC"), lang="hi")
    assert [x.application_no.split("-")[-2] for x in (a, b, c)] == ["0001", "0002", "0001"]
    assert normalise_application_no(a.application_no.lower()) == a.application_no
    assert normalise_application_no(status_qr_payload(b.application_no)) == b.application_no
    typo = a.application_no[:-3] + "9" + a.application_no[-2:]
    assert normalise_application_no(typo) is None
    assert apps.lookup(" " + a.application_no + " ") == apps.get(a.application_no)


def test_every_single_digit_typo_is_caught() -> None:
    no = format_application_no("MP-BPL-HZR", date(2026, 11, 23), 7)
    digits = [i for i, ch in enumerate(no) if ch.isdigit()]
    for i in digits:
        for d in "0123456789":
            if d != no[i]:
                assert normalise_application_no(no[:i] + d + no[i + 1:]) is None


def test_same_day_services_within_the_window_are_due_today(
        apps: ApplicationService, answers: Answers, clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 23, 10, 30, tzinfo=IST)
    assert apps.submit("INC", answers("INC"), lang="hi").due_date == date(2026, 11, 23)
    assert apps.submit("CST", answers("CST"), lang="hi").due_date > date(2026, 12, 25)


def test_caste_certificate_counts_thirty_working_days() -> None:
    cal = WorkingCalendar()
    due = cal.due_date(MONDAY_AFTERNOON, 30, False)
    start = MONDAY_AFTERNOON.date()
    working = [d for d in (date.fromordinal(n) for n in range(start.toordinal() + 1,
                                                              due.toordinal() + 1))
               if cal.is_working(d)]
    assert len(working) == 30 and due.weekday() < 5
    assert date(2026, 12, 25) not in working  # Christmas


def test_synced_district_holidays_push_the_due_date(apps: ApplicationService, store: Store,
                                                    answers: Answers) -> None:
    before = apps.submit("INC", answers("INC"), lang="hi").due_date
    with store.transaction() as conn:
        conn.execute("INSERT INTO holidays VALUES ('2026-11-25', 'Bhopal', 'स्थानीय अवकाश', "
                     "'Local holiday')")
        conn.execute("INSERT INTO holidays VALUES ('2026-11-26', 'Indore', 'स्थानीय अवकाश', "
                     "'Local holiday')")
    after = apps.submit("INC", answers("INC"), lang="hi").due_date
    assert (before, after) == (date(2026, 11, 27), date(2026, 11, 30))


@pytest.mark.parametrize(("code", "extra", "fee"), [
    ("INC", {}, 2000), ("KHA", {"pages": 4}, 3000 + 3 * 1500), ("SMK", {}, 2000 + 50000),
    ("BRT", {"event_date": "10-11-2026"}, 0), ("BRT", {"event_date": "10-11-2020"}, 100),
    ("BRT", {"event_date": "10-11-2010"}, 2000), ("GUM", {"employees": 12}, 2000 + 50000),
])
def test_fees_follow_the_catalogue_rules(apps: ApplicationService, answers: Answers, code: str,
                                         extra: dict[str, Any], fee: int) -> None:
    app = apps.submit(code, {**answers(code), **extra}, lang="hi")
    assert app.fee_paise == fee
    assert (app.payment is None) == (fee == 0)
    assert app.paid == (fee == 0)


def test_upi_and_cash_payments(apps: ApplicationService, store: Store, answers: Answers) -> None:
    app = apps.submit("INC", answers("INC"), lang="hi", payment_method="upi")
    upi = apps.start_upi(app.application_no)
    assert upi.upi_uri is not None and upi.upi_uri.startswith("upi://pay?pa=")
    assert "&am=20.00&cu=INR" in upi.upi_uri and f"&tr={upi.tr}" in upi.upi_uri
    assert "%20" in upi.upi_uri and " " not in upi.upi_uri
    apps.mark_paid(upi.tr, "633412345678")
    paid = apps.get(app.application_no)
    assert paid is not None and paid.paid and paid.payment is not None
    assert paid.payment.reference == "633412345678"
    cash = apps.submit("DOM", answers("DOM"), lang="hi")
    apps.confirm_cash(cash.application_no, "R-0042")
    got = apps.get(cash.application_no)
    assert got is not None and got.paid and got.payment is not None
    assert got.payment.reference == "R-0042"
    kinds = [r[0] for r in store.conn.execute("SELECT kind FROM outbox ORDER BY id")]
    assert kinds == ["application.submitted", "application.submitted", "payment.cash"]


CRASH_SCRIPT = textwrap.dedent("""
    import os, sys, json
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from kiosk.application_cli import template
    from kiosk.applications import ApplicationService
    from kiosk.catalogue import packaged_catalogue
    from kiosk.config import load_config
    from kiosk.store import Store
    import kiosk.printing.print_jobs as ps

    config = load_config(None, data_dir=sys.argv[1])
    store = Store(config.db_path)
    apps = ApplicationService(store, config)
    cat = packaged_catalogue()
    data = template(cat, cat.get("INC"), datetime.now(ZoneInfo("Asia/Kolkata")).date(), "hi")
    app = apps.submit("INC", data["answers"], lang="hi", submission_id="crash-session")
    print(app.application_no, flush=True)
    os.kill(os.getpid(), 9)   # the power goes: after the commit, before the print
""")


def test_a_crash_between_submit_and_print_leaves_one_reprintable_application(
        tmp_path: Path, config: Config) -> None:
    data_dir = tmp_path / "crash"
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(data_dir)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == -signal.SIGKILL
    number = proc.stdout.strip()
    from kiosk.config import load_config
    from kiosk.documents.acknowledgement import build_acknowledgement

    cfg = load_config(None, data_dir=data_dir)
    with Store(cfg.db_path) as store:
        apps = ApplicationService(store, cfg)
        assert apps.count() == 1
        app = apps.get(number)
        assert app is not None
        # The restarted kiosk retries the same wizard session: still one application.
        again = apps.submit("INC", app.answers, lang="hi", submission_id="crash-session")
        assert again.application_no == number and apps.count() == 1
        doc = build_acknowledgement(app, packaged_catalogue(), cfg, "hi")
        assert number in doc.texts()
        assert store.conn.execute("SELECT COUNT(*) FROM outbox WHERE record_id = ?",
                                  (number,)).fetchone()[0] == 1
