"""The application wizard: service search, form steps, documents, review, submit.

One generic flow driven by the catalogue: a service is its steps of fields, its documents and
its fees, so a new service needs no screen. The wizard's pages are a property (``page``) the
QML switches on; every answer lives here, keyed by field, and is wiped when the session is
(idle timeout, "Done"), because a form left half-filled on a public kiosk is someone's name,
mobile number and address on show for the next person. After "Submit" the saved application
is shown by ``apply.ack`` (:mod:`.acknowledgement`) and paid for on ``apply.payment``
(:mod:`.payment`); an Aadhaar QR fills the applicant's step through ``apply.prefill``
(:mod:`.prefill`).

The GUI thread only binds: the catalogue and holidays come from the core's cache
(:class:`~kiosk.reference_data.ReferenceData`, reloaded when sync applies a new document), the
fee quote and the service list are computed once per change, and saving (an fsync) runs on
``runner``.
"""

from __future__ import annotations

import logging
import uuid
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.applications import Application, ApplicationService, InvalidApplicationError
from kiosk.catalogue import Catalogue, FieldDef, Service, Step
from kiosk.catalogue.places import Places, fold, load_places
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.fees import FeeBreakdown
from kiosk.i18n import LANGUAGES, N_, translate
from kiosk.i18n.formatting import format_date, format_paise
from kiosk.translit import to_english, to_hindi
from kiosk.ui.qt_property import qproperty
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels import form_focus
from kiosk.ui.viewmodels import wizard_rows as rows
from kiosk.ui.viewmodels.acknowledgement import AcknowledgementViewModel
from kiosk.ui.viewmodels.fields import clean_answers, field_row, valid_values
from kiosk.ui.viewmodels.payment import PaymentViewModel
from kiosk.ui.viewmodels.prefill import PrefillViewModel
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.workers import BackgroundRunner
from kiosk.validation import FieldError

log = logging.getLogger(__name__)

MSG_FIX_ANSWERS = N_("Some answers need to be corrected. Please look at the messages in red.")


class Page(StrEnum):
    SERVICE = "service"
    FORM = "form"
    DOCUMENTS = "documents"
    REVIEW = "review"
    PAYMENT = "payment"
    ACK = "ack"


class WizardViewModel(QObject):
    """State and actions of the application wizard (QML singleton ``Apply``)."""

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
    suggestionsChanged = Signal()
    placesChanged = Signal()
    #: An answer the kiosk filled in itself (the PIN from the chosen place): the box shows it.
    answerPushed = Signal(str, str)
    #: The citizen finished answer ``key``: a choice or tile tapped (``typed`` False), or all
    #: the digits of a valid date, mobile, PIN or Aadhaar typed (True). The form may move the
    #: focus to the next empty box (``nextBoxKey``; rules in :mod:`.form_focus`).
    moveOn = Signal(str, bool)
    #: Sync applied a new catalogue or holiday list (emitted on the sync worker, queued here).
    _referencePosted = Signal()

    def __init__(self, session: SessionViewModel, config: Config,
                 applications: ApplicationService, printer: Any | None, scans: ScanRouter,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._applications = applications
        self._home_district = config.district
        self._home_tehsil = config.tehsil
        self._places_memo: tuple[tuple[Any, ...], dict[str, list[dict[str, Any]]]] | None = None
        self.runner = BackgroundRunner(self)       # save, print, Aadhaar QR
        self._ack = AcknowledgementViewModel(session, config, applications, printer,
                                             self.runner, self)
        self._payment = PaymentViewModel(session, config, applications,
                                         on_updated=self._updated, on_done=self._go_ack,
                                         parent=self)
        self._prefill = PrefillViewModel(session, config, scans, self.runner,
                                         accepting=self._on_applicant_step,
                                         fill=self.prefill_answers, parent=self)
        self._generation = 0
        self._quote_memo: tuple[tuple[Any, ...], FeeBreakdown] | None = None
        self._services_memo: tuple[tuple[Any, ...], list[dict[str, Any]]] | None = None
        self._clear()
        self._referencePosted.connect(self._on_reference, Qt.ConnectionType.QueuedConnection)
        self._stop_reference = applications.reference.add_listener(self._referencePosted.emit)
        session.sessionReset.connect(self._on_session_reset)
        session.languageChanged.connect(self._on_language)

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
        self._suggestions: dict[str, str] = {}
        # the memos' keys hold answers: they go with the citizen too
        self._places_memo = None
        self._quote_memo = None
        self._pin_auto = ""          # the PIN the kiosk filled in from the place (replaceable)
        self._places_all = False     # "All districts" tapped: the whole list is shown
        self._return_to_review = False   # a review page "Edit": Next goes back to the review
        self._form_message = ""
        self._docs: set[str] = set()
        self._delivery = "centre"
        self._consent = False
        self._busy = False
        self._submission_id = str(uuid.uuid4())
        self._app: Application | None = None
        for child in (self._ack, self._payment, self._prefill):
            child.wipe()

    def _lang(self) -> str:
        return str(self._session.property("language"))

    def _catalogue(self) -> Catalogue:
        return self._applications.catalogue()

    def _service(self) -> Service | None:
        return self._catalogue().get(self._code) if self._code else None

    def _steps(self) -> tuple[Step, ...]:
        svc = self._service()
        return self._catalogue().steps(svc) if svc else ()

    def _current_step(self) -> Step | None:
        steps = self._steps()
        return steps[self._step] if 0 <= self._step < len(steps) else None

    def _fields_by_key(self) -> dict[str, FieldDef]:
        return {f.key: f for step in self._steps() for f in step.fields}

    def _clean_answers(self) -> dict[str, str]:
        return clean_answers(self._fields_by_key(), self._answers)

    def _quote(self) -> FeeBreakdown:
        """The fees for the answers as they are now, computed once per change of answers,
        delivery, service, day or catalogue (QML reads the total many times per page)."""
        apps = self._applications
        key = (self._code, tuple(sorted(self._answers.items())), self._delivery,
               apps.reference.version, apps.now().date())
        if self._quote_memo is not None and self._quote_memo[0] == key:
            return self._quote_memo[1]
        try:
            values = valid_values(self._fields_by_key(), self._answers, apps.now().date())
            fees = apps.quote(self._code, values, self._delivery)
        except (KioskError, ValueError):
            log.warning("fee quote failed for %s", self._code, exc_info=True)
            fees = FeeBreakdown(())
        self._quote_memo = (key, fees)
        return fees

    def _fees(self) -> FeeBreakdown:
        return self._app.fees if self._app is not None else self._quote()

    def _has_fee(self) -> bool:
        return self._fees().total_paise > 0 if self._code else False

    def _on_applicant_step(self) -> bool:
        step = self._current_step()
        return self._page is Page.FORM and step is not None and step.key == "applicant"

    # ----------------------------------------------------------------- properties
    def _get_progress_total(self) -> int:
        if self._page in (Page.SERVICE, Page.ACK) or not self._code:
            return 0
        return len(self._steps()) + 2 + (1 if self._has_fee() else 0)

    def _get_progress_index(self) -> int:
        n = len(self._steps())
        return {Page.FORM: self._step + 1, Page.DOCUMENTS: n + 1, Page.REVIEW: n + 2,
                Page.PAYMENT: n + 3}.get(self._page, 0)

    def _get_services(self) -> list[dict[str, Any]]:
        lang = self._lang()
        key = (self._query, lang, self._applications.reference.version)
        if self._services_memo is None or self._services_memo[0] != key:
            self._services_memo = (key, rows.service_rows(self._catalogue().search(self._query),
                                                          lang))
        return self._services_memo[1]

    def _service_name(self, lang: str) -> str:
        svc = self._service()
        return svc.name.get(lang) if svc else ""

    def _get_fields(self) -> list[dict[str, Any]]:
        step = self._current_step()
        lang = self._lang()
        return [field_row(f, lang, self._answers.get(f.key, "")) for f in step.fields] \
            if step is not None else []

    def _get_place_choices(self) -> dict[str, list[dict[str, Any]]]:
        """Field key → the places to offer under it now (see :meth:`Places.choices`)."""
        step = self._current_step()
        if step is None or not any(f.places for f in step.fields):
            return {}
        lang = self._lang()
        key = (self._step, self._code, tuple(sorted(self._answers.items())), lang,
               self._places_all)
        if self._places_memo is None or self._places_memo[0] != key:
            choices = {f.key: self._place_rows(f, lang) for f in step.fields if f.places}
            self._places_memo = (key, choices)
        return self._places_memo[1]

    def _place_rows(self, f: FieldDef, lang: str) -> list[dict[str, Any]]:
        """The tiles under one place field. A district or tehsil already chosen stays among
        its tiles, marked ``chosen`` (the kiosk's own is chosen when the step opens: the
        citizen sees it, and the others are a tap away); a village once chosen shows none."""
        places, answer = self._places(), self._answers.get(f.key, "")
        kw: dict[str, Any] = {"home": self._home_district, "show_all": self._places_all}
        rows: list[dict[str, Any]] = [{**r, "chosen": False} for r in places.choices(
            f.places, answer, self._answers, lang, **kw)]
        if rows or not fold(answer) or f.places not in ("district", "tehsil"):
            return rows
        chosen = self._chosen_place(places, f.places, answer, lang)
        if not chosen:
            return rows            # typed, not one of the list: no tiles
        rows = [{**r, "chosen": r["value"] == chosen}
                for r in places.choices(f.places, "", self._answers, lang, **kw)]
        if not any(r["chosen"] for r in rows):
            rows.insert(0, {"value": chosen, "label": chosen, "detail": "", "chosen": True})
        return rows

    def _chosen_place(self, places: Places, kind: str, answer: str, lang: str) -> str:
        """The list's spelling (in ``lang``) of the district/tehsil ``answer`` names, or ""."""
        if kind == "district":
            found = places.district(answer)
            return found.name.get(lang) if found is not None else ""
        district = places.district(self._answers.get("district", ""))
        q = fold(answer)
        tehsil = next((t for t in (district.tehsils if district else ())
                       if q in (fold(t.en), fold(t.hi))), None)
        return tehsil.get(lang) if tehsil is not None else ""

    def _has_tiles(self, f: FieldDef) -> bool:
        return bool(self._get_place_choices().get(f.key))

    def _preselect_places(self) -> None:
        """On opening a step with the address: the kiosk's own district (``[kiosk]
        district``) and tehsil (``[kiosk] tehsil``) are chosen, shown chosen on their tiles,
        unless this citizen has answered (or cleared) them already."""
        step = self._current_step()
        if step is None:
            return
        places, lang = self._places(), self._lang()
        for f in step.fields:
            if f.places not in ("district", "tehsil") or f.key in self._answers:
                continue
            if f.places == "district":
                own = places.district(self._home_district)
                value = own.name.get(lang) if own is not None else ""
            else:
                value = self._home_tehsil and self._chosen_place(
                    places, "tehsil", self._home_tehsil, lang)
            if value:
                self._answers[f.key] = value
                self.answersChanged.emit()
                self._fill_from_place(f.key, value)

    @staticmethod
    def _places() -> Places:
        return load_places()

    def _get_first_error_key(self) -> str:
        step = self._current_step()
        if step is None:
            return ""
        return next((f.key for f in step.fields if f.key in self._errors), "")

    def _form_text(self, lang: str) -> str:
        return translate(self._form_message, lang) if self._form_message else ""

    def _get_documents(self) -> list[dict[str, Any]]:
        svc = self._service()
        return rows.document_rows(svc, self._docs, self._lang()) if svc else []

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

    page = qproperty(str, lambda self: self._page.value, notify=pageChanged)
    progressIndex = qproperty(int, _get_progress_index, notify=pageChanged)
    progressTotal = qproperty(int, _get_progress_total, notify=pageChanged)
    busy = qproperty(bool, lambda self: self._busy, notify=busyChanged)
    query = qproperty(str, lambda self: self._query, notify=servicesChanged)
    services = qproperty(list, _get_services, notify=servicesChanged)
    serviceCode = qproperty(str, lambda self: self._code, notify=serviceChanged)
    serviceName = qproperty(str, lambda self: self._service_name(self._lang()),
                           notify=serviceChanged)
    serviceNameOther = qproperty(str, lambda self: self._service_name(other_language(
        self._lang())), notify=serviceChanged)
    stepIndex = qproperty(int, lambda self: self._step, notify=pageChanged)
    stepCount = qproperty(int, lambda self: len(self._steps()), notify=serviceChanged)
    stepKey = qproperty(str, lambda self: (s.key if (s := self._current_step()) else ""),
                       notify=pageChanged)
    stepTitle = qproperty(str, lambda self: (s.title.get(self._lang())
                                            if (s := self._current_step()) else ""),
                         notify=fieldsChanged)
    fields = qproperty(list, _get_fields, notify=fieldsChanged)
    answers = qproperty(dict, lambda self: dict(self._answers), notify=answersChanged)
    fieldErrors = qproperty(dict, lambda self: rows.error_rows(self._errors,
                                                                       self._lang()),
                           notify=errorsChanged)
    firstErrorKey = qproperty(str, _get_first_error_key, notify=errorsChanged)
    formMessage = qproperty(str, lambda self: self._form_text(self._lang()),
                           notify=errorsChanged)
    formMessageOther = qproperty(str, lambda self: self._form_text(other_language(
        self._lang())), notify=errorsChanged)
    documents = qproperty(list, _get_documents, notify=documentsChanged)
    #: Every listed document is ticked ("I have all of these" shows it ticked).
    allDocuments = qproperty(bool, lambda self: bool(svc := self._service()) and all(
        doc.key in self._docs for doc in svc.documents), notify=documentsChanged)
    missingDocuments = qproperty(list, lambda self: rows.missing_documents(
        svc, self._docs, self._lang()) if (svc := self._service()) else [],
                                notify=documentsChanged)
    reviewSections = qproperty(list, lambda self: rows.review_sections(
        self._steps(), self._answers, self._lang()), notify=reviewChanged)
    deliveryOptions = qproperty(list, lambda self: rows.delivery_rows(
        self._catalogue(), self._delivery, self._lang()), notify=reviewChanged)
    delivery = qproperty(str, lambda self: self._delivery, notify=reviewChanged)
    feeLines = qproperty(list, lambda self: rows.fee_rows(self._fees(), self._lang()),
                        notify=reviewChanged)
    feeTotal = qproperty(str, lambda self: format_paise(self._fees().total_paise, self._lang())
                        if self._code else "", notify=reviewChanged)
    feeTotalPaise = qproperty(int, lambda self: self._fees().total_paise if self._code else 0,
                             notify=reviewChanged)
    dueDateText = qproperty(str, _get_due_date, notify=reviewChanged)
    consent = qproperty(bool, lambda self: self._consent, notify=consentChanged)
    #: field key → the name typed in the other script, transliterated (kiosk/translit): the
    #: empty name box shows it and one tap takes it, so a name is typed once.
    nameSuggestions = qproperty(dict, lambda self: dict(self._suggestions),
                                notify=suggestionsChanged)
    #: field key → the districts / tehsils / villages to tap under that field (an empty list
    #: once the answer is one of them): fewer answers typed (issue 14).
    placeChoices = qproperty(dict, _get_place_choices, notify=placesChanged)
    placesShowAll = qproperty(bool, lambda self: self._places_all, notify=placesChanged)
    #: The application is saved (the payment page's Back shows the review, read-only).
    saved = qproperty(bool, lambda self: self._app is not None, notify=reviewChanged)
    #: A review page "Edit" opened this step: Next goes straight back to the review.
    returnsToReview = qproperty(bool, lambda self: self._return_to_review, notify=pageChanged)
    #: After "Submit": the saved application and its slip, the payment page, the QR banner.
    def _get_ack(self) -> AcknowledgementViewModel:
        return self._ack

    ack = qproperty(QObject, _get_ack, constant=True)
    def _get_payment(self) -> PaymentViewModel:
        return self._payment

    payment = qproperty(QObject, _get_payment, constant=True)
    def _get_prefill(self) -> PrefillViewModel:
        return self._prefill

    prefill = qproperty(QObject, _get_prefill, constant=True)

    # Python-side accessors (tests, screenshots)
    @property
    def application(self) -> Application | None:
        return self._app

    @property
    def raw_answers(self) -> dict[str, str]:
        return dict(self._answers)

    def warm_up(self) -> None:
        """After the first frame: build the catalogue and the working calendar (the first
        ``holidays`` look-up took 200–400 ms, on the GUI thread, when the review page first
        showed a due date) on a worker, so no screen pays for them. The service tiles are
        formatted once in each language too: the first fee formatted in a language loads its
        Babel locale data (20–35 ms, on the GUI thread while the application screen was built)."""
        apps = self._applications

        def job() -> None:
            load_places()
            services = apps.catalogue().services
            for svc in services:
                apps.due_date(svc.code)
            for lang in LANGUAGES:
                rows.service_rows(services, lang)
        self.runner.submit(job, lambda _r: None,
                           lambda exc: log.warning("warm-up of the calendar failed: %s", exc))

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
        self._preselect_places()
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
            if not self._errors and self._form_message == MSG_FIX_ANSWERS:
                self._form_message = ""   # the banner goes with the last error it spoke of
            self.errorsChanged.emit()
        self._suggest_partner(key, value)
        self._fill_from_place(key, value)
        self.placesChanged.emit()
        f = self._fields_by_key().get(key)
        if f is not None and f.kind == "choice" and f.option(value) is not None:
            self.moveOn.emit(key, False)
        elif f is not None and form_focus.finished_typing(f, value,
                                                          self._applications.now().date()):
            self.moveOn.emit(key, True)

    @Slot(str)
    def answeredByTap(self, key: str) -> None:
        """A tile under field ``key`` was tapped (a place, a count): like a choice, the form
        may go on to the next empty box."""
        if self._page is Page.FORM:
            self.moveOn.emit(key, False)

    @Slot(result=str)
    def firstBoxKey(self) -> str:
        """The box the step opens on ("" for none): :func:`.form_focus.first_box`."""
        step = self._current_step()
        if step is None or self._page is not Page.FORM or self._errors:
            return ""
        return form_focus.first_box(step.fields, self._answers, self._lang(), self._has_tiles)

    @Slot(str, result=str)
    def nextBoxKey(self, after: str) -> str:
        """The next empty box after field ``after`` ("" for none)."""
        step = self._current_step()
        if step is None or self._page is not Page.FORM:
            return ""
        return form_focus.next_box(step.fields, after, self._answers, self._has_tiles)

    def _fill_from_place(self, key: str, value: str) -> None:
        """A chosen district fills the PIN's first digits, a village from the post office list
        its whole PIN, unless the citizen typed a PIN of their own (which always wins)."""
        fields = self._fields_by_key()
        f = fields.get(key)
        if f is None or f.places not in ("district", "village"):
            return
        pin_key = next((k for k, fd in fields.items() if fd.kind == "pin"), "")
        if not pin_key or self._answers.get(pin_key, "") not in ("", self._pin_auto):
            return
        places = self._places()
        district = places.district(self._answers.get("district", ""))
        if district is None:
            return
        pin = ""
        if f.places == "village":
            office = places.office(district, value)
            pin = office.pin if office is not None else ""
        if not pin and len(district.pin_prefix) >= 2 and (
                f.places == "district" or self._answers.get(pin_key, "") == self._pin_auto):
            pin = district.pin_prefix
        if not pin or pin == self._answers.get(pin_key, ""):
            return
        self._answers[pin_key] = self._pin_auto = pin
        self.answersChanged.emit()
        if self._errors.pop(pin_key, None) is not None:
            self.errorsChanged.emit()
        self.answerPushed.emit(pin_key, pin)

    @Slot()
    def showAllPlaces(self) -> None:
        """"All districts": the whole list instead of the kiosk's own district."""
        if not self._places_all:
            self._places_all = True
            self.placesChanged.emit()

    @Slot(str, result=list)
    def nameFamily(self, key: str) -> list[str]:  # noqa: N802 - QML name
        """The names typed in this form's other name fields: a name field's keyboard chips
        offer their surname first (a relative's name: the applicant's own). Read from this
        citizen's answers when the field takes the focus; the session wipe clears them."""
        return [self._answers[k] for k, f in self._fields_by_key().items()
                if f.is_name and k != key and self._answers.get(k, "").strip()]

    def _suggest_partner(self, key: str, value: str) -> None:
        """A name typed in one script suggests the other script's name field (microseconds:
        a table look-up and a few rules, so it runs right here)."""
        fields = self._fields_by_key()
        typed = fields.get(key)
        if typed is None or not typed.is_name or typed.script not in ("deva", "latin"):
            return
        partner = next((f for f in fields.values() if f.is_name and f.key != key
                        and f.script in ("deva", "latin") and f.script != typed.script), None)
        if partner is None:
            return
        text = (to_hindi(value) if partner.script == "deva" else to_english(value)).strip()
        if self._suggestions.get(partner.key, "") != text:
            if text:
                self._suggestions[partner.key] = text
            else:
                self._suggestions.pop(partner.key, None)
            self.suggestionsChanged.emit()

    def prefill_answers(self, values: dict[str, str]) -> bool:
        """Answers read from an Aadhaar QR; False (nothing changed) once the form has gone."""
        if self._page is not Page.FORM:
            return False
        self._answers.update(values)
        for key in values:
            self._errors.pop(key, None)
        self.answersChanged.emit()
        self.errorsChanged.emit()
        self.fieldsChanged.emit()   # the text boxes show the new values
        self.placesChanged.emit()
        return True

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
            if self._return_to_review:
                self._return_to_review = False
                self._set_page(Page.REVIEW)
                self.reviewChanged.emit()
            elif self._step + 1 < len(self._steps()):
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
            if self._return_to_review:
                self._return_to_review = False
                self._set_page(Page.REVIEW)
                self.reviewChanged.emit()
            elif self._step == 0:
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
            if self._app is not None:      # saved: the review was only a look back
                self._set_page(Page.PAYMENT)
            else:
                self._set_page(Page.DOCUMENTS)
        elif self._page is Page.PAYMENT:
            # The application is saved: Back shows its review, read-only, and never un-saves
            # anything. Not while a UPI payment is under way: its QR stays until the bank
            # answers or the citizen chooses cash, so nobody pays twice.
            if self._payment.property("payState") == "choose":
                self._set_page(Page.REVIEW)
                self.reviewChanged.emit()
        # acknowledgement: done; there is no going back

    @Slot(str)
    def editStep(self, step_key: str) -> None:
        """A review section's "Edit": straight to that step; its Next comes back here."""
        if self._busy or self._page is not Page.REVIEW or self._app is not None:
            return
        index = next((i for i, s in enumerate(self._steps()) if s.key == step_key), -1)
        if index < 0:
            log.warning("edit of unknown step %r", step_key)
            return
        self._step, self._return_to_review = index, True
        self._errors, self._form_message = {}, ""
        self._set_page(Page.FORM)
        self.fieldsChanged.emit()
        self.errorsChanged.emit()
        self.placesChanged.emit()

    # ----------------------------------------------------------------- slots: documents, review
    @Slot(str)
    def toggleDocument(self, key: str) -> None:
        if self._page is not Page.DOCUMENTS:
            return
        self._docs.symmetric_difference_update({key})
        self.documentsChanged.emit()

    @Slot(bool)
    def setAllDocuments(self, have: bool) -> None:
        """"I have all of these": every listed document ticked in one tap (or all unticked
        again); single ticks still work."""
        svc = self._service()
        if self._page is not Page.DOCUMENTS or svc is None:
            return
        self._docs = {doc.key for doc in svc.documents} if have else set()
        self.documentsChanged.emit()

    @Slot(str)
    def chooseDelivery(self, value: str) -> None:
        if (self._page is not Page.REVIEW or self._app is not None
                or self._catalogue().delivery_option(value) is None):
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
        if self._app is not None:            # saved already: back to paying for it
            self._set_page(Page.PAYMENT)
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

    # ----------------------------------------------------------------- lifecycle
    def shutdown(self) -> None:
        """Stop timers and background work (called by KioskUi.close)."""
        self._generation += 1
        self._stop_reference()
        self._payment.shutdown()
        self.runner.shutdown()

    # ----------------------------------------------------------------- internals
    def _emit_all(self) -> None:
        for signal in (self.pageChanged, self.servicesChanged, self.serviceChanged,
                       self.fieldsChanged, self.answersChanged, self.errorsChanged,
                       self.documentsChanged, self.reviewChanged, self.consentChanged,
                       self.busyChanged, self.suggestionsChanged, self.placesChanged,
                       self._ack.applicationChanged,
                       self._ack.printChanged,
                       self._payment.paymentChanged, self._prefill.prefillChanged):
            signal.emit()

    @Slot()
    def _on_reference(self) -> None:
        """A new catalogue or holiday list is in force: every list and fee is re-read."""
        self._quote_memo = self._services_memo = None
        for signal in (self.servicesChanged, self.serviceChanged, self.fieldsChanged,
                       self.documentsChanged, self.reviewChanged, self.pageChanged):
            signal.emit()

    def _on_session_reset(self) -> None:
        self._clear()
        self._emit_all()

    def _on_language(self) -> None:
        for signal in (self.servicesChanged, self.serviceChanged, self.fieldsChanged,
                       self.errorsChanged, self.documentsChanged, self.reviewChanged,
                       self.placesChanged):
            signal.emit()

    def _set_page(self, page: Page) -> None:
        self._page = page
        if page is Page.FORM:
            self._preselect_places()
        self.pageChanged.emit()
        self.placesChanged.emit()      # the lists belong to the step on show

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
        self._ack.saved(app)
        self.reviewChanged.emit()
        if app.fee_paise > 0:
            self._set_page(Page.PAYMENT)
            self._payment.begin(app)
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

    def _updated(self, fresh: Application) -> None:
        """The payment page read the application back (its payment changed)."""
        self._app = fresh
        self._ack.updated(fresh)

    def _go_ack(self) -> None:
        self._set_page(Page.ACK)
        self._ack.show(chose_cash=self._payment.chose_cash)


__all__ = ["MSG_FIX_ANSWERS", "Page", "WizardViewModel"]
