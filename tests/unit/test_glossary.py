"""docs/glossary.md: one Hindi word for one thing — the rejected spellings appear nowhere a
citizen or an operator reads (the Hindi catalogue, the .po, QML and Python strings)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REJECTED = ("कियॉस्क", "केंद्रीय सर्वर", "फिंगरप्रिंट", "प्रमाणपत्र", "लूँगा", "लूँगी")
SOURCES = [ROOT / "kiosk/i18n/locale/hi/LC_MESSAGES/kiosk.po",
           ROOT / "kiosk/catalogue/catalogue.json",
           *sorted((ROOT / "kiosk").rglob("*.qml")), *sorted((ROOT / "kiosk").rglob("*.py"))]


@pytest.mark.parametrize("word", REJECTED)
def test_a_rejected_spelling_is_nowhere(word: str) -> None:
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCES
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if word in line and "test_glossary" not in p.name]
    assert not hits, f"{word!r} (see docs/glossary.md) in {hits[:5]}"


def test_the_glossary_lists_every_rejected_spelling() -> None:
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert all(word in text for word in REJECTED)
