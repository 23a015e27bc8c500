"""Translations in one place: ``_``, ``N_``, ``ngettext`` and per-language look-ups.

The kiosk speaks Hindi and English and switches language per citizen session, so the catalogue
is looked up by an explicit language rather than by a process-wide locale. English msgids are the
source text; the Hindi catalogue lives in ``locale/hi/LC_MESSAGES/kiosk.po`` and is compiled to
``.mo`` by ``scripts/i18n.sh compile`` (run by the set-up script). When the ``.mo`` is missing or
older than the ``.po`` (a fresh checkout), it is compiled in memory with Babel so the kiosk never
shows English to a Hindi speaker just because a build step was skipped.
"""

from __future__ import annotations

import gettext
import io
import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES: tuple[str, ...] = ("hi", "en")
DEFAULT_LANGUAGE = "hi"

_lock = threading.Lock()
_catalogs: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANGUAGE


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def normalise_language(code: str | None) -> tuple[str, bool]:
    """Map a language code ("hi", "hi_IN", "en-IN", "HI") to "hi"/"en".

    Returns ``(language, ok)``; an unknown code gives English with ``ok=False`` so the caller
    can log a warning (the brief: unknown language → English with a warning).
    """
    if not code:
        return DEFAULT_LANGUAGE, True
    base = code.replace("-", "_").split("_")[0].lower()
    if base in LANGUAGES:
        return base, True
    return "en", False


def _load_po_in_memory(po_path: Path) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def catalog(lang: str) -> gettext.NullTranslations:
    """The translations object for ``lang`` (cached; English is the identity)."""
    with _lock:
        found = _catalogs.get(lang)
        if found is not None:
            return found
        trans: gettext.NullTranslations
        if lang == "en":
            trans = gettext.NullTranslations()
        else:
            base = LOCALE_DIR / lang / "LC_MESSAGES"
            mo, po = base / f"{DOMAIN}.mo", base / f"{DOMAIN}.po"
            if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
                with mo.open("rb") as f:
                    trans = gettext.GNUTranslations(f)
            elif po.exists():
                trans = _load_po_in_memory(po)
            else:
                log.warning("no catalogue for language %s; showing English", lang)
                trans = gettext.NullTranslations()
        _catalogs[lang] = trans
        return trans


def reload_catalogs() -> None:
    """Forget cached catalogues (after ``pybabel compile`` in a running process, or in tests)."""
    with _lock:
        _catalogs.clear()


def translate(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: the current session language)."""
    return catalog(lang or _current).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """Plural-aware translation (Hindi and English both have two forms)."""
    return catalog(lang or _current).ngettext(singular, plural, n)


def _(message: str) -> str:
    """Translate into the current session language."""
    return translate(message)


def set_language(lang: str) -> str:
    """Set the current session language; returns the normalised code actually used."""
    global _current
    norm, ok = normalise_language(lang)
    if not ok:
        log.warning("unknown language code %r; using English", lang)
    _current = norm
    return norm


def current_language() -> str:
    return _current
