"""Devanagari → the English spelling a Hindi name is usually written with (rules only).

Why our own rules and not a library: the one maintained general transliterator that runs
offline, aksharamukha, is AGPL-3.0 and pulls in lxml, pykakasi and requests, and its readable
Roman output spells सुनीता देवी "suneetaa devee"; names on Indian forms follow simpler habits
(long vowels written short, ष and श both "sh", the silent final अ dropped). Those habits, plus
the usual schwa-deletion rule for Hindi, fit in a page.

Schwa deletion (after Ohala's rule for Hindi): a consonant with no vowel sign carries an
inherent "a", which is silent at the end of a word (unless the word ends in a conjunct:
नरेंद्र → Narendra) and inside a word in the context V C _ C V, scanning from the right
(कमला → Kamla, अमरनाथ → Amarnath, but मोहन → Mohan).
"""

from __future__ import annotations

import unicodedata

CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v", "श": "sh", "ष": "sh", "स": "s",
    "ह": "h", "ळ": "l",
}
#: Consonant + nukta (U+093C), after NFD.
NUKTA_FORMS = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "फ": "f", "ड": "r", "ढ": "rh"}
VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "ii", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o",
}
MATRAS = {
    "ा": "a", "ि": "i", "ी": "ii", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॉ": "o",
}
HALANT, NUKTA, ANUSVARA, CHANDRABINDU, VISARGA = "्", "़", "ं", "ँ", "ः"
#: ई/ी until the spelling is decided ("ee" or "i").
LONG_I = "ii"

def _units(word: str) -> list[list[str]]:
    """[latin, vowel, kind] per letter: vowel "a?" (inherent, undecided), "" (none) or the
    sign's sound; kind "c" consonant, "v" independent vowel, "n" nasal mark, "x" other."""
    units: list[list[str]] = []
    text = unicodedata.normalize("NFD", word)
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in CONSONANTS:
            latin = CONSONANTS[ch]
            if nxt == NUKTA:
                latin = NUKTA_FORMS.get(ch, latin)
                i += 1
                nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in MATRAS:
                units.append([latin, MATRAS[nxt], "c"])
                i += 2
                continue
            if nxt == HALANT:
                units.append([latin, "", "c"])
                i += 2
                continue
            units.append([latin, "a?", "c"])   # inherent: decided by schwa deletion
        elif ch in VOWELS:
            units.append(["", VOWELS[ch], "v"])
        elif ch in (ANUSVARA, CHANDRABINDU):
            units.append(["n", "", "n"])
        elif ch == VISARGA:
            units.append(["h", "", "x"])
        elif ch in MATRAS:                      # a stray sign: keep its sound
            units.append(["", MATRAS[ch], "v"])
        elif ch != NUKTA:
            units.append([ch, "", "x"])
        i += 1
    return units


def _has_vowel(u: list[str]) -> bool:
    return u[1] not in ("", "a?") or u[1] == "a"


def _delete_schwas(units: list[list[str]]) -> None:
    last = len(units) - 1
    if last >= 0 and units[last][1] == "a?":
        conjunct = last > 0 and units[last - 1][2] == "c" and units[last - 1][1] == ""
        units[last][1] = "a" if conjunct or last == 0 else ""
    for i in range(last - 1, 0, -1):
        u = units[i]
        if u[1] != "a?":
            continue
        prev, nxt = units[i - 1], units[i + 1]
        vc_before = prev[2] in ("c", "v") and (_has_vowel(prev) or prev[1] == "a?")
        cv_after = nxt[2] == "c" and (_has_vowel(nxt) or nxt[1] == "a?")
        u[1] = "" if vc_before and cv_after else "a"
    for u in units:
        if u[1] == "a?":
            u[1] = "a"


def word_to_latin(word: str) -> str:
    units = _units(word)
    _delete_schwas(units)
    # A long ई is written "ee" in the first of several syllables (Deepa, Neelam) and "i"
    # elsewhere (Sunita, Devi).
    voiced = [u for u in units if u[1]]
    for u in voiced:
        if u[1] == LONG_I:
            u[1] = "ee" if u is voiced[0] and len(voiced) > 1 and u[2] == "c" else "i"
    out: list[str] = []
    for i, (latin, vowel, kind) in enumerate(units):
        if kind == "n":
            nxt = units[i + 1][0][:1] if i + 1 < len(units) else ""
            out.append("m" if nxt in ("p", "b", "m") else "n")
            continue
        out.append(latin + vowel)
    text = "".join(out)
    return text[:1].upper() + text[1:]
