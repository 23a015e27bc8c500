"""CentreService: the centre's queue authority — every transition as one transaction.

Each transition (issue, call-next, recall, park, unpark, no-show, requeue, complete, transfer,
break, resume, log-in, log-out) runs inside one ``BEGIN IMMEDIATE`` transaction that writes, all
or nothing: the new state, the event row of the stream, the audit entry, and — for token events
— the outbox entry the sync engine forwards to the state backend. So after a SIGKILL the queue,
the stream, the audit trail and what the state will receive agree, and two counters pressing
Call next at the same instant are serialised by SQLite's write lock (across processes too).

Events are published to subscribers only after their commit, under one lock so that they are
published in id order; the HTTP layer (:mod:`kiosk.centre.server`) is a thin shell over this.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.centre import audit, operators, rules
from kiosk.centre.db import CentreStore, token_hash
from kiosk.centre.errors import (
    BadRequestError,
    ForbiddenError,
    NotAllowedError,
    NotFoundError,
    UnauthorizedError,
    from_kiosk_error,
    refusal,
)
from kiosk.centre.events import EventHub, last_event_id, read_events, write_event
from kiosk.config import Config, parse_window
from kiosk.i18n import N_
from kiosk.queue import Priority
from kiosk.sync import outbox

log = logging.getLogger(__name__)

ACTIONS = ("call-next", "recall", "park", "unpark", "no-show", "requeue", "complete", "break",
           "resume", "transfer")
DEVICE_KINDS = ("kiosk", "counter", "board", "cli")
#: Token events forwarded to the state backend (outbox kinds; the contract's batch kinds).
FORWARDED = {"token.issued", "token.called", "token.recalled", "token.transferred",
             "token.parked", "token.requeued", "token.served", "token.no_show"}
MAX_LEASE = 500
#: Leased numbers come from their own band, so online numbers run C-001, C-002 … from the
#: morning whatever the kiosks hold in reserve (a lease taken from the same sequence made the
#: first online token of the day C-051, or C-101 with two kiosks). A slip from the band also
#: tells staff at a glance that it was issued while the kiosk was cut off.
LEASE_FIRST_SEQ = 5001
LAST_SEQ = 9999  # the last leased number (the centre contract's IssueRequest.seq maximum)
#: A day that outgrows the 5,000 online numbers continues past the leased band (C-10000 …):
#: the backend contract takes numbers of five digits and more.
OVERFLOW_FIRST_SEQ, OVERFLOW_LAST_SEQ = 10000, 99999
#: Why a session ended, as the console says (``DELETE /v1/sessions/current?reason=``).
LOGOUT_REASONS = ("operator", "idle", "shutdown")
#: The console logs an idle operator out itself (with a countdown) after ``idle_logout_s``;
#: the service refuses a session unused for this many times as long (a console that died).
SESSION_BACKSTOP = 3


#: A kiosk's repeated "call staff" within this many seconds is the same request.
HELP_REPEAT_S = 120


def rules_from_config(config: Config) -> rules.QueueRules:
    q = config.queue_rules
    window = parse_window(str(q["samadhan_window"])) or (570, 810)

    def at(minutes: int) -> time:
        return time.max if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)

    return rules.QueueRules(priority_per_general=int(q["priority_per_general"]),
                            samadhan_group=str(q["samadhan_group"]),
                            samadhan_window=(at(window[0]), at(window[1])),
                            recall_limit=int(q["recall_limit"]),
                            requeue_minutes=int(q["requeue_minutes"]))


def board_notices(raw: object) -> list[dict[str, str]]:
    """``[board] notices`` as ``[{hi, en}]``: a table with ``hi``/``en``, or one text for both.

    Anything else (a number, an empty text) is left out: a bad notice must not blank the board.
    """
    out: list[dict[str, str]] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str) and item.strip():
            out.append({"hi": item.strip(), "en": item.strip()})
        elif isinstance(item, dict):
            hi, en = str(item.get("hi") or "").strip(), str(item.get("en") or "").strip()
            if hi or en:
                out.append({"hi": hi or en, "en": en or hi})
    return out


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


class CentreService:
    """The queue of one centre on its own database; thread-safe (a connection per thread)."""

    def __init__(self, store: CentreStore, config: Config, *,
                 clock: Callable[[], datetime] | None = None,
                 hub: EventHub | None = None, enrolment_code: str | None = None) -> None:
        self.store = store
        self.config = config
        self.rules = rules_from_config(config)
        self.tz = ZoneInfo(config.timezone)
        self._clock = clock or (lambda: datetime.now(self.tz))
        self.hub = hub or EventHub()
        self._write_lock = threading.Lock()
        self._devices: dict[str, tuple[str, str]] = {}
        #: Called after a commit that queued something for the state backend (wakes the sync).
        self.on_forward: Callable[[], None] | None = None
        self.idle_logout_s = int(config.centre["idle_logout_seconds"])
        self.lease_size = int(config.centre["lease_size"])
        with store.transaction() as conn:
            operators.ensure_schema(conn)
            audit.ensure_schema(conn)
            audit.backfill(conn)  # entries written before the outbox existed reach the state
            for cid, c in config.counter_configs.items():
                conn.execute("INSERT OR IGNORE INTO counters (counter, groups, updated_at) "
                             "VALUES (?, ?, ?)", (cid, json.dumps(list(c.groups)),
                                                  _iso(self.now())))
            code = enrolment_code or str(config.centre["enrolment_code"] or "")
            if code:
                conn.execute("INSERT OR REPLACE INTO settings VALUES ('enrolment_code', ?)",
                             (code,))
            elif conn.execute("SELECT 1 FROM settings WHERE key = 'enrolment_code'"
                              ).fetchone() is None:
                conn.execute("INSERT INTO settings VALUES ('enrolment_code', ?)",
                             (secrets.token_hex(4),))

    # -- plumbing -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> str:
        return self.now().date().isoformat()

    @property
    def centre_code(self) -> str:
        return self.config.centre_code

    @property
    def enrolment_code(self) -> str:
        row = self.store.conn.execute(
            "SELECT value FROM settings WHERE key = 'enrolment_code'").fetchone()
        return str(row[0]) if row else ""

    @contextmanager
    def _write(self) -> Iterator[tuple[sqlite3.Connection, list[dict[str, Any]]]]:
        """One transaction; events appended to the list are published after the commit."""
        published: list[dict[str, Any]] = []
        with self._write_lock:
            with self.store.transaction() as conn:
                yield conn, published
            for event in published:
                self.hub.publish(event)
        if self.on_forward is not None and any(e["type"] in FORWARDED for e in published):
            self.on_forward()

    def _emit(self, conn: sqlite3.Connection, published: list[dict[str, Any]], type_: str, *,
              token: dict[str, Any] | None = None, counter: dict[str, Any] | None = None,
              operator_id: str | None = None, counter_id: str | None = None,
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Event row + audit entry (+ outbox entry for a token event), in ``conn``'s transaction."""
        now = self.now()
        body: dict[str, Any] = {}
        if token is not None:
            body["token"] = token
        if counter is not None:
            body["counter"] = counter
        if operator_id is not None:
            body["operator_id"] = operator_id
        if extra:
            body.update(extra)
        event = write_event(conn, type_, _iso(now), body)
        detail: dict[str, Any] = {"event_id": event["id"]}
        if token is not None:
            detail.update(token=token["number"], token_id=token["id"], group=token["group"])
        if extra:
            detail.update(extra)
        audit.append(conn, action=type_, operator_id=operator_id,
                     counter=counter_id or (counter or {}).get("counter"), detail=detail, at=now)
        if token is not None and type_ in FORWARDED:
            payload = {"token_id": token["id"], "number": token["number"],
                       "group": token["group"], "priority": token["priority"],
                       "centre": self.centre_code, "at": event["at"],
                       "counter": counter_id or token.get("counter")}
            key = ("token.issued:" + token["id"] if type_ == "token.issued"
                   else f"{type_}:{token['id']}:{event['id']}")
            outbox.enqueue(conn, type_, token["id"], payload, key=key, now=event["at"])
        published.append(event)
        return event

    # -- a citizen asks for help ------------------------------------------------------------------

    def request_help(self, device_id: str, kind: str, screen: str = "") -> dict[str, Any]:
        """A citizen pressed "call staff" at a kiosk: one ``help.requested`` event on the stream
        (every counter shows it). A second press from the same kiosk within
        :data:`HELP_REPEAT_S` is the same request, so a worried citizen tapping five times
        does not flood the counters."""
        if kind != "kiosk":
            raise refusal(ForbiddenError, f"{kind} {device_id} asked for help",
                          N_("Only a kiosk can call the staff."))
        now = self.now()
        with self._write() as (conn, published):
            for row in conn.execute("SELECT id, at, body FROM events WHERE type = "
                                    "'help.requested' ORDER BY id DESC LIMIT 50"):
                body = json.loads(row["body"])
                age = (now - datetime.fromisoformat(row["at"])).total_seconds()
                if age > HELP_REPEAT_S:
                    break
                if body.get("kiosk") == device_id:
                    return {"event_id": int(row["id"]), "at": row["at"], "repeat": True}
            event = self._emit(conn, published, "help.requested",
                               extra={"kiosk": device_id, "screen": str(screen)[:20]})
            return {"event_id": int(event["id"]), "at": event["at"], "repeat": False}

    # -- devices --------------------------------------------------------------------------------

    def enrol(self, code: str, device_id: str, kind: str) -> str:
        """Exchange the centre's enrolment code for a device token (kept only hashed)."""
        if kind not in DEVICE_KINDS:
            raise BadRequestError(f"unknown device kind {kind!r}")
        if not code or not secrets.compare_digest(code.encode(), self.enrolment_code.encode()):
            raise UnauthorizedError("wrong enrolment code",
                               message=N_("The enrolment code is not right. Please check it "
                                          "with the centre manager."))
        return self.issue_credential(device_id, kind)

    def issue_credential(self, device_id: str, kind: str) -> str:
        """A device token without the code: for a machine that embeds the service itself."""
        token = secrets.token_urlsafe(24)
        with self._write() as (conn, _):
            conn.execute("INSERT INTO devices VALUES (?, ?, ?, ?)",
                         (token_hash(token), device_id, kind, _iso(self.now())))
        return token

    def device_for(self, token: str) -> tuple[str, str] | None:
        """The enrolled device of a bearer token (remembered: tokens are never revoked here)."""
        key = token_hash(token)
        known = self._devices.get(key)
        if known is not None:
            return known
        row = self.store.conn.execute("SELECT device_id, kind FROM devices WHERE token_hash = ?",
                                      (key,)).fetchone()
        if row is None:
            return None
        self._devices[key] = (str(row[0]), str(row[1]))
        return self._devices[key]

    # -- reading --------------------------------------------------------------------------------

    def _rows_today(self, conn: sqlite3.Connection, day: str, *states: str) -> list[sqlite3.Row]:
        marks = ",".join("?" * len(states))
        return conn.execute(f"SELECT * FROM tokens WHERE day = ? AND state IN ({marks})",
                            (day, *states)).fetchall()

    def _qt(self, row: sqlite3.Row) -> rules.QueueToken:
        return rules.QueueToken(
            id=str(row["id"]), group=str(row["grp"]), seq=int(row["seq"]),
            priority=row["priority"] != Priority.GENERAL.value,
            issued_at=datetime.fromisoformat(row["issued_at"]), state=str(row["state"]),
            target_counter=row["target_counter"], recalls=int(row["recalls"]),
            no_show_at=(datetime.fromisoformat(row["no_show_at"]) if row["no_show_at"]
                        else None))

    def _streaks(self, conn: sqlite3.Connection) -> dict[str, int]:
        return {str(r[0]): int(r[1]) for r in conn.execute("SELECT grp, streak FROM streaks")}

    def _median(self, conn: sqlite3.Connection, group: str) -> float:
        seed = self.config.groups[group].minutes if group in self.config.groups else 5.0
        served = [float(r[0]) / 60.0 for r in conn.execute(
            "SELECT service_s FROM tokens WHERE grp = ? AND state = 'served' AND service_s "
            "IS NOT NULL ORDER BY served_at DESC LIMIT ?", (group, rules.MEDIAN_WINDOW - 1))]
        return rules.median_service_minutes(list(reversed(served)), seed)

    def _counters_open(self, conn: sqlite3.Connection) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in conn.execute("SELECT groups FROM counters WHERE state = 'open'"):
            for g in json.loads(r[0]):
                out[g] = out.get(g, 0) + 1
        return out

    class _View:
        """What the live figures of many tokens need, read once."""

        def __init__(self, svc: CentreService, conn: sqlite3.Connection, day: str) -> None:
            self.waiting = [svc._qt(r) for r in svc._rows_today(conn, day, rules.WAITING)]
            self.streaks = svc._streaks(conn)
            self.open = svc._counters_open(conn)
            self.medians: dict[str, float] = {}
            self.svc, self.conn = svc, conn
            self.orders: dict[str, dict[str, int]] = {}

        def ahead(self, qt: rules.QueueToken) -> int:
            if qt.target_counter is not None:
                return rules.people_ahead(self.waiting, qt, 0, self.svc.rules)
            order = self.orders.get(qt.group)
            if order is None:
                q = rules.split_groups(t for t in self.waiting if t.group == qt.group)
                seq = rules.group_order(q.get(qt.group, rules.GroupQueue()),
                                        self.streaks.get(qt.group, 0), self.svc.rules)
                order = {t.id: i for i, t in enumerate(seq)}
                self.orders[qt.group] = order
            return order.get(qt.id, 0)

        def median(self, group: str) -> float:
            if group not in self.medians:
                self.medians[group] = self.svc._median(self.conn, group)
            return self.medians[group]

    def _token_json(self, row: sqlite3.Row, view: CentreService._View | None = None
                    ) -> dict[str, Any]:
        t: dict[str, Any] = {
            "id": row["id"], "number": row["number"], "group": row["grp"], "seq": row["seq"],
            "priority": row["priority"], "lang": row["lang"], "issued_at": row["issued_at"],
            "state": row["state"], "counter": row["counter"],
            "target_counter": row["target_counter"], "called_at": row["called_at"],
            "served_at": row["served_at"], "recalls": row["recalls"],
            "transfers": row["transfers"], "people_ahead": 0, "wait_min": None,
            "wait_max": None, "kiosk_id": row["kiosk_id"], "offline": bool(row["offline"])}
        if row["state"] == rules.WAITING and view is not None:
            qt = self._qt(row)
            ahead = view.ahead(qt)
            t["people_ahead"] = ahead
            serving = (1 if row["target_counter"] else view.open.get(row["grp"], 0))
            rng = rules.wait_range(ahead, view.median(row["grp"]), serving)
            if rng is not None:
                t["wait_min"], t["wait_max"] = rng
        return t

    def _live(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        """One token with its live figures, counted in SQL (no walk over the whole queue)."""
        t = self._token_json(row)
        if row["state"] != rules.WAITING:
            return t
        key = (row["issued_at"], row["seq"], row["id"])
        if row["target_counter"] is not None:
            t["people_ahead"] = int(conn.execute(
                "SELECT COUNT(*) FROM tokens WHERE state = 'waiting' AND target_counter = ? "
                "AND (issued_at, seq, id) < (?, ?, ?)", (row["target_counter"], *key)
            ).fetchone()[0])
            serving = 1
        else:
            c = conn.execute(
                "SELECT COALESCE(SUM(priority != 'general' AND (issued_at, seq, id) < (?, ?, ?)), "
                "0), COALESCE(SUM(priority = 'general' AND (issued_at, seq, id) < (?, ?, ?)), 0),"
                " COALESCE(SUM(priority != 'general'), 0), COALESCE(SUM(priority = 'general'), 0)"
                " FROM tokens WHERE day = ? AND state = 'waiting' AND grp = ? "
                "AND target_counter IS NULL", (*key, *key, row["day"], row["grp"])).fetchone()
            streak = conn.execute("SELECT streak FROM streaks WHERE grp = ?",
                                  (row["grp"],)).fetchone()
            t["people_ahead"] = rules.ahead_from_counts(
                priority=row["priority"] != Priority.GENERAL.value, older_priority=int(c[0]),
                older_general=int(c[1]), priority_waiting=int(c[2]), general_waiting=int(c[3]),
                streak=int(streak[0]) if streak else 0, rules=self.rules)
            serving = self._counters_open(conn).get(row["grp"], 0)
        rng = rules.wait_range(t["people_ahead"], self._median(conn, row["grp"]), serving)
        if rng is not None:
            t["wait_min"], t["wait_max"] = rng
        return t

    def _heads(self, conn: sqlite3.Connection, day: str, counter: str,
               groups: list[str]) -> list[rules.QueueToken]:
        """The only tokens call-next can pick: the first targeted at this counter, and per group
        the first priority and the first general one (rules.pick_next decides among them)."""
        cols = "id, grp, seq, priority, issued_at, state, target_counter, recalls, no_show_at"
        rows = conn.execute(f"SELECT {cols} FROM tokens WHERE state = 'waiting' AND "
                            "target_counter = ? ORDER BY issued_at, seq, id LIMIT 1",
                            (counter,)).fetchall()
        for g in groups:
            for kind in ("priority = 'general'", "priority != 'general'"):
                rows += conn.execute(
                    f"SELECT {cols} FROM tokens WHERE day = ? AND state = 'waiting' AND grp = ? "
                    f"AND target_counter IS NULL AND {kind} ORDER BY issued_at, seq, id LIMIT 1",
                    (day, g)).fetchall()
        return [self._qt(r) for r in rows]

    def _counter_json(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        token = None
        if row["token_id"]:
            trow = conn.execute("SELECT * FROM tokens WHERE id = ?",
                                (row["token_id"],)).fetchone()
            token = self._token_json(trow) if trow is not None else None
        served = conn.execute("SELECT COUNT(*) FROM tokens WHERE day = ? AND counter = ? AND "
                              "state = 'served'", (self.today(), row["counter"])).fetchone()[0]
        return {"counter": row["counter"], "state": row["state"],
                "operator_id": row["operator_id"], "operator_name": row["operator_name"],
                "groups": json.loads(row["groups"]), "token": token,
                "served_today": int(served)}

    def _find_token(self, conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
        ref = ref.strip()
        row = conn.execute("SELECT * FROM tokens WHERE id = ?", (ref,)).fetchone()
        if row is None:
            row = conn.execute("SELECT * FROM tokens WHERE day = ? AND number = ? ",
                               (self.today(), ref.upper())).fetchone()
        if row is None:
            raise refusal(NotFoundError, f"no token {ref!r} today",
                          N_("There is no token {token} today."), token=ref[:12])
        return row

    def token(self, ref: str) -> dict[str, Any]:
        """A token by id (or today's number) with its live people-ahead and wait."""
        conn = self.store.conn
        conn.execute("BEGIN")
        try:
            return self._live(conn, self._find_token(conn, ref))
        finally:
            conn.execute("COMMIT")

    def last_event_id(self) -> int:
        return last_event_id(self.store.conn)

    def events_after(self, after: int, limit: int = 2000) -> list[dict[str, Any]]:
        return read_events(self.store.conn, after, limit)

    def snapshot(self) -> dict[str, Any]:
        """The whole live state, consistent with ``last_event_id`` (one read transaction)."""
        conn = self.store.conn
        conn.execute("BEGIN")
        try:
            day = self.today()
            view = self._View(self, conn, day)
            waiting_rows = self._rows_today(conn, day, rules.WAITING)
            waiting = [self._token_json(r, view) for r in waiting_rows]
            waiting.sort(key=lambda t: (t["group"], t["people_ahead"]))
            parked = [self._token_json(r) for r in self._rows_today(conn, day, rules.PARKED)]
            horizon = self.now() - timedelta(minutes=self.rules.requeue_minutes)
            skipped = [self._token_json(r) for r in self._rows_today(conn, day, rules.NO_SHOW)
                       if r["no_show_at"] and datetime.fromisoformat(r["no_show_at"]) >= horizon]
            now = self.now()
            groups = []
            for g, gc in self.config.groups.items():
                mine = [t for t in waiting if t["group"] == g and not t["target_counter"]]
                oldest = min((datetime.fromisoformat(t["issued_at"]) for t in mine),
                             default=None)
                rng = rules.wait_range(len(mine), view.median(g), view.open.get(g, 0))
                groups.append({
                    "group": g, "name_hi": gc.name_hi, "name_en": gc.name_en,
                    "waiting": len(mine),
                    "priority_waiting": sum(1 for t in mine if t["priority"] != "general"),
                    "longest_wait_s": (int((now - oldest).total_seconds()) if oldest else 0),
                    "counters_open": view.open.get(g, 0),
                    "wait_min": rng[0] if rng else None, "wait_max": rng[1] if rng else None,
                    "accepting": rules.group_accepts(g, now, self.rules)})
            counters = [self._counter_json(conn, r) for r in
                        conn.execute("SELECT * FROM counters ORDER BY counter")]
            return {"last_event_id": last_event_id(conn), "day": day, "centre": self.centre_code,
                    "groups": groups, "counters": counters, "waiting": waiting,
                    "parked": parked, "skipped": skipped}
        finally:
            conn.execute("COMMIT")

    def board(self, calls: int = 8) -> dict[str, Any]:
        """What a display board shows on start: the snapshot, today's latest calls, the rules.

        A board resumes the event stream from ``snapshot.last_event_id``; the calls are the
        ``token.called`` / ``token.recalled`` events up to that id, oldest first, so the hall
        sees the last few calls at once instead of an empty board until the next call. The
        opening hours, the Samadhan Ek Din window and the notices are this centre's, so every
        board of the centre says the same thing.
        """
        snap = self.snapshot()
        rows = self.store.conn.execute(
            "SELECT id, type, at, body FROM events WHERE type IN ('token.called', "
            "'token.recalled') AND id <= ? AND at >= ? ORDER BY id DESC LIMIT ?",
            (snap["last_event_id"], snap["day"], max(0, min(int(calls), 50)))).fetchall()
        recent = []
        for r in reversed(rows):
            body = json.loads(r[3])
            token = body.get("token") or {}
            counter = body.get("counter") or {}
            recent.append({"id": int(r[0]), "type": str(r[1]), "at": str(r[2]),
                           "token": {"id": token.get("id"), "number": token.get("number"),
                                     "group": token.get("group")},
                           "counter": {"counter": counter.get("counter")
                                       or token.get("counter")}})
        board = self.config.board
        names = {cid: {"hi": c.name_hi, "en": c.name_en}
                 for cid, c in self.config.counter_configs.items()}
        return {"snapshot": snap, "calls": recent, "now": _iso(self.now()),
                "rules": {"samadhan_group": self.rules.samadhan_group,
                          "samadhan_window": str(self.config.queue_rules["samadhan_window"]),
                          "hours": str(board["hours"]), "timezone": self.config.timezone},
                "notices": board_notices(board.get("notices")), "counter_names": names}

    def health(self) -> dict[str, Any]:
        conn = self.store.conn
        pending = outbox.count_state(conn, outbox.PENDING) + outbox.count_state(
            conn, outbox.INFLIGHT)
        state = {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM sync_state")}
        online = state.get("online")
        return {"status": "ok", "centre": self.centre_code, "day": self.today(),
                "last_event_id": last_event_id(conn),
                "state_backend": {"online": online == "1" if online is not None else None,
                                  "pending": pending,
                                  "parked": outbox.count_state(conn, outbox.PARKED)}}

    # -- issuing --------------------------------------------------------------------------------

    def _group(self, group: str) -> str:
        g = str(group).strip().upper()
        if g not in self.config.groups:
            raise refusal(BadRequestError, f"unknown group {group!r}",
                          N_("There is no service group {group} at this centre."),
                          group=str(group)[:3])
        return g

    def issue(self, token_id: str, group: str, priority: str = "general", lang: str = "hi",
              kiosk_id: str = "", issued_at: str | None = None, seq: int | None = None
              ) -> dict[str, Any]:
        """Number and queue a token; idempotent by ``token_id`` (a retry gets the same token).

        ``seq`` (with ``issued_at``) is a number the kiosk issued offline from its lease: it is
        accepted only inside a lease that kiosk holds for that day and group.
        """
        try:
            uuid.UUID(token_id)
        except (ValueError, AttributeError, TypeError):
            raise BadRequestError(f"token_id {token_id!r} is not a UUID") from None
        grp = self._group(group)
        try:
            prio = Priority(priority)
        except ValueError:
            raise BadRequestError(f"unknown priority {priority!r}",
                             message=N_("Please choose one of the listed categories.")) from None
        now = self.now()
        when = now
        if issued_at is not None:
            try:
                when = datetime.fromisoformat(issued_at)
            except ValueError:
                raise BadRequestError(f"issued_at {issued_at!r} is not an ISO time") from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=self.tz)
            when = when.astimezone(self.tz)
            if when > now + timedelta(minutes=5):
                raise BadRequestError(f"issued_at {issued_at} is in the future")
        day = when.date().isoformat()
        with self._write() as (conn, published):
            row = conn.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
            if row is not None:
                return self._live(conn, row)
            if seq is None:
                if not rules.group_accepts(grp, now, self.rules):
                    start, end = self.rules.samadhan_window
                    raise refusal(NotAllowedError, f"group {grp} issues only {start}-{end}",
                                  N_("Samadhan Ek Din tokens are given only between {start} "
                                     "and {end}."), start=start.strftime("%H:%M"),
                                  end=end.strftime("%H:%M"))
                seq = self._take_seq(conn, day, grp, 1)
                offline = 0
            else:
                lease = conn.execute(
                    "SELECT 1 FROM leases WHERE kiosk_id = ? AND day = ? AND grp = ? AND "
                    "first_seq <= ? AND last_seq >= ?", (kiosk_id, day, grp, seq, seq)).fetchone()
                if lease is None:
                    raise refusal(NotAllowedError, f"seq {seq} of {grp} on {day} is not leased to "
                                  f"{kiosk_id}", N_("Token number {number} was not given to "
                                                    "this kiosk."), number=f"{grp}-{seq:03d}")
                offline = 1
            number = f"{grp}-{seq:03d}"
            try:
                conn.execute(
                    "INSERT INTO tokens (id, day, num_grp, seq, number, grp, priority, lang, "
                    "kiosk_id, issued_at, offline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (token_id, day, grp, seq, number, grp, prio.value, lang, kiosk_id,
                     _iso(when), offline))
            except sqlite3.IntegrityError:
                raise refusal(NotAllowedError, f"number {number} already used on {day}",
                              N_("Token number {number} is already used today."),
                              number=number) from None
            row = conn.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
            token = self._live(conn, row)
            self._emit(conn, published, "token.issued", token=token,
                       extra={"kiosk_id": kiosk_id} if kiosk_id else None)
            return token

    def _take_seq(self, conn: sqlite3.Connection, day: str, grp: str, count: int, *,
                  leased: bool = False) -> int:
        """The first of ``count`` fresh numbers: online ones from 1, leased ones from their own
        band (``LEASE_FIRST_SEQ``); neither band may run into the next. Online numbers that
        outgrow their band go on past the leased one (``OVERFLOW_FIRST_SEQ``: C-10000)."""
        key, start, end = ((f"{grp}:lease", LEASE_FIRST_SEQ, LAST_SEQ) if leased
                           else (grp, 1, LEASE_FIRST_SEQ - 1))
        row = conn.execute("SELECT next_seq FROM sequences WHERE day = ? AND grp = ?",
                           (day, key)).fetchone()
        first = int(row[0]) if row else start
        if not leased and first + count - 1 > end:
            first, end = max(first, OVERFLOW_FIRST_SEQ), OVERFLOW_LAST_SEQ
        if first + count - 1 > end:
            raise refusal(NotAllowedError, f"{grp} has no numbers left on {day} ({key})",
                          N_("No more token numbers can be given for this service today. "
                             "Please ask the staff at the counter."))
        conn.execute("INSERT OR REPLACE INTO sequences VALUES (?, ?, ?)",
                     (day, key, first + count))
        return first

    def lease(self, kiosk_id: str, group: str, count: int | None = None) -> dict[str, Any]:
        """Reserve a block of numbers for a kiosk to issue while it cannot reach the service."""
        grp = self._group(group)
        n = self.lease_size if count is None else int(count)
        if not 1 <= n <= MAX_LEASE:
            raise BadRequestError(f"lease count {n} outside 1-{MAX_LEASE}")
        if not kiosk_id:
            raise BadRequestError("kiosk_id is required")
        day = self.today()
        with self._write() as (conn, _):
            first = self._take_seq(conn, day, grp, n, leased=True)
            conn.execute("INSERT INTO leases (kiosk_id, day, grp, first_seq, last_seq, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (kiosk_id, day, grp, first, first + n - 1, _iso(self.now())))
            audit.append(conn, action="lease", operator_id=None, counter=None,
                         detail={"kiosk_id": kiosk_id, "group": grp, "first": first,
                                 "last": first + n - 1}, at=self.now())
        return {"group": grp, "day": day, "first": first, "last": first + n - 1}

    # -- operators and sessions -----------------------------------------------------------------

    def _counter_row(self, conn: sqlite3.Connection, counter: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM counters WHERE counter = ?", (str(counter),)).fetchone()
        if row is None:
            raise refusal(NotFoundError, f"no counter {counter!r}",
                          N_("There is no counter {counter} at this centre."),
                          counter=str(counter)[:32])
        return row

    def login(self, counter: str, pin: str, *, operator_id: str | None = None,
              card_id: str | None = None, finger_slot: int | None = None,
              groups: list[str] | None = None) -> dict[str, Any]:
        """Check the operator, open the counter, return a session token (kept hashed)."""
        if sum(x is not None for x in (operator_id, card_id, finger_slot)) != 1:
            raise BadRequestError("give exactly one of operator_id, card_id, finger_slot")
        chosen = [self._group(g) for g in groups] if groups else None
        # The slow scrypt comparison runs before the write lock is taken (no other counter
        # waits on it); attempt_login uses it if the PIN hash has not changed meanwhile.
        precheck = operators.precheck_pin(self.store.conn, pin=pin, operator_id=operator_id,
                                          card_id=card_id, finger_slot=finger_slot)
        now = self.now()
        with self._write() as (conn, published):
            crow = self._counter_row(conn, counter)
            attempt = operators.attempt_login(conn, pin=pin, operator_id=operator_id,
                                              card_id=card_id, finger_slot=finger_slot,
                                              counter=str(counter), now=now, precheck=precheck)
            # The attempt (its effect on the lock-out) and its audit entry are committed even
            # when it is refused: the refusal is raised after this block.
            operators.audit_login(conn, attempt, at=now)
            if attempt.ok:
                return self._open_session(conn, published, crow, attempt.result(), chosen, now)
        assert attempt.error is not None
        raise from_kiosk_error(attempt.error, UnauthorizedError)

    def _open_session(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                      crow: sqlite3.Row, op: Any, chosen: list[str] | None,
                      now: datetime) -> dict[str, Any]:
        counter = str(crow["counter"])
        session = secrets.token_urlsafe(24)
        conn.execute("UPDATE sessions SET closed_at = ? WHERE counter = ? AND closed_at IS NULL",
                     (_iso(now), counter))
        conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, NULL)",
                     (token_hash(session), counter, op.id, _iso(now), _iso(now)))
        new_groups = chosen or json.loads(crow["groups"])
        state = crow["state"] if crow["state"] == rules.BREAK else rules.OPEN
        conn.execute("UPDATE counters SET state = ?, operator_id = ?, operator_name = ?, "
                     "groups = ?, opened_at = ?, updated_at = ? WHERE counter = ?",
                     (state, op.id, op.name, json.dumps(new_groups), _iso(now), _iso(now),
                      counter))
        cjson = self._counter_json(conn, self._counter_row(conn, counter))
        self._emit(conn, published, "counter.opened", counter=cjson, operator_id=op.id,
                   counter_id=counter)
        return {"session_token": session,
                "operator": {"id": op.id, "name": op.name, "role": op.role},
                "counter": cjson, "idle_logout_s": self.idle_logout_s}

    def _session(self, conn: sqlite3.Connection, session: str | None,
                 counter: str | None = None) -> sqlite3.Row:
        if not session:
            raise UnauthorizedError("no X-Operator-Session", code="no-session",
                               message=N_("Please log in at the counter first."))
        row = conn.execute("SELECT * FROM sessions WHERE token_hash = ?",
                           (token_hash(session),)).fetchone()
        now = self.now()
        if row is None or row["closed_at"] is not None:
            raise UnauthorizedError("session unknown or closed", code="no-session",
                               message=N_("Your session has ended. Please log in again."))
        idle = (now - datetime.fromisoformat(row["last_used"])).total_seconds()
        if idle > self.idle_logout_s * SESSION_BACKSTOP:
            raise UnauthorizedError("session idle too long", code="session-idle",
                               message=N_("You were logged out after being idle. Please log in "
                                          "again."))
        if counter is not None and row["counter"] != str(counter):
            raise refusal(ForbiddenError, f"session of counter {row['counter']} used for {counter}",
                          N_("You are logged in at counter {mine}, not counter {other}."),
                          mine=row["counter"], other=str(counter)[:32])
        conn.execute("UPDATE sessions SET last_used = ? WHERE token_hash = ?",
                     (_iso(now), row["token_hash"]))
        return row

    def logout(self, session: str | None, reason: str = "operator") -> dict[str, Any]:
        """End the session and close its counter; a token still at the counter is parked.

        ``reason`` (:data:`LOGOUT_REASONS`: the operator's own, the console's idle log-out, the
        console closing) goes into the ``operator.logout`` audit entry next to
        ``counter.closed``, so the trail tells a walk-away from a log-out.
        """
        if reason not in LOGOUT_REASONS:
            raise BadRequestError(f"unknown log-out reason {reason[:20]!r}")
        with self._write() as (conn, published):
            srow = self._session(conn, session)
            counter = str(srow["counter"])
            now = _iso(self.now())
            audit.append(conn, action="operator.logout", operator_id=str(srow["operator_id"]),
                         counter=counter, detail={"reason": reason}, at=self.now())
            conn.execute("UPDATE sessions SET closed_at = ? WHERE token_hash = ?",
                         (now, srow["token_hash"]))
            crow = self._counter_row(conn, counter)
            if crow["token_id"]:
                conn.execute("UPDATE tokens SET state = 'parked', parked_at = ? WHERE id = ?",
                             (now, crow["token_id"]))
                conn.execute("UPDATE counters SET token_id = NULL WHERE counter = ?", (counter,))
                trow = conn.execute("SELECT * FROM tokens WHERE id = ?",
                                    (crow["token_id"],)).fetchone()
                self._emit(conn, published, "token.parked", token=self._token_json(trow),
                           operator_id=srow["operator_id"], counter_id=counter,
                           extra={"reason": "logout"})
            conn.execute("UPDATE counters SET state = 'closed', operator_id = NULL, "
                         "operator_name = NULL, updated_at = ? WHERE counter = ?", (now, counter))
            cjson = self._counter_json(conn, self._counter_row(conn, counter))
            self._emit(conn, published, "counter.closed", counter=cjson,
                       operator_id=srow["operator_id"], counter_id=counter)
            return {"counter": cjson}

    # -- counter actions ------------------------------------------------------------------------

    def act(self, counter: str, action: str, session: str | None,
            body: dict[str, Any] | None = None) -> dict[str, Any]:
        """One counter action → ``{"counter", "token", "event_id"}``; refusals are 409."""
        if action not in ACTIONS:
            raise refusal(NotFoundError, f"unknown action {action!r}",
                          N_("There is no counter action {action}."), action=action[:20])
        body = body or {}
        with self._write() as (conn, published):
            srow = self._session(conn, session, counter)
            crow = self._counter_row(conn, counter)
            op = str(srow["operator_id"])
            handler = getattr(self, "_do_" + action.replace("-", "_"))
            token_row: sqlite3.Row | None = handler(conn, published, crow, op, body)
            token = None
            if token_row is not None:
                fresh = conn.execute("SELECT * FROM tokens WHERE id = ?",
                                     (token_row["id"],)).fetchone()
                token = self._live(conn, fresh)
            cjson = self._counter_json(conn, self._counter_row(conn, counter))
            return {"counter": cjson, "token": token, "event_id": last_event_id(conn)}

    def _current(self, conn: sqlite3.Connection, crow: sqlite3.Row, body: dict[str, Any],
                 what: str) -> sqlite3.Row:
        if not crow["token_id"]:
            raise refusal(NotAllowedError,
                          f"counter {crow['counter']} has no called token ({what})",
                          N_("No token is called at counter {counter}. Call the next token "
                             "first."), counter=crow["counter"])
        row = conn.execute("SELECT * FROM tokens WHERE id = ?", (crow["token_id"],)).fetchone()
        ref = body.get("token")
        if ref and str(ref).strip().upper() not in (row["id"].upper(), row["number"]):
            raise refusal(NotAllowedError, f"{ref} is not the token at counter {crow['counter']}",
                          N_("Token {token} is not the one at counter {counter}; that is "
                             "{current}."), token=str(ref)[:12], counter=crow["counter"],
                          current=row["number"])
        return row

    def _require_open(self, crow: sqlite3.Row) -> None:
        if crow["state"] == rules.BREAK:
            raise refusal(NotAllowedError, f"counter {crow['counter']} is on a break",
                          N_("Counter {counter} is on a break. Resume first."),
                          counter=crow["counter"])
        if crow["state"] != rules.OPEN:
            raise refusal(NotAllowedError, f"counter {crow['counter']} is closed",
                          N_("Counter {counter} is closed. Please log in first."),
                          counter=crow["counter"])

    def _token_event(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                     type_: str, row_id: str, crow: sqlite3.Row, op: str,
                     extra: dict[str, Any] | None = None) -> sqlite3.Row:
        fresh = conn.execute("SELECT * FROM tokens WHERE id = ?", (row_id,)).fetchone()
        token = self._token_json(fresh)
        counter = self._counter_json(conn, self._counter_row(conn, crow["counter"]))
        self._emit(conn, published, type_, token=token, counter=counter, operator_id=op,
                   counter_id=crow["counter"], extra=extra)
        return fresh

    def _do_call_next(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                      crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row | None:
        self._require_open(crow)
        if crow["token_id"]:
            cur = conn.execute("SELECT number FROM tokens WHERE id = ?",
                               (crow["token_id"],)).fetchone()
            raise refusal(NotAllowedError, f"counter {crow['counter']} still has {cur[0]}",
                          N_("Token {token} is still at this counter. Complete it, park it, "
                             "transfer it or mark it as not present first."), token=cur[0])
        day = self.today()
        groups = json.loads(crow["groups"])
        streaks = self._streaks(conn)
        pick = rules.pick_next(self._heads(conn, day, crow["counter"], groups), crow["counter"],
                               groups, streaks, self.rules)
        if pick is None:
            return None
        now = _iso(self.now())
        conn.execute("UPDATE tokens SET state = 'called', counter = ?, target_counter = NULL, "
                     "called_at = ?, recalls = 0 WHERE id = ? AND state = 'waiting'",
                     (crow["counter"], now, pick.id))
        conn.execute("UPDATE counters SET token_id = ?, updated_at = ? WHERE counter = ?",
                     (pick.id, now, crow["counter"]))
        if pick.target_counter is None:
            conn.execute("INSERT OR REPLACE INTO streaks VALUES (?, ?)",
                         (pick.group, rules.next_streak(streaks.get(pick.group, 0),
                                                        pick.priority)))
        return self._token_event(conn, published, "token.called", pick.id, crow, op)

    def _do_recall(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                   crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._current(conn, crow, body, "recall")
        if not rules.can_recall(self._qt(row), self.rules):
            raise refusal(NotAllowedError, f"{row['number']} recalled {row['recalls']} times",
                          N_("Token {token} was already called again {limit} times. Mark it as "
                             "not present."), token=row["number"], limit=self.rules.recall_limit)
        conn.execute("UPDATE tokens SET recalls = recalls + 1 WHERE id = ?", (row["id"],))
        return self._token_event(conn, published, "token.recalled", row["id"], crow, op)

    def _do_park(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                 crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._current(conn, crow, body, "park")
        conn.execute("UPDATE tokens SET state = 'parked', parked_at = ? WHERE id = ?",
                     (_iso(self.now()), row["id"]))
        conn.execute("UPDATE counters SET token_id = NULL WHERE counter = ?", (crow["counter"],))
        return self._token_event(conn, published, "token.parked", row["id"], crow, op)

    def _pick_listed(self, conn: sqlite3.Connection, crow: sqlite3.Row, body: dict[str, Any],
                     state: str, column: str) -> sqlite3.Row:
        ref = body.get("token")
        if ref:
            row = self._find_token(conn, str(ref))
        else:
            row = conn.execute(f"SELECT * FROM tokens WHERE day = ? AND state = ? AND counter = ? "
                               f"ORDER BY {column} DESC LIMIT 1",
                               (self.today(), state, crow["counter"])).fetchone()
            if row is None:
                raise refusal(NotAllowedError, f"counter {crow['counter']} has no {state} token",
                              N_("Counter {counter} has no such token. Name the token."),
                              counter=crow["counter"])
        return row

    def _do_unpark(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                   crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._pick_listed(conn, crow, body, rules.PARKED, "parked_at")
        if row["state"] != rules.PARKED:
            raise refusal(NotAllowedError, f"{row['number']} is {row['state']}, not parked",
                          N_("Token {token} is not parked."), token=row["number"])
        # Back at its original place, for this counter first: the citizen returns to it.
        conn.execute("UPDATE tokens SET state = 'waiting', target_counter = ?, parked_at = NULL "
                     "WHERE id = ?", (crow["counter"], row["id"]))
        return self._token_event(conn, published, "token.requeued", row["id"], crow, op,
                                 extra={"reason": "unparked"})

    def _do_no_show(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                    crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._current(conn, crow, body, "no-show")
        if not rules.can_no_show(self._qt(row), self.rules):
            raise refusal(NotAllowedError, f"{row['number']} recalled only {row['recalls']} times",
                          N_("Token {token} can be marked as not present only after calling "
                             "it again {limit} times."), token=row["number"],
                          limit=self.rules.recall_limit)
        conn.execute("UPDATE tokens SET state = 'no_show', no_show_at = ? WHERE id = ?",
                     (_iso(self.now()), row["id"]))
        conn.execute("UPDATE counters SET token_id = NULL WHERE counter = ?", (crow["counter"],))
        return self._token_event(conn, published, "token.no_show", row["id"], crow, op)

    def _do_requeue(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                    crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._pick_listed(conn, crow, body, rules.NO_SHOW, "no_show_at")
        if not rules.can_requeue(self._qt(row), self.now(), self.rules):
            if row["state"] != rules.NO_SHOW:
                raise refusal(NotAllowedError, f"{row['number']} is {row['state']}",
                              N_("Token {token} was not marked as not present."),
                              token=row["number"])
            raise refusal(NotAllowedError, f"{row['number']} no-show too long ago",
                          N_("Token {token} can be put back only within {minutes} minutes. "
                             "Please take a new token."), token=row["number"],
                          minutes=self.rules.requeue_minutes)
        conn.execute("UPDATE tokens SET state = 'waiting', counter = NULL, no_show_at = NULL, "
                     "recalls = 0 WHERE id = ?", (row["id"],))
        return self._token_event(conn, published, "token.requeued", row["id"], crow, op,
                                 extra={"reason": "no_show"})

    def _do_complete(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                     crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._current(conn, crow, body, "complete")
        now = self.now()
        took = (now - datetime.fromisoformat(row["called_at"])).total_seconds()
        conn.execute("UPDATE tokens SET state = 'served', served_at = ?, service_s = ? "
                     "WHERE id = ?", (_iso(now), max(0.0, took), row["id"]))
        conn.execute("UPDATE counters SET token_id = NULL WHERE counter = ?", (crow["counter"],))
        return self._token_event(conn, published, "token.served", row["id"], crow, op)

    def _do_transfer(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                     crow: sqlite3.Row, op: str, body: dict[str, Any]) -> sqlite3.Row:
        row = self._current(conn, crow, body, "transfer")
        to_group, to_counter = body.get("to_group"), body.get("to_counter")
        if (to_group is None) == (to_counter is None):
            raise BadRequestError("transfer needs exactly one of to_group, to_counter",
                             message=N_("Choose a service group or a counter to send the token "
                                        "to."))
        if to_group is not None:
            grp = self._group(str(to_group))
            conn.execute("UPDATE tokens SET state = 'waiting', grp = ?, counter = NULL, "
                         "target_counter = NULL, recalls = 0, transfers = transfers + 1 "
                         "WHERE id = ?", (grp, row["id"]))
            extra: dict[str, Any] = {"from_group": row["grp"], "to_group": grp}
        else:
            target = self._counter_row(conn, str(to_counter))
            if target["counter"] == crow["counter"]:
                raise NotAllowedError("transfer to the same counter",
                                 message=N_("The token is already at this counter."))
            conn.execute("UPDATE tokens SET state = 'waiting', counter = NULL, "
                         "target_counter = ?, recalls = 0, transfers = transfers + 1 "
                         "WHERE id = ?", (target["counter"], row["id"]))
            extra = {"to_counter": target["counter"]}
        conn.execute("UPDATE counters SET token_id = NULL WHERE counter = ?", (crow["counter"],))
        return self._token_event(conn, published, "token.transferred", row["id"], crow, op,
                                 extra=extra)

    def _do_break(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                  crow: sqlite3.Row, op: str, body: dict[str, Any]) -> None:
        self._require_open(crow)
        if crow["token_id"]:
            raise NotAllowedError(f"counter {crow['counter']} has a token",
                             message=N_("Finish the token at this counter before a break."))
        conn.execute("UPDATE counters SET state = 'break', updated_at = ? WHERE counter = ?",
                     (_iso(self.now()), crow["counter"]))
        cjson = self._counter_json(conn, self._counter_row(conn, crow["counter"]))
        self._emit(conn, published, "counter.break", counter=cjson, operator_id=op,
                   counter_id=crow["counter"])
        return None

    def _do_resume(self, conn: sqlite3.Connection, published: list[dict[str, Any]],
                   crow: sqlite3.Row, op: str, body: dict[str, Any]) -> None:
        if crow["state"] != rules.BREAK:
            raise refusal(NotAllowedError, f"counter {crow['counter']} is not on a break",
                          N_("Counter {counter} is not on a break."), counter=crow["counter"])
        conn.execute("UPDATE counters SET state = 'open', updated_at = ? WHERE counter = ?",
                     (_iso(self.now()), crow["counter"]))
        cjson = self._counter_json(conn, self._counter_row(conn, crow["counter"]))
        self._emit(conn, published, "counter.opened", counter=cjson, operator_id=op,
                   counter_id=crow["counter"])
        return None

    def stats(self, counter: str) -> dict[str, Any]:
        conn = self.store.conn
        self._counter_row(conn, counter)
        day = self.today()
        served = conn.execute("SELECT COUNT(*), AVG(service_s) FROM tokens WHERE day = ? AND "
                              "counter = ? AND state = 'served'", (day, str(counter))).fetchone()
        no_show = conn.execute("SELECT COUNT(*) FROM tokens WHERE day = ? AND counter = ? AND "
                               "state = 'no_show'", (day, str(counter))).fetchone()[0]
        transferred = conn.execute(
            "SELECT COUNT(*) FROM events WHERE type = 'token.transferred' AND at >= ? AND "
            "json_extract(body, '$.counter.counter') = ?", (day, str(counter))).fetchone()[0]
        return {"counter": str(counter), "day": day, "served": int(served[0]),
                "no_show": int(no_show), "avg_service_s": round(float(served[1] or 0.0), 1),
                "transferred": int(transferred)}
