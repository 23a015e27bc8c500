"""The printed certificate slip: content, native Latin text, and a QR that verifies after print."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.certificates import CertificateFields, IssuerKey, sign_certificate, verify_certificate_qr
from kiosk.config import Config
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, decode_to_png
from kiosk.documents.certificate import build_certificate_slip, detail_line, qr_module_size
from kiosk.documents.model import Cut, Document, Qr, Text, has_devanagari
from kiosk.printing.escpos_render import PrinterProfile, render_escpos
from kiosk.printing.preview import preview_certificate
from reference_backend.issuer import DEMO_KEY_ID, demo_private_key, demo_public_key_b64

DAY = date(2026, 11, 22)
KEYS = {DEMO_KEY_ID: IssuerKey.from_b64(DEMO_KEY_ID, demo_public_key_b64())}
LATIN = CertificateFields("INC-2026-000123", "INC", "Sunita Devi", DAY, "MP-BPL-20261122-0042",
                          {"income": "84000"})
HINDI = CertificateFields("CST-2026-000045", "CST", "रामेश्वर प्रसाद शर्मा", DAY,
                          "MP-BPL-HZR-20261122-0001-7", {"category": "OBC", "caste": "कुर्मी"})


def slip(config: Config, fields: CertificateFields = LATIN, lang: str = "hi",
         paper_mm: int = 80) -> tuple[Document, str]:
    text = sign_certificate(fields, demo_private_key(), DEMO_KEY_ID)
    titles = {"INC": ("आय प्रमाण पत्र", "Income certificate"),
              "CST": ("जाति प्रमाण पत्र", "Caste certificate")}[fields.cert_type]
    doc = build_certificate_slip(fields, text, config, lang, title_hi=titles[0],
                                 title_en=titles[1], officer_hi="तहसीलदार, हुज़ूर",
                                 officer_en="Tehsildar, Huzur", paper_mm=paper_mm)
    return doc, text


def test_content_and_order(config: Config) -> None:
    hi, text = slip(config, lang="hi")
    en, _ = slip(config, lang="en")
    h, e = hi.texts(), en.texts()
    assert h.index("आय प्रमाण पत्र") < h.index("Income certificate")
    assert e.index("Income certificate") < e.index("आय प्रमाण पत्र")
    assert e.index("Lok Seva Kendra, Huzur, Bhopal") < e.index("लोक सेवा केंद्र, हुज़ूर, भोपाल")
    assert "Certificate no.: INC-2026-000123" in e and "Name: Sunita Devi" in e
    assert "Annual income: Rs 84,000" in e and "Date of issue: 22 November 2026" in e
    # Values in figures or Latin letters are printed once, after the Hindi label alone.
    assert "जारी करने की तारीख:" in e and not any("22 नवंबर 2026" in t for t in e)
    assert "Issued by: Tehsildar, Huzur" in e and any(t.startswith("Scan this QR") for t in e)
    assert hi.kind == "certificate" and hi.ref == "INC-2026-000123"
    assert [b.data for b in hi.blocks if isinstance(b, Qr)] == [text]
    assert isinstance(hi.blocks[-1], Cut)
    title = [b for b in hi.blocks if isinstance(b, Text) and b.text == "आय प्रमाण पत्र"]
    assert title and title[0].size == "large" and title[0].static
    # The second language's heading is no larger than it needs to be.
    second = [b for b in hi.blocks if isinstance(b, Text) and b.text == "Income certificate"]
    assert second and second[0].size == "normal"


def test_office_overrides_centre_and_officer_is_optional(config: Config) -> None:
    text = sign_certificate(LATIN, demo_private_key(), DEMO_KEY_ID)
    doc = build_certificate_slip(LATIN, text, config, "en", title_hi="आय प्रमाण पत्र",
                                 title_en="Income certificate", office_hi="तहसील कार्यालय",
                                 office_en="Tehsil office, Huzur")
    texts = doc.texts()
    assert texts[:2] == ["Tehsil office, Huzur", "तहसील कार्यालय"]
    assert not any(t.startswith("Issued by") for t in texts)


def test_detail_lines() -> None:
    assert detail_line("income", "1234567", "en") == "Annual income: Rs 12,34,567"
    assert detail_line("income", "1234567", "hi").endswith("₹12,34,567")
    assert detail_line("income", "about 1 lakh", "en") == "Annual income: about 1 lakh"
    assert detail_line("category", "OBC", "en") == "Category: OBC"
    assert detail_line("ward_no", "12", "en") == "Ward no: 12"


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("fields", [LATIN, HINDI], ids=["latin", "hindi"])
def test_printed_qr_decodes_back_to_the_signed_text_and_verifies(
        config: Config, tmp_path: Path, paper: int, fields: CertificateFields) -> None:
    doc, text = slip(config, fields, "hi", paper)
    data = render_escpos(doc, PrinterProfile(paper_mm=paper))
    assert b"\x1d(k" in data  # native QR: the printer draws it from the text
    jobs = decode_to_png(data, tmp_path / "cert.png", paper)
    assert len(jobs) == 1 and jobs[0].cut
    assert jobs[0].qr_payloads == [text]
    assert verify_certificate_qr(jobs[0].qr_payloads[0], KEYS, set(), as_of=DAY).status == "valid"
    zxingcpp = pytest.importorskip("zxingcpp")
    found = zxingcpp.read_barcodes(jobs[0].image)
    assert [r.text for r in found] == [text]
    v = verify_certificate_qr(found[0].text, KEYS, set(), as_of=DAY)
    assert v.status == "valid" and v.certificate == fields


@pytest.mark.parametrize("paper", [58, 80])
def test_latin_lines_are_native_text_and_hindi_is_raster(config: Config, paper: int) -> None:
    doc, _ = slip(config, LATIN, "hi", paper)
    sim = EscposPrinterSim(paper_mm=paper)
    sim.feed(render_escpos(doc, PrinterProfile(paper_mm=paper)))
    sim.end_job()
    job = sim.jobs[0]
    native = " ".join(job.text_lines)
    for line in ("Income certificate", "Certificate no.: INC-2026-000123", "Name: Sunita Devi",
                 "Annual income: Rs 84,000", "Scan this QR code", "Tehsildar, Huzur"):
        assert line in native, line
    assert not any(has_devanagari(t) for t in job.text_lines)
    assert len([t for t in doc.texts() if has_devanagari(t)]) <= len(job.raster_boxes)
    assert all(x + w <= sim.width for x, _, w, _ in job.raster_boxes)


def test_qr_module_shrinks_to_fit_58mm() -> None:
    long_text = sign_certificate(HINDI, demo_private_key(), DEMO_KEY_ID)
    assert 3 <= qr_module_size(long_text, 58) <= qr_module_size(long_text, 80) <= 6
    assert qr_module_size("TKN:1", 80) == 6


def test_preview_certificate_writes_bytes_png_and_a_verifying_qr(config: Config,
                                                                 tmp_path: Path) -> None:
    stats = preview_certificate("hi", 58, tmp_path / "c.bin", tmp_path / "c.png", config)
    assert (tmp_path / "c.bin").stat().st_size == stats["bytes"]
    assert (tmp_path / "c.png").exists() and stats["native_qr"] == 1
    assert stats["qr_payloads"] == [stats["qr_text"]] and stats["lang"] == "hi"
    assert stats["native_lines"] > stats["raster_images"]
    assert verify_certificate_qr(stats["qr_text"], KEYS, set()).status == "valid"
