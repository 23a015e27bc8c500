"""Bilingual lines for printed documents: the citizen's language first, the other below.

Every printout (token, acknowledgement, certificate, status slip) prints both languages so the
operator or a relative can read it too; one helper keeps the order and the de-duplication rule
(an untranslated msgid would otherwise print the same English line twice) the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.documents.model import Block, Size, Text

#: A trailing run of Latin letters, digits and separators after a comma or space.
_TRAILING_LATIN = re.compile(r"[,\s]+[A-Za-z][A-Za-z0-9 .\-]*$")


def languages(lang: str) -> tuple[str, str]:
    """(first, second) print languages for a citizen who chose ``lang``."""
    return ("hi", "en") if lang != "en" else ("en", "hi")


def bilingual(langs: tuple[str, str], make: Callable[[str], str], *, size: Size = "normal",
              second_size: Size | None = None, align: str = "center",
              bold: bool = False, static: bool = False) -> list[Block]:
    """One Text per language (first language first), skipping a duplicate second line.

    ``static``: the lines are fixed labels (see :class:`~kiosk.documents.model.Text`)."""
    blocks: list[Block] = []
    seen: set[str] = set()
    for i, lang in enumerate(langs):
        text = make(lang)
        if not text or text in seen:
            continue
        seen.add(text)
        # The second language is for the operator or a helper: a large heading's second line
        # is normal size, which for Hindi is a raster of a third of the bytes.
        line_size = size if i == 0 else second_size or ("normal" if size in ("large", "huge")
                                                          else size)
        blocks.append(Text(text, size=line_size, align=align, bold=bold,  # type: ignore[arg-type]
                           static=static))
    return blocks


def labelled(langs: tuple[str, str], msgid: str, values: Callable[[str], dict[str, str]], *,
             label_msgid: str | None = None, size: Size = "normal", align: str = "left",
             bold: bool = False, label_size: Size = "small") -> list[Block]:
    """A "Label: value" field whose value is printed once, not once per language.

    Why: a value in digits or Latin letters (a count, a UTR, a masked Aadhaar, a date in
    figures) reads the same to everyone, and inside a Hindi line it would travel as pixels.
    So the Hindi label stands alone — a fixed line the printer can hold (``static``) — and the
    value follows in the English line, which is native printer text. The label comes from the
    Hindi template's text before its ``{placeholder}`` (or from ``label_msgid``'s Hindi when
    the placeholder is not at the end). A value with Devanagari in it, or a label with no
    Hindi yet, falls back to :func:`bilingual` lines. ``label_size``: the Hindi label's size
    (small by default: it is the caption of the value line below it).
    """
    from kiosk.documents.model import has_devanagari
    from kiosk.i18n import translate

    english = translate(msgid, "en").format(**values("en"))
    template = translate(label_msgid or msgid, "hi")
    head, brace, rest = template.partition("{")
    # A Latin word at the label's end ("…भुगतान हुआ, UTR") is said again by the English value
    # line ("Paid by UPI, UTR 6334…"); in the Hindi raster it would only cost pixels.
    label = _TRAILING_LATIN.sub("", head).strip()
    fits = (not has_devanagari(english) and has_devanagari(label)
            and (not brace or not rest.partition("}")[2].strip()))
    if not fits:
        return bilingual(langs, lambda lng: translate(msgid, lng).format(**values(lng)),
                         size=size, align=align, bold=bold)
    hindi = Text(label, size=label_size, align=align, bold=bold,  # type: ignore[arg-type]
                 static=True)
    value = Text(english, size=size, align=align, bold=bold)  # type: ignore[arg-type]
    return [hindi, value]
