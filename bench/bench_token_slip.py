"""Token slip bytes on the wire: one full-width raster vs ours inline vs ours with the fixed
labels held in the printer (cold: this job defines them; warm: it prints them by key).

For 80 mm and 58 mm, Hindi-first and English-first. "paced 115200" is measured: the bytes go
through a pseudo-terminal into a printer simulator *of that paper width* whose reader is paced
to 115200 baud (10 bits a byte, bench/paced_printer.py), first byte written → last byte read.
The 38400 and 9600 columns are the wire time computed from the bytes (bytes × 10 / baud): at
those rates the wire is all there is, and pacing a 60 KB raster at 9600 takes a minute a row.
The warm job is checked to decode to the same pixels as the cold one.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_token_slip.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import serial

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from paced_printer import PacedPrinter  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.devices.sim.escpos_printer import EscposPrinterSim  # noqa: E402
from kiosk.documents.token_slip import build_token_slip  # noqa: E402
from kiosk.printing.escpos_render import (  # noqa: E402
    PrinterProfile,
    encode_plan,
    layout_document,
    render_full_raster,
)
from kiosk.printing.preview import sample_token  # noqa: E402
from kiosk.qt_runtime import ensure_gui_app  # noqa: E402

PACED_BAUD = 115200


def push(data: bytes, out_dir: Path, paper_mm: int) -> float:
    """Seconds from the first byte written to the last byte read by a paced simulator."""
    printer = PacedPrinter(out_dir, PACED_BAUD, paper_mm=paper_mm)
    try:
        with serial.serial_for_url(printer.path, baudrate=PACED_BAUD, timeout=1) as port:
            start = time.monotonic()
            port.write(data)
            port.flush()
            deadline = time.monotonic() + 120
            while printer.received < len(data) and time.monotonic() < deadline:
                time.sleep(0.001)
            last = printer.last_byte
    finally:
        printer.close()
    if printer.received != len(data):
        raise RuntimeError(f"simulator got {printer.received} of {len(data)} bytes")
    return last - start


def same_pixels(cold: bytes, warm: bytes, paper_mm: int) -> bool:
    sim = EscposPrinterSim(paper_mm)
    for data in (cold, warm):
        sim.feed(data)
        sim.end_job()
    a, b = sim.jobs
    return a.image.tobytes() == b.image.tobytes() and not b.graphics_missing


def main() -> None:
    ensure_gui_app()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(data_dir=Path(tmp) / "data", environ={})
        when = datetime(2026, 11, 22, 19, 43, tzinfo=ZoneInfo(config.timezone))
        kinds = ("full", "inline", "cold", "warm")
        warmup = build_token_slip(sample_token(config, "hi", when), config, "hi")
        for paper in (80, 58):  # fonts and glyph caches warm, so the first row is not skewed
            push(encode_plan(layout_document(warmup, PrinterProfile(paper_mm=paper)))[0],
                 Path(tmp) / "warmup", paper)
        print(f"{'paper':>5} {'first':>5} | " + " ".join(f"{k + ' B':>8}" for k in kinds)
              + " | paced 115200: " + " ".join(f"{k:>7}" for k in kinds)
              + " | 38400: " + " ".join(f"{k:>6}" for k in kinds)
              + " | 9600: " + " ".join(f"{k:>6}" for k in kinds) + " | same")
        for paper in (80, 58):
            inline = PrinterProfile(paper_mm=paper)
            memory = PrinterProfile(paper_mm=paper, graphics_memory="gs_l")
            for lang in ("hi", "en"):
                doc = build_token_slip(sample_token(config, lang, when), config, lang)
                plan = layout_document(doc, memory)
                cold, stats = encode_plan(plan, {})
                warm, _ = encode_plan(plan, stats.defined)
                jobs = {"full": render_full_raster(doc, inline),
                        "inline": encode_plan(layout_document(doc, inline))[0],
                        "cold": cold, "warm": warm}
                paced = {k: push(v, Path(tmp) / f"{paper}{lang}{k}", paper)
                         for k, v in jobs.items()}
                print(f"{paper:>3}mm {lang:>5} | "
                      + " ".join(f"{len(jobs[k]):>8}" for k in kinds) + " | "
                      + " " * 14 + " ".join(f"{paced[k]:>6.2f}s" for k in kinds) + " | "
                      + " " * 7 + " ".join(f"{len(jobs[k]) * 10 / 38400:>5.2f}s" for k in kinds)
                      + " | " + " " * 6
                      + " ".join(f"{len(jobs[k]) * 10 / 9600:>5.2f}s" for k in kinds)
                      + f" | {same_pixels(cold, warm, paper)}")
        print("\nfull = one full-width raster image; inline = native text + every Hindi line as "
              "its own raster;\ncold/warm = the fixed labels defined in the printer (GS ( L "
              "fn 83) / printed from its memory (fn 85);\nsame = the warm job decodes to the "
              "cold job's pixels on the simulator.")


if __name__ == "__main__":
    main()
