"""Reading an amount of rupees that a person typed: one rule for every counter screen and CLI.

The cash panel, the day-end count and ``kiosk payment`` all take amounts from operators, who type
``1,250.50``, ``₹ 1250``, ``Rs.20`` or Devanagari digits (``१२५०``) depending on the keyboard in
front of them. Babel parses locale numbers but not currency marks or mixed scripts, and it would
accept exponents (``1e3``); a person never means those, so the small grammar is written here.
"""

from __future__ import annotations

import re
from decimal import Decimal

_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_AMOUNT = re.compile(r"\d+(\.\d{1,2})?")


def rupees_to_paise(text: str, max_paise: int) -> int | None:
    """``"1,250.50"`` / ``"₹ 1250"`` / ``"Rs.20"`` / ``"१२५०"`` → paise; None when it is not an
    amount of at most ``max_paise`` (negative, more than two decimals, words, exponents)."""
    clean = text.translate(_DEVANAGARI_DIGITS).replace("₹", "").replace(",", "")
    clean = clean.replace(" ", "").replace("\u00a0", "").strip()
    if clean.lower().startswith("rs"):
        clean = clean[2:].lstrip(".")
    if not _AMOUNT.fullmatch(clean):
        return None
    paise = int(Decimal(clean) * 100)  # exact: the pattern allows two decimals at most
    return paise if paise <= max_paise else None


__all__ = ["rupees_to_paise"]
