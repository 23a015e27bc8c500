"""Finding an application at the desk (Ctrl+F): its details, documents seen, and a reprint.

The look-up goes to the centre service (desk and kiosk applications alike), which records every
look-up of personal data in the audit trail; the console keeps nothing after the screen closes.
The reprinted acknowledgement (पावती) is built here from the centre's record with the kiosk's
own builder (:func:`kiosk.documents.acknowledgement.build_acknowledgement`), printed on the
counter's printer on a worker, and the reprint is then recorded at the centre (audited, with
whether it came out).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.application_record import application_from_json
from kiosk.catalogue import Catalogue, packaged_catalogue
from kiosk.config import Config
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_paise
from kiosk.masking import mask_mobile
from kiosk.ui.counter.desk_printer import DeskPrinter
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.messages import SaysMessages
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import Bilingual, both, problem_text, status_code
from kiosk.ui.qt_property import qproperty
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)

MSG_NOTHING_FOUND = N_("No application matches.")
MSG_FOUND = N_("{count} found.")
MSG_SEEN_SAVED = N_("Documents seen saved.")
MSG_REPRINTED = N_("Acknowledgement printed again.")
MSG_NO_PRINTER = N_("The counter's printer is not working. Nothing was printed.")
MSG_PRINT_FAILED = N_("The acknowledgement did not print: {reason}")
MSG_SOURCE_KIOSK = N_("Kiosk {kiosk}")
MSG_SOURCE_DESK = N_("Counter {counter}")
MSG_PAID = N_("Paid")
MSG_NOT_PAID = N_("Not paid")
MSG_NO_FEE = N_("No fee")
#: Detail rows (label msgid, how to read the value).
LABELS = {
    "service": N_("Service"), "source": N_("Entered at"), "token": N_("Token"),
    "submitted": N_("Submitted"), "due": N_("Due by"), "name": N_("Name"),
    "relative": N_("Father/husband/mother"), "dob": N_("Date of birth"),
    "mobile": N_("Mobile"), "aadhaar": N_("Aadhaar"), "address": N_("Address"),
    "fee": N_("Fee"), "payment": N_("Payment"), "status": N_("Status"),
}


class DeskFindViewModel(SaysMessages, QObject):
    """``active``, ``results`` (matches), ``selected`` (its number), ``details`` (label/value
    rows), ``checklist`` (key/name/seen), ``busy`` and the message."""

    changed = Signal()
    messageChanged = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 config: Config, printer: DeskPrinter | None,
                 catalogue: Catalogue | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell, self._link, self._login = shell, link, login
        self._config, self._printer = config, printer
        self._cat = catalogue or packaged_catalogue()
        self._runner = BackgroundRunner(self)
        self._print_runner = BackgroundRunner(self)  # the printer's wire never blocks look-ups
        self._closed = False
        self._reset()
        shell.languageChanged.connect(self.changed)
        shell.languageChanged.connect(self.messageChanged)
        login.sessionEnded.connect(self.close)

    def _reset(self) -> None:
        self._active = False
        self._results: list[dict[str, Any]] = []
        self._detail: dict[str, Any] | None = None
        self._seen: list[str] = []
        self._busy = False
        self._printing = False
        self._message: Bilingual = {}
        self._message_kind = "info"

    def _call(self, what: str, fn: Any, done: Any) -> None:
        session = self._login.session_token
        if session is None or self._closed or self._busy:
            return
        self._busy = True
        self.changed.emit()

        def finished(result: Any) -> None:
            self._busy = False
            self.changed.emit()
            if not self._closed and self._active:
                done(result)

        self._runner.submit(lambda: fn(self._link.client, session), finished,
                            lambda exc: self._failed(what, exc))

    def _failed(self, what: str, exc: BaseException) -> None:
        self._busy = False
        self.changed.emit()
        if self._closed:
            return
        if status_code(exc) == 401:
            self._login.end_session(problem_text(exc, what, log), tell_centre=False)
            return
        self._say(problem_text(exc, what, log), "error")

    # ------------------------------------------------------------------ actions
    @Slot()
    def open(self) -> None:
        """Ctrl+F."""
        if self._closed or self._login.session_token is None:
            return
        self._reset()
        self._active = True
        self.changed.emit()
        self.messageChanged.emit()

    @Slot()
    def close(self) -> None:
        """Esc: the screen closes and forgets what it showed."""
        if self._active:
            self._reset()
            self.changed.emit()
            self.messageChanged.emit()

    @Slot(str)
    def search(self, query: str) -> None:
        q = query.strip()
        if not q:
            return

        def found(data: dict[str, Any]) -> None:
            self._results = list(data.get("applications") or [])
            self._detail = None
            if len(self._results) == 1:
                self.select(str(self._results[0]["application_no"]))
            n = len(self._results)
            self._say(both(MSG_FOUND, count=n) if n else both(MSG_NOTHING_FOUND),
                      "info" if n else "error")
            self.changed.emit()

        self._call("application search", lambda c, s: c.find_applications(s, q), found)

    @Slot(str)
    def select(self, number: str) -> None:
        def shown(data: dict[str, Any]) -> None:
            self._detail = data
            self._seen = list(data.get("documents_seen") or [])
            self.changed.emit()

        if self._busy:  # called from found(): the runner is free again by then
            return
        self._call("application look-up", lambda c, s: c.application(s, number), shown)

    @Slot(str)
    def toggleSeen(self, key: str) -> None:
        if self._detail is None or key not in (self._detail.get("checklist") or []):
            return
        if key in self._seen:
            self._seen.remove(key)
        else:
            self._seen.append(key)
        self.changed.emit()

    @Slot()
    def saveSeen(self) -> None:
        if self._detail is None:
            return
        number, seen = str(self._detail["application_no"]), list(self._seen)

        def saved(data: dict[str, Any]) -> None:
            if self._detail is not None:
                self._detail["documents_seen"] = list(data.get("documents_seen") or [])
            self._say(both(MSG_SEEN_SAVED), "done")
            self.changed.emit()

        self._call("documents seen", lambda c, s: c.documents_seen(s, number, seen), saved)

    @Slot()
    def reprint(self) -> None:
        """The acknowledgement again, on the counter's printer (a worker), then audited."""
        session = self._login.session_token
        if self._detail is None or self._printing or session is None:
            return
        printer, detail, lang = self._printer, dict(self._detail), self._lang()
        client, cat, config = self._link.client, self._cat, self._config
        number = str(detail["application_no"])

        def job() -> bool:
            from kiosk.documents.acknowledgement import build_acknowledgement

            doc = build_acknowledgement(application_from_json(detail), cat, config, lang)
            result = printer.print_document(doc) if printer is not None else None
            ok = result is not None and result.state in ("confirmed", "sent")
            try:
                client.record_print(session, number, "acknowledgement", ok)
            except Exception:  # the reprint happened; its audit entry is the centre's business
                log.warning("reprint of %s not recorded at the centre", number, exc_info=True)
            if result is None:
                raise RuntimeError("no printer")
            return ok

        self._printing = True
        self.changed.emit()
        self._print_runner.submit(job, self._printed, self._print_failed)

    def _printed(self, ok: bool) -> None:
        self._printing = False
        self.changed.emit()
        self._say(both(MSG_REPRINTED) if ok else both(MSG_PRINT_FAILED, reason="—"),
                  "done" if ok else "error")

    def _print_failed(self, exc: BaseException) -> None:
        self._printing = False
        self.changed.emit()
        log.warning("reprint failed: %s", exc)
        self._say(both(MSG_NO_PRINTER), "error")

    def shutdown(self) -> None:
        self._closed = True
        self._runner.shutdown()
        self._print_runner.shutdown()

    # ------------------------------------------------------------------ QML
    def _get_active(self) -> bool:
        return self._active

    def _get_busy(self) -> bool:
        return self._busy or self._printing

    def _get_results(self) -> list[dict[str, Any]]:
        lang = self._lang()
        rows = []
        for r in self._results:
            svc = self._cat.get(str(r.get("service_code")))
            name = (r.get("name_hi") if lang == "hi" else r.get("name_en")) \
                or r.get("name_en") or r.get("name_hi") or ""
            rows.append({"number": r["application_no"], "name": str(name),
                         "service": svc.name.get(lang) if svc else str(r.get("service_code")),
                         "token": str(r.get("token_number") or ""),
                         "mobile": str(r.get("mobile") or ""),
                         "fee": format_paise(int(r.get("fee_paise") or 0), lang),
                         "paid": bool(r.get("paid")),
                         "selected": self._detail is not None
                         and self._detail.get("application_no") == r["application_no"]})
        return rows

    def _get_selected(self) -> str:
        return str((self._detail or {}).get("application_no") or "")

    def _get_details(self) -> list[dict[str, str]]:
        d, lang = self._detail, self._lang()
        if d is None:
            return []
        a = d.get("answers") or {}
        svc = self._cat.get(str(d.get("service_code")))

        def tr(msgid: str, **kw: Any) -> str:
            return translate(msgid, lang).format(**kw)

        pay = d.get("payment") or {}
        fee = int(d.get("fee_paise") or 0)
        paid = tr(MSG_NO_FEE) if not fee else tr(MSG_PAID) if pay.get("status") == "paid" \
            else tr(MSG_NOT_PAID)
        source = tr(MSG_SOURCE_KIOSK, kiosk=d.get("kiosk_id") or "") \
            if d.get("source") == "kiosk" else tr(MSG_SOURCE_DESK, counter=d.get("counter") or "")
        address = ", ".join(str(a[k]) for k in ("house", "village", "tehsil", "district", "pin")
                            if a.get(k))
        names = " / ".join(str(a[k]) for k in ("name_hi", "name_en") if a.get(k))
        values = [
            ("service", svc.name.get(lang) if svc else str(d.get("service_code"))),
            ("source", source), ("token", str(d.get("token_number") or "—")),
            ("submitted", str(d.get("submitted_at") or "")[:16].replace("T", " ")),
            ("due", str(d.get("due_date") or "")), ("name", names),
            ("relative", str(a.get("relative_name") or "")), ("dob", str(a.get("dob") or "")),
            ("mobile", mask_mobile(str(a["mobile"])) if a.get("mobile") else ""),
            ("aadhaar", f"XXXX XXXX {d['aadhaar_last4']}" if d.get("aadhaar_last4") else ""),
            ("address", address), ("fee", format_paise(fee, lang)), ("payment", paid),
            ("status", str(d.get("status") or "")),
        ]
        return [{"label": tr(LABELS[k]), "value": v} for k, v in values if v]

    def _get_checklist(self) -> list[dict[str, Any]]:
        d, lang = self._detail, self._lang()
        if d is None:
            return []
        svc = self._cat.get(str(d.get("service_code")))
        names = {doc.key: doc.name.get(lang) for doc in svc.documents} if svc else {}
        return [{"key": k, "name": names.get(k, k), "seen": k in self._seen}
                for k in d.get("checklist") or []]

    active = qproperty(bool, _get_active, notify=changed)
    busy = qproperty(bool, _get_busy, notify=changed)
    results = qproperty(list, _get_results, notify=changed)
    selected = qproperty(str, _get_selected, notify=changed)
    details = qproperty(list, _get_details, notify=changed)
    checklist = qproperty(list, _get_checklist, notify=changed)
    message = qproperty(str, SaysMessages._get_message, notify=messageChanged)
    messageOther = qproperty(str, SaysMessages._get_message_other, notify=messageChanged)
    messageKind = qproperty(str, SaysMessages._get_message_kind, notify=messageChanged)


__all__ = ["DeskFindViewModel"]
