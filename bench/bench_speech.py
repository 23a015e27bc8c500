"""Spoken calls: engine comparison, call → first sample (uncached / cached), clip cache size.

1. **Engines**: the issue's call ("टोकन नंबर सी सत्रह, काउंटर नंबर तीन पर आइए" / "Token number
   C 17, please go to counter 3") from espeak-ng and festival, each language both as one
   sentence and as the joined clips a call really plays: duration, RMS, peak, share of silent
   20 ms windows, noise floor (hiss in the pauses), and render time.
2. **Call → first sample ready**: ``Announcer.announce`` until the call's WAV reaches the sink
   (a capture sink; a QtMultimedia sink starts playing it then). Uncached: an empty cache, so
   every clip is rendered by the engine; cached: after ``--build-cache``. Target ≤ 500 ms.
3. **Cache size**: every clip of the default configuration (6 groups, numbers 0–300, 4
   counters, both languages), its bytes on disk and the time to build it.
4. **Call → first sample out of the sound card** (``--audio-out``, needs a PulseAudio server and
   ``parec``): the real QtSink plays into PulseAudio; we record the sink's monitor and find the
   call's first non-silent sample. On a machine without a sound card, a null sink does:

    pulseaudio -n --daemonize=no --exit-idle-time=-1 -L module-null-sink \
        -L "module-native-protocol-unix socket=/tmp/pulse.sock auth-anonymous=1" &
    PULSE_SERVER=unix:/tmp/pulse.sock .venv/bin/python bench/bench_speech.py --audio-out

    .venv/bin/python bench/bench_speech.py [--calls 20] [--json] [--audio-out]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from kiosk.config import load_config
from kiosk.speech import audio
from kiosk.speech.cache import ClipCache, join_call
from kiosk.speech.engines import ENGINES, make_engine
from kiosk.speech.phrases import cache_clips, plan_call, settings_from
from kiosk.speech.player import Announcer, Call, CaptureSink


def _engines(settings_dir: Path) -> dict[str, dict[str, object]]:
    settings = settings_from(load_config(None, settings_dir, environ={}))
    out: dict[str, dict[str, object]] = {}
    for name in ENGINES:
        engine = make_engine(name)
        if not engine.available():
            out[name] = {"available": False}
            continue
        row: dict[str, object] = {"available": True}
        for phrase in plan_call(settings, "C-017", "3"):
            t0 = time.monotonic()
            whole = engine.render(phrase.text, phrase.lang)
            whole_s = time.monotonic() - t0
            cache = ClipCache(engine, Path(tempfile.mkdtemp(prefix="bench-speech-")))
            t0 = time.monotonic()
            joined = join_call(cache, [phrase], chime=False)
            joined_s = time.monotonic() - t0
            row[phrase.lang] = {
                "sentence": {**audio.stats(whole).to_json(), "render_s": round(whole_s, 3)},
                "joined_clips": {**audio.stats(joined).to_json(), "render_s": round(joined_s, 3),
                                 "clips": len(phrase.clips)}}
        out[name] = row
    return out


def _latency(data_dir: Path, calls: int, *, build: bool) -> dict[str, object]:
    settings = settings_from(load_config(None, data_dir, environ={}))
    cache = ClipCache(make_engine(settings.engine), settings.cache_dir)
    if build:
        cache.build(cache_clips(settings))
    waits: list[float] = []
    lock = threading.Lock()

    def spoken(_call: Call, seconds: float) -> None:
        with lock:
            waits.append(seconds)

    sink = CaptureSink()
    ann = Announcer(settings, sink, cache=cache, on_spoken=spoken)
    try:
        for i in range(calls):
            ann.announce(f"{'CLASTR'[i % 6]}-{100 + 7 * i:03d}", str(i % 4 + 1), False)
            sink.wait_for(i + 1, timeout=60)  # one at a time: latency, not queueing
    finally:
        ann.close()
    waits.sort()
    return {"calls": len(waits), "p50_ms": round(statistics.median(waits) * 1000, 1),
            "p99_ms": round(waits[min(len(waits) - 1, int(len(waits) * 0.99))] * 1000, 1),
            "max_ms": round(waits[-1] * 1000, 1)}


def _cache_size(data_dir: Path) -> dict[str, object]:
    settings = settings_from(load_config(None, data_dir, environ={}))
    cache = ClipCache(make_engine(settings.engine), settings.cache_dir)
    report = cache.build(cache_clips(settings))
    seconds = sum(len(audio.read_wav(p)) for p in settings.cache_dir.rglob("*.wav")) / audio.RATE
    return {"engine": settings.engine, "groups": len(settings.groups),
            "numbers": settings.cache_numbers + 1, "counters": len(settings.counters),
            "clips": report.clips, "bytes": report.bytes,
            "mb": round(report.bytes / 1e6, 1), "audio_s": round(seconds, 1),
            "build_s": round(report.seconds, 1)}


def _audio_out(data_dir: Path, calls: int) -> dict[str, object]:
    import subprocess
    from array import array

    from PySide6.QtCore import QCoreApplication

    from kiosk.speech.qt_sink import QtSink

    app = QCoreApplication.instance() or QCoreApplication([])
    settings = settings_from(load_config(None, data_dir, environ={}))
    cache = ClipCache(make_engine(settings.engine), settings.cache_dir)
    cache.build(cache_clips(settings))
    rec = subprocess.Popen(["parec", "-d", "@DEFAULT_MONITOR@", "--format=s16le",
                            "--channels=1", "--rate=16000", "--latency-msec=10"],
                           stdout=subprocess.PIPE)
    assert rec.stdout is not None
    stream = rec.stdout
    recorded = bytearray()
    started: list[float] = []

    def reader() -> None:
        while chunk := stream.read(320):
            if not started:
                started.append(time.monotonic())
            recorded.extend(chunk)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    sink = QtSink()
    ann = Announcer(settings, sink, cache=cache)
    out: list[float] = []
    try:
        deadline = time.monotonic() + 10
        while not started:
            if time.monotonic() > deadline or rec.poll() is not None:
                raise RuntimeError("parec records nothing: is a PulseAudio server reachable?")
            app.processEvents()
            time.sleep(0.01)
        for i in range(calls):
            n0 = len(recorded) // 2 * 2
            t_call = time.monotonic()
            ann.announce(f"C-{17 + i:03d}", str(i % 4 + 1), False)
            while time.monotonic() - t_call < 10:
                app.processEvents()
                data = array("h", bytes(recorded[n0:len(recorded) // 2 * 2]))
                k = next((j for j, v in enumerate(data) if abs(v) > 300), None)
                if k is not None:  # the monitor runs in real time: sample index = clock
                    out.append((n0 + 2 * k) / 32000 + started[0] - t_call)
                    break
                time.sleep(0.005)
            deadline = time.monotonic() + 30
            while (not sink._done.is_set() or ann.pending()) and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
    finally:
        ann.close()
        rec.terminate()
        rec.wait()
    out.sort()
    return {"calls": len(out), "p50_ms": round(statistics.median(out) * 1000, 1),
            "max_ms": round(out[-1] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--audio-out", action="store_true",
                        help="also time call → first sample out of PulseAudio (see above)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as tmp:
        base = Path(tmp)
        result = {
            "engines": _engines(base / "engines"),
            "uncached": _latency(base / "uncached", args.calls, build=False),
            "cached": _latency(base / "cached", args.calls, build=True),
            "cache": _cache_size(base / "size"),
        }
        if args.audio_out:
            result["audio_out"] = _audio_out(base / "size", min(args.calls, 5))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print("Engines (the issue's call, per language):")
    for name, row in result["engines"].items():
        if not row.get("available"):
            print(f"  {name}: not installed")
            continue
        for lang in ("hi", "en"):
            for form in ("sentence", "joined_clips"):
                s = row[lang][form]
                print(f"  {name:<9} {lang} {form:<12} {s['duration_s']:5.2f} s  "
                      f"RMS {s['rms_dbfs']:6.1f} dBFS  peak {s['peak_dbfs']:5.1f}  "
                      f"silent {s['silence_ratio']:.2f}  floor {s['noise_floor_dbfs']:6.1f}  "
                      f"render {s['render_s']:.2f} s")
    for key in ("uncached", "cached"):
        r = result[key]
        print(f"call → first sample ({key}, {r['calls']} calls): p50 {r['p50_ms']} ms, "
              f"p99 {r['p99_ms']} ms, max {r['max_ms']} ms")
    if "audio_out" in result:
        a = result["audio_out"]
        print(f"call → first sample out of PulseAudio ({a['calls']} calls): "
              f"p50 {a['p50_ms']} ms, max {a['max_ms']} ms")
    c = result["cache"]
    print(f"cache ({c['engine']}): {c['clips']} clips for {c['groups']} groups × "
          f"{c['numbers']} numbers × {c['counters']} counters: {c['mb']} MB, "
          f"{c['audio_s']} s of audio, built in {c['build_s']} s")


if __name__ == "__main__":
    main()
