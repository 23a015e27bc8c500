"""Fingerprint round trip at a realistic line speed: GenImg → Img2Tz → Search over a pty.

A pty moves bytes at memory speed, so the simulator paces both directions to the baud rate
(``bytes * 10 / baud`` seconds, 8N1) — the numbers below are what a real 57600-baud UART costs.
Module processing time (sensor exposure, feature extraction, flash search) is NOT included
unless ``--module-delays`` is given (then rough R307-class figures are added, labelled as such).

Run: ``.venv/bin/python bench/bench_fingerprint.py [--rounds 5] [--baud 57600]``
"""

from __future__ import annotations

import argparse
import statistics
import time

from kiosk.devices.fingerprint_uart import (
    CMD_GEN_IMG,
    CMD_IMG2TZ,
    CMD_SEARCH,
    IMAGE_BYTES,
    FingerprintReader,
)
from kiosk.devices.sim.fingerprint import FingerprintPtySim, FingerprintSimulator
from kiosk.devices.sim.serial_host import PtyHost

# Assumed module processing times (seconds) for --module-delays; vendor sheets quote
# "image < 1 s, search < 1 s for 1000 templates"; these are mid-range guesses, not measurements.
MODULE_DELAYS = {CMD_GEN_IMG: 0.25, CMD_IMG2TZ: 0.15, CMD_SEARCH: 0.30}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baud", type=int, default=57600)
    ap.add_argument("--enrolled", type=int, default=162)
    ap.add_argument("--module-delays", action="store_true")
    args = ap.parse_args()

    sim = FingerprintSimulator(library_size=1000, enrolled=args.enrolled,
                               delays=MODULE_DELAYS if args.module_delays else None)
    sim.state.baud_n = args.baud // 9600
    sim.place_finger(args.enrolled // 2)
    runner = FingerprintPtySim(sim, host=PtyHost(baudrate=args.baud, pace=True)).start()
    try:
        with FingerprintReader(runner.address, baudrate=args.baud) as reader:
            times, sent, received = [], [], []
            for _ in range(args.rounds):
                s0, r0 = reader.bytes_sent, reader.bytes_received
                t0 = time.perf_counter()
                found = reader.identify(timeout=5)
                times.append(time.perf_counter() - t0)
                sent.append(reader.bytes_sent - s0)
                received.append(reader.bytes_received - r0)
                assert found is not None and found.page == args.enrolled // 2
            s0, r0 = reader.bytes_sent, reader.bytes_received
            t0 = time.perf_counter()
            template = reader.upload_template(1)
            t_tpl = time.perf_counter() - t0
            tpl_bytes = reader.bytes_received - r0
            packet = reader.params.packet_size if reader.params else 128
    finally:
        runner.stop()

    wire = (sent[0] + received[0]) * 10 / args.baud
    n_packets = -(-IMAGE_BYTES // packet)
    image_wire = IMAGE_BYTES + n_packets * 11 + 12  # payload + per-packet framing + ack
    print(f"fingerprint round trip GenImg→Img2Tz→Search at {args.baud} baud, "
          f"packet size {packet}, library {args.enrolled}/1000"
          + (" (with assumed module delays)" if args.module_delays else " (link time only)"))
    print(f"  round trip: median {statistics.median(times) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
          f"over {args.rounds} rounds")
    print(f"  bytes per round trip: {sent[0]} sent, {received[0]} received "
          f"(pure wire time {wire * 1000:.1f} ms)")
    print(f"  template upload (UpChar, {len(template)} B payload, {tpl_bytes} B on the wire): "
          f"{t_tpl * 1000:.1f} ms")
    print(f"  for comparison, a full 256x288 4-bpp image = {IMAGE_BYTES} B "
          f"(+framing = {image_wire} B in {n_packets} packets): "
          f"{IMAGE_BYTES * 10 / args.baud:.2f} s payload-only, "
          f"{image_wire * 10 / args.baud:.2f} s with framing — never sent in the capture path")


if __name__ == "__main__":
    main()
