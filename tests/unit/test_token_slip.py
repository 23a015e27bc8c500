"""The bilingual token slip: content, order, size budget, and a QR that really scans."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import Config
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, decode_to_png
from kiosk.documents.model import Cut, Qr, Text, has_devanagari
from kiosk.documents.token_slip import build_token_slip, qr_payload
from kiosk.printing.escpos_render import PrinterProfile, render_escpos, render_full_raster
from kiosk.printing.preview import preview_token, sample_token
from kiosk.queue import Priority, Token

WHEN = datetime(2026, 11, 22, 19, 43, tzinfo=ZoneInfo("Asia/Kolkata"))


def token(priority: Priority = Priority.SENIOR, group: str = "C") -> Token:
    return Token(id="5f0c1e2a-9b7d-4c3e-8a61-2d4f6b8e0c17", number=f"{group}-017", group=group,
                 seq=17, priority=priority, lang="hi", issued_at=WHEN, people_ahead=3,
                 wait_minutes=18)


def test_both_languages_citizens_first(config: Config) -> None:
    hi = build_token_slip(token(), config, "hi").texts()
    en = build_token_slip(token(), config, "en").texts()
    assert hi.index("लोक सेवा केंद्र, हुज़ूर, भोपाल") < hi.index("Lok Seva Kendra, Huzur, Bhopal")
    assert en.index("Lok Seva Kendra, Huzur, Bhopal") < en.index("लोक सेवा केंद्र, हुज़ूर, भोपाल")
    assert hi.index("प्रमाण पत्र") < hi.index("Certificates")
    assert en.index("Certificates") < en.index("प्रमाण पत्र")
    # The date once, in figures both readers read (no Hindi date raster under an English one).
    def plain(texts: list[str]) -> list[str]:
        return [t.replace("\u202f", " ") for t in texts]

    assert "22-11-2026  7:43 PM" in plain(hi) and "22-11-2026  7:43 PM" in plain(en)
    assert not any("नवंबर" in t for t in hi)


def test_slip_content(config: Config) -> None:
    doc = build_token_slip(token(), config, "hi")
    assert doc.kind == "token" and doc.ref == token().id
    number = [b for b in doc.blocks if isinstance(b, Text) and b.text == "C-017"]
    assert number and number[0].size == "huge"
    texts = doc.texts()
    assert "People ahead of you: 3" in texts
    assert "Estimated wait: 18 min" in texts
    assert "Please wait for your number to be called." in texts
    prio = [b for b in doc.blocks if isinstance(b, Text) and b.text == "Senior citizen (60+)"]
    assert prio and prio[0].bold
    hindi = [b for b in doc.blocks if isinstance(b, Text) and b.text.startswith("वरिष्ठ")]
    assert hindi and hindi[0].static and hindi[0].bold
    qrs = [b for b in doc.blocks if isinstance(b, Qr)]
    assert [q.data for q in qrs] == [qr_payload(token())] == [f"TKN:{token().id}"]
    assert isinstance(doc.blocks[-1], Cut)


def test_general_priority_is_not_shouted(config: Config) -> None:
    doc = build_token_slip(token(Priority.GENERAL), config, "en")
    general = [b for b in doc.blocks if isinstance(b, Text) and b.text == "General"]
    assert general and general[0].size == "normal"


def test_untranslated_lines_are_not_printed_twice(config: Config) -> None:
    texts = build_token_slip(token(), config, "hi").texts()
    assert texts.count("People ahead of you: 3") == 1


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_80mm_slip_budget(config: Config, lang: str) -> None:
    doc = build_token_slip(token(), config, lang)
    ours = render_escpos(doc, PrinterProfile(paper_mm=80))
    full = render_full_raster(doc, PrinterProfile(paper_mm=80))
    assert len(ours) <= 12 * 1024
    assert len(full) >= 4 * len(ours)
    assert b"C-017" in ours and b"\x1d(k" in ours


@pytest.mark.parametrize("paper", [80, 58])
def test_decoded_slip_shows_number_names_and_a_scannable_qr(config: Config, tmp_path: Path,
                                                            paper: int) -> None:
    doc = build_token_slip(token(), config, "hi")
    jobs = decode_to_png(render_escpos(doc, PrinterProfile(paper_mm=paper)),
                         tmp_path / "slip.png", paper)
    job = jobs[0]
    assert "C-017" in job.text_lines and "Certificates" in job.text_lines
    assert job.qr_payloads == [qr_payload(token())]
    assert len([t for t in doc.texts() if has_devanagari(t)]) <= len(job.raster_boxes)
    zxingcpp = pytest.importorskip("zxingcpp")
    found = zxingcpp.read_barcodes(job.image)
    assert [r.text for r in found] == [qr_payload(token())]


def test_long_names_wrap_within_the_paper(config: Config) -> None:
    raw = copy.deepcopy(config.raw)
    raw["kiosk"]["centre_name_hi"] = "लोक सेवा केंद्र " * 6
    raw["kiosk"]["centre_name_en"] = "Lok Seva Kendra Citizen Facilitation Centre " * 3
    long_cfg = Config(raw=raw, data_dir=config.data_dir)
    for paper in (58, 80):
        data = render_escpos(build_token_slip(token(), long_cfg, "hi"),
                             PrinterProfile(paper_mm=paper))
        sim = EscposPrinterSim(paper_mm=paper)
        sim.feed(data)
        job = sim.jobs[0]
        assert all(x + w <= sim.width for x, _, w, _ in job.raster_boxes)
        centre_lines = [t for t in job.text_lines if "Kendra" in t]
        assert len(centre_lines) >= 2


def test_preview_token_writes_bytes_and_decoded_png(config: Config, tmp_path: Path) -> None:
    stats = preview_token("hi", 58, tmp_path / "t.bin", tmp_path / "t.png", config)
    assert (tmp_path / "t.bin").stat().st_size == stats["bytes"]
    assert (tmp_path / "t.png").exists()
    assert stats["raster_bytes"] < stats["bytes"] and stats["native_qr"] == 1
    assert stats["qr_payloads"] == [f"TKN:{sample_token(config, 'hi').id}"]
    assert stats["ratio_vs_full_raster"] >= 4
