"""What one key of the on-screen Devanagari keyboard does to the text before the cursor.

Why a composer at all: Devanagari is written in syllables, but typed in code points. A vowel
after a consonant is written as its sign (matra): क + आ is "का" (U+0915 U+093E), never "कआ".
Qt Virtual Keyboard's ``hi_IN`` layout hides the matras behind a long press, so a first-time
citizen typing र, आ, म got "रआम". Here the citizen presses the letter they say, and the rules
below decide, from the character just before the cursor, whether the vowel is written as a
sign or stands alone:

- **Vowel after a consonant** (with or without nukta) → its matra: क + ई → "की". अ has no
  matra (every consonant already carries it), so अ after a consonant stays a letter of its own.
- **Vowel after a halant** (क्) → the halant gives way to the matra: क् + आ → "का", and
  क् + अ → "क" (the halant was cancelling the very अ now asked for).
- **Vowel anywhere else** (start of a word, after a vowel, a matra, ं ँ ः) → the independent
  letter: the first letter of "ईश्वर", the आ of "कआ" is not needed by names but "आई" is.
- **Halant** (्) only after a consonant: क + ् + ष → "क्ष"; elsewhere it would be a stray mark.
- **Nukta** (़) only right after a consonant that has none yet (ज + ़ → "ज़").
- **Anusvara, chandrabindu, visarga** (ं ँ ः) only after a letter or a matra, once.
- A key that makes no sense where the cursor is does nothing (it never writes a dotted circle).
- **Backspace** removes one code point: "का" ⌫ → "क", so a mistyped matra goes before its
  consonant.

The Latin page (:data:`LATIN_ROWS`) types what its keys show; only the case is decided here
(:func:`latin_capital`: a name's words start with a capital without a shift press).

The module is pure Python (no Qt): the keyboard's QML asks the ``Keyboard`` view-model, which
asks :func:`press`. The layouts the keyboard draws are here too (:data:`DEVANAGARI_ROWS`), so
the key a test taps and the rule it exercises come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

HALANT = "\u094d"
NUKTA = "\u093c"
ANUSVARA = "\u0902"
CHANDRABINDU = "\u0901"
VISARGA = "\u0903"
SPACE = " "
#: Independent vowel → its sign after a consonant ("" for अ: the consonant already has it).
MATRAS: dict[str, str] = {
    "अ": "", "आ": "\u093e", "इ": "\u093f", "ई": "\u0940", "उ": "\u0941", "ऊ": "\u0942",
    "ऋ": "\u0943", "ए": "\u0947", "ऐ": "\u0948", "ओ": "\u094b", "औ": "\u094c",
    "ऑ": "\u0949",
}
_MATRA_SIGNS = frozenset(m for m in MATRAS.values() if m)
#: Consonants that take a nukta in Hindi (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़).
NUKTA_BASES = frozenset("कखगजडढफय")
_MARKS = frozenset((ANUSVARA, CHANDRABINDU, VISARGA))


@dataclass(frozen=True)
class Edit:
    """Remove ``delete`` code points before the cursor, then insert ``insert`` there."""

    delete: int = 0
    insert: str = ""


NOTHING = Edit()


def is_consonant(ch: str) -> bool:
    """क…ह and the precomposed nukta letters क़…य़ (U+0958–U+095F)."""
    return "\u0915" <= ch <= "\u0939" or "\u0958" <= ch <= "\u095f"


def _after_consonant(before: str) -> bool:
    """The text ends in a consonant (a nukta on it included) with no vowel sign yet."""
    if not before:
        return False
    last = before[-1]
    if last == NUKTA:
        return len(before) > 1 and is_consonant(before[-2])
    return is_consonant(last)


def _takes_mark(before: str) -> bool:
    """ं ँ ः follow a letter, a nukta or a matra — not a space, a halant or another mark."""
    if not before:
        return False
    last = before[-1]
    return (_after_consonant(before) or last in _MATRA_SIGNS
            or "\u0904" <= last <= "\u0914")


def press(before: str, key: str) -> Edit:
    """The edit that pressing ``key`` makes when ``before`` is the text before the cursor.

    ``key`` is what the key is labelled with: a letter (independent vowel or consonant), a
    conjunct written out (क्ष), a sign (् ़ ं ँ ः), a space or a digit.
    """
    if key in MATRAS:
        if before.endswith(HALANT) and len(before) > 1 and _after_consonant(before[:-1]):
            return Edit(1, MATRAS[key])
        if _after_consonant(before) and MATRAS[key]:
            return Edit(0, MATRAS[key])
        return Edit(0, key)
    if key == HALANT:
        return Edit(0, HALANT) if _after_consonant(before) else NOTHING
    if key == NUKTA:
        return Edit(0, NUKTA) if before and before[-1] in NUKTA_BASES else NOTHING
    if key in _MARKS:
        return Edit(0, key) if _takes_mark(before) else NOTHING
    return Edit(0, key)


def backspace(before: str) -> Edit:
    """One code point back (a matra goes before its consonant; nothing to remove: nothing)."""
    return Edit(1, "") if before else NOTHING


def type_keys(keys: list[str] | tuple[str, ...], start: str = "") -> str:
    """The text pressing ``keys`` one after another gives (``"⌫"`` is backspace)."""
    text = start
    for key in keys:
        edit = backspace(text) if key == "⌫" else press(text, key)
        text = text[:len(text) - edit.delete] + edit.insert
    return text


def keys_for(text: str) -> list[str]:
    """The keys a citizen presses to type ``text``: each matra is its vowel's key, a consonant
    followed by a halant and then a vowel needs nothing special. The inverse of
    :func:`type_keys` for well-formed words (tests and drivers tap these)."""
    vowel_of = {sign: vowel for vowel, sign in MATRAS.items() if sign}
    keys: list[str] = []
    for i, ch in enumerate(text):
        if ch in vowel_of:
            keys.append(vowel_of[ch])
        elif ch in MATRAS and ch != "अ" and i > 0 and _after_consonant(text[:i]):
            raise ValueError(f"{text!r}: a vowel letter after a consonant cannot be typed "
                             "on this keyboard (it would become a matra)")
        else:
            keys.append(ch)
    return keys


# -- layouts ------------------------------------------------------------------------------
# Rows of key labels, in the order of the Hindi alphabet (वर्णमाला) a citizen learnt at
# school: vowels first, then the consonants by their place of articulation, five a row.

VOWEL_ROW = ("अ", "आ", "इ", "ई", "उ", "ऊ", "ऋ", "ए", "ऐ", "ओ", "औ")
CONSONANT_ROWS = (
    ("क", "ख", "ग", "घ", "ङ", "च", "छ", "ज", "झ", "ञ"),
    ("ट", "ठ", "ड", "ढ", "ण", "त", "थ", "द", "ध", "न"),
    ("प", "फ", "ब", "भ", "म", "य", "र", "ल", "व", "श"),
    ("ष", "स", "ह", "क्ष", "त्र", "ज्ञ", "श्र"),
)
SIGN_ROW = (HALANT, NUKTA, ANUSVARA, CHANDRABINDU, VISARGA)
DIGIT_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("0",))
#: The money pad's extra key: "85" then 000 is 85000 in three presses, not five (a shop's
#: card machine has the same key).
THOUSANDS = "000"
#: The shift key of the Latin page (drawn as an action key; it types nothing itself).
SHIFT = "\u21e7"
#: The Devanagari keyboard, portrait: vowels, four consonant rows (the last one also holds
#: the signs), then space / backspace / Enter (drawn by the keyboard itself).
DEVANAGARI_ROWS: tuple[tuple[str, ...], ...] = (
    VOWEL_ROW, *CONSONANT_ROWS[:3], CONSONANT_ROWS[3] + SIGN_ROW,
)


#: The Latin page (English names, application numbers, addresses): QWERTY rows under a digit
#: row, with the few marks an address needs (``-`` ``/`` ``,`` ``.``). Letters are named by
#: their small letter (``key_k``); what they type follows :func:`latin_capital` and shift.
LATIN_ROWS: tuple[tuple[str, ...], ...] = (
    ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-", "/"),
    ("q", "w", "e", "r", "t", "y", "u", "i", "o", "p"),
    ("a", "s", "d", "f", "g", "h", "j", "k", "l"),
    (SHIFT, "z", "x", "c", "v", "b", "n", "m", ",", "."),
)
#: How a Latin field takes capitals: ``words`` (a name: each word starts with one, so "kamal
#: singh" comes out "Kamal Singh"), ``all`` (an application number) or ``none``.
CAPS_MODES = ("words", "all", "none")


def latin_capital(before: str, caps: str) -> bool:
    """The next letter is a capital unless shift says otherwise: always for ``all``, at the
    start of the field or after a space (or a hyphen: "Kumar-Singh") for ``words``."""
    if caps == "all":
        return True
    if caps == "words":
        return before == "" or before[-1] in " -"
    return False


def key_name(label: str) -> str:
    """The objectName of a key: ``key_<label>`` (``key_क``, ``key_्``, ``key_क्ष``, ``key_7``);
    the keyboard's own keys are ``key_space``, ``key_backspace``, ``key_enter``,
    ``key_digits``, ``key_letters``, ``key_shift`` and ``key_language``. A Latin letter is
    named by its small letter whatever case it shows (``key_k`` types "K" or "k")."""
    if label == SPACE:
        return "key_space"
    if label == SHIFT:
        return "key_shift"
    return f"key_{label.lower()}" if label.isascii() and label.isalpha() else f"key_{label}"


__all__ = [
    "ANUSVARA", "CAPS_MODES", "CHANDRABINDU", "CONSONANT_ROWS", "DEVANAGARI_ROWS", "DIGIT_ROWS",
    "HALANT", "LATIN_ROWS", "MATRAS", "NOTHING", "NUKTA", "SHIFT", "SIGN_ROW", "SPACE",
    "THOUSANDS", "VISARGA", "VOWEL_ROW", "Edit", "backspace", "is_consonant", "key_name",
    "keys_for", "latin_capital", "press", "type_keys",
]
