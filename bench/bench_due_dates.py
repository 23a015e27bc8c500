"""Do the kiosk and the reference backend give an application the same due date?

The kiosk prints a guaranteed delivery date on the acknowledgement the moment the citizen
submits; the backend later answers ``due_date`` on the status screen. Two different dates for
one application is a broken promise on paper. This bench submits 12 services x 220 submission
instants (2,640 applications, spread over 2026 with every holiday of the synced table and the
Samadhan Ek Din window's edges) to a real reference backend over HTTP, each received a few
hours after it was made (UTC clock, as a kiosk that was offline), and counts the cases where
the backend's date differs from the kiosk's own.

    .venv/bin/python bench/bench_due_dates.py          # prints "disagree N of 2640"

``cases()`` and ``kiosk_due()`` are shared with ``tests/backend/test_due_dates.py``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reference_backend import ReferenceBackend  # noqa: E402

IST = ZoneInfo("Asia/Kolkata")
CATALOGUE = json.loads((ROOT / "kiosk" / "catalogue" / "catalogue.json").read_text("utf-8"))
CENTRE = "MP-BENCH"
#: Times of day that straddle the same-day window (9:30-13:30) and the UTC date line (05:30).
TIMES = (time(0, 10), time(5, 29), time(9, 29), time(9, 30), time(11, 0), time(13, 30),
         time(13, 31), time(17, 45), time(23, 50))


def instants(n: int = 220, seed: int = 11) -> list[datetime]:
    """``n`` submission instants in 2026 (IST), holidays and their neighbours included."""
    rnd = random.Random(seed)
    anchors = [date(2026, 1, 26), date(2026, 2, 1), date(2026, 8, 15), date(2026, 10, 2),
               date(2026, 3, 4), date(2026, 11, 8), date(2026, 12, 25), date(2026, 4, 3)]
    out: list[datetime] = []
    for a in anchors:
        for delta in (-3, -1, 0, 1):
            out.append(datetime.combine(a + timedelta(days=delta), rnd.choice(TIMES), IST))
    while len(out) < n:
        day = date(2026, 1, 1) + timedelta(days=rnd.randrange(365))
        out.append(datetime.combine(day, rnd.choice(TIMES), IST))
    return out[:n]


def cases(n: int = 220) -> Iterator[tuple[str, datetime]]:
    for at in instants(n):
        for svc in CATALOGUE["services"]:
            yield str(svc["code"]), at


def kiosk_due(holiday_doc: dict, code: str, at: datetime, district: str = "Bhopal") -> date:
    """The date the kiosk stores and prints: its own store, the synced holidays applied."""
    from backend_client import ReferenceDocument
    from kiosk.store import Store
    from kiosk.sync.reference import apply_document
    from kiosk.working_days import WorkingCalendar

    key = district + json.dumps(holiday_doc, sort_keys=True)
    cal = _CALENDARS.get(key)
    if cal is None:
        with tempfile.TemporaryDirectory() as d:
            store = Store(Path(d) / "k.sqlite3")
            try:
                apply_document(store, ReferenceDocument("holidays", "1", '"b"', holiday_doc))
                cal = WorkingCalendar.from_store(store.conn, district, "MP")
            finally:
                store.close()
        _CALENDARS[key] = cal
    svc = next(s for s in CATALOGUE["services"] if s["code"] == code)
    return cal.due_date(at, int(svc["days"]), bool(svc["same_day"]))


_CALENDARS: dict[str, object] = {}


def application(no: str, code: str, at: datetime) -> dict:
    return {"application_no": no, "service_code": code, "centre": CENTRE,
            "submitted_at": at.isoformat(), "applicant": {"name": "Bench"}}


def disagreements(n: int = 220, receive_delay: timedelta = timedelta(hours=7)) -> tuple[int, int]:
    """(disagreeing, total) over the 12 x ``n`` table, against a fresh reference backend."""
    with tempfile.TemporaryDirectory() as d, ReferenceBackend(Path(d) / "b.sqlite3") as be:
        token = be.issue_credential("K-BENCH", CENTRE)
        holiday_doc = json.loads(be.db.document("holidays")[1])["data"]
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        bad = total = 0
        for i, (code, at) in enumerate(cases(n)):
            no = f"{CENTRE}-{i:05d}"
            received = at.astimezone(UTC) + receive_delay
            be.db.clock = lambda r=received: r  # the backend's clock when the entry arrives
            r = s.post(f"{be.url}/v1/applications", json=application(no, code, at),
                       headers={"Idempotency-Key": f"bench-{i}"}, timeout=10)
            r.raise_for_status()
            got = s.get(f"{be.url}/v1/applications/{no}", timeout=10).json()["due_date"]
            total += 1
            bad += got != kiosk_due(holiday_doc, code, at).isoformat()
        s.close()
        return bad, total


if __name__ == "__main__":
    bad, total = disagreements()
    print(f"disagree {bad} of {total}")
