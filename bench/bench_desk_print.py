"""The desk's cash receipt and void slip: bytes and wire time at 80 and 58 mm, both languages.

Wire time is computed as bytes × 10 / baud (8N1: ten bits a byte) at 115200 and 9600 baud — the
two rates receipt printers are set to; a pty does not throttle, a real serial line does. The
full-width raster of the same document is printed for comparison (what a printer driver that
rasterises everything would send).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_desk_print.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.catalogue import packaged_catalogue  # noqa: E402
from kiosk.config import load_config  # noqa: E402
from kiosk.documents.cash_receipt import build_cash_receipt, build_void_slip  # noqa: E402
from kiosk.printing.escpos_render import (  # noqa: E402
    PrinterProfile,
    render_escpos_with_stats,
    render_full_raster,
)
from kiosk.printing.preview import sample_cash_receipt  # noqa: E402
from kiosk.qt_runtime import ensure_gui_app  # noqa: E402


def main() -> None:
    ensure_gui_app()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(data_dir=Path(tmp), environ={})
        catalogue = packaged_catalogue()
        docs = {
            "cash receipt": lambda lang: build_cash_receipt(sample_cash_receipt(config),
                                                            catalogue, config, lang),
            "void slip": lambda lang: build_void_slip(sample_cash_receipt(config, voided=True),
                                                      catalogue, config, lang),
        }
        print(f"{'document':<13} {'paper':>5} {'lang':>4} {'bytes':>7} {'raster':>7} "
              f"{'full':>7} {'115200 baud':>12} {'9600 baud':>10}")
        for name, build in docs.items():
            for paper in (80, 58):
                profile = PrinterProfile(paper_mm=paper, native_qr=True, cutter=True)
                for lang in ("hi", "en"):
                    doc = build(lang)
                    data, stats = render_escpos_with_stats(doc, profile)
                    full = render_full_raster(doc, profile)
                    fast = len(data) * 10 / 115200
                    slow = len(data) * 10 / 9600
                    print(f"{name:<13} {paper:>3}mm {lang:>4} {len(data):>7} "
                          f"{stats.raster_bytes:>7} {len(full):>7} {fast * 1000:>9.0f} ms "
                          f"{slow:>8.2f} s")


if __name__ == "__main__":
    main()
