"""The printed acknowledgement, checked byte-wise through the printer simulator's decoder."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.applications import ApplicationService, split_proof, status_qr_payload
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.devices.sim.escpos_printer import decode_to_png
from kiosk.documents.acknowledgement import build_acknowledgement
from kiosk.documents.model import has_devanagari
from kiosk.printing.escpos_render import PrinterProfile, render_escpos

Answers = Callable[[str], dict[str, Any]]


def printed(apps: ApplicationService, config: Config, no: str, lang: str, tmp_path: Path,
            paper: int = 80) -> Any:
    app = apps.get(no)
    assert app is not None
    doc = build_acknowledgement(app, packaged_catalogue(), config, lang)
    data = render_escpos(doc, PrinterProfile(paper_mm=paper))
    return doc, data, decode_to_png(data, tmp_path / f"ack-{lang}-{paper}.png", paper)[0]


@pytest.mark.parametrize("lang", ["hi", "en"])
@pytest.mark.parametrize("paper", [80, 58])
def test_acknowledgement_bytes(apps: ApplicationService, config: Config, answers: Answers,
                               tmp_path: Path, lang: str, paper: int) -> None:
    app = apps.submit("INC", {**answers("INC"), "aadhaar": "234567890124"}, lang=lang,
                      documents_shown=["income_declaration"], payment_method="upi")
    upi = apps.start_upi(app.application_no)
    apps.mark_paid(upi.tr, "633412345678")
    doc, data, job = printed(apps, config, app.application_no, lang, tmp_path, paper)
    lines = job.text_lines
    # Native printer text: the number, masked Aadhaar and mobile, UTR — never the full Aadhaar
    # or mobile (a slip gets lost or photographed), in the document or in the bytes.
    assert app.application_no in lines
    assert any("XXXX XXXX 0124" in ln for ln in lines)
    assert b"234567890124" not in data and b"2345 6789" not in data
    assert any("98XXXXXX10" in ln for ln in lines)
    assert b"9876543210" not in data and not any("9876543210" in t for t in doc.texts())
    assert any("633412345678" in ln for ln in lines)
    # The QR carries the application's proof secret (16 base32 characters) after its number.
    assert app.proof_secret is not None and len(app.proof_secret) == 16
    assert job.qr_payloads == [status_qr_payload(app.application_no, app.proof_secret)]
    assert job.cut
    # Only Hindi becomes a raster (printers have no Devanagari); Latin lines stay native text.
    hindi = [t for t in doc.texts() if has_devanagari(t)]
    assert hindi and job.raster_boxes
    short_latin = [t for t in doc.texts() if not has_devanagari(t) and len(t) <= 32]
    assert set(short_latin) <= set(lines)
    zxingcpp = pytest.importorskip("zxingcpp")
    assert [r.text for r in zxingcpp.read_barcodes(job.image)] == [
        status_qr_payload(app.application_no, app.proof_secret)]


def test_missing_documents_and_unpaid_cash_are_spelled_out(
        apps: ApplicationService, config: Config, answers: Answers, tmp_path: Path) -> None:
    app = apps.submit("CST", answers("CST"), lang="en", documents_shown=["aadhaar"])
    doc, _, job = printed(apps, config, app.application_no, "en", tmp_path)
    texts = doc.texts()
    assert "Documents still to be shown at the counter:" in texts
    assert any("revenue record" in t for t in texts)
    assert any(t.startswith("Not paid yet: please pay Rs 20.00 in cash") for t in texts)
    assert "Caste certificate (SC/ST/OBC)" in job.text_lines


def test_free_service_says_so(apps: ApplicationService, config: Config, answers: Answers,
                              tmp_path: Path) -> None:
    app = apps.submit("BRT", {**answers("BRT"), "event_date": "20-11-2026"}, lang="en")
    doc, _, _ = printed(apps, config, app.application_no, "en", tmp_path)
    assert "No fee for this service." in doc.texts()


def test_preview_receipt_cli(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "preview", "receipt", "--lang", "hi",
                          "--escpos", str(tmp_path / "r.bin"), "--png", str(tmp_path / "r.png"),
                          "--data-dir", str(tmp_path / "d")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["native_qr"] == 1 and len(stats["qr_payloads"]) == 1
    number, secret = split_proof(stats["qr_payloads"][0])
    assert number == status_qr_payload(stats["application_no"]) and secret is not None
    assert stats["bytes"] < stats["full_raster_bytes"]
    assert (tmp_path / "r.png").stat().st_size > 0


@pytest.mark.parametrize(("relation", "en", "hi"), [
    ("mother", "Mother: Kamla Devi", "माता:"),
    ("husband", "Husband: Kamla Devi", "पति:")])
def test_the_relative_line_says_the_chosen_relation(
        apps: ApplicationService, config: Config, answers: Answers, tmp_path: Path,
        relation: str, en: str, hi: str) -> None:
    """Issue 14: "Father/husband" was printed when Mother was chosen."""
    app = apps.submit("INC", {**answers("INC"), "relation": relation,
                              "relative_name": "Kamla Devi"}, lang="en")
    doc, _, _ = printed(apps, config, app.application_no, "en", tmp_path)
    assert en in doc.texts() and hi in doc.texts()
    assert not any("Father/husband" in t for t in doc.texts())


def test_a_paid_label_says_utr_once_in_native_text() -> None:
    """The Hindi label stands alone (a held raster); "UTR" and its number travel once, as the
    English line's native text, instead of "UTR" also being pixels in the Hindi line."""
    from kiosk.documents.acknowledgement import MSG_PAID_UPI
    from kiosk.documents.bilingual import labelled
    from kiosk.documents.model import Text

    hindi, english = labelled(("hi", "en"), MSG_PAID_UPI, lambda lng: {"ref": "633412345678"})
    assert isinstance(hindi, Text) and isinstance(english, Text)
    assert hindi.static and "UTR" not in hindi.text and hindi.text.strip()
    assert english.text == "Paid by UPI, UTR 633412345678"
