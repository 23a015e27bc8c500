"""Spoken guidance: a short prompt for the citizen's current screen, said on request.

Why: many citizens at a Lok Seva Kendra read little; a speaker button on every screen says in
Hindi (or English) what the screen asks. The prompt is a msgid (:data:`PROMPTS`), translated
like every other string and rendered offline by the board's engine (espeak-ng, festival
fallback) through the same clip cache, on one worker thread — never the GUI thread. A newer
request replaces one not yet started (a citizen tapping twice, or moving on, hears the screen
they are on, not a backlog); a prompt already playing finishes.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from kiosk.i18n import N_, translate
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache
from kiosk.speech.engines import EngineError, choose_engine
from kiosk.speech.phrases import Clip, Settings
from kiosk.speech.player import Sink

log = logging.getLogger(__name__)

#: What each citizen screen asks, said in a sentence or two.
PROMPTS: dict[str, str] = {
    "attract": N_("Namaste. Touch the screen to start."),
    "language": N_("Choose your language: touch Hindi or English."),
    "home": N_("What would you like to do? Take a token for the counter, apply for a "
               "certificate, or check an application."),
    "groups": N_("Which service do you need? Touch its picture."),
    "priority": N_("Are you a senior citizen, a person with a disability, or pregnant? "
                   "Otherwise touch general."),
    "token": N_("Here is your token. Please keep the slip and wait until your number is "
                "called on the screen."),
    "apply": N_("Fill in each answer and touch Next. Your answers are checked on every page."),
    "status": N_("Hold the QR code of your slip under the scanner, or type your application "
                 "number."),
    "verify": N_("Hold the QR code of the certificate under the scanner."),
}
GENERIC = N_("If you need help, please ask the staff at the counter.")

_STOP = object()


def guide_clips(settings: Settings) -> list[Clip]:
    """Every prompt in every configured language, for ``kiosk announce --build-cache``: the
    first press of the speaker button then plays at once (~1 ms) instead of rendering (~0.6 s)."""
    texts = [*PROMPTS.values(), GENERIC]
    return [Clip(translate(msgid, lang), lang) for lang in settings.languages for msgid in texts]


class Guide:
    """One worker: render the prompt (cached after the first time) and hand it to ``sink``."""

    def __init__(self, settings: Settings, sink: Sink, *, cache: ClipCache | None = None,
                 on_said: Callable[[str, str], None] | None = None) -> None:
        self.settings = settings
        self._sink = sink
        self._cache = cache
        self._on_said = on_said
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="kiosk-guide", daemon=True)
        self._thread.start()

    @staticmethod
    def text_for(screen: str, lang: str) -> str:
        return translate(PROMPTS.get(screen, GENERIC), lang)

    def say(self, screen: str, lang: str) -> None:
        """Queue the prompt of ``screen`` in ``lang``; returns at once, replaces a waiting one."""
        item = (self.text_for(screen, lang), lang)
        with self._lock:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                pass
            self._queue.put_nowait(item)

    def close(self, timeout: float = 10.0) -> None:
        with self._lock:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                pass
            self._queue.put(_STOP)
        self._thread.join(timeout)
        self._sink.close()

    def _ensure_cache(self) -> ClipCache:
        if self._cache is None:
            choice = choose_engine(self.settings.engine)
            self._cache = ClipCache(choice.engine, self.settings.cache_dir,
                                    self.settings.clips_dir)
        return self._cache

    def render(self, text: str, lang: str) -> bytes:
        return audio.wav_bytes(self._ensure_cache().get(text, lang))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            assert isinstance(item, tuple)
            text, lang = item
            try:
                wav = self.render(text, lang)
            except EngineError as exc:
                log.error("spoken guidance not available: %s", exc)
                continue
            except Exception:
                log.exception("spoken guidance failed")
                continue
            try:
                self._sink.play(wav, self.settings.volume)
            except Exception:
                log.exception("audio output failed for spoken guidance")
                continue
            if self._on_said is not None:
                self._on_said(text, lang)
