"""Spoken guidance: the speaker button says what the current screen asks, in the citizen's
language, off the GUI thread; a newer request replaces a waiting one; real espeak-ng speaks it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from speech_helpers import ToneEngine, has_espeak

from kiosk.config import load_config
from kiosk.i18n import translate
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache
from kiosk.speech.guide import GENERIC, PROMPTS, Guide
from kiosk.speech.phrases import Settings, settings_from
from kiosk.speech.player import CaptureSink


def _settings(tmp_path: Path) -> Settings:
    return settings_from(load_config(data_dir=tmp_path / "data", environ={}))


def test_every_citizen_screen_has_a_prompt_in_both_languages() -> None:
    for screen in ("attract", "language", "home", "groups", "priority", "token", "apply",
                   "status", "verify"):
        en, hi = translate(PROMPTS[screen], "en"), translate(PROMPTS[screen], "hi")
        assert en and hi and en != hi, screen
    assert Guide.text_for("diagnostics", "hi") == translate(GENERIC, "hi")


def test_the_prompt_is_rendered_and_played(tmp_path: Path, tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path)
    sink = CaptureSink()
    guide = Guide(settings, sink, cache=ClipCache(tone_engine, settings.cache_dir))
    try:
        guide.say("groups", "hi")
        assert sink.wait_for(1, timeout=10)
    finally:
        guide.close()
    assert tone_engine.calls == [(translate(PROMPTS["groups"], "hi"), "hi")]
    assert audio.stats(audio.read_wav(sink.played[0].wav)).duration_s > 0.5


def test_a_newer_request_replaces_one_not_yet_started(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    said: list[str] = []
    gate = __import__("threading").Event()

    class SlowEngine(ToneEngine):
        def render(self, text: str, lang: str) -> Any:
            gate.wait(10)
            return super().render(text, lang)

    engine = SlowEngine()
    sink = CaptureSink()
    guide = Guide(settings, sink, cache=ClipCache(engine, settings.cache_dir),
                  on_said=lambda text, lang: said.append(text))
    try:
        guide.say("home", "en")          # being rendered (held at the gate)
        __import__("time").sleep(0)      # let the worker take it
        for screen in ("groups", "priority", "token"):
            guide.say(screen, "en")      # only the last of these waits
        gate.set()
        assert sink.wait_for(2, timeout=10)
    finally:
        guide.close()
    assert said[-1] == translate(PROMPTS["token"], "en")
    assert len(said) <= 2 and translate(PROMPTS["priority"], "en") not in said


@has_espeak
def test_espeak_ng_says_the_hindi_prompt(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    sink = CaptureSink()
    guide = Guide(settings, sink)
    try:
        guide.say("token", "hi")
        assert sink.wait_for(1, timeout=30)
    finally:
        guide.close()
    stats = audio.stats(audio.read_wav(sink.played[0].wav))
    assert stats.duration_s > 2.0 and stats.peak_dbfs > -20 and stats.silence_ratio < 0.6


def test_the_prompts_are_built_into_the_cache(tmp_path: Path, tone_engine: ToneEngine) -> None:
    from kiosk.speech.guide import guide_clips

    settings = _settings(tmp_path)
    cache = ClipCache(tone_engine, settings.cache_dir)
    cache.build(guide_clips(settings))
    rendered = len(tone_engine.calls)
    assert rendered == len(PROMPTS) * 2 + 2          # every prompt, Hindi and English
    sink = CaptureSink()
    guide = Guide(settings, sink, cache=ClipCache(tone_engine, settings.cache_dir))
    try:
        guide.say("status", "en")
        assert sink.wait_for(1, timeout=10)
    finally:
        guide.close()
    assert len(tone_engine.calls) == rendered         # played from the cache, not rendered
