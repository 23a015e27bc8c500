"""The printer runs out of paper as the cash receipt prints: the payment stays recorded, the
failure is said in both languages, and the receipt reprints (marked as a reprint, audited)."""

from __future__ import annotations

from pathlib import Path

import pytest
from centre_helpers import PIN, Clock, make_service
from desk_cash_helpers import SUP_PIN, add_counter_application, add_staff

from kiosk.catalogue import packaged_catalogue
from kiosk.centre import audit
from kiosk.centre.desk_cash import DeskCash
from kiosk.config import load_config
from kiosk.devices.escpos_driver import MSG_PAPER_OUT
from kiosk.devices.sim import sim_registry
from kiosk.documents.cash_receipt import build_cash_receipt, build_void_slip
from kiosk.errors import PrinterError
from kiosk.i18n import translate
from kiosk.ui.counter.desk_printer import DeskPrinter

APP = "MP-IND-042-20261201-0001-X"


def test_out_of_paper_keeps_the_payment_and_the_receipt_reprints(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "data", environ={})
    svc = make_service(tmp_path / "centre.sqlite3", config, Clock())
    printer = DeskPrinter(config)
    sim = sim_registry.get("printer", out_dir=config.print_dir)
    try:
        add_staff(svc.store)
        add_counter_application(svc.store, APP)
        cash = DeskCash(svc)
        s = str(svc.login("1", PIN, operator_id="op1")["session_token"])
        receipt = cash.confirm(s, APP)
        sim.paper = "out"
        with pytest.raises(PrinterError) as err:
            printer.print_document(build_cash_receipt(receipt, packaged_catalogue(), config,
                                                      "hi"))
        assert err.value.user_message("en") == MSG_PAPER_OUT
        assert err.value.user_message("hi") == translate(MSG_PAPER_OUT, "hi")
        assert cash.summary(s)["session_cash_in_hand_paise"] == 2000   # still recorded
        sim.reset_faults()
        again = cash.receipt(s, receipt["receipt_no"], reprint=True)
        before = sim.job_count
        result = printer.print_document(build_cash_receipt(again, packaged_catalogue(),
                                                           config, "hi", reprint=True))
        assert result is not None and result.state == "confirmed"
        assert sim.job_count == before + 1
        assert receipt["receipt_no"].encode() in sim.jobs[-1].data
        assert b"REPRINT" in sim.jobs[-1].data
        assert [e.action for e in audit.entries(svc.store.conn)][-1] == "cash.receipt_reprinted"
        assert svc.store.conn.execute("SELECT COUNT(*) FROM cash_receipts").fetchone()[0] == 1
        # The void slip prints for the supervisor's void.
        voided = cash.void(s, receipt["receipt_no"], reason="wrong application",
                           supervisor_id="sup1", pin=SUP_PIN)
        slip = printer.print_document(build_void_slip(voided, packaged_catalogue(), config,
                                                      "en"))
        assert slip is not None and slip.state == "confirmed"
    finally:
        sim.reset_faults()
        printer.close()
        svc.store.close()
