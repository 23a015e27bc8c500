"""The operator's layout of the kiosk's application wizard: the same catalogue, the same rules.

Why the same wizard and not a second form: what the operator enters must be checked exactly as
the kiosk checks it, so the steps come from the catalogue (:meth:`Catalogue.steps`), each step's
answers are checked by the centre with the kiosk's own :meth:`ApplicationService.check_step`
(``POST /v1/desk/applications/check``, on a worker) before the wizard moves on, and the submit
goes to the centre, which stores it with the same service (``POST /v1/desk/applications``).
The messages are the kiosk's bilingual ones. Only the layout differs: every field of a step on
one screen, Hindi and English names side by side, keyboard first (Tab, Enter to the next
field, Ctrl+Enter submit, Esc cancel).

The wizard is started for the token being served (Ctrl+N) and linked to it; it holds the
answers only until the application is stored or cancelled. The counter reads the packaged
catalogue (the centre, which decides on submit, uses the same packaged one).

``applicationReady(no, fee_paise)`` is emitted once the centre stored the application, and
``cashRequested(no, fee_paise)`` when the operator presses "Take cash" on the result: the
desk's cash panel hooks them to take the fee (this module takes no cash).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.catalogue import Catalogue, Service, packaged_catalogue
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_paise
from kiosk.ui.counter.console import ConsoleViewModel
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.messages import SaysMessages
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import Bilingual, both, problem_text, status_code
from kiosk.ui.qt_property import qproperty
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

#: The wizard's own first and last steps around the catalogue's.
SERVICE_STEP, DOCUMENTS_STEP = "_service", "_documents"

MSG_NO_TOKEN = N_("Call a token first: an application is entered for the citizen being served.")
MSG_PICK_SERVICE = N_("Choose the service first.")
MSG_FIX = N_("Please correct the marked fields.")
MSG_STORED = N_("Application {number} stored. Fee {fee}.")
MSG_STORED_FREE = N_("Application {number} stored. No fee.")
MSG_SERVICE_TITLE = N_("Service")
MSG_DOCUMENTS_TITLE = N_("Documents and delivery")


class DeskWizardViewModel(SaysMessages, QObject):
    """``active``, ``stepIndex``/``stepCount``/``steps``, ``stepKey``, ``services``,
    ``serviceCode``/``serviceName``, ``fields`` (the step's), ``errors`` (key → message),
    ``checklist``, ``deliveryOptions``/``delivery``, ``busy``, the message, and the result
    (``resultNumber``, ``resultFee``, ``resultFeePaise``) once stored."""

    changed = Signal()
    #: The step (or the service, or the language) changed: the fields are laid out again.
    stepChanged = Signal()
    errorsChanged = Signal()
    messageChanged = Signal()
    #: The centre stored the application: its number and fee in paise (the cash panel's hook).
    applicationReady = Signal(str, int)
    #: The operator pressed "Take cash" on the result: the cash panel opens for it.
    cashRequested = Signal(str, int)

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 console: ConsoleViewModel, catalogue: Catalogue | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell, self._link, self._login, self._console = shell, link, login, console
        self._cat = catalogue or packaged_catalogue()
        self._runner = BackgroundRunner(self)
        self._closed = False
        self._reset()
        shell.languageChanged.connect(self.changed)
        shell.languageChanged.connect(self.stepChanged)
        shell.languageChanged.connect(self.errorsChanged)
        shell.languageChanged.connect(self.messageChanged)
        login.sessionEnded.connect(self.cancel)

    def _reset(self) -> None:
        self._active = False
        self._code = ""
        self._step = 0
        self._answers: dict[str, str] = {}
        self._errors: dict[str, Bilingual] = {}
        self._docs: list[str] = []
        self._delivery = self._cat.delivery[0].value if self._cat.delivery else "centre"
        self._token = ""
        self._submission_id = ""
        self._result: dict[str, Any] | None = None
        self._busy = False
        self._message: Bilingual = {}
        self._message_kind = "info"

    # ------------------------------------------------------------------ helpers
    def _service(self) -> Service | None:
        return self._cat.get(self._code) if self._code else None

    def _step_keys(self) -> list[str]:
        svc = self._service()
        own = [s.key for s in self._cat.steps(svc)] if svc is not None else []
        return [SERVICE_STEP, *own, DOCUMENTS_STEP]

    def _moved(self) -> None:
        self.changed.emit()
        self.stepChanged.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.changed.emit()

    # ------------------------------------------------------------------ actions
    @Slot()
    def start(self) -> None:
        """Ctrl+N: a new application for the token being served."""
        if self._closed or self._login.session_token is None:
            return
        token = str(self._console.property("tokenNumber") or "")
        if not token:
            self._say(both(MSG_NO_TOKEN), "error")
            self._console._say(both(MSG_NO_TOKEN), "error")
            return
        self._reset()
        self._active = True
        self._token = token
        self._submission_id = str(uuid.uuid4())
        self._moved()
        self.errorsChanged.emit()
        self.messageChanged.emit()

    @Slot(str)
    def chooseService(self, code: str) -> None:
        svc = self._cat.get(code.strip().upper())
        if svc is None or not self._active or self._result is not None:
            return
        if svc.code != self._code:
            self._code = svc.code
            self._docs = []
        self._step = 1
        self._errors = {}
        self._say({})
        self._moved()
        self.errorsChanged.emit()

    @Slot(str, str)
    def setAnswer(self, key: str, value: str) -> None:
        """One field typed or chosen (no re-render: the field keeps its cursor)."""
        self._answers[key] = value
        if key in self._errors:
            del self._errors[key]
            self.errorsChanged.emit()

    @Slot(str)
    def toggleDocument(self, key: str) -> None:
        svc = self._service()
        if svc is None or key not in {d.key for d in svc.documents}:
            return
        if key in self._docs:
            self._docs.remove(key)
        else:
            self._docs.append(key)
        self.changed.emit()

    @Slot(str)
    def setDelivery(self, value: str) -> None:
        if self._cat.delivery_option(value) is not None:
            self._delivery = value
            self.changed.emit()

    @Slot()
    def back(self) -> None:
        if self._active and self._result is None and self._step > 0 and not self._busy:
            self._step -= 1
            self._say({})
            self._moved()

    @Slot()
    def next(self) -> None:
        """Check this step's answers at the centre (worker); move on when they are fine."""
        if not self._active or self._busy or self._result is not None:
            return
        keys = self._step_keys()
        key = keys[self._step]
        if key == SERVICE_STEP:
            if self._service() is None:
                self._say(both(MSG_PICK_SERVICE), "error")
                return
            self._step = 1
            self._moved()
            return
        if key == DOCUMENTS_STEP:
            self.submit()
            return
        self._check(key, lambda: self._advance(key))

    def _check(self, step: str, then: Any) -> None:
        session = self._login.session_token
        if session is None:
            return
        client, code = self._link.client, self._code
        answers = self._step_answers(step)
        self._set_busy(True)
        self._runner.submit(lambda: client.check_step(session, code, step, answers),
                            lambda errors: self._checked(step, errors, then),
                            lambda exc: self._failed("step check", exc))

    def _step_answers(self, step: str) -> dict[str, str]:
        svc = self._service()
        assert svc is not None
        fields = next((s.fields for s in self._cat.steps(svc) if s.key == step), ())
        return {f.key: self._answers.get(f.key, "") for f in fields}

    def _checked(self, step: str, errors: list[dict[str, str]], then: Any) -> None:
        self._set_busy(False)
        if self._closed or not self._active:
            return
        self._errors = {e["key"]: {"hi": e.get("message_hi", ""), "en": e.get("message_en", "")}
                        for e in errors}
        self.errorsChanged.emit()
        if self._errors:
            self._say(both(MSG_FIX), "error")
            return
        self._say({})
        then()

    def _advance(self, step: str) -> None:
        keys = self._step_keys()
        if keys[self._step] == step and self._step < len(keys) - 1:
            self._step += 1
            self._moved()

    @Slot()
    def submit(self) -> None:
        """Ctrl+Enter: store the application at the centre (idempotent per wizard session)."""
        session = self._login.session_token
        svc = self._service()
        if not self._active or self._busy or session is None or self._result is not None:
            return
        if svc is None:
            self._say(both(MSG_PICK_SERVICE), "error")
            return
        client = self._link.client
        code, token, sub = svc.code, self._token, self._submission_id
        answers = {k: v for k, v in self._answers.items()
                   if k in {f.key for f in self._cat.all_fields(svc)}}
        docs, delivery, lang = list(self._docs), self._delivery, self._lang()
        self._set_busy(True)
        self._runner.submit(
            lambda: client.submit_application(session, code, answers, submission_id=sub,
                                              token=token, lang=lang, delivery=delivery,
                                              documents_shown=docs),
            self._stored, lambda exc: self._failed("desk submit", exc))

    def _stored(self, app: dict[str, Any]) -> None:
        self._set_busy(False)
        if self._closed or not self._active:
            return
        self._result = app
        self._step = len(self._step_keys()) - 1
        no, fee = str(app["application_no"]), int(app.get("fee_paise") or 0)
        if fee:
            self._say(both(MSG_STORED, number=no, fee=format_paise(fee, "en")), "done")
        else:
            self._say(both(MSG_STORED_FREE, number=no), "done")
        self._moved()
        self.applicationReady.emit(no, fee)

    def _failed(self, what: str, exc: BaseException) -> None:
        self._set_busy(False)
        if self._closed:
            return
        if status_code(exc) == 401:
            self._login.end_session(problem_text(exc, what, log), tell_centre=False)
            return
        fields = getattr(exc, "fields", None)
        if isinstance(fields, list) and fields:  # the whole form was refused at submit
            self._errors = {f["key"]: {"hi": f.get("message_hi", ""),
                                       "en": f.get("message_en", "")} for f in fields}
            self.errorsChanged.emit()
            first = next((i for i, k in enumerate(self._step_keys())
                          if any(f.key in self._errors for f in self._fields_of(k))), None)
            if first is not None:
                self._step = first
                self._moved()
        self._say(problem_text(exc, what, log), "error")

    @Slot()
    def takeCash(self) -> None:
        """"Take cash" on the result: hand the number and fee to the cash panel, close."""
        if self._result is None:
            return
        no, fee = str(self._result["application_no"]), int(self._result.get("fee_paise") or 0)
        self.cancel()
        self.cashRequested.emit(no, fee)

    @Slot()
    def cancel(self) -> None:
        """Esc: close the wizard; nothing is stored unless it was submitted."""
        if not self._active:
            return
        self._reset()
        self._moved()
        self.errorsChanged.emit()
        self.messageChanged.emit()

    def shutdown(self) -> None:
        self._closed = True
        self._runner.shutdown()

    # ------------------------------------------------------------------ QML
    def _fields_of(self, key: str) -> tuple[Any, ...]:
        svc = self._service()
        if svc is None:
            return ()
        return next((s.fields for s in self._cat.steps(svc) if s.key == key), ())

    def _get_active(self) -> bool:
        return self._active

    def _get_step_index(self) -> int:
        return self._step

    def _get_step_count(self) -> int:
        return len(self._step_keys())

    def _get_step_key(self) -> str:
        return self._step_keys()[self._step]

    def _get_steps(self) -> list[dict[str, Any]]:
        lang, svc = self._lang(), self._service()
        titles = {SERVICE_STEP: translate(MSG_SERVICE_TITLE, lang),
                  DOCUMENTS_STEP: translate(MSG_DOCUMENTS_TITLE, lang)}
        if svc is not None:
            titles.update({s.key: s.title.get(lang) for s in self._cat.steps(svc)})
        return [{"key": k, "title": titles.get(k, k), "current": i == self._step}
                for i, k in enumerate(self._step_keys())]

    def _get_services(self) -> list[dict[str, str]]:
        lang = self._lang()
        return [{"code": s.code, "name": s.name.get(lang),
                 "other": s.name.get("en" if lang == "hi" else "hi")}
                for s in self._cat.services]

    def _get_service_code(self) -> str:
        return self._code

    def _get_service_name(self) -> str:
        svc = self._service()
        return svc.name.get(self._lang()) if svc is not None else ""

    def _get_token(self) -> str:
        return self._token

    def _get_fields(self) -> list[dict[str, Any]]:
        lang = self._lang()
        other = "en" if lang == "hi" else "hi"
        out = []
        for f in self._fields_of(self._get_step_key()):
            out.append({
                "key": f.key, "kind": f.kind, "label": f.label.get(lang),
                "labelOther": f.label.get(other), "required": f.required,
                "help": f.help.get(lang) if f.help else "", "maxLength": f.max_length,
                "script": f.script, "value": self._answers.get(f.key, ""),
                "options": [{"value": o.value, "label": o.label.get(lang)} for o in f.options],
                # Hindi and English names side by side: a name field takes half a row
                "half": f.is_name or f.kind in ("date", "choice", "mobile", "aadhaar", "pin",
                                                "number", "money", "decimal")})
        return out

    def _get_errors(self) -> dict[str, str]:
        lang = self._lang()
        return {k: v.get(lang, "") for k, v in self._errors.items()}

    def _get_checklist(self) -> list[dict[str, Any]]:
        svc, lang = self._service(), self._lang()
        if svc is None:
            return []
        return [{"key": d.key, "name": d.name.get(lang), "required": d.required,
                 "seen": d.key in self._docs} for d in svc.documents]

    def _get_delivery_options(self) -> list[dict[str, Any]]:
        lang = self._lang()
        return [{"value": d.value, "label": d.label.get(lang),
                 "fee": format_paise(d.amount_paise, lang) if d.amount_paise else ""}
                for d in self._cat.delivery]

    def _get_delivery(self) -> str:
        return self._delivery

    def _get_busy(self) -> bool:
        return self._busy

    def _get_done(self) -> bool:
        return self._result is not None

    def _get_result_number(self) -> str:
        return str((self._result or {}).get("application_no") or "")

    def _get_result_fee_paise(self) -> int:
        return int((self._result or {}).get("fee_paise") or 0)

    def _get_result_fee(self) -> str:
        return format_paise(self._get_result_fee_paise(), self._lang())

    active = qproperty(bool, _get_active, notify=changed)
    stepIndex = qproperty(int, _get_step_index, notify=changed)
    stepCount = qproperty(int, _get_step_count, notify=changed)
    stepKey = qproperty(str, _get_step_key, notify=changed)
    steps = qproperty(list, _get_steps, notify=changed)
    services = qproperty(list, _get_services, notify=changed)
    serviceCode = qproperty(str, _get_service_code, notify=changed)
    serviceName = qproperty(str, _get_service_name, notify=changed)
    token = qproperty(str, _get_token, notify=changed)
    fields = qproperty(list, _get_fields, notify=stepChanged)
    errors = qproperty(dict, _get_errors, notify=errorsChanged)
    checklist = qproperty(list, _get_checklist, notify=changed)
    deliveryOptions = qproperty(list, _get_delivery_options, notify=changed)
    delivery = qproperty(str, _get_delivery, notify=changed)
    busy = qproperty(bool, _get_busy, notify=changed)
    done = qproperty(bool, _get_done, notify=changed)
    resultNumber = qproperty(str, _get_result_number, notify=changed)
    resultFee = qproperty(str, _get_result_fee, notify=changed)
    resultFeePaise = qproperty(int, _get_result_fee_paise, notify=changed)
    message = qproperty(str, SaysMessages._get_message, notify=messageChanged)
    messageOther = qproperty(str, SaysMessages._get_message_other, notify=messageChanged)
    messageKind = qproperty(str, SaysMessages._get_message_kind, notify=messageChanged)


__all__ = ["DeskWizardViewModel"]
