"""Hindi is first-class: every msgid has Hindi, placeholders survive, Babel formats for India."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.i18n import formatting
from kiosk.i18n.qt_translator import KioskTranslator, catalogue_messages

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "kiosk/i18n/locale/hi/LC_MESSAGES/kiosk.po"
KEYWORDS = {"_": None, "N_": None, "translate": None, "qsTr": None, "ngettext": (1, 2)}
METHOD_MAP = [("kiosk/**.py", "python"), ("kiosk/ui/qml/**.qml", "javascript")]
PLACEHOLDER = re.compile(r"%\d+|%[sd]|\{[a-z_0-9]*\}")


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_every_msgid_in_code_has_hindi() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)
    missing = []
    for msgid in sorted(_msgids_in_code()):
        msg = catalog.get(msgid)
        if msg is None or not msg.string or msg.fuzzy or \
                (isinstance(msg.string, tuple) and not all(msg.string)):
            missing.append(msgid)
    assert not missing, "msgids without Hindi (run scripts/i18n.sh update):\n" + "\n".join(missing)


def test_hindi_is_devanagari_and_keeps_placeholders() -> None:
    with PO.open("rb") as f:
        catalog = read_po(f)
    for msg in catalog:
        if not msg.id or not msg.string:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strs = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        assert sorted(PLACEHOLDER.findall(ids[0])) == sorted(PLACEHOLDER.findall(strs[0])), msg.id
        if re.search("[A-Za-z]{3}", ids[0]) and not re.fullmatch(r"[\W\d%A-Z]+", ids[0]):
            assert re.search("[\u0900-\u097f]", strs[0]), f"not Hindi: {msg.id!r} → {strs[0]!r}"


def test_translate_and_language_normalisation() -> None:
    i18n.reload_catalogs()
    assert i18n.translate("General", "en") == "General"
    assert i18n.translate("General", "hi") != "General"
    assert i18n.normalise_language("hi_IN") == ("hi", True)
    assert i18n.normalise_language("EN-in") == ("en", True)
    assert i18n.normalise_language("ta") == ("en", False)


def test_po_is_used_even_without_compiled_mo(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "hi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "kiosk.po").write_bytes(PO.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.reload_catalogs()
    try:
        assert i18n.translate("General", "hi") != "General"
    finally:
        i18n.reload_catalogs()


def test_qt_translator_carries_every_hindi_message() -> None:
    """QML's qsTr() gets the same Hindi as Python's translate(), for every msgid."""
    from kiosk.qt_runtime import ensure_gui_app

    ensure_gui_app()
    t = KioskTranslator("hi")
    messages = catalogue_messages("hi")
    assert len(messages) > 50
    for msgid, hindi in messages.items():
        assert t.translate("AnyContext", msgid) == hindi == i18n.translate(msgid, "hi")
    assert t.translate("AnyContext", "no such sentence") == ""
    t.set_language("en")
    assert t.translate("AnyContext", "General") == ""  # English: the source text stays


def test_babel_formats_for_india() -> None:
    assert formatting.format_number(1234567, "hi") == "12,34,567"
    assert formatting.format_money(1234567.5, "hi") == "₹12,34,567.50"
    d = datetime(2025, 8, 15, 10, 5)
    assert formatting.format_date(d, "hi") == "15 अगस्त 2025"
    assert formatting.format_date(d, "en") == "15 August 2025"
