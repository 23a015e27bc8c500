"""The printed certificate slip: bilingual facts plus the QR that proves them.

Why a thermal slip can be a certificate at all: what makes it trustworthy is not the paper but
the signed QR at the bottom (see :mod:`kiosk.certificates`). The text lines are for people; the
QR is for any kiosk or phone, and it carries the same facts under the issuing office's
signature, so a doctored line on a photocopy no longer matches what the QR verifies to.

The caller names the certificate (``title_hi``/``title_en``, from the synced catalogue) and the
issuing office/officer: this layout must not freeze a copy of the catalogue. Labels are English
msgids translated per line; values (numbers, names) are printed as given, numbers and dates
through Babel. Latin-only lines stay native printer text, Devanagari ones are rasterised by the
renderer — nothing here knows which.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import qrcode

from kiosk.certificates import CertificateFields
from kiosk.config import Config
from kiosk.documents.bilingual import bilingual, labelled, languages
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Qr, Rule
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_number

DOC_KIND = "certificate"

MSG_SIGNED = N_("Digitally signed certificate")
MSG_CERT_NO = N_("Certificate no.: {number}")
MSG_HOLDER = N_("Name: {name}")
MSG_APPLICATION_NO = N_("Application no.: {number}")
MSG_ISSUED_ON = N_("Date of issue: {date}")
MSG_ISSUED_BY = N_("Issued by: {officer}")
MSG_INCOME = N_("Annual income: {amount}")
MSG_CATEGORY = N_("Category: {value}")
MSG_CASTE = N_("Caste: {value}")
MSG_SCAN = N_("Scan to verify")
MSG_SCAN_HOW = N_("Scan this QR code with a phone camera or at any Lok Seva Kendra kiosk to "
                  "check that this certificate is genuine.")

#: Known certified details and their labels; anything else prints as ``name: value``.
DETAIL_LABELS: dict[str, str] = {"income": MSG_INCOME, "category": MSG_CATEGORY,
                                 "caste": MSG_CASTE}

#: Printable width in dots per paper width, and the QR's bounds in dots per module: below 3 a
#: worn head blurs modules together, above 6 the code is needlessly tall.
PAPER_DOTS: dict[int, int] = {58: 384, 80: 576}
QR_MODULE_MIN, QR_MODULE_MAX = 3, 6


def qr_module_size(data: str, paper_mm: int) -> int:
    """The largest module size (dots) at which the QR for ``data`` fits the paper.

    A signed certificate's QR is a version 10–14 code (57–73 modules), much denser than a
    token's, so the module must shrink on 58 mm paper. Error correction M, as the renderer.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data.encode("utf-8"))
    code.make(fit=True)
    modules = len(code.get_matrix())
    usable = PAPER_DOTS.get(paper_mm, PAPER_DOTS[58]) - 16
    return max(QR_MODULE_MIN, min(QR_MODULE_MAX, usable // modules))


def _money(value: str, lang: str) -> str:
    """Indian grouping; ``₹`` in Hindi, ``Rs`` in English so the English line stays native
    printer text (no code page has ``₹``)."""
    digits = value.replace(",", "")
    if not digits.isdigit():
        return value
    amount = format_number(int(digits), lang)
    return f"₹{amount}" if lang == "hi" else f"Rs {amount}"


def _values(lang: str, **values: str) -> dict[str, str]:
    """The same values in every language (figures, codes): ``labelled`` prints them once."""
    return values


def detail_line(name: str, value: str, lang: str) -> str:
    """One certified detail as a printed line in ``lang``."""
    label = DETAIL_LABELS.get(name)
    if label is None:
        return f"{name.replace('_', ' ').capitalize()}: {value}"
    if name == "income":
        return translate(label, lang).format(amount=_money(value, lang))
    return translate(label, lang).format(value=value)


def build_certificate_slip(fields: CertificateFields, qr_text: str, config: Config, lang: str,
                           *, title_hi: str, title_en: str, office_hi: str | None = None,
                           office_en: str | None = None, officer_hi: str | None = None,
                           officer_en: str | None = None, paper_mm: int = 80) -> Document:
    """The certificate slip with ``lang`` printed first; ``qr_text`` from the signer.

    ``office_*`` default to the centre's name; ``officer_*`` (a designation such as
    "Tehsildar, Huzur") are printed when given. ``paper_mm`` sizes the QR's modules.
    """
    langs = languages(lang)
    titles = {"hi": title_hi, "en": title_en}
    offices = {"hi": office_hi or config.centre_name("hi"),
               "en": office_en or config.centre_name("en")}

    def line(msgid: str, **values: str) -> Callable[[str], str]:
        return lambda lng: translate(msgid, lng).format(**values)

    # The office, title, labels and the officer are ``static`` (the same on every certificate
    # of the office): a printer with graphics memory holds their Hindi. Values in figures or
    # Latin letters are printed once, in the English line (:func:`labelled`).
    blocks: list[Block] = []
    blocks += bilingual(langs, offices.__getitem__, static=True)
    blocks.append(Rule())
    blocks += bilingual(langs, titles.__getitem__, size="large", static=True)
    blocks += bilingual(langs, line(MSG_SIGNED), size="small", static=True)
    blocks.append(Rule())
    blocks += labelled(langs, MSG_CERT_NO, lambda lng: {"number": fields.certificate_no},
                       bold=True)
    blocks += labelled(langs, MSG_HOLDER, lambda lng: {"name": fields.holder}, bold=True)
    for name, value in fields.details.items():
        label = DETAIL_LABELS.get(name)
        if label is not None and name == "income":
            blocks += labelled(langs, label, partial(_values, amount=_money(value, "en")))
        else:
            blocks += bilingual(langs, partial(detail_line, name, value), align="left")
    blocks += labelled(langs, MSG_ISSUED_ON, lambda lng: {
        "date": format_date(fields.issued_on, "en", "long")})
    blocks += labelled(langs, MSG_APPLICATION_NO, lambda lng: {
        "number": fields.application_no}, size="small")
    officers = {"hi": officer_hi or officer_en or "", "en": officer_en or officer_hi or ""}
    if officers["en"]:
        blocks += bilingual(langs, lambda lng: translate(MSG_ISSUED_BY, lng).format(
            officer=officers[lng]), align="left", size="small", static=True)
    blocks.append(Feed(1))
    blocks.append(Qr(qr_text, module_size=qr_module_size(qr_text, paper_mm)))
    # One sentence under the code: a bold "Scan to verify" above it said the same thing again.
    blocks += bilingual(langs, line(MSG_SCAN_HOW), size="small", static=True)
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=DOC_KIND,
                    ref=fields.certificate_no)
