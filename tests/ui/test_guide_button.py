"""The speaker button in the top bar: the current screen's prompt in the citizen's language;
``[kiosk] spoken_guidance = "off"`` removes it, a typo keeps the button (and says so in the log)."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from driver import UiDriver

from kiosk.config import Config, load_config
from kiosk.i18n import translate
from kiosk.speech.cache import ClipCache
from kiosk.speech.guide import PROMPTS, Guide
from kiosk.speech.phrases import settings_from
from kiosk.speech.player import CaptureSink
from kiosk.ui.app import KioskUi


class QuietEngine:
    """A stand-in voice (the audio device is the boundary; espeak-ng is tested in
    tests/speech/test_guide.py): records what it was asked to say."""

    name = "quiet"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def voice(self, lang: str) -> str:
        return lang

    def available(self) -> bool:
        return True

    def render(self, text: str, lang: str) -> array:
        self.calls.append((text, lang))
        return array("h", [0, 4000, 0, -4000] * 400)   # 0.1 s of a quiet buzz


def test_the_speaker_button_speaks_the_current_screen(
        kiosk_factory: Callable[..., Any], tmp_path: Path,
        drive: Callable[[KioskUi], UiDriver]) -> None:
    engine = QuietEngine()
    config: Config = load_config(data_dir=tmp_path / "k", environ={})
    sink = CaptureSink()
    settings = settings_from(config)
    guides: list[Guide] = []

    def make() -> Guide:
        guides.append(Guide(settings, sink, cache=ClipCache(engine, settings.cache_dir)))
        return guides[0]

    kiosk = kiosk_factory(config, make_guide=make)
    kiosk.session.start()
    kiosk.session.chooseLanguage("hi")
    button = drive(kiosk).wait_for("speakButton")   # once the home screen is built
    assert button.property("visible") is True
    kiosk.guide.speak()
    assert sink.wait_for(1, timeout=10)
    assert engine.calls[-1] == (translate(PROMPTS["home"], "hi"), "hi")


@pytest.mark.parametrize("mode", ["off", "bogus"])
def test_off_means_no_button_and_a_typo_means_button(
        kiosk_factory: Callable[..., Any], tmp_path: Path, mode: str) -> None:
    path = tmp_path / "k.toml"
    path.write_text(f'[kiosk]\nspoken_guidance = "{mode}"\n')
    kiosk = kiosk_factory(load_config(path, data_dir=tmp_path / "k", environ={}))
    assert kiosk.guide.property("enabled") is (mode != "off")
