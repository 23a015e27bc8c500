"""Bilingual lines for printed documents: the citizen's language first, the other below.

Every printout (token, acknowledgement, certificate, status slip) prints both languages so the
operator or a relative can read it too; one helper keeps the order and the de-duplication rule
(an untranslated msgid would otherwise print the same English line twice) the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.documents.model import Block, Size, Text


def languages(lang: str) -> tuple[str, str]:
    """(first, second) print languages for a citizen who chose ``lang``."""
    return ("hi", "en") if lang != "en" else ("en", "hi")


def bilingual(langs: tuple[str, str], make: Callable[[str], str], *, size: Size = "normal",
              second_size: Size | None = None, align: str = "center",
              bold: bool = False) -> list[Block]:
    """One Text per language (first language first), skipping a duplicate second line."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for i, lang in enumerate(langs):
        text = make(lang)
        if not text or text in seen:
            continue
        seen.add(text)
        line_size = size if i == 0 or second_size is None else second_size
        blocks.append(Text(text, size=line_size, align=align, bold=bold))  # type: ignore[arg-type]
    return blocks
