"""Name chips on the keyboard: complete the word being typed, then suggest the next one.

Why: a name is most of what a citizen types on the form, and most names are common ones.
"Kamal Singh" by letters is 11 presses; with chips it is K a m [Kamal] [Singh], 5. The words
come from the names table the transliteration already uses (``names.tsv``: given names and
surnames in both scripts, without the compound-name *parts* below its "Parts" line), so a
chip is always a spelling the Hindi/English suggestion also knows.

Ranking (the table carries no counts):

- **Surnames** — the first four follow Forebears' count of India's most common surnames
  (forebears.io, "Most common last names in India": Devi, Singh, Kumar, Das); the ones after
  them are ordered by hand for Madhya Pradesh (Yadav, Patel, Sharma, Kumari, Bai, …), the
  rest of the table's surnames in table order.
- **Given names** — a short list of the most common ones put first by hand (Ram, Sunita,
  Kamal, …); then shorter names before longer ones (a short name is the start of longer ones:
  the citizen who typed "Ram" is as likely to want "Ram" as "Ramesh"), then table order.
- The word being typed: as the **first word** of the field given names come first; as a
  **later word** the family's surname (below), then surnames, then given names.
- After a space: the **next word** — the family's surname first, then surnames, never a word
  already in the field.

*The family* is the surname already typed in the form's other name fields (the applicant's own
name when typing a relative's, the Hindi twin when typing the English name), passed in by the
caller from the answers of this one form: nothing is kept here, so nothing outlives a citizen.

Pure Python, no Qt: ``Keyboard`` (kiosk/ui/viewmodels/keyboard.py) hands the list to QML.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from kiosk.translit import to_english, to_hindi
from kiosk.translit.compose import Edit
from kiosk.translit.names import parse, table

Script = Literal["latin", "deva"]

#: Forebears' top four for India, then Madhya Pradesh's common surnames and second words by
#: hand (English spellings as the table has them).
SURNAME_RANK: tuple[str, ...] = (
    "Devi", "Singh", "Kumar", "Das",
    "Yadav", "Patel", "Sharma", "Kumari", "Bai", "Lal", "Prasad", "Sahu", "Ahirwar",
    "Kushwaha", "Lodhi", "Verma", "Jain", "Gupta", "Meena", "Prajapati", "Khan", "Thakur",
    "Mishra", "Tiwari", "Rathore", "Chauhan", "Pandey", "Vishwakarma", "Soni", "Rai",
)
#: Words that follow a given name whatever the family (Sunita *Devi*, Ram *Kumar*): they rank
#: as surnames although the table lists some of them among given names or parts.
SECOND_WORDS = frozenset(("Devi", "Kumar", "Kumari", "Bai", "Lal", "Prasad", "Das"))
#: The most common given names first, by hand (the project's developers, from MP usage).
GIVEN_RANK: tuple[str, ...] = (
    "Ram", "Sunita", "Kamal", "Rajesh", "Ramesh", "Suresh", "Geeta", "Sita", "Rekha", "Anita",
    "Mukesh", "Mahesh", "Dinesh", "Rakesh", "Savita", "Usha", "Kamla", "Manju", "Mamta",
    "Anil", "Sunil", "Vijay", "Sanjay", "Ajay", "Ashok", "Manoj", "Rahul", "Pooja", "Rani",
    "Laxmi", "Radha", "Mohan", "Shyam", "Gopal", "Ravi", "Deepak", "Amit", "Santosh",
)
#: How many chips the caller asks for by default (one row of a portrait keyboard).
LIMIT = 5


@dataclass(frozen=True)
class Word:
    """One suggestable word: how it is spelt in each script and where it ranks."""

    latin: tuple[str, ...]         # English spellings, the suggested one first
    deva: str
    surname: bool
    rank: tuple[int, int, int]     # smaller is more common


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Word, ...]:
    """The names table's given names and surnames (not the compound-name parts), ranked."""
    text = resources.files("kiosk.translit").joinpath("names.tsv").read_text(encoding="utf-8")
    head, _, _parts = text.partition("\n# Parts")
    names = parse(head)
    english = {hi: [s for s, h in names.to_devanagari.items() if h == hi]
               for hi in names.to_latin}
    everything = table().to_devanagari            # second words that sit among the parts
    surnames_from = "Sharma"                      # the table's surnames start here
    seen_surnames = False
    words: list[Word] = []
    for order, (hi, first) in enumerate(names.to_latin.items()):
        seen_surnames = seen_surnames or first == surnames_from
        spellings = (first, *(s.capitalize() for s in english[hi] if s != first.lower()))
        words.append(_word(spellings, hi, seen_surnames or first in SECOND_WORDS, order))
    for extra in sorted(SECOND_WORDS - {w.latin[0] for w in words}):
        words.append(_word((extra,), everything[extra.lower()], True, len(words)))
    return tuple(words)


def _word(spellings: Sequence[str], deva: str, surname: bool, order: int) -> Word:
    first = spellings[0]
    if surname:
        rank = SURNAME_RANK.index(first) if first in SURNAME_RANK else len(SURNAME_RANK)
        return Word(tuple(spellings), deva, True, (rank, 0, order))
    rank = GIVEN_RANK.index(first) if first in GIVEN_RANK else len(GIVEN_RANK)
    return Word(tuple(spellings), deva, False, (rank, len(first), order))


def _fold(text: str, script: Script) -> str:
    return text.casefold() if script == "latin" else unicodedata.normalize("NFC", text)


def _is_letter(ch: str, script: Script) -> bool:
    if script == "latin":
        return ch.isascii() and ch.isalpha()
    return "\u0900" <= ch <= "\u097f"


def split_word(before: str, script: Script) -> tuple[str, str]:
    """``before`` as (everything up to the word being typed, that word)."""
    end = len(before)
    start = end
    while start > 0 and _is_letter(before[start - 1], script):
        start -= 1
    return before[:start], before[start:]


def _spellings(word: Word, script: Script) -> tuple[str, ...]:
    return word.latin if script == "latin" else (word.deva,)


def family_words(names: Iterable[str], script: Script) -> list[str]:
    """The surname (last word of a name of two words or more) of each name typed elsewhere in
    the form, in ``script``: a Devanagari surname is written the way the table (or the
    transliteration rules) spell it in English, and the other way round."""
    out: list[str] = []
    for name in names:
        parts = name.split()
        if len(parts) < 2:
            continue
        last = parts[-1]
        is_deva = any("\u0900" <= ch <= "\u097f" for ch in last)
        if script == "latin":
            last = to_english(last) if is_deva else last[:1].upper() + last[1:].lower()
        else:
            last = last if is_deva else to_hindi(last)
        last = last.strip()
        if last and all(_is_letter(ch, script) for ch in last) and last not in out:
            out.append(last)
    return out


def suggestions(before: str, script: Script, family: Sequence[str] = (),
                limit: int = LIMIT) -> list[str]:
    """The chips to show when ``before`` is the text before the cursor of a name field.

    ``family`` are surnames from the form's other name fields (:func:`family_words`), already
    in ``script``. Empty for an empty field: before the first letter there is nothing to rank.
    """
    head, typed = split_word(before, script)
    if limit <= 0 or (not typed and not head.strip()):
        return []
    if head and not head[-1].isspace() and not typed:
        return []                              # after a mark ("Ward 5,"): not a name word
    later = bool(head.strip())
    already = {_fold(w, script) for w in head.split()}
    want = _fold(typed, script)
    ranked: list[tuple[tuple[int, ...], str]] = []
    for i, surname in enumerate(family):
        if later and _fold(surname, script).startswith(want) \
                and _fold(surname, script) not in already:
            ranked.append(((0, i), surname))
    for word in vocabulary():
        if not typed and not word.surname:
            continue                           # the next word is a family name
        group = 1 if word.surname == later else 2
        for n, spelling in enumerate(_spellings(word, script)):
            folded = _fold(spelling, script)
            if folded.startswith(want) and folded not in already:
                ranked.append(((group, n, *word.rank), spelling))
    out: list[str] = []
    for _, spelling in sorted(ranked):
        if _fold(spelling, script) not in {_fold(s, script) for s in out}:
            out.append(spelling)
        if len(out) == limit:
            break
    return out


def take(before: str, word: str, script: Script) -> Edit:
    """A chip tapped: the word being typed becomes ``word``, followed by a space."""
    _head, typed = split_word(before, script)
    return Edit(len(typed), word + " ")


__all__ = ["GIVEN_RANK", "LIMIT", "SECOND_WORDS", "SURNAME_RANK", "Script", "Word",
           "family_words", "split_word", "suggestions", "take", "vocabulary"]
