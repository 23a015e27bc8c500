"""``kiosk announce`` and the speech part of ``kiosk doctor``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from speech_helpers import has_espeak, has_festival

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.speech import audio


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str,
         toml: str = "") -> tuple[int, str, str]:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(toml, encoding="utf-8")
    code = main(["announce", "--config", str(cfg), "--data-dir", str(tmp_path / "data"),
                 *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_prints_one_line_per_language(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    code, out, _ = _run(capsys, tmp_path, "--token", "C-017", "--counter", "3", "--text")
    assert code == 0
    assert out.splitlines() == ["टोकन नंबर सी सत्रह, काउंटर नंबर तीन पर आइए",
                                "Token number C 17, please go to counter 3"]
    code, out, _ = _run(capsys, tmp_path, "--token", "L-245", "--counter", "12", "--text",
                        "--lang", "hi")
    assert out.splitlines() == ["टोकन नंबर एल दो सौ पैंतालीस, काउंटर नंबर बारह पर आइए"]


def test_unknown_group_prints_the_generic_phrase_and_says_so(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run(capsys, tmp_path, "--token", "Z-9", "--counter", "3", "--text")
    assert code == 0
    assert out.splitlines() == ["कृपया काउंटर पर आइए", "Please go to the counter"]
    assert "सामान्य सूचना" in err and "general phrase" in err


def test_missing_counter_is_a_bilingual_refusal(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    code, out, err = _run(capsys, tmp_path, "--token", "C-017", "--text")
    assert code == 2 and out == ""
    assert "टोकन और काउंटर" in err and "Give the token and the counter" in err
    assert "Traceback" not in err


@has_espeak
def test_out_writes_a_plausible_wav(capsys: pytest.CaptureFixture[str],
                                    tmp_path: Path) -> None:
    wav = tmp_path / "call.wav"
    code, out, _ = _run(capsys, tmp_path, "--token", "C-017", "--counter", "3", "--lang", "hi",
                        "--out", str(wav))
    assert code == 0 and json.loads(out)["out"] == str(wav)
    s = audio.stats(audio.read_wav(wav))
    assert 3.0 <= s.duration_s <= 9.0 and s.rms_dbfs > -30, s  # chime + 2-8 s of Hindi
    code, _, err = _run(capsys, tmp_path, "--token", "C-017", "--counter", "3",
                        "--out", str(tmp_path / "no" / "such" / "dir" / "x.wav"))
    assert code == 2 and "Check the path" in err


@has_espeak
def test_build_cache_renders_once_and_repairs(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    toml = '[announce]\ncache_numbers = 3\nlanguages = ["hi"]\n'
    code, out, _ = _run(capsys, tmp_path, "--build-cache", toml=toml)
    first = json.loads(out)
    assert code == 0 and first["engine"] == "espeak-ng"
    assert first["rendered"] == first["clips"] > 10 and first["bytes"] > 50_000
    code, out, _ = _run(capsys, tmp_path, "--build-cache", toml=toml)
    assert json.loads(out)["rendered"] == 0
    victim = next((tmp_path / "data" / "speech" / "cache").rglob("*.wav"))
    victim.write_bytes(victim.read_bytes()[:30])
    code, out, _ = _run(capsys, tmp_path, "--build-cache", toml=toml)
    again = json.loads(out)
    assert again["rendered"] == 1 and again["repaired"] == 1


def test_list_clips_names_the_recorded_clip_files(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    code, out, _ = _run(capsys, tmp_path, "--list-clips",
                        toml="[announce]\ncache_numbers = 20\n")
    names = out.splitlines()
    assert code == 0
    for name in ("hi/टोकन नंबर.wav", "hi/सत्रह.wav", "hi/सी.wav", "en/17.wav",
                 "en/please go to counter.wav", "hi/कृपया काउंटर पर आइए.wav"):
        assert name in names


@has_espeak
def test_doctor_reports_the_engine_and_an_unbuilt_cache(tmp_path: Path) -> None:
    from kiosk.speech.check import render_speech_lines, speech_check

    check = speech_check(load_config(None, tmp_path / "data", environ={}))
    assert check["ok"] and check["engine"] == "espeak-ng"
    assert check["cache"]["ready"] == 0 < check["cache"]["clips"]
    assert any("--build-cache" in w["en"] and w["hi"] != w["en"] for w in check["warnings"])
    assert render_speech_lines(check)[0].startswith("Speech: engine espeak-ng")


@has_festival
def test_doctor_warns_when_it_falls_back_to_festival(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.speech import engines
    from kiosk.speech.check import speech_check

    monkeypatch.setattr(engines.EspeakEngine, "available", lambda self: False)
    check = speech_check(load_config(None, tmp_path / "data", environ={}))
    assert check["engine"] == "festival" and check["ok"]
    assert check["engines"]["espeak-ng"]["problem"] == "not installed"
    assert any("other one" in w["en"] for w in check["warnings"])


@has_espeak
def test_playing_without_an_audio_device_says_so(qapp: object,
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has an audio output device")
    code, _, err = _run(capsys, tmp_path, "--token", "C-017", "--counter", "3", "--lang", "en")
    assert code == 3
    assert "स्पीकर" in err and "No audio output device" in err
