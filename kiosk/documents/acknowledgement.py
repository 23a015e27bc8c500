"""The printed acknowledgement (पावती) of an application: the citizen's proof and tracking slip.

What it carries follows the centres' practice: application number (large, native text so it is
cheap and crisp), date and time, centre and service with the designated officer, the applicant,
masked Aadhaar and mobile (``98XXXXXX10``), documents shown and still to be shown, the fee
lines with the payment reference, the date by which the Act guarantees delivery, helpline 181,
and a QR the kiosk (or the counter's scanner) reads to open the application's status. The QR
also carries the application's secret, which proves to the status screen that whoever scans it
holds the slip (details, reprint). Labels are bilingual; values such as numbers, dates and
amounts follow the citizen's language first.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.applications import Application, ApplicationService, status_qr_payload
from kiosk.catalogue import Catalogue
from kiosk.config import Config
from kiosk.documents.bilingual import bilingual, labelled, languages
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Qr, Rule, Text, has_devanagari
from kiosk.errors import PrinterError
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_paise_for_paper, format_time
from kiosk.masking import mask_mobile
from kiosk.validation import mask_aadhaar

DOC_KIND = "acknowledgement"
QR_MODULE = 4

MSG_TITLE = N_("Acknowledgement")
MSG_APP_NO = N_("Application number")
MSG_SUBMITTED = N_("Submitted: {when}")
MSG_OFFICER = N_("Designated officer: {officer}")
MSG_APPLICANT = N_("Applicant: {name}")
MSG_RELATIVE = N_("Father/husband: {name}")
#: The relative's line says the relation the citizen chose (not "Father/husband" for a mother).
MSG_RELATIVES = {"father": N_("Father: {name}"), "husband": N_("Husband: {name}"),
                 "mother": N_("Mother: {name}")}
MSG_AADHAAR = N_("Aadhaar: {masked}")
MSG_MOBILE = N_("Mobile: {mobile}")
MSG_DOCS_SHOWN = N_("Documents shown:")
MSG_DOCS_MISSING = N_("Documents still to be shown at the counter:")
MSG_FEES = N_("Fees")
MSG_TOTAL = N_("Total: {amount}")
MSG_PAID_UPI = N_("Paid by UPI, UTR {ref}")
MSG_PAID_CASH = N_("Paid in cash, receipt {ref}")
MSG_PAY_CASH = N_("Not paid yet: please pay {amount} in cash at the counter.")
MSG_PAY_PENDING = N_("UPI payment not confirmed yet: please show this slip at the counter.")
MSG_NO_FEE = N_("No fee for this service.")
MSG_DUE = N_("Guaranteed delivery by")
MSG_DUE_NOTE = N_("Counted in working days (MP Public Services Guarantee Act).")
MSG_DELIVERY = N_("Delivery: {how}")
MSG_HELPLINE = N_("Questions or complaints: CM Helpline {number}")
MSG_SCAN = N_("Scan this code at the kiosk to see your application's status.")


def build_acknowledgement(app: Application, catalogue: Catalogue, config: Config,
                          lang: str) -> Document:
    """The acknowledgement of ``app`` with ``lang`` ("hi"/"en") first."""
    langs = languages(lang)
    first = langs[0]
    svc = catalogue.get(app.service_code)

    def tr(msgid: str, **kw: str) -> list[Block]:
        return labelled(langs, msgid, lambda lng: kw)

    # Fixed lines (labels, the centre, the service and its officer, the catalogue's document
    # names and fee lines) are ``static``: a printer with graphics memory holds their Hindi.
    blocks: list[Block] = []
    blocks += bilingual(langs, config.centre_name, static=True)  # as on every slip
    blocks += bilingual(langs, lambda lng: translate(MSG_TITLE, lng), size="large",
                        static=True)
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: translate(MSG_APP_NO, lng), size="small",
                        static=True)
    # Large print is double width: 24 columns on 80 mm, too few for a 26-character number,
    # and a number broken across lines gets misread; normal bold keeps it whole.
    blocks.append(Text(app.application_no, size="large" if len(app.application_no) <= 22
                       else "normal", align="center", bold=True))
    when = app.submitted_at
    blocks += labelled(langs, MSG_SUBMITTED, lambda lng: {
        "when": f"{format_date(when, lng, 'long')} {format_time(when, lng)}"}, size="small")
    blocks.append(Rule())
    if svc is not None:
        blocks += bilingual(langs, svc.name.get, bold=True, align="left", static=True)
        blocks += bilingual(langs, lambda lng: translate(MSG_OFFICER, lng).format(
            officer=svc.officer.get(lng)), align="left", size="small", static=True)
    else:
        blocks.append(Text(app.service_code, bold=True, align="left"))
    blocks.append(Rule())
    name_first = app.applicant_name(first)
    blocks.append(Text(translate(MSG_APPLICANT, first).format(name=name_first), align="left"))
    other_name = app.applicant_name(langs[1])
    if other_name and other_name != name_first:
        blocks.append(Text(translate(MSG_APPLICANT, langs[1]).format(name=other_name),
                           align="left"))
    relative = str(app.answers.get("relative_name") or "")
    if relative:
        relation = str(app.answers.get("relation") or "")
        msgid = MSG_RELATIVES.get(relation, MSG_RELATIVE)
        if has_devanagari(relative):  # a name in Hindi: once, with the first language's label
            blocks.append(Text(translate(msgid, first).format(name=relative), align="left"))
        else:
            blocks += tr(msgid, name=relative)
    if app.aadhaar_last4:
        blocks += tr(MSG_AADHAAR, masked=mask_aadhaar(app.aadhaar_last4))
    mobile = str(app.answers.get("mobile") or "")
    if mobile:
        # Masked: a slip gets lost, photographed or reprinted by someone else.
        blocks += tr(MSG_MOBILE, mobile=mask_mobile(mobile))
    if svc is not None and svc.documents:
        shown = [d for d in svc.documents if d.key in app.documents_shown]
        missing = [d for d in svc.documents if d.key not in app.documents_shown]
        if shown:
            blocks += bilingual(langs, lambda lng: translate(MSG_DOCS_SHOWN, lng), align="left",
                                size="small", static=True)
            # No "+"/"-" marks: the heading says which list it is, and in a Hindi raster a
            # mark is pixels on every copy.
            blocks += [Text(d.name.get(first), align="left", size="small", static=True)
                       for d in shown]
        if missing:
            blocks += bilingual(langs, lambda lng: translate(MSG_DOCS_MISSING, lng), align="left",
                                size="small", bold=True, static=True)
            blocks += [Text(d.name.get(first), align="left", size="small", static=True)
                       for d in missing]
    blocks.append(Rule())
    blocks += _fees(app, langs)
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: translate(MSG_DUE, lng), size="small", static=True)
    # The date once, as native text: in figures for a Hindi reader (a Hindi month name would
    # be a raster of the same date the English line already says).
    due = (format_date(app.due_date, "en", "long") if first == "en"
           else f"{app.due_date:%d-%m-%Y}")
    blocks.append(Text(due, size="large", align="center", bold=True))
    blocks += bilingual(langs, lambda lng: translate(MSG_DUE_NOTE, lng), size="small",
                        static=True)
    option = catalogue.delivery_option(app.delivery)
    # A paid delivery is already a fee line ("घर पर स्पीड पोस्ट से: ₹15.00"): not twice.
    if option is not None and not any(ln.item == "delivery" for ln in app.fees.lines):
        blocks += bilingual(langs, lambda lng: translate(MSG_DELIVERY, lng).format(
            how=option.label.get(lng)), align="left", size="small", static=True)
    blocks.append(Feed(1))
    blocks.append(Qr(status_qr_payload(app.application_no, app.proof_secret),
                     module_size=QR_MODULE))
    blocks += bilingual(langs, lambda lng: translate(MSG_SCAN, lng), size="small", static=True)
    blocks += labelled(langs, MSG_HELPLINE, lambda lng: {"number": catalogue.helpline},
                       size="small", align="center")
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=DOC_KIND,
                    ref=app.application_no)


def _fees(app: Application, langs: tuple[str, str]) -> list[Block]:
    first = langs[0]
    if app.fee_paise == 0:
        return bilingual(langs, lambda lng: translate(MSG_NO_FEE, lng), align="left",
                         static=True)
    blocks: list[Block] = bilingual(langs, lambda lng: translate(MSG_FEES, lng), bold=True,
                                    align="left", static=True)
    for line in app.fees.lines:  # the catalogue's fee lines: the same on every slip
        amount = format_paise_for_paper(line.amount_paise, first)
        blocks.append(Text(f"{line.label.get(first)}: {amount}", align="left", size="small",
                           static=True))
    total = {lng: format_paise_for_paper(app.fee_paise, lng) for lng in langs}
    blocks += labelled(langs, MSG_TOTAL, lambda lng: {"amount": total[lng]}, bold=True)
    pay = app.payment
    if pay is not None and _settled(app):
        msg = MSG_PAID_UPI if pay.method == "upi" else MSG_PAID_CASH
        blocks += labelled(langs, msg, lambda lng: {"ref": pay.reference or ""})
    else:
        blocks += bilingual(langs, lambda lng: payment_message(app, lng), align="left",
                            bold=True)
    return blocks


def _settled(app: Application) -> bool:
    pay = app.payment
    return pay is not None and pay.status == "paid" and bool(pay.reference)


def payment_message(app: Application, lang: str, *,
                    money: Callable[[int, str], str] = format_paise_for_paper,
                    chose_cash: bool = False) -> str:
    """The payment sentence of the slip (and of the wizard's last page): paid with its UTR or
    receipt, UPI still unconfirmed, or cash to pay. ``chose_cash``: the citizen turned from a
    started UPI payment to cash, so the cash sentence applies."""
    if app.fee_paise == 0:
        return translate(MSG_NO_FEE, lang)
    pay = app.payment
    if pay is not None and _settled(app):
        msg = MSG_PAID_UPI if pay.method == "upi" else MSG_PAID_CASH
        return translate(msg, lang).format(ref=pay.reference)
    if pay is not None and pay.method == "upi" and not chose_cash:
        return translate(MSG_PAY_PENDING, lang)
    return translate(MSG_PAY_CASH, lang).format(amount=money(app.fee_paise, lang))


def print_acknowledgement(printer: object, apps: ApplicationService, config: Config,
                          number: str, lang: str, *, no_printer_message: str,
                          fallback: Application | None = None) -> None:
    """Print the acknowledgement of application ``number`` as its record stands *now* (a
    payment confirmed since the screen last looked is on paper). ``printer`` is the kiosk's
    print service; one without ``print_document`` raises :class:`PrinterError` with
    ``no_printer_message``. Blocking: call it from a worker."""
    print_document = getattr(printer, "print_document", None)
    if not callable(print_document):
        raise PrinterError("no print service for documents", message=no_printer_message)
    app = apps.get(number) or fallback
    if app is None:
        raise PrinterError(f"no application {number} to print")
    print_document(build_acknowledgement(app, apps.catalogue(), config, lang))
