"""Masks for personal data shown to someone who has not proven it is theirs.

Why here and not in the screens: the status screen (a stranger may have typed a guessed
number), the acknowledgement (a slip can be lost, photographed or reprinted) and any later
printout must mask the same way, so the rule lives in one core function each.

``mask_name`` keeps the first *letter as a reader sees it* of every word. In Devanagari that is
a grapheme cluster, not a code point: "सुनीता" starts with स + ु (सु), and "श्रीमती" with the
conjunct श + ् + र + ी (श्री). Python's standard library has no grapheme segmentation, so
:func:`first_cluster` implements the part of Unicode's extended grapheme cluster rules (UAX #29,
with the Indic conjunct rule GB9c) that Indian names need: a base character, then every
combining mark, joiner and virama-joined consonant that follows it.
"""

from __future__ import annotations

import unicodedata

VIRAMA = "\u094d"
_JOINERS = frozenset("\u200c\u200d")
MASK = "***"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def first_cluster(word: str) -> str:
    """The first user-perceived character of ``word`` (``""`` for an empty word)."""
    if not word:
        return ""
    end = 1
    while end < len(word):
        ch, prev = word[end], word[end - 1]
        if _is_mark(ch) or ch in _JOINERS:
            end += 1
        elif (prev == VIRAMA or (prev in _JOINERS and end >= 2 and word[end - 2] == VIRAMA)) \
                and unicodedata.category(ch) == "Lo":
            end += 1     # a conjunct: the consonant after a virama belongs to the same cluster
        else:
            break
    return word[:end]


def mask_name(name: str) -> str:
    """"सुनीता देवी" → "सु*** दे***"; "Sunita Devi" → "S*** D***" (every word, any length)."""
    return " ".join(first_cluster(word) + MASK for word in name.split())


def mask_mobile(mobile: str) -> str:
    """"9876543210" → "98XXXXXX10": the first two and last two digits, the rest X.

    Anything but 10 digits (after dropping spaces, ``+91`` or a leading 0) is masked whole.
    """
    digits = "".join(ch for ch in mobile if ch.isdigit())
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 10:
        return "X" * len(digits)
    return f"{digits[:2]}{'X' * 6}{digits[-2:]}"


def mobile_last4(mobile: str) -> str:
    """The last four digits of a stored mobile number ("" if it has fewer)."""
    digits = "".join(ch for ch in mobile if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


__all__ = ["first_cluster", "mask_mobile", "mask_name", "mobile_last4"]


def mask_card(card_id: str) -> str:
    """A staff card id as logs, screens, outputs and the audit trail show it: only the last four
    digits (the id logs an operator in, so it is a credential)."""
    card = card_id.strip().upper()
    return "X" * min(6, max(0, len(card) - 4)) + card[-4:]
