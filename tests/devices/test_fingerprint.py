"""ZFM/R30x fingerprint driver and simulator, through real bytes on pseudo-terminals.

The simulator is validated against two independent client libraries (pyfingerprint and
adafruit-circuitpython-fingerprint); the driver is tested only against the simulator's bytes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import serial
from conftest_devices import *  # noqa: F403 - the fixtures of this suite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.devices.fingerprint_uart import (
    REPLY_CODES,
    BadFrame,
    BadLocationError,
    EnrollMismatchError,
    FingerprintError,
    FingerprintReader,
    FingerTimeoutError,
    MessyImageError,
    NotRespondingError,
    Packet,
    PacketParser,
    ProtocolError,
    SearchResult,
    WrongPasswordError,
    build_packet,
    error_for_code,
)
from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.sim.fingerprint import FingerprintPtySim, FingerprintSimulator
from kiosk.devices.sim.serial_host import PtyHost

FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


# -- framing -------------------------------------------------------------------------------
def test_packets_match_the_documented_examples() -> None:
    vfy = build_packet(0x01, bytes.fromhex("1300000000"))
    assert vfy == bytes.fromhex("EF01FFFFFFFF010007130000000000 1B".replace(" ", ""))
    assert build_packet(0x07, b"\x00") == bytes.fromhex("EF01FFFFFFFF07000300000A")


def test_parser_resyncs_after_garbage_and_a_short_frame() -> None:
    good = build_packet(0x07, b"\x00\x00\x05")
    short = build_packet(0x07, b"\x00" * 20)[:15]  # a frame cut off mid-payload
    stream = b"\x00\xffnoise\xef" + short + good + b"\xef\x01\xef"
    parser = PacketParser()
    out: list[Packet | BadFrame] = []
    for i in range(0, len(stream), 3):  # arbitrary slicing, as a UART delivers it
        out += parser.feed(stream[i:i + 3])
    packets = [p for p in out if isinstance(p, Packet)]
    assert packets == [Packet(0x07, b"\x00\x00\x05")]
    assert any(isinstance(p, BadFrame) for p in out)


def test_parser_reports_bad_checksum() -> None:
    frame = bytearray(build_packet(0x07, b"\x00"))
    frame[-1] ^= 0x55
    assert [type(x) for x in PacketParser().feed(bytes(frame))] == [BadFrame]


@FAST
@given(noise=st.binary(max_size=300), payload=st.binary(min_size=1, max_size=128),
       cut=st.integers(min_value=1, max_value=40))
def test_fuzz_parser_finds_frame_behind_noise(noise: bytes, payload: bytes, cut: int) -> None:
    parser = PacketParser()
    frame = build_packet(0x02, payload)
    out = parser.feed(noise)
    for i in range(0, len(frame), cut):
        out += parser.feed(frame[i:i + cut])
    out += parser.feed(build_packet(0x07, b"\x00"))  # a following frame flushes a fake header
    assert Packet(0x02, payload) in out or Packet(0x07, b"\x00") in out


@FAST
@given(st.lists(st.binary(max_size=64), max_size=20))
def test_fuzz_parser_never_raises(chunks: list[bytes]) -> None:
    parser = PacketParser()
    for c in chunks:
        for item in parser.feed(c):
            assert isinstance(item, Packet | BadFrame)
    assert parser.pending < 9 + 258


@pytest.mark.parametrize("code", sorted(REPLY_CODES))
def test_every_reply_code_has_a_clear_error(code: int) -> None:
    err = error_for_code(code, 0x04)
    assert isinstance(err, FingerprintError) and err.code == code
    assert f"0x{code:02X}" in err.detail and "Search" in err.detail
    assert err.message and err.user_message("en") == err.message


def _eventually(call: Callable[[], int], timeout: float = 5.0) -> int:
    """Retry ``call`` while the driver is inside its reconnect backoff."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except (DeviceUnavailableError, FingerprintError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- the driver against the simulator ------------------------------------------------------
def test_handshake_reads_realistic_parameters(fp_reader: FingerprintReader) -> None:
    st_ = fp_reader.status()
    assert st_.state is DeviceState.ONLINE
    assert st_.detail["library_size"] == 162 and st_.detail["security_level"] == 3
    assert st_.detail["packet_size"] == 128 and st_.detail["baudrate"] == 57600
    assert st_.detail["address"] == "FFFFFFFF"
    assert fp_reader.template_count() == 3
    assert fp_reader.self_test().ok


def test_identify_known_unknown_and_absent(fp_sim: FingerprintPtySim,
                                           fp_reader: FingerprintReader) -> None:
    fp_sim.sim.place_finger(2)
    found = fp_reader.identify(timeout=1)
    assert isinstance(found, SearchResult) and found.page == 2 and found.score > 0
    fp_sim.sim.place_unknown_finger()
    assert fp_reader.identify(timeout=1) is None
    fp_sim.sim.remove_finger()
    t0 = time.monotonic()
    with pytest.raises(FingerTimeoutError) as exc:
        fp_reader.identify(timeout=0.3)
    assert 0.3 <= time.monotonic() - t0 < 1.5
    assert "finger" in exc.value.user_message("en").lower()
    assert fp_reader.status().state is DeviceState.ONLINE
    # never an image in the capture path: only GenImg/Img2Tz/Search, tiny byte counts
    assert 0x0A not in fp_sim.sim.commands_seen


def test_poor_quality_is_a_user_error(fp_sim: FingerprintPtySim,
                                      fp_reader: FingerprintReader) -> None:
    fp_sim.sim.place_finger(1, quality="poor")
    with pytest.raises(MessyImageError) as exc:
        fp_reader.identify(timeout=1)
    assert exc.value.code == 0x06 and "clean your finger" in exc.value.message


def test_enroll_two_captures_then_found(fp_sim: FingerprintPtySim,
                                        fp_reader: FingerprintReader) -> None:
    sim = fp_sim.sim
    sim.place_finger("new person")
    prompts: list[str] = []

    def lift_and_replace() -> None:
        deadline = time.monotonic() + 3
        while "Lift your finger." not in prompts and time.monotonic() < deadline:
            time.sleep(0.01)
        sim.remove_finger()
        time.sleep(0.15)
        sim.place_finger("new person")

    helper = threading.Thread(target=lift_and_replace)
    helper.start()
    try:
        page = fp_reader.enroll(timeout=3, prompt=prompts.append)
    finally:
        helper.join()
    assert page == 3 and len(prompts) == 3
    assert fp_reader.template_count() == 4
    found = fp_reader.identify(timeout=1)
    assert found is not None and found.page == 3
    assert fp_reader.verify(3, timeout=1)


def test_enroll_mismatch_and_bad_location(fp_sim: FingerprintPtySim,
                                          fp_reader: FingerprintReader) -> None:
    sim = fp_sim.sim
    sim.place_finger(0)
    fp_reader.capture(1, timeout=1)
    sim.place_finger(1)
    fp_reader.capture(2, timeout=1)
    with pytest.raises(EnrollMismatchError):
        fp_reader.reg_model()
    assert fp_reader.match() is None
    with pytest.raises(BadLocationError):
        fp_reader.store(500)


def test_template_transfer_delete_and_empty(fp_sim: FingerprintPtySim,
                                            fp_reader: FingerprintReader,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fp_reader.load_char(1, 1)
    tpl = fp_reader.upload_template(1)
    assert len(tpl) == 512 and tpl == fp_sim.sim.state.library[1]
    fp_reader.download_template(tpl, 2)
    assert fp_reader.match() is not None  # buffer 1 and the downloaded buffer 2 agree
    assert tpl.hex()[:32] not in caplog.text.lower()  # no template bytes in logs
    fp_reader.delete(1)
    assert fp_reader.template_count() == 2 and fp_reader.read_index(0) == {0, 2}
    assert fp_reader.free_page() == 1
    fp_reader.empty()
    assert fp_reader.template_count() == 0


def test_wrong_password_is_reported_at_open(fp_sim: FingerprintPtySim) -> None:
    fp_sim.sim.state.password = 0x12345678
    reader = FingerprintReader(fp_sim.address, reply_timeout=0.5)
    with pytest.raises(WrongPasswordError):
        reader.open()
    reader.close()
    with FingerprintReader(fp_sim.address, password=0x12345678) as ok:
        assert ok.status().ok


def test_silent_and_corrupt_module_then_recovery(fp_sim: FingerprintPtySim,
                                                 fp_reader: FingerprintReader) -> None:
    faults = fp_sim.sim.faults
    faults.corrupt_replies = 1
    assert fp_reader.template_count() == 3  # retried once, transparently
    faults.corrupt_replies = 2
    with pytest.raises(ProtocolError):
        fp_reader.template_count()
    assert fp_reader.status().state is DeviceState.HARDWARE_ERROR
    assert fp_reader.template_count() == 3
    assert fp_reader.status().state is DeviceState.ONLINE
    faults.truncate_replies = 2
    with pytest.raises(FingerprintError):
        fp_reader.template_count()
    faults.silent = True
    with pytest.raises(NotRespondingError):
        fp_reader.template_count()
    assert fp_reader.status().state is DeviceState.OFFLINE
    faults.silent = False
    assert _eventually(fp_reader.template_count) == 3  # reconnects and handshakes by itself
    assert fp_reader.status().state is DeviceState.ONLINE


def test_fuzz_noise_on_the_wire_never_escapes(fp_sim: FingerprintPtySim,
                                              fp_reader: FingerprintReader) -> None:
    @settings(max_examples=25, deadline=None)
    @given(noise=st.binary(min_size=1, max_size=80))
    def run(noise: bytes) -> None:
        fp_sim.sim.faults.garbage_before_reply = noise
        try:
            fp_reader.template_count()
        except FingerprintError:
            pass  # a clear, typed error is fine; anything else fails the test
        fp_sim.sim.faults.garbage_before_reply = b""
        assert fp_reader.template_count() == 3
        assert fp_reader.status().state is DeviceState.ONLINE

    run()


def test_unplug_and_replug_on_a_stable_path(tmp_path: Path) -> None:
    link = tmp_path / "fingerprint0"
    first = FingerprintPtySim(FingerprintSimulator(enrolled=1), link=str(link)).start()
    reader = FingerprintReader(str(link), reply_timeout=0.3)
    second: FingerprintPtySim | None = None
    try:
        reader.open()
        assert reader.template_count() == 1
        first.stop()  # cable pulled
        with pytest.raises((DeviceUnavailableError, FingerprintError)):
            reader.template_count()
        assert reader.status().state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
        second = FingerprintPtySim(FingerprintSimulator(enrolled=2), link=str(link)).start()
        assert _eventually(reader.template_count) == 2  # a call after the backoff reconnects
        assert reader.status().state is DeviceState.ONLINE
    finally:
        reader.close()
        reader.close()  # safe twice
        first.stop()
        if second is not None:
            second.stop()


# -- independent client libraries ----------------------------------------------------------
def test_simulator_speaks_to_pyfingerprint(fp_sim: FingerprintPtySim) -> None:
    from pyfingerprint.pyfingerprint import PyFingerprint

    f = PyFingerprint(fp_sim.address, 57600, 0xFFFFFFFF, 0x00000000)
    port = f._PyFingerprint__serial  # type: ignore[attr-defined]
    port.timeout = 0.5  # it would otherwise wait 2 s per byte on a silent module
    try:
        assert f.verifyPassword() is True
        assert f.getSystemParameters() == (0, 0, 162, 3, 0xFFFFFFFF, 2, 6)
        assert f.getMaxPacketSize() == 128 and f.getBaudRate() == 57600
        assert f.getTemplateCount() == 3
        assert f.getTemplateIndex(0)[:4] == [True, True, True, False]
        fp_sim.sim.place_finger(1)
        assert f.readImage() is True
        f.convertImage(0x01)
        position, score = f.searchTemplate()
        assert position == 1 and score > 0
        chars = f.downloadCharacteristics(0x01)
        assert len(chars) == 512
        assert f.uploadCharacteristics(0x02, chars) is True  # DownChar then UpChar verify
        assert f.compareCharacteristics() > 0
        f.createTemplate()
        assert f.storeTemplate(10) == 10
        assert f.getTemplateCount() == 4
        assert f.deleteTemplate(10) is True
        fp_sim.sim.remove_finger()
        assert f.readImage() is False
        assert f.clearDatabase() is True and f.getTemplateCount() == 0
    finally:
        port.close()


def test_simulator_speaks_to_adafruit_fingerprint(fp_sim: FingerprintPtySim) -> None:
    import adafruit_fingerprint

    with serial.Serial(fp_sim.address, 57600, timeout=1) as uart:
        fp = adafruit_fingerprint.Adafruit_Fingerprint(uart)  # VfyPwd + ReadSysPara
        assert (fp.library_size, fp.security_level, fp.data_packet_size, fp.baudrate) == \
            (162, 3, 2, 6)
        assert fp.device_address == b"\xff\xff\xff\xff"
        assert fp.count_templates() == adafruit_fingerprint.OK and fp.template_count == 3
        assert fp.read_templates() == adafruit_fingerprint.OK and fp.templates == [0, 1, 2]
        assert fp.get_image() == adafruit_fingerprint.NOFINGER
        fp_sim.sim.place_finger(2)
        assert fp.get_image() == adafruit_fingerprint.OK
        assert fp.image_2_tz(1) == adafruit_fingerprint.OK
        assert fp.finger_search() == adafruit_fingerprint.OK and fp.finger_id == 2
        assert fp.finger_fast_search() == adafruit_fingerprint.OK and fp.finger_id == 2
        assert len(fp.get_fpdata("char", 1)) == 512
        fp_sim.sim.place_unknown_finger()
        fp.get_image()
        fp.image_2_tz(1)
        assert fp.finger_search() == adafruit_fingerprint.NOTFOUND
        assert fp.delete_model(0) == adafruit_fingerprint.OK
        assert fp.empty_library() == adafruit_fingerprint.OK


def test_pty_host_leaves_no_fds(tmp_path: Path) -> None:
    import os

    before = set(os.listdir("/proc/self/fd"))
    for _ in range(3):
        host = PtyHost(link=tmp_path / "x").start()
        host.stop()
        host.stop()
    assert set(os.listdir("/proc/self/fd")) == before
    assert not (tmp_path / "x").exists()
