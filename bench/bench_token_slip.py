"""Token slip: our ESC/POS (native text + tight raster) vs one full-width raster image.

For 80 mm and 58 mm, Hindi-first and English-first: bytes of each, the ratio, the wall time to
push each through a 115200-baud pseudo-terminal into the printer simulator (first byte written →
last byte received by the simulator), and the computed wire time at 115200 and 9600 baud
(bytes × 10 / baud; a pty does not throttle to the baud rate, a real serial line does).

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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.config import load_config  # noqa: E402
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim  # noqa: E402
from kiosk.documents.token_slip import build_token_slip  # noqa: E402
from kiosk.printing.escpos_render import (  # noqa: E402
    PrinterProfile,
    render_escpos_with_stats,
    render_full_raster,
)
from kiosk.printing.preview import sample_token  # noqa: E402


def push(data: bytes, out_dir: Path) -> float:
    """Seconds from the first byte written to the last byte received by the simulator."""
    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim, out_dir).start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        with serial.serial_for_url(path, baudrate=115200, timeout=1) as port:
            start = time.perf_counter()
            port.write(data)
            port.flush()
            deadline = time.monotonic() + 60
            while sim.bytes_received < len(data) and time.monotonic() < deadline:
                time.sleep(0.0005)
            last = sim.last_rx_time
    finally:
        stop()
    if sim.bytes_received != len(data) or last is None:
        raise RuntimeError(f"simulator got {sim.bytes_received} of {len(data)} bytes")
    return last - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(data_dir=Path(tmp) / "data", environ={})
        when = datetime(2026, 11, 22, 19, 43, tzinfo=ZoneInfo(config.timezone))
        header = (f"{'paper':>5} {'first':>5} | {'ours B':>7} {'raster B':>8} {'full B':>7} "
                  f"{'ratio':>6} | {'pty ours':>9} {'pty full':>9} | {'115200 ours':>11} "
                  f"{'115200 full':>11} | {'9600 ours':>9} {'9600 full':>9}")
        warm = build_token_slip(sample_token(config, "hi", when), config, "hi")
        for paper in (80, 58):  # warm fonts and glyph caches so the first row is not skewed
            push(render_escpos_with_stats(warm, PrinterProfile(paper_mm=paper))[0],
                 Path(tmp) / "warm")
        print(header)
        print("-" * len(header))
        for paper in (80, 58):
            profile = PrinterProfile(paper_mm=paper)
            for lang in ("hi", "en"):
                doc = build_token_slip(sample_token(config, lang, when), config, lang)
                t0 = time.perf_counter()
                ours, stats = render_escpos_with_stats(doc, profile)
                render_ms = (time.perf_counter() - t0) * 1000
                full = render_full_raster(doc, profile)
                pty_ours = push(ours, Path(tmp) / f"o{paper}{lang}")
                pty_full = push(full, Path(tmp) / f"f{paper}{lang}")
                print(f"{paper:>3}mm {lang:>5} | {len(ours):>7} {stats.raster_bytes:>8} "
                      f"{len(full):>7} {len(full) / len(ours):>5.1f}x | "
                      f"{pty_ours * 1000:>7.1f}ms {pty_full * 1000:>7.1f}ms | "
                      f"{len(ours) * 10 / 115200:>10.2f}s {len(full) * 10 / 115200:>10.2f}s | "
                      f"{len(ours) * 10 / 9600:>8.2f}s {len(full) * 10 / 9600:>8.2f}s"
                      f"   (render {render_ms:.0f} ms)")
        print("\npty = wall time through a 115200-baud pseudo-terminal (not throttled; includes"
              " the simulator decoding between reads);\n115200/9600 = computed wire time,"
              " bytes x 10 / baud (8N1).")


if __name__ == "__main__":
    main()
