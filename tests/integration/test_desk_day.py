"""Issue 13, done when: a counter's day at the desk, end to end, on loopback — the centre
service forwarding to a real reference backend, the counter's real client.

Tokens are called; an application is entered for each called citizen; cash is taken for each;
one receipt is voided with a supervisor (an operator's approval refused); the operator counts
₹10 short, the close is refused without a supervisor and accepted with one; the centre's day
closes. Then the day-end report is checked against the
individual rows, the audit trail is verified, and the state backend — after the outbox drained
— holds every application and payment exactly once, the voided one as voided."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from kiosk.application_cli import template
from kiosk.catalogue import packaged_catalogue
from kiosk.centre import audit, operators
from kiosk.centre.client import CentreClient
from kiosk.centre.errors import CentreError
from kiosk.centre.runtime import CentreRuntime
from kiosk.config import load_config
from kiosk.sync import outbox
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend
from tests.sync.sync_helpers import wait_until

PIN, SUP_PIN = "620417", "583920"
FAST = SyncSettings(connect_timeout=0.5, read_timeout=3.0, interval_s=0.1, probe_s=0.1,
                    backoff_base_s=0.05, max_backoff_s=0.3, heartbeat_s=3600, pull_s=3600)
SERVICES = ("INC", "CST", "DOM")


def test_a_desk_day_from_tokens_to_the_closed_day_agrees_everywhere(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "data", environ={})
    backend = ReferenceBackend(tmp_path / "backend.sqlite3", seed=5).start()
    centre_id = f"{config.centre_code}-centre"
    centre = CentreRuntime(config, port=0, backend_url=backend.url,
                           backend_token=backend.issue_credential(centre_id, config.centre_code),
                           sync_settings=FAST, enrolment_code="CODE-7")
    client = CentreClient(centre.url)
    try:
        now = centre.service.now()
        with centre.store.transaction() as conn:
            operators.add_operator(conn, operator_id="op1", name="Ramesh", role="operator",
                                   pin=PIN, now=now)
            operators.add_operator(conn, operator_id="sup1", name="Sunita",
                                   role="supervisor", pin=SUP_PIN, now=now)
        cat = packaged_catalogue()
        for _ in SERVICES:
            centre.service.issue(str(uuid.uuid4()), "C")
        client.enrol("CODE-7", "COUNTER-1", "counter")
        session = str(client.login("1", PIN, operator_id="op1")["session_token"])

        receipts: list[dict[str, Any]] = []
        applications: list[dict[str, Any]] = []
        for code in SERVICES:
            called = client.act("1", "call-next", session)["token"]
            svc = cat.get(code)
            assert svc is not None
            answers = dict(template(cat, svc, now.date(), "hi")["answers"])
            app = client.submit_application(session, code, answers,
                                            submission_id=str(uuid.uuid4()),
                                            token=called["number"], lang="hi")
            applications.append(app)
            receipt = client.confirm_cash(session, app["application_no"])
            assert not receipt.get("already_paid")
            assert client.confirm_cash(session, app["application_no"])["already_paid"]
            receipts.append(receipt)
            client.act("1", "complete", session)

        # a void needs a supervisor: the operator's own PIN is refused, the supervisor's works
        voided = receipts[1]
        with pytest.raises(CentreError):
            client.void_cash(session, voided["receipt_no"], pin=PIN, reason="wrong service",
                             supervisor_id="op1")
        client.void_cash(session, voided["receipt_no"], pin=SUP_PIN, reason="wrong service",
                         supervisor_id="sup1")

        live = [r for r in receipts if r is not voided]
        expected = sum(int(r["amount_paise"]) for r in live)
        declared = client.declare_day_end("1", session, expected - 1000)   # ₹10 short
        assert declared["difference_paise"] == -1000 and declared["needs_supervisor"]
        with pytest.raises(CentreError):
            client.close_day_end("1", session)
        closed = client.close_day_end("1", session, note="₹10 short", supervisor_id="sup1",
                                      supervisor_pin=SUP_PIN)
        assert closed["state"] == "closed" and closed["supervisor_id"] == "sup1"

        report = client.day_end_report(session)
        # the report against the individual rows
        assert report["tokens"]["issued"] == len(SERVICES)
        assert report["tokens"]["served"] == len(SERVICES)
        per_service = {a["service"]: a["total"] for a in report["applications"]}
        assert per_service == {code: 1 for code in SERVICES}
        assert report["fees"]["cash"]["paise"] == expected
        assert report["fees"]["voided"]["count"] == 1
        assert report["fees"]["voided"]["paise"] == int(voided["amount_paise"])
        [drawer] = report["cash"]
        assert (drawer["operator_id"], drawer["expected_paise"], drawer["declared_paise"],
                drawer["difference_paise"]) == ("op1", expected, expected - 1000, -1000)
        rows = centre.store.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount_paise), 0) FROM cash_receipts "
            "WHERE voided_at IS NULL").fetchone()
        assert tuple(rows) == (len(live), expected)

        assert client.close_day("1", session)["day"] == report["day"]

        # the audit trail holds every action and is intact
        actions = [e.action for e in audit.entries(centre.store.conn)]
        for action in ("application.entered", "cash.confirmed", "cash.voided",
                       "supervisor.approved", "supervisor.refused", "day_end.declared",
                       "day_end.closed", "day.closed"):
            assert action in actions, action
        assert audit.verify(centre.store.conn).ok

        # the state backend, once the outbox drained: each record exactly once
        conn = centre.store.conn
        wait_until(lambda: outbox.count_state(conn, outbox.PENDING)
                   + outbox.count_state(conn, outbox.INFLIGHT) == 0)
        assert outbox.count_state(conn, outbox.PARKED) == 0
        db = backend.db.conn
        numbers = {a["application_no"] for a in applications}
        assert {r[0] for r in db.execute("SELECT application_no FROM applications")} == numbers
        payments = {r["cash_receipt_no"]: r["status"] for r in db.execute(
            "SELECT cash_receipt_no, status FROM payments WHERE method = 'cash'")}
        assert payments == {r["receipt_no"]: ("voided" if r is voided else "paid")
                            for r in receipts}
    finally:
        client.close()
        centre.close()
        backend.stop()
