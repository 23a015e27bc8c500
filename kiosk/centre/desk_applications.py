"""Applications at the centre: entered at a counter, handed over by kiosks, looked up, seen.

Why the desk uses the kiosk's own :class:`~kiosk.applications.ApplicationService`: an operator
entering a form for a citizen must meet exactly the rules the kiosk applies (the same validation
messages, fees, due dates and ``submission_id`` idempotency) — one implementation, two stores.
The centre's ``applications``/``payments`` tables have the kiosk's shape plus ``token_id`` and
``counter`` (migration 2 in :mod:`kiosk.centre.db`), so the service writes them unchanged and
its ``application.submitted`` outbox entry is forwarded to the state by the centre's own sync
engine. The desk numbers in a band of its own (:data:`~kiosk.applications.DESK_STATION`).

What the centre does not have: a synced catalogue (its forwarder runs with
``pull_reference=False``), so the desk uses the catalogue packaged with this software, and the
due date counts gazetted holidays only (the district's synced list lives in the kiosks' stores).

Every method here is one transaction that touches the operator's session, does its work and
appends its audit entry (:mod:`kiosk.centre.audit`) — ``application.entered``,
``application.viewed`` (every look-up of personal data, searches included),
``application.documents_seen``, ``application.ack_reprinted``, ``certificate.printed``,
``application.received`` (a kiosk's copy). No personal data goes into an entry's detail.
A technician is refused (and the refusal audited): only operators and supervisors serve
citizens.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from kiosk.application_record import application_from_json, application_json
from kiosk.applications import (
    DESK_STATION,
    ApplicationService,
    InvalidApplicationError,
    normalise_application_no,
)
from kiosk.catalogue import packaged_catalogue
from kiosk.centre import audit, operators
from kiosk.centre.errors import (
    BadRequestError,
    CentreError,
    ForbiddenError,
    NotAllowedError,
    NotFoundError,
    from_kiosk_error,
    refusal,
)
from kiosk.centre.service import CentreService
from kiosk.errors import KioskError
from kiosk.i18n import N_
from kiosk.masking import mask_mobile
from kiosk.validation import FieldError
from kiosk.working_days import WorkingCalendar

log = logging.getLogger(__name__)

MAX_RESULTS = 50
#: Prints the desk records (``POST …/prints``): what was printed → its audit action.
PRINT_ACTIONS = {"acknowledgement": "application.ack_reprinted",
                 "certificate": "certificate.printed"}
_TOKEN_RE = re.compile(r"^[A-Z]{1,3}-?\d{1,5}$")
_DIGITS_RE = re.compile(r"^\d{4,10}$")

MSG_TECHNICIAN = N_("A technician cannot serve citizens' applications. Please log in as an "
                    "operator.")
MSG_NO_APPLICATION = N_("There is no application {number} at this centre.")
MSG_BAD_QUERY = N_("Type an application number, a token number, or the last 4 to 10 digits "
                   "of the mobile number.")
MSG_OTHER_CENTRE = N_("Application {number} belongs to another centre.")
MSG_NUMBER_TAKEN = N_("Application number {number} is already used by another kiosk or the "
                      "desk. Give each kiosk of the centre its own station number.")
MSG_BAD_RECORD = N_("The application sent by the kiosk could not be read.")
MSG_UNKNOWN_DOCUMENT = N_("This document is not on the checklist of the service.")


class InvalidAnswersError(CentreError):
    """The answers break the form's rules: HTTP 422 with one bilingual message per field."""

    status, code = 422, "invalid-answers"
    default_message = InvalidApplicationError.default_message

    def __init__(self, detail: str = "", *, fields: Sequence[dict[str, str]] = (),
                 **kw: Any) -> None:
        super().__init__(detail, **kw)
        #: ``[{"key", "message_en", "message_hi"}]`` in the form's order.
        self.fields = [dict(f) for f in fields]

    @classmethod
    def from_errors(cls, errors: Sequence[FieldError]) -> InvalidAnswersError:
        return cls("invalid fields: " + ", ".join(e.key for e in errors),
                   fields=[{"key": e.key, "message_en": e.message("en"),
                            "message_hi": e.message("hi")} for e in errors])

    def problem(self) -> dict[str, object]:
        return {**super().problem(), "errors": self.fields}


class DeskApplicationService(ApplicationService):
    """The kiosk's service over the centre's database: packaged catalogue, desk numbering.

    The centre syncs no reference documents, so the calendar is the gazetted holidays of the
    ``holidays`` package without the district's synced list (there is no ``holidays`` table).
    """

    def __init__(self, centre: CentreService) -> None:
        super().__init__(centre.store, centre.config, catalogue=packaged_catalogue,
                         clock=centre.now, station=DESK_STATION)
        self._calendar = WorkingCalendar((), centre.config.holiday_subdivision)

    def calendar(self) -> WorkingCalendar:
        return self._calendar

    def _stored_calendar(self) -> WorkingCalendar:
        return self._calendar


def _masked_mobile(answers: dict[str, Any]) -> str | None:
    mobile = answers.get("mobile")
    return mask_mobile(str(mobile)) if mobile else None


class DeskApplications:
    """The desk's application endpoints over one :class:`CentreService` (thread-safe)."""

    def __init__(self, centre: CentreService) -> None:
        self.centre = centre
        self.apps = DeskApplicationService(centre)

    # -- sessions and roles -------------------------------------------------------------------

    def _serving(self, conn: sqlite3.Connection, session: str | None,
                 action: str) -> tuple[sqlite3.Row, CentreError | None]:
        """The session row, and a refusal to raise after the commit for a technician (the
        refused attempt is audited, like a refused log-in)."""
        srow = self.centre._session(conn, session)
        op = operators.get_operator(conn, str(srow["operator_id"]))
        if op is None or op.role is operators.Role.TECHNICIAN:
            audit.append(conn, action="application.refused", operator_id=srow["operator_id"],
                         counter=srow["counter"], detail={"for": action, "code": "technician"},
                         at=self.centre.now())
            return srow, ForbiddenError(f"{srow['operator_id']} is not an operator",
                                        code="not-operator", message=MSG_TECHNICIAN)
        return srow, None

    # -- entering -----------------------------------------------------------------------------

    def enter(self, session: str | None, body: dict[str, Any]) -> dict[str, Any]:
        """Store an application for the token being served at the session's counter.

        The same ``submission_id`` returns the application already stored (a second Ctrl+Enter,
        a retry after a lost answer), even once the token is no longer at the counter.
        """
        code = str(body["service_code"])
        sub_id = str(body["submission_id"])
        ref = body.get("token")
        srow, error = self._check_session(session, "enter")
        if error is not None:
            raise error
        counter, op_id = str(srow["counter"]), str(srow["operator_id"])
        link: dict[str, Any] = {}

        def record(conn: sqlite3.Connection, no: str, created: bool) -> None:
            if not created:
                return
            crow = self.centre._counter_row(conn, counter)
            trow = self.centre._current(conn, crow, {"token": ref} if ref else {},
                                        "application")
            link.update(id=trow["id"], number=trow["number"])
            conn.execute("UPDATE applications SET token_id = ?, counter = ? "
                         "WHERE application_no = ?", (trow["id"], counter, no))
            self._record_seen(conn, no, list(body.get("documents_shown") or []), op_id, counter)
            audit.append(conn, action="application.entered", operator_id=op_id, counter=counter,
                         detail={"application_no": no, "service": code,
                                 "token": trow["number"], "fee_paise": fee_of(conn, no)},
                         at=self.centre.now())

        try:
            app = self.apps.submit(code, body.get("answers") or {}, lang=str(body.get("lang")
                                   or "hi"), documents_shown=body.get("documents_shown") or (),
                                   delivery=str(body.get("delivery") or "centre"),
                                   payment_method="cash", submission_id=sub_id,
                                   operator=op_id, in_transaction=record)
        except InvalidApplicationError as exc:
            raise InvalidAnswersError.from_errors(exc.errors) from None
        except CentreError:
            raise
        except KioskError as exc:
            raise from_kiosk_error(exc, BadRequestError) from None
        if link and self.centre.on_forward is not None:
            self.centre.on_forward()  # application.submitted is in the outbox: send it now
        log.info("desk: application %s entered at counter %s", app.application_no, counter)
        return self.get_record(app.application_no)

    def _check_session(self, session: str | None,
                       action: str) -> tuple[sqlite3.Row, CentreError | None]:
        with self.centre._write() as (conn, _):
            return self._serving(conn, session, action)

    def check(self, session: str | None, code: str, step: str,
              answers: dict[str, Any]) -> dict[str, Any]:
        """The kiosk's per-step check (:meth:`ApplicationService.check_step`) for the desk's
        wizard: the centre's catalogue and today decide, as they will on submit."""
        _, error = self._check_session(session, "check")
        if error is not None:
            raise error
        try:
            errors = self.apps.check_step(code, step, answers)
        except KioskError as exc:
            raise from_kiosk_error(exc, BadRequestError) from None
        return {"errors": InvalidAnswersError.from_errors(errors).fields}

    # -- a kiosk's copy -----------------------------------------------------------------------

    def hand_over(self, kiosk_id: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        """Keep a kiosk's copy of an application (idempotent by number for that kiosk)."""
        if kind != "kiosk":
            raise ForbiddenError(f"a {kind} hands over no applications")
        no = str(body["application_no"])
        if normalise_application_no(no) != no:
            raise BadRequestError(f"malformed application number {no[:60]!r}",
                                  message=MSG_BAD_RECORD)
        if not no.startswith(self.centre.centre_code.upper() + "-"):
            raise refusal(NotAllowedError, f"{no} is not of {self.centre.centre_code}",
                          MSG_OTHER_CENTRE, number=no)
        try:
            app = application_from_json(dict(body["record"]))
        except (TypeError, ValueError) as exc:
            raise BadRequestError(str(exc)[:200], message=MSG_BAD_RECORD) from None
        if app.application_no != no:
            raise BadRequestError("record number differs", message=MSG_BAD_RECORD)
        now = self.centre.now()
        with self.centre._write() as (conn, _):
            row = conn.execute("SELECT kiosk_id FROM kiosk_applications WHERE application_no = ?",
                               (no,)).fetchone()
            desk = conn.execute("SELECT 1 FROM applications WHERE application_no = ?",
                                (no,)).fetchone()
            if desk is not None or (row is not None and row["kiosk_id"] != kiosk_id):
                log.error("hand-over: %s from %s is already held by %s", no, kiosk_id,
                          "the desk" if desk is not None else row["kiosk_id"])
                raise refusal(NotAllowedError, f"{no} already held", MSG_NUMBER_TAKEN,
                              number=no)
            if row is not None:
                return {"application_no": no, "accepted": True, "duplicate": True}
            method = app.payment.method if app.payment is not None else None
            conn.execute(
                "INSERT INTO kiosk_applications (application_no, kiosk_id, day, service_code, "
                "submitted_at, fee_paise, payment_method, record, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (no, kiosk_id, app.submitted_at.date().isoformat(), app.service_code,
                 app.submitted_at.isoformat(), app.fee_paise, method,
                 json.dumps(application_json(app), ensure_ascii=False), now.isoformat()))
            audit.append(conn, action="application.received", operator_id=None, counter=None,
                         detail={"application_no": no, "kiosk_id": kiosk_id,
                                 "service": app.service_code}, at=now)
        return {"application_no": no, "accepted": True, "duplicate": False}

    # -- look-up ------------------------------------------------------------------------------

    def _load(self, conn: sqlite3.Connection, no: str) -> dict[str, Any] | None:
        """Full details of a desk or kiosk application, or None."""
        row = conn.execute("SELECT token_id, counter, operator FROM applications "
                           "WHERE application_no = ?", (no,)).fetchone()
        if row is not None:
            app = self.apps.get(no)
            assert app is not None
            out = {**application_json(app), "source": "desk", "kiosk_id": None,
                   "token_id": row["token_id"], "counter": row["counter"],
                   "operator": row["operator"]}
        else:
            krow = conn.execute("SELECT kiosk_id, record FROM kiosk_applications "
                                "WHERE application_no = ?", (no,)).fetchone()
            if krow is None:
                return None
            out = {**json.loads(krow["record"]), "source": "kiosk",
                   "kiosk_id": krow["kiosk_id"], "token_id": None, "counter": None,
                   "operator": None}
        token = None
        if out["token_id"]:
            t = conn.execute("SELECT number FROM tokens WHERE id = ?",
                             (out["token_id"],)).fetchone()
            token = t["number"] if t else None
        out["token_number"] = token
        svc = self.apps.catalogue().get(str(out["service_code"]))
        out["checklist"] = [d.key for d in svc.documents] if svc is not None else []
        out["documents_seen"] = [r[0] for r in conn.execute(
            "SELECT doc_key FROM documents_seen WHERE application_no = ? ORDER BY doc_key",
            (no,))]
        return out

    def get_record(self, no: str) -> dict[str, Any]:
        """Full details without a session or an audit entry (the answer to an entry just made:
        its operator typed those details a moment ago)."""
        found = self._load(self.centre.store.conn, no)
        if found is None:
            raise refusal(NotFoundError, f"no application {no}", MSG_NO_APPLICATION, number=no)
        return found

    def view(self, session: str | None, text: str) -> dict[str, Any]:
        """One application's full details for an operator; the look-up is audited."""
        no = normalise_application_no(text) or text.strip().upper()[:60]
        with self.centre._write() as (conn, _):
            srow, error = self._serving(conn, session, "view")
            found = None if error else self._load(conn, no)
            if found is not None:
                audit.append(conn, action="application.viewed", operator_id=srow["operator_id"],
                             counter=srow["counter"],
                             detail={"application_no": no, "source": found["source"]},
                             at=self.centre.now())
        if error is not None:
            raise error
        if found is None:
            raise refusal(NotFoundError, f"no application {no}", MSG_NO_APPLICATION, number=no)
        return found

    def find(self, session: str | None, query: str) -> dict[str, Any]:
        """Applications by number, by today's token number, or by the mobile's last digits.

        The results carry names: the search is audited as a look-up (its kind and the numbers
        shown, never the digits typed).
        """
        q = re.sub(r"\s+", "", query or "").upper()
        kind, no = "", normalise_application_no(q)
        if no is not None:
            kind = "number"
        elif _TOKEN_RE.match(q) and not q.isdigit():
            kind = "token"
        elif _DIGITS_RE.match(q):
            kind = "mobile"
        else:
            raise BadRequestError("query is neither a number, a token nor mobile digits",
                                  message=MSG_BAD_QUERY)
        with self.centre._write() as (conn, _):
            srow, error = self._serving(conn, session, "find")
            rows: list[dict[str, Any]] = []
            if error is None:
                rows = self._search(conn, kind, no or q)
                audit.append(conn, action="application.viewed", operator_id=srow["operator_id"],
                             counter=srow["counter"],
                             detail={"search": kind, "results": len(rows),
                                     "application_nos": [r["application_no"] for r in rows]},
                             at=self.centre.now())
        if error is not None:
            raise error
        return {"query_kind": kind, "applications": rows}

    def _search(self, conn: sqlite3.Connection, kind: str, q: str) -> list[dict[str, Any]]:
        if kind == "number":
            nos = [q]
        elif kind == "token":
            letters, digits = re.match(r"^([A-Z]+)-?(\d+)$", q).groups()  # type: ignore[union-attr]
            number = f"{letters}-{digits.zfill(3)}"  # "c4", "C-4" and "C-004" alike
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM tokens WHERE day = ? AND upper(number) = ?",
                (self.centre.today(), number))]
            marks = ",".join("?" * len(ids))
            nos = [r[0] for r in conn.execute(
                f"SELECT application_no FROM applications WHERE token_id IN ({marks}) "
                "ORDER BY submitted_at DESC", ids)] if ids else []
        else:
            pattern = "%" + q
            nos = [r[0] for r in conn.execute(
                "SELECT application_no FROM applications WHERE json_extract(answers, "
                "'$.mobile') LIKE ? UNION ALL SELECT application_no FROM kiosk_applications "
                "WHERE json_extract(record, '$.answers.mobile') LIKE ? LIMIT ?",
                (pattern, pattern, MAX_RESULTS))]
        out = []
        for no in nos[:MAX_RESULTS]:
            full = self._load(conn, no)
            if full is None:
                continue
            answers = full["answers"]
            pay = full.get("payment") or {}
            out.append({"application_no": no, "source": full["source"],
                        "service_code": full["service_code"],
                        "submitted_at": full["submitted_at"],
                        "name_en": answers.get("name_en"), "name_hi": answers.get("name_hi"),
                        "mobile": _masked_mobile(answers), "fee_paise": full["fee_paise"],
                        "paid": full["fee_paise"] == 0 or pay.get("status") == "paid",
                        "token_number": full["token_number"]})
        out.sort(key=lambda r: str(r["submitted_at"]), reverse=True)
        return out

    # -- documents seen and prints ------------------------------------------------------------

    def _record_seen(self, conn: sqlite3.Connection, no: str, keys: Sequence[str], op_id: str,
                     counter: str) -> list[str]:
        found = self._load(conn, no)
        if found is None:
            raise refusal(NotFoundError, f"no application {no}", MSG_NO_APPLICATION, number=no)
        checklist = set(found["checklist"])
        wanted = list(dict.fromkeys(str(k) for k in keys))
        unknown = [k for k in wanted if k not in checklist]
        if unknown:
            raise BadRequestError(f"not on the checklist: {', '.join(unknown)[:200]}",
                                  message=MSG_UNKNOWN_DOCUMENT)
        now = self.centre.now().isoformat()
        conn.execute("DELETE FROM documents_seen WHERE application_no = ?", (no,))
        conn.executemany("INSERT INTO documents_seen VALUES (?, ?, ?, ?, ?)",
                         [(no, k, op_id, counter, now) for k in wanted])
        return wanted

    def documents_seen(self, session: str | None, text: str,
                       keys: Sequence[str]) -> dict[str, Any]:
        """The documents the operator has now ticked as seen (the whole checklist state)."""
        no = normalise_application_no(text) or text.strip().upper()[:60]
        with self.centre._write() as (conn, _):
            srow, error = self._serving(conn, session, "documents")
            if error is None:
                op_id, counter = str(srow["operator_id"]), str(srow["counter"])
                seen = self._record_seen(conn, no, keys, op_id, counter)
                audit.append(conn, action="application.documents_seen", operator_id=op_id,
                             counter=counter, detail={"application_no": no, "documents": seen,
                                                      "count": len(seen)},
                             at=self.centre.now())
        if error is not None:
            raise error
        return {"application_no": no, "documents_seen": sorted(seen)}

    def printed(self, session: str | None, text: str, what: str,
                ok: bool = True) -> dict[str, Any]:
        """Record a reprint made at the counter's printer (audited, with whether it came out)."""
        no = normalise_application_no(text) or text.strip().upper()[:60]
        action = PRINT_ACTIONS.get(what)
        if action is None:
            raise BadRequestError(f"unknown print {what[:20]!r}")
        with self.centre._write() as (conn, _):
            srow, error = self._serving(conn, session, what)
            entry = 0
            if error is None:
                if self._load(conn, no) is None:
                    raise refusal(NotFoundError, f"no application {no}", MSG_NO_APPLICATION,
                                  number=no)
                entry = audit.append(conn, action=action, operator_id=srow["operator_id"],
                                     counter=srow["counter"],
                                     detail={"application_no": no, "printed": bool(ok)},
                                     at=self.centre.now())
        if error is not None:
            raise error
        return {"application_no": no, "audit_id": entry}


def fee_of(conn: sqlite3.Connection, no: str) -> int:
    row = conn.execute("SELECT fee_paise FROM applications WHERE application_no = ?",
                       (no,)).fetchone()
    return int(row[0]) if row else 0


def field_messages(fields: Sequence[dict[str, str]], lang: str) -> dict[str, str]:
    """``{key: message}`` in ``lang`` from an :class:`InvalidAnswersError`'s fields."""
    key = "message_hi" if lang == "hi" else "message_en"
    return {f["key"]: f.get(key) or f.get("message_en") or "" for f in fields}
