"""Validation of form answers, one field at a time, with a bilingual sentence per problem.

The UI and ``kiosk application submit`` call the same functions, so a data file is judged
exactly like a citizen's touches. Identity numbers use well-kept libraries rather than local
arithmetic: python-stdnum for Aadhaar (Verhoeff check, first digit 2–9, no palindromes) and
phonenumbers for mobiles (it also knows landlines, hence the extra MOBILE type check).
Every value is normalised first (Unicode NFC, Devanagari digits to ASCII, spaces collapsed),
because a citizen typing on a Hindi keyboard produces ४५६००१ for a PIN code.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.in_ import aadhaar as stdnum_aadhaar

from kiosk.catalogue.model import FieldDef
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_number

MSG_REQUIRED = N_("Please fill this in.")
MSG_CHOOSE = N_("Please choose one of the options.")
MSG_TOO_LONG = N_("This is too long: at most {max} characters.")
MSG_CONTROL = N_("Please remove the special characters (such as < > ; {{ }}) from this answer.")
MSG_DEVA = N_("Please type this in Hindi (Devanagari letters).")
MSG_LATIN = N_("Please type this in English letters.")
MSG_DIGITS_ONLY = N_("Please type digits only.")
MSG_NAME_CHARS = N_("A name may contain only letters, spaces, dots and hyphens.")
MSG_FORMAT = N_("This does not look right. Please check it against your document.")
MSG_NUMBER = N_("Please enter a whole number.")
MSG_DECIMAL = N_("Please enter a number, for example 2.5.")
MSG_RANGE = N_("Please enter a number from {min} to {max}.")
MSG_AADHAAR_LEN = N_("An Aadhaar number has 12 digits.")
MSG_AADHAAR_BAD = N_("This Aadhaar number is not valid. Please check the digits.")
MSG_MOBILE = N_("A mobile number has 10 digits and starts with 6, 7, 8 or 9.")
MSG_PIN = N_("A PIN code has 6 digits and does not start with 0.")
MSG_PIN_AREA = N_("This PIN code is not in the area this service covers ({area}).")
MSG_DATE = N_("Please enter the date as day-month-year, for example 15-08-1985.")
MSG_DATE_FUTURE = N_("This date cannot be in the future.")
#: The format is right but the day is not in the calendar (31-02-1985): say what is wrong.
MSG_DATE_MONTH = N_("There is no month {month}: the month is 1 to 12.")
MSG_DATE_DAY = N_("This month has only {days} days in {year}. Please check the day.")
MSG_DATE_OLD = N_("This date is too far in the past.")
MSG_MIN_AGE = N_("The applicant must be at least {years} years old for this service.")

_DEVA_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
#: Characters a free-text answer (an address, a caste name) may hold besides letters and digits.
_TEXT_PUNCT = set(" .,-/()'&:#")
#: ...and a person's name.
_NAME_PUNCT = set(" .-'")
#: Zero-width (non-)joiners are format characters that Devanagari spelling legitimately uses.
_JOINERS = {"\u200c", "\u200d"}
_DATE_DMY = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_RAW_LENGTH = 2000


@dataclass(frozen=True)
class FieldError:
    """One problem with one answer: a msgid and its parameters, rendered per language."""

    key: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        params = {k: format_number(v, lang) if isinstance(v, int | float) else v
                  for k, v in self.params.items()}
        return translate(self.msgid, lang).format(**params)

    def bilingual(self) -> str:
        hi, en = self.message("hi"), self.message("en")
        return hi if hi == en else f"{hi} / {en}"


def normalise(raw: Any) -> str:
    """NFC, Devanagari digits → ASCII, runs of white space → one space, trimmed."""
    text = "" if raw is None else str(raw)
    text = unicodedata.normalize("NFC", text).translate(_DEVA_DIGITS)
    return " ".join(text.split())


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f" or "\ua8e0" <= ch <= "\ua8ff"


def _bad_chars(text: str, allowed_punct: set[str]) -> bool:
    for ch in text:
        if ch in _JOINERS or ch in allowed_punct or ch.isdigit():
            continue
        cat = unicodedata.category(ch)
        if cat[0] in "LM":
            continue
        return True
    return False


def _check_text(f: FieldDef, text: str) -> FieldError | None:
    if len(text) > f.max_length:
        return FieldError(f.key, MSG_TOO_LONG, {"max": f.max_length})
    if f.script == "digits":
        if not text.isascii() or not text.isdigit():
            return FieldError(f.key, MSG_DIGITS_ONLY)
    elif _bad_chars(text, _NAME_PUNCT if f.is_name else _TEXT_PUNCT):
        return FieldError(f.key, MSG_NAME_CHARS if f.is_name else MSG_CONTROL)
    elif f.is_name and any(ch.isdigit() for ch in text):
        return FieldError(f.key, MSG_NAME_CHARS)
    letters = [ch for ch in text if unicodedata.category(ch)[0] in "LM"]
    if f.script == "deva" and (not letters or not all(_is_devanagari(ch) for ch in letters)):
        return FieldError(f.key, MSG_DEVA)
    if f.script == "latin" and not all(ch.isascii() for ch in letters):
        return FieldError(f.key, MSG_LATIN)
    if f.pattern and not re.fullmatch(f.pattern, text):
        return FieldError(f.key, MSG_FORMAT)
    return None


def _range_error(f: FieldDef, value: float) -> FieldError | None:
    lo, hi = f.minimum, f.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        def show(v: float | None) -> float | int | str:
            if v is None:
                return "∞"
            return int(v) if float(v).is_integer() else v
        return FieldError(f.key, MSG_RANGE, {"min": show(lo), "max": show(hi)})
    return None


def parse_date(text: str) -> date | None:
    """DD-MM-YYYY (also / or . separated) or ISO YYYY-MM-DD; None when it is not a real date."""
    m = _DATE_DMY.match(text)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _DATE_ISO.match(text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None


def validate_field(f: FieldDef, raw: Any, today: date) -> tuple[Any, FieldError | None]:
    """Normalise and check one answer. Returns (clean value or None, error or None).

    The clean value is what gets stored: a str, int, Decimal-as-str or ISO date.
    """
    if raw is not None and not isinstance(raw, str | int | float) or isinstance(raw, bool):
        return None, FieldError(f.key, MSG_FORMAT)
    if isinstance(raw, str) and len(raw) > MAX_RAW_LENGTH:
        return None, FieldError(f.key, MSG_TOO_LONG, {"max": f.max_length})
    if isinstance(raw, str) and any(unicodedata.category(ch) == "Cc" for ch in raw):
        return None, FieldError(f.key, MSG_CONTROL)
    text = normalise(raw)
    if not text:
        return None, (FieldError(f.key, MSG_CHOOSE if f.kind == "choice" else MSG_REQUIRED)
                      if f.required else None)
    if any(unicodedata.category(ch) in ("Cf", "Co", "Cs", "Cn") and ch not in _JOINERS
           for ch in text):
        return None, FieldError(f.key, MSG_CONTROL)
    return _KIND_CHECKS[f.kind](f, text, today)


def _text_value(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    err = _check_text(f, text)
    return (None, err) if err else (text, None)


def _choice(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    return (text, None) if f.option(text) else (None, FieldError(f.key, MSG_CHOOSE))


def _integer(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    cleaned = text.replace(",", "").replace(" ", "")
    if f.kind == "money" and cleaned.startswith("₹"):
        cleaned = cleaned[1:]
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 12:
        return None, FieldError(f.key, MSG_NUMBER)
    value = int(cleaned)
    err = _range_error(f, value)
    return (None, err) if err else (value, None)


def _decimal(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None, FieldError(f.key, MSG_DECIMAL)
    if not value.is_finite() or len(text) > 15:
        return None, FieldError(f.key, MSG_DECIMAL)
    err = _range_error(f, float(value))
    return (None, err) if err else (str(value.normalize()) if value else "0", None)


def _impossible_date(f: FieldDef, text: str) -> FieldError | None:
    """For a date written the right way that is not a real date, the error that says why."""
    m = _DATE_DMY.match(text)
    if not m:
        return None
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return FieldError(f.key, MSG_DATE_MONTH, {"month": month})
    if year >= 1 and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return FieldError(f.key, MSG_DATE_DAY,
                          {"days": calendar.monthrange(year, month)[1], "year": str(year)})
    return None


def _date(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    d = parse_date(text)
    if d is None:
        return None, _impossible_date(f, text) or FieldError(f.key, MSG_DATE)
    if f.past_only and d > today:
        return None, FieldError(f.key, MSG_DATE_FUTURE)
    if d.year < today.year - 130:
        return None, FieldError(f.key, MSG_DATE_OLD)
    return d.isoformat(), None


def _aadhaar(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    digits = text.replace(" ", "").replace("-", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 12:
        return None, FieldError(f.key, MSG_AADHAAR_LEN)
    try:
        return stdnum_aadhaar.validate(digits), None
    except StdnumError:
        return None, FieldError(f.key, MSG_AADHAAR_BAD)


def mobile_digits(text: str) -> str | None:
    """The 10-digit Indian mobile number in ``text`` (``+91``/``91``/``0`` stripped), or None."""
    compact = re.sub(r"[\s()-]", "", normalise(text))
    if not compact or not re.fullmatch(r"\+?[0-9]{10,13}", compact):
        return None
    if len(compact) == 11 and compact.startswith("0"):
        compact = compact[1:]
    try:
        number = phonenumbers.parse(compact, "IN")
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    if (number.country_code != 91 or len(national) != 10 or national[0] not in "6789"
            or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in (
                phonenumbers.PhoneNumberType.MOBILE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)):
        return None
    return national


def _mobile(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    national = mobile_digits(text)
    return (national, None) if national else (None, FieldError(f.key, MSG_MOBILE))


def _pin(f: FieldDef, text: str, today: date) -> tuple[Any, FieldError | None]:
    digits = text.replace(" ", "")
    if not re.fullmatch(r"[1-9][0-9]{5}", digits):
        return None, FieldError(f.key, MSG_PIN)
    if f.prefixes and not digits.startswith(f.prefixes):
        return None, FieldError(f.key, MSG_PIN_AREA, {"area": ", ".join(
            p + "xxxx"[: 6 - len(p)] for p in f.prefixes)})
    return digits, None


_KIND_CHECKS = {"text": _text_value, "choice": _choice, "number": _integer, "money": _integer,
                "decimal": _decimal, "date": _date, "aadhaar": _aadhaar, "mobile": _mobile,
                "pin": _pin}


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate_answers(fields: tuple[FieldDef, ...], answers: Mapping[str, Any], today: date,
                     min_age: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """Check every field; return the clean values and every problem (not just the first).

    Unknown keys are ignored (a data file may carry comments); the caller never stores
    anything when the error list is not empty.
    """
    clean: dict[str, Any] = {}
    errors: list[FieldError] = []
    for f in fields:
        value, err = validate_field(f, answers.get(f.key), today)
        if err is not None:
            errors.append(err)
        elif value is not None:
            clean[f.key] = value
    dob = clean.get("dob")
    if min_age and isinstance(dob, str) and age_on(date.fromisoformat(dob), today) < min_age:
        errors.append(FieldError("dob", MSG_MIN_AGE, {"years": min_age}))
    return clean, errors


def mask_aadhaar(last4: str) -> str:
    """How an Aadhaar number is shown and printed: only its last four digits."""
    return f"XXXX XXXX {last4}"
