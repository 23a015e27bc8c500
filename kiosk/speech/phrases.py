"""What a call says: ``[announce]`` settings and the phrase plan of one call.

A phrase is planned as *clips* (the cache's unit) rather than one sentence, so a centre's set-up
renders a bounded set once — the fixed words of each template, the group letters, the numbers —
and every call is a join of clips already on disk. The number is one clip ("एक सौ सत्रह"), never
digit by digit. Anything we cannot say properly (a group letter the centre has not configured, a
counter that is not a number, a token that does not parse) gives the generic phrase
("कृपया काउंटर पर आइए") instead: a wrong or silent call is worse than a plain one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import DEFAULTS, Config
from kiosk.speech.hindi_numbers import MAX, hindi_number

LANGS = ("hi", "en")
KINDS = ("call", "recall", "generic")
PLACEHOLDERS = frozenset({"group", "number", "counter"})

#: English letter names as Hindi speakers say and write them (group letters on tokens).
LETTER_NAMES_HI: dict[str, str] = {
    "A": "ए", "B": "बी", "C": "सी", "D": "डी", "E": "ई", "F": "एफ़", "G": "जी", "H": "एच",
    "I": "आई", "J": "जे", "K": "के", "L": "एल", "M": "एम", "N": "एन", "O": "ओ", "P": "पी",
    "Q": "क्यू", "R": "आर", "S": "एस", "T": "टी", "U": "यू", "V": "वी", "W": "डब्ल्यू",
    "X": "एक्स", "Y": "वाई", "Z": "ज़ेड",
}

_TOKEN = re.compile(r"^\s*([A-Za-z])\s*[-\s]?\s*(\d{1,4})\s*$")
_PAUSE_MARKS = ",;:।.!?"
GAP_MS = 90            # between the clips of one phrase
COMMA_MS = 280         # where the template has a comma
LANGUAGE_GAP_MS = 650  # between the Hindi and the English phrase


def _quiet_window(text: str) -> tuple[int, int] | None:
    """``"20:00-08:00"`` → (start, end) minutes; may wrap midnight. None if empty/malformed."""
    try:
        a, b = text.split("-")
        (h1, m1), (h2, m2) = (tuple(int(x) for x in p.strip().split(":")) for p in (a, b))
    except ValueError:
        return None
    if not (0 <= h1 < 24 and 0 <= h2 < 24 and 0 <= m1 < 60 and 0 <= m2 < 60):
        return None
    start, end = h1 * 60 + m1, h2 * 60 + m2
    return None if start == end else (start, end)


@dataclass(frozen=True)
class Settings:
    """``[announce]`` checked: every bad value named in ``problems`` and replaced by its default."""

    enabled: bool
    board_only: bool
    languages: tuple[str, ...]
    engine: str
    volume: float
    quiet_hours: tuple[int, int] | None
    chime: bool
    recall_times: int
    clips_dir: Path | None
    cache_numbers: int
    templates: dict[tuple[str, str], str]
    groups: frozenset[str]
    counters: tuple[str, ...]
    cache_dir: Path
    timezone: str = "Asia/Kolkata"
    problems: tuple[str, ...] = field(default=())

    def in_quiet_hours(self, minute_of_day: int) -> bool:
        if self.quiet_hours is None:
            return False
        start, end = self.quiet_hours
        if start < end:
            return start <= minute_of_day < end
        return minute_of_day >= start or minute_of_day < end


def settings_from(config: Config) -> Settings:
    a: dict[str, Any] = dict(config.raw.get("announce") or DEFAULTS["announce"])
    d: dict[str, Any] = DEFAULTS["announce"]
    problems: list[str] = []

    def bad(key: str, why: str) -> Any:
        problems.append(f"config key 'announce.{key}' {why}; using default {d[key]!r}")
        return d[key]

    langs = a.get("languages", d["languages"])
    if (not isinstance(langs, list) or not langs
            or not all(isinstance(x, str) and x in LANGS for x in langs)):
        langs = bad("languages", "should be a list of \"hi\" and/or \"en\"")
    engine = str(a.get("engine", d["engine"]))
    if engine not in ("espeak-ng", "festival"):
        engine = bad("engine", "should be \"espeak-ng\" or \"festival\"")
    volume = a.get("volume", d["volume"])
    if not isinstance(volume, int | float) or isinstance(volume, bool) or not 0 <= volume <= 1:
        volume = bad("volume", "should be a number 0.0-1.0")
    quiet_text = str(a.get("quiet_hours", ""))
    quiet = _quiet_window(quiet_text) if quiet_text.strip() else None
    if quiet_text.strip() and quiet is None:
        problems.append(f"config key 'announce.quiet_hours' should look like '20:00-08:00' "
                        f"(got {quiet_text!r}); no quiet hours")
    recall_times = a.get("recall_times", d["recall_times"])
    if not isinstance(recall_times, int) or isinstance(recall_times, bool) \
            or not 1 <= recall_times <= 3:
        recall_times = bad("recall_times", "should be 1, 2 or 3")
    numbers = a.get("cache_numbers", d["cache_numbers"])
    if not isinstance(numbers, int) or isinstance(numbers, bool) or not 0 <= numbers <= MAX:
        numbers = bad("cache_numbers", f"should be a whole number 0-{MAX}")
    templates: dict[tuple[str, str], str] = {}
    for kind in KINDS:
        for lang in LANGS:
            key = f"{kind}_{lang}"
            text = a.get(key, d[key])
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None} \
                if isinstance(text, str) else None
            allowed = set() if kind == "generic" else PLACEHOLDERS
            if not isinstance(text, str) or not text.strip() or names is None \
                    or not names <= allowed:
                text = bad(key, "may use only {group}, {number} and {counter}"
                           if kind != "generic" else "must be plain text (no {placeholders})")
            templates[(kind, lang)] = text
    clips = str(a.get("clips_dir", "") or "")
    return Settings(
        enabled=bool(a.get("enabled", True)), board_only=bool(a.get("board_only", True)),
        languages=tuple(dict.fromkeys(langs)), engine=engine, volume=float(volume),
        quiet_hours=quiet, chime=bool(a.get("chime", True)), recall_times=recall_times,
        clips_dir=Path(clips).expanduser() if clips else None, cache_numbers=numbers,
        templates=templates, groups=frozenset(config.raw["queue"]["groups"]),
        counters=tuple(config.counter_configs), cache_dir=config.data_dir / "speech" / "cache",
        timezone=config.timezone, problems=tuple(problems))


@dataclass(frozen=True)
class Clip:
    """One cacheable piece: ``text`` in ``lang``, after ``pause_ms`` of silence."""

    text: str
    lang: str
    pause_ms: int = GAP_MS


@dataclass(frozen=True)
class Phrase:
    """One language's sentence: what ``--text`` prints and the clips that speak it."""

    lang: str
    text: str
    clips: tuple[Clip, ...]
    generic: bool = False


def parse_token(token: str) -> tuple[str, int] | None:
    """``"C-017"`` / ``"c17"`` / ``"C 17"`` → ``("C", 17)``; None if it is not a token."""
    m = _TOKEN.match(token or "")
    return (m.group(1).upper(), int(m.group(2))) if m else None


def parse_counter(counter: str) -> int | None:
    text = str(counter or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def number_words(n: int, lang: str) -> str:
    return hindi_number(n) if lang == "hi" else str(n)


def letter_words(letter: str, lang: str) -> str:
    return LETTER_NAMES_HI[letter] if lang == "hi" else letter


def _fill(template: str, lang: str, values: dict[str, str]) -> Phrase:
    """Split a template at its placeholders into clips; punctuation becomes pauses."""
    clips: list[Clip] = []
    shown: list[str] = []
    pause = 0
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        shown.append(literal)
        for piece in re.split(rf"([{_PAUSE_MARKS}])", literal):
            if piece in _PAUSE_MARKS and piece:
                pause = max(pause, COMMA_MS)
            elif piece.strip():
                clips.append(Clip(piece.strip(), lang, pause or GAP_MS))
                pause = 0
        if name is not None:
            shown.append(values[name])
            clips.append(Clip(values[name], lang, pause or GAP_MS))
            pause = 0
    first = clips[0]
    clips[0] = Clip(first.text, first.lang, 0)
    return Phrase(lang, " ".join("".join(shown).split()), tuple(clips))


def plan_call(settings: Settings, token: str, counter: str, recall: bool = False,
              languages: tuple[str, ...] | None = None) -> list[Phrase]:
    """The phrases of one call, in speaking order (the generic phrase when we cannot say it)."""
    parsed = parse_token(token)
    number = parse_counter(counter)
    known = parsed is not None and parsed[0] in settings.groups and number is not None
    phrases: list[Phrase] = []
    for lang in languages or settings.languages:
        if not known or parsed is None or number is None:
            p = _fill(settings.templates[("generic", lang)], lang, {})
            phrases.append(Phrase(p.lang, p.text, p.clips, generic=True))
            continue
        values = {"group": letter_words(parsed[0], lang),
                  "number": number_words(parsed[1], lang),
                  "counter": number_words(number, lang)}
        phrases.append(_fill(settings.templates[("recall" if recall else "call", lang)], lang,
                             values))
    return phrases


def cache_clips(settings: Settings) -> list[Clip]:
    """Every clip ``--build-cache`` renders: template words, group letters, numbers 0..N,
    counter numbers (usually already among them), for each configured language."""
    seen: dict[tuple[str, str], Clip] = {}
    for lang in settings.languages:
        for (_kind, tlang), template in settings.templates.items():
            if tlang != lang:
                continue
            sample = {"group": "\0", "number": "\0", "counter": "\0"}
            for clip in _fill(template, lang, sample).clips:
                if clip.text != "\0":
                    seen.setdefault((clip.text, lang), clip)
        texts = [letter_words(g, lang) for g in sorted(settings.groups) if g in LETTER_NAMES_HI]
        texts += [number_words(n, lang) for n in range(settings.cache_numbers + 1)]
        texts += [number_words(c, lang) for c in
                  (parse_counter(x) for x in settings.counters) if c is not None]
        for text in texts:
            seen.setdefault((text, lang), Clip(text, lang))
    return list(seen.values())
