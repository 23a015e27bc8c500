"""Applications: submit → acknowledgement printed at 115200 baud, and printout sizes.

1. **Submit to last byte**: the clock starts at ``ApplicationService.submit`` (validation, the
   fsync'd transaction with outbox and payment rows), then the acknowledgement is laid out,
   rendered (Hindi shaped by Qt into cropped rasters) and sent through the real ``PrintService``
   to the ESC/POS simulator on a pseudo-terminal whose reader is paced to 115200 baud (10 bits
   per byte). It stops when the simulator has consumed the job's last byte.
2. **Bytes**: our acknowledgement and certificate (native text + native QR, Devanagari raster
   cropped tight) side by side with the same documents printed as one full-width raster, and
   the wire time of each at 115200 baud.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_application.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from paced_printer import PacedPrinter  # noqa: E402

from kiosk.application_cli import template  # noqa: E402
from kiosk.applications import ApplicationService  # noqa: E402
from kiosk.catalogue import packaged_catalogue  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.documents.acknowledgement import build_acknowledgement  # noqa: E402
from kiosk.documents.certificate import build_certificate_slip  # noqa: E402
from kiosk.printing.escpos_render import (  # noqa: E402
    PrinterProfile,
    render_escpos_with_stats,
    render_full_raster,
)
from kiosk.printing.preview import sample_certificate  # noqa: E402
from kiosk.printing.preview_receipt import sample_application  # noqa: E402
from kiosk.printing.print_jobs import PrintService  # noqa: E402
from kiosk.qt_runtime import ensure_gui_app  # noqa: E402
from kiosk.store import Store  # noqa: E402

BAUD = 115200


def wire(n: int) -> float:
    return n * 10 / BAUD


def submit_to_print(runs: int, lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paced = PacedPrinter(Path(tmp) / "out", BAUD)
        cfg = load_config(data_dir=Path(tmp) / "data", environ={
            "KIOSK_DEVICES__PRINTER__URL": paced.url})
        cat = packaged_catalogue()
        with Store(cfg.db_path) as store:
            apps = ApplicationService(store, cfg)
            printer = PrintService(store, cfg)
            answers = template(cat, apps.service("INC"),
                               datetime.now(ZoneInfo(cfg.timezone)).date(), lang)["answers"]
            rows = []
            try:
                for i in range(runs + 1):
                    before, jobs = paced.received, len(paced.jobs)
                    t0 = time.monotonic()
                    app = apps.submit("INC", {**answers, "aadhaar": "234567890124"}, lang=lang,
                                      documents_shown=["aadhaar"], submission_id=f"bench-{i}")
                    t_commit = time.monotonic()
                    doc = build_acknowledgement(app, cat, cfg, lang)
                    printer.print_document(doc)
                    deadline = time.monotonic() + 30
                    while len(paced.jobs) <= jobs and time.monotonic() < deadline:
                        time.sleep(0.01)
                    rows.append((paced.last_byte - t0, t_commit - t0, paced.received - before))
            finally:
                closer = getattr(printer, "close", None)
                if callable(closer):
                    closer()
                paced.close()
    warm, rows = rows[0], rows[1:]
    print(f"submit → acknowledgement's last byte at a {BAUD}-baud printer (paced pty), {lang}")
    print(f"  first run (renderer and fonts warm up): {warm[0]:.3f} s")
    for total, commit, n in rows:
        print(f"  {total:.3f} s   (validate + durable commit {commit * 1000:.1f} ms; "
              f"{n} bytes incl. status queries, wire alone {wire(n):.3f} s)")
    print(f"  median {statistics.median(r[0] for r in rows):.3f} s")


def sizes() -> None:
    cfg = load_config(data_dir=tempfile.mkdtemp())
    cat = packaged_catalogue()
    print("printout bytes: ours (native text + native QR + cropped Devanagari raster) vs one "
          "full-width raster")
    print(f"  {'document':<28}{'paper':>6}{'ours':>9}{'raster':>8}{'full':>9}{'ratio':>7}"
          f"{'wire ours':>11}{'wire full':>11}")
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.sqlite3") as store:
        for lang in ("hi", "en"):
            app = sample_application(cfg, lang, store)
            fields, qr = sample_certificate(cfg)
            for paper in (80, 58):
                profile = PrinterProfile(paper_mm=paper)
                docs = {
                    f"acknowledgement ({lang})": build_acknowledgement(app, cat, cfg, lang),
                    f"certificate ({lang})": build_certificate_slip(
                        fields, qr, cfg, lang, title_hi="आय प्रमाण पत्र",
                        title_en="Income certificate", paper_mm=paper),
                }
                for name, doc in docs.items():
                    data, st = render_escpos_with_stats(doc, profile)
                    full = render_full_raster(doc, profile)
                    print(f"  {name:<28}{paper:>4}mm{len(data):>9,}{st.raster_bytes:>8,}"
                          f"{len(full):>9,}{len(full) / len(data):>6.1f}×"
                          f"{wire(len(data)):>10.2f}s{wire(len(full)):>10.2f}s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lang", default="hi")
    args = ap.parse_args()
    ensure_gui_app()
    submit_to_print(args.runs, args.lang)
    sizes()


if __name__ == "__main__":
    main()
