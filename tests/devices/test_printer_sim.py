"""The printer simulator: exact status bytes, its own decoder, job files, pty serving."""

from __future__ import annotations

import os
from pathlib import Path

import serial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim, decode_to_png

ESC, GS, LF = b"\x1b", b"\x1d", b"\n"


def status(sim: EscposPrinterSim) -> list[int]:
    return [sim.feed(b"\x10\x04" + bytes((n,)))[0] for n in (1, 2, 3, 4)]


def test_healthy_status_bytes() -> None:
    assert status(EscposPrinterSim()) == [0x12, 0x12, 0x12, 0x12]


def test_fault_status_bytes_match_devices_md() -> None:
    sim = EscposPrinterSim()
    sim.paper = "out"
    assert status(sim) == [0x1A, 0x32, 0x12, 0x72]
    sim.paper = "near_end"
    assert status(sim) == [0x12, 0x12, 0x12, 0x1E]
    sim.reset_faults()
    sim.cover_open = True
    assert status(sim)[:2] == [0x1A, 0x16]
    sim.reset_faults()
    sim.error = "autocutter"
    s = status(sim)
    assert s[2] == 0x1A and s[1] & 0x40 and s[0] & 0x08
    sim.reset_faults()
    sim.offline = True
    assert status(sim)[0] == 0x1A


def test_every_status_byte_has_the_fixed_shape() -> None:
    sim = EscposPrinterSim()
    for paper in ("ok", "near_end", "out"):
        for cover in (False, True):
            for error in (None, "mechanical", "autocutter", "unrecoverable", "auto_recoverable"):
                sim.paper, sim.cover_open, sim.error = paper, cover, error  # type: ignore
                assert all(b & 0x93 == 0x12 for b in status(sim))


def test_silent_printer_answers_nothing() -> None:
    sim = EscposPrinterSim()
    sim.silent = True
    assert sim.feed(b"\x10\x04\x01\x10\x04\x04") == b""


def _job(text: bytes) -> bytes:
    return ESC + b"@" + ESC + b"a\x01" + text + LF + GS + b"V\x01"


def test_decoder_prints_native_text_and_saves_job_files(tmp_path: Path) -> None:
    sim = EscposPrinterSim(out_dir=tmp_path)
    data = _job(b"Token C-017")
    assert sim.feed(data) == b""
    job = sim.jobs[-1]
    assert job.text_lines == ["Token C-017"] and job.cut
    assert (tmp_path / "job-0001.bin").read_bytes() == data
    assert (tmp_path / "job-0001.png").exists()
    # centred: ink starts well right of the left edge
    bbox = job.image.point(lambda v: 255 - v).getbbox()
    assert bbox is not None and bbox[0] > 100


def test_a_restarted_printer_never_overwrites_earlier_printouts(tmp_path: Path) -> None:
    first, second = _job(b"Token C-017"), _job(b"Token C-018")
    EscposPrinterSim(out_dir=tmp_path).feed(first)
    restarted = EscposPrinterSim(out_dir=tmp_path)  # the kiosk came back after a power cut
    restarted.feed(second)
    assert (tmp_path / "job-0001.bin").read_bytes() == first
    assert (tmp_path / "job-0002.bin").read_bytes() == second
    assert restarted.jobs[-1].png_path == tmp_path / "job-0002.png"


def test_decoder_accepts_any_chunking() -> None:
    data = _job(b"Hello") + ESC + b"@" + GS + b"v0\x00\x01\x00\x02\x00\xff\x81" + GS + b"V\x00"
    whole = EscposPrinterSim()
    whole.feed(data)
    bytewise = EscposPrinterSim()
    for b in data:
        bytewise.feed(bytes((b,)))
    assert [j.text_lines for j in whole.jobs] == [j.text_lines for j in bytewise.jobs]
    assert [j.raster_boxes for j in whole.jobs] == [j.raster_boxes for j in bytewise.jobs]
    assert whole.jobs[1].image.tobytes() == bytewise.jobs[1].image.tobytes()


def test_raster_is_drawn_where_it_says() -> None:
    sim = EscposPrinterSim()
    # 2 bytes wide, 3 rows, all ink; left aligned
    sim.feed(ESC + b"@" + GS + b"v0\x00\x02\x00\x03\x00" + b"\xff" * 6 + GS + b"V\x00")
    job = sim.jobs[-1]
    assert job.raster_boxes == [(0, 0, 16, 3)]
    assert job.image.getpixel((0, 0)) == 0 and job.image.getpixel((15, 2)) == 0
    assert job.image.getpixel((16, 0)) == 255


def test_native_qr_is_stored_and_printed() -> None:
    sim = EscposPrinterSim()
    payload = b"TKN:abc"
    store = GS + b"(k" + bytes((len(payload) + 3, 0)) + b"1P0" + payload
    data = (ESC + b"@" + GS + b"(k\x03\x001C\x05" + store + GS + b"(k\x03\x001Q0"
            + GS + b"V\x00")
    sim.feed(data)
    assert sim.qr_payloads == ["TKN:abc"]
    assert sim.jobs[-1].raster_boxes  # the symbol was laid out


def test_paper_out_discards_the_job_and_keeps_answering(tmp_path: Path) -> None:
    sim = EscposPrinterSim(out_dir=tmp_path)
    sim.paper = "out"
    assert sim.feed(_job(b"lost") + b"\x10\x04\x04") == b"\x72"
    assert sim.jobs == [] and sim.discarded_bytes > 0
    assert not list(tmp_path.iterdir())
    sim.reset_faults()
    sim.feed(_job(b"printed"))
    assert sim.jobs[-1].text_lines == ["printed"]


def test_decode_to_png_stacks_jobs(tmp_path: Path) -> None:
    out = tmp_path / "p.png"
    jobs = decode_to_png(_job(b"one") + _job(b"two"), out, 58)
    assert [j.text_lines for j in jobs] == [["one"], ["two"]]
    from PIL import Image

    with Image.open(out) as im:
        assert im.width == 384


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=64), max_size=8))
def test_fuzz_decoder_never_raises(chunks: list[bytes]) -> None:
    sim = EscposPrinterSim(paper_mm=58)
    for chunk in chunks:
        assert _only_status_and_key_lists(sim.feed(chunk))
    sim.end_job()


def _only_status_and_key_lists(reply: bytes) -> bool:
    """Every reply is a real-time status byte (0xx1xx10) or a graphics key-list block
    (37h 72h/73h status keys… NUL, the answer to GS ( L function 64/80)."""
    i = 0
    while i < len(reply):
        if reply[i] == 0x37 and reply[i + 1:i + 2] in (b"\x72", b"\x73"):
            end = reply.find(b"\x00", i)
            if end < 0:
                return False
            i = end + 1
        elif reply[i] & 0x93 == 0x12:
            i += 1
        else:
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([b"\x1b", b"\x1d", b"\x10\x04", b"v0", b"(k", b"!", b"V",
                                 b"\x00", b"\x01", b"\x33", b"\xff", b"A", b"\n", b"\x30",
                                 b"a", b"J", b"1P0", b"1Q0"]), max_size=60))
def test_fuzz_decoder_with_command_fragments(parts: list[bytes]) -> None:
    sim = EscposPrinterSim()
    sim.feed(b"".join(parts))
    sim.end_job()


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_pty_runner_answers_over_a_real_serial_port_and_cleans_up(tmp_path: Path) -> None:
    before = _open_fds()
    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim, tmp_path).start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        with serial.serial_for_url(path, baudrate=115200, timeout=1) as port:
            port.write(b"\x10\x04\x01")
            assert port.read(1) == b"\x12"
            port.write(_job(b"over the pty"))
            port.write(b"\x10\x04\x04")
            assert port.read(1) == b"\x12"
    finally:
        stop()
        stop()  # safe twice
    assert sim.jobs[-1].text_lines == ["over the pty"]
    assert (tmp_path / "job-0001.bin").read_bytes() == _job(b"over the pty")
    assert _open_fds() == before


def test_pty_runner_ends_an_uncut_job_when_idle(tmp_path: Path) -> None:
    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim, tmp_path, idle_job_end=0.1).start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        with serial.serial_for_url(path, baudrate=115200, timeout=1) as port:
            port.write(ESC + b"@" + b"no cutter here\n")
            port.flush()
            import time

            deadline = time.monotonic() + 3
            while not sim.jobs and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        stop()
    assert sim.jobs and not sim.jobs[0].cut
