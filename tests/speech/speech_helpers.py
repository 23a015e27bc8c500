"""Speech test helpers: a deterministic engine, and markers for the real Debian engines."""

from __future__ import annotations

import math
import shutil
from array import array
from dataclasses import dataclass, field

import pytest

from kiosk.speech import audio
from kiosk.speech.engines import EngineError, make_engine

has_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                reason="espeak-ng not installed (scripts/setup.sh installs it)")
has_festival = pytest.mark.skipif(not make_engine("festival").available(),
                                  reason="festival + festvox-hi-nsk not installed "
                                         "(scripts/setup.sh installs them)")


@dataclass
class ToneEngine:
    """Speaks each word as 0.25 s of tone (pitch from the text): fast, exact, no subprocess."""

    name: str = "tone"
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False

    def voice(self, lang: str) -> str:
        return f"tone-{lang}"

    def available(self) -> bool:
        return True

    def render(self, text: str, lang: str) -> array:
        if self.fail:
            raise EngineError("tone engine told to fail")
        self.calls.append((text, lang))
        freq = 200 + sum(map(ord, text)) % 600
        n = int(audio.RATE * 0.25) * max(1, len(text.split()))
        lead = audio.silence(100)
        tone = array("h", (int(8000 * math.sin(2 * math.pi * freq * i / audio.RATE))
                           for i in range(n)))
        return audio.join([lead, tone, lead])
