"""Serving at the counter: now serving, the actions, and this counter's figures today.

The console holds no queue state of its own: every action is a request to the centre service
(on the link's action worker, one at a time, so a double Enter cannot call two tokens), its
answer is the new counter and token, and events from the stream keep the panel right when the
change came from elsewhere (a supervisor, the CLI). A refusal — complete with nothing called,
call while on break — is the server's bilingual sentence, shown in the message strip.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk.i18n import N_, translate
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.messages import SaysMessages
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import (
    Bilingual,
    both,
    clock,
    priority_text,
    problem_text,
    seconds_between,
    status_code,
)

log = logging.getLogger(__name__)

#: Actions the console offers: the API's action name → the message shown when it worked.
DONE_TEXT = {
    "call-next": N_("Called {token}."),
    "recall": N_("Called {token} again."),
    "park": N_("{token} parked: it returns when you say so."),
    "unpark": N_("{token} is back in the queue."),
    "no-show": N_("{token} marked as not present."),
    "complete": N_("{token} served."),
    "transfer": N_("{token} transferred."),
    "break": N_("On break: no token will be called at this counter."),
    "resume": N_("Back from break."),
}
STATS_INTERVAL_MS = 30000


class ConsoleViewModel(SaysMessages, QObject):
    """Properties for the serving panel (``hasToken``, ``tokenNumber``, ``groupName``,
    ``priorityText``, ``isPriority``, ``waited``, ``elapsed``, ``recalls``, ``tokenState``),
    the counter (``counterState``: closed | open | break, ``onBreak``), figures today
    (``served``, ``noShows``, ``transferred``, ``avgService``), ``busy`` and the message."""

    changed = Signal()
    clockChanged = Signal()
    statsChanged = Signal()
    messageChanged = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink, login: LoginViewModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._link = link
        self._login = login
        self._counter: dict[str, Any] = {}
        self._token: dict[str, Any] | None = None
        self._stats: dict[str, Any] = {}
        self._busy = False
        self._message: Bilingual = {}
        self._message_kind = "info"
        self._closed = False
        self._groups: dict[str, dict[str, Any]] = {}
        #: The newest centre event our counter state reflects: an action's answer, an event or
        #: a snapshot older than that is stale (the stream may deliver an event after the
        #: answer to a later action) and must not put a completed token back on screen.
        self._seen_event = 0
        shell.languageChanged.connect(self.changed)
        shell.languageChanged.connect(self.messageChanged)
        shell.languageChanged.connect(self.statsChanged)
        login.sessionStarted.connect(self._session_started)
        login.sessionEnded.connect(self._session_ended)
        link.snapshotArrived.connect(self._on_snapshot)
        link.eventArrived.connect(self._on_event)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.clockChanged)
        self._stats_timer = QTimer(self)
        self._stats_timer.setInterval(STATS_INTERVAL_MS)
        self._stats_timer.timeout.connect(self.refreshStats)

    # ------------------------------------------------------------------ session
    def _session_started(self, session: dict[str, Any]) -> None:
        counter = session.get("counter")
        if isinstance(counter, dict):
            self._set_counter(counter)
        else:
            self._counter = {"counter": self._shell.counter, "state": "open"}
            self._set_token(None)
        self._say({})
        self._clock.start()
        self._stats_timer.start()
        self._link.refresh()
        self.refreshStats()

    def _session_ended(self) -> None:
        self._seen_event = 0
        self._clock.stop()
        self._stats_timer.stop()
        self._counter = {}
        self._set_token(None)
        self._say({})

    # ------------------------------------------------------------------ actions
    @Slot()
    def callNext(self) -> None:
        self._act("call-next")

    @Slot()
    def recall(self) -> None:
        self._act("recall")

    @Slot()
    def park(self) -> None:
        self._act("park")

    @Slot()
    def noShow(self) -> None:
        self._act("no-show")

    @Slot()
    def complete(self) -> None:
        self._act("complete")

    @Slot()
    def toggleBreak(self) -> None:
        self._act("resume" if self._counter.get("state") == "break" else "break")

    @Slot(str)
    def unpark(self, token: str) -> None:
        self._act("unpark", token=token)

    @Slot(str)
    def transferToGroup(self, group: str) -> None:
        self._act("transfer", to_group=group)

    @Slot(str)
    def transferToCounter(self, counter: str) -> None:
        self._act("transfer", to_counter=counter)

    def _act(self, action: str, **body: Any) -> None:
        """One request to the centre; a press while one is in flight is ignored."""
        session = self._login.session_token
        if self._busy or self._closed or session is None:
            return
        client, counter = self._link.client, self._shell.counter
        self._set_busy(True)
        self._link.actions.submit(
            lambda: dict(client.act(counter, action, session, **body)),
            lambda result: self._acted(action, result),
            lambda exc: self._refused(action, exc))

    def _acted(self, action: str, result: dict[str, Any]) -> None:
        self._set_busy(False)
        if self._closed:
            return
        token = result.get("token") if isinstance(result.get("token"), dict) else None
        counter = result.get("counter")
        self._seen_event = max(self._seen_event, int(result.get("event_id") or 0))
        if isinstance(counter, dict):
            self._set_counter(counter)
        elif action in ("complete", "no-show", "park", "transfer"):
            self._set_token(None)
        number = str((token or {}).get("number") or "")
        if action == "call-next" and token is None:
            self._say(both(N_("Nobody is waiting for this counter's groups.")))
        else:
            self._say(both(DONE_TEXT[action], token=number), "done")
        if action in ("complete", "no-show", "transfer"):
            self.refreshStats()

    def _refused(self, action: str, exc: BaseException) -> None:
        self._set_busy(False)
        if self._closed:
            return
        if status_code(exc) == 401:  # the centre ended the session (idle there, or closed)
            self._login.end_session(problem_text(exc, f"counter action {action}", log),
                                    tell_centre=False)
            return
        self._say(problem_text(exc, f"counter action {action}", log), "error")

    @Slot()
    def refreshStats(self) -> None:
        """This counter's figures today, read off the GUI thread."""
        if self._closed or self._login.session_token is None:
            return
        client, counter = self._link.client, self._shell.counter

        def arrived(stats: dict[str, Any]) -> None:
            if not self._closed:
                self._stats = stats
                self.statsChanged.emit()

        self._link.submit_poll(lambda: dict(client.stats(counter)), arrived,
                               lambda exc: log.info("counter stats not read: %s",
                                                    getattr(exc, "detail", exc)))

    # ------------------------------------------------------------------ the centre's word
    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        self._groups = {str(g.get("group")): g for g in snapshot.get("groups") or []}
        version = int(snapshot.get("last_event_id") or 0)
        if self._login.session_token is None or version < self._seen_event:
            self.changed.emit()
            return
        self._seen_event = version
        for counter in snapshot.get("counters") or []:
            if str(counter.get("counter")) == self._shell.counter:
                self._set_counter(counter)
                return
        self.changed.emit()

    def _on_event(self, event: dict[str, Any]) -> None:
        version = int(event.get("id") or 0)
        if self._login.session_token is None or version <= self._seen_event:
            return
        self._seen_event = version
        counter = event.get("counter")
        if isinstance(counter, dict) and str(counter.get("counter")) == self._shell.counter:
            self._set_counter(counter)
            return
        token = event.get("token")
        if isinstance(token, dict) and self._token is not None \
                and token.get("id") == self._token.get("id") \
                and str(token.get("counter") or "") != self._shell.counter:
            self._set_token(None)  # moved away from this counter by someone else

    def _set_counter(self, counter: dict[str, Any]) -> None:
        self._counter = dict(counter)
        token = counter.get("token")
        self._set_token(dict(token) if isinstance(token, dict) else None)

    def _set_token(self, token: dict[str, Any] | None) -> None:
        self._token = token
        self.changed.emit()
        self.clockChanged.emit()

    # ------------------------------------------------------------------ plumbing
    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.changed.emit()

    def shutdown(self) -> None:
        self._closed = True
        self._clock.stop()
        self._stats_timer.stop()

    # ------------------------------------------------------------------ QML
    def _tok(self, key: str) -> Any:
        return (self._token or {}).get(key)

    def _get_has_token(self) -> bool:
        return self._token is not None

    def _get_token_number(self) -> str:
        return str(self._tok("number") or "")

    def _get_group(self) -> str:
        return str(self._tok("group") or "")

    def _get_group_name(self) -> str:
        group = self._groups.get(self._get_group(), {})
        key = "name_hi" if self._lang() == "hi" else "name_en"
        return str(group.get(key) or self._get_group())

    def _get_priority_text(self) -> str:
        return priority_text(self._tok("priority") or "general", self._lang())

    def _get_is_priority(self) -> bool:
        return str(self._tok("priority") or "general") != "general"

    def _get_waited(self) -> str:
        return clock(seconds_between(self._tok("issued_at"), self._tok("called_at")))

    def _get_elapsed(self) -> str:
        return clock(seconds_between(self._tok("called_at")))

    def _get_recalls(self) -> int:
        return int(self._tok("recalls") or 0)

    def _get_token_state(self) -> str:
        return str(self._tok("state") or "")

    def _get_counter_state(self) -> str:
        return str(self._counter.get("state") or "closed")

    def _get_on_break(self) -> bool:
        return self._counter.get("state") == "break"

    def _get_serving_groups(self) -> str:
        return " · ".join(str(g) for g in self._counter.get("groups") or [])

    def _get_busy(self) -> bool:
        return self._busy

    def _stat(self, key: str) -> int:
        return int(self._stats.get(key) or 0)

    def _get_served(self) -> int:
        return self._stat("served")

    def _get_no_shows(self) -> int:
        return self._stat("no_show")

    def _get_transferred(self) -> int:
        return self._stat("transferred")

    def _get_avg_service(self) -> str:
        avg = self._stats.get("avg_service_s")
        return clock(avg) if isinstance(avg, (int, float)) and avg > 0 else "—"

    def _get_transfer_groups(self) -> list[dict[str, str]]:
        key = "name_hi" if self._lang() == "hi" else "name_en"
        return [{"group": code, "name": str(g.get(key) or code)}
                for code, g in sorted(self._groups.items())]

    def _get_transfer_counters(self) -> list[dict[str, str]]:
        rows = []
        for counter in self._link.snapshot.get("counters") or []:
            number = str(counter.get("counter"))
            if number == self._shell.counter:
                continue
            state = str(counter.get("state") or "closed")
            label = {"open": N_("open"), "break": N_("on break"),
                     "closed": N_("closed")}.get(state, state)
            rows.append({"counter": number, "state": state,
                         "stateText": translate(label, self._lang())})
        return rows

    hasToken = Property(bool, _get_has_token, notify=changed)
    tokenNumber = Property(str, _get_token_number, notify=changed)
    group = Property(str, _get_group, notify=changed)
    groupName = Property(str, _get_group_name, notify=changed)
    priorityText = Property(str, _get_priority_text, notify=changed)
    isPriority = Property(bool, _get_is_priority, notify=changed)
    waited = Property(str, _get_waited, notify=clockChanged)
    elapsed = Property(str, _get_elapsed, notify=clockChanged)
    recalls = Property(int, _get_recalls, notify=changed)
    tokenState = Property(str, _get_token_state, notify=changed)
    counterState = Property(str, _get_counter_state, notify=changed)
    onBreak = Property(bool, _get_on_break, notify=changed)
    servingGroups = Property(str, _get_serving_groups, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    message = Property(str, SaysMessages._get_message, notify=messageChanged)
    messageOther = Property(str, SaysMessages._get_message_other, notify=messageChanged)
    messageKind = Property(str, SaysMessages._get_message_kind, notify=messageChanged)
    served = Property(int, _get_served, notify=statsChanged)
    noShows = Property(int, _get_no_shows, notify=statsChanged)
    transferred = Property(int, _get_transferred, notify=statsChanged)
    avgService = Property(str, _get_avg_service, notify=statsChanged)
    transferGroups = Property(list, _get_transfer_groups, notify=changed)
    transferCounters = Property(list, _get_transfer_counters, notify=changed)


__all__ = ["ConsoleViewModel"]
