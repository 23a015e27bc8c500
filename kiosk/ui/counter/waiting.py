"""The waiting list by group: counts, priority counts, longest wait, the centre's estimate.

Why events *and* snapshots: an event (``token.issued``, ``token.called`` …) changes the counts
at once, on the GUI thread, with no request — the operator sees a new arrival the moment the
kiosk prints it. The server's own figures (estimated wait range, counters open) come with the
snapshot, which the link re-reads shortly after a burst of events. The longest wait is
recomputed every few seconds from the oldest issue time, so it keeps growing between events.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal

from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.texts import clock, seconds_between, wait_range_text

TICK_MS = 5000


class WaitingViewModel(QObject):
    """``groups``: [{group, name, waiting, priorityWaiting, longest, estimate, countersOpen,
    mine}], ``totalWaiting``, ``parked``: [{id, number, group, counter}]."""

    changed = Signal()

    def __init__(self, shell: CounterShell, link: CentreLink,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._groups: list[dict[str, Any]] = []
        self._waiting: dict[str, dict[str, Any]] = {}
        self._parked: dict[str, dict[str, Any]] = {}
        self._mine: set[str] = set()
        self._seen_event = 0  # a snapshot older than the events applied is stale: skip it
        shell.languageChanged.connect(self.changed)
        link.snapshotArrived.connect(self._on_snapshot)
        link.eventArrived.connect(self._on_event)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.changed)
        self._tick.start()

    def _on_snapshot(self, snapshot: dict[str, Any]) -> None:
        version = int(snapshot.get("last_event_id") or 0)
        if version < self._seen_event:
            return  # the link re-reads after every burst: a newer one follows
        self._seen_event = version
        self._groups = [dict(g) for g in snapshot.get("groups") or []]
        self._waiting = {str(t.get("id")): dict(t) for t in snapshot.get("waiting") or []}
        self._parked = {str(t.get("id")): dict(t) for t in snapshot.get("parked") or []}
        self._mine = set()
        for counter in snapshot.get("counters") or []:
            if str(counter.get("counter")) == self._shell.counter:
                self._mine = {str(g) for g in counter.get("groups") or []}
        self.changed.emit()

    def _on_event(self, event: dict[str, Any]) -> None:
        self._seen_event = max(self._seen_event, int(event.get("id") or 0))
        token = event.get("token")
        if not isinstance(token, dict) or "id" not in token:
            return
        key = str(token["id"])
        state = str(token.get("state") or "")
        self._waiting.pop(key, None)
        self._parked.pop(key, None)
        if state == "waiting":
            self._waiting[key] = dict(token)
        elif state == "parked":
            self._parked[key] = dict(token)
        if not any(str(g.get("group")) == str(token.get("group")) for g in self._groups):
            self._groups.append({"group": str(token.get("group")), "wait_min": None,
                                 "wait_max": None, "counters_open": 0})
        self.changed.emit()

    def shutdown(self) -> None:
        self._tick.stop()

    # ------------------------------------------------------------------ QML
    def _get_groups(self) -> list[dict[str, Any]]:
        lang = self._shell.language()
        key = "name_hi" if lang == "hi" else "name_en"
        rows = []
        for g in self._groups:
            code = str(g.get("group"))
            tokens = [t for t in self._waiting.values() if str(t.get("group")) == code]
            oldest = min((str(t.get("issued_at") or "") for t in tokens), default="")
            longest = seconds_between(oldest) if oldest else None
            rows.append({
                "group": code,
                "name": str(g.get(key) or code),
                "waiting": len(tokens),
                "priorityWaiting": sum(1 for t in tokens
                                       if str(t.get("priority") or "general") != "general"),
                "longest": clock(longest) if tokens else "—",
                "estimate": wait_range_text(g.get("wait_min"), g.get("wait_max"), lang),
                "countersOpen": int(g.get("counters_open") or 0),
                "mine": code in self._mine,
            })
        return rows

    def _get_total_waiting(self) -> int:
        return len(self._waiting)

    def _get_parked(self) -> list[dict[str, str]]:
        rows = sorted(self._parked.values(), key=lambda t: str(t.get("issued_at") or ""))
        return [{"id": str(t.get("id")), "number": str(t.get("number") or ""),
                 "group": str(t.get("group") or ""), "counter": str(t.get("counter") or "")}
                for t in rows]

    groups = Property(list, _get_groups, notify=changed)
    totalWaiting = Property(int, _get_total_waiting, notify=changed)
    parked = Property(list, _get_parked, notify=changed)


__all__ = ["WaitingViewModel"]
