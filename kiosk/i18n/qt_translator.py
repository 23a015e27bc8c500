"""Giving QML's ``qsTr()`` the gettext catalogue through a *native* QTranslator.

Why not a Python QTranslator subclass answering from gettext: Qt calls its
translator from its own threads too (the QML type loader translates OS error strings while
compiling a screen). A Python translator then needs the GIL while the GUI thread — inside a
Python slot that switched screens — holds the GIL and waits for that loader thread: the kiosk
freezes. So the same catalogue is compiled, in memory, into Qt's own ``.qm`` format and loaded
into a plain QTranslator, which never calls back into Python.

Why not Qt's ``lrelease``: it reads Qt's .ts XML, not .po, so it would need a second catalogue
format and a build step before the first run; the .qm layout below (magic, a hash table tag and
a messages tag) is small and stable since Qt 4, and a test round-trips every Hindi msgid through
a real QTranslator.

Messages are written without a context: Qt then matches them whatever QML file asks (the
msgids are unique English sentences, as the gettext catalogue assumes).
"""

from __future__ import annotations

import functools
import logging
import struct
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from PySide6.QtCore import QTranslator

from kiosk.i18n import DOMAIN, LOCALE_DIR, normalise_language

log = logging.getLogger(__name__)

_QM_MAGIC = bytes.fromhex("3CB86418CAEF9C95CD211CBF60A1BDDD")
_TAG_HASHES = 0x42
_TAG_MESSAGES = 0x69
_MSG_END, _MSG_TRANSLATION, _MSG_SOURCE = 1, 3, 6


def _elf_hash(data: bytes) -> int:
    """The hash Qt's QTranslator looks messages up by (ELF hash; 0 is stored as 1)."""
    h = 0
    for byte in data:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def build_qm(messages: dict[str, str]) -> bytes:
    """A minimal ``.qm`` image: one context-free record per (msgid → translation)."""
    records = bytearray()
    index: list[tuple[int, int]] = []
    for source, translation in sorted(messages.items()):
        if not source or not translation:
            continue
        src = source.encode("utf-8")
        tr = translation.encode("utf-16-be")
        index.append((_elf_hash(src), len(records)))
        records += struct.pack(">BI", _MSG_TRANSLATION, len(tr)) + tr
        records += struct.pack(">BI", _MSG_SOURCE, len(src)) + src
        records += bytes([_MSG_END])
    hashes = b"".join(struct.pack(">II", h, off) for h, off in sorted(index))
    return (_QM_MAGIC + struct.pack(">BI", _TAG_HASHES, len(hashes)) + hashes
            + struct.pack(">BI", _TAG_MESSAGES, len(records)) + bytes(records))


def _load_catalog(lang: str) -> Catalog | None:
    """The same catalogue kiosk.i18n uses: the .po (source of truth), else the .mo."""
    base = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    path: Path | None = po if po.exists() else (mo if mo.exists() else None)
    if path is None:
        log.warning("no catalogue for language %s; QML shows English", lang)
        return None
    with path.open("rb") as f:
        return read_po(f) if path.suffix == ".po" else read_mo(f)


def catalogue_messages(lang: str) -> dict[str, str]:
    """msgid → translation for every translated, non-fuzzy singular message."""
    catalog = _load_catalog(lang)
    if catalog is None:
        return {}
    found: dict[str, str] = {}
    for msg in catalog:
        if msg.id and isinstance(msg.id, str) and isinstance(msg.string, str) \
                and msg.string and not msg.fuzzy:
            found[msg.id] = msg.string
    return found


@functools.lru_cache(maxsize=4)
def _qm_for(lang: str) -> bytes:
    """The compiled image per language, built once: a language toggle happens on the GUI
    thread, and parsing the .po there each time would cost a citizen a visible pause."""
    # An empty translator still needs a valid image, so English loads an empty one.
    return build_qm({} if lang == "en" else catalogue_messages(lang))


class KioskTranslator(QTranslator):
    """A native QTranslator for one language, built from the gettext catalogue."""

    def __init__(self, lang: str = "hi") -> None:
        super().__init__()
        self.lang = ""
        self._data = b""  # QTranslator.load(data) does not copy: keep the bytes alive
        self.set_language(lang)

    def set_language(self, lang: str) -> None:
        """Reload for ``lang``; English is the source text, so it loads nothing."""
        code = normalise_language(lang)[0]
        if code == self.lang:
            return
        self.lang = code
        data = _qm_for(code)
        if not self.load(data):
            log.error("Qt refused the compiled catalogue for %s", code)
        self._data = data
