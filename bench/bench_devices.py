"""Device benches: printer status-poll latency, and idle CPU of the DeviceManager.

(a) ``DLE EOT 1..4`` round trip (four one-byte queries, four one-byte replies) through the real
    driver (``EscposPrinter.status``) against the simulator on a pseudo-terminal and against the
    in-process ``sim://printer``. A pty moves bytes at memory speed; the 8N1 wire time a real
    line would add (8 bytes out + 4 in = 120 bit times) is printed next to it.
(b) Idle CPU: a ``DeviceManager`` with every default device (all simulated: printer in-process,
    fingerprint/card reader/scanner on ptys, RD Service on loopback HTTP) polled at the default
    intervals, with the polling hot-plug source, for ``--seconds``. CPU is this process's CPU
    time / wall time as % of one core, and it INCLUDES the simulators' own threads (they run in
    this process). A "simulators only" baseline is measured first so the manager's share shows.

Run: ``.venv/bin/python bench/bench_devices.py [--rounds 300] [--seconds 10]``
"""

from __future__ import annotations

import argparse
import logging
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from kiosk.config import load_config
from kiosk.devices.discovery import default_hotplug_source
from kiosk.devices.escpos_driver import EscposPrinter
from kiosk.devices.links import open_transport
from kiosk.devices.manager import DeviceManager
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim


def _latency(printer: EscposPrinter, rounds: int) -> list[float]:
    out = []
    for _ in range(10):  # warm-up
        printer.status()
    for _ in range(rounds):
        t0 = time.perf_counter()
        st = printer.status()
        out.append((time.perf_counter() - t0) * 1000)
        assert st.ready, st
    return out


def _summary(label: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return (f"  {label:<28} median {statistics.median(ms):6.3f} ms   p95 {p95:6.3f} ms   "
            f"max {ms[-1]:6.3f} ms   (n={len(ms)})")


def bench_status(rounds: int) -> None:
    print("(a) printer status poll, DLE EOT 1..4 round trip via EscposPrinter.status()")
    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim).start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        with EscposPrinter(open_transport(path, baudrate=115200)) as printer:
            print(_summary("pty (serial_for_url)", _latency(printer, rounds)))
    finally:
        stop()
    sim_registry.reset()
    with EscposPrinter(open_transport("sim://printer")) as printer:
        print(_summary("in-process sim://printer", _latency(printer, rounds)))
    sim_registry.reset()
    for baud in (9600, 115200):
        print(f"  + wire time on a real {baud:>6} baud line: {120 / baud * 1000:6.3f} ms "
              "(12 bytes x 10 bit times)")


def _cpu_share(seconds: float, during: Callable[[], None] | None = None) -> tuple[float, float]:
    """(% of one core, wall seconds) for this process over ``seconds``."""
    c0, w0 = time.process_time(), time.monotonic()
    end = w0 + seconds
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))
        if during:
            during()
    c1, w1 = time.process_time(), time.monotonic()
    return (c1 - c0) / (w1 - w0) * 100, w1 - w0


def bench_idle(seconds: float) -> None:
    print(f"\n(b) idle CPU, % of one core (process CPU time / wall time); baseline "
          f"{seconds / 2:.0f} s, manager {seconds:.0f} s")
    names = ("fingerprint", "rfid", "scanner", "rdservice")
    for n in names:
        sim_registry.acquire(n)
    try:
        base, _ = _cpu_share(seconds / 2)
    finally:
        for n in names:
            sim_registry.release(n)
    sim_registry.reset()
    print(f"  simulators only (4 hosted sims, no drivers)    {base:5.2f} %")
    with TemporaryDirectory() as tmp:
        cfg = load_config(data_dir=Path(tmp), environ={})
        hot = default_hotplug_source()
        mgr = DeviceManager.from_config(cfg, hotplug=hot).start()
        try:
            if not mgr.wait_settled(15):
                print("  warning: not every device settled")
            states = {n: s.state.value for n, s in mgr.statuses().items()}
            total, wall = _cpu_share(seconds)
        finally:
            mgr.close()
        sim_registry.reset()
    print(f"  DeviceManager, all 5 default devices + sims    {total:5.2f} %   "
          f"(hot-plug source: {hot.name})")
    print(f"  => manager + drivers + hot-plug (difference)   {total - base:5.2f} %   "
          f"target < 2 % of a core: {'PASS' if total < 2 else 'FAIL'}")
    print(f"  device states during the run: {states}")
    left = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    print(f"  threads left after close(): {left or 'none'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    bench_status(args.rounds)
    bench_idle(args.seconds)


if __name__ == "__main__":
    main()
