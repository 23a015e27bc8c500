"""The names table (``names.tsv``): common names whose spelling no rule can guess."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class NamesTable:
    to_latin: dict[str, str]          # Devanagari word → suggested English spelling
    to_devanagari: dict[str, str]     # any known English spelling (lower case) → Devanagari


def parse(text: str) -> NamesTable:
    hi_en: dict[str, str] = {}
    en_hi: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hindi, _, english = line.partition("\t")
        hindi = unicodedata.normalize("NFC", hindi.strip())
        spellings = [s.strip() for s in english.split(",") if s.strip()]
        if not hindi or not spellings:
            raise ValueError(f"names.tsv: bad line {line!r}")
        hi_en.setdefault(hindi, spellings[0])
        for s in spellings:
            en_hi.setdefault(s.lower(), hindi)
    return NamesTable(hi_en, en_hi)


@lru_cache(maxsize=1)
def table() -> NamesTable:
    return parse(resources.files("kiosk.translit").joinpath("names.tsv")
                 .read_text(encoding="utf-8"))
