"""Renderer: native text stays text, Hindi becomes tight raster, QR native — checked on bytes
and on the PNG the *simulator* decodes from those bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.devices.sim.escpos_printer import decode_to_png
from kiosk.documents.model import Cut, Document, Feed, Qr, Rule, Text
from kiosk.printing.escpos_render import (
    PrinterProfile,
    render_escpos,
    render_escpos_with_stats,
    render_full_raster,
)
from kiosk.printing.raster import Bitmap

GS_V0 = b"\x1dv0"
P80 = PrinterProfile(paper_mm=80)
P58 = PrinterProfile(paper_mm=58)
HINDI = "कृपया अपनी बारी की प्रतीक्षा करें"


def doc(*blocks: object) -> Document:
    return Document(blocks=tuple(blocks), kind="test", ref="t1")  # type: ignore[arg-type]


def rasters(data: bytes) -> list[Bitmap]:
    """Every GS v 0 image in a stream (this test's own minimal parser)."""
    found = []
    for m in re.finditer(re.escape(GS_V0), data):
        i = m.start()
        xb = data[i + 4] | data[i + 5] << 8
        rows = data[i + 6] | data[i + 7] << 8
        found.append(Bitmap(xb * 8, rows, data[i + 8:i + 8 + xb * rows]))
    return found


def test_latin_stays_native_text() -> None:
    data = render_escpos(doc(Text("Token C-017 ready", bold=True), Cut()), P80)
    assert b"Token C-017 ready\n" in data
    assert GS_V0 not in data
    assert b"\x1bE\x01" in data  # bold on
    assert data.endswith(b"\x1dV\x01")


def test_sizes_and_alignment_use_printer_commands() -> None:
    data = render_escpos(doc(Text("C-017", size="huge", align="center")), P80)
    assert b"\x1ba\x01" in data and b"\x1d!\x33" in data


def test_devanagari_becomes_raster_with_ink_where_the_hindi_is(tmp_path: Path) -> None:
    data, stats = render_escpos_with_stats(doc(Text("Hello"), Text(HINDI), Text("World"),
                                               Cut()), P80)
    assert GS_V0 in data and stats.raster_images == 1
    assert HINDI.encode() not in data
    jobs = decode_to_png(data, tmp_path / "p.png", 80)
    job = jobs[0]
    assert job.text_lines == ["Hello", "World"]
    (x, y, w, h), = job.raster_boxes
    region = job.image.crop((x, y, x + w, y + h))
    dark = sum(1 for v in region.tobytes() if v < 128)
    assert dark > 0.1 * w * h  # real ink, not an empty box
    assert 15 <= h <= 60


def test_text_raster_is_cropped_tight() -> None:
    for text in (HINDI, "प्रमाण पत्र", "कि", "हुज़ूर"):
        for size in ("small", "normal", "large"):
            data = render_escpos(doc(Text(text, size=size)), P80)  # type: ignore[arg-type]
            for bm in rasters(data):
                assert bm.row_has_ink(0) and bm.row_has_ink(bm.height - 1)
                bw = bm.byte_width
                cols = [any(bm.data[r * bw + c] for r in range(bm.height)) for c in range(bw)]
                assert cols[0] and cols[-1]  # no all-blank byte column at either side


def test_raster_is_thresholded_not_dithered() -> None:
    # A dithered glyph has isolated single ink pixels scattered around edges; a thresholded
    # one at 26 px has almost none. Count pixels with no ink neighbour.
    bm = rasters(render_escpos(doc(Text(HINDI, size="large")), P80))[0]
    img = bm.to_ink_image()
    lonely = 0
    for yy in range(1, bm.height - 1):
        for xx in range(1, bm.width - 1):
            if img.getpixel((xx, yy)) and not any(
                    img.getpixel((xx + dx, yy + dy))
                    for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy):
                lonely += 1
    assert lonely <= 3


def test_long_text_wraps_to_paper_width() -> None:
    long_en = "Please wait for your number to be called on the display " * 3
    data = render_escpos(doc(Text(long_en)), P58)
    lines = [ln for ln in data.split(b"\n") if b"Please" in ln or b"wait" in ln]
    assert len(lines) >= 3
    long_hi = (HINDI + " ") * 4
    for bm in rasters(render_escpos(doc(Text(long_hi)), P58)):
        assert bm.width <= 384
    assert len(rasters(render_escpos(doc(Text(long_hi)), P58))) >= 3


@pytest.mark.parametrize("profile", [P58, P80], ids=["58mm", "80mm"])
@pytest.mark.parametrize("size", ["small", "normal", "large"])
def test_wrapped_hindi_lines_never_pass_the_paper_edge(profile: PrinterProfile,
                                                       size: str) -> None:
    # This sentence once wrapped into a 584-dot line on 576-dot paper (its last glyph's ink
    # reached past the measured advance) and lost "कैमरे" at the edge.
    text = ("यह प्रमाण पत्र असली है या नहीं, यह जाँचने के लिए इस QR कोड को फ़ोन के कैमरे से या "
            "किसी भी लोक सेवा केंद्र के कियोस्क पर स्कैन करें।")
    bitmaps = rasters(render_escpos(doc(Text(text, size=size)), profile))  # type: ignore[arg-type]
    assert len(bitmaps) >= 2
    assert all(bm.width <= profile.dots for bm in bitmaps)


def test_native_qr_bytes_and_decoded_payload(tmp_path: Path) -> None:
    data = render_escpos(doc(Qr("TKN:1234", module_size=5), Cut()), P80)
    assert b"\x1d(k" in data and b"TKN:1234" in data
    assert b"\x1d(k\x03\x001E1" in data  # error correction M
    assert b"\x1d(k\x03\x001C\x05" in data  # module size
    jobs = decode_to_png(data, tmp_path / "q.png", 80)
    assert jobs[0].qr_payloads == ["TKN:1234"]


def test_qr_as_image_when_printer_has_no_native_qr() -> None:
    data = render_escpos(doc(Qr("TKN:1234")), PrinterProfile(native_qr=False))
    assert b"\x1d(k" not in data and GS_V0 in data


def test_no_cut_command_without_a_cutter() -> None:
    data = render_escpos(doc(Text("x"), Cut()), PrinterProfile(cutter=False))
    assert b"\x1dV" not in data


def test_cldr_narrow_spaces_do_not_force_raster() -> None:
    data = render_escpos(doc(Text("22 November 2026  7:48\u202fpm")), P80)
    assert GS_V0 not in data and b"7:48 pm" in data


def test_rule_and_feed() -> None:
    data = render_escpos(doc(Rule(), Feed(2)), P58)
    assert b"-" * 32 + b"\n" in data and b"\x1bJ\x3c" in data


def test_left_padding_for_printers_that_ignore_esc_a() -> None:
    prof = PrinterProfile(raster_justify=False)
    bm = rasters(render_escpos(doc(Text(HINDI, align="center")), prof))[0]
    assert bm.width > 288  # the blank left margin travels as bytes
    assert b"\x1ba\x01" not in render_escpos(doc(Text(HINDI, align="center")), prof)


@pytest.mark.parametrize("profile", [P80, P58])
def test_full_raster_is_one_full_width_image(profile: PrinterProfile) -> None:
    data = render_full_raster(doc(Text("Hello"), Text(HINDI), Qr("TKN:1"), Cut()), profile)
    images = rasters(data)
    assert len(images) == 1 and images[0].width == profile.dots


def test_a_wait_range_with_an_en_dash_prints_as_native_text_hindi_keeps_its_glyph() -> None:
    """CLDR writes ranges with an en dash, which CP437 lacks: the English line goes out as code-
    page text with a hyphen (a few dozen bytes), not as a raster of the whole line."""
    english = render_escpos(doc(Text("Estimated wait: about 10\u201315 minutes")), P80)
    assert rasters(english) == []
    assert b"about 10-15 minutes" in english
    hindi = render_escpos(doc(Text("लगभग 10\u201315 मिनट")), P80)
    assert len(rasters(hindi)) == 1
    assert b"10-15" not in hindi
