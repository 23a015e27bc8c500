"""Tap "token" → last byte at the printer, over a pseudo-terminal paced to 115200 baud.

Target ≤ 1.5 s. The kiosk is the real one (``build_kiosk``: QML, view-model, worker, store with
fsync, renderer, driver); the printer is the ESC/POS simulator on a pty whose reader is paced to
the wire rate (10 bits per byte), because a pty itself moves bytes at memory speed. The clock
starts at the mouse click on the priority tile and stops when the simulator has consumed the
last byte of the job. Prints each run and the median.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_tap_to_print.py [--runs 5]
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

BAUD = 115200


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


def pump_until(cond, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lang", default="hi")
    args = ap.parse_args()
    prepare_environment()
    app = QGuiApplication.instance() or QGuiApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        printer = PacedPrinter(Path(tmp) / "out", BAUD)
        cfg = load_config(data_dir=Path(tmp) / "data", environ={
            "KIOSK_DEVICES__PRINTER__URL": printer.url})
        kiosk = build_kiosk(cfg, app=app, lang=args.lang, windowed=True)
        results = []
        try:
            for _ in range(args.runs + 1):  # the first run warms the simulator up
                tap(kiosk, "startButton")
                tap(kiosk, "langHi" if args.lang == "hi" else "langEn")
                tap(kiosk, "tileToken")
                tap(kiosk, "group_C")
                jobs_before = len(printer.jobs)
                before = printer.received
                t0 = time.monotonic()
                tap(kiosk, "priority_senior")
                pump_until(lambda b=jobs_before: len(printer.jobs) > b)
                pump_until(lambda: kiosk.session.queue.property("printState") != "printing")
                results.append((printer.last_byte - t0, printer.received - before,
                                kiosk.session.queue.property("printState")))
                kiosk.session.queue.finish()
        finally:
            kiosk.close()
            printer.close()
    warm, results = results[0], results[1:]
    secs = [r[0] for r in results]
    print(f"tap → last byte at a {BAUD}-baud printer (paced pty), {args.lang}, target ≤ 1.50 s")
    print(f"  first run after start (simulator and renderer warm up): {warm[0]:.3f} s, "
          f"print={warm[2]}")
    for s, n, state in results:
        print(f"  {s:.3f} s   {n} bytes to the printer (slip + status queries)   print={state}")
    print(f"  median {statistics.median(secs):.3f} s; wire time alone for those bytes "
          f"{results[0][1] * 10 / BAUD:.3f} s")


if __name__ == "__main__":
    main()
