"""An English spelling of an Indian name → its usual Devanagari (rules only).

The hard direction: English spellings drop the difference between short and long vowels
("Ram" राम but "Kamal" कमल), so these rules encode the habits of names, and the names table
(:mod:`kiosk.translit.names`) wins wherever it knows the word. Rules, in order:

* the word is split greedily into the longest known letter groups (``chh``, ``ksh``, ``kh``,
  ``aa``, ``ee``, ``ai`` …);
* consonants meeting without a vowel are joined with a halant only where Hindi writes a
  conjunct — at the start of a word (प्र, श्र), before र/य/व (ध्य, श्व), after र (शर्मा), a
  doubled consonant (उत्तम), a sibilant before t/k/p/m/n (अवस्थी, लक्ष्मी); elsewhere the
  first keeps its (silent) inherent vowel, as Hindi spells it (सपना, रजनी, तुलसी, देवकी);
  ``n`` before another consonant, and ``m`` before p/b/m, becomes the anusvara (संजय,
  प्रियंका);
* a vowel at the start of the word, or after another vowel, is an independent letter (अ, आ,
  इ …); otherwise a vowel sign;
* ``a`` at the end of a word is ा (सुनीता, शर्मा), except after ``ndr``/``ntr`` (नरेंद्र);
  ``a`` in a one-syllable word ending in a consonant is ा (राम, श्याम) — not in the first part
  of a compound (भगवती, हंसराज); every other ``a`` is the
  inherent vowel; ``i`` at the end of a word is ी (देवी); ``ey`` at the end is े (दुबे).
"""

from __future__ import annotations

CONSONANTS = {
    "chh": "छ", "ksh": "क्ष", "shh": "ष", "kh": "ख", "gh": "घ", "ch": "च", "jh": "झ",
    "th": "थ", "dh": "ध", "ph": "फ", "bh": "भ", "sh": "श", "gy": "ज्ञ",
    "k": "क", "g": "ग", "c": "क", "j": "ज", "t": "त", "d": "द", "n": "न", "p": "प",
    "f": "फ़", "b": "ब", "m": "म", "y": "य", "r": "र", "l": "ल", "v": "व", "w": "व",
    "s": "स", "h": "ह", "z": "ज़", "q": "क़", "x": "क्स",
}
VOWEL_LETTERS = {
    "aa": "आ", "ai": "ऐ", "au": "औ", "ee": "ई", "ii": "ई", "oo": "ऊ", "uu": "ऊ", "ei": "ऐ",
    "ou": "औ", "a": "अ", "i": "इ", "u": "उ", "e": "ए", "o": "ओ",
}
VOWEL_SIGNS = {
    "aa": "ा", "ai": "ै", "au": "ौ", "ee": "ी", "ii": "ी", "oo": "ू", "uu": "ू", "ei": "ै",
    "ou": "ौ", "a": "", "i": "ि", "u": "ु", "e": "े", "o": "ो",
}
HALANT, ANUSVARA = "्", "ं"
#: Second consonants that make a true conjunct with the one before (प्र, ध्य, श्व, त्व).
_JOINING_SECOND = {"r", "y", "v", "w"}
#: s/sh/ksh before these join too (अवस्थी, रश्मि, पुष्पा, लक्ष्मी).
_SIBILANTS = {"s", "sh", "shh", "ksh"}
_AFTER_SIBILANT = {"t", "th", "k", "p", "m", "n"}
_LABIALS = {"p", "ph", "b", "bh", "m"}
_GROUPS = sorted(set(CONSONANTS) | set(VOWEL_LETTERS), key=len, reverse=True)


def _split(word: str, place: bool = False) -> list[tuple[str, str]]:
    """(group, "c"|"v") pieces, longest match first; other characters pass through ("x").
    In a place name "gy" is g + y even at the start (Gyaraspur ग्यारसपुर, not ज्ञ)."""
    pieces: list[tuple[str, str]] = []
    i = 0
    while i < len(word):
        for g in _GROUPS:
            if word.startswith(g, i):
                # "gy" is ज्ञ only at the start (Gyan); elsewhere g + y (Vigyan is rare).
                if g == "gy" and (i != 0 or place):
                    continue
                pieces.append((g, "v" if g in VOWEL_LETTERS else "c"))
                i += len(g)
                break
        else:
            pieces.append((word[i], "x"))
            i += 1
    # "ey" at the end is the vowel e (Dubey, Pandey); "y" after a consonant at the end is ी
    # (Chaudhary)
    if len(pieces) >= 2 and pieces[-1] == ("y", "c") and pieces[-2] == ("e", "v"):
        pieces.pop()
    elif len(pieces) >= 2 and pieces[-1] == ("y", "c") and pieces[-2][1] == "c":
        pieces[-1] = ("ee", "v")
    return pieces


def _joins(first: str, second: str, at_start: bool, place: bool = False,
           at_end: bool = False) -> bool:
    """Do these two consonants, with no vowel between, form a written conjunct? In a place
    name r joins only at the end (गिर्द but खरगोन, छतरपुर), and r, y, w only at the start (प्रभात,
    ग्वालियर but मिसरोद, खंडवा): India Post's spellings keep the inherent vowel there."""
    if place and (first == "r" or second in _JOINING_SECOND):
        return at_start or (first == "r" and at_end)
    return (at_start or second in _JOINING_SECOND or first == "r" or first == second
            or (first in _SIBILANTS and second in _AFTER_SIBILANT))


def word_to_devanagari(word: str, *, whole: bool = True, place: str = "") -> str:
    """``whole`` is false for the first part of a split compound (Bhag-wati, Hans-raj), where
    the one-syllable rule (Ram → राम) does not hold. ``place`` ("word", or "stem" for a stem
    before an ending) spells a place name's habits (:mod:`kiosk.translit.places`): conjuncts as
    :func:`_joins` says (the end of a stem is no word's end: खिरकिया), -nd- as ंड (भिंड, मंडला),
    f and z without the nukta most place names are written without (फतेहाबाद)."""
    pieces = _split(word.lower(), bool(place))
    syllables = sum(1 for _, k in pieces if k == "v")
    out: list[str] = []
    n = len(pieces)
    for i, (g, kind) in enumerate(pieces):
        prev = pieces[i - 1] if i > 0 else None
        nxt = pieces[i + 1] if i + 1 < n else None
        if kind == "x":
            out.append(g)
            continue
        if kind == "c":
            if prev is not None and prev[1] == "v" and nxt is not None and nxt[1] == "c" \
                    and nxt[0] not in ("y", "h", "r", "v", "w") and nxt[0] != g \
                    and (g == "n" or (g == "m" and nxt[0] in _LABIALS)):
                out.append(ANUSVARA)
                continue
            if place and g == "d" and prev == ("n", "c") and (nxt is None or nxt[1] == "v"):
                out.append("ड")                   # Bhind भिंड, Mandla मंडला, Banda बंडा
                continue
            out.append(CONSONANTS[g])
            at_start = all(p[1] != "v" for p in pieces[:i])
            at_end = i + 2 == n and place == "word"
            if nxt is not None and nxt[1] == "c" and _joins(g, nxt[0], at_start, bool(place),
                                                          at_end):
                out.append(HALANT)
            continue
        # a vowel
        after_consonant = prev is not None and prev[1] == "c" and out and out[-1] != ANUSVARA
        last = nxt is None
        if g == "a" and after_consonant:
            if last:
                tail = "".join(p[0] for p in pieces[max(0, i - 3):i])
                out.append("" if tail.endswith(("ndr", "ntr")) else "ा")
            elif syllables == 1 and whole:
                out.append("ा")
            continue
        if g == "i" and last:
            out.append("ी" if after_consonant else "ई")
            continue
        out.append(VOWEL_SIGNS[g] if after_consonant else VOWEL_LETTERS[g])
    text = "".join(out)
    return text.replace("फ़", "फ").replace("ज़", "ज") if place else text
