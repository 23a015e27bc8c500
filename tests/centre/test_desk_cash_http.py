"""Cash at the desk over real HTTP: the client's four calls, refusals in both languages, and a
void the reference backend sees after the centre's outbox drains; a SIGKILL of a real
``kiosk centre`` right after a confirm leaves exactly one payment, reprintable."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from centre_helpers import PIN, assert_bilingual
from centre_proc import start_centre_process, stop
from desk_cash_helpers import SUP_PIN, add_counter_application, add_kiosk_application, add_staff

from kiosk.centre.client import CentreClient
from kiosk.centre.db import CentreStore
from kiosk.centre.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)
from kiosk.centre.runtime import CentreRuntime
from kiosk.config import load_config
from kiosk.sync import outbox
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend
from tests.sync.sync_helpers import wait_until

FAST = SyncSettings(connect_timeout=0.5, read_timeout=3.0, interval_s=0.1, probe_s=0.1,
                    backoff_base_s=0.05, max_backoff_s=0.3, heartbeat_s=3600, pull_s=3600)
APP = "MP-IND-042-20261201-0001-X"
KAPP = "MP-IND-042-20261201-0002-Y"


def test_cash_and_void_over_http_reach_the_backend(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "data", environ={})
    backend = ReferenceBackend(tmp_path / "backend.sqlite3", seed=3).start()
    kiosk_id = f"{config.centre_code}-centre"
    centre = CentreRuntime(config, port=0, backend_url=backend.url,
                           backend_token=backend.issue_credential(kiosk_id, config.centre_code),
                           sync_settings=FAST, enrolment_code="CODE-9")
    client = CentreClient(centre.url)
    try:
        add_staff(centre.store)
        add_counter_application(centre.store, APP)
        add_kiosk_application(centre.store, KAPP)
        add_counter_application(centre.store, "APP-W")
        client.enrol("CODE-9", "C-1", "counter")
        s = str(client.login("1", PIN, operator_id="op1")["session_token"])
        r = client.confirm_cash(s, APP)
        assert client.confirm_cash(s, APP)["already_paid"]
        k = client.confirm_cash(s, KAPP, amount_paise=3500)  # KHA: the amount is the desk's
        with pytest.raises(NotFoundError) as missing:
            client.confirm_cash(s, APP + "Z", amount_paise=1)
        assert_bilingual(missing.value)
        with pytest.raises(BadRequestError) as wrong:
            client.confirm_cash(s, "APP-W", amount_paise=1)
        assert wrong.value.code == "wrong-amount" and "₹20.00" in wrong.value.user_message("en")
        assert_bilingual(wrong.value)
        with pytest.raises(ForbiddenError) as forbidden:
            client.void_cash(s, r["receipt_no"], pin=PIN, reason="wrong", supervisor_id="op2")
        assert_bilingual(forbidden.value)
        with pytest.raises(BadRequestError):  # the contract wants a reason
            client.void_cash(s, r["receipt_no"], pin=SUP_PIN, reason="", supervisor_id="sup1")
        v = client.void_cash(s, r["receipt_no"], pin=SUP_PIN, reason="wrong application",
                             supervisor_id="sup1")
        assert v["status"] == "voided"
        summary = client.cash_summary(s)
        assert summary["session_cash_in_hand_paise"] == 3500
        assert [x["receipt_no"] for x in summary["receipts"]] == [r["receipt_no"],
                                                                  k["receipt_no"]]
        assert client.receipt(s, k["receipt_no"], reprint=True)["amount_paise"] == 3500
        with pytest.raises(UnauthorizedError) as no_session:
            client.cash_summary("not-a-session")
        assert_bilingual(no_session.value)

        conn = centre.store.conn
        wait_until(lambda: outbox.count_state(conn, outbox.DONE) >= 3, timeout=30.0)
        wait_until(lambda: outbox.count_state(conn, outbox.PENDING)
                   + outbox.count_state(conn, outbox.INFLIGHT) == 0)
        assert outbox.count_state(conn, outbox.PARKED) == 0
        rows = {row["tr"]: dict(row) for row in backend.db.conn.execute(
            "SELECT * FROM payments")}
        assert rows[r["tr"]]["status"] == "voided"
        assert rows[r["tr"]]["cash_receipt_no"] == r["receipt_no"]
        assert rows[k["tr"]]["status"] == "paid" and rows[k["tr"]]["amount_paise"] == 3500
    finally:
        client.close()
        centre.close()
        backend.stop()


def test_sigkill_right_after_confirm_one_payment_reprintable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc, url = start_centre_process(data)
    store = CentreStore(data / "centre.sqlite3")
    try:
        add_staff(store)
        add_counter_application(store, APP)
        client = CentreClient(url)
        client.enrol("CODE-P", "C-1", "counter")
        s = str(client.login("1", PIN, operator_id="op1")["session_token"])
        receipt = client.confirm_cash(s, APP)
        proc.send_signal(signal.SIGKILL)   # the power goes before the receipt is printed
        proc.wait(10)
        client.close()
        proc, url = start_centre_process(data)
        client = CentreClient(url)
        client.enrol("CODE-P", "C-2", "counter")
        s = str(client.login("1", PIN, operator_id="op1")["session_token"])
        again = client.confirm_cash(s, APP)
        assert again["already_paid"] and again["receipt_no"] == receipt["receipt_no"]
        reprint = client.receipt(s, receipt["receipt_no"], reprint=True)
        assert reprint["amount_paise"] == 2000 and reprint["status"] == "paid"
        client.close()
        conn = store.conn
        assert conn.execute("SELECT COUNT(*) FROM cash_receipts").fetchone()[0] == 1
        paid = conn.execute("SELECT COUNT(*) FROM payments WHERE status = 'paid'").fetchone()[0]
        assert paid == 1
        entries = [json.loads(p[0]) for p in conn.execute(
            "SELECT payload FROM outbox WHERE kind = 'payment.cash'")]
        assert [e["cash_receipt_no"] for e in entries] == [receipt["receipt_no"]]
    finally:
        stop(proc)
        store.close()
