"""Speech fixtures (helpers live in speech_helpers.py so test modules can import them)."""

from __future__ import annotations

import pytest
from speech_helpers import ToneEngine


@pytest.fixture
def tone_engine() -> ToneEngine:
    return ToneEngine()
