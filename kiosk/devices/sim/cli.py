"""``kiosk sim DEVICE`` — run one simulated device standalone until killed.

    kiosk sim printer|fingerprint|rfid|scanner|rdservice [--pty | --tcp HOST:PORT] [--out DIR]
        [--card 0B001A2B3C] [--scan TEXT] [--finger ID] [--paper out] …

The FIRST line on stdout is the address a driver (or an acceptance script) should open: a pty
path, ``socket://HOST:PORT`` or, for the RD Service, ``http://127.0.0.1:PORT``. It is flushed at
once so a parent process can read it and go. SIGTERM and SIGINT stop the simulator cleanly
(threads joined, fds closed, symlinks removed) with exit status 0.

This module is wired into ``kiosk/cli.py`` by calling :func:`run_sim` with the arguments after
``sim``; ``python -m kiosk.devices.sim …`` runs it directly.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.devices.sim.serial_host import PtyHost, SerialHost, TcpHost
from kiosk.stop_signal import StopSignal

log = logging.getLogger(__name__)

DEVICES = ("printer", "fingerprint", "rfid", "scanner", "rdservice")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk sim",
                                description="Run a simulated device speaking its real protocol.")
    p.add_argument("device", choices=DEVICES)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--pty", action="store_true",
                       help="serve on a pseudo-terminal (default for serial devices)")
    where.add_argument("--tcp", metavar="HOST:PORT",
                       help="serve on TCP (serial devices: open socket://HOST:PORT; "
                            "rdservice: HTTP, default 127.0.0.1:11100)")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="output directory (printer: printed jobs as PNG; every device: "
                        "DEVICE.url with the address)")
    p.add_argument("--link", metavar="PATH",
                   help="keep a symlink to the pty at PATH (a stable path across restarts)")
    p.add_argument("--baud", type=int, help="line speed used for --pace")
    p.add_argument("--pace", action="store_true",
                   help="pace bytes to the baud rate (realistic timing on a pty)")
    p.add_argument("--silent", action="store_true", help="fault: never answer")
    # printer
    p.add_argument("--paper", choices=("ok", "near_end", "out"), default="ok")
    p.add_argument("--cover-open", action="store_true")
    p.add_argument("--offline", action="store_true")
    p.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper width, mm")
    # fingerprint
    p.add_argument("--finger", metavar="ID",
                   help="a finger enrolled at library page ID rests on the sensor "
                        "('unknown' for a finger that is not enrolled)")
    p.add_argument("--enrolled", type=int, default=0, metavar="N",
                   help="pre-fill library pages 0..N-1")
    p.add_argument("--library-size", type=int, default=1000)
    p.add_argument("--quality", choices=("good", "poor", "few"), default="good")
    # rfid
    p.add_argument("--card", metavar="HEX10", help="present this card (10 hex digits)")
    # scanner
    p.add_argument("--scan", metavar="TEXT", help="scan this text (repeated, see --every)")
    p.add_argument("--every", type=float, default=2.0, metavar="S",
                   help="repeat --scan every S seconds (0: once)")
    p.add_argument("--terminator", choices=("cr", "lf", "crlf"), default="cr")
    # rdservice
    p.add_argument("--status", choices=("READY", "NOTREADY", "USED"), default="READY")
    p.add_argument("--error", type=int, default=0, metavar="CODE",
                   help="CAPTURE answers with this errCode (e.g. 720)")
    p.add_argument("--qscore", type=int, default=78)
    return p


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def _serial_host(args: argparse.Namespace, default_baud: int) -> SerialHost:
    baud = args.baud or default_baud
    if args.tcp:
        host, port = _host_port(args.tcp)
        return TcpHost(host, port, baudrate=baud, pace=args.pace)
    return PtyHost(baudrate=baud, pace=args.pace, link=args.link)


class _Running:
    """What the main loop needs: an address, a periodic tick and a stop function."""

    def __init__(self, address: str, stop: Callable[[], None],
                 tick: Callable[[], None] | None = None) -> None:
        self.address = address
        self.stop = stop
        self.tick = tick or (lambda: None)


def _start_printer(args: argparse.Namespace) -> _Running:
    from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim

    sim = EscposPrinterSim(paper_mm=args.width, out_dir=args.out)
    sim.paper = args.paper
    sim.cover_open = args.cover_open
    sim.offline = args.offline
    sim.silent = args.silent
    _power_cycle_on_sighup(sim)
    runner = PrinterPtySim(sim, args.out, host=_serial_host(args, 115200)).start()
    return _Running(runner.address, runner.stop)


def _power_cycle_on_sighup(sim: object) -> None:
    """``kill -HUP <pid>`` switches the simulated printer off and on (it loses its download
    graphics), to try how a kiosk copes; only from the main thread, where signals go."""
    import signal
    import threading

    power_cycle = getattr(sim, "power_cycle", None)
    if callable(power_cycle) and hasattr(signal, "SIGHUP") and \
            threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGHUP, lambda *_: power_cycle())


def _start_fingerprint(args: argparse.Namespace) -> _Running:
    from kiosk.devices.sim.fingerprint import FingerprintPtySim, FingerprintSimulator

    sim = FingerprintSimulator(library_size=args.library_size, enrolled=args.enrolled)
    sim.faults.silent = args.silent
    if args.finger is not None:
        if args.finger == "unknown":
            sim.place_unknown_finger(args.quality)
        else:
            page = int(args.finger)
            sim.enroll_finger(page)
            sim.place_finger(page, args.quality)
    runner = FingerprintPtySim(sim, host=_serial_host(args, 57600)).start()
    return _Running(runner.address, runner.stop)


def _start_rfid(args: argparse.Namespace) -> _Running:
    from kiosk.devices.sim.rfid import RfidSimulator

    sim = RfidSimulator(_serial_host(args, 9600)).start()
    if args.card:
        sim.present(args.card)
    return _Running(sim.address, sim.stop)


def _start_scanner(args: argparse.Namespace) -> _Running:
    from kiosk.devices.sim.scanner import ScannerSimulator

    sim = ScannerSimulator(_serial_host(args, 9600), terminator=args.terminator).start()
    next_at = [time.monotonic() + min(1.0, args.every or 1.0)]

    def tick() -> None:
        if args.scan is None or args.silent or next_at[0] <= 0:
            return
        if time.monotonic() >= next_at[0]:
            sim.scan(args.scan)
            next_at[0] = time.monotonic() + args.every if args.every > 0 else 0
    return _Running(sim.address, sim.stop, tick)


def _start_rdservice(args: argparse.Namespace) -> _Running:
    from kiosk.devices.sim.rdservice import RdServiceSimulator

    host, port = _host_port(args.tcp) if args.tcp else ("127.0.0.1", 11100)
    sim = RdServiceSimulator(host, port)
    sim.state.status = args.status
    sim.state.q_score = args.qscore
    if args.error:
        sim.state.err_code = args.error
        sim.state.err_info = "Device not ready" if args.error == 720 else "Capture failed"
    sim.start()
    return _Running(sim.url, sim.stop)


_STARTERS: dict[str, Callable[[argparse.Namespace], _Running]] = {
    "printer": _start_printer, "fingerprint": _start_fingerprint, "rfid": _start_rfid,
    "scanner": _start_scanner, "rdservice": _start_rdservice,
}


def run_sim(argv: list[str] | None = None, *, stop_event: threading.Event | None = None) -> int:
    """Run ``kiosk sim …`` (``argv`` excludes "sim"). Returns the exit status.

    ``stop_event`` lets an in-process caller (a test) stop it; otherwise SIGTERM/SIGINT do.
    """
    args = build_parser().parse_args(argv)
    with StopSignal(also=stop_event) as stop:
        try:
            running = _STARTERS[args.device](args)
        except (OSError, ValueError) as exc:
            print(f"kiosk sim {args.device}: {exc}", file=sys.stderr)  # noqa: T201
            return 2
        try:
            print(running.address, flush=True)  # noqa: T201 - the contract: first line
            if args.out is not None:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{args.device}.url").write_text(running.address + "\n")
            while not stop.wait(0.1):
                try:
                    running.tick()
                except Exception:
                    log.exception("simulator tick failed")
        finally:
            running.stop()
        return 0
