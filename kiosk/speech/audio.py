"""PCM helpers for announcements: one canonical format, read/write/join with the stdlib.

Why one format (16 kHz, mono, 16-bit): a call is joined from clips of different origins — two
speech engines (espeak-ng writes 22.05 kHz, festival 16 kHz) and whatever a centre recorded —
and ``wave`` can only concatenate frames that agree. Converting once, when a clip enters the
cache, keeps the per-call join a plain byte concatenation (fast: the call → first sample budget
is 500 ms). 16 kHz mono is plenty for speech through a hall loudspeaker and keeps the cache small.

No numpy here (the kiosk does not otherwise need it): samples are ``array('h')`` and the few
loops (resample, trim, stats) run over seconds of audio, a few milliseconds each.
"""

from __future__ import annotations

import io
import math
import os
import struct
import sys
import tempfile
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

RATE = 16000
#: Below this (dBFS, per 20 ms window) a window counts as silence for trimming and stats.
SILENCE_DBFS = -45.0
_WINDOW = RATE // 50  # 20 ms


class AudioError(ValueError):
    """A WAV that cannot be read (corrupt, empty, unsupported sample width)."""


def _to_native(data: bytes, width: int) -> array:
    """Little-endian PCM bytes of ``width`` bytes per sample → int16 samples."""
    out = array("h")
    if width == 2:
        out.frombytes(data[: len(data) // 2 * 2])
        if sys.byteorder == "big":
            out.byteswap()
        return out
    if width == 1:  # unsigned 8-bit
        out.extend((b - 128) << 8 for b in data)
        return out
    if width in (3, 4):  # keep the top 16 bits of each sample
        step = width
        out.extend(int.from_bytes(data[i + step - 2:i + step], "little", signed=True)
                   for i in range(0, len(data) - step + 1, step))
        return out
    raise AudioError(f"unsupported sample width {width}")


def _mono(samples: array, channels: int) -> array:
    if channels == 1:
        return samples
    return array("h", (sum(samples[i:i + channels]) // channels
                       for i in range(0, len(samples) - channels + 1, channels)))


def resample(samples: array, src_rate: int, dst_rate: int = RATE) -> array:
    """Linear interpolation, no anti-alias filter: enough for speech going down to 16 kHz.

    Measured on espeak-ng's 22.05 kHz output of the issue's call: the energy above 8 kHz (what
    folds back) is at -51 dBFS (Hindi) and -47 dBFS (English), 25-30 dB under the speech.
    """
    if src_rate == dst_rate or not samples:
        return array("h", samples)
    n_out = max(1, round(len(samples) * dst_rate / src_rate))
    ratio = src_rate / dst_rate
    last = len(samples) - 1
    out = array("h", bytes(2 * n_out))
    for i in range(n_out):
        pos = i * ratio
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
            continue
        frac = pos - j
        out[i] = int(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out


def read_wav(source: Path | bytes) -> array:
    """Any PCM WAV (8/16/24/32-bit, mono or stereo, any rate) → canonical samples."""
    try:
        with wave.open(io.BytesIO(source) if isinstance(source, bytes) else str(source),
                       "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            data = w.readframes(w.getnframes())
    except (wave.Error, EOFError, RuntimeError, struct.error) as exc:
        # RuntimeError: ``wave`` raises it for a chunk size past the end (a truncated file)
        raise AudioError(f"not a readable WAV: {exc!r}") from exc
    if not data:
        raise AudioError("the WAV has no samples")
    return resample(_mono(_to_native(data, width), channels), rate)


def wav_bytes(samples: array) -> bytes:
    """Canonical samples → a complete WAV file in memory."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        data = array("h", samples)
        if sys.byteorder == "big":
            data.byteswap()
        w.writeframes(data.tobytes())
    return buf.getvalue()


def write_wav(path: Path, samples: array) -> None:
    """Write atomically: a half-written clip must never be mistaken for a cached one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(wav_bytes(samples))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def silence(ms: int) -> array:
    return array("h", bytes(2 * (RATE * ms // 1000)))


def _window_dbfs(samples: array, start: int, end: int) -> float:
    n = end - start
    if n <= 0:
        return -120.0
    acc = sum(v * v for v in samples[start:end])
    rms = math.sqrt(acc / n) / 32768.0
    return 20 * math.log10(rms) if rms > 0 else -120.0


def _levels(samples: array) -> list[float]:
    n = len(samples)
    return [_window_dbfs(samples, s, min(n, s + _WINDOW)) for s in range(0, n, _WINDOW)]


def noise_floor(levels: list[float]) -> float:
    """The 10th-percentile window level: digital silence gives -120, a hissing voice more."""
    if not levels:
        return -120.0
    return sorted(levels)[len(levels) // 10]


def trim(samples: array, pad_ms: int = 20) -> array:
    """Cut the engine's leading/trailing silence, keeping ``pad_ms`` so words are not clipped.

    "Silence" is relative to the clip's own noise floor: festvox-hi-nsk's pauses are a hiss at
    about -42 dBFS, which a fixed -45 dBFS threshold would keep as if it were speech. The gaps
    between the words of a call are then ours (the phrase plan's pauses), the same whichever
    engine or recorded clip supplied the word.
    """
    levels = _levels(samples)
    if not levels:
        return array("h")
    # a clip with no pause at all (a recorded word cut tight) must not lose itself
    threshold = max(SILENCE_DBFS, min(noise_floor(levels) + 8.0, max(levels) - 20.0))
    loud = [i for i, level in enumerate(levels) if level > threshold]
    if not loud:
        return array("h")
    pad = RATE * pad_ms // 1000
    start = max(0, loud[0] * _WINDOW - pad)
    end = min(len(samples), (loud[-1] + 1) * _WINDOW + pad)
    return samples[start:end]


def chime() -> array:
    """A two-note "ding-dong" (E6 then C6, decaying), ~0.9 s: heads turn before the words.

    Generated, not shipped, so it has no licence and matches the canonical format by design.
    """
    out = array("h")
    for freq, dur in ((1318.5, 0.42), (1046.5, 0.5)):
        n = int(RATE * dur)
        for i in range(n):
            t = i / RATE
            env = math.exp(-4.5 * t) * min(1.0, i / (0.005 * RATE))  # 5 ms attack, no click
            # a little of the octave makes it bell-like rather than a test tone
            v = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            out.append(int(0.35 * 32767 * env * v / 1.3))
    return out


def join(parts: list[array]) -> array:
    out = array("h")
    for p in parts:
        out.extend(p)
    return out


@dataclass(frozen=True)
class AudioStats:
    """What "listening by measuring" reports for one WAV."""

    duration_s: float
    rms_dbfs: float
    peak_dbfs: float
    silence_ratio: float  # share of 20 ms windows below SILENCE_DBFS
    noise_floor_dbfs: float  # 10th-percentile 20 ms level: hiss in the pauses shows here

    def to_json(self) -> dict[str, float]:
        return {"duration_s": round(self.duration_s, 3), "rms_dbfs": round(self.rms_dbfs, 1),
                "peak_dbfs": round(self.peak_dbfs, 1),
                "silence_ratio": round(self.silence_ratio, 3),
                "noise_floor_dbfs": round(self.noise_floor_dbfs, 1)}


def stats(samples: array) -> AudioStats:
    n = len(samples)
    if not n:
        return AudioStats(0.0, -120.0, -120.0, 1.0, -120.0)
    peak = max(abs(min(samples)), abs(max(samples))) / 32768.0
    levels = _levels(samples)
    quiet = sum(1 for level in levels if level <= SILENCE_DBFS)
    return AudioStats(n / RATE, _window_dbfs(samples, 0, n),
                      20 * math.log10(peak) if peak > 0 else -120.0, quiet / len(levels),
                      noise_floor(levels))
