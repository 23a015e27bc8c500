"""EM4100 card reader: frames, de-duplication, faults, unplug/replug, and the rdm6300 library."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from pathlib import Path

import pytest
from conftest_devices import *  # noqa: F403 - the fixtures of this suite
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.model import DeviceState, DeviceStatus, DeviceUnavailableError
from kiosk.devices.rfid import (
    CardDebouncer,
    CardEvent,
    CardRead,
    Em4100Parser,
    FrameError,
    RfidReader,
    encode_frame,
)
from kiosk.devices.sim.rfid import RfidSimulator
from kiosk.devices.sim.serial_host import PtyHost

CARD = "0B001A2B3C"


def test_frame_layout_and_checksum() -> None:
    frame = encode_frame(CARD)
    assert frame == b"\x020B001A2B3C06\x03" and len(frame) == 14
    read = CardRead(CARD)
    assert read.version == 0x0B and read.number == 0x001A2B3C


def test_parser_resyncs_and_rejects_bad_checksums() -> None:
    p = Em4100Parser()
    bad = bytearray(encode_frame("0102030405"))
    bad[11] = ord("F")
    stream = b"\xff\x03junk\x02AB" + encode_frame(CARD) + bytes(bad) + encode_frame(CARD)[:5]
    out = p.feed(stream)
    assert [x for x in out if isinstance(x, CardRead)] == [CardRead(CARD)]
    assert sum(isinstance(x, FrameError) for x in out) == 2
    assert p.feed(encode_frame(CARD)[5:]) == [CardRead(CARD)]  # split frame completes
    assert p.feed(b"\x020b001a2b3c06\x03") == [CardRead(CARD)]  # lower-case hex is fine


@settings(max_examples=60, deadline=None)
@given(noise=st.binary(max_size=200), cut=st.integers(min_value=1, max_value=14))
def test_fuzz_parser_finds_card_behind_noise(noise: bytes, cut: int) -> None:
    p = Em4100Parser()
    out = p.feed(noise)
    frame = encode_frame(CARD)
    for i in range(0, len(frame), cut):
        out += p.feed(frame[i:i + cut])
    assert CardRead(CARD) in out


def test_debouncer_counts_a_resting_card_once() -> None:
    d = CardDebouncer(absence=0.5)
    times = [0.0, 0.22, 0.44, 0.66, 0.88]
    assert [d.seen(CARD, t) for t in times] == [True, False, False, False, False]
    assert d.expired(1.2) is None and d.expired(1.5) == CARD
    assert d.seen(CARD, 1.6) is True
    assert d.seen("0102030405", 1.7) is True  # a different card counts at once


def test_log_never_holds_a_whole_staff_card_id(rfid_sim: RfidSimulator,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with RfidReader(rfid_sim.address) as reader:
        rfid_sim.present(CARD)
        assert reader.wait_for_card(2) == CARD  # the application still gets the whole id
    assert CARD[-4:] in caplog.text and CARD not in caplog.text


def test_reader_deduplicates_and_reports_removal(rfid_sim: RfidSimulator) -> None:
    events: list[CardEvent] = []
    statuses: list[DeviceStatus] = []
    with RfidReader(rfid_sim.address, absence=0.25) as reader:
        reader.add_card_listener(events.append)
        reader.add_status_listener(statuses.append)
        rfid_sim.present(CARD)
        assert reader.wait_for_card(2) == CARD
        frames_before = rfid_sim.frames_sent
        while rfid_sim.frames_sent < frames_before + 5:  # the card keeps repeating
            time.sleep(0.02)
        rfid_sim.remove()
        deadline = time.monotonic() + 2
        while not any(not e.present for e in events) and time.monotonic() < deadline:
            time.sleep(0.02)
        rfid_sim.present(CARD)
        assert reader.wait_for_card(2) == CARD
        assert [e.present for e in events] == [True, False, True]
        # the card id logs an operator in: the status (diagnostics screen) shows only 4 digits
        assert reader.status().detail["last_card"] == "XXXXXX" + CARD[-4:]
        assert reader.status().state is DeviceState.ONLINE
        assert any(s.detail.get("card_present") is False for s in statuses)


def test_bad_frames_give_an_error_state_that_recovers(rfid_sim: RfidSimulator) -> None:
    def bad_listener(_: DeviceStatus) -> None:
        raise RuntimeError("a buggy UI callback")

    reader = RfidReader(rfid_sim.address)
    reader.error_hold = 0.3
    reader.add_status_listener(bad_listener)  # must not kill the worker
    reader.open()
    try:
        assert reader.wait_for_state(DeviceState.ONLINE, timeout=2)
        rfid_sim.inject(b"\x020B001A2B3C99\x03")  # checksum wrong
        assert reader.wait_for_state(DeviceState.HARDWARE_ERROR, timeout=2)
        assert "checksum" in reader.status().last_error
        assert reader.wait_for_state(DeviceState.ONLINE, timeout=2)  # quiet → recovered
        rfid_sim.present(CARD)
        assert reader.wait_for_card(2) == CARD
    finally:
        reader.close()
        reader.close()
    assert reader.status().state is DeviceState.OFFLINE


def test_fuzz_worker_survives_any_bytes(rfid_sim: RfidSimulator) -> None:
    cards = (f"{i:010X}" for i in itertools.count(0x1000))
    with RfidReader(rfid_sim.address, absence=0.1) as reader:
        reader.error_hold = 0.05
        thread = reader._thread
        assert thread is not None

        @settings(max_examples=15, deadline=None)
        @given(noise=st.binary(min_size=1, max_size=120))
        def run(noise: bytes) -> None:
            rfid_sim.inject(noise)
            card = next(cards)
            rfid_sim.present(card)
            got = reader.wait_for_card(2)
            rfid_sim.remove()
            # noise may itself hold a valid frame for some other id; ours must still arrive
            while got is not None and got != card:
                got = reader.wait_for_card(2)
            assert got == card
            assert thread.is_alive()

        run()
        assert reader.wait_for_state(DeviceState.ONLINE, timeout=2)


def test_unplug_and_replug_reconnects_by_itself(tmp_path: Path) -> None:
    link = tmp_path / "rfid0"
    first = RfidSimulator(PtyHost(link=link), period=0.05).start()
    reader = RfidReader(str(link), absence=0.2)
    second: RfidSimulator | None = None
    try:
        reader.open()
        first.present(CARD)
        assert reader.wait_for_card(2) == CARD
        first.stop()  # pulled out mid-use
        assert reader.wait_for_state(DeviceState.OFFLINE, DeviceState.NO_DEVICE, timeout=3)
        assert reader.wait_for_state(DeviceState.NO_DEVICE, timeout=3)  # the path is gone
        second = RfidSimulator(PtyHost(link=link), period=0.05).start()
        assert reader.wait_for_state(DeviceState.ONLINE, timeout=5)
        assert reader.reconnects >= 1
        second.present("0102030405")
        assert reader.wait_for_card(2) == "0102030405"
    finally:
        reader.close()
        first.stop()
        if second is not None:
            second.stop()


def test_missing_device_is_a_clear_error_or_a_wait(tmp_path: Path) -> None:
    reader = RfidReader(str(tmp_path / "nothing"))
    with pytest.raises(DeviceUnavailableError) as exc:
        reader.open()
    assert "nothing" in exc.value.detail and exc.value.state is DeviceState.NO_DEVICE
    assert threading.active_count() >= 1 and not reader.is_open
    reader.open(wait_for_device=True)
    try:
        assert reader.status().state is DeviceState.NO_DEVICE
    finally:
        reader.close()


def test_simulator_speaks_to_rdm6300(rfid_sim: RfidSimulator) -> None:
    import rdm6300

    rfid_sim.present(CARD)
    reader = rdm6300.Reader(rfid_sim.address)
    try:
        card = reader.read(timeout=2)
    finally:
        reader.close()
    assert card is not None and card.is_valid
    assert card.value == 0x001A2B3C and card.type == 0x0B and card.checksum == 0x06


def test_rdm6300_flags_corrupt_frames_from_the_simulator(rfid_sim: RfidSimulator) -> None:
    import rdm6300

    invalid: list[object] = []

    class Probe(rdm6300.BaseReader):  # type: ignore[misc]
        def invalid_card(self, card: object) -> None:
            invalid.append(card)
            self.stop()

        def tick(self) -> None:
            if time.monotonic() > stop_at:
                self.stop()

    stop_at = time.monotonic() + 2
    probe = Probe(rfid_sim.address, heartbeat_interval=None)
    try:
        rfid_sim.inject(b"\x020B001A2B3C99\x03")
        probe.start()
    finally:
        probe.close()
    assert invalid and not invalid[0].is_valid  # type: ignore[attr-defined]
