"""The printed cash receipt (नकद रसीद) of the operator's desk, and the void slip.

Why a receipt of its own and not the acknowledgement: the citizen who paid cash needs proof of
*this* payment — the receipt number from the counter's series, the amount, who took it, when —
and the centre's drawer is reconciled against exactly these numbers at day-end. Both documents
are built from the centre's stored receipt (the dict :mod:`kiosk.centre.desk_cash` answers), so
a reprint after a power cut or an empty paper roll is the same receipt, marked as a reprint.

The receipt number and the application number are native text (cheap, crisp, and a number
never wraps); amounts and dates follow the citizen's language first through Babel; times are
the centre's (IST). No personal data: numbers, amounts, the service and the operator's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.catalogue import Catalogue
from kiosk.config import Config
from kiosk.documents.bilingual import bilingual, labelled, languages
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Rule, Text
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_paise_for_paper, format_time

RECEIPT_KIND = "cash_receipt"
VOID_KIND = "cash_void"

MSG_RECEIPT_TITLE = N_("Cash receipt")
MSG_REPRINT = N_("REPRINT (copy of the receipt)")
MSG_RECEIPT_NO = N_("Receipt number")
MSG_APP_NO = N_("Application number")
MSG_AMOUNT = N_("Amount received")
MSG_FEE = N_("Fee: {amount}")
MSG_COUNTER = N_("Counter {counter}, operator {operator}")
MSG_WHEN = N_("Date and time: {when}")
MSG_KEEP = N_("Keep this receipt until your certificate is delivered.")
MSG_CANCELLED = N_("This receipt has been cancelled.")
MSG_VOID_TITLE = N_("Receipt cancelled")
MSG_REFUND_TITLE = N_("Cash refunded")
MSG_AMOUNT_BACK = N_("Amount returned")
MSG_REASON = N_("Reason: {reason}")
MSG_APPROVED = N_("Approved by supervisor {supervisor}")
MSG_VOID_KEEP = N_("The centre keeps this slip with the day's cash.")


def _when(raw: str | None, config: Config, lang: str) -> str:
    if not raw:
        return ""
    at = datetime.fromisoformat(raw).astimezone(ZoneInfo(config.timezone))
    return f"{format_date(at, lang, 'medium')} {format_time(at, lang)}"


def _number(text: str) -> Text:
    # Large print is double width (24 columns on 80 mm): a long number would break across
    # lines and be misread, so only short ones are large.
    return Text(text, size="large" if len(text) <= 22 else "normal", align="center", bold=True)


def _service_name(catalogue: Catalogue | None, code: str) -> Mapping[str, str]:
    svc = catalogue.get(code) if catalogue is not None and code else None
    return {"hi": svc.name.hi, "en": svc.name.en} if svc else {"hi": code, "en": code}


def _numbers(langs: tuple[str, str], receipt: Mapping[str, Any]) -> list[Block]:
    """The receipt's and the application's numbers under their labels (receipt and void slip)."""
    blocks = bilingual(langs, lambda lng: translate(MSG_RECEIPT_NO, lng), size="small",
                       static=True)
    blocks.append(_number(str(receipt["receipt_no"])))
    blocks += bilingual(langs, lambda lng: translate(MSG_APP_NO, lng), size="small",
                        static=True)
    blocks.append(Text(str(receipt["application_no"]), align="center", bold=True))
    return blocks


def build_cash_receipt(receipt: Mapping[str, Any], catalogue: Catalogue | None,
                       config: Config, lang: str, *, reprint: bool = False) -> Document:
    """The receipt of one cash payment, ``lang`` ("hi"/"en") first."""
    langs = languages(lang)
    name = _service_name(catalogue, str(receipt.get("service_code") or ""))
    amount = int(receipt["amount_paise"])
    fee = int(receipt.get("fee_paise", amount))
    blocks: list[Block] = []
    # Fixed lines are ``static``: a printer with graphics memory holds their Hindi rasters
    # (the centre's name in the one style every slip uses).
    blocks += bilingual(langs, config.centre_name, static=True)
    blocks += bilingual(langs, lambda lng: translate(MSG_RECEIPT_TITLE, lng), size="large",
                        bold=True, static=True)
    if reprint:
        blocks += bilingual(langs, lambda lng: translate(MSG_REPRINT, lng), bold=True,
                            static=True)
    blocks.append(Rule())
    blocks += _numbers(langs, receipt)
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: name[lng], bold=True, align="left")
    blocks += bilingual(langs, lambda lng: translate(MSG_AMOUNT, lng), size="small",
                        static=True)
    blocks.append(Text(format_paise_for_paper(amount, langs[0]), size="large", align="center",
                       bold=True))
    if fee != amount:
        blocks += bilingual(langs, lambda lng: translate(MSG_FEE, lng).format(
            amount=format_paise_for_paper(fee, lng)), align="left", size="small")
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: translate(MSG_COUNTER, lng).format(
        counter=receipt["counter"], operator=receipt["operator_id"]), align="left",
        size="small")
    # The date once, in the English line (figures both readers read); the Hindi label alone.
    blocks += labelled(langs, MSG_WHEN, lambda lng: {
        "when": _when(str(receipt["taken_at"]), config, "en")}, size="small")
    if receipt.get("status") not in (None, "paid"):
        blocks += bilingual(langs, lambda lng: translate(MSG_CANCELLED, lng), bold=True,
                            static=True)
    blocks.append(Feed(1))
    blocks += bilingual(langs, lambda lng: translate(MSG_KEEP, lng), size="small", static=True)
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=RECEIPT_KIND,
                    ref=str(receipt["receipt_no"]))


def build_void_slip(receipt: Mapping[str, Any], catalogue: Catalogue | None, config: Config,
                    lang: str) -> Document:
    """The slip printed when a supervisor voids or refunds a receipt (the drawer's record)."""
    langs = languages(lang)
    name = _service_name(catalogue, str(receipt.get("service_code") or ""))
    refund = receipt.get("void_kind") == "refund"
    title = MSG_REFUND_TITLE if refund else MSG_VOID_TITLE
    blocks: list[Block] = []
    blocks += bilingual(langs, config.centre_name, static=True)
    blocks += bilingual(langs, lambda lng: translate(title, lng), size="large", bold=True,
                        static=True)
    blocks.append(Rule())
    blocks += _numbers(langs, receipt)
    blocks += bilingual(langs, lambda lng: name[lng], align="left")
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: translate(MSG_AMOUNT_BACK, lng), size="small")
    blocks.append(Text(format_paise_for_paper(int(receipt["amount_paise"]), langs[0]),
                       size="large", align="center", bold=True))
    reason = str(receipt.get("void_reason") or "")
    if reason:
        blocks.append(Text(translate(MSG_REASON, langs[0]).format(reason=reason),
                           align="left"))
    blocks += bilingual(langs, lambda lng: translate(MSG_COUNTER, lng).format(
        counter=receipt["counter"], operator=receipt["operator_id"]), align="left",
        size="small")
    blocks += bilingual(langs, lambda lng: translate(MSG_APPROVED, lng).format(
        supervisor=receipt.get("void_supervisor") or "-"), align="left", size="small")
    blocks += labelled(langs, MSG_WHEN, lambda lng: {
        "when": _when(receipt.get("voided_at"), config, "en")}, size="small")
    blocks.append(Feed(1))
    blocks += bilingual(langs, lambda lng: translate(MSG_VOID_KEEP, lng), size="small",
                        static=True)
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=VOID_KIND,
                    ref=str(receipt["receipt_no"]))
