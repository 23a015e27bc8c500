"""What each operation of the contract does, apart from how it arrived.

The HTTP layer (``server.py``) frames requests, authenticates and injects faults; this module
checks a request against the contract and applies it to the store (``db.py``) exactly once. The
split lets the server and the store each change (another HTTP server, another database) without
the other.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from reference_backend import validate
from reference_backend.db import Answer, BackendDB, Caller, ProblemError, request_hash

log = logging.getLogger(__name__)

TOKEN_KINDS = {"token.issued": "issued", "token.called": "called", "token.served": "served",
               "token.no_show": "no_show", "token.recalled": "recalled",
               "token.transferred": "transferred", "token.parked": "parked",
               "token.requeued": "requeued"}

BODY_SCHEMAS = {"register": "RegisterRequest", "token_event": "TokenEvent",
                "batch": "BatchRequest", "application": "Application",
                "payment": "PaymentIntent", "heartbeat": "Heartbeat"}
COUNTER_SCHEMAS = {"call-next": "CallNextRequest", "transfer": "TransferRequest"}
RECORD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
COUNTER_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KEY_RE = re.compile(r"^[\x21-\x7e]{1,200}$")
#: The reference documents served (``getReference``'s enum in the contract).
REFERENCE_NAMES = ("catalogue", "holidays", "fees", "issuer-keys", "revocations")


class Operations:
    """The contract's operations over one store; cheap to make, one per request is fine."""

    def __init__(self, db: BackendDB) -> None:
        self.db = db

    def run(self, op: str, method: str, path: str, params: dict[str, str], caller: Caller,
            body: Any, header: Callable[[str], str | None]) -> tuple[Answer, dict[str, str]]:
        """One operation, every read and write scoped to ``caller``'s centre."""
        db = self.db
        if op == "health":
            return Answer(200, {"status": "ok", "server_time": db.now(), "version": "1"}), {}
        if op == "reference":
            name = params["name"]
            if name not in REFERENCE_NAMES:
                raise ProblemError(404, "not-found", f"no reference document {name!r}")
            etag, text = db.document(name)
            inm = header("If-None-Match") or ""
            if inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]:
                return Answer(304, {}), {"ETag": etag}
            return Answer(200, json.loads(text)), {"ETag": etag}
        if op == "application_status":
            no = self._record_id(params["no"])
            status = db.application_status(no, caller.centre)  # 404 for another centre's
            if db.approve_if_due(no):  # the reference approval rule, applied when looked at
                status = db.application_status(no, caller.centre)
            return Answer(200, status), {}
        if op == "payment_status":
            return Answer(200, db.payment(self._record_id(params["tr"]), caller.centre)), {}
        if op == "certificate":
            return Answer(200, db.certificate(self._record_id(params["no"]), caller.centre)), {}
        # -- writes: key, schema, then once-only application ---------------------------------
        key = header("Idempotency-Key")
        if not key or not KEY_RE.match(key):
            raise ProblemError(400, "idempotency-key-required",
                          "every write needs an Idempotency-Key header (1-200 visible ASCII)")
        schema_name = BODY_SCHEMAS.get(op)
        if op == "counter":
            if not COUNTER_ID.match(params["counter"]):
                raise ProblemError(400, "bad-counter", "counter id must match [A-Za-z0-9_-]{1,32}")
            schema_name = COUNTER_SCHEMAS.get(params["action"])
        spec_schema = validate.schema(schema_name) if schema_name else {
            "type": "object", "additionalProperties": False}
        problems = validate.errors(body, spec_schema)
        if problems:
            raise ProblemError(400, "invalid-body", "; ".join(problems[:5]))
        if op == "batch":
            return self._batch(caller, key, path, body), {}
        req = request_hash(method, path, body)

        def work(conn: Any) -> Answer:
            if op == "register":
                return db.register(conn, body["kiosk_id"], body["centre_code"],
                                   body["enrolment_code"])
            if op == "token_event":
                return db.token_event(conn, caller, body["event"], body)
            if op == "application":
                return db.submit_application(conn, caller, body)
            if op == "payment":
                return db.create_payment(conn, caller, body)
            if op == "heartbeat":
                return db.heartbeat(conn, caller, body)
            return db.counter_op(conn, caller, params["counter"], params["action"], body)

        scope = f"register:{body['kiosk_id']}" if op == "register" else caller.kiosk_id
        answer, _ = db.run_write(scope, key, req, work)
        return answer, {}

    def _batch(self, caller: Caller, key: str, path: str, body: dict[str, Any]) -> Answer:
        """Apply items in order, each under its own key, in one transaction of savepoints."""
        db = self.db
        req = request_hash("POST", path, body)
        results: list[dict[str, Any]] = []
        failed_records: set[str] = set()
        with db.tx() as conn:
            seen = db.lookup(conn, caller.kiosk_id, key, req)
            if seen is not None:
                return seen
            for item in body["items"]:
                results.append(self._batch_item(conn, caller, item, failed_records))
            answer = Answer(200, {"items": results})
            db.remember(conn, caller.kiosk_id, key, req, answer)
        return answer

    def _batch_item(self, conn: Any, caller: Caller, item: dict[str, Any],
                    failed_records: set[str]) -> dict[str, Any]:
        db = self.db
        ikey, kind, record = item["idempotency_key"], item["kind"], item["record_id"]

        def result(status: str, http: int, message: str | None = None,
                   res: dict[str, Any] | None = None) -> dict[str, Any]:
            if status in ("rejected", "retry"):
                failed_records.add(record)
            return {"idempotency_key": ikey, "status": status, "http_status": http,
                    "message": message, "result": res}

        if record in failed_records:
            return result("retry", 409, "held back: an earlier item of this record failed")
        req = request_hash("ITEM", kind + " " + record, item["payload"])
        try:
            with db.savepoint(conn):
                seen = db.lookup(conn, caller.kiosk_id, ikey, req)
                if seen is not None:
                    return result("duplicate", seen.status, None, seen.body)
                answer = self._apply_item(conn, caller, kind, record, item["payload"])
                db.remember(conn, caller.kiosk_id, ikey, req, answer)
            return result("accepted", answer.status, None, answer.body)
        except ProblemError as p:
            return result("rejected", p.status, p.detail)
        except Exception as exc:  # a bug or a database hiccup: not the kiosk's fault, resend
            log.exception("batch item %s failed", kind)
            return result("retry", 500, f"internal error ({type(exc).__name__})")

    def _apply_item(self, conn: Any, caller: Caller, kind: str, record: str,
                    payload: dict[str, Any]) -> Answer:
        db = self.db
        if kind in TOKEN_KINDS:
            event = {**payload, "event": TOKEN_KINDS[kind]}
            self._check(event, "TokenEvent")
            if event["token_id"] != record:
                raise ProblemError(400, "record-mismatch", "record_id must equal payload.token_id")
            return db.token_event(conn, caller, TOKEN_KINDS[kind], event)
        if kind == "application.submitted":
            self._check(payload, "Application")
            if payload["application_no"] != record:
                raise ProblemError(400, "record-mismatch",
                              "record_id must equal payload.application_no")
            return db.submit_application(conn, caller, payload)
        if kind == "audit.entry":
            return self._apply_audit_entry(conn, caller, record, payload)
        if kind == "payment.void":
            return self._apply_void(conn, caller, record, payload)
        self._check(payload, "PaymentIntent")
        if payload["application_no"] != record or payload["method"] != "cash":
            raise ProblemError(400, "record-mismatch", "payment.cash: record_id must equal "
                          "payload.application_no and method must be cash")
        return db.create_payment(conn, caller, payload)

    def _apply_audit_entry(self, conn: Any, caller: Caller, record: str,
                           payload: dict[str, Any]) -> Answer:
        """``audit.entry``: the entry joins its trail's chain (audit_chain.py flags breaks)."""
        self._check(payload, "AuditEntry")
        if record != f"audit-{payload['source']}":
            raise ProblemError(400, "record-mismatch", "audit.entry: record_id must be "
                               "audit-<payload.source>")
        return self.db.audit_entry(conn, caller, payload)

    def _apply_void(self, conn: Any, caller: Caller, record: str,
                    payload: dict[str, Any]) -> Answer:
        """desk-cash: a cash receipt voided or refunded at a centre's desk."""
        self._check(payload, "PaymentVoid")
        if payload["application_no"] != record:
            raise ProblemError(400, "record-mismatch",
                               "payment.void: record_id must equal payload.application_no")
        return self.db.void_payment(conn, caller, payload)

    @staticmethod
    def _check(value: Any, name: str) -> None:
        problems = validate.errors(value, validate.schema(name), where="payload")
        if problems:
            raise ProblemError(400, "invalid-body", "; ".join(problems[:5]))

    @staticmethod
    def _record_id(value: str) -> str:
        if not RECORD_ID.match(value):
            raise ProblemError(404, "not-found", "no such record")
        return value
