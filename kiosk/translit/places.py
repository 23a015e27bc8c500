"""English-spelt Indian place names → Devanagari: the endings places share, and a small table.

Why apart from the name rules: place names are compounds of a few well-worn parts whose Hindi
is fixed (Tikam|garh टीकमगढ़, Raghuraj|nagar, Sukhi Sewan|ia सेवनिया, Bara|khera बाराखेड़ा),
and India Post spells them with habits personal names do not have (a silent English final e:
Sehore, Indore; a final -nd that is ड: Bhind). So a place word is looked up in the exceptions
table (``places.tsv``: Khurd, Kalan, Mhow …) and the names table (Subhash Nagar), else split at
the longest known ending; the stem is a name when the names table knows it (Ashok|nagar,
Nar|singh|pur), else spelt by the name rules (:mod:`.to_devanagari`) in their place mode (no
conjunct after r or before w inside a word: Khargone खरगोन, Khandwa खंडवा, not खर्गोन, खंद्वा).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from kiosk.translit.to_devanagari import word_to_devanagari

#: Endings with their fixed Hindi, longest first when matched. A value starting with a vowel
#: sign attaches to the stem's last consonant (Fatehabad → फतेहाबाद).
ENDINGS: dict[str, str] = {
    "garh": "गढ़", "gadh": "गढ़", "pur": "पुर", "pura": "पुरा", "puri": "पुरी",
    "puram": "पुरम", "nagar": "नगर", "nagari": "नगरी", "ganj": "गंज", "gunj": "गंज",
    "kheda": "खेड़ा", "khera": "खेड़ा", "khedi": "खेड़ी", "kheri": "खेड़ी", "khed": "खेड़",
    "abad": "ाबाद", "wara": "वाड़ा", "wada": "वाड़ा", "vara": "वाड़ा", "vada": "वाड़ा",
    "wari": "वाड़ी", "wadi": "वाड़ी", "vari": "वाड़ी", "vadi": "वाड़ी",
    "iya": "िया", "ia": "िया", "ua": "ुआ", "ghat": "घाट", "kot": "कोट", "dehi": "देही",
    "gaon": "गांव", "gawan": "गवां", "ganw": "गांव", "khand": "खंड", "kund": "कुंड",
    "tal": "ताल", "sar": "सर", "mau": "मऊ", "bad": "बाद", "oli": "ोली", "ori": "ोरी",
    "ai": "ई", "wani": "वानी", "vani": "वानी", "tola": "टोला", "pali": "पाली",
    "patan": "पाटन", "dih": "डीह",
}
_BY_LENGTH = sorted(ENDINGS, key=len, reverse=True)
#: Endings before which a one-syllable stem's a stays short (Dat|ia दतिया, Majh|oli मझौली;
#: but Jhab|ua झाबुआ, Ram|garh रामगढ़).
_SHORT_BEFORE = frozenset({"ia", "iya", "oli", "ori"})
#: The stem must keep this many letters (Sar|ni, not S|ar).
MIN_STEM = 2
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_C = "[bcdfghjklmnpqrstvwxz]"


@lru_cache(maxsize=1)
def place_table() -> dict[str, str]:
    """``places.tsv``: lower-case English word → Devanagari (well-known exceptions)."""
    table: dict[str, str] = {}
    text = resources.files("kiosk.translit").joinpath("places.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hindi, _, english = line.partition("\t")
        for spelling in (s.strip().lower() for s in english.split(",")):
            if spelling:
                table.setdefault(spelling, unicodedata.normalize("NFC", hindi.strip()))
    return table


def _stem(stem: str, long_a: bool = True) -> str:
    """The part before an ending: a personal name when it is one (Ashok|nagar, Gopal|ganj,
    Nar|singh|pur: the names table, split the way names are), else the rules. A one-syllable
    stem keeps the name rule's long a (Ram|garh रामगढ़, Lal|pur लालपुर), except before
    ``_SHORT_BEFORE``; longer stems are first parts of compounds (Tikam|garh)."""
    from kiosk.translit import MIN_PART_LATIN, _convert
    from kiosk.translit.names import table

    one = long_a and len(re.findall(r"[aeiouy]+", stem)) == 1
    return _convert(stem, table().to_devanagari,
                    lambda w, whole: word_to_devanagari(w, whole=whole and one, place="stem"),
                    MIN_PART_LATIN, one)


@lru_cache(maxsize=8192)
def place_word(word: str, *, use_table: bool = True) -> str:
    """One place word (letters only) in Devanagari. Cached: a district's few hundred offices
    repeat their words (Khurd, Kalan, -pur …), and the Hindi village index is built on the GUI
    thread when a Hindi village answer is first looked up."""
    w = word.lower()
    if use_table and w in place_table():
        return place_table()[w]
    # the English silent e after o + consonant: Sehore, Indore, Khargone
    if re.search(r"o[bcdfghjklmnpqrstvwxz]e$", w) and len(w) > 4:
        w = w[:-1]
    # eo before a consonant is ेव (Deori देवरी)
    w = re.sub(f"eo(?={_C})", "ev", w)
    # CaCaC (Sagar, Jawar, Patan): English writes the first, long a short
    m = re.fullmatch(f"({_C}+)a({_C}h?)a({_C})", w)
    if m and not any(w.endswith(e) for e in _BY_LENGTH):
        return word_to_devanagari(m.group(1) + "aa" + m.group(2) + "a" + m.group(3),
                                  place="word")
    for ending in _BY_LENGTH:
        stem = w[:-len(ending)]
        if not w.endswith(ending) or len(stem) < MIN_STEM:
            continue
        hindi = ENDINGS[ending]
        if hindi[0] in "ािीुूेैोौ":          # a vowel sign: the stem must end in a consonant
            if stem[-1] in "aeiouy":
                continue
        return _stem(stem, long_a=ending not in _SHORT_BEFORE) + hindi
    from kiosk.translit.names import table

    if w in table().to_devanagari:           # Subhash Nagar, Shanti Nagar: named for people
        return table().to_devanagari[w]
    # a closing -al, -as, -am after another syllable is long (Bhopal, Dewas, Ratlam)
    m = re.fullmatch(f"(.*[aeiou]{_C}+)a([lsm])", w)
    if m:
        w = m.group(1) + "aa" + m.group(2)
    return word_to_devanagari(w, place="word")


def to_hindi_place(text: str, *, use_table: bool = True) -> str:
    """An English-spelt place name (a village, a tehsil) in Devanagari."""
    return unicodedata.normalize("NFC", _LATIN_WORD.sub(
        lambda m: place_word(m.group(0), use_table=use_table), text))


__all__ = ["ENDINGS", "place_table", "place_word", "to_hindi_place"]
