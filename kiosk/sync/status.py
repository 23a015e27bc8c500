"""What the UI and ``kiosk sync status`` show: online?, last success, what is waiting, parked.

Read straight from the database (plus the engine's ``sync_state`` rows), so a second process —
the CLI on a technician's shell — sees the same picture as the running kiosk without talking to
it. Counts only; no record contents, so nothing here identifies a citizen.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from kiosk.i18n import N_, translate
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.reference import reference_summary

#: msgids for the unobtrusive indicator (the UI translates at display time).
MSG_ONLINE = N_("Online")
MSG_OFFLINE = N_("Offline")
MSG_OFFLINE_SAVED = N_("Offline — everything is saved on this kiosk and will be sent "
                       "automatically.")
MSG_WAITING = N_("Waiting to send: {count}")
MSG_PARKED = N_("{count} records could not be sent. Please call a technician.")
MSG_AUTH = N_("The central server refused this kiosk's credentials. Please call a technician.")


def read_state(conn: sqlite3.Connection) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM sync_state")}


def write_state(conn: sqlite3.Connection, values: dict[str, str | None]) -> None:
    for k, v in values.items():
        if v is None:
            conn.execute("DELETE FROM sync_state WHERE key = ?", (k,))
        else:
            conn.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", (k, v))


@dataclass(frozen=True)
class SyncStatus:
    """A snapshot. ``online`` is None until the first contact attempt has been made."""

    backend_url: str
    embedded: bool
    online: bool | None
    last_success_at: str | None
    last_attempt_at: str | None
    last_error: str | None
    auth_failed: bool
    outbox_depth: dict[str, int] = field(default_factory=dict)
    inflight: int = 0
    delivered: int = 0
    blocked: int = 0
    parked: list[outbox.ParkedEntry] = field(default_factory=list)
    clock_skew_s: float | None = None
    reference: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def waiting(self) -> int:
        return sum(self.outbox_depth.values())

    def to_json(self) -> dict[str, Any]:
        return {"backend_url": self.backend_url, "embedded": self.embedded,
                "online": self.online, "last_success_at": self.last_success_at,
                "last_attempt_at": self.last_attempt_at, "last_error": self.last_error,
                "auth_failed": self.auth_failed, "outbox_depth": self.outbox_depth,
                "waiting": self.waiting, "inflight": self.inflight,
                "delivered": self.delivered, "blocked": self.blocked,
                "parked": [p.to_json() for p in self.parked],
                "clock_skew_s": self.clock_skew_s, "reference": self.reference}

    def indicator(self, lang: str) -> str:
        """One short line for the corner of the screen, in ``lang``."""
        if self.auth_failed:
            return translate(MSG_AUTH, lang)
        head = translate(MSG_ONLINE if self.online else MSG_OFFLINE, lang)
        if self.waiting:
            head += " · " + translate(MSG_WAITING, lang).format(count=self.waiting)
        return head


def read_status(store: Store, *, backend_url: str = "", embedded: bool = False) -> SyncStatus:
    conn = store.conn
    state = read_state(conn)
    skew = state.get("clock_skew_s")
    online = state.get("online")
    return SyncStatus(
        backend_url=backend_url or state.get("backend_url", ""),
        embedded=embedded,
        online=None if online is None else online == "1",
        last_success_at=state.get("last_success_at"),
        last_attempt_at=state.get("last_attempt_at"),
        last_error=state.get("last_error"),
        auth_failed=state.get("auth_failed") == "1",
        outbox_depth=outbox.depth_by_kind(conn),
        inflight=outbox.count_state(conn, outbox.INFLIGHT),
        delivered=outbox.count_state(conn, outbox.DONE),
        blocked=outbox.count_blocked(conn),
        parked=outbox.parked_entries(conn),
        clock_skew_s=None if skew is None else float(skew),
        reference=reference_summary(conn),
    )
