"""Tap "token" → last byte at the printer at 9600, 38400 and 115200 baud, warm and cold.

Targets: a warm slip (fixed labels held in the printer) ≤ 1.0 s at 38400 and ≤ 2.5 s at 9600.
The kiosk is the real one (``build_kiosk`` with its device manager, as ``kiosk run``: QML,
view-model, worker, store with fsync, renderer, the managed printer link); the printer is
the ESC/POS simulator on a pty whose reader is paced to
the wire rate (10 bits per byte), because a pty itself moves bytes at memory speed. The clock
starts at the mouse click on the priority tile and stops when the simulator has consumed the
last byte of the job. Per baud: a "cold" run (the simulated printer was just power-cycled, so
the job defines every label), "warm" runs (labels printed from its memory), and runs with
graphics memory off ("inline"); the full-raster slip is computed from the inline run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_tap_to_print.py [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from paced_printer import PacedPrinter  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEventLoop, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.ui.app import build_kiosk, prepare_environment  # noqa: E402


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


def pump_until(cond, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def tap(kiosk, name: str) -> None:  # type: ignore[no-untyped-def]
    def find() -> QQuickItem | None:
        for it in walk(kiosk.window.contentItem()):
            if it.objectName() == name and it.isVisible() and it.isEnabled():
                return it
        return None

    pump_until(lambda: find() is not None)
    item = find()
    assert item is not None
    pos = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mouseClick(kiosk.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def measure(app, tmp: Path, baud: int, memory: str, lang: str, runs: int,  # type: ignore[no-untyped-def]
            cold_first: bool) -> list[tuple[str, float, int, str]]:
    """Taps through a kiosk printing via its device manager (as ``kiosk run``) at ``baud``.

    ``memory``: the printer's graphics_memory. With ``cold_first`` the simulated printer is
    power-cycled before the first measured run, so that run defines every label (cold) and
    the next ones print them from memory (warm).
    """
    printer = PacedPrinter(tmp / f"out-{baud}-{memory}", baud)
    cfg = load_config(data_dir=tmp / f"data-{baud}-{memory}", environ={
        "KIOSK_DEVICES__PRINTER__URL": printer.url,
        "KIOSK_DEVICES__PRINTER__GRAPHICS_MEMORY": memory})
    kiosk = build_kiosk(cfg, app=app, lang=lang, windowed=True, devices=True, hotplug=False)
    results: list[tuple[str, float, int, str]] = []
    try:
        for i in range(runs + 1):  # the first run warms the simulator and renderer up
            tap(kiosk, "startHi" if lang == "hi" else "startEn")
            tap(kiosk, "tileToken")
            tap(kiosk, "group_C")
            if i == 1 and cold_first:
                printer.sim.power_cycle()
            jobs_before = len(printer.jobs)
            before = printer.received
            t0 = time.monotonic()
            tap(kiosk, "priority_senior")
            pump_until(lambda b=jobs_before: len(printer.jobs) > b, timeout=120)
            pump_until(lambda: kiosk.session.queue.property("printState") != "printing",
                       timeout=120)
            label = "inline" if memory == "none" else ("cold" if i == 1 else "warm")
            if i:
                results.append((label, printer.last_byte - t0, printer.received - before,
                                str(kiosk.session.queue.property("printState"))))
            kiosk.session.queue.finish()
    finally:
        kiosk.close()
        printer.close()
    return results


def full_raster_bytes(lang: str, tmp: Path) -> int:
    from kiosk.documents.token_slip import build_token_slip
    from kiosk.printing.escpos_render import PrinterProfile, render_full_raster
    from kiosk.printing.preview import sample_token

    cfg = load_config(data_dir=tmp / "data-full", environ={})
    doc = build_token_slip(sample_token(cfg, lang), cfg, lang)
    return len(render_full_raster(doc, PrinterProfile()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=2, help="warm runs per baud (and inline runs)")
    ap.add_argument("--lang", default="hi")
    ap.add_argument("--bauds", default="9600,38400,115200")
    args = ap.parse_args()
    prepare_environment()
    app = QGuiApplication.instance() or QGuiApplication([])
    bauds = [int(b) for b in args.bauds.split(",")]
    table: dict[int, dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        full = full_raster_bytes(args.lang, Path(tmp))
        for baud in bauds:
            rows = measure(app, Path(tmp), baud, "gs_l", args.lang, args.runs + 1, True)
            rows += measure(app, Path(tmp), baud, "none", args.lang, args.runs, False)
            for label, secs, n, state in rows:
                print(f"  {baud:>6} baud  {label:6s} {secs:6.3f} s  {n:6d} bytes  print={state}")
            summary: dict[str, tuple[float, int]] = {}
            for label in ("cold", "warm", "inline"):
                got = [(s, n) for lab, s, n, _ in rows if lab == label]
                summary[label] = (statistics.median(s for s, _ in got),
                                  int(statistics.median(n for _, n in got)))
            # The full-raster slip: the inline run's time off the wire, plus its wire time.
            inline_s, inline_n = summary["inline"]
            summary["full"] = (inline_s - inline_n * 10 / baud + full * 10 / baud, full)
            table[baud] = summary
    print(f"\ntap → last byte at the printer, through the device manager (as `kiosk run`), "
          f"{args.lang}, paced pty; medians")
    print(f"{'baud':>7} | " + " | ".join(f"{k:>17}" for k in ("warm", "cold", "inline",
                                                              "full raster*")))
    for baud, summary in table.items():
        print(f"{baud:>7} | " + " | ".join(
            f"{summary[k][0]:>7.3f} s {summary[k][1]:>6} B" for k in ("warm", "cold", "inline",
                                                                    "full")))
    print("targets: warm at 38400 ≤ 1.0 s, at 9600 ≤ 2.5 s.  *full raster: the inline run's "
          "time off the wire + the full-raster slip's wire time (bytes × 10 / baud).")


if __name__ == "__main__":
    main()
