"""The speech part of ``kiosk doctor``: which engine speaks, and is the clip cache built?

A warning, never a failure: a board without speech still shows every call. The engines are
probed (one word each), so a voice that is installed but broken shows up here, not as silence in
the waiting hall.
"""

from __future__ import annotations

import logging
from typing import Any

from kiosk.config import Config
from kiosk.i18n import N_, translate
from kiosk.speech.cache import ClipCache
from kiosk.speech.engines import ENGINES, choose_engine, make_engine, probe
from kiosk.speech.phrases import cache_clips, settings_from

log = logging.getLogger(__name__)

MSG_FALLBACK = N_("The chosen speech engine does not work; calls are spoken by the other one.")
MSG_NO_ENGINE = N_("No speech engine works: calls are shown on the board but not spoken. "
                   "Run scripts/setup.sh.")
MSG_CACHE = N_("The announcement clips are not all prepared yet; run kiosk announce "
               "--build-cache.")


def _both(msgid: str) -> dict[str, str]:
    return {lang: translate(msgid, lang) for lang in ("en", "hi")}


def speech_check(config: Config) -> dict[str, Any]:
    settings = settings_from(config)
    engines: dict[str, dict[str, Any]] = {}
    for name in ENGINES:
        engine = make_engine(name)
        installed = engine.available()
        problem = probe(engine) if installed else "not installed"
        engines[name] = {"installed": installed, "works": not problem, "problem": problem,
                         "voices": {lang: engine.voice(lang) for lang in ("hi", "en")}}
    choice = choose_engine(settings.engine, test=False,
                           engines={n: make_engine(n) for n in ENGINES
                                    if engines[n]["works"]})
    result: dict[str, Any] = {"preferred": settings.engine, "engine": None, "engines": engines,
                              "problems": list(settings.problems)}
    warnings: list[dict[str, str]] = []
    if choice.engine is None:
        warnings.append(_both(MSG_NO_ENGINE))
    else:
        result["engine"] = choice.engine.name
        if choice.engine.name != settings.engine:
            warnings.append(_both(MSG_FALLBACK))
        cache = ClipCache(choice.engine, settings.cache_dir, settings.clips_dir)
        clips = cache_clips(settings)
        ready = sum(1 for c in clips if cache.override_path(c.text, c.lang) is not None
                    or cache.path_for(c.text, c.lang).is_file())
        result["cache"] = {"dir": str(settings.cache_dir), "clips": len(clips), "ready": ready}
        if ready < len(clips):
            warnings.append(_both(MSG_CACHE))
    result["warnings"] = warnings
    result["ok"] = choice.engine is not None
    for w in warnings:
        log.warning("speech: %s", w["en"])
    return result


def render_speech_lines(check: dict[str, Any]) -> list[str]:
    """The doctor's text lines for speech."""
    lines = [f"Speech: engine {check['engine'] or 'NONE'} (configured {check['preferred']})"]
    for name, e in check["engines"].items():
        state = "ok" if e["works"] else e["problem"]
        lines.append(f"  {name:<10} {state}")
    cache = check.get("cache")
    if cache:
        lines.append(f"  clip cache {cache['ready']}/{cache['clips']} ready in {cache['dir']}")
    for w in check["warnings"]:
        lines.append(f"WARNING: {w['en']}")
    for p in check["problems"]:
        lines.append(f"config: {p}")
    return lines
