"""Day-end: the report of a centre-day of 1,000 tokens and 500 applications (target ≤ 1 s),
and the bytes and wire time of the printed day-end.

The day is written straight into a fresh centre database (:mod:`kiosk.centre.day_sample`:
1,000 tokens from 9:30 to 17:00, 500 applications at the desk and kiosks, their cash receipts,
two counted drawers). The report is timed cold (first run on a fresh connection: SQLite's page
cache empty) and warm (median of 20), for the whole centre and for one counter. The printed
day-end of that report is rendered for 80 and 58 mm, Hindi-first and English-first: its bytes
(and how many are raster images of Hindi lines), and the wire time at 115200 and 9600 baud
(bytes × 10 / baud, 8N1).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_day_end.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.centre.day_report import day_report  # noqa: E402
from kiosk.centre.day_sample import seed_day  # noqa: E402
from kiosk.centre.db import CentreStore  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.documents.day_end_report import build_day_end_report  # noqa: E402
from kiosk.printing.escpos_render import PrinterProfile, render_escpos_with_stats  # noqa: E402
from kiosk.qt_runtime import ensure_gui_app  # noqa: E402

DAY = "2026-12-01"
TOKENS, APPLICATIONS = 1000, 500


def main() -> None:
    ensure_gui_app()
    zone = ZoneInfo("Asia/Kolkata")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "centre.sqlite3"
        store = CentreStore(path)
        t0 = time.perf_counter()
        seed_day(store, DAY, tokens=TOKENS, applications=APPLICATIONS, tz=zone)
        seed_s = time.perf_counter() - t0
        store.close()
        store = CentreStore(path)  # a fresh connection: the first report is cold
        try:
            t0 = time.perf_counter()
            report = day_report(store.conn, DAY, tz=zone)
            cold_ms = (time.perf_counter() - t0) * 1000
            warm, one = [], []
            for _ in range(20):
                t0 = time.perf_counter()
                day_report(store.conn, DAY, tz=zone)
                warm.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                day_report(store.conn, DAY, counter="1", tz=zone)
                one.append((time.perf_counter() - t0) * 1000)
        finally:
            store.close()
        assert report.tokens["issued"] == TOKENS
        assert report.applications_total["total"] == APPLICATIONS
        print(f"centre-day: {TOKENS} tokens, {APPLICATIONS} applications, "
              f"{report.cash_total['receipts']} cash receipts (seeded in {seed_s:.2f} s)")
        print(f"report, whole centre: cold {cold_ms:.1f} ms, warm median "
              f"{statistics.median(warm):.1f} ms (max {max(warm):.1f} ms)   target ≤ 1000 ms")
        print(f"report, one counter:  warm median {statistics.median(one):.1f} ms")
        config = load_config(data_dir=Path(tmp) / "data", environ={})
        when = datetime(2026, 12, 1, 17, 45, tzinfo=zone)
        data = report.to_json()
        print()
        header = (f"{'paper':>5} {'first':>5} | {'bytes':>7} {'raster B':>8} {'native':>6} | "
                  f"{'115200':>8} {'9600':>8} | render")
        print(header)
        print("-" * len(header))
        for paper in (80, 58):
            profile = PrinterProfile(paper_mm=paper)
            for lang in ("hi", "en"):
                doc = build_day_end_report(data, config, lang, printed_at=when)
                t0 = time.perf_counter()
                out, stats = render_escpos_with_stats(doc, profile)
                render_ms = (time.perf_counter() - t0) * 1000
                print(f"{paper:>3}mm {lang:>5} | {len(out):>7} {stats.raster_bytes:>8} "
                      f"{stats.native_lines:>6} | {len(out) * 10 / 115200:>7.2f}s "
                      f"{len(out) * 10 / 9600:>7.2f}s | {render_ms:.0f} ms")
        print("\nwire time = bytes x 10 / baud (8N1); raster B = the Hindi lines' images.")


if __name__ == "__main__":
    main()
