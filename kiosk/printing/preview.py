"""Render a sample slip to ESC/POS bytes and to a PNG *decoded from those bytes*.

Why decode rather than draw: a preview drawn from the document would show what we meant; one
decoded by the simulator from the bytes shows what a printer would actually put on paper, so
layout bugs in the byte stream (wrong justification, a raster width off by a byte) are visible.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.certificates import CertificateFields, sign_certificate
from kiosk.config import Config
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, decode_to_png
from kiosk.documents.certificate import build_certificate_slip
from kiosk.documents.model import Document
from kiosk.documents.token_slip import build_token_slip
from kiosk.printing.escpos_render import (
    PrinterProfile,
    encode_plan,
    layout_document,
    render_full_raster,
)
from kiosk.queue import Priority, Token

SAMPLE_TOKEN_ID = "5f0c1e2a-9b7d-4c3e-8a61-2d4f6b8e0c17"


def sample_token(config: Config, lang: str, issued_at: datetime | None = None) -> Token:
    """A representative token: group C, senior citizen, three people ahead, and the centre's
    wait range for them (the group's minutes per citizen, ±20 %, as the centre words it)."""
    when = issued_at or datetime.now(ZoneInfo(config.timezone))
    group = "C" if "C" in config.groups else next(iter(config.groups))
    ahead = 3
    minutes = math.ceil(ahead * config.groups[group].minutes)
    low, high = max(0, math.floor(minutes * 0.8)), math.ceil(minutes * 1.2)
    return Token(id=SAMPLE_TOKEN_ID, number=f"{group}-017", group=group, seq=17,
                 priority=Priority.SENIOR, lang=lang, issued_at=when, people_ahead=ahead,
                 wait_minutes=high, estimate="range", wait_min=low, wait_max=high)


def preview_profile(config: Config, paper_mm: int) -> PrinterProfile:
    """The configured printer's profile at ``paper_mm`` (its graphics memory included: the
    default simulated printer holds ``GS ( L`` graphics)."""
    base = PrinterProfile.from_config(config.printer)
    keep_dots = base.dots_override if paper_mm == base.paper_mm else None
    return replace(base, paper_mm=paper_mm, dots_override=keep_dots)


def preview_document(doc: Document, profile: PrinterProfile, escpos_path: Path | None,
                     png_path: Path | None, *, warm: bool = False) -> dict[str, Any]:
    """Render ``doc``; write the bytes and/or the decoded PNG; return statistics.

    The job is rendered twice on a printer with graphics memory: *cold* (the printer holds
    nothing, so the job defines its fixed labels) and *warm* (it already holds them, so the
    job prints them by key). ``warm`` picks which one is written; the PNG is decoded from
    those bytes by a simulated printer that — for a warm job — holds the graphics the cold
    job defined, and ``warm_matches_cold`` says whether the two printouts are pixel-identical.
    """
    plan = layout_document(doc, profile)
    memory = profile.graphics_memory in ("gs_l", "fs_q")
    cold, cold_stats = encode_plan(plan, {} if memory else None)
    hot, hot_stats = encode_plan(plan, cold_stats.defined) if memory else (cold, cold_stats)
    data, stats = (hot, hot_stats) if warm else (cold, cold_stats)
    if escpos_path is not None:
        escpos_path.parent.mkdir(parents=True, exist_ok=True)
        escpos_path.write_bytes(data)
    jobs = []
    matches: bool | None = None
    if png_path is not None:
        printer = EscposPrinterSim(profile.paper_mm)
        cold_jobs = decode_to_png(cold, png_path, profile.paper_mm, printer)
        if warm or memory:
            warm_png = png_path.with_suffix(".warm.png") if not warm else png_path
            jobs = decode_to_png(hot, warm_png, profile.paper_mm, printer)
            matches = [j.image.tobytes() for j in jobs] == [j.image.tobytes()
                                                             for j in cold_jobs]
            if not warm:
                warm_png.unlink()
                jobs = cold_jobs
        else:
            jobs = cold_jobs
    full = render_full_raster(doc, profile)
    return {
        "bytes": len(data),
        "warm": warm,
        "cold_bytes": len(cold),
        "warm_bytes": len(hot),
        "graphics_memory": profile.graphics_memory,
        "graphics_defined": len(cold_stats.defined),
        "graphics_from_memory": hot_stats.held_prints,
        "warm_matches_cold": matches,
        "raster_bytes": stats.raster_bytes,
        "raster_images": stats.raster_images,
        "native_lines": stats.native_lines,
        "native_qr": stats.native_qr,
        "lines": list(stats.lines),
        "full_raster_bytes": len(full),
        "ratio_vs_full_raster": round(len(full) / len(data), 2) if data else None,
        "paper_mm": profile.paper_mm,
        "escpos_path": str(escpos_path) if escpos_path else None,
        "png_path": str(png_path) if png_path else None,
        "png_height_dots": jobs[0].image.height if jobs else None,
        "qr_payloads": [p for job in jobs for p in job.qr_payloads],
    }


def preview_token(lang: str, paper_mm: int, escpos_path: Path | None, png_path: Path | None,
                  config: Config, *, warm: bool = False) -> dict[str, Any]:
    """Back-end of ``kiosk preview token``: the sample token slip, as bytes and as a PNG."""
    profile = preview_profile(config, paper_mm)
    doc = build_token_slip(sample_token(config, lang), config, lang)
    result = preview_document(doc, profile, escpos_path, png_path, warm=warm)
    result["lang"] = lang
    return result


def sample_certificate(config: Config, issued_on: date | None = None,
                       ) -> tuple[CertificateFields, str]:
    """A representative income certificate and its QR text, signed with the reference
    backend's DEMO key (public seed: a preview, never a real certificate)."""
    from reference_backend.issuer import DEMO_KEY_ID, demo_private_key

    day = issued_on or datetime.now(ZoneInfo(config.timezone)).date()
    fields = CertificateFields(
        certificate_no=f"INC-{day.year}-000123", cert_type="INC", holder="Sunita Devi",
        issued_on=day, application_no=f"{config.centre_code}-{day:%Y%m%d}-0042",
        details={"income": "84000"})
    return fields, sign_certificate(fields, demo_private_key(), DEMO_KEY_ID)


def preview_certificate(lang: str, paper_mm: int, escpos_path: Path | None,
                        png_path: Path | None, config: Config, *,
                        warm: bool = False) -> dict[str, Any]:
    """Back-end of ``kiosk preview certificate``: a sample signed certificate slip.

    The stats dict is :func:`preview_document`'s plus ``lang`` and ``qr_text`` (the signed
    text; ``qr_payloads`` is what the simulator decoded back from the bytes).
    """
    profile = preview_profile(config, paper_mm)
    fields, qr_text = sample_certificate(config)
    doc = build_certificate_slip(fields, qr_text, config, lang, title_hi="आय प्रमाण पत्र",
                                 title_en="Income certificate",
                                 officer_hi="तहसीलदार, हुज़ूर, भोपाल",
                                 officer_en="Tehsildar, Huzur, Bhopal", paper_mm=paper_mm)
    result = preview_document(doc, profile, escpos_path, png_path, warm=warm)
    result["lang"] = lang
    result["qr_text"] = qr_text
    return result


def sample_day_report(config: Config, day: str | None = None) -> dict[str, Any]:
    """A plausible centre-day's report (300 tokens, 120 applications, two counted drawers),
    computed by :func:`kiosk.centre.day_report.day_report` from rows in a throw-away database."""
    import tempfile

    from kiosk.centre.day_report import day_report
    from kiosk.centre.day_sample import seed_day
    from kiosk.centre.db import CentreStore

    zone = ZoneInfo(config.timezone)
    when = day or datetime.now(zone).date().isoformat()
    with tempfile.TemporaryDirectory(prefix="kiosk-day-sample-") as tmp:
        store = CentreStore(Path(tmp) / "centre.sqlite3")
        try:
            seed_day(store, when, tokens=300, applications=120, tz=zone)
            return day_report(store.conn, when, tz=zone).to_json()
        finally:
            store.close()


def preview_day_end(lang: str, paper_mm: int, escpos_path: Path | None, png_path: Path | None,
                    config: Config, *, warm: bool = False) -> dict[str, Any]:
    """Back-end of ``kiosk preview day-end``: the printed day-end of a sample day."""
    from kiosk.documents.day_end_report import build_day_end_report

    profile = preview_profile(config, paper_mm)
    report = sample_day_report(config)
    doc = build_day_end_report(report, config, lang,
                               printed_at=datetime.now(ZoneInfo(config.timezone)))
    result = preview_document(doc, profile, escpos_path, png_path, warm=warm)
    result["lang"] = lang
    return result


# -- desk-cash: the cash receipt and the void slip ---------------------------------------------


def sample_cash_receipt(config: Config, *, voided: bool = False) -> dict[str, Any]:
    """A representative cash receipt as the centre stores it (counter 2, its 7th of the day;
    with ``voided``, cancelled by a supervisor)."""
    now = datetime.now(ZoneInfo(config.timezone)).replace(microsecond=0)
    day = now.date()
    receipt: dict[str, Any] = {
        "receipt_no": f"{config.centre_code}-2-{day:%Y%m%d}-007",
        "application_no": f"{config.centre_code}-{day:%Y%m%d}-0042-K",
        "service_code": "INC", "amount_paise": 2000, "fee_paise": 2000, "counter": "2",
        "operator_id": "op17", "day": day.isoformat(), "seq": 7, "tr": "SAMPLE0042",
        "taken_at": now.isoformat(), "status": "paid", "voided_at": None, "void_kind": None,
        "void_reason": None, "void_supervisor": None}
    if voided:
        receipt.update(status="voided", voided_at=now.isoformat(), void_kind="void",
                       void_reason="Entered for the wrong application", void_supervisor="sup3")
    return receipt


def preview_cash_document(which: str, lang: str, paper_mm: int, escpos_path: Path | None,
                          png_path: Path | None, config: Config, *,
                          warm: bool = False) -> dict[str, Any]:
    """Back-end of ``kiosk preview cash-receipt`` / ``void-slip``."""
    from kiosk.catalogue import packaged_catalogue
    from kiosk.documents.cash_receipt import build_cash_receipt, build_void_slip

    profile = preview_profile(config, paper_mm)
    if which == "void-slip":
        doc = build_void_slip(sample_cash_receipt(config, voided=True), packaged_catalogue(),
                              config, lang)
    else:
        doc = build_cash_receipt(sample_cash_receipt(config), packaged_catalogue(), config,
                                 lang)
    result = preview_document(doc, profile, escpos_path, png_path, warm=warm)
    result["lang"] = lang
    return result
