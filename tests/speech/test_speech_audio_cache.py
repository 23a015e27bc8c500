"""Audio helpers, the clip cache (repair, recorded clips win) and the two real engines."""

from __future__ import annotations

import io
import logging
import math
import re
import shutil
import subprocess
import wave
from array import array
from pathlib import Path

import pytest
from speech_helpers import ToneEngine, has_espeak, has_festival

from kiosk.config import load_config
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache, clip_file_name, join_call
from kiosk.speech.engines import choose_engine, festival_hindi_form, make_engine
from kiosk.speech.phrases import plan_call, settings_from


def _wav(samples: list[int], rate: int, channels: int = 1, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        if width == 1:
            w.writeframes(bytes((s >> 8) + 128 for s in samples))
        else:
            w.writeframes(array("h", samples).tobytes())
    return buf.getvalue()


def _tone(seconds: float, rate: int, amp: int = 10000) -> list[int]:
    return [int(amp * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate))]


def test_any_pcm_wav_becomes_16k_mono_of_the_same_length() -> None:
    for rate, channels, width in ((44100, 2, 2), (22050, 1, 2), (8000, 1, 1)):
        frames = _tone(0.5, rate)
        interleaved = [s for s in frames for _ in range(channels)]
        samples = audio.read_wav(_wav(interleaved, rate, channels, width))
        assert abs(len(samples) / audio.RATE - 0.5) < 0.002
        assert audio.stats(samples).rms_dbfs > -15


def test_unreadable_wavs_are_refused() -> None:
    with pytest.raises(audio.AudioError):
        audio.read_wav(b"RIFF....WAVEnot really")
    with pytest.raises(audio.AudioError):
        audio.read_wav(_wav([], 16000))


def test_trim_keeps_the_word_and_drops_the_engine_silence() -> None:
    word = array("h", _tone(0.4, audio.RATE))
    padded = audio.join([audio.silence(700), word, audio.silence(900)])
    trimmed = audio.trim(padded)
    assert 0.4 <= len(trimmed) / audio.RATE <= 0.48
    assert audio.trim(audio.silence(500)) == array("h")


def test_chime_is_short_loud_enough_and_click_free() -> None:
    chime = audio.chime()
    s = audio.stats(chime)
    assert 0.8 < s.duration_s < 1.1 and -30 < s.rms_dbfs < -6 and s.peak_dbfs < -3
    assert abs(chime[0]) < 200  # starts from silence: no click on the hall's speakers


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed")
def test_our_measurements_agree_with_sox(tmp_path: Path) -> None:
    samples = audio.join([audio.chime(), audio.silence(500), array("h", _tone(1.0, 16000))])
    path = tmp_path / "x.wav"
    audio.write_wav(path, samples)
    out = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True,
                         check=True).stderr
    sox = {m.group(1).strip(): float(m.group(2))
           for m in re.finditer(r"^(.+?)\s+(-?[\d.]+)\s*$", out, re.M)}
    ours = audio.stats(samples)
    assert abs(sox["Length s"] - ours.duration_s) < 0.01
    assert abs(sox["RMS lev dB"] - ours.rms_dbfs) < 0.2
    assert abs(sox["Pk lev dB"] - ours.peak_dbfs) < 0.2


def test_cache_renders_once_then_serves_from_disk(tmp_path: Path,
                                                  tone_engine: ToneEngine) -> None:
    cache = ClipCache(tone_engine, tmp_path / "cache")
    first = cache.get("सत्रह", "hi")
    assert tone_engine.calls == [("सत्रह", "hi")] and cache.rendered == 1
    again = ClipCache(tone_engine, tmp_path / "cache").get("सत्रह", "hi")
    assert again == first and tone_engine.calls == [("सत्रह", "hi")]
    path = cache.path_for("सत्रह", "hi")
    assert path.parent.name == "tone-tone-hi"
    assert cache.path_for("सत्रह", "en") != path  # language and voice are in the key


def test_a_corrupt_or_missing_clip_is_rendered_again(tmp_path: Path,
                                                     tone_engine: ToneEngine,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    ClipCache(tone_engine, tmp_path / "cache").get("तीन", "hi")
    path = ClipCache(tone_engine, tmp_path / "cache").path_for("तीन", "hi")
    path.write_bytes(b"garbage")
    fresh = ClipCache(tone_engine, tmp_path / "cache")
    with caplog.at_level(logging.WARNING):
        samples = fresh.get("तीन", "hi")
    assert fresh.repaired == 1 and len(samples) > 1000 and "corrupt" in caplog.text
    assert audio.read_wav(path) == samples
    path.unlink()
    assert ClipCache(tone_engine, tmp_path / "cache").get("तीन", "hi") == samples


def test_recorded_clips_win_over_the_engine(tmp_path: Path, tone_engine: ToneEngine) -> None:
    clips = tmp_path / "recorded"
    (clips / "hi").mkdir(parents=True)
    recorded = _tone(0.8, 44100, amp=20000)  # a centre's own recording, any format
    (clips / "hi" / clip_file_name("सत्रह")).write_bytes(_wav(recorded, 44100))
    (clips / "chime.wav").write_bytes(_wav(_tone(0.3, 8000), 8000))
    cache = ClipCache(tone_engine, tmp_path / "cache", clips)
    got = cache.get("सत्रह", "hi")
    assert ("सत्रह", "hi") not in tone_engine.calls
    assert abs(len(got) / audio.RATE - 0.8) < 0.05
    assert abs(len(cache.chime()) / audio.RATE - 0.3) < 0.01
    report = cache.build([c for p in plan_call(_settings(tmp_path), "C-017", "3")
                          for c in p.clips])
    assert report.overridden == 1 and report.rendered == 10


def _settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    return settings_from(load_config(None, tmp_path / "data", environ={}))


def test_a_broken_engine_falls_back_to_the_other_with_a_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    broken, good = ToneEngine(name="espeak-ng", fail=True), ToneEngine(name="festival")
    with caplog.at_level(logging.WARNING):
        choice = choose_engine("espeak-ng", engines={"espeak-ng": broken, "festival": good})
    assert choice.engine is good and choice.fallback
    assert "using festival" in choice.warning and "using festival" in caplog.text
    none = choose_engine("espeak-ng", engines={"espeak-ng": broken})
    assert none.engine is None and "not spoken" in none.warning


def test_festival_input_form() -> None:
    assert festival_hindi_form("टोकन नंबर सी सत्रह, काउंटर नंबर तीन पर आइए") == \
        "टोकन् नंबर् सी सत्रह्, काउंटर् नंबर् तीन् पर् आइए"
    assert festival_hindi_form("दो हज़ार C 17") == "दो हजार्"


def _measure_call(engine_name: str, lang: str, tmp_path: Path) -> audio.AudioStats:
    settings = _settings(tmp_path)
    cache = ClipCache(make_engine(engine_name), tmp_path / "cache")
    phrases = plan_call(settings, "C-017", "3", languages=(lang,))
    return audio.stats(join_call(cache, phrases, chime=False))


@pytest.mark.slow
@pytest.mark.parametrize("engine", [pytest.param("espeak-ng", marks=has_espeak),
                                    pytest.param("festival", marks=has_festival)])
@pytest.mark.parametrize("lang", ["hi", "en"])
def test_a_real_call_is_speech_of_plausible_length(engine: str, lang: str,
                                                   tmp_path: Path) -> None:
    s = _measure_call(engine, lang, tmp_path)
    assert 2.0 <= s.duration_s <= 8.0, s
    assert s.rms_dbfs > -32, s          # not silent, not a whisper
    assert s.silence_ratio < 0.6, s     # mostly speech, not gaps


@pytest.mark.slow
@has_festival
def test_festival_really_reads_devanagari() -> None:
    """Different Hindi words give different, non-trivial audio (not a default diphone), and a
    nukta or Latin text does not make it fail (kiosk/speech/engines.py repairs the input)."""
    engine = make_engine("festival")
    lengths = {w: len(audio.trim(engine.render(w, "hi"))) / audio.RATE
               for w in ("एक", "निन्यानवे", "काउंटर नंबर")}
    assert all(v > 0.2 for v in lengths.values()), lengths
    assert lengths["निन्यानवे"] > lengths["एक"] + 0.1, lengths
    assert len(engine.render("दो हज़ार C 17", "hi")) / audio.RATE > 0.4
