"""Type a name once: suggest a name's other script (Hindi ⇄ English) for the citizen to confirm.

Each word is looked up in the names table first (common names, whose English spelling no
rule can predict); a word the table does not know is split at the longest ending it knows
(Sukhlal = sukh + lal, रामप्रसाद = राम + प्रसाद), and what is left is spelled by rules
(:mod:`.to_latin`, :mod:`.to_devanagari`). Only
letters of the source script are converted; digits, dots and dashes pass through. The
suggestion is a suggestion: the form shows it in the other name field, and the citizen (or the
operator) confirms or edits it. Accuracy on the project's list of names is measured by
``bench/bench_translit.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from kiosk.translit.names import table
from kiosk.translit.to_devanagari import word_to_devanagari
from kiosk.translit.to_latin import word_to_latin

_DEVANAGARI_WORD = re.compile(r"[\u0900-\u097F]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: Neither part of a split may be shorter than this: ओम|प्रकाश (code points), but not
#: Sa|rita or Bi|hari (letters).
MIN_PART_DEVANAGARI, MIN_PART_LATIN = 2, 3
_LATIN_VOWELS = frozenset("aeiou")


def _convert(word: str, names: Mapping[str, str], rules: Callable[[str, bool], str],
             min_part: int, whole: bool = True) -> str:
    if word in names:
        return names[word]
    for cut in range(min_part, len(word) - min_part + 1):
        rest = word[cut:]
        if rest[0] in _LATIN_VOWELS:   # Ompr|akash: an English part starts with a consonant
            continue
        ending = names.get(rest)
        if ending is not None:
            return _convert(word[:cut], names, rules, min_part, False) + ending.lower()
    return rules(word, whole)


def to_english(text: str, *, use_table: bool = True) -> str:
    """A Devanagari name in the English spelling most people would write it."""
    names = table().to_latin if use_table else {}

    def word(m: re.Match[str]) -> str:
        text = _convert(m.group(0), names, lambda w, _whole: word_to_latin(w),
                        MIN_PART_DEVANAGARI)
        return text[:1].upper() + text[1:].lower()
    return _DEVANAGARI_WORD.sub(word, unicodedata.normalize("NFC", text))


def to_hindi(text: str, *, use_table: bool = True) -> str:
    """An English-spelt Indian name in Devanagari."""
    names = table().to_devanagari if use_table else {}

    def word(m: re.Match[str]) -> str:
        return _convert(m.group(0).lower(), names,
                        lambda w, whole: word_to_devanagari(w, whole=whole), MIN_PART_LATIN)
    return unicodedata.normalize("NFC", _LATIN_WORD.sub(word, text))


def to_hindi_place(text: str, *, use_table: bool = True) -> str:
    """An English-spelt place name (village, tehsil) in Devanagari: place endings and the
    exceptions table (:mod:`kiosk.translit.places`), not the names table."""
    from kiosk.translit.places import to_hindi_place as place

    return place(text, use_table=use_table)


def suggest(text: str, to: str) -> str:
    """``to`` is "hi" or "en"; raises ValueError for anything else."""
    if to == "hi":
        return to_hindi(text)
    if to == "en":
        return to_english(text)
    raise ValueError(f"unknown target script {to!r}")


__all__ = ["suggest", "to_english", "to_hindi", "to_hindi_place"]
