"""The phrase-clip cache and the join that turns a call's phrases into one WAV.

Layout: ``<data_dir>/speech/cache/<engine>-<voice>/<sha256(engine, voice, lang, text)>.wav``,
canonical format (kiosk.speech.audio). Keyed by engine *and* voice so switching engines (or a
fallback) never plays clips of the other voice mid-sentence. A clip that is missing or does not
read back as a WAV is rendered again (and the bad file replaced) — the cache repairs itself.

Recorded clips win: ``[announce] clips_dir`` may hold ``<lang>/<clip text>.wav`` (e.g.
``hi/टोकन नंबर.wav``, ``hi/सत्रह.wav``, ``en/please go to counter.wav``) and ``chime.wav``; any
PCM WAV works, it is converted on load. ``kiosk announce --list-clips`` prints the names.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import unicodedata
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from kiosk.speech import audio
from kiosk.speech.engines import Engine, EngineError
from kiosk.speech.phrases import LANGUAGE_GAP_MS, Clip, Phrase

log = logging.getLogger(__name__)

MEMORY_CLIPS = 600   # ~0.6 s average clip ≈ 19 kB each: ~11 MB at most


def clip_file_name(text: str) -> str:
    """The override file name for a clip: its text (NFC) with '/' made harmless."""
    return unicodedata.normalize("NFC", text).replace("/", "∕") + ".wav"


@dataclass(frozen=True)
class BuildReport:
    clips: int
    rendered: int
    repaired: int
    overridden: int
    bytes: int
    seconds: float


class ClipCache:
    """Clips by text, from the override directory, memory, disk or the engine (in that order).

    Thread-safe: the announcer's worker and a ``--build-cache`` may share one.
    """

    def __init__(self, engine: Engine | None, cache_dir: Path, clips_dir: Path | None = None):
        self.engine = engine
        self.cache_dir = cache_dir
        self.clips_dir = clips_dir
        self._lock = threading.Lock()
        self._memory: OrderedDict[tuple[str, str], array] = OrderedDict()
        self._chime: array | None = None
        self.rendered = self.repaired = 0

    def _dir(self, lang: str) -> Path:
        assert self.engine is not None
        voice = self.engine.voice(lang)
        return self.cache_dir / f"{self.engine.name}-{voice}"

    def path_for(self, text: str, lang: str) -> Path:
        assert self.engine is not None
        key = "\x1f".join((self.engine.name, self.engine.voice(lang), lang,
                           unicodedata.normalize("NFC", text)))
        return self._dir(lang) / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".wav")

    def override_path(self, text: str, lang: str) -> Path | None:
        if self.clips_dir is None:
            return None
        path = self.clips_dir / lang / clip_file_name(text)
        return path if path.is_file() else None

    def _load_override(self, text: str, lang: str) -> array | None:
        path = self.override_path(text, lang)
        if path is None:
            return None
        try:
            return audio.trim(audio.read_wav(path))
        except (audio.AudioError, OSError) as exc:
            log.warning("recorded clip %s unreadable (%s); using the engine", path.name, exc)
            return None

    def get(self, text: str, lang: str) -> array:
        """The clip's samples; raises EngineError only if it must be rendered and cannot be."""
        key = (text, lang)
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                return hit
        samples = self._load_override(text, lang)
        if samples is None:
            samples = self._from_disk_or_engine(text, lang)
        with self._lock:
            self._memory[key] = samples
            while len(self._memory) > MEMORY_CLIPS:
                self._memory.popitem(last=False)
        return samples

    def _from_disk_or_engine(self, text: str, lang: str) -> array:
        if self.engine is None:
            raise EngineError("no speech engine is available")
        path = self.path_for(text, lang)
        if path.exists():
            try:
                return audio.read_wav(path)
            except (audio.AudioError, OSError) as exc:
                log.warning("cached clip %s is corrupt (%s); rendering it again", path.name, exc)
                with self._lock:
                    self.repaired += 1
        samples = audio.trim(self.engine.render(text, lang))
        if not samples:
            raise EngineError(f"{self.engine.name} rendered silence for {text!r} ({lang})")
        audio.write_wav(path, samples)
        with self._lock:
            self.rendered += 1
        return samples

    def chime(self) -> array:
        if self._chime is None:
            path = self.clips_dir / "chime.wav" if self.clips_dir else None
            chime = None
            if path is not None and path.is_file():
                try:
                    chime = audio.read_wav(path)
                except (audio.AudioError, OSError) as exc:
                    log.warning("recorded chime unreadable (%s); using the built-in one", exc)
            self._chime = chime if chime is not None else audio.chime()
        return self._chime

    def build(self, clips: list[Clip]) -> BuildReport:
        """Render every clip not yet cached (``kiosk announce --build-cache``)."""
        import os
        import time
        from concurrent.futures import ThreadPoolExecutor

        started = time.monotonic()
        rendered0, repaired0 = self.rendered, self.repaired
        todo = [c for c in clips if self.override_path(c.text, c.lang) is None]
        count = len(todo)
        overridden = len(clips) - count
        # One engine process per clip: run as many as there are cores (each is single-threaded).
        with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1),
                                thread_name_prefix="kiosk-tts") as pool:
            for _ in pool.map(lambda c: self._from_disk_or_engine(c.text, c.lang), todo):
                pass
        count += overridden
        size = sum(p.stat().st_size for p in self.cache_dir.rglob("*.wav")) \
            if self.cache_dir.exists() else 0
        return BuildReport(count, self.rendered - rendered0, self.repaired - repaired0,
                           overridden, size, time.monotonic() - started)


def join_call(cache: ClipCache, phrases: list[Phrase], *, chime: bool = True,
              times: int = 1) -> array:
    """The whole call: chime, then each phrase's clips with their pauses, ``times`` over."""
    parts: list[array] = []
    if chime:
        parts += [cache.chime(), audio.silence(250)]
    for rep in range(times):
        for i, phrase in enumerate(phrases):
            if i or rep:
                parts.append(audio.silence(LANGUAGE_GAP_MS))
            for clip in phrase.clips:
                if clip.pause_ms:
                    parts.append(audio.silence(clip.pause_ms))
                parts.append(cache.get(clip.text, clip.lang))
    parts.append(audio.silence(300))
    return audio.join(parts)
