"""Every Text-like element in the kiosk's QML says ``textFormat: Text.PlainText``.

Why a scan and not a review: Qt's default, ``Text.AutoText``, renders anything that looks like
HTML as rich text, and rich text fetches ``<img src>`` from the network. A status remark, a
name or an operator's note from the backend must be shown as the characters it is; one
forgotten ``Text`` is enough to let a hostile server (or a citizen's typed name) reach out of
the kiosk. tests/ui/test_plain_text_render.py proves the fetch does not happen.
"""

from __future__ import annotations

import re
from pathlib import Path

QML_ROOT = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "qml"
TEXT_TYPES = ("Text", "Label", "TextEdit", "TextArea")
ELEMENT = re.compile(r"(?<![\w.])(" + "|".join(TEXT_TYPES) + r")\s*\{")
PLAIN = re.compile(r"(?<![\w.])textFormat\s*:\s*(Text|TextEdit)\.PlainText\b")
RICH = re.compile(r"\b(StyledText|RichText|MarkdownText|AutoText)\b")


def _strip(source: str) -> str:
    """The source with comments and string contents blanked (offsets kept)."""
    out = list(source)
    i, n = 0, len(source)
    while i < n:
        if source.startswith("//", i):
            j = source.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
        elif source.startswith("/*", i):
            j = source.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [c if c == "\n" else " " for c in source[i:j]]
            i = j
        elif source[i] in "\"'`":
            quote, j = source[i], i + 1
            while j < n and source[j] != quote:
                j += 2 if source[j] == "\\" else 1
            out[i + 1:j] = " " * (j - i - 1)
            i = j + 1
        else:
            i += 1
    return "".join(out)


def _own_body(body: str) -> str:
    """The element's own bindings: nested blocks (child items, anchors {…}) blanked."""
    out, depth = [], 0
    for ch in body:
        if ch == "{":
            depth += 1
        if depth == 0:
            out.append(ch)
        if ch == "}":
            depth -= 1
    return "".join(out)


def text_elements(source: str) -> list[tuple[int, str, str]]:
    """``(line, type, own body)`` of every Text-like element in ``source``."""
    clean = _strip(source)
    found = []
    for m in ELEMENT.finditer(clean):
        start = m.end()
        depth, j = 1, start
        while j < len(clean) and depth:
            depth += {"{": 1, "}": -1}.get(clean[j], 0)
            j += 1
        found.append((clean.count("\n", 0, m.start()) + 1, m.group(1),
                      _own_body(clean[start:j - 1])))
    return found


def test_the_scanner_sees_what_it_must() -> None:
    sample = """
    Item {
        Text { text: "a"; textFormat: Text.PlainText }
        Text {
            text: "<b>x</b>"   // a comment with Text { inside
            Rectangle { Text { text: "nested" } }
        }
        Label { textFormat: Text.StyledText; text: "y" }
    }
    """
    found = text_elements(sample)
    assert [(t, bool(PLAIN.search(b))) for _, t, b in found] == [
        ("Text", True), ("Text", False), ("Text", False), ("Label", False)]
    assert RICH.search(found[3][2])


def test_every_text_in_every_qml_file_is_plain_text() -> None:
    files = sorted(QML_ROOT.rglob("*.qml"))
    assert len(files) > 30
    missing, rich, total = [], [], 0
    for path in files:
        for line, kind, body in text_elements(path.read_text("utf-8")):
            total += 1
            where = f"{path.relative_to(QML_ROOT)}:{line} {kind}"
            if RICH.search(body):
                rich.append(where)
            elif not PLAIN.search(body):
                missing.append(where)
    assert total > 150
    assert not rich, "rich text formats in use:\n" + "\n".join(rich)
    assert not missing, "Text without textFormat: Text.PlainText:\n" + "\n".join(missing)
