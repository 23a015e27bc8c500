"""The reference backend's database (SQLite or PostgreSQL) and the business rules behind each
endpoint.

Every write runs inside one transaction that also stores the answer under the request's
idempotency key. That is the whole trick behind "the same key twice returns the first result":
the effect and the remembered answer commit together, so a crash or a dropped connection after
the commit replays the answer instead of repeating the effect. The key is claimed first (an
``INSERT ... ON CONFLICT DO NOTHING`` on its unique index), so on PostgreSQL a second request
with the same key waits for the first to commit and then replays its answer.

On SQLite ``BEGIN IMMEDIATE`` serialises every write. On PostgreSQL (READ COMMITTED, see
:mod:`reference_backend.store`) the same rules hold by unique indexes and row locks: a token
number per centre and day, the counter queue (``FOR UPDATE SKIP LOCKED``: two counters calling
"next" at the same instant get different tokens), a document's next version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from backend_client.working_days import WorkingCalendar, district_holidays
from reference_backend import audit_chain, issuer, migrations
from reference_backend.data import DEFAULT_DOCUMENTS
from reference_backend.store import PostgresStore, SqliteStore, open_store, redact

log = logging.getLogger(__name__)

POOL_SIZE_ENV, DEFAULT_POOL_SIZE = "SEVA_BACKEND_POOL_SIZE", 16
PRIORITY_ORDER = "CASE priority WHEN 'general' THEN 1 ELSE 0 END"
UPI_VPA = "lsk.reference@upi"
#: Certificates carry the Indian calendar date, whatever the server's clock zone.
ISSUE_TZ = ZoneInfo("Asia/Kolkata")
#: Services whose approval yields a signed certificate (the approval rule in
#: :meth:`BackendDB.approve_if_due`); KHA (a land-record copy) is not one.
CERTIFICATE_SERVICES = frozenset({"INC", "DOM", "CST", "EWS", "BRT", "MRG"})
#: Application ``fields`` copied into a certificate's certified details by the approval rule.
CERTIFIED_FIELDS = ("income", "category", "caste")
#: The verifier's limits (kiosk/certificates.py); issuing refuses what would never verify.
DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,23}", re.ASCII)
MAX_DETAILS, MAX_DETAIL_VALUE, MAX_HOLDER = 8, 80, 120


class ProblemError(Exception):
    """A 4xx answer with a stable machine ``code`` and a human ``detail``."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail

    def body(self) -> dict[str, Any]:
        titles = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
                  405: "Method not allowed", 408: "Request timeout", 409: "Conflict",
                  413: "Too large", 414: "URI too long", 422: "Idempotency key reused",
                  431: "Header fields too large", 500: "Internal error",
                  501: "Not implemented", 503: "Unavailable"}
        return {"type": f"urn:seva-kiosk:problem:{self.code}",
                "title": titles.get(self.status, "Error"), "status": self.status,
                "detail": self.detail, "code": self.code}


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Caller:
    """Who is asking: the kiosk a live token belongs to, and the centre it was enrolled in.

    Every read and write is scoped to ``centre``: a kiosk sees and changes only its own
    centre's tokens, counters, applications, payments and certificates.
    """

    kiosk_id: str
    centre: str


#: ``kiosks.revoked``: 0 = a live credential, 1 = revoked (no enrolment until reinstated),
#: 2 = reinstated by an administrator (no live credential; the next enrolment is accepted).
LIVE, REVOKED, REINSTATED = 0, 1, 2


def _wrong_centre(what: str) -> ProblemError:
    return ProblemError(403, "wrong-centre", f"{what} belongs to another centre than the one "
                        "this kiosk is enrolled in")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request_hash(method: str, path: str, body: Any) -> str:
    return _hash(f"{method} {path} " + json.dumps(body, sort_keys=True, ensure_ascii=False))


def _doc_etag(body: str) -> str:
    return '"' + _hash(body)[:32] + '"'


def configured_pool_size() -> int:
    """Each process's most PostgreSQL connections: ``$SEVA_BACKEND_POOL_SIZE``, else 16."""
    return int(os.environ.get(POOL_SIZE_ENV) or DEFAULT_POOL_SIZE)


class BackendDB:
    """Thread-safe access to one store: SQLite (a file path) or PostgreSQL (a URL).

    ``location``: ``FILE.sqlite3`` or ``postgresql://...``; ``pool_size``: the most PostgreSQL
    connections this process holds (default ``$SEVA_BACKEND_POOL_SIZE``, else 16; every
    worker process has its own pool, so workers x pool size must stay under the server's
    ``max_connections``).
    """

    def __init__(self, location: Path | str, enrolment_code: str | None = None,
                 clock: Callable[[], datetime] | None = None, *,
                 pool_size: int | None = None) -> None:
        size = pool_size or configured_pool_size()
        self.store: SqliteStore | PostgresStore = open_store(location, pool_size=size)
        self.dialect = self.store.dialect
        self.location = self.store.location
        #: The SQLite file (None on PostgreSQL).
        self.path: Path | None = self.store.path
        self.clock = clock or (lambda: datetime.now(UTC))
        self.upi_auto_confirm_s: float | None = None
        self._parse_cache: dict[tuple[str, ...], Any] = {}
        try:
            with self.tx() as c:
                self.schema_version = migrations.migrate(c, self.dialect)
                #: (centre, day, number) has its unique index (not on an old SQLite file that
                #: already held duplicates: there each issue checks first).
                self.numbers_indexed = migrations.has_number_index(c, self.dialect)
                self._seed(c, enrolment_code)
        except BaseException:
            self.store.close()
            raise

    def _seed(self, c: Any, enrolment_code: str | None) -> None:
        """The enrolment code and the reference documents (inside the migration's transaction,
        so worker processes starting together seed once)."""
        if enrolment_code:
            c.execute("INSERT INTO settings VALUES ('enrolment_code', ?) ON CONFLICT (key) "
                      "DO UPDATE SET value = excluded.value", (enrolment_code,))
        else:
            c.execute("INSERT INTO settings VALUES ('enrolment_code', ?) ON CONFLICT DO NOTHING",
                      (secrets.token_urlsafe(18),))
        for name, data in DEFAULT_DOCUMENTS.items():
            row = c.execute("SELECT version, body FROM reference_docs WHERE name = ?",
                            (name,)).fetchone()
            # A document nobody has published over (still version 1) follows the code's
            # defaults, so an old database picks up e.g. the real demo issuer key.
            if row is None or (row["version"] == "1"
                               and json.loads(row["body"]).get("data") != data):
                self._put_doc(c, name, data, "1")

    # -- plumbing -------------------------------------------------------------------------------

    @property
    def conn(self) -> Any:
        """The thread's connection: inside :meth:`tx` the transaction's, else one for reads."""
        return self.store.conn

    def tx(self) -> Any:
        """A write transaction (a context manager yielding its connection)."""
        return self.store.tx()

    def _for_update(self, sql: str, skip_locked: bool = False) -> str:
        """``sql`` (a SELECT) taking row locks on PostgreSQL; SQLite's writes are serial."""
        if self.dialect != "postgresql":
            return sql
        return sql + (" FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE")

    @contextmanager
    def savepoint(self, conn: Any, name: str = "item") -> Iterator[None]:
        """A nested step inside :meth:`tx`: undone alone when it raises (a batch's one item)."""
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    def close(self) -> None:
        self.store.close()

    @property
    def location_for_humans(self) -> str:
        """Where the rows are, without a password (for a terminal or a log)."""
        return redact(self.location)

    def now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    @property
    def enrolment_code(self) -> str:
        return str(self.conn.execute(
            "SELECT value FROM settings WHERE key = 'enrolment_code'").fetchone()[0])

    # -- idempotency ----------------------------------------------------------------------------

    def lookup(self, conn: Any, kiosk_id: str, key: str,
               req_hash: str) -> Answer | None:
        """The answer stored under (kiosk, key), or None with the key now claimed for this
        request: :meth:`remember` fills the claim in the same transaction (or savepoint), and
        a refusal that rolls back releases it.

        The claim is an insert on the key's unique index, so on PostgreSQL a second request
        with the same key waits here until the first commits, then reads its answer (READ
        COMMITTED: the next statement sees the committed row). Exactly one of them applies.
        """
        claimed = conn.execute("INSERT INTO idempotency VALUES (?, ?, ?, 0, '', ?) "
                               "ON CONFLICT DO NOTHING RETURNING status",
                               (kiosk_id, key, req_hash, self.now())).fetchone()
        if claimed is not None:
            return None
        row = conn.execute("SELECT request_hash, status, body FROM idempotency "
                           "WHERE kiosk_id = ? AND key = ?", (kiosk_id, key)).fetchone()
        if row is None:
            return None
        if row["request_hash"] != req_hash:
            raise ProblemError(422, "idempotency-key-reused",
                          "this Idempotency-Key was already used with a different request")
        return Answer(int(row["status"]), json.loads(row["body"]))

    def remember(self, conn: Any, kiosk_id: str, key: str, req_hash: str,
                 answer: Answer) -> None:
        """Store the answer under the key :meth:`lookup` claimed."""
        conn.execute("UPDATE idempotency SET status = ?, body = ? WHERE kiosk_id = ? AND key = ? "
                     "AND request_hash = ?", (answer.status,
                                              json.dumps(answer.body, ensure_ascii=False),
                                              kiosk_id, key, req_hash))

    def run_write(self, kiosk_id: str, key: str, req_hash: str,
                  work: Callable[[Any], Answer]) -> tuple[Answer, bool]:
        """Apply ``work`` once per key; returns the answer and whether it was a replay.

        Only 2xx answers are remembered: a refused request (4xx) leaves nothing behind, so the
        kiosk may resend the same key once whatever was wrong has been put right.
        """
        with self.tx() as conn:
            seen = self.lookup(conn, kiosk_id, key, req_hash)
            if seen is not None:
                return seen, True
            answer = work(conn)
            self.remember(conn, kiosk_id, key, req_hash, answer)
            return answer, False

    # -- kiosks ---------------------------------------------------------------------------------

    def centre_enrolment_code(self, centre: str) -> str:
        """The enrolment code that enrols kiosks into ``centre`` only.

        Derived from the backend's own (administrator's) enrolment code, so nothing more is
        stored: give each centre its own code, keep the administrator's to yourself. A holder of
        centre B's code cannot enrol a kiosk that claims centre A.
        """
        mac = hmac.new(self.enrolment_code.encode("utf-8"), b"centre:" + centre.encode("utf-8"),
                       hashlib.sha256).digest()
        return "c-" + base64.urlsafe_b64encode(mac[:18]).decode("ascii")

    def _code_enrols(self, code: str, centre: str) -> bool:
        given = code.encode("utf-8")
        return (secrets.compare_digest(given, self.enrolment_code.encode("utf-8"))
                or secrets.compare_digest(given, self.centre_enrolment_code(centre).encode()))

    def register(self, conn: Any, kiosk_id: str, centre: str,
                 code: str) -> Answer:
        """Enrol ``kiosk_id`` into ``centre``; refused while the kiosk holds a live credential.

        Re-enrolling a live kiosk used to rotate its token, so anyone with the enrolment code
        could lock a kiosk out (and take its place). Now an administrator revokes or reinstates
        first (``python -m reference_backend.admin``, docs/backend.md).
        """
        if not self._code_enrols(code, centre):
            raise ProblemError(403, "bad-enrolment-code", "the enrolment code is not valid")
        row = conn.execute(self._for_update("SELECT revoked FROM kiosks WHERE kiosk_id = ?"),
                           (kiosk_id,)).fetchone()
        if row is not None and row["revoked"] == REVOKED:
            raise ProblemError(403, "kiosk-revoked", "this kiosk has been revoked; ask the state "
                          "backend team to reinstate it")
        if row is not None and row["revoked"] == LIVE:
            raise ProblemError(409, "kiosk-enrolled", "this kiosk id already holds a live "
                               "credential; an administrator must revoke it first")
        token = secrets.token_urlsafe(32)
        now = self.now()
        conn.execute("INSERT INTO kiosks VALUES (?, ?, ?, ?, ?) ON CONFLICT (kiosk_id) DO UPDATE "
                     "SET centre_code = excluded.centre_code, token_hash = excluded.token_hash, "
                     "issued_at = excluded.issued_at, revoked = excluded.revoked",
                     (kiosk_id, centre, _hash(token), now, LIVE))
        return Answer(201, {"kiosk_id": kiosk_id, "token": token, "issued_at": now})

    def caller_for_token(self, token: str) -> Caller | None:
        row = self.conn.execute("SELECT kiosk_id, centre_code FROM kiosks WHERE token_hash = ? "
                                "AND revoked = ?", (_hash(token), LIVE)).fetchone()
        return None if row is None else Caller(str(row["kiosk_id"]), str(row["centre_code"]))

    def kiosk_for_token(self, token: str) -> str | None:
        caller = self.caller_for_token(token)
        return None if caller is None else caller.kiosk_id

    def issue_credential(self, kiosk_id: str, centre: str = "TEST") -> str:
        """Admin shortcut (tests, the embedded default): (re-)enrol without an HTTP round trip.

        An administrator's act, so it may replace a live credential (the old token stops).
        """
        with self.tx() as conn:
            conn.execute("UPDATE kiosks SET revoked = ? WHERE kiosk_id = ?", (REINSTATED, kiosk_id))
            return str(self.register(conn, kiosk_id, centre, self.enrolment_code).body["token"])

    def revoke(self, kiosk_id: str) -> bool:
        """The kiosk's token stops working and it cannot enrol again until reinstated."""
        with self.tx() as conn:
            return conn.execute("UPDATE kiosks SET revoked = ? WHERE kiosk_id = ?",
                                (REVOKED, kiosk_id)).rowcount > 0

    def reinstate(self, kiosk_id: str) -> bool:
        """Let a revoked kiosk enrol once more (its old token stays dead). False if the kiosk is
        unknown or still live: revoke it first."""
        with self.tx() as conn:
            return conn.execute("UPDATE kiosks SET revoked = ? WHERE kiosk_id = ? AND revoked = ?",
                                (REINSTATED, kiosk_id, REVOKED)).rowcount > 0

    def kiosks(self) -> list[dict[str, Any]]:
        """Every enrolled kiosk with its centre and state (the admin listing; no tokens)."""
        names = {LIVE: "live", REVOKED: "revoked", REINSTATED: "reinstated"}
        return [{"kiosk_id": r["kiosk_id"], "centre": r["centre_code"],
                 "issued_at": r["issued_at"], "state": names.get(r["revoked"], "?")}
                for r in self.conn.execute("SELECT * FROM kiosks ORDER BY kiosk_id")]

    def set_centre_district(self, centre: str, district: str) -> None:
        """Which district's rows of the ``holidays`` document apply to ``centre``'s due dates
        (the kiosk's ``[kiosk] district``). Unset: only the rows for every district (``*``)."""
        with self.tx() as conn:
            conn.execute("INSERT INTO centres VALUES (?, ?) ON CONFLICT (centre) DO UPDATE "
                         "SET district = excluded.district", (centre, district))

    # -- reference documents --------------------------------------------------------------------

    def _put_doc(self, conn: Any, name: str, data: dict[str, Any],
                 version: str) -> None:
        body = json.dumps({"name": name, "version": version, "data": data},
                          ensure_ascii=False, sort_keys=True)
        conn.execute("INSERT INTO reference_docs VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
                     "SET version = excluded.version, etag = excluded.etag, body = excluded.body",
                     (name, version, _doc_etag(body), body))

    def publish(self, name: str, data: dict[str, Any]) -> str:
        """Publish a new version of a reference document; returns its ETag."""
        with self.tx() as conn:
            row = conn.execute(self._for_update("SELECT version FROM reference_docs WHERE "
                                                "name = ?"), (name,)).fetchone()
            version = str(int(row["version"]) + 1) if row else "1"
            self._put_doc(conn, name, data, version)
            return str(conn.execute("SELECT etag FROM reference_docs WHERE name = ?",
                                    (name,)).fetchone()[0])

    def document(self, name: str) -> tuple[str, str]:
        row = self.conn.execute("SELECT etag, body FROM reference_docs WHERE name = ?",
                                (name,)).fetchone()
        if row is None:
            raise ProblemError(404, "not-found", f"no reference document {name!r}")
        return str(row["etag"]), str(row["body"])

    # -- tokens ---------------------------------------------------------------------------------

    def token_event(self, conn: Any, caller: Caller, event: str,
                    p: dict[str, Any]) -> Answer:
        now = self.now()
        kiosk_id = caller.kiosk_id
        tid = str(p["token_id"])
        if p["centre"] != caller.centre:
            raise _wrong_centre(f"token {tid}")
        if event == "issued":
            # Insert first: the unique indexes (token id; centre, day, number) decide, also
            # against a concurrent PostgreSQL writer, whose commit ON CONFLICT waits for. Only
            # a refusal pays for the look-ups that say why (fewer round trips per token).
            if not self.numbers_indexed:
                self._refuse_issue(conn, caller, p)
            added = conn.execute(
                "INSERT INTO tokens (token_id, kiosk_id, centre, number, grp, priority, status, "
                "issued_at, received_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING token_id",
                (tid, kiosk_id, p["centre"], p["number"], p["group"],
                 p.get("priority", "general"), p["at"], now)).fetchone()
            if added is None:
                self._refuse_issue(conn, caller, p)
                raise ProblemError(409, "token-exists", f"token {tid} was already issued")
        else:
            self._apply_token_change(conn, caller, event, p)
        event_id = conn.execute("INSERT INTO token_events (token_id, event, at, counter, "
                                "kiosk_id, source, received_at) VALUES (?, ?, ?, ?, ?, 'kiosk', "
                                "?) RETURNING id",
                                (tid, event, p["at"], p.get("counter"), kiosk_id, now)
                                ).fetchone()[0]
        return Answer(201, {"id": f"te-{event_id}", "received_at": now})

    def _apply_token_change(self, conn: Any, caller: Caller, event: str,
                            p: dict[str, Any]) -> None:
        """Any token event after ``issued``: the token must exist in the caller's centre."""
        tid = str(p["token_id"])
        row = conn.execute("SELECT status, centre FROM tokens WHERE token_id = ?",
                           (tid,)).fetchone()
        if row is not None and row["centre"] != caller.centre:
            raise _wrong_centre(f"token {tid}")
        if row is None:
            raise ProblemError(409, "unknown-token", f"token {tid} has no 'issued' event yet")
        if event == "recalled":
            conn.execute("UPDATE tokens SET recalls = recalls + 1 WHERE token_id = ?", (tid,))
        elif event in ("transferred", "requeued"):
            # Waiting again (a transfer may change the group); the counter is let go.
            conn.execute("UPDATE tokens SET status = 'waiting', grp = ?, counter = NULL, "
                         "done_at = NULL WHERE token_id = ?", (p["group"], tid))
        elif event == "parked":
            conn.execute("UPDATE tokens SET status = 'parked' WHERE token_id = ?", (tid,))
        else:
            status = {"called": "called", "served": "served", "no_show": "no_show"}[event]
            conn.execute("UPDATE tokens SET status = ?, counter = COALESCE(?, counter), "
                         "called_at = CASE WHEN ? = 'called' THEN ? ELSE called_at END, "
                         "done_at = CASE WHEN ? != 'called' THEN ? ELSE done_at END "
                         "WHERE token_id = ?",
                         (status, p.get("counter"), status, p["at"], status, p["at"], tid))

    def _refuse_issue(self, conn: Any, caller: Caller, p: dict[str, Any]) -> None:
        """Raise why token ``p`` cannot be issued: its id is taken (here or in another centre),
        or its number already is today in this centre. Returns if neither."""
        tid = str(p["token_id"])
        row = conn.execute("SELECT centre FROM tokens WHERE token_id = ?", (tid,)).fetchone()
        if row is not None and row["centre"] != caller.centre:
            raise _wrong_centre(f"token {tid}")
        if row is not None:
            raise ProblemError(409, "token-exists", f"token {tid} was already issued")
        day = str(p["at"])[:10]
        taken = conn.execute("SELECT token_id FROM tokens WHERE centre = ? AND number = ? "
                             "AND substr(issued_at, 1, 10) = ?",
                             (p["centre"], p["number"], day)).fetchone()
        if taken is not None:
            raise ProblemError(409, "number-taken", f"centre {p['centre']} already issued "
                               f"{p['number']} on {day} (token {taken[0]})")

    def _token_json(self, conn: Any, tid: str) -> dict[str, Any]:
        r = conn.execute("SELECT * FROM tokens WHERE token_id = ?", (tid,)).fetchone()
        return {"token_id": r["token_id"], "number": r["number"], "group": r["grp"],
                "priority": r["priority"], "status": r["status"], "issued_at": r["issued_at"],
                "counter": r["counter"], "recalls": r["recalls"]}

    def _counter_event(self, conn: Any, kiosk_id: str, tid: str, event: str,
                       counter: str) -> None:
        now = self.now()
        conn.execute("INSERT INTO token_events (token_id, event, at, counter, kiosk_id, source, "
                     "received_at) VALUES (?, ?, ?, ?, ?, 'counter', ?)",
                     (tid, event, now, counter, kiosk_id, now))

    def _current(self, conn: Any, centre: str, counter: str) -> str:
        row = conn.execute("SELECT c.token_id FROM centre_counters c JOIN tokens t "
                           "USING (token_id) WHERE c.centre = ? AND c.counter = ? AND "
                           "t.status = 'called'", (centre, counter)).fetchone()
        if row is None:
            raise ProblemError(409, "no-current-token", f"counter {counter} has no called token")
        return str(row[0])

    def counter_op(self, conn: Any, caller: Caller, counter: str, action: str,
                   body: dict[str, Any]) -> Answer:
        """A counter of the caller's centre (counter ids are per centre: "1" exists in each)."""
        kiosk_id, centre = caller.kiosk_id, caller.centre
        # One operation per counter at a time (PostgreSQL: the counter's row is locked).
        conn.execute("INSERT INTO centre_counters VALUES (?, ?, NULL) ON CONFLICT DO NOTHING",
                     (centre, counter))
        conn.execute(self._for_update("SELECT token_id FROM centre_counters WHERE centre = ? "
                                      "AND counter = ?"), (centre, counter))
        if action == "call-next":
            busy = conn.execute("SELECT 1 FROM centre_counters c JOIN tokens t USING (token_id) "
                                "WHERE c.centre = ? AND c.counter = ? AND t.status = 'called'",
                                (centre, counter)).fetchone()
            if busy:
                raise ProblemError(409, "counter-busy", f"counter {counter} still has a called "
                              "token: complete, mark no-show or transfer it first")
            groups = list(body["groups"])
            marks = ",".join("?" * len(groups))
            # SKIP LOCKED: another counter calling at the same instant takes the next token.
            row = conn.execute(self._for_update(
                f"SELECT token_id FROM tokens WHERE centre = ? AND status = 'waiting' AND "
                f"grp IN ({marks}) ORDER BY {PRIORITY_ORDER}, issued_at, rowid LIMIT 1",
                skip_locked=True), [centre, *groups]).fetchone()
            if row is None:
                return Answer(200, {"token": None})
            tid = str(row[0])
            conn.execute("UPDATE tokens SET status = 'called', counter = ?, called_at = ?, "
                         "recalls = 0 WHERE token_id = ? AND status = 'waiting'",
                         (counter, self.now(), tid))
            conn.execute("UPDATE centre_counters SET token_id = ? WHERE centre = ? AND "
                         "counter = ?", (tid, centre, counter))
            self._counter_event(conn, kiosk_id, tid, "called", counter)
            return Answer(200, {"token": self._token_json(conn, tid)})
        tid = self._current(conn, centre, counter)
        if action == "recall":
            conn.execute("UPDATE tokens SET recalls = recalls + 1 WHERE token_id = ?", (tid,))
        elif action == "transfer":
            conn.execute("UPDATE tokens SET status = 'waiting', grp = ?, counter = NULL "
                         "WHERE token_id = ?", (body["to_group"], tid))
        else:
            status = "served" if action == "complete" else "no_show"
            conn.execute("UPDATE tokens SET status = ?, done_at = ? WHERE token_id = ?",
                         (status, self.now(), tid))
        if action != "recall":
            conn.execute("UPDATE centre_counters SET token_id = NULL WHERE centre = ? AND "
                         "counter = ?", (centre, counter))
        self._counter_event(conn, kiosk_id, tid, action, counter)
        return Answer(200, {"token": self._token_json(conn, tid)})

    # -- applications, payments, certificates ---------------------------------------------------

    def _services(self) -> dict[str, dict[str, Any]]:
        """The ``catalogue`` document's services by code, parsed once per version (ETag)."""
        etag, body = self.document("catalogue")
        return self._parsed(("catalogue", etag), lambda: {
            s["code"]: s for s in json.loads(body)["data"]["services"]})

    def _calendar(self, district: str) -> WorkingCalendar:
        """A district's working days, built once per ``holidays`` version (ETag)."""
        etag, body = self.document("holidays")
        return self._parsed(("holidays", etag, district), lambda: WorkingCalendar(
            district_holidays(json.loads(body)["data"]["holidays"], district)))

    def _parsed(self, key: tuple[str, ...], make: Callable[[], Any]) -> Any:
        """Parsing a document for every application was a third of its CPU; an ETag names
        one content, so what it parses to can be kept (a small, bounded cache)."""
        cache = self._parse_cache
        if key not in cache:
            if len(cache) > 64:
                cache.clear()
            cache[key] = make()
        return cache[key]

    def _due_date(self, conn: Any, service: str, centre: str,
                  submitted_at: str) -> str | None:
        """The guaranteed delivery date, exactly as the kiosk computed it for the receipt.

        The rule is the shared one (:mod:`backend_client.working_days`): the application's own
        ``submitted_at`` in its own offset (not the day it reached us), the service's ``days``
        and ``same_day`` from the ``catalogue`` document, gazetted India/MP holidays plus the
        ``holidays`` document's rows for the centre's district (``*`` rows when the centre has
        no district set). An unreadable ``submitted_at`` falls back to now, in India.
        """
        svc = self._services().get(service)
        if svc is None:
            return None
        row = conn.execute("SELECT district FROM centres WHERE centre = ?", (centre,)).fetchone()
        calendar = self._calendar(str(row["district"]) if row is not None else "*")
        try:
            when = datetime.fromisoformat(submitted_at)
        except ValueError:
            when = self.clock()
        if when.tzinfo is None:  # the contract asks for an offset; a bare time is India's
            when = when.replace(tzinfo=ISSUE_TZ)
        return calendar.due_date(when, int(svc.get("days") or 0),
                                 bool(svc.get("same_day"))).isoformat()

    def submit_application(self, conn: Any, caller: Caller,
                           p: dict[str, Any]) -> Answer:
        no = str(p["application_no"])
        if p["centre"] != caller.centre:
            raise _wrong_centre(f"application {no}")
        if conn.execute("SELECT 1 FROM applications WHERE application_no = ?", (no,)).fetchone():
            raise ProblemError(409, "application-exists", f"application {no} was already submitted")
        now = self.now()
        due = self._due_date(conn, str(p["service_code"]), caller.centre, str(p["submitted_at"]))
        added = conn.execute("INSERT INTO applications VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?, "
                             "?) ON CONFLICT DO NOTHING RETURNING application_no",
                             (no, caller.kiosk_id, p["service_code"], p["centre"],
                              p["submitted_at"], now, due, json.dumps(p, ensure_ascii=False))
                             ).fetchone()
        if added is None:  # a concurrent submission of the same number committed first
            raise ProblemError(409, "application-exists", f"application {no} was already submitted")
        return Answer(201, {"id": no, "received_at": now})

    def _application_centre(self, conn: Any, no: str) -> str | None:
        row = conn.execute("SELECT centre FROM applications WHERE application_no = ?",
                           (no,)).fetchone()
        return None if row is None else str(row["centre"])

    def application_status(self, no: str, centre: str | None = None) -> dict[str, Any]:
        """An application's status; ``centre`` set = only if it was made in that centre (any
        other centre's application is "not found", so its existence is not told either)."""
        r = self.conn.execute("SELECT * FROM applications WHERE application_no = ?",
                              (no,)).fetchone()
        if r is None or (centre is not None and r["centre"] != centre):
            raise ProblemError(404, "not-found", f"no application {no}")
        return {"application_no": r["application_no"], "service_code": r["service_code"],
                "status": r["status"], "received_at": r["received_at"],
                "due_date": r["due_date"], "remarks": None}

    def create_payment(self, conn: Any, caller: Caller,
                       p: dict[str, Any]) -> Answer:
        tr = str(p["tr"])
        owner = self._application_centre(conn, str(p["application_no"]))
        if owner is not None and owner != caller.centre:
            raise ProblemError(404, "not-found", f"no application {p['application_no']}")
        if conn.execute("SELECT 1 FROM payments WHERE tr = ?", (tr,)).fetchone():
            raise ProblemError(409, "payment-exists", f"payment {tr} already exists")
        cash = p["method"] == "cash"
        amount = int(p["amount_paise"])
        uri = None if cash else (f"upi://pay?pa={UPI_VPA}&pn=Lok%20Seva%20Kendra"
                                 f"&am={amount // 100}.{amount % 100:02d}&cu=INR"
                                 f"&tn=Application%20{p['application_no']}&tr={tr}")
        added = conn.execute("INSERT INTO payments VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) "
                             "ON CONFLICT DO NOTHING RETURNING tr",
                             (tr, p["application_no"], amount, p["method"],
                              "paid" if cash else "pending", p.get("cash_receipt_no"), uri,
                              self.now(), caller.centre)).fetchone()
        if added is None:  # a concurrent request with the same reference committed first
            raise ProblemError(409, "payment-exists", f"payment {tr} already exists")
        return Answer(201, self.payment(tr, conn=conn))

    def void_payment(self, conn: Any, caller: Caller,
                     p: dict[str, Any]) -> Answer:
        """desk-cash: mark a cash payment of the caller's centre voided (void or refund)."""
        r = conn.execute("SELECT * FROM payments WHERE tr = ?", (str(p["tr"]),)).fetchone()
        if r is None or r["centre"] != caller.centre:
            raise ProblemError(404, "not-found", f"no payment {p['tr']}")
        if r["method"] != "cash" or r["application_no"] != p["application_no"]:
            raise ProblemError(409, "not-cash", f"payment {p['tr']} is not this cash payment")
        conn.execute("UPDATE payments SET status = 'voided' WHERE tr = ?", (r["tr"],))
        return Answer(200, self.payment(str(r["tr"]), conn=conn))

    def payment(self, tr: str, centre: str | None = None, *,
                conn: Any | None = None) -> dict[str, Any]:
        """A payment; ``centre`` set = only one taken in that centre (else "not found")."""
        r = (conn or self.conn).execute("SELECT * FROM payments WHERE tr = ?", (tr,)).fetchone()
        if r is None or (centre is not None and r["centre"] != centre):
            raise ProblemError(404, "not-found", f"no payment {tr}")
        if conn is None and self._demo_payer_paid(r):
            r = self.conn.execute("SELECT * FROM payments WHERE tr = ?", (tr,)).fetchone()
        return {"tr": r["tr"], "application_no": r["application_no"],
                "amount_paise": r["amount_paise"], "method": r["method"], "status": r["status"],
                "utr": r["utr"], "upi_uri": r["upi_uri"]}

    def _demo_payer_paid(self, r: Any) -> bool:
        """The embedded demo backend plays the payer's bank: a UPI payment pending for
        ``upi_auto_confirm_s`` seconds is confirmed with a made-up UTR, so a kiosk run on one
        machine can finish a UPI payment. Off (None) unless asked for; tests confirm by hand."""
        if (self.upi_auto_confirm_s is None or r["status"] != "pending"
                or r["method"] != "upi"):
            return False
        age = (self.clock() - datetime.fromisoformat(r["created_at"])).total_seconds()
        if age < self.upi_auto_confirm_s:
            return False
        utr = str(int(hashlib.sha256(r["tr"].encode()).hexdigest(), 16))[-12:]
        self.confirm_payment(r["tr"], utr)
        return True

    def confirm_payment(self, tr: str, utr: str) -> None:
        """What the UPI provider's webhook would do (admin/test hook)."""
        with self.tx() as conn:
            conn.execute("UPDATE payments SET status = 'paid', utr = ? WHERE tr = ?", (utr, tr))

    def certificate(self, no: str, centre: str | None = None) -> dict[str, Any]:
        """The stored certificate plus what a client would otherwise rebuild: the QR text, the
        holder's name (from the signed payload) and whether it is on the revocation list.
        ``centre`` set = only a certificate of an application made in that centre."""
        r = self.conn.execute("SELECT * FROM certificates WHERE certificate_no = ?",
                              (no,)).fetchone()
        if r is None or (centre is not None and self._application_centre(
                self.conn, str(r["application_no"])) != centre):
            raise ProblemError(404, "not-found", f"no certificate {no}")
        out = {k: r[k] for k in r.keys()}
        payload = json.loads(base64.urlsafe_b64decode(r["payload"] + "=" * (-len(r["payload"])
                                                                             % 4)))
        out["holder_name"] = str(payload["h"])
        out["qr_text"] = issuer.qr_text(r["payload"], r["signature"])
        out["revoked"] = no in self._revoked_numbers(self.conn)
        return out

    def _revoked_numbers(self, conn: Any) -> set[str]:
        row = conn.execute("SELECT body FROM reference_docs WHERE name = 'revocations'"
                           ).fetchone()
        if row is None:
            return set()
        return {str(e["certificate_no"]) for e in json.loads(row["body"])["data"]["revoked"]}

    def issue_certificate(self, application_no: str, details: dict[str, str] | None = None, *,
                          issued_on: date | None = None) -> str:
        """Approve an application and issue its signed certificate; returns the number.

        Idempotent per application: a second call returns the first certificate's number (an
        officer's double click must not mint two certificates). Signed with the DEMO key of
        :mod:`reference_backend.issuer`. Numbers are ``<type>-<year>-<6 digits>``.
        """
        details = {str(k): str(v) for k, v in (details or {}).items()}
        if len(details) > MAX_DETAILS or not all(
                DETAIL_KEY.fullmatch(k) and 0 < len(v) <= MAX_DETAIL_VALUE
                for k, v in details.items()):
            raise ProblemError(400, "bad-details", f"at most {MAX_DETAILS} details named "
                               f"[a-z][a-z0-9_]* with values of 1..{MAX_DETAIL_VALUE} characters")
        with self.tx() as conn:
            # The application's row lock makes a second issuer wait, then see the certificate.
            app = conn.execute(self._for_update("SELECT * FROM applications WHERE "
                                                "application_no = ?"), (application_no,)
                               ).fetchone()
            if app is None:
                raise ProblemError(404, "not-found", f"no application {application_no}")
            done = conn.execute("SELECT certificate_no FROM certificates WHERE "
                                "application_no = ?", (application_no,)).fetchone()
            if done is not None:
                return str(done[0])
            if app["status"] == "rejected":
                raise ProblemError(409, "application-rejected",
                                   f"application {application_no} was rejected")
            holder = str(json.loads(app["payload"])["applicant"]["name"]).strip()[:MAX_HOLDER]
            cert_type = str(app["service_code"])
            day = issued_on or self.clock().astimezone(ISSUE_TZ).date()
            prefix = f"{cert_type}-{day.year}-"
            seq = conn.execute("SELECT COUNT(*) FROM certificates WHERE certificate_no LIKE ?",
                               (prefix + "%",)).fetchone()[0]
            while True:  # another application's certificate may take a number concurrently
                seq += 1
                number = f"{prefix}{seq:06d}"
                payload_b64, signature_b64 = issuer.sign(issuer.certificate_payload(
                    number, cert_type, holder, day, application_no, issuer.DEMO_KEY_ID,
                    details))
                if conn.execute("INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?) "
                                "ON CONFLICT DO NOTHING RETURNING certificate_no",
                                (number, application_no, cert_type, self.now(),
                                 issuer.DEMO_KEY_ID, payload_b64, signature_b64)).fetchone():
                    break
            conn.execute("UPDATE applications SET status = 'approved' WHERE application_no = ?",
                         (application_no,))
        return number

    def approve_if_due(self, application_no: str) -> str | None:
        """The reference backend's approval rule: a certificate service still 'submitted' on
        or after its guaranteed date is approved and its certificate issued (as an officer
        working to the Public Services Guarantee deadline would). Returns the number, if any.

        Certified details come from the application's ``fields`` named in
        :data:`CERTIFIED_FIELDS` (``income``, ``category``, ``caste``).
        """
        row = self.conn.execute("SELECT service_code, status, due_date, payload FROM "
                                "applications WHERE application_no = ?",
                                (application_no,)).fetchone()
        today = self.clock().astimezone(ISSUE_TZ).date().isoformat()
        if (row is None or row["status"] != "submitted" or not row["due_date"]
                or row["due_date"] > today or row["service_code"] not in CERTIFICATE_SERVICES):
            return None
        fields = json.loads(row["payload"]).get("fields") or {}
        details = {k: str(fields[k]) for k in CERTIFIED_FIELDS
                   if isinstance(fields.get(k), str | int) and not isinstance(fields[k], bool)
                   and 0 < len(str(fields[k])) <= MAX_DETAIL_VALUE}
        return self.issue_certificate(application_no, details)

    def revoke_certificate(self, certificate_no: str, reason: str = "",
                           revoked_at: str | None = None) -> str:
        """Put a certificate on the ``revocations`` document (a new version); returns its ETag.

        Read-modify-write in one transaction, so two revocations at once both land.
        """
        with self.tx() as conn:
            row = conn.execute(self._for_update("SELECT version, body FROM reference_docs "
                                                "WHERE name = 'revocations'")).fetchone()
            entries: list[dict[str, Any]] = (json.loads(row["body"])["data"]["revoked"]
                                             if row is not None else [])
            if all(e.get("certificate_no") != certificate_no for e in entries):
                entries = [*entries, {"certificate_no": certificate_no,
                                      "revoked_at": revoked_at or self.now(),
                                      "reason": reason or "revoked"}]
            version = str(int(row["version"]) + 1) if row is not None else "1"
            self._put_doc(conn, "revocations", {"revoked": entries}, version)
            return str(conn.execute("SELECT etag FROM reference_docs WHERE name = "
                                    "'revocations'").fetchone()[0])

    def heartbeat(self, conn: Any, caller: Caller, p: dict[str, Any]) -> Answer:
        now = self.now()
        conn.execute("INSERT INTO heartbeats (kiosk_id, received_at, body) VALUES (?, ?, ?)",
                     (caller.kiosk_id, now, json.dumps(p)))
        return Answer(200, {"server_time": now, "received_at": now})

    # -- the audit trail (audit.entry; reference_backend/audit_chain.py) -----------------------

    def audit_entry(self, conn: Any, caller: Caller,
                    p: dict[str, Any]) -> Answer:
        """Keep a forwarded audit entry in the caller's chain; a break is flagged, not refused."""
        return Answer(201, audit_chain.store_entry(conn, caller.kiosk_id, caller.centre, p,
                                                   self.now()))

    def audit_chain(self, kiosk_id: str, source: str) -> list[dict[str, Any]]:
        return audit_chain.chain(self.conn, kiosk_id, source)

    def audit_breaks(self, centre: str | None = None) -> list[dict[str, Any]]:
        return audit_chain.breaks(self.conn, centre)

    # -- counting (tests, bench) ----------------------------------------------------------------

    def count(self, table: str, where: str = "", args: tuple[Any, ...] = ()) -> int:
        if not table.isidentifier():
            raise ValueError(table)
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return int(self.conn.execute(sql, args).fetchone()[0])
