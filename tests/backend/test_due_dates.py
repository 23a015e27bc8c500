"""The backend's ``due_date`` is the date the kiosk printed on the acknowledgement.

Before, they disagreed in 1,532 of the 2,640 cases below (the backend knew four holidays,
had no same-day rule and counted from the UTC day it received the application). Both now use
:mod:`backend_client.working_days` with the synced holiday table, from ``submitted_at``.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from reference_backend import ReferenceBackend
from reference_backend.db import Caller

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_due_dates import CATALOGUE, cases, kiosk_due  # noqa: E402

IST = ZoneInfo("Asia/Kolkata")


def _backend_dates(backend: ReferenceBackend, table: list[tuple[str, datetime]],
                   centre: str = "MP-TEST") -> list[str]:
    caller = Caller("K-1", centre)
    with backend.db.tx() as conn:
        for i, (code, at) in enumerate(table):
            backend.db.submit_application(conn, caller, {
                "application_no": f"N-{i:05d}", "service_code": code, "centre": centre,
                "submitted_at": at.isoformat(), "applicant": {"name": "X"}})
    return [str(backend.db.application_status(f"N-{i:05d}")["due_date"])
            for i in range(len(table))]


def test_backend_and_kiosk_agree_on_every_case(backend: ReferenceBackend) -> None:
    table = list(cases())
    assert len(table) == 2640 and len({c for c, _ in table}) == len(CATALOGUE["services"])
    holidays = json.loads(backend.db.document("holidays")[1])["data"]
    got = _backend_dates(backend, table)
    want = [kiosk_due(holidays, code, at).isoformat() for code, at in table]
    bad = [(c, a.isoformat(), g, w) for (c, a), g, w in zip(table, got, want, strict=True)
           if g != w]
    assert not bad, f"{len(bad)} of {len(table)} disagree, e.g. {bad[:3]}"


def test_the_rules_that_used_to_differ(backend: ReferenceBackend) -> None:
    at = [
        # INC is a same-day service: inside 9:30-13:30 on a working day, due that day.
        ("INC", datetime(2026, 12, 1, 11, 0, tzinfo=IST)),
        # 00:10 IST on 2 Dec is still 1 Dec in UTC: the kiosk's date counts.
        ("CST", datetime(2026, 12, 2, 0, 10, tzinfo=IST)),
        # Holi (4 March 2026) is a gazetted holiday the old table did not list.
        ("INC", datetime(2026, 3, 3, 18, 0, tzinfo=IST)),
    ]
    holidays = json.loads(backend.db.document("holidays")[1])["data"]
    got = _backend_dates(backend, at)
    assert got[0] == "2026-12-01"
    assert got[1] == kiosk_due(holidays, "CST", at[1][1]).isoformat()
    assert got[1] != kiosk_due(holidays, "CST", at[1][1].replace(day=1)).isoformat()
    assert got[2] == "2026-03-09"  # Thu 5, Fri 6, Mon 9: Holi on Wed 4 does not count


def test_received_late_still_counts_from_submitted_at(backend: ReferenceBackend) -> None:
    """A kiosk offline for a week: the receipt's date stands, not the day it arrived."""
    backend.db.clock = lambda: datetime(2026, 12, 20, 12, 0, tzinfo=IST)
    made = datetime(2026, 12, 1, 18, 0, tzinfo=IST)
    assert _backend_dates(backend, [("INC", made)]) == ["2026-12-04"]


def test_district_holidays_count_for_the_centre_s_district(backend: ReferenceBackend) -> None:
    doc = json.loads(backend.db.document("holidays")[1])["data"]
    doc = {"holidays": [*doc["holidays"], {"date": "2026-12-02", "district": "Bhopal",
                                           "name_hi": "स्थानीय अवकाश",
                                           "name_en": "Local holiday"}]}
    backend.publish("holidays", doc)
    backend.set_centre_district("MP-BPL-HZR", "Bhopal")
    made = datetime.combine(date(2026, 12, 1), time(18, 0), IST)
    for centre, district in (("MP-BPL-HZR", "Bhopal"), ("MP-IDR-RAU", "Indore")):
        got = _backend_dates(backend, [("INC", made)], centre)[0]
        assert got == kiosk_due(doc, "INC", made, district).isoformat()
        backend.db.conn.execute("DELETE FROM applications")
    assert kiosk_due(doc, "INC", made, "Bhopal") != kiosk_due(doc, "INC", made, "Indore")
