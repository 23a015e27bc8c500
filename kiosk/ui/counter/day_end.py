"""The counter's day-end: the expected cash, the operator's count, the difference, the
supervisor when it is not zero, the day's figures and the waits by hour, and the printed slip.

The console holds no money of its own: the expected amount, the declaration and the close are
the centre's (``/v1/desk/day-end…``), asked on the link's action worker; this view-model only
words them. While the operator types the count, the difference is worked out here from the
expected amount the centre sent, so they see it before saving; what is recorded is what the
centre answers. Printing blocks on the printer's wire, so it runs on its own worker.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.centre.day_end import MAX_DECLARED_PAISE
from kiosk.config import Config
from kiosk.documents.day_end_report import build_day_end_report, clock_text
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_number, format_paise
from kiosk.rupees import rupees_to_paise
from kiosk.ui.counter.desk_printer import DeskPrinter
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.messages import SaysMessages
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import Bilingual, both, problem_text
from kiosk.ui.qt_property import qproperty
from kiosk.ui.workers import BackgroundRunner

log = logging.getLogger(__name__)


MSG_MATCHES = N_("The count matches the expected cash.")
MSG_SHORT = N_("{amount} short: the drawer has less than expected.")
MSG_OVER = N_("{amount} over: the drawer has more than expected.")
MSG_TYPE_COUNT = N_("Type the cash you counted, in rupees.")
MSG_BAD_COUNT = N_("Enter the counted cash as an amount in rupees, for example 1250 or "
                   "1250.50.")
MSG_DECLARED = N_("Your count is saved.")
MSG_CLOSED = N_("Your day-end is closed.")
MSG_DAY_CLOSED_DONE = N_("The centre's day is closed.")
MSG_PRINTED = N_("The day-end report was printed.")
MSG_NOT_PRINTED = N_("The day-end report could not be printed. Please check the printer.")
MSG_NO_PRINTER = N_("This counter has no printer set up.")
MSG_NEED_SUPERVISOR = N_("Type the supervisor's ID and PIN.")
MSG_FIG_ISSUED = N_("Tokens at this counter")
MSG_FIG_SERVED = N_("Served")
MSG_FIG_NO_SHOW = N_("Not present")
MSG_FIG_WAIT = N_("Average wait")
MSG_FIG_SERVICE = N_("Average service")
MSG_FIG_APPS = N_("Applications")
MSG_FIG_CASH = N_("Cash taken")
MSG_FIG_UPI = N_("UPI")
MSG_STATE_NONE = N_("Not counted yet")
MSG_STATE_DECLARED = N_("Counted, not closed")
MSG_STATE_CLOSED = N_("Closed")
MSG_STATE_CLOSED_BY = N_("Closed, approved by {supervisor}")


def parse_rupees(text: str) -> int | None:
    """``"1,250.50"`` / ``"₹ 1250"`` / ``"१२५०"`` → paise; None when it is not an amount."""
    return rupees_to_paise(text, MAX_DECLARED_PAISE)


def difference_words(difference: int, lang: str) -> str:
    """The difference in words: matches, short by, or over by."""
    if difference == 0:
        return translate(MSG_MATCHES, lang)
    msgid = MSG_SHORT if difference < 0 else MSG_OVER
    return translate(msgid, lang).format(amount=format_paise(abs(difference), lang))


class DayEndViewModel(SaysMessages, QObject):
    """``CounterDayEnd``: the day-end panel (``visible``), the count and the difference
    (``expectedText``, ``countText``, ``differenceText``/``differenceWords``/
    ``differenceKind``: none | zero | short | over), the declaration's ``state`` and
    ``needsSupervisor``, the day's ``figures`` and ``hourBars`` (the chart), the message."""

    changed = Signal()
    reportChanged = Signal()
    messageChanged = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 config: Config, printer: DeskPrinter | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell, self._link, self._login = shell, link, login
        self._config = config
        self._printer = printer
        self._print_runner = BackgroundRunner(self)
        self._visible = False
        self._busy = False
        self._printing = False
        self._report: dict[str, Any] = {}
        self._count_text = ""
        self._message: Bilingual = {}
        self._message_kind = "info"
        self._closed = False
        shell.languageChanged.connect(self.changed)
        shell.languageChanged.connect(self.reportChanged)
        shell.languageChanged.connect(self.messageChanged)
        login.sessionEnded.connect(self._session_ended)

    # ------------------------------------------------------------------ panel
    @Slot()
    def open(self) -> None:
        if self._login.session_token is None or self._closed:
            return
        self._visible = True
        self._say({})
        self.changed.emit()
        self.refresh()

    @Slot()
    def close(self) -> None:
        self._visible = False
        self.changed.emit()

    @Slot()
    def toggle(self) -> None:
        self.close() if self._visible else self.open()

    def _session_ended(self) -> None:
        self._visible = False
        self._report = {}
        self._count_text = ""
        self.changed.emit()
        self.reportChanged.emit()

    # ------------------------------------------------------------------ the centre
    def _request(self, what: str, call: Any, done: Any) -> None:
        session = self._login.session_token
        if self._busy or self._closed or session is None:
            return
        self._set_busy(True)

        def ok(result: Any) -> None:
            self._set_busy(False)
            if not self._closed:
                done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if not self._closed:
                self._say(problem_text(exc, what, log), "error")

        client = self._link.client
        self._link.actions.submit(lambda: call(client, session), ok, failed)

    @Slot()
    def refresh(self) -> None:
        counter = self._shell.counter

        def arrived(report: dict[str, Any]) -> None:
            self._report = dict(report)
            self.reportChanged.emit()
            self.changed.emit()

        self._request("day-end report",
                      lambda c, s: dict(c.day_end_report(s, counter=counter)), arrived)

    @Slot(str)
    def setCount(self, text: str) -> None:  # noqa: N802 — a QML slot
        if text != self._count_text:
            self._count_text = text
            self.changed.emit()

    @Slot()
    def declare(self) -> None:
        paise = parse_rupees(self._count_text)
        if paise is None:
            self._say(both(MSG_TYPE_COUNT if not self._count_text.strip() else MSG_BAD_COUNT),
                      "error")
            return
        counter = self._shell.counter
        self._request("day-end declaration",
                      lambda c, s: dict(c.declare_day_end(counter, s, paise)),
                      lambda _r: self._after(MSG_DECLARED))

    @Slot(str, str, str)
    def closeDayEnd(self, supervisor_id: str, supervisor_pin: str, note: str) -> None:  # noqa: N802
        counter = self._shell.counter
        needs = self._get_needs_supervisor()
        if needs and (not supervisor_id.strip() or not supervisor_pin.strip()):
            self._say(both(MSG_NEED_SUPERVISOR), "error")
            return
        kwargs: dict[str, Any] = {"note": note.strip() or None}
        if needs:
            kwargs.update(supervisor_id=supervisor_id.strip(),
                          supervisor_pin=supervisor_pin.strip())
        self._request("day-end close",
                      lambda c, s: dict(c.close_day_end(counter, s, **kwargs)),
                      lambda _r: self._after(MSG_CLOSED))

    @Slot()
    def closeDay(self) -> None:  # noqa: N802
        counter = self._shell.counter
        self._request("day close", lambda c, s: dict(c.close_day(counter, s)),
                      lambda _r: self._after(MSG_DAY_CLOSED_DONE))

    def _after(self, msgid: str) -> None:
        self._say(both(msgid), "done")
        message, kind = self._message, self._message_kind
        self.refresh()
        self._message, self._message_kind = message, kind

    @Slot()
    def printReport(self) -> None:  # noqa: N802
        if self._printing or not self._report or self._closed:
            return
        if self._printer is None:
            self._say(both(MSG_NO_PRINTER), "error")
            return
        printer, report, lang = self._printer, dict(self._report), self._shell.language()
        config = self._config
        now = datetime.now(ZoneInfo(config.timezone))

        def work() -> Any:
            doc = build_day_end_report(report, config, lang, printed_at=now)
            return printer.print_document(doc)

        def done(result: Any) -> None:
            self._printing = False
            self.changed.emit()
            self._say(both(MSG_PRINTED if result is not None else MSG_NO_PRINTER),
                      "done" if result is not None else "error")

        def failed(exc: BaseException) -> None:
            self._printing = False
            self.changed.emit()
            log.warning("day-end report not printed: %s", getattr(exc, "detail", exc))
            message = problem_text(exc, "day-end print", log)
            self._say(message if message.get("en") else both(MSG_NOT_PRINTED), "error")

        self._printing = True
        self.changed.emit()
        self._print_runner.submit(work, done, failed)

    # ------------------------------------------------------------------ plumbing
    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.changed.emit()

    def shutdown(self) -> None:
        self._closed = True
        self._print_runner.shutdown()

    @property
    def report(self) -> dict[str, Any]:
        return self._report

    # ------------------------------------------------------------------ reads
    def _mine(self) -> dict[str, Any]:
        """This operator's cash row at this counter (expected, declared, …)."""
        me = self._login.property("operatorId")
        for row in self._report.get("cash") or []:
            if row.get("operator_id") == me and str(row.get("counter")) == self._shell.counter:
                return dict(row)
        return {}

    def _expected(self) -> int:
        return int(self._mine().get("expected_paise") or 0)

    def _difference(self) -> int | None:
        """The recorded difference once declared (and the count unchanged), else the preview."""
        mine = self._mine()
        typed = parse_rupees(self._count_text) if self._count_text.strip() else None
        if typed is not None:
            return typed - self._expected()
        if mine.get("declared_paise") is not None:
            return int(mine.get("difference_paise") or 0)
        return None

    def _get_visible(self) -> bool:
        return self._visible

    def _get_busy(self) -> bool:
        return self._busy

    def _get_printing(self) -> bool:
        return self._printing

    def _get_loaded(self) -> bool:
        return bool(self._report)

    def _get_expected_text(self) -> str:
        return format_paise(self._expected(), self._lang()) if self._report else "—"

    def _get_declared_text(self) -> str:
        declared = self._mine().get("declared_paise")
        return "—" if declared is None else format_paise(int(declared), self._lang())

    def _get_count_text(self) -> str:
        return self._count_text

    def _get_count_valid(self) -> bool:
        return parse_rupees(self._count_text) is not None

    def _get_difference_kind(self) -> str:
        diff = self._difference()
        return "none" if diff is None else "zero" if diff == 0 else "short" if diff < 0 else "over"

    def _get_difference_text(self) -> str:
        diff = self._difference()
        if diff is None:
            return "—"
        sign = "+" if diff > 0 else "−" if diff < 0 else ""
        return sign + format_paise(abs(diff), self._lang())

    def _get_difference_words(self) -> str:
        diff = self._difference()
        return "" if diff is None else difference_words(diff, self._lang())

    def _get_state(self) -> str:
        return str(self._mine().get("state") or "not_declared")

    def _get_state_text(self) -> str:
        mine = self._mine()
        state = self._get_state()
        if state == "closed" and mine.get("supervisor_id"):
            return translate(MSG_STATE_CLOSED_BY, self._lang()).format(
                supervisor=mine["supervisor_id"])
        msgid = {"closed": MSG_STATE_CLOSED, "declared": MSG_STATE_DECLARED}.get(
            state, MSG_STATE_NONE)
        return translate(msgid, self._lang())

    def _get_needs_supervisor(self) -> bool:
        mine = self._mine()
        return (mine.get("state") == "declared" and bool(mine.get("difference_paise"))
                and not mine.get("changed_since_count"))

    def _get_can_close(self) -> bool:
        return self._get_state() == "declared"

    def _get_day_closed(self) -> bool:
        return bool(self._report.get("day_closed"))

    def _get_figures(self) -> list[dict[str, str]]:
        if not self._report:
            return []
        lang = self._lang()
        t = self._report.get("tokens") or {}
        fees = self._report.get("fees") or {}
        apps = self._report.get("applications_total") or {}

        def num(v: object) -> str:
            return format_number(int(v or 0), lang)  # type: ignore[call-overload]

        rows = [("issued", MSG_FIG_ISSUED, num(t.get("issued"))),
                ("served", MSG_FIG_SERVED, num(t.get("served"))),
                ("noShow", MSG_FIG_NO_SHOW, num(t.get("no_show"))),
                ("wait", MSG_FIG_WAIT, clock_text(t.get("avg_wait_s"))),
                ("service", MSG_FIG_SERVICE, clock_text(t.get("avg_service_s"))),
                ("apps", MSG_FIG_APPS, num(apps.get("total"))),
                ("cash", MSG_FIG_CASH,
                 format_paise(int((fees.get("cash") or {}).get("paise") or 0), lang)),
                ("upi", MSG_FIG_UPI,
                 format_paise(int((fees.get("upi") or {}).get("paise") or 0), lang))]
        return [{"key": k, "label": translate(m, lang), "value": v} for k, m, v in rows]

    def _get_hour_bars(self) -> list[dict[str, Any]]:
        """One bar per hour: the average wait (minutes), its share of the longest, the count."""
        hours = [h for h in self._report.get("waits_by_hour") or [] if h.get("issued")]
        longest = max((float(h.get("avg_wait_s") or 0) for h in hours), default=0.0)
        lang = self._lang()
        bars = []
        for h in hours:
            wait = float(h.get("avg_wait_s") or 0)
            minutes = round(wait / 60)
            bars.append({"hour": f"{int(h['hour']):02d}", "minutes": minutes,
                         "fraction": wait / longest if longest else 0.0,
                         "label": translate(N_("{minutes} min"), lang).format(minutes=minutes),
                         "tokens": int(h["issued"])})
        return bars

    visible = qproperty(bool, _get_visible, notify=changed)
    busy = qproperty(bool, _get_busy, notify=changed)
    printing = qproperty(bool, _get_printing, notify=changed)
    loaded = qproperty(bool, _get_loaded, notify=changed)
    expectedText = qproperty(str, _get_expected_text, notify=changed)
    declaredText = qproperty(str, _get_declared_text, notify=changed)
    countText = qproperty(str, _get_count_text, notify=changed)
    countValid = qproperty(bool, _get_count_valid, notify=changed)
    differenceKind = qproperty(str, _get_difference_kind, notify=changed)
    differenceText = qproperty(str, _get_difference_text, notify=changed)
    differenceWords = qproperty(str, _get_difference_words, notify=changed)
    state = qproperty(str, _get_state, notify=changed)
    stateText = qproperty(str, _get_state_text, notify=changed)
    needsSupervisor = qproperty(bool, _get_needs_supervisor, notify=changed)
    canClose = qproperty(bool, _get_can_close, notify=changed)
    dayClosed = qproperty(bool, _get_day_closed, notify=changed)
    figures = qproperty(list, _get_figures, notify=reportChanged)
    hourBars = qproperty(list, _get_hour_bars, notify=reportChanged)
    message = qproperty(str, SaysMessages._get_message, notify=messageChanged)
    messageOther = qproperty(str, SaysMessages._get_message_other, notify=messageChanged)
    messageKind = qproperty(str, SaysMessages._get_message_kind, notify=messageChanged)


__all__ = ["DayEndViewModel", "difference_words", "parse_rupees"]
