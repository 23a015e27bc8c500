"""The queued announcer: order under bursts, no cut-offs, recall, quiet hours, no audio device."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from speech_helpers import ToneEngine, has_espeak

from kiosk.config import load_config
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache
from kiosk.speech.engines import make_engine
from kiosk.speech.phrases import Settings, plan_call, settings_from
from kiosk.speech.player import Announcer, CaptureSink


def _settings(tmp_path: Path, toml: str = "") -> Settings:
    path = tmp_path / "kiosk.toml"
    path.write_text(toml, encoding="utf-8")
    return settings_from(load_config(path, tmp_path / "data", environ={}))


class SlowSink(CaptureSink):
    """Takes ``seconds`` per call like a speaker would, and notices overlapping plays."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.overlaps = 0
        self._busy = threading.Lock()

    def play(self, wav: bytes, volume: float) -> None:
        if not self._busy.acquire(blocking=False):
            self.overlaps += 1
            return
        try:
            super().play(wav, volume)
            threading.Event().wait(self.seconds)  # the audio device playing it
        finally:
            self._busy.release()


def _expected(settings: Settings, cache: ClipCache, token: str, counter: str,
              recall: bool = False) -> bytes:
    from kiosk.speech.cache import join_call

    times = settings.recall_times if recall else 1
    return audio.wav_bytes(join_call(cache, plan_call(settings, token, counter, recall),
                                     chime=settings.chime, times=times))


def test_twenty_calls_in_two_seconds_are_all_spoken_in_order(tmp_path: Path,
                                                             tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path)
    cache = ClipCache(tone_engine, settings.cache_dir)
    sink = SlowSink(0.02)
    calls = [(f"{'CLAS'[i % 4]}-{i + 1:03d}", str(i % 4 + 1)) for i in range(20)]
    ann = Announcer(settings, sink, cache=cache)
    try:
        started = time.monotonic()
        for token, counter in calls:
            ann.announce(token, counter, False)
            threading.Event().wait(0.1)  # 20 calls over 2 s, as a centre opening does
        assert time.monotonic() - started < 2.5
        assert sink.wait_for(20, timeout=30)
    finally:
        ann.close()
    assert sink.overlaps == 0
    got = [p.wav for p in sink.played]
    assert got == [_expected(settings, cache, t, c) for t, c in calls]
    assert [p.at for p in sink.played] == sorted(p.at for p in sink.played)


def test_announce_returns_at_once_while_a_long_call_plays(tmp_path: Path,
                                                         tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path)
    sink = SlowSink(0.5)
    ann = Announcer(settings, sink, cache=ClipCache(tone_engine, settings.cache_dir))
    try:
        ann.announce("C-001", "1", False)
        assert sink.wait_for(1, timeout=10)
        t0 = time.monotonic()
        ann.announce("C-002", "2", False)  # call 1 is still "playing"
        assert time.monotonic() - t0 < 0.05
        assert sink.wait_for(2, timeout=10)
        assert sink.played[1].at - sink.played[0].at >= 0.5  # waited for call 1 to end
    finally:
        ann.close()
    assert sink.overlaps == 0


def test_a_recall_repeats_with_its_wording(tmp_path: Path, tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path, "[announce]\nrecall_times = 2\n")
    cache = ClipCache(tone_engine, settings.cache_dir)
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=cache)
    try:
        ann.announce("C-017", "3", False)
        ann.announce("C-017", "3", True)
        assert sink.wait_for(2, timeout=10)
    finally:
        ann.close()
    call, recall = (audio.read_wav(p.wav) for p in sink.played)
    assert len(recall) > 1.8 * len(call)  # said twice, with the longer recall wording
    assert sink.played[1].wav == _expected(settings, cache, "C-017", "3", recall=True)


def test_unknown_group_is_announced_with_the_generic_phrase(
        tmp_path: Path, tone_engine: ToneEngine, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path)
    cache = ClipCache(tone_engine, settings.cache_dir)
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=cache)
    with caplog.at_level(logging.WARNING):
        try:
            ann.announce("Q-017", "3", False)
            ann.announce("C-017", "reception", False)
            assert sink.wait_for(2, timeout=10)
        finally:
            ann.close()
    generic = _expected(settings, cache, "Q-017", "3")
    assert [p.wav for p in sink.played] == [generic, generic]
    assert ("कृपया काउंटर पर आइए", "hi") in tone_engine.calls
    assert audio.stats(audio.read_wav(generic)).duration_s > 1.0  # never silence
    assert "generic phrase" in caplog.text


def test_volume_and_quiet_hours_from_config(tmp_path: Path, tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path, '[announce]\nvolume = 0.4\nquiet_hours = "20:00-08:00"\n')
    clock = {"now": datetime(2026, 12, 1, 21, 0)}
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=ClipCache(tone_engine, settings.cache_dir),
                    now=lambda: clock["now"])
    try:
        ann.announce("C-001", "1", False)           # 21:00: quiet, shown but not spoken
        ann.announce("C-002", "1", False)
        assert not sink.wait_for(1, timeout=0.3)
        clock["now"] = datetime(2026, 12, 1, 9, 0)
        ann.announce("C-003", "1", False)
        assert sink.wait_for(1, timeout=10)
    finally:
        ann.close()
    assert len(sink.played) == 1 and sink.played[0].volume == 0.4


def test_board_only_keeps_kiosks_and_counters_quiet(tmp_path: Path,
                                                    tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path)
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=ClipCache(tone_engine, settings.cache_dir),
                    role="counter")
    try:
        ann.announce("C-001", "1", False)
        assert not sink.wait_for(1, timeout=0.3)
    finally:
        ann.close()


def test_an_engine_failure_skips_that_call_and_keeps_going(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path)
    engine = ToneEngine(fail=True)
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=ClipCache(engine, settings.cache_dir))
    with caplog.at_level(logging.ERROR):
        try:
            ann.announce("C-001", "1", False)
            deadline = time.monotonic() + 10
            while "not spoken" not in caplog.text and time.monotonic() < deadline:
                threading.Event().wait(0.02)
            engine.fail = False
            ann.announce("C-002", "1", False)
            assert sink.wait_for(1, timeout=10)
        finally:
            ann.close()
    assert "C-001 not spoken" in caplog.text


@pytest.mark.slow
@has_espeak
def test_a_real_call_is_not_silent_and_lasts_a_plausible_time(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=ClipCache(make_engine("espeak-ng"),
                                                    settings.cache_dir))
    try:
        ann.announce("C-017", "3", False)
        assert sink.wait_for(1, timeout=30)
    finally:
        ann.close()
    s = audio.stats(audio.read_wav(sink.played[0].wav))
    # chime (~1 s) + Hindi + English, each 2-8 s
    assert 5.0 <= s.duration_s <= 17.0, s
    assert s.rms_dbfs > -30 and s.silence_ratio < 0.5, s


def test_qt_sink_without_an_audio_device_logs_once_and_keeps_going(
        qapp: object, caplog: pytest.LogCaptureFixture) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    from kiosk.speech.qt_sink import QtSink

    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has an audio output device")
    from PySide6.QtCore import QCoreApplication

    sink = QtSink()
    wav = audio.wav_bytes(audio.chime())
    done = threading.Event()

    def worker() -> None:
        sink.play(wav, 0.9)
        sink.play(wav, 0.9)
        done.set()

    with caplog.at_level(logging.WARNING):
        t = threading.Thread(target=worker)
        t.start()
        deadline = time.monotonic() + 10
        while not done.is_set() and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            done.wait(0.01)
        t.join(5)
    sink.close()
    assert done.is_set()
    assert caplog.text.count("no audio output device") == 1
