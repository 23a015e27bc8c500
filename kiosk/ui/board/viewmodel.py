"""The display board's view-model: now calling, earlier calls, counters, waiting, notices.

Why every text comes in both languages at once: a hall TV is read by everyone in the room, so
the board never switches language — each line is Hindi first with English under it, and QML
only places the two. The board follows the centre's event stream through :class:`BoardLink`
and folds it into a :class:`~kiosk.ui.board.state.BoardState`; every call and recall, in the
order the centre sent them, is emitted as ``callAnnounced(token, counter, recall)`` and handed
to the optional :class:`~kiosk.ui.board.announcer_port.CallAnnouncer` (the speech half).

The clock ticks every 20 s (hours, the Samadhan line); the latest call pulses for
``[board] pulse_seconds`` and the notices rotate slowly — nothing animates while nothing
changes, which keeps the idle board near 0 % of a core.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.config import Config
from kiosk.documents.demo import demo_badge
from kiosk.i18n import translate
from kiosk.ui.board import wording as W  # noqa: N812
from kiosk.ui.board.announcer_port import CallAnnouncer
from kiosk.ui.board.link import BoardLink
from kiosk.ui.board.state import BoardState, Call
from kiosk.ui.qt_property import qproperty
from kiosk.working_days import WorkingCalendar

log = logging.getLogger(__name__)

TICK_MS = 20_000
SOON_MS = 60
NOTICE_MS = 12_000


class BoardViewModel(QObject):
    """See the module docstring; every ``xxx`` text property has ``xxxHi`` / ``xxxEn``."""

    changed = Signal()          # counters and waiting groups (coalesced, see _soon)
    callsChanged = Signal()     # the latest call and the earlier ones (at once)
    pulsingChanged = Signal()
    tickChanged = Signal()
    noticeChanged = Signal()
    callAnnounced = Signal(str, str, bool)

    def __init__(self, config: Config, link: BoardLink, *,
                 announcer: CallAnnouncer | None = None,
                 clock: Callable[[], datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        board = config.board
        self._config = config
        self._tz = ZoneInfo(config.timezone)
        self._clock = clock or (lambda: datetime.now(self._tz))
        self._calendar = WorkingCalendar(subdiv=config.holiday_subdivision)
        self._state = BoardState(int(board["history"]))
        self._announcer = announcer
        self._speak = bool(board["speak"])
        self._local_notices = _notices(board.get("notices"))
        self._local_hours = str(board["hours"])
        self._local_samadhan = str(config.queue_rules["samadhan_window"])
        self._group_names = {g: {"hi": c.name_hi, "en": c.name_en}
                             for g, c in config.groups.items()}
        self._notice_index = 0
        self._pulsing = False
        self._labels = {key: {"hi": translate(m, "hi"), "en": translate(m, "en")}
                        for key, m in W.LABELS.items()}
        link.boardArrived.connect(self._on_board)
        link.snapshotArrived.connect(self._on_snapshot)
        link.eventArrived.connect(self._on_event)
        self._pulse = QTimer(self)
        self._pulse.setSingleShot(True)
        self._pulse.setInterval(max(1, int(board["pulse_seconds"])) * 1000)
        self._pulse.timeout.connect(self._stop_pulse)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.tickChanged)
        self._tick.start()
        # Counters and waiting counts follow a burst of events once, a moment later; the call
        # itself is shown at once (fewer delegates rebuilt on the path the hall is waiting on).
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self._refresh_rest)
        self._rotate = QTimer(self)
        self._rotate.setInterval(NOTICE_MS)
        self._rotate.timeout.connect(self._next_notice)
        self._rotate.start()

    @property
    def state(self) -> BoardState:
        return self._state

    def set_announcer(self, announcer: CallAnnouncer | None) -> None:
        """Plug the speech half in (or out); calls after this are handed to it."""
        self._announcer = announcer

    def shutdown(self) -> None:
        for timer in (self._pulse, self._tick, self._rotate, self._soon):
            timer.stop()

    # -- from the link --------------------------------------------------------------------------

    def _on_board(self, board: dict[str, Any]) -> None:
        self._state.apply_board(board)
        self.callsChanged.emit()
        self.changed.emit()
        self.tickChanged.emit()
        self.noticeChanged.emit()

    def _on_snapshot(self, snap: dict[str, Any]) -> None:
        self._state.apply_snapshot(snap)
        self._soon.start()

    def _on_event(self, event: dict[str, Any]) -> None:
        call = self._state.apply_event(event)
        kind = str(event.get("type") or "")
        if kind == "notice.changed":
            self.noticeChanged.emit()
        if call is not None:
            self.callsChanged.emit()
            self._announce(call)
        if kind == "snapshot":
            self.callsChanged.emit()
        self._soon.start()

    @Slot()
    def _refresh_rest(self) -> None:
        self.changed.emit()
        self.tickChanged.emit()  # "closed" also depends on whether a counter works

    def _announce(self, call: Call) -> None:
        self._pulsing = True
        self._pulse.start()
        self.pulsingChanged.emit()
        self.callAnnounced.emit(call.number, call.counter, call.recall)
        if self._speak and self._announcer is not None:
            try:
                self._announcer.announce(call.number, call.counter, call.recall)
            except Exception:
                log.exception("board: the announcer failed for %s", call.number)

    @Slot()
    def _stop_pulse(self) -> None:
        self._pulsing = False
        self.pulsingChanged.emit()

    @Slot()
    def _next_notice(self) -> None:
        if len(self._notices()) > 1:
            self._notice_index += 1
            self.noticeChanged.emit()

    # -- derived --------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock()

    def _hours(self) -> str:
        return str(self._state.rules.get("hours") or self._local_hours)

    def _notices(self) -> list[dict[str, str]]:
        return (self._local_notices or _notices(self._state.notices)
                or [W.both(W.DEFAULT_NOTICE)])

    def _counter_name(self, counter: str) -> dict[str, str]:
        names = self._state.counter_names or {
            c: {"hi": cfg.name_hi, "en": cfg.name_en}
            for c, cfg in self._config.counter_configs.items()}
        return W.counter_name(counter, names)

    def _any_counter_open(self) -> bool:
        return any(str(c.get("state")) in ("open", "break")
                   for c in self._state.counters.values())

    def _get_closed(self) -> bool:
        """Outside hours (or on a holiday) with no counter working: the "closed" screen.

        A counter still open after hours means the centre is working late: keep calling.
        """
        now = self._now()
        hours = W.hours_window(self._hours())
        return not W.is_open(now, hours, self._calendar) and not self._any_counter_open()

    def _opens(self) -> dict[str, str]:
        now = self._now()
        hours = W.hours_window(self._hours())
        return W.opens_text(now, W.next_opening(now, hours, self._calendar))

    def _samadhan(self) -> tuple[dict[str, str], bool]:
        window = W.samadhan_window(str(self._state.rules.get("samadhan_window")
                                       or self._local_samadhan))
        return W.samadhan_text(self._now(), window, self._calendar)

    def _call_row(self, call: Call) -> dict[str, Any]:
        name = self._counter_name(call.counter)
        return {"token": call.number, "counter": call.counter, "counterHi": name["hi"],
                "counterEn": name["en"], "recall": call.recall}

    # -- QML ------------------------------------------------------------------------------------

    def _get_latest(self) -> dict[str, Any]:
        calls = self._state.calls
        return self._call_row(calls[0]) if calls else {}

    def _get_has_latest(self) -> bool:
        return bool(self._state.calls)

    def _get_calls(self) -> list[dict[str, Any]]:
        return [self._call_row(c) for c in self._state.calls[1:]]

    def _get_counters(self) -> list[dict[str, Any]]:
        rows = []
        for key in sorted(self._state.counters, key=lambda c: (len(c), c)):
            c = self._state.counters[key]
            token = c.get("token") if isinstance(c.get("token"), dict) else None
            state = str(c.get("state") or "closed")
            name = self._counter_name(key)
            label = W.STATE_LABELS.get(state, W.STATE_LABELS["closed"])
            rows.append({"counter": key, "nameHi": name["hi"], "nameEn": name["en"],
                         "state": state, "token": str(token.get("number")) if token else "",
                         "stateHi": translate(label, "hi"), "stateEn": translate(label, "en")})
        return rows

    def _get_groups(self) -> list[dict[str, Any]]:
        rows = []
        for code, names in self._group_names.items():
            g = self._state.groups.get(code, {})
            wait = W.wait_text(g.get("wait_min"), g.get("wait_max"))
            waiting = self._state.waiting_in(code)
            rows.append({"group": code, "nameHi": str(g.get("name_hi") or names["hi"]),
                         "nameEn": str(g.get("name_en") or names["en"]),
                         "waiting": waiting,
                         "waitHi": wait["hi"] if waiting else "",
                         "waitEn": wait["en"] if waiting else ""})
        return rows

    def _get_notice(self) -> dict[str, str]:
        notices = self._notices()
        return notices[self._notice_index % len(notices)]

    labels = qproperty(dict, lambda self: self._labels, constant=True)
    centreNameHi = qproperty(str, lambda self: self._config.centre_name("hi"), constant=True)
    centreNameEn = qproperty(str, lambda self: self._config.centre_name("en"), constant=True)
    #: "डेमो — असली नहीं / DEMO — NOT REAL" when the centre runs as a demo (as kiosk and counter)
    demoBadge = qproperty(str, lambda self: demo_badge(self._config.demo), constant=True)
    latest = qproperty(dict, _get_latest, notify=callsChanged)
    hasLatest = qproperty(bool, _get_has_latest, notify=callsChanged)
    calls = qproperty(list, _get_calls, notify=callsChanged)
    counters = qproperty(list, _get_counters, notify=changed)
    groups = qproperty(list, _get_groups, notify=changed)
    pulsing = qproperty(bool, lambda self: self._pulsing, notify=pulsingChanged)
    closed = qproperty(bool, _get_closed, notify=tickChanged)
    opensHi = qproperty(str, lambda self: self._opens()["hi"], notify=tickChanged)
    opensEn = qproperty(str, lambda self: self._opens()["en"], notify=tickChanged)
    clockText = qproperty(str, lambda self: self._now().strftime("%H:%M"), notify=tickChanged)
    samadhanHi = qproperty(str, lambda self: self._samadhan()[0]["hi"], notify=tickChanged)
    samadhanEn = qproperty(str, lambda self: self._samadhan()[0]["en"], notify=tickChanged)
    samadhanOpen = qproperty(bool, lambda self: self._samadhan()[1], notify=tickChanged)
    noticeHi = qproperty(str, lambda self: self._get_notice()["hi"], notify=noticeChanged)
    noticeEn = qproperty(str, lambda self: self._get_notice()["en"], notify=noticeChanged)


def _notices(raw: object) -> list[dict[str, str]]:
    from kiosk.centre.service import board_notices

    return board_notices(raw)


__all__ = ["BoardViewModel"]
