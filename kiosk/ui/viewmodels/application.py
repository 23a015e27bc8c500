"""The application wizard's state: service search, form steps, documents, review, payment,
acknowledgement.

One generic flow driven by the catalogue: a service is its steps of fields, its documents and
its fees, so a new service needs no screen. The wizard's pages are a property (``page``) the
QML switches on; every answer lives here, keyed by field, and is wiped when the session is
(idle timeout, "Done"), because a form left half-filled on a public kiosk is someone's name,
mobile number and address on show for the next person.

Threads: saving the application (an fsync), printing the acknowledgement and reading an
Aadhaar QR (an RSA check) run on ``runner``; everything that waits on the network (the
backend probe, the UPI intent, polling for the bank's confirmation) on ``net_runner``, so a
slow backend never delays a slip and nothing here blocks the GUI thread. Results carry the
wizard's generation and are dropped if the citizen has gone since.

Payments: UPI is confirmed only by the backend (``GET /v1/payments/{tr}``), never by what a
phone shows. With no backend, UPI switched off, or the backend unreachable, the payment page
offers cash at the counter and says why UPI cannot be used.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import time
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.aadhaar_qr import AadhaarQrData, decode_secure_qr, looks_like_secure_qr
from kiosk.applications import Application, ApplicationService, InvalidApplicationError
from kiosk.catalogue import Catalogue, FieldDef, Service, Step
from kiosk.config import Config
from kiosk.documents import acknowledgement as ack_doc
from kiosk.documents.model import has_devanagari
from kiosk.errors import KioskError, PrinterError, ValidationError
from kiosk.fees import FeeBreakdown
from kiosk.i18n import N_, ngettext, translate
from kiosk.i18n.formatting import format_date, format_money, format_paise
from kiosk.ui.text import error_messages, other_language
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import KEYBOARD_LOCALES, PrintState, SessionViewModel
from kiosk.ui.workers import BackgroundRunner
from kiosk.validation import FieldError, mask_aadhaar, normalise, validate_field

log = logging.getLogger(__name__)

MSG_NO_FEE = N_("No fee")
MSG_FIX_ANSWERS = N_("Some answers need to be corrected. Please look at the messages in red.")
MSG_UPI_OFF = N_("UPI payment is not offered at this kiosk.")
MSG_UPI_CHECKING = N_("Checking the connection to the bank…")
MSG_UPI_OFFLINE = N_("The kiosk is offline, so UPI cannot be used now.")
MSG_UPI_FAILED = N_("UPI payment could not be started. Please pay cash at the counter.")
MSG_NO_PRINTER = N_("There is no printer here. Please write down your application number.")
MSG_ACK_PRINT_FAILED = N_("The printer could not print your acknowledgement. "
                          "Your application is saved.")

_DATE_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
#: While the bank's confirmation is awaited the citizen may stand still, phone in hand: the idle
#: timeout waits this long before it may wipe the session (a walked-away payer is still reset).
UPI_WAIT_SECONDS = 300


class Page(StrEnum):
    SERVICE = "service"
    FORM = "form"
    DOCUMENTS = "documents"
    REVIEW = "review"
    PAYMENT = "payment"
    ACK = "ack"


class PayState(StrEnum):
    CHOOSE = "choose"          # UPI or cash?
    STARTING = "starting"      # asking the backend for the UPI intent
    WAITING = "waiting"        # QR shown, polling for the bank's confirmation
    PAID = "paid"              # the backend says paid (UTR known)
    CASH = "cash"              # cash at the counter (pending)


def field_keyboard(f: FieldDef, lang: str) -> str:
    """``hi``/``en``/``digits``: a free-script text field follows the citizen's language."""
    if f.kind == "text" and f.script == "any":
        return lang
    return f.keyboard


def field_input(f: FieldDef) -> str:
    """What the text box accepts: ``text``, ``digits`` (0-9) or ``number`` (with . and -)."""
    if f.kind in ("date", "decimal"):
        return "number"
    if f.kind == "text" and f.script != "digits":
        return "text"
    return "digits"


def clean_raw(f: FieldDef, raw: str) -> str:
    """The answer as validation should see it: a date typed as 8 digits gets its dashes."""
    if f.kind == "date":
        text = normalise(raw)
        m = _DATE_DIGITS.match(text)
        if m:
            return f"{m[1]}-{m[2]}-{m[3]}"
        return text
    return raw


def display_value(f: FieldDef, raw: str, lang: str) -> str:
    """An answer as the review page shows it (choice label, masked Aadhaar, ₹)."""
    text = normalise(clean_raw(f, raw))
    if not text:
        return "—"
    if f.kind == "choice":
        opt = f.option(text)
        return opt.label.get(lang) if opt else text
    if f.kind == "aadhaar":
        digits = re.sub(r"\D", "", text)
        return mask_aadhaar(digits[-4:]) if len(digits) >= 4 else "—"
    if f.kind == "money" and text.replace(",", "").isdigit():
        return format_money(int(text.replace(",", "")), lang)
    return text


def days_text(service: Service, lang: str) -> str:
    return ngettext("{n} working day", "{n} working days", service.days, lang).format(
        n=service.days)


def prefill_answers(data: AadhaarQrData) -> dict[str, str]:
    """Form answers from an Aadhaar Secure QR; blank QR fields leave the form alone.

    The QR holds only the last four Aadhaar digits, so the Aadhaar field is never filled: the
    citizen types the number if they wish.
    """
    out: dict[str, str] = {}
    name = data.name.strip()
    if name:
        out["name_hi" if has_devanagari(name) else "name_en"] = name
    relation = {"son_of": "father", "daughter_of": "father", "wife_of": "husband"}.get(
        data.care_of_relation or "")
    if relation:
        out["relation"] = relation
    if data.care_of_name.strip() and data.care_of_relation != "husband_of":
        out["relative_name"] = data.care_of_name.strip()
    if data.dob is not None:
        out["dob"] = data.dob.strftime("%d-%m-%Y")
    if data.gender:
        out["gender"] = data.gender
    addr = data.address
    house = ", ".join(p.strip() for p in (addr.get("house", ""), addr.get("street", ""),
                                          addr.get("landmark", "")) if p.strip())
    if house:
        out["house"] = house[:80]
    village = (addr.get("village") or addr.get("locality") or "").strip()
    for key, value in (("village", village), ("tehsil", addr.get("tehsil", "")),
                       ("district", addr.get("district", "")), ("pin", addr.get("pin", ""))):
        if value and value.strip():
            out[key] = value.strip()
    return out


def qr_data_url(text: str) -> str:
    """A ``data:`` PNG of a QR code for QML's Image (made on a worker thread)."""
    import qrcode

    image = qrcode.make(text, box_size=10, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")



class ApplicationViewModel(QObject):
    """State and actions of the application wizard (context property ``apply``)."""

    pageChanged = Signal()
    servicesChanged = Signal()
    serviceChanged = Signal()
    fieldsChanged = Signal()
    answersChanged = Signal()
    errorsChanged = Signal()
    documentsChanged = Signal()
    reviewChanged = Signal()
    consentChanged = Signal()
    busyChanged = Signal()
    prefillChanged = Signal()
    applicationChanged = Signal()
    paymentChanged = Signal()
    printChanged = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, printer: Any | None, scans: ScanRouter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._config = config
        self._applications = applications
        self._printer = printer
        self._scans = scans
        self.runner = BackgroundRunner(self)       # save, print, Aadhaar QR
        self.net_runner = BackgroundRunner(self)   # backend probe, UPI intent, polling
        self._backend_factory: Callable[[], Any | None] = self._config_client
        self._client: Any = None
        self._own_clients: list[Any] = []   # made here from the config: closed at shutdown
        self._trusted: list[Any] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(max(200, int(float(config.payments.get("poll_seconds", 3))
                                            * 1000)))
        self._poll.timeout.connect(self._poll_tick)
        self._polling = False
        self._generation = 0
        self._clear()
        session.sessionReset.connect(self._on_session_reset)
        session.languageChanged.connect(self._on_language)
        scans.scanned.connect(self._on_scan)

    # ----------------------------------------------------------------- state
    def _clear(self) -> None:
        """Forget everything about this citizen's application (privacy: nothing survives)."""
        self._generation += 1
        self._page = Page.SERVICE
        self._query = ""
        self._code = ""
        self._step = 0
        self._answers: dict[str, str] = {}
        self._errors: dict[str, FieldError] = {}
        self._form_message = ""
        self._docs: set[str] = set()
        self._delivery = "centre"
        self._consent = False
        self._busy = False
        self._submission_id = str(uuid.uuid4())
        self._prefill_status = ""
        self._prefill_msgid = ""
        self._app: Application | None = None
        self._pay_state = PayState.CHOOSE
        self._upi_available = False
        self._upi_reason = ""
        self._pay_error = ""
        self._upi_qr = ""
        self._upi_tr = ""
        self._upi_since = 0.0
        self._utr = ""
        self._print_state = PrintState.IDLE
        self._print_error: dict[str, str] = {}
        self._poll.stop()
        self._polling = False

    def _lang(self) -> str:
        return str(self._session.property("language"))

    def _catalogue(self) -> Catalogue:
        return self._applications.catalogue()

    def _service(self) -> Service | None:
        return self._catalogue().get(self._code) if self._code else None

    def _steps(self) -> tuple[Step, ...]:
        svc = self._service()
        return self._catalogue().steps(svc) if svc else ()

    def _fields_by_key(self) -> dict[str, FieldDef]:
        return {f.key: f for step in self._steps() for f in step.fields}

    def _clean_answers(self) -> dict[str, str]:
        fields = self._fields_by_key()
        return {k: clean_raw(fields[k], v) for k, v in self._answers.items() if k in fields}

    def _has_fee(self) -> bool:
        if self._app is not None:
            return self._app.fee_paise > 0
        return self._quote().total_paise > 0 if self._code else False

    def _quote(self) -> FeeBreakdown:
        try:
            return self._applications.quote(self._code, self._clean_for_fees(), self._delivery)
        except (KioskError, ValueError):
            log.warning("fee quote failed for %s", self._code, exc_info=True)
            return FeeBreakdown(())

    def _clean_for_fees(self) -> dict[str, Any]:
        """Validated values where they are valid (fee rules read numbers and dates)."""
        today = self._applications.now().date()
        out: dict[str, Any] = {}
        for key, f in self._fields_by_key().items():
            if key in self._answers:
                value, err = validate_field(f, clean_raw(f, self._answers[key]), today)
                if err is None and value is not None:
                    out[key] = value
        return out

    # ----------------------------------------------------------------- properties: pages
    def _get_page(self) -> str:
        return self._page.value

    def _get_progress_total(self) -> int:
        if self._page in (Page.SERVICE, Page.ACK) or not self._code:
            return 0
        return len(self._steps()) + 2 + (1 if self._has_fee() else 0)

    def _get_progress_index(self) -> int:
        n = len(self._steps())
        return {Page.FORM: self._step + 1, Page.DOCUMENTS: n + 1, Page.REVIEW: n + 2,
                Page.PAYMENT: n + 3}.get(self._page, 0)

    def _get_busy(self) -> bool:
        return self._busy

    page = Property(str, _get_page, notify=pageChanged)
    progressIndex = Property(int, _get_progress_index, notify=pageChanged)
    progressTotal = Property(int, _get_progress_total, notify=pageChanged)
    busy = Property(bool, _get_busy, notify=busyChanged)

    # ----------------------------------------------------------------- properties: services
    def _get_query(self) -> str:
        return self._query

    def _get_services(self) -> list[dict[str, Any]]:
        lang = self._lang()
        other = other_language(lang)
        return [{"code": s.code, "name": s.name.get(lang), "nameOther": s.name.get(other),
                 "days": days_text(s, lang), "sameDay": s.same_day,
                 "fee": (format_paise(s.centre_fee_paise, lang) if s.centre_fee_paise
                         else translate(MSG_NO_FEE, lang))}
                for s in self._catalogue().search(self._query)]

    def _get_service_name(self) -> str:
        svc = self._service()
        return svc.name.get(self._lang()) if svc else ""

    def _get_service_name_other(self) -> str:
        svc = self._service()
        return svc.name.get(other_language(self._lang())) if svc else ""

    query = Property(str, _get_query, notify=servicesChanged)
    services = Property("QVariantList", _get_services, notify=servicesChanged)
    serviceCode = Property(str, lambda self: self._code, notify=serviceChanged)
    serviceName = Property(str, _get_service_name, notify=serviceChanged)
    serviceNameOther = Property(str, _get_service_name_other, notify=serviceChanged)

    # ----------------------------------------------------------------- properties: form
    def _current_step(self) -> Step | None:
        steps = self._steps()
        return steps[self._step] if 0 <= self._step < len(steps) else None

    def _get_step_key(self) -> str:
        step = self._current_step()
        return step.key if step else ""

    def _get_step_title(self) -> str:
        step = self._current_step()
        return step.title.get(self._lang()) if step else ""

    def _get_fields(self) -> list[dict[str, Any]]:
        step = self._current_step()
        if step is None:
            return []
        lang = self._lang()
        out = []
        for f in step.fields:
            keyboard = field_keyboard(f, lang)
            out.append({
                "key": f.key, "kind": f.kind, "label": f.label.get(lang),
                "help": f.help.get(lang) if f.help else "", "required": f.required,
                "input": field_input(f), "keyboard": keyboard,
                "locale": KEYBOARD_LOCALES.get(keyboard, ""),
                "maxLength": {"mobile": 14, "aadhaar": 14, "pin": 7, "date": 10}.get(
                    f.kind, f.max_length),
                "options": [{"value": o.value, "label": o.label.get(lang)} for o in f.options],
                "value": self._answers.get(f.key, ""),
            })
        return out

    def _get_answers(self) -> dict[str, str]:
        return dict(self._answers)

    def _get_field_errors(self) -> dict[str, Any]:
        lang = self._lang()
        other = other_language(lang)
        return {k: {"text": e.message(lang), "textOther": e.message(other)}
                for k, e in self._errors.items()}

    def _get_first_error_key(self) -> str:
        step = self._current_step()
        if step is None:
            return ""
        return next((f.key for f in step.fields if f.key in self._errors), "")

    def _get_form_message(self) -> str:
        return translate(self._form_message, self._lang()) if self._form_message else ""

    def _get_form_message_other(self) -> str:
        return (translate(self._form_message, other_language(self._lang()))
                if self._form_message else "")

    stepIndex = Property(int, lambda self: self._step, notify=pageChanged)
    stepCount = Property(int, lambda self: len(self._steps()), notify=serviceChanged)
    stepKey = Property(str, _get_step_key, notify=pageChanged)
    stepTitle = Property(str, _get_step_title, notify=fieldsChanged)
    fields = Property("QVariantList", _get_fields, notify=fieldsChanged)
    answers = Property("QVariantMap", _get_answers, notify=answersChanged)
    fieldErrors = Property("QVariantMap", _get_field_errors, notify=errorsChanged)
    firstErrorKey = Property(str, _get_first_error_key, notify=errorsChanged)
    formMessage = Property(str, _get_form_message, notify=errorsChanged)
    formMessageOther = Property(str, _get_form_message_other, notify=errorsChanged)

    # ----------------------------------------------------------------- properties: prefill
    def _get_prefill_text(self) -> str:
        return translate(self._prefill_msgid, self._lang()) if self._prefill_msgid else ""

    def _get_prefill_text_other(self) -> str:
        return (translate(self._prefill_msgid, other_language(self._lang()))
                if self._prefill_msgid else "")

    prefillStatus = Property(str, lambda self: self._prefill_status, notify=prefillChanged)
    prefillText = Property(str, _get_prefill_text, notify=prefillChanged)
    prefillTextOther = Property(str, _get_prefill_text_other, notify=prefillChanged)

    # ----------------------------------------------------------------- properties: documents
    def _get_documents(self) -> list[dict[str, Any]]:
        svc = self._service()
        if svc is None:
            return []
        lang = self._lang()
        other = other_language(lang)
        return [{"key": d.key, "name": d.name.get(lang), "nameOther": d.name.get(other),
                 "required": d.required, "have": d.key in self._docs} for d in svc.documents]

    def _get_missing_documents(self) -> list[str]:
        svc = self._service()
        if svc is None:
            return []
        lang = self._lang()
        return [d.name.get(lang) for d in svc.documents if d.key not in self._docs]

    documents = Property("QVariantList", _get_documents, notify=documentsChanged)
    missingDocuments = Property("QVariantList", _get_missing_documents, notify=documentsChanged)

    # ----------------------------------------------------------------- properties: review
    def _get_review_sections(self) -> list[dict[str, Any]]:
        lang = self._lang()
        sections = []
        for step in self._steps():
            rows = [{"key": f.key, "label": f.label.get(lang),
                     "value": display_value(f, self._answers.get(f.key, ""), lang)}
                    for f in step.fields
                    if f.required or normalise(self._answers.get(f.key, ""))]
            sections.append({"key": step.key, "title": step.title.get(lang), "rows": rows})
        return sections

    def _get_delivery_options(self) -> list[dict[str, Any]]:
        lang = self._lang()
        return [{"value": d.value, "label": d.label.get(lang),
                 "fee": ("+ " + format_paise(d.amount_paise, lang)) if d.amount_paise else "",
                 "selected": d.value == self._delivery}
                for d in self._catalogue().delivery]

    def _fees(self) -> FeeBreakdown:
        return self._app.fees if self._app is not None else self._quote()

    def _get_fee_lines(self) -> list[dict[str, str]]:
        lang = self._lang()
        return [{"label": ln.label.get(lang), "amount": format_paise(ln.amount_paise, lang)}
                for ln in self._fees().lines]

    def _get_fee_total(self) -> str:
        return format_paise(self._fees().total_paise, self._lang()) if self._code else ""

    def _get_fee_total_paise(self) -> int:
        return self._fees().total_paise if self._code else 0

    def _get_due_date(self) -> str:
        if self._app is not None:
            return format_date(self._app.due_date, self._lang(), "long")
        if not self._code:
            return ""
        try:
            return format_date(self._applications.due_date(self._code), self._lang(), "long")
        except KioskError:
            log.warning("due date unavailable for %s", self._code, exc_info=True)
            return ""

    reviewSections = Property("QVariantList", _get_review_sections, notify=reviewChanged)
    deliveryOptions = Property("QVariantList", _get_delivery_options, notify=reviewChanged)
    delivery = Property(str, lambda self: self._delivery, notify=reviewChanged)
    feeLines = Property("QVariantList", _get_fee_lines, notify=reviewChanged)
    feeTotal = Property(str, _get_fee_total, notify=reviewChanged)
    feeTotalPaise = Property(int, _get_fee_total_paise, notify=reviewChanged)
    dueDateText = Property(str, _get_due_date, notify=reviewChanged)
    consent = Property(bool, lambda self: self._consent, notify=consentChanged)

    # ----------------------------------------------------------------- properties: after submit
    def _get_payment_text(self) -> str:
        if self._app is None:
            return ""
        return ack_doc.payment_message(self._app, self._lang(), money=format_paise,
                                       chose_cash=self._pay_state is PayState.CASH)

    applicationNo = Property(str, lambda self: self._app.application_no if self._app else "",
                             notify=applicationChanged)
    paid = Property(bool, lambda self: bool(self._app and self._app.paid),
                    notify=applicationChanged)
    paymentText = Property(str, _get_payment_text, notify=applicationChanged)
    payState = Property(str, lambda self: self._pay_state.value, notify=paymentChanged)
    upiAvailable = Property(bool, lambda self: self._upi_available, notify=paymentChanged)
    upiReason = Property(str, lambda self: (translate(self._upi_reason, self._lang())
                                            if self._upi_reason else ""),
                         notify=paymentChanged)
    payError = Property(str, lambda self: (translate(self._pay_error, self._lang())
                                           if self._pay_error else ""), notify=paymentChanged)
    upiQr = Property(str, lambda self: self._upi_qr, notify=paymentChanged)
    utr = Property(str, lambda self: self._utr, notify=paymentChanged)
    printState = Property(str, lambda self: self._print_state.value, notify=printChanged)
    printErrorHi = Property(str, lambda self: self._print_error.get("hi", ""),
                            notify=printChanged)
    printErrorEn = Property(str, lambda self: self._print_error.get("en", ""),
                            notify=printChanged)

    # Python-side accessors (tests, screenshots)
    @property
    def application(self) -> Application | None:
        return self._app

    @property
    def raw_answers(self) -> dict[str, str]:
        return dict(self._answers)

    def use_printer(self, printer: Any | None) -> None:
        """Print acknowledgements with ``printer`` (screenshots use a stand-in)."""
        self._printer = printer

    def use_backend(self, factory: Callable[[], Any | None]) -> None:
        """Where UPI intents and payment status come from: ``factory()`` returns an object
        with ``health``/``create_payment``/``payment_status`` (a ``BackendClient``) or None for
        "no backend" (asked again next time). Called on the network worker."""
        self._backend_factory = factory
        self._client = None

    def attach_sync(self, source: Callable[[], Any | None]) -> None:
        """Pay through the running sync runtime's client (``lambda: kiosk.sync``); while it is
        None, a ``[backend] url`` with a token is used directly. The *embedded* demo backend
        plays the payer's bank (it confirms a UPI payment after a few seconds), so a kiosk run
        on one machine can show the whole UPI flow."""
        def factory() -> Any | None:
            runtime = source()
            if runtime is None:
                return self._config_client()
            return runtime.client

        self.use_backend(factory)

    # ----------------------------------------------------------------- slots: service
    @Slot(str)
    def setQuery(self, text: str) -> None:
        if text != self._query:
            self._query = text
            self.servicesChanged.emit()

    @Slot(str)
    def chooseService(self, code: str) -> None:
        if self._catalogue().get(code) is None:
            log.warning("unknown service %r tapped", code)
            return
        if code != self._code:
            self._code = code
            self._docs = set()
            self._errors = {}
        self._step = 0
        self._form_message = ""
        self._page = Page.FORM
        self._emit_all()

    # ----------------------------------------------------------------- slots: form
    @Slot(str, str)
    def setAnswer(self, key: str, value: str) -> None:
        if self._page is not Page.FORM or self._answers.get(key, "") == value:
            return
        self._answers[key] = value
        self.answersChanged.emit()
        if key in self._errors:
            del self._errors[key]
            self.errorsChanged.emit()

    @Slot()
    def next(self) -> None:
        if self._busy:
            return
        if self._page is Page.FORM:
            step = self._current_step()
            if step is None:
                return
            errors = self._applications.check_step(self._code, step.key, self._clean_answers())
            self._errors = {e.key: e for e in errors}
            self._form_message = MSG_FIX_ANSWERS if errors else ""
            self.errorsChanged.emit()
            if errors:
                return
            if self._step + 1 < len(self._steps()):
                self._step += 1
                self._set_page(Page.FORM)
                self.fieldsChanged.emit()
            else:
                self._set_page(Page.DOCUMENTS)
        elif self._page is Page.DOCUMENTS:
            self._set_page(Page.REVIEW)
            self.reviewChanged.emit()

    @Slot()
    def back(self) -> None:
        """Back inside the wizard; from the service list it leaves (and forgets) the wizard."""
        if self._busy:
            return
        if self._page is Page.SERVICE:
            self._clear()
            self._emit_all()
            self._session.goBack()
        elif self._page is Page.FORM:
            self._errors, self._form_message = {}, ""
            if self._step == 0:
                self._set_page(Page.SERVICE)
            else:
                self._step -= 1
                self._set_page(Page.FORM)
            self.fieldsChanged.emit()
            self.errorsChanged.emit()
        elif self._page is Page.DOCUMENTS:
            self._step = max(0, len(self._steps()) - 1)
            self._set_page(Page.FORM)
            self.fieldsChanged.emit()
        elif self._page is Page.REVIEW:
            self._set_page(Page.DOCUMENTS)
        # payment and acknowledgement: the application is saved; there is no going back

    # ----------------------------------------------------------------- slots: documents, review
    @Slot(str)
    def toggleDocument(self, key: str) -> None:
        if self._page is not Page.DOCUMENTS:
            return
        self._docs.symmetric_difference_update({key})
        self.documentsChanged.emit()

    @Slot(str)
    def chooseDelivery(self, value: str) -> None:
        if self._page is not Page.REVIEW or self._catalogue().delivery_option(value) is None:
            return
        self._delivery = value
        self.reviewChanged.emit()
        self.pageChanged.emit()  # a paid delivery can add the payment step

    @Slot(bool)
    def setConsent(self, value: bool) -> None:
        if value != self._consent:
            self._consent = value
            self.consentChanged.emit()

    @Slot()
    def submit(self) -> None:
        """Save the application on the worker; a second tap while saving does nothing, and the
        wizard's one submission id makes even a retried save return the same application."""
        if self._busy or self._page is not Page.REVIEW or not self._consent:
            return
        self._set_busy(True)
        code, answers, lang = self._code, self._clean_answers(), self._lang()
        docs, delivery, sub_id = sorted(self._docs), self._delivery, self._submission_id
        apps, generation = self._applications, self._generation
        self.runner.submit(
            lambda: apps.submit(code, answers, lang=lang, documents_shown=docs,
                                delivery=delivery, payment_method="cash",
                                submission_id=sub_id),
            lambda app: self._submitted(generation, app),
            lambda exc: self._submit_failed(generation, exc))

    # ----------------------------------------------------------------- slots: payment
    @Slot()
    def payUpi(self) -> None:
        app = self._app
        if (app is None or self._page is not Page.PAYMENT or not self._upi_available
                or self._pay_state not in (PayState.CHOOSE,)):
            return
        self._pay_state, self._pay_error = PayState.STARTING, ""
        self.paymentChanged.emit()
        generation, no, apps = self._generation, app.application_no, self._applications

        def job() -> tuple[str, str, str]:
            client = self._get_client()
            if client is None:
                raise KioskError("no backend for UPI", message=MSG_UPI_FAILED)
            from backend_client.models import PaymentIntent

            record = apps.start_upi(no)
            answer = client.create_payment(
                PaymentIntent(application_no=no, amount_paise=record.amount_paise,
                              method="upi", tr=record.tr), idempotency_key=f"pay-{record.tr}")
            uri = answer.upi_uri or record.upi_uri or ""
            return record.tr, uri, qr_data_url(uri)

        self.net_runner.submit(job, lambda result: self._upi_started(generation, *result),
                               lambda exc: self._upi_failed(generation, exc))

    @Slot()
    def payCash(self) -> None:
        if self._app is None or self._page is not Page.PAYMENT or self._pay_state is PayState.PAID:
            return
        self._stop_polling()
        self._pay_state = PayState.CASH
        self.paymentChanged.emit()
        self.applicationChanged.emit()
        self._go_ack()

    @Slot()
    def continueAfterPayment(self) -> None:
        if self._page is Page.PAYMENT and self._pay_state is PayState.PAID:
            self._go_ack()

    # ----------------------------------------------------------------- slots: acknowledgement
    @Slot()
    def reprint(self) -> None:
        if self._app is not None and self._print_state is not PrintState.PRINTING:
            self._start_print()

    @Slot()
    def finish(self) -> None:
        self._session.resetSession()   # → sessionReset → _on_session_reset wipes the wizard

    # ----------------------------------------------------------------- lifecycle
    def shutdown(self) -> None:
        """Stop timers and background work (called by KioskUi.close)."""
        self._generation += 1
        self._poll.stop()
        self.runner.shutdown()
        self.net_runner.shutdown()
        self._client = None
        for client in self._own_clients:
            client.close()
        self._own_clients.clear()

    # ----------------------------------------------------------------- internals
    def _emit_all(self) -> None:
        for signal in (self.pageChanged, self.servicesChanged, self.serviceChanged,
                       self.fieldsChanged, self.answersChanged, self.errorsChanged,
                       self.documentsChanged, self.reviewChanged, self.consentChanged,
                       self.busyChanged, self.prefillChanged, self.applicationChanged,
                       self.paymentChanged, self.printChanged):
            signal.emit()

    def _on_session_reset(self) -> None:
        self._clear()
        self._emit_all()

    def _on_language(self) -> None:
        for signal in (self.servicesChanged, self.serviceChanged, self.fieldsChanged,
                       self.errorsChanged, self.documentsChanged, self.reviewChanged,
                       self.prefillChanged, self.applicationChanged, self.paymentChanged):
            signal.emit()

    def _set_page(self, page: Page) -> None:
        self._page = page
        self.pageChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit()

    def _submitted(self, generation: int, app: Application) -> None:
        if generation != self._generation:
            log.info("application %s saved after its session ended", app.application_no)
            return
        self._set_busy(False)
        self._app = app
        self.applicationChanged.emit()
        self.reviewChanged.emit()
        if app.fee_paise > 0:
            self._set_page(Page.PAYMENT)
            self._probe_upi()
        else:
            self._go_ack()

    def _submit_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        if isinstance(exc, InvalidApplicationError):
            log.info("submission refused: %s", exc.detail)
            self._errors = {e.key: e for e in exc.errors}
            self._form_message = MSG_FIX_ANSWERS
            keys = [step_i for step_i, step in enumerate(self._steps())
                    if any(f.key in self._errors for f in step.fields)]
            self._step = keys[0] if keys else 0
            self._set_page(Page.FORM)
            self.fieldsChanged.emit()
            self.errorsChanged.emit()
            return
        self._session.report_error(exc, "submitting an application")

    # -- payment
    def _config_client(self) -> Any | None:
        """A client for the configured backend (``[backend] url``), or None without one."""
        from kiosk.sync.runtime import direct_client

        client = direct_client(self._config, self._applications.store)
        if client is not None:
            self._own_clients.append(client)
        return client

    def _get_client(self) -> Any | None:
        """The backend client, kept once found (on the network worker: it imports the HTTP
        stack); "none yet" is asked again, as sync may start after the kiosk."""
        if self._client is None:
            self._client = self._backend_factory()
        return self._client

    def _probe_upi(self) -> None:
        if not self._config.payments.get("upi_enabled", True):
            self._upi_available, self._upi_reason = False, MSG_UPI_OFF
            self.paymentChanged.emit()
            return
        self._upi_available, self._upi_reason = False, MSG_UPI_CHECKING
        self.paymentChanged.emit()
        generation = self._generation

        def job() -> bool:
            client = self._get_client()
            if client is None:
                return False
            client.health()
            return True

        self.net_runner.submit(job, lambda ok: self._probed(generation, bool(ok)),
                               lambda exc: self._probe_failed(generation, exc))

    def _probed(self, generation: int, ok: bool) -> None:
        if generation != self._generation:
            return
        self._upi_available = ok
        self._upi_reason = "" if ok else MSG_UPI_OFF
        self.paymentChanged.emit()

    def _probe_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.info("backend not reachable for UPI: %s", exc)
        self._upi_available, self._upi_reason = False, MSG_UPI_OFFLINE
        self.paymentChanged.emit()

    def _upi_started(self, generation: int, tr: str, uri: str, qr: str) -> None:
        if generation != self._generation or self._pay_state is not PayState.STARTING:
            return
        self._upi_tr, self._upi_qr = tr, qr
        self._upi_since = time.monotonic()
        self._pay_state = PayState.WAITING
        self.paymentChanged.emit()
        self._refresh_app()
        self._polling = False
        self._poll.start()

    def _upi_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("UPI could not start: %s", exc)
        self._pay_state, self._pay_error = PayState.CHOOSE, MSG_UPI_FAILED
        self._upi_available, self._upi_reason = False, MSG_UPI_FAILED
        self.paymentChanged.emit()

    def _poll_tick(self) -> None:
        if self._pay_state is not PayState.WAITING or not self._upi_tr:
            return
        if time.monotonic() - self._upi_since < UPI_WAIT_SECONDS:
            self._session.noteActivity()
        if self._polling:
            return
        self._polling = True
        generation, tr, apps = self._generation, self._upi_tr, self._applications

        def job() -> str:
            client = self._get_client()
            if client is None:
                return ""
            answer = client.payment_status(tr)
            if answer.status == "paid" and answer.utr:
                apps.mark_paid(tr, answer.utr)
                return str(answer.utr)
            return ""

        self.net_runner.submit(job, lambda utr: self._polled(generation, str(utr)),
                               lambda exc: self._poll_failed(generation, exc))

    def _polled(self, generation: int, utr: str) -> None:
        if generation != self._generation:
            return
        self._polling = False
        if not utr or self._pay_state is not PayState.WAITING:
            return
        self._poll.stop()
        self._utr = utr
        self._pay_state = PayState.PAID
        self._refresh_app()
        self.paymentChanged.emit()

    def _poll_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._polling = False
        log.info("payment status not available yet: %s", exc)  # keep polling

    def _stop_polling(self) -> None:
        self._poll.stop()

    def _refresh_app(self) -> None:
        if self._app is not None:
            fresh = self._applications.get(self._app.application_no)
            if fresh is not None:
                self._app = fresh
                self.applicationChanged.emit()

    # -- acknowledgement
    def _go_ack(self) -> None:
        self._stop_polling()
        self._refresh_app()
        self._set_page(Page.ACK)
        self._start_print()

    def _start_print(self) -> None:
        app = self._app
        assert app is not None
        self._print_state, self._print_error = PrintState.PRINTING, {}
        self.printChanged.emit()
        printer, apps, config = self._printer, self._applications, self._config
        lang, generation, no = self._lang(), self._generation, app.application_no

        def job() -> None:
            ack_doc.print_acknowledgement(printer, apps, config, no, lang,
                                          no_printer_message=MSG_NO_PRINTER, fallback=app)

        self.runner.submit(job, lambda _r: self._printed(generation),
                           lambda exc: self._print_failed(generation, exc))

    def _printed(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._print_state = PrintState.PRINTED
        self.printChanged.emit()

    def _print_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._print_state = PrintState.FAILED
        self._print_error = error_messages(exc, "printing an acknowledgement", log,
                                           {PrinterError.default_message: MSG_ACK_PRINT_FAILED})
        self.printChanged.emit()

    # -- Aadhaar QR
    def _on_scan(self, text: str) -> None:
        if (str(self._session.property("screen")) != "apply" or self._page is not Page.FORM
                or self._get_step_key() != "applicant" or not looks_like_secure_qr(text)):
            return
        generation = self._generation

        def job() -> AadhaarQrData:
            return decode_secure_qr(text, self._trusted_certificates())

        self.runner.submit(job, lambda data: self._prefill(generation, data),
                           lambda exc: self._prefill_failed(generation, exc))

    def _trusted_certificates(self) -> list[Any]:
        if self._trusted is None:
            path = self._config.aadhaar_trusted_cert
            if path is None:
                self._trusted = []
            else:
                from kiosk.aadhaar_qr import load_trusted_certificates

                self._trusted = list(load_trusted_certificates([path]))
        return self._trusted

    def _prefill(self, generation: int, data: AadhaarQrData) -> None:
        if generation != self._generation or self._page is not Page.FORM:
            return
        values = prefill_answers(data)
        self._answers.update(values)
        for key in values:
            self._errors.pop(key, None)
        self._prefill_status = data.signature
        self._prefill_msgid = data.signature_message
        self.answersChanged.emit()
        self.errorsChanged.emit()
        self.fieldsChanged.emit()   # the text boxes show the new values
        self.prefillChanged.emit()

    def _prefill_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._prefill_status = "error"
        self._prefill_msgid = (exc.message if isinstance(exc, ValidationError)
                               else KioskError.default_message)
        self.prefillChanged.emit()
