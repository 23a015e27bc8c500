"""How a centre token's wait is worded on screen and on paper, and what that costs the printer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.config import Config
from kiosk.documents.token_slip import build_token_slip
from kiosk.issuing.wording import ahead_phrase, note_phrase, range_text, wait_phrase
from kiosk.printing.escpos_render import PrinterProfile, render_escpos
from kiosk.printing.preview import sample_token
from kiosk.queue import Token


def _variants(config: Config, lang: str) -> dict[str, Token]:
    t = sample_token(config, lang)
    return {"range": t,
            "no_counter": replace(t, estimate="no_counter", wait_min=None, wait_max=None),
            "offline": replace(t, estimate="offline", people_ahead=0, wait_minutes=0,
                               wait_min=None, wait_max=None)}


def test_a_range_reads_like_a_person_would_say_it() -> None:
    assert range_text(10, 15, "en") == "about 10–15 minutes"
    assert range_text(10, 15, "hi") == "लगभग 10–15 मिनट"
    assert range_text(12, 12, "en") == "about 12 minutes"
    assert range_text(0, 0, "en") == "You are next"
    assert range_text(0, 5, "en") == "up to 5 minutes"
    assert range_text(0, 5, "hi") == "अधिकतम 5 मिनट"
    assert range_text(20, 15, "en") == "about 15 minutes"  # never a backwards range


def test_each_estimate_is_worded_honestly(config: Config) -> None:
    v = _variants(config, "en")
    assert wait_phrase(v["range"], "en") == "about 14–22 minutes"
    assert wait_phrase(v["no_counter"], "en") == "—"
    assert wait_phrase(v["offline"], "en") == "not known"
    assert wait_phrase(v["offline"], "hi") == "पता नहीं"
    assert ahead_phrase(v["offline"], "en") == "not known"
    assert ahead_phrase(v["range"], "en") == "3"
    assert note_phrase(v["range"], "en") is None
    assert note_phrase(v["no_counter"], "en") == "No counter is serving this service yet."
    stand_alone = replace(v["range"], estimate="local", wait_min=None, wait_max=None)
    assert wait_phrase(stand_alone, "en") is None  # the caller's own wording, as before


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("kind", ["range", "no_counter", "offline"])
def test_every_variant_of_the_slip_stays_within_the_print_budget(
        config: Config, lang: str, kind: str) -> None:
    from kiosk.qt_runtime import ensure_gui_app

    ensure_gui_app()
    doc = build_token_slip(_variants(config, lang)[kind], config, lang)
    assert len(render_escpos(doc, PrinterProfile(paper_mm=80))) <= 12 * 1024
    texts = doc.texts()
    if kind == "offline":
        assert "Issued while the centre's queue could not be reached. Your number is valid." \
            in texts
        assert "People ahead of you: 3" not in texts
