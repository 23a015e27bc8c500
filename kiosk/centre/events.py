"""The centre's event stream: an ordered log in SQLite plus in-process fan-out to subscribers.

Every transition writes its event row in the same transaction as the state change, so the log
is exactly the history of the queue and event ids (SQLite ``AUTOINCREMENT``) never go back,
not even after a SIGKILL. After the commit the service *publishes* the event to the
:class:`EventHub`, which hands it to every live subscriber's asyncio queue (thread-safe: the
service runs on worker threads, each subscriber on the server's event loop).

A subscriber that reconnects with ``Last-Event-ID: N`` first gets the rows after N from the
database, then live events; a gap (an event published out of order, or dropped because the
subscriber's queue overflowed) is filled from the database too. When it is more than
:data:`BACKLOG_LIMIT` events behind it gets one ``snapshot`` event instead — the whole state,
with the id it is current to — rather than a replay of the day.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Any

#: The event types of the stream (the brief's list, plus ``snapshot`` for a far-behind reader).
EVENT_TYPES = ("token.issued", "token.called", "token.recalled", "token.transferred",
               "token.parked", "token.requeued", "token.served", "token.no_show",
               "counter.opened", "counter.break", "counter.closed", "help.requested",
               "notice.changed")
SNAPSHOT = "snapshot"

#: A reconnecting subscriber further behind than this gets a snapshot instead of a replay.
BACKLOG_LIMIT = 2000
#: Events queued for one subscriber before it is considered stuck (it then gets a snapshot).
QUEUE_LIMIT = 5000

_CLOSED = object()


def write_event(conn: sqlite3.Connection, type_: str, at: str,
                body: dict[str, Any]) -> dict[str, Any]:
    """Append one event inside the caller's transaction; returns it with its id."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    cur = conn.execute("INSERT INTO events (type, at, body) VALUES (?, ?, ?)",
                       (type_, at, json.dumps(body, ensure_ascii=False)))
    return {"id": int(cur.lastrowid or 0), "type": type_, "at": at, **body}


def read_events(conn: sqlite3.Connection, after: int, limit: int = BACKLOG_LIMIT
                ) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT id, type, at, body FROM events WHERE id > ? ORDER BY id LIMIT ?",
                        (after, limit)).fetchall()
    return [{"id": int(r[0]), "type": str(r[1]), "at": str(r[2]), **json.loads(r[3])}
            for r in rows]


def last_event_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])


def sse_frame(event: dict[str, Any]) -> str:
    """One server-sent event: ``id:`` for resume, the JSON on one ``data:`` line."""
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['id']}\ndata: {data}\n\n"


@dataclass
class Subscription:
    """One live subscriber: an asyncio queue fed from any thread."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    overflowed: bool = False

    def _put(self, item: Any) -> None:
        if item is not _CLOSED and self.queue.qsize() >= QUEUE_LIMIT:
            self.overflowed = True
            return
        self.queue.put_nowait(item)

    async def get(self, timeout: float) -> tuple[dict[str, Any], str] | None:
        """The next event and its SSE frame; None after ``timeout`` s (time for a keep-alive)."""
        try:
            item = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None
        if item is _CLOSED:
            raise EOFError
        event, frame = item
        return event, frame


class EventHub:
    """Fan-out of committed events to subscribers; ``close()`` ends every stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: list[Subscription] = []
        self._closed = False

    def subscribe(self) -> Subscription:
        """Call on the subscriber's event loop."""
        sub = Subscription(asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                sub.queue.put_nowait(_CLOSED)
            else:
                self._subs.append(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, event: dict[str, Any]) -> None:
        """From any thread, after the event's transaction committed. Never blocks.

        The frame is encoded once here, not once per subscriber.
        """
        with self._lock:
            subs = list(self._subs)
        if not subs:
            return
        item = (event, sse_frame(event))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub._put, item)
            except RuntimeError:  # that loop is gone: the subscriber is going away too
                self.unsubscribe(sub)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            subs, self._subs = self._subs, []
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub._put, _CLOSED)
            except RuntimeError:
                pass
