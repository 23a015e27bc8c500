"""What the board knows, rebuilt from the centre's start answer and then its events (no Qt).

Why a plain class: the board holds no state of its own beyond what the centre's event stream
says, and the rules of folding events into it (a recall moves the token back to the top, a
snapshot older than the events already applied must not undo them, a token that left the
queue stops counting as waiting) are checked by unit tests without a window. The view-model
owns one :class:`BoardState` and only touches it on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CALL_EVENTS = ("token.called", "token.recalled")


@dataclass(frozen=True)
class Call:
    """One call on the board: ``number`` at ``counter``; ``recall`` when it was called again."""

    event_id: int
    number: str
    counter: str
    recall: bool
    at: str


def _counter_of(event: dict[str, Any]) -> str:
    counter = event.get("counter")
    if isinstance(counter, dict) and counter.get("counter") is not None:
        return str(counter["counter"])
    token = event.get("token")
    if isinstance(token, dict) and token.get("counter") is not None:
        return str(token["counter"])
    return ""


class BoardState:
    """Calls (latest first), counters, waiting tokens per group, the centre's rules."""

    def __init__(self, history: int = 8) -> None:
        self.history = history
        self.last_event_id = 0
        self.calls: list[Call] = []
        self.counters: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.waiting: dict[str, str] = {}  # token id → group
        self.rules: dict[str, Any] = {}
        self.notices: list[dict[str, str]] = []
        self.counter_names: dict[str, dict[str, str]] = {}
        self.loaded = False

    # -- whole answers --------------------------------------------------------------------------

    def apply_board(self, board: dict[str, Any]) -> None:
        """The centre's ``GET /v1/board`` answer: replaces everything the board knew."""
        snap = board.get("snapshot")
        if isinstance(snap, dict):
            self.apply_snapshot(snap, force=True)
        self.calls = []
        for event in board.get("calls") or []:
            if isinstance(event, dict):
                self._push(self._call(event))
        rules = board.get("rules")
        self.rules = dict(rules) if isinstance(rules, dict) else {}
        notices = board.get("notices")
        self.notices = [dict(n) for n in notices or [] if isinstance(n, dict)]
        names = board.get("counter_names")
        self.counter_names = ({str(k): dict(v) for k, v in names.items() if isinstance(v, dict)}
                              if isinstance(names, dict) else {})
        self.loaded = True

    def apply_snapshot(self, snap: dict[str, Any], *, force: bool = False) -> bool:
        """A queue snapshot. The groups' figures (wait estimates, counters open) are always
        taken; counts and counters only when the snapshot is not older than the events already
        applied (a re-read that crossed a new call must not take it back). True if applied whole.

        ``force`` (the start answer, or a ``snapshot`` event of the stream) also moves the
        stream's cursor. A re-read does not: it may overtake events the stream is still
        delivering (after a reconnect the replay can arrive after it), and those events must
        still be shown and announced — folding them in again is harmless, each sets a state.
        """
        for g in snap.get("groups") or []:
            if isinstance(g, dict) and g.get("group"):
                self.groups[str(g["group"])] = dict(g)
        version = int(snap.get("last_event_id") or 0)
        if version < self.last_event_id and not force:
            return False
        if force:
            self.last_event_id = version
        self.counters = {str(c.get("counter")): dict(c) for c in snap.get("counters") or []
                         if isinstance(c, dict)}
        self.waiting = {str(t.get("id")): str(t.get("group")) for t in snap.get("waiting") or []
                        if isinstance(t, dict)}
        return True

    # -- events ---------------------------------------------------------------------------------

    def apply_event(self, event: dict[str, Any]) -> Call | None:
        """Fold one event in; returns the call to show and announce, if it is one."""
        event_id = int(event.get("id") or 0)
        kind = str(event.get("type") or "")
        if kind == "snapshot":
            snap = event.get("snapshot")
            if isinstance(snap, dict):
                self.apply_snapshot(snap, force=True)
            return None
        if event_id and event_id <= self.last_event_id:
            return None  # already in the start answer, or delivered twice
        self.last_event_id = max(self.last_event_id, event_id)
        counter = event.get("counter")
        if isinstance(counter, dict) and counter.get("counter") is not None:
            self.counters[str(counter["counter"])] = dict(counter)
        token = event.get("token")
        if isinstance(token, dict) and token.get("id") is not None:
            key = str(token["id"])
            if str(token.get("state") or "") == "waiting":
                self.waiting[key] = str(token.get("group") or "")
            else:
                self.waiting.pop(key, None)
            if kind not in CALL_EVENTS and str(token.get("state") or "") != "called":
                for c in self.counters.values():  # it left whichever counter held it
                    held = c.get("token")
                    if isinstance(held, dict) and str(held.get("id")) == key:
                        c["token"] = None
        if kind == "notice.changed":
            notices = event.get("notices")
            if isinstance(notices, list):
                self.notices = [dict(n) for n in notices if isinstance(n, dict)]
        if kind in CALL_EVENTS:
            call = self._call(event)
            self._push(call)
            return call
        return None

    def _call(self, event: dict[str, Any]) -> Call:
        token = event.get("token") if isinstance(event.get("token"), dict) else {}
        assert isinstance(token, dict)
        return Call(event_id=int(event.get("id") or 0), number=str(token.get("number") or "?"),
                    counter=_counter_of(event), recall=event.get("type") == "token.recalled",
                    at=str(event.get("at") or ""))

    def _push(self, call: Call) -> None:
        """Newest first; a token called again moves up instead of showing twice."""
        self.calls = [c for c in self.calls if c.number != call.number]
        self.calls.insert(0, call)
        del self.calls[self.history + 1:]

    # -- reading --------------------------------------------------------------------------------

    def waiting_in(self, group: str) -> int:
        return sum(1 for g in self.waiting.values() if g == group)


__all__ = ["CALL_EVENTS", "BoardState", "Call"]
