"""How one catalogue field is typed, cleaned and shown on the wizard's pages (pure Python).

Kept apart from the wizard's state so the rules a citizen meets field by field (which keyboard
opens, what "15081985" means in a date box, how a review row masks the Aadhaar) read in one
place and are testable without a QML engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from kiosk.catalogue import FieldDef, Service
from kiosk.i18n import ngettext
from kiosk.i18n.formatting import format_money
from kiosk.validation import mask_aadhaar, normalise, validate_field

KEYBOARD_LOCALES = {"hi": "hi_IN", "en": "en_US"}

_DATE_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
#: Room for spaces or a country code in the text box; validation judges the digits.
_MAX_LENGTHS = {"mobile": 14, "aadhaar": 14, "pin": 7, "date": 10}
#: A "number" whose largest answer is at most this is a small count (family members, copies):
#: shown as tiles up to 9 and "10+", one tap for nearly every citizen instead of box + digit.
COUNT_TILES_MAX = 50
_LAST_TILE = 9


def count_tiles(f: FieldDef) -> list[int]:
    """The numbers offered as tiles for a small count (``[]``: an ordinary box). A count
    that can go past 9 also gets "10+", which opens the digits box."""
    if f.kind != "number" or f.minimum is None or f.maximum is None:
        return []
    if f.minimum < 0 or f.maximum > COUNT_TILES_MAX or f.minimum != int(f.minimum):
        return []
    return list(range(int(f.minimum), int(min(f.maximum, _LAST_TILE)) + 1))


def field_keyboard(f: FieldDef, lang: str) -> str:
    """``hi``/``en``/``digits``: a free-script text field follows the citizen's language."""
    if f.kind == "text" and f.script == "any":
        return lang
    return f.keyboard


def field_input(f: FieldDef) -> str:
    """What the text box accepts: ``text``, ``digits`` (0-9) or ``number`` (with . and -)."""
    if f.kind in ("date", "decimal"):
        return "number"
    if f.kind == "text" and f.script != "digits":
        return "text"
    return "digits"


def clean_raw(f: FieldDef, raw: str) -> str:
    """The answer as validation should see it: a date typed as 8 digits gets its dashes."""
    if f.kind == "date":
        text = normalise(raw)
        m = _DATE_DIGITS.match(text)
        if m:
            return f"{m[1]}-{m[2]}-{m[3]}"
        return text
    return raw


def clean_answers(fields: Mapping[str, FieldDef], answers: Mapping[str, str]) -> dict[str, str]:
    """The answers to this service's fields, as validation should see them."""
    return {k: clean_raw(fields[k], v) for k, v in answers.items() if k in fields}


def valid_values(fields: Mapping[str, FieldDef], answers: Mapping[str, str],
                 today: date) -> dict[str, Any]:
    """Validated values where they are valid (fee rules read numbers and dates before the
    form is complete)."""
    out: dict[str, Any] = {}
    for key, f in fields.items():
        if key in answers:
            value, err = validate_field(f, clean_raw(f, answers[key]), today)
            if err is None and value is not None:
                out[key] = value
    return out


def display_value(f: FieldDef, raw: str, lang: str) -> str:
    """An answer as the review page shows it (choice label, masked Aadhaar, ₹)."""
    text = normalise(clean_raw(f, raw))
    if not text:
        return "—"
    if f.kind == "choice":
        opt = f.option(text)
        return opt.label.get(lang) if opt else text
    if f.kind == "aadhaar":
        digits = re.sub(r"\D", "", text)
        return mask_aadhaar(digits[-4:]) if len(digits) >= 4 else "—"
    if f.kind == "money" and text.replace(",", "").isdigit():
        return format_money(int(text.replace(",", "")), lang)
    return text


def field_row(f: FieldDef, lang: str, value: str) -> dict[str, Any]:
    """One field as the form page's QML binds it."""
    keyboard = field_keyboard(f, lang)
    return {
        "key": f.key, "kind": f.kind, "label": f.label.get(lang),
        "help": f.help.get(lang) if f.help else "", "required": f.required,
        "input": field_input(f), "keyboard": keyboard,
        "locale": KEYBOARD_LOCALES.get(keyboard, ""),
        "maxLength": _MAX_LENGTHS.get(f.kind, f.max_length),
        "options": [{"key": f.key, "value": o.value, "label": o.label.get(lang)}
                    for o in f.options],
        "value": value,
        "places": f.places,
        # The on-screen keyboard: a name gets name chips; a fixed script no language key.
        "isName": f.is_name, "script": f.script,
        # A small count as tiles (FormCountTiles.qml); "tilesMore": a "10+" tile opens the box.
        "tiles": count_tiles(f),
        "tilesMore": bool(count_tiles(f)) and (f.maximum or 0) > _LAST_TILE,
        # A label that follows another answer (the relative's, by the relation chosen): the
        # form picks from these as the answer changes, without rebuilding the fields.
        "labelFrom": f.label_from,
        "labels": {v: text.get(lang) for v, text in f.labels},
    }


def days_text(service: Service, lang: str) -> str:
    """A same-day service (Samadhan Ek Din) is same-day only inside its window: next to the
    "Same day" badge its working days are "otherwise …", never a bare contradiction."""
    if service.same_day:
        return ngettext("otherwise {n} working day", "otherwise {n} working days",
                        service.days, lang).format(n=service.days)
    return ngettext("{n} working day", "{n} working days", service.days, lang).format(
        n=service.days)


__all__ = ["COUNT_TILES_MAX", "KEYBOARD_LOCALES", "clean_answers", "clean_raw", "count_tiles",
           "days_text", "display_value",
           "field_input", "field_keyboard", "field_row", "valid_values"]
