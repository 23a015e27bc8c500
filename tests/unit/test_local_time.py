"""Times a person reads are in the centre's zone (IST by default), whatever the machine's TZ."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.local_time import clock_text, stamp_text
from kiosk.print_journal import PrintJournal
from kiosk.store import Store


@pytest.fixture(autouse=True)
def _machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Debian service runs in UTC: that must not leak into what is shown."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_stored_utc_reads_as_ist() -> None:
    assert stamp_text("2026-11-22T04:15:02+00:00", "Asia/Kolkata") == "2026-11-22 09:45:02 IST"
    assert clock_text("2026-11-22T04:15:02+00:00", "Asia/Kolkata") == "09:45:02"
    assert clock_text("2026-11-22T04:15:02", "Asia/Kolkata") == "09:45:02"  # naive = UTC
    assert stamp_text(None, "Asia/Kolkata") == "" and clock_text("garbage", None) == "garbage"


def test_test_page_prints_the_centre_time(tmp_path: Path) -> None:
    from kiosk.documents.model import Text
    from kiosk.documents.self_test_page import build_test_page

    config = load_config(data_dir=tmp_path, environ={})
    page = build_test_page(config, now=datetime(2026, 11, 22, 4, 15, tzinfo=UTC))
    lines = [b.text for b in page.blocks if isinstance(b, Text)]
    assert any("9:45" in line for line in lines), lines
    assert not any("4:15" in line for line in lines)


def test_diagnostics_journal_and_doctor_show_ist(tmp_path: Path) -> None:
    from kiosk.doctor import _journal
    from kiosk.ui.viewmodels.diagnostics_text import journal_row

    config = load_config(data_dir=tmp_path, environ={})
    with Store(config.db_path) as store:
        journal = PrintJournal(store)
        job = journal.start("selftest", "ref-1")
        with store.transaction() as conn:
            conn.execute("UPDATE print_jobs SET updated_at = ? WHERE id = ?",
                         ("2026-11-22T04:15:02+00:00", job))
        row = journal_row(journal.recent_entries(5)[0], config.timezone)
    assert row["time"] == "09:45:02"
    assert _journal(config)[0]["updated_local"] == "2026-11-22 09:45:02 IST"
