"""Offline speech engines: espeak-ng (default) and festival with festvox-hi-nsk (fallback).

Both are Debian packages (scripts/setup.sh installs them) and run as short subprocesses: nothing
is downloaded at run time, and a crash in an engine cannot take the board down with it.
docs/speech.md says why espeak-ng is the default (measured there); in short: it reads any
Devanagari correctly (schwa deletion, nukta), speaks Hindi and English with one program, and is
maintained, while the festival Hindi voice (2006) needs three repairs to work at all on
festival 2.5 — all made here:

* its voice file never sets ``Int_Method``, so festival 2.5 stops with "Feature Int_Method not
  defined": we select the General method with the voice's own target function;
* its lexicon keeps every final schwa ("टोकन" → *tokana*): we write a virama after a word's final
  bare consonant, the input form it needs to say *tokan*;
* a nukta (ज़) or any Latin letter or digit makes it produce nothing (or segfault): we drop the
  nukta (ज़ → ज, as many Hindi speakers say it anyway) and anything that is not Devanagari.

English on festival uses its ``kal_diphone`` voice (festvox-kallpc16k).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.speech.audio import RATE, AudioError, read_wav

log = logging.getLogger(__name__)

ENGINES = ("espeak-ng", "festival")
RENDER_TIMEOUT_S = 20.0


class EngineError(RuntimeError):
    """An engine is missing or failed to render (details for the log, never for a citizen)."""


class Engine(Protocol):
    """What the clip cache needs from a speech engine."""

    name: str

    def voice(self, lang: str) -> str:
        """The voice used for ``lang`` ("hi"/"en"); part of the cache key."""
        ...

    def available(self) -> bool:
        """The program and its voices are installed (cheap: no synthesis)."""
        ...

    def render(self, text: str, lang: str) -> array:
        """``text`` spoken in ``lang`` as canonical samples (kiosk.speech.audio)."""
        ...


def _run(cmd: list[str], stdin: str | None = None) -> None:
    try:
        done = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                              timeout=RENDER_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"{cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        raise EngineError(f"{cmd[0]} exited {done.returncode}: {done.stderr.strip()[:300]}")


def _run_out(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"{cmd[0]}: {exc}") from exc
    if done.returncode != 0:
        raise EngineError(f"{cmd[0]} exited {done.returncode}: {done.stderr.strip()[:300]}")
    return done.stdout


def _render_to_file(cmd_for: list[str], stdin: str | None = None) -> array:
    """Run an engine that writes a WAV to the path in ``cmd_for`` (``{out}``) and read it."""
    with tempfile.TemporaryDirectory(prefix="kiosk-tts-") as tmp:
        out = Path(tmp) / "out.wav"
        _run([part.replace("{out}", str(out)) for part in cmd_for], stdin)
        try:
            samples = read_wav(out)
        except (AudioError, OSError) as exc:
            raise EngineError(f"{cmd_for[0]} wrote no usable audio: {exc}") from exc
    return samples


@dataclass
class EspeakEngine:
    """espeak-ng: formant synthesis, Hindi voice ``hi`` and English ``en`` (en-GB-ish RP)."""

    name: str = "espeak-ng"
    speed_wpm: int = 140          # a little slower than its 175 default: a hall echoes
    voices: tuple[tuple[str, str], ...] = (("hi", "hi"), ("en", "en"))

    def voice(self, lang: str) -> str:
        return dict(self.voices).get(lang, "en")

    def _program(self) -> str | None:
        return shutil.which("espeak-ng") or shutil.which("espeak")

    def available(self) -> bool:
        return self._program() is not None

    def render(self, text: str, lang: str) -> array:
        prog = self._program()
        if prog is None:
            raise EngineError("espeak-ng is not installed")
        # Text on stdin: a phrase starting with "-" must not be read as an option.
        return _render_to_file([prog, "-v", self.voice(lang), "-s", str(self.speed_wpm),
                                "-w", "{out}"], stdin=text)


FESTIVAL_VOICE_DIR = Path("/usr/share/festival/voices")
_HINDI_SETUP = ("(begin (voice_hindi_NSK_diphone) (Parameter.set 'Int_Method 'General) "
                "(set! int_general_params (list (list 'targ_func hindi_NSK_targ_func1))))")
_DEVANAGARI_CONSONANT = re.compile(r"[\u0915-\u0939]$")
_NOT_DEVANAGARI = re.compile(r"[^\u0900-\u097F\s,।.?]+")


def festival_hindi_form(text: str) -> str:
    """The input form festvox-hi-nsk needs (see the module docstring): no nukta, a virama after
    a final bare consonant, Devanagari only."""
    text = unicodedata.normalize("NFD", text).replace("\u093c", "")
    text = _NOT_DEVANAGARI.sub(" ", unicodedata.normalize("NFC", text))
    words = []
    for word in text.split():
        core = word.rstrip(",।.?")
        tail = word[len(core):]
        if _DEVANAGARI_CONSONANT.search(core):
            core += "\u094d"
        words.append(core + tail)
    return " ".join(words)


@dataclass
class FestivalEngine:
    """festival: the IIT Madras / C-DAC NSK Hindi diphone voice, kal_diphone for English."""

    name: str = "festival"

    def voice(self, lang: str) -> str:
        return "hindi_NSK_diphone" if lang == "hi" else "kal_diphone"

    def available(self) -> bool:
        return (shutil.which("festival") is not None
                and (FESTIVAL_VOICE_DIR / "hindi" / "hindi_NSK_diphone").is_dir()
                and (FESTIVAL_VOICE_DIR / "english" / "kal_diphone").is_dir()
                and Path("/usr/share/festival/hindi_scm").is_dir())

    def render(self, text: str, lang: str) -> array:
        prog = shutil.which("festival")
        if prog is None:
            raise EngineError("festival is not installed")
        if lang == "hi":
            spoken, setup = festival_hindi_form(text), _HINDI_SETUP
        else:
            spoken, setup = text, "(voice_kal_diphone)"
        if not spoken.strip():
            raise EngineError(f"festival's {self.voice(lang)} voice cannot say {text!r}")
        literal = spoken.replace("\\", " ").replace('"', " ")
        with tempfile.TemporaryDirectory(prefix="kiosk-tts-") as tmp:
            out, script = Path(tmp) / "out.wav", Path(tmp) / "say.scm"
            # Save the wave, then print each segment's end time: the NSK voice ends a short
            # utterance with a 1.7 s "pause" full of hiss, which we cut at the last phone.
            script.write_text(
                f'{setup}\n(set! u (SynthText "{literal}"))\n'
                f'(utt.save.wave u "{out}" \'riff)\n'
                "(mapcar (lambda (s) (format t \"SEG %s %f\\n\" (item.name s) "
                "(item.feat s 'end))) (utt.relation.items u 'Segment))\n", encoding="utf-8")
            stdout = _run_out([prog, "-b", str(script)])
            try:
                samples = read_wav(out)
            except (AudioError, OSError) as exc:
                raise EngineError(f"festival wrote no usable audio: {exc}") from exc
        return _cut_to_phones(samples, stdout)


def _cut_to_phones(samples: array, festival_stdout: str) -> array:
    """Keep from the first phone's start to the last phone's end (+ 40 ms either side)."""
    segs = [(name, float(end)) for name, end in
            re.findall(r"^SEG (\S+) ([\d.]+)$", festival_stdout, re.M)]
    phones = [i for i, (name, _end) in enumerate(segs) if name != "pau"]
    if not phones:
        return samples
    start = segs[phones[0] - 1][1] if phones[0] > 0 else 0.0
    end = segs[phones[-1]][1]
    a = max(0, int((start - 0.04) * RATE))
    b = min(len(samples), int((end + 0.04) * RATE))
    return samples[a:b] if b > a else samples


def make_engine(name: str) -> Engine:
    if name == "festival":
        return FestivalEngine()
    if name == "espeak-ng":
        return EspeakEngine()
    raise ValueError(f"unknown speech engine {name!r}; one of {', '.join(ENGINES)}")


@dataclass(frozen=True)
class EngineChoice:
    """The engine to use and, when it is not the configured one, why (for log and doctor)."""

    engine: Engine | None
    preferred: str
    warning: str = ""

    @property
    def fallback(self) -> bool:
        return self.engine is not None and self.engine.name != self.preferred


def probe(engine: Engine) -> str:
    """Render one short Hindi and English word; '' if both worked, else what failed."""
    try:
        for text, lang in (("एक", "hi"), ("one", "en")):
            if len(engine.render(text, lang)) < 800:  # < 50 ms of audio: not speech
                return f"{engine.name} rendered almost nothing for {text!r}"
    except EngineError as exc:
        return str(exc)
    return ""


def choose_engine(preferred: str, *, test: bool = True,
                  engines: dict[str, Engine] | None = None) -> EngineChoice:
    """The configured engine if it works, else the other with a warning, else none.

    ``test`` renders a word with each candidate (about 0.1 s) so a broken voice — installed but
    failing, like festvox-hi-nsk on festival 2.5 without our repairs — also falls back.
    """
    pool = engines if engines is not None else {n: make_engine(n) for n in ENGINES}
    order = [preferred] + [n for n in pool if n != preferred]
    reasons: list[str] = []
    for name in order:
        engine = pool.get(name)
        if engine is None:
            reasons.append(f"{name} does not work")
            continue
        if not engine.available():
            reasons.append(f"{name} is not installed")
            continue
        problem = probe(engine) if test else ""
        if problem:
            reasons.append(problem)
            continue
        warning = "" if name == preferred else (
            f"speech engine {preferred} unusable ({'; '.join(reasons)}); using {name}")
        if warning:
            log.warning("%s", warning)
        return EngineChoice(engine, preferred, warning)
    warning = f"no speech engine works ({'; '.join(reasons)}); calls are shown, not spoken"
    log.error("%s", warning)
    return EngineChoice(None, preferred, warning)
