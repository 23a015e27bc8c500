"""The queued announcer: every call is spoken, in order, and none cuts another off.

``announce(token, counter, recall)`` only enqueues and returns (the board's view-model calls it
on the GUI thread). One worker thread takes calls in order, renders each (clip cache: a few
milliseconds once cached) and hands the WAV to a *sink*, which returns only when the audio has
finished — so call 2 starts after call 1 ends, however fast calls arrive (20 in 2 s is a
normal burst when a centre opens). Where the audio goes is the sink's business:

* :class:`kiosk.speech.qt_sink.QtSink` — QtMultimedia on the GUI thread; with no audio device it
  logs once and drops the audio (the board still shows the call);
* :class:`CaptureSink` — keeps the WAVs in order, for tests and the bench;
* :class:`NullSink` — nothing (announcements disabled, no Qt application).

Quiet hours and ``enabled = false`` skip the speaking, never the queue's order; a recall is the
recall wording, spoken ``recall_times`` times.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache, join_call
from kiosk.speech.engines import EngineChoice, EngineError, choose_engine
from kiosk.speech.phrases import Settings, plan_call, settings_from

log = logging.getLogger(__name__)


class Sink(Protocol):
    """Plays one WAV and returns when it has finished (or was dropped)."""

    def play(self, wav: bytes, volume: float) -> None: ...

    def close(self) -> None: ...


class NullSink:
    def play(self, wav: bytes, volume: float) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Played:
    """One announcement as a sink received it (for tests and the bench)."""

    wav: bytes
    volume: float
    at: float  # time.monotonic() when it reached the sink


class CaptureSink:
    """Collects the WAVs in the order they would have been played."""

    def __init__(self) -> None:
        self.played: list[Played] = []
        self._cond = threading.Condition()

    def play(self, wav: bytes, volume: float) -> None:
        with self._cond:
            self.played.append(Played(wav, volume, time.monotonic()))
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.played) >= count, timeout)

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Call:
    token: str
    counter: str
    recall: bool
    queued_at: float


_STOP = object()


class Announcer:
    """Queue calls, render them off the GUI thread, play them one after another."""

    def __init__(self, settings: Settings, sink: Sink | None = None, *,
                 cache: ClipCache | None = None, role: str = "board",
                 now: Callable[[], datetime] | None = None,
                 on_spoken: Callable[[Call, float], None] | None = None) -> None:
        """``sink`` None: QtMultimedia if a Qt application exists, else nothing.

        ``on_spoken(call, seconds_from_queued_to_sink)`` is told about every call handed to the
        sink (the bench measures call → first sample with it). ``cache`` None: the engine is
        chosen (and probed) on the worker thread, so construction never blocks the GUI.
        """
        self.settings = settings
        self._sink = sink if sink is not None else _default_sink()
        self._cache = cache
        self._tz = ZoneInfo(settings.timezone)
        self._now = now or (lambda: datetime.now(self._tz))
        self._on_spoken = on_spoken
        self._queue: queue.Queue[object] = queue.Queue()
        self.choice: EngineChoice | None = None
        self._silent = not settings.enabled or (settings.board_only and role != "board")
        if self._silent:
            log.info("announcements off for this %s (enabled=%s, board_only=%s)", role,
                     settings.enabled, settings.board_only)
        self._thread = threading.Thread(target=self._run, name="kiosk-announcer", daemon=True)
        self._thread.start()

    @classmethod
    def from_config(cls, config: Config, *, role: str = "board",
                    sink: Sink | None = None) -> Announcer:
        """The board's way in: ``Announcer.from_config(config)`` on the GUI thread."""
        settings = settings_from(config)
        for problem in settings.problems:
            log.warning("config: %s", problem)
        return cls(settings, sink, role=role)

    def announce(self, token: str, counter: str, recall: bool = False) -> None:
        """Queue one call; returns at once. Never raises for odd input (generic phrase)."""
        self._queue.put(Call(str(token), str(counter), bool(recall), time.monotonic()))

    def close(self, timeout: float = 10.0) -> None:
        """Stop after the call being played; calls still queued are dropped."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._sink.close()

    def pending(self) -> int:
        return self._queue.qsize()

    # -- worker ---------------------------------------------------------------------------

    def _ensure_cache(self) -> ClipCache:
        if self._cache is None:
            self.choice = choose_engine(self.settings.engine)
            self._cache = ClipCache(self.choice.engine, self.settings.cache_dir,
                                    self.settings.clips_dir)
        return self._cache

    def render(self, call: Call) -> bytes:
        """The call's WAV (also used by ``kiosk announce --out``)."""
        phrases = plan_call(self.settings, call.token, call.counter, call.recall)
        if any(p.generic for p in phrases):
            log.warning("call %r at counter %r cannot be said as it is; generic phrase",
                        call.token, call.counter)
        times = self.settings.recall_times if call.recall else 1
        samples = join_call(self._ensure_cache(), phrases, chime=self.settings.chime,
                            times=times)
        return audio.wav_bytes(samples)

    def _quiet(self) -> bool:
        now = self._now()
        return self.settings.in_quiet_hours(now.hour * 60 + now.minute)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            assert isinstance(item, Call)
            if self._silent:
                continue
            if self._quiet():
                log.info("quiet hours: call %s not spoken", item.token)
                continue
            try:
                wav = self.render(item)
            except EngineError as exc:
                log.error("call %s not spoken: %s", item.token, exc)
                continue
            except Exception:
                log.exception("call %s not spoken", item.token)
                continue
            if self._on_spoken is not None:
                self._on_spoken(item, time.monotonic() - item.queued_at)
            try:
                self._sink.play(wav, self.settings.volume)
            except Exception:
                log.exception("audio output failed for call %s", item.token)


def _default_sink() -> Sink:
    try:
        from PySide6.QtCore import QCoreApplication
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        return NullSink()
    if QCoreApplication.instance() is None:
        log.warning("no Qt application: announcements are rendered but not played")
        return NullSink()
    from kiosk.speech.qt_sink import QtSink

    return QtSink()
