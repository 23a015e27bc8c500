"""Printer models from python-escpos's real capabilities database: what the config and the
renderer make of them, and what a model's printout looks like (QR scans, nothing wraps)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PIL import Image

from kiosk.config import Config, PrinterConfig, load_config
from kiosk.config_cli import check
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, _Page, decode_to_png
from kiosk.documents.model import Document
from kiosk.documents.token_slip import build_token_slip, qr_payload
from kiosk.printing.escpos_render import PrinterProfile, native_text, render_escpos_with_stats
from kiosk.printing.preview import sample_token
from kiosk.printing.printer_models import (
    UnknownModelError,
    UnusableModelError,
    known_models,
    model_info,
)

NO_QR_58 = ("POS-5890", "NT-5890K", "ZJ-5870")


def _load(tmp_path: Path, toml: str) -> Config:
    path = tmp_path / "kiosk.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path, data_dir=tmp_path / "data", environ={}, config_dirs=[])


# --- the database ------------------------------------------------------------------------

@pytest.mark.parametrize("name", NO_QR_58)
def test_cheap_58mm_heads_have_no_native_qr(name: str) -> None:
    info = model_info(name)
    assert (info.paper_mm, info.dots, info.native_qr, info.cutter) == (58, 384, False, False)
    assert info.font_columns[0] == 32
    assert info.graphics_memory == "none"


def test_tm_t88v_is_512_dots_with_42_columns_and_graphics() -> None:
    info = model_info("TM-T88V")
    assert (info.paper_mm, info.dots, info.font_columns) == (80, 512, (42, 56))
    assert info.native_qr and info.cutter and info.graphics_memory == "gs_l"
    assert model_info("tm-t88v") == info  # the name as a technician types it


def test_only_epson_tm_heads_hold_graphics() -> None:
    memory = {name: model_info(name).graphics_memory for name in known_models()
              if name not in ("AF-240", "OCD-100", "OCD-300", "TM-U220", "TM-U220B")}
    assert {n for n, m in memory.items() if m == "gs_l"} == {
        n for n in memory if n.startswith("TM-") and model_info(n).graphics}
    assert memory["TSP600"] == memory["default"] == "none"


def test_unknown_and_unusable_models_are_refused() -> None:
    with pytest.raises(UnknownModelError) as err:
        model_info("TM-T88X")
    assert "TM-T88V" in err.value.close
    with pytest.raises(UnusableModelError, match="cannot print Hindi"):
        model_info("AF-240")  # a customer display: no raster images


# --- the configuration -------------------------------------------------------------------

def test_model_fills_unset_keys(tmp_path: Path) -> None:
    config = _load(tmp_path, '[devices.printer]\nmodel = "POS-5890"\n')
    assert config.problems == []
    p = config.printer
    assert (p.paper_mm, p.native_qr, p.cutter, p.model) == (58, False, False, "POS-5890")
    assert config.source_of("devices.printer.native_qr") == "model POS-5890"


def test_explicit_keys_win_over_the_model_but_not_the_paper(tmp_path: Path) -> None:
    config = _load(tmp_path, '[devices.printer]\nmodel = "ZJ-5870"\nnative_qr = true\n'
                             'cutter = true\npaper_mm = 80\n')
    p = config.printer
    assert (p.native_qr, p.cutter, p.paper_mm) == (True, True, 58)
    assert len(config.problems) == 1 and "58 mm" in config.problems[0]


def test_unknown_model_is_a_bilingual_problem_and_prints_generic(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    toml = '[devices.printer]\nmodel = "TM-T88X"\n'
    config = _load(tmp_path, toml)
    assert config.printer.model == ""
    (problem,) = config.problems
    assert "'devices.printer.model'" in problem and "'TM-T88X'" in problem
    assert "did you mean TM-T88V" in problem
    assert "प्रिंटर" in problem and "not known" in problem  # both languages
    assert PrinterProfile.from_config(config.printer) == PrinterProfile(graphics_memory="gs_l")
    assert check(argparse.Namespace(file=str(tmp_path / "kiosk.toml"))) == 2
    assert "TM-T88X" in capsys.readouterr().out


@pytest.mark.parametrize(("url", "model", "memory", "expected"), [
    ("/dev/ttyUSB0", "TM-T88V", "auto", "gs_l"),
    ("tcp://10.0.0.5:9100", "POS-5890", "auto", "none"),
    ("usb://0416:5011", "", "auto", "none"),
    ("sim://printer", "POS-5890", "auto", "gs_l"),   # the simulator holds graphics
    ("usb://04b8:0202?bus=sim", "", "auto", "gs_l"),
    ("/dev/ttyUSB0", "TM-T88V", "none", "none"),     # an explicit choice wins
])
def test_graphics_memory_auto(url: str, model: str, memory: str, expected: str) -> None:
    printer = PrinterConfig(url, 80, True, True, model, memory)
    assert PrinterProfile.from_config(printer).graphics_memory == expected


def test_columns_follow_the_model() -> None:
    tm = PrinterProfile.from_config(PrinterConfig("/dev/ttyUSB0", 80, True, True, "TM-T88V"))
    assert tm.dots == 512
    assert [tm.columns(s) for s in ("small", "normal", "large", "huge")] == [56, 42, 21, 10]
    generic = PrinterProfile(paper_mm=80)
    assert [generic.columns(s) for s in ("small", "normal", "large", "huge")] == [64, 48, 24, 12]
    # The database lists 12/9 "columns" for this 576-dot head: implausible, so dots decide.
    odd = PrinterProfile.from_config(PrinterConfig("/dev/ttyUSB0", 80, True, True,
                                                   "NT-80-V-UL"))
    assert odd.columns("normal") == 48


# --- what the printer makes of it -----------------------------------------------------------

def _documents(config: Config) -> list[Document]:
    from kiosk.catalogue import packaged_catalogue
    from kiosk.documents.acknowledgement import build_acknowledgement
    from kiosk.documents.cash_receipt import build_cash_receipt
    from kiosk.documents.certificate import build_certificate_slip
    from kiosk.printing.preview import sample_cash_receipt, sample_certificate
    from kiosk.printing.preview_receipt import sample_application
    from kiosk.store import Store

    docs: list[Document] = []
    fields, qr_text = sample_certificate(config)
    for lang in ("hi", "en"):
        docs.append(build_token_slip(sample_token(config, lang), config, lang))
        docs.append(build_certificate_slip(fields, qr_text, config, lang,
                                           title_hi="आय प्रमाण पत्र",
                                           title_en="Income certificate",
                                           officer_hi="तहसीलदार, हुज़ूर, भोपाल",
                                           officer_en="Tehsildar, Huzur, Bhopal", paper_mm=80))
        docs.append(build_cash_receipt(sample_cash_receipt(config), packaged_catalogue(),
                                       config, lang))
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.sqlite3") as store:
            app = sample_application(config, lang, store)
            docs.append(build_acknowledgement(app, packaged_catalogue(), config, lang))
    return docs


class _Head512(EscposPrinterSim):
    """The simulator with a TM-T88V's 512-dot head: it wraps a native line that is too long,
    exactly as the real printer does (the simulator's own wrap, on a narrower page)."""

    def __init__(self) -> None:
        super().__init__(paper_mm=80)
        self.width = 512
        self._page = _Page(512)


def _native(lines: list[str]) -> list[str]:
    """The native text lines of a render's line list (rasters and QRs say what they show)."""
    return [t for t in lines if not t.startswith("[QR") and native_text(t) == t]


def _wrapped(data: bytes, native: list[str]) -> int:
    """How many of the slip's native lines the 512-dot head printed on more than one line."""
    head = _Head512()
    head.feed(data)
    head.end_job()
    (job,) = head.jobs
    printed = set(job.text_lines)
    return sum(1 for line in native if line.strip() and line.rstrip() not in printed)


def test_tm_t88v_lines_fit_its_head(config: Config) -> None:
    tm = PrinterProfile.from_config(PrinterConfig("/dev/ttyUSB0", 80, True, True, "TM-T88V"))
    generic = PrinterProfile(paper_mm=80)
    total = wrapped_generic = wrapped_model = 0
    for doc in _documents(config):
        data, stats = render_escpos_with_stats(doc, generic)
        total += stats.native_lines
        wrapped_generic += _wrapped(data, _native(stats.lines))
        data, stats = render_escpos_with_stats(doc, tm)
        wrapped_model += _wrapped(data, _native(stats.lines))
    print(f"TM-T88V head: {wrapped_generic} of {total} generic native lines wrap; "
          f"{wrapped_model} with the model's columns")
    assert wrapped_generic > 0  # the bug this fixes is real on these documents
    assert wrapped_model == 0


@pytest.mark.parametrize("name", NO_QR_58)
def test_no_qr_model_gets_a_raster_qr_that_scans(tmp_path: Path, config: Config,
                                                 name: str) -> None:
    import zxingcpp

    printer = _load(tmp_path, f'[devices.printer]\nmodel = "{name}"\n').printer
    profile = PrinterProfile.from_config(printer)
    assert not profile.native_qr and profile.paper_mm == 58
    token = sample_token(config, "hi")
    data, stats = render_escpos_with_stats(build_token_slip(token, config, "hi"), profile)
    assert stats.native_qr == 0 and b"\x1d(k" not in data
    png = tmp_path / "slip.png"
    (job,) = decode_to_png(data, png, paper_mm=58)
    assert job.qr_payloads == []  # nothing native for the simulator to read
    found = zxingcpp.read_barcodes(Image.open(png))
    assert [r.text for r in found] == [qr_payload(token)]


def test_generic_printer_still_sends_a_native_qr(config: Config) -> None:
    data, stats = render_escpos_with_stats(
        build_token_slip(sample_token(config, "en"), config, "en"), PrinterProfile(paper_mm=58))
    assert stats.native_qr == 1 and b"\x1d(k" in data
