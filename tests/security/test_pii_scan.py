"""A full journey on a fresh data directory, then every byte under it searched for personal data.

The journey is the one a citizen makes: an Aadhaar Secure QR scanned for prefill, an income
certificate application with name, mobile and the full Aadhaar number typed, a token, the
acknowledgement and the slip printed on the simulated printer (its job files land in the data
directory), and sync to the embedded reference backend (its own database, also there). Logging
runs at DEBUG, the most a technician could turn on. Then: the full Aadhaar number appears in no
file (database pages, WAL, logs, print jobs, the backend's database), in any of the forms it
could be written in; the name and mobile number appear in no log.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.aadhaar_qr import decode_secure_qr
from kiosk.applications import ApplicationService
from kiosk.config import load_config
from kiosk.documents.acknowledgement import print_acknowledgement
from kiosk.logging_setup import setup_logging
from kiosk.printing.print_jobs import PrintService
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.sync.runtime import start_sync
from kiosk.ui.screenshot_apply import sample_aadhaar_qr
from kiosk.ui.screenshot_lookup import SAMPLE_ANSWERS

#: A number that passes the Verhoeff check (python-stdnum), as a citizen would type it.
AADHAAR = "234567890124"
NAME_EN, NAME_HI, MOBILE = "Sunita Devi", "सुनीता देवी", "9876543210"


def _forms(number: str) -> list[bytes]:
    """Every way the full number could be written down: plain, grouped, UTF-16, Devanagari."""
    grouped = f"{number[:4]} {number[4:8]} {number[8:]}"
    deva = number.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    return [number.encode(), grouped.encode(), number.encode("utf-16-le"), deva.encode()]


def _journey(data: Path) -> None:
    """The journey; the log file handler stays until tests/security/conftest.py removes it."""
    config = load_config(None, data_dir=data)
    setup_logging(data, level=logging.DEBUG)
    prefill = decode_secure_qr(sample_aadhaar_qr())
    answers = {**SAMPLE_ANSWERS, "name_en": prefill.name or NAME_EN, "aadhaar": AADHAAR}
    with Store(config.db_path) as store:
        apps = ApplicationService(store, config)
        app = apps.submit("INC", answers, lang="hi", documents_shown=["aadhaar"],
                          payment_method="cash")
        apps.confirm_cash(app.application_no, "R-2041")
        printer = PrintService(store, config)
        print_acknowledgement(printer, apps, config, app.application_no, "hi",
                              no_printer_message="no printer")
        token = TokenService(store, config).issue("C", "general", "hi")
        printer.print_token(token, "hi")
        with start_sync(config, store, start_worker=False) as rt:
            rt.sync_once()
            status = rt.status()
            assert status.waiting == 0 and status.delivered >= 2, status


def test_full_aadhaar_is_nowhere_and_logs_hold_no_name_or_mobile(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _journey(data)
    files = [p for p in data.rglob("*") if p.is_file()]
    kinds = {p.suffix or p.name for p in files}
    assert any(p.name == "kiosk.sqlite3" for p in files)
    assert any(p.name == "reference.sqlite3" for p in files)       # the backend's copy
    assert any(p.parent.name == "printer" for p in files), kinds   # print-job files
    logs = [p for p in files if "logs" in p.parts]
    assert logs and sum(p.stat().st_size for p in logs) > 500

    hits = {str(p.relative_to(data)): form for p in files for form in _forms(AADHAAR)
            if form in p.read_bytes()}
    assert hits == {}, f"full Aadhaar number found in {hits}"

    # The application itself is there (so the search would find data if it were written).
    assert any(MOBILE.encode() in p.read_bytes() for p in files if p.suffix == ".sqlite3"
               or p.name.endswith("-wal"))
    assert any(AADHAAR[-4:].encode() in p.read_bytes() for p in files)
    for log in logs:
        text = log.read_bytes()
        for secret in (NAME_EN, NAME_HI, MOBILE, MOBILE[-6:], "Ramesh Kumar"):
            assert secret.encode() not in text, f"{secret!r} in {log.name}"
