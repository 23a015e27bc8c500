"""``kiosk announce``: say (or print, or write) one call; build the clip cache at set-up.

``--text`` prints the phrase(s) one line per language; ``--out FILE.wav`` writes the audio;
with neither, the call is played on this machine's speaker (a technician's sound check).
``--build-cache`` renders every clip a call can need (scripts/setup.sh runs it) and prints a
JSON summary; ``--list-clips`` prints the file names a centre's recorded clips should have.
Exit codes as for every ``kiosk`` command: 0 ok, 2 bad input, 1 no working speech engine,
3 nothing played for want of an audio output device.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kiosk.config import Config
from kiosk.i18n import N_, translate
from kiosk.speech.cache import ClipCache, clip_file_name
from kiosk.speech.engines import EngineError, choose_engine
from kiosk.speech.phrases import LANGS, Settings, cache_clips, plan_call, settings_from

MSG_NEED_CALL = N_("Give the token and the counter, e.g. --token C-017 --counter 3.")
MSG_GENERIC = N_("This token or counter cannot be announced as it is, so the general phrase "
                 "is used.")
MSG_NO_ENGINE = N_("No speech engine works. Run scripts/setup.sh to install espeak-ng and "
                   "festival.")
MSG_NOT_WRITTEN = N_("The audio file could not be written. Check the path.")
MSG_NO_AUDIO = N_("No audio output device was found, so nothing was played.")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser],
               common: argparse.ArgumentParser) -> None:
    ann = sub.add_parser("announce", parents=[common],
                         help="speak a call (or print it with --text, write it with --out); "
                              "--build-cache prepares every clip")
    ann.add_argument("--token", metavar="TOKEN", help="e.g. C-017")
    ann.add_argument("--counter", metavar="N", help="e.g. 3")
    ann.add_argument("--lang", choices=["hi", "en", "both"], default="both",
                     help="which phrase(s); both = [announce] languages in their order")
    ann.add_argument("--recall", action="store_true", help="the recall wording")
    ann.add_argument("--text", action="store_true", help="print the phrase(s), one line each")
    ann.add_argument("--out", metavar="FILE.wav", help="write the call's audio")
    ann.add_argument("--build-cache", action="store_true",
                     help="render every clip into <data-dir>/speech/cache (set-up step)")
    ann.add_argument("--list-clips", action="store_true",
                     help="the clip file names a recorded-clips directory may hold")


def _say(msgid: str) -> None:
    sys.stderr.write(f"{translate(msgid, 'hi')}\n{translate(msgid, 'en')}\n")


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def _cache(settings: Settings) -> ClipCache | None:
    choice = choose_engine(settings.engine)
    if choice.warning:
        sys.stderr.write(f"warning: {choice.warning}\n")
    if choice.engine is None:
        _say(MSG_NO_ENGINE)
        return None
    return ClipCache(choice.engine, settings.cache_dir, settings.clips_dir)


def run(args: argparse.Namespace, config: Config) -> int:
    settings = settings_from(config)
    for problem in settings.problems:
        sys.stderr.write(f"config: {problem}\n")
    if args.list_clips:
        for clip in cache_clips(settings):
            _out(f"{clip.lang}/{clip_file_name(clip.text)}")
        return 0
    if args.build_cache:
        cache = _cache(settings)
        if cache is None:
            return 1
        from kiosk.speech.guide import guide_clips

        report = cache.build(cache_clips(settings) + guide_clips(settings))
        assert cache.engine is not None
        _out(json.dumps({"engine": cache.engine.name, "dir": str(settings.cache_dir),
                         "clips": report.clips, "rendered": report.rendered,
                         "repaired": report.repaired, "recorded": report.overridden,
                         "bytes": report.bytes, "seconds": round(report.seconds, 1)},
                        ensure_ascii=False))
        return 0
    if not (args.token and args.counter):
        _say(MSG_NEED_CALL)
        return 2
    languages = settings.languages if args.lang == "both" else (args.lang,)
    languages = tuple(lang for lang in languages if lang in LANGS)
    phrases = plan_call(settings, args.token, args.counter, args.recall, languages)
    if any(p.generic for p in phrases):
        _say(MSG_GENERIC)
    if args.text:
        for phrase in phrases:
            _out(phrase.text)
    if args.text and not args.out:
        return 0
    cache = _cache(settings)
    if cache is None:
        return 1
    if args.out:
        from kiosk.speech.audio import read_wav, stats, wav_bytes
        from kiosk.speech.cache import join_call

        times = settings.recall_times if args.recall else 1
        try:
            samples = join_call(cache, phrases, chime=settings.chime, times=times)
        except EngineError:
            _say(MSG_NO_ENGINE)
            return 1
        wav = wav_bytes(samples)
        try:
            Path(args.out).write_bytes(wav)
        except OSError:
            _say(MSG_NOT_WRITTEN)
            return 2
        if not args.text:
            _out(json.dumps({"out": args.out, **stats(read_wav(wav)).to_json()}))
        return 0
    return _play_here(settings, cache, args.token, args.counter, args.recall)


def _play_here(settings: Settings, cache: ClipCache, token: str, counter: str,
               recall: bool) -> int:
    """Play on this machine's speaker through the same announcer the board uses."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from kiosk.speech.player import Announcer, CaptureSink
    from kiosk.speech.qt_sink import QtSink

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    sink = QtSink()
    done = CaptureSink()

    class _Both:
        def play(self, wav: bytes, volume: float) -> None:
            sink.play(wav, volume)
            done.play(wav, volume)

        def close(self) -> None:
            return None

    ann = Announcer(settings, _Both(), cache=cache, role="board")
    ann.announce(token, counter, recall)
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if done.played else None)
    timer.start(50)
    deadline = time.monotonic() + 60
    while not done.played and time.monotonic() < deadline:
        loop.exec()
    timer.stop()
    ann.close()
    dropped = sink.dropped
    sink.close()
    del app
    if dropped:
        _say(MSG_NO_AUDIO)
        return 3
    return 0 if done.played else 1
