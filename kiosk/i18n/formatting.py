"""Numbers, money, dates and times the way an Indian reader expects them (Babel/CLDR).

Indian grouping (12,34,567) and ₹ placement differ from Western defaults, and Hindi month names
must be real Hindi; CLDR data through Babel gets all of that right without hand-written rules.
Digits stay Latin (CLDR's default for hi_IN and what citizens see on every government slip).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from babel.dates import format_date as _fd
from babel.dates import format_time as _ft
from babel.numbers import format_currency, format_decimal

_LOCALES = {"hi": "hi_IN", "en": "en_IN"}


def babel_locale(lang: str) -> str:
    return _LOCALES.get(lang, "en_IN")


def format_number(value: float, lang: str) -> str:
    return format_decimal(value, locale=babel_locale(lang))


def format_money(amount: float, lang: str) -> str:
    """₹ with Indian grouping and two decimals: ``₹12,34,567.50``."""
    return format_currency(amount, "INR", locale=babel_locale(lang))


def format_date(value: date | datetime, lang: str, style: str = "long") -> str:
    """``22 नवंबर 2026`` / ``22 November 2026``."""
    return _fd(value, format=style, locale=babel_locale(lang))


def format_time(value: time | datetime, lang: str) -> str:
    """Short time: ``7:43 pm`` in English, ``7:43 pm`` style per CLDR in Hindi."""
    return _ft(value, format="short", locale=babel_locale(lang))


def format_paise(paise: int, lang: str) -> str:
    """An amount kept in integer paise, shown in rupees: ``₹1,234.50``."""
    return format_currency(Decimal(paise) / 100, "INR", locale=babel_locale(lang))


def format_paise_for_paper(paise: int, lang: str) -> str:
    """An amount for a thermal printout: ``₹`` in Hindi (that line is a raster anyway), ``Rs``
    in English, because no printer code page has ``₹`` and one glyph would turn a cheap native
    text line into a raster image."""
    text = format_paise(paise, lang)
    return text if lang == "hi" else text.replace("₹", "Rs ")
