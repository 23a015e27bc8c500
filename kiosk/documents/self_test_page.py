"""The printer test page: Hindi + English + a QR code + a cut, in one short slip.

Why these four: they are exactly the four paths a receipt takes through the printer — Hindi is
a Qt-shaped raster image (conjuncts such as क्ष, ज्ञ, श्र and the reph in ``धर्म`` show at once
whether shaping works), English is native text, the QR is the printer's own ``GS ( k`` (or a
raster fallback) and the cut tests the cutter. A technician who sees all four on paper knows
the slip path works end to end. The page carries no personal data: centre, time and printer
profile only.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.config import Config
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Qr, Rule, Text
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_time

DOC_KIND = "test_page"

MSG_TEST_PAGE = N_("Printer test page")
MSG_TEST_CHECK = N_("Check: Hindi, English, the QR code and a clean cut.")

#: Devanagari that exercises conjuncts, reph, matras and nukta: a shaping test, not a message.
HINDI_SAMPLE = "क्षत्रिय ज्ञान श्रम धर्म ड़ ऋषि ॐ ₹ १२३४५"
ENGLISH_SAMPLE = "The quick brown fox jumps over the lazy dog 0123456789"


def _both(msgid: str) -> list[str]:
    """Hindi then English; one line while the Hindi translation is still missing."""
    hi, en = translate(msgid, "hi"), translate(msgid, "en")
    return [hi] if hi == en else [hi, en]


def build_test_page(config: Config, now: datetime | None = None,
                    paper_mm: int | None = None) -> Document:
    """The test page for ``config``'s printer; ``ref`` is the timestamp (journal key)."""
    from kiosk.local_time import zone

    now = (now or datetime.now()).astimezone(zone(config.timezone))  # the centre's clock
    ref = now.strftime("%Y%m%dT%H%M%S")
    printer = config.printer
    mm = paper_mm or printer.paper_mm
    blocks: list[Block] = []
    for line in _both(MSG_TEST_PAGE):
        blocks.append(Text(line, size="large", align="center", bold=True))
    blocks.append(Rule())
    blocks.append(Text(config.centre_name("hi"), align="center", bold=True))
    blocks.append(Text(config.centre_name("en"), align="center", bold=True))
    blocks.append(Text(HINDI_SAMPLE))
    blocks.append(Text(ENGLISH_SAMPLE))
    blocks.append(Text(f"{format_date(now, 'en', 'long')}  {format_time(now, 'en')}",
                       size="small"))
    blocks.append(Text(f"{printer.url}  {mm} mm  QR {'native' if printer.native_qr else 'image'}"
                       f"  cutter {'yes' if printer.cutter else 'no'}", size="small"))
    blocks.append(Feed(1))
    blocks.append(Qr(f"TEST:{config.centre_code}:{ref}", module_size=5))
    for line in _both(MSG_TEST_CHECK):
        blocks.append(Text(line, size="small", align="center"))
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, ("hi", "en"))), kind=DOC_KIND,
                    ref=ref)
