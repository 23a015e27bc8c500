"""Where the form's focus goes next, and when an answer is finished (pure Python).

Why: every tap on a text box is a press a first-time citizen must think of; the kiosk can take
them there itself when it is plain where they go next (the step opens on its first empty box,
a choice or a complete mobile number leads to the next empty box). It must never answer for
them and never pull the focus away from a box they put it in, so the rules are narrow and kept
here, apart from the wizard's state and testable without a QML engine:

- a *box* is a text box the citizen types in: not a choice, not a count shown as tiles, and
  not a district/tehsil while its tiles are on offer (tapping one is the easier answer);
- on a step's opening the focus goes to its first empty *required* field if that is a box (in
  an English session the English name before the Hindi one, which is then suggested from it);
  an empty choice or tile list first means no focus: the keyboard would cover what to tap;
- after an answer is finished, the next empty box after it, passing over choices and counts
  (their buttons stay in sight above the box); an empty place list with tiles stops the search;
- a date, mobile number, PIN or Aadhaar is finished when it has all its digits *and* is valid:
  a wrong one keeps the focus where the citizen can correct it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from kiosk.catalogue import FieldDef
from kiosk.ui.viewmodels.fields import clean_raw, count_tiles
from kiosk.validation import normalise, validate_field

#: Digits a complete answer of these kinds has (a date as DD MM YYYY without its dashes).
FULL_DIGITS = {"date": 8, "mobile": 10, "pin": 6, "aadhaar": 12}
_SCRIPT = {"hi": "deva", "en": "latin"}

#: field key → True while that field offers tiles to tap (the wizard's place lists).
HasTiles = Callable[[FieldDef], bool]


def _empty(answers: Mapping[str, str], f: FieldDef) -> bool:
    return not normalise(answers.get(f.key, ""))


def is_box(f: FieldDef, has_tiles: HasTiles) -> bool:
    """A text box to type in (see the module's rules)."""
    if f.kind == "choice" or count_tiles(f):
        return False
    return not (f.places in ("district", "tehsil") and has_tiles(f))


def _own_script_name(fields: Sequence[FieldDef], f: FieldDef, answers: Mapping[str, str],
                     lang: str) -> FieldDef:
    """``f``, or the same name in the session's script when that one is still empty (an
    English session types "Kamal Singh" and takes the suggested "कमल सिंह" with one tap)."""
    own = _SCRIPT.get(lang, "")
    if not f.is_name or f.script == own or f.script not in _SCRIPT.values():
        return f
    partner = next((p for p in fields if p.is_name and p.script == own), None)
    return partner if partner is not None and _empty(answers, partner) else f


def first_box(fields: Sequence[FieldDef], answers: Mapping[str, str], lang: str,
              has_tiles: HasTiles) -> str:
    """The key of the box to focus when the step opens, or ``""`` for none."""
    first = next((f for f in fields if f.required and _empty(answers, f)), None)
    if first is None:
        return ""
    first = _own_script_name(fields, first, answers, lang)
    return first.key if is_box(first, has_tiles) else ""


def next_box(fields: Sequence[FieldDef], after: str, answers: Mapping[str, str],
             has_tiles: HasTiles) -> str:
    """The key of the next empty box after field ``after``, or ``""`` for none."""
    keys = [f.key for f in fields]
    if after not in keys:
        return ""
    for f in fields[keys.index(after) + 1:]:
        if not _empty(answers, f) or f.kind == "choice" or count_tiles(f):
            continue
        if f.places in ("district", "tehsil") and has_tiles(f):
            return ""          # tiles to tap come next: no keyboard over them
        return f.key
    return ""


def finished_typing(f: FieldDef, raw: str, today: date) -> bool:
    """A fixed-length answer with all its digits that validation accepts."""
    want = FULL_DIGITS.get(f.kind)
    if want is None:
        return False
    if len(re.sub(r"\D", "", normalise(raw))) != want:
        return False
    _value, error = validate_field(f, clean_raw(f, raw), today)
    return error is None


__all__ = ["FULL_DIGITS", "finished_typing", "first_box", "is_box", "next_box"]
