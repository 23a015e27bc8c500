"""Applications: validate, number, date and store a citizen's application — all or nothing.

An application, its sync outbox entry and its payment record are written in one
``BEGIN IMMEDIATE`` transaction before anything is shown or printed, so a crash or power cut at
any later point leaves exactly one application whose acknowledgement can be printed again.
A wizard session carries a ``submission_id``: a second tap on "Submit" (or a retry after a
crash) returns the application already stored instead of creating a second one.

Privacy: an Aadhaar number is validated in full, then only its last four digits are kept.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from stdnum import luhn

from kiosk.catalogue import Catalogue, Service
from kiosk.config import Config
from kiosk.errors import StoreError, ValidationError
from kiosk.fees import FeeBreakdown, compute_fees
from kiosk.i18n import N_
from kiosk.payments import (
    PAID,
    PaymentRecord,
    get_payment,
    insert_payment,
    latest_payment,
    new_transaction_ref,
    set_status,
    upi_uri,
)
from kiosk.reference_data import ReferenceData
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.validation import FieldError, validate_answers
from kiosk.working_days import WorkingCalendar

log = logging.getLogger(__name__)

OUTBOX_KIND = "application.submitted"
CASH_OUTBOX_KIND = "payment.cash"
PAYMENT_METHODS = ("upi", "cash")
#: Alphabet of the check character (stdnum's Luhn mod N works over any alphabet).
CHECK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NO_RE = re.compile(r"^([A-Z0-9-]{2,40})-(\d{8})-(\d{4,6})-([0-9A-Z])$")
#: Numbers of a day per numbering station: station ``s`` numbers ``s*10000+1`` … ``s*10000+9999``
#: (kiosk.config ``[kiosk] station`` 0–89), so the kiosks of one centre and its desk never give
#: the same number (the state's application_no is a primary key). Station 0 keeps 0001 …
#: (four digits, as before); 1–89 print five or six digits, which the format allows.
STATION_BAND = 10_000
#: The centre service's desk numbers in a band of its own (kiosks use 0–89; 91–99 are spare).
DESK_STATION = 90
MAX_STATION = 99

MSG_UNKNOWN_SERVICE = N_("This service is not offered at this kiosk.")
MSG_INVALID = N_("Some answers need to be corrected.")
MSG_BAD_DELIVERY = N_("Please choose how you want to receive the certificate.")
MSG_BAD_NUMBER = N_("This is not a valid application number. Please check it.")
MSG_NUMBERS_USED_UP = N_("No more application numbers are free today at this kiosk. "
                         "Please apply at the counter.")


class InvalidApplicationError(ValidationError):
    """The answers do not meet the form's rules; ``errors`` has one entry per bad field."""

    default_message = MSG_INVALID

    def __init__(self, errors: Sequence[FieldError], detail: str = "") -> None:
        self.errors = list(errors)
        super().__init__(detail or "invalid fields: " + ", ".join(e.key for e in self.errors))


@dataclass(frozen=True)
class Application:
    application_no: str
    submission_id: str
    service_code: str
    lang: str
    submitted_at: datetime
    due_date: date
    answers: dict[str, Any]
    aadhaar_last4: str | None
    documents_shown: tuple[str, ...]
    delivery: str
    fees: FeeBreakdown
    status: str
    payment: PaymentRecord | None
    #: The unguessable secret its acknowledgement's QR carries (None: stored before v5).
    proof_secret: str | None = None

    @property
    def fee_paise(self) -> int:
        return self.fees.total_paise

    @property
    def paid(self) -> bool:
        return self.fee_paise == 0 or (self.payment is not None and self.payment.status == PAID)

    def applicant_name(self, lang: str) -> str:
        first, second = ("name_hi", "name_en") if lang == "hi" else ("name_en", "name_hi")
        return str(self.answers.get(first) or self.answers.get(second) or "")


def check_character(body: str) -> str:
    """The check character over the number's letters and digits (dashes ignored)."""
    return luhn.calc_check_digit(re.sub(r"[^0-9A-Z]", "", body), alphabet=CHECK_ALPHABET)


def format_application_no(centre: str, day: date, seq: int) -> str:
    """``<centre>-<YYYYMMDD>-<seq>-<check>``, e.g. ``MP-BPL-HZR-20261122-0007-K``."""
    body = f"{centre.upper()}-{day:%Y%m%d}-{seq:04d}"
    return f"{body}-{check_character(body)}"


def normalise_application_no(text: str) -> str | None:
    """An application number as typed or scanned (``ACK:`` QR prefix, spaces, lower case)
    when its check character is right, else None — a mistyped digit is caught here. A QR's
    proof secret (``.SECRET``) is ignored: :func:`split_proof` reads it."""
    t = re.sub(r"\s+", "", split_proof(text)[0]).upper()
    if t.startswith("ACK:"):
        t = t[4:]
    if len(t) > 60:
        return None
    m = _NO_RE.match(t)
    if not m:
        return None
    body = t[:-2]
    return t if check_character(body) == m.group(4) else None


def status_qr_payload(application_no: str, secret: str | None = None) -> str:
    """What the acknowledgement's QR holds: scanned at the kiosk it opens the status screen,
    and its ``secret`` (``ACK:<number>.<secret>``) proves the scanner holds the slip, so the
    details and a reprint are shown. Upper-case base32 keeps the QR in alphanumeric mode."""
    return f"ACK:{application_no}.{secret}" if secret else f"ACK:{application_no}"


def new_proof_secret() -> str:
    """80 random bits as 16 base32 characters: unguessable, and cheap in a QR."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def split_proof(text: str) -> tuple[str, str | None]:
    """``"ACK:<number>.<secret>"`` → (``"ACK:<number>"``, secret); no secret → (text, None)."""
    head, dot, tail = (text or "").strip().rpartition(".")
    if dot and re.fullmatch(r"[A-Za-z2-7]{16}", tail):
        return head, tail.upper()
    return (text or ""), None


class ApplicationService:
    """The one way applications are created, read and paid for (UI, CLI and tests)."""

    def __init__(self, store: Store, config: Config,
                 catalogue: Callable[[], Catalogue] | None = None,
                 clock: Callable[[], datetime] | None = None,
                 reference: ReferenceData | None = None, station: int | None = None) -> None:
        self.store = store
        self.config = config
        #: The numbering station (:data:`STATION_BAND`): ``[kiosk] station``, or the desk's.
        self.station = config.station if station is None else int(station)
        if not 0 <= self.station <= MAX_STATION:
            raise ValueError(f"numbering station {self.station} is not 0-{MAX_STATION}")
        #: Called with the number after a *new* application is committed (the kiosk's
        #: hand-over to its centre wakes on it); never called inside the transaction.
        self.on_stored: Callable[[str], None] | None = None
        #: Catalogue and holidays, read once per applied version (no SQL per question asked).
        self.reference = reference or ReferenceData(store, config.district,
                                                    config.holiday_subdivision)
        self._catalogue = catalogue or self.reference.catalogue
        tz = ZoneInfo(config.timezone)
        self._clock = clock or (lambda: datetime.now(tz))

    # -- catalogue -------------------------------------------------------------------------
    def catalogue(self) -> Catalogue:
        return self._catalogue()

    def service(self, code: str) -> Service:
        catalogue = self.catalogue()
        svc = catalogue.get(code)
        if svc is None:
            offered = ", ".join(s.code for s in catalogue.services)
            raise ValidationError(f"unknown service {code!r}; offered here: {offered}",
                                  message=MSG_UNKNOWN_SERVICE)
        return svc

    def now(self) -> datetime:
        return self._clock()

    # -- validation ------------------------------------------------------------------------
    def check_step(self, code: str, step_key: str, answers: Mapping[str, Any]) -> list[FieldError]:
        """Problems with one wizard step's answers (the UI checks before moving on)."""
        cat = self.catalogue()
        svc = self.service(code)
        step = next((s for s in cat.steps(svc) if s.key == step_key), None)
        if step is None:
            return []
        min_age = svc.min_age if any(f.key == "dob" for f in step.fields) else None
        _, errors = validate_answers(step.fields, answers, self.now().date(), min_age)
        return errors

    def validate(self, code: str, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Clean answers for the whole form, else :class:`InvalidApplicationError` (all errors)."""
        cat = self.catalogue()
        svc = self.service(code)
        clean, errors = validate_answers(cat.all_fields(svc), answers, self.now().date(),
                                         svc.min_age)
        if errors:
            raise InvalidApplicationError(errors)
        return clean

    def quote(self, code: str, answers: Mapping[str, Any], delivery: str) -> FeeBreakdown:
        cat = self.catalogue()
        return compute_fees(cat, self.service(code), answers, delivery, self.now().date())

    def calendar(self) -> WorkingCalendar:
        """The cached working calendar (screens: a due date shown before submitting)."""
        return self.reference.calendar()

    def _stored_calendar(self) -> WorkingCalendar:
        """The holidays as the database has them now: the due date *stored* with an
        application is computed from the table itself (submit runs on a worker anyway)."""
        return WorkingCalendar.from_store(self.store.conn, self.config.district,
                                          self.config.holiday_subdivision)

    def due_date(self, code: str, when: datetime | None = None) -> date:
        svc = self.service(code)
        return self.calendar().due_date(when or self.now(), svc.days, svc.same_day)

    # -- submit ----------------------------------------------------------------------------
    def submit(self, code: str, answers: Mapping[str, Any], *, lang: str,
               documents_shown: Sequence[str] = (), delivery: str = "centre",
               payment_method: str = "cash", submission_id: str | None = None,
               operator: str | None = None, token_id: str | None = None,
               counter: str | None = None,
               in_transaction: Callable[[sqlite3.Connection, str, bool], None] | None = None,
               ) -> Application:
        """Validate everything, then store the application, its outbox entry and its payment.

        Nothing is written when anything is invalid. Same ``submission_id`` → same application.
        ``token_id``/``counter`` (the centre's desk only: its table has the columns) link the
        application to the token being served. ``in_transaction(conn, number, created)`` runs
        inside the same transaction (the desk's audit entry; it may raise to roll back).
        """
        cat = self.catalogue()
        svc = self.service(code)
        clean = self.validate(code, answers)
        if cat.delivery_option(delivery) is None:
            raise ValidationError(f"unknown delivery {delivery!r}", message=MSG_BAD_DELIVERY)
        if payment_method not in PAYMENT_METHODS:
            raise ValidationError(f"unknown payment method {payment_method!r}")
        known_docs = {d.key for d in svc.documents}
        shown = tuple(d for d in dict.fromkeys(documents_shown) if d in known_docs)
        aadhaar = clean.pop("aadhaar", None)
        last4 = aadhaar[-4:] if isinstance(aadhaar, str) else None
        now = self.now()
        fees = compute_fees(cat, svc, clean, delivery, now.date())
        due = self._stored_calendar().due_date(now, svc.days, svc.same_day)
        sub_id = submission_id or str(uuid.uuid4())
        with self.store.transaction() as conn:
            existing = conn.execute("SELECT application_no FROM applications "
                                    "WHERE submission_id = ?", (sub_id,)).fetchone()
            created = existing is None
            if existing is not None:
                no = str(existing[0])
            else:
                no = self._insert(conn, svc, clean, last4, shown, delivery, fees, due, now,
                                  lang, sub_id, operator, payment_method)
                if token_id is not None or counter is not None:
                    conn.execute("UPDATE applications SET token_id = ?, counter = ? "
                                 "WHERE application_no = ?", (token_id, counter, no))
            if in_transaction is not None:
                in_transaction(conn, no, created)
        log.info("application %s stored (service %s, fee %d paise)", no, code, fees.total_paise)
        if created and self.on_stored is not None:
            try:
                self.on_stored(no)
            except Exception:  # a hand-over that cannot be woken must not fail the citizen
                log.exception("application %s: the stored-callback failed", no)
        app = self.get(no)
        assert app is not None
        return app

    def _insert(self, conn: sqlite3.Connection, svc: Service, clean: dict[str, Any],
                last4: str | None, shown: tuple[str, ...], delivery: str, fees: FeeBreakdown,
                due: date, now: datetime, lang: str, sub_id: str, operator: str | None,
                payment_method: str) -> str:
        day = now.date().isoformat()
        low = self.station * STATION_BAND
        seq = int(conn.execute("SELECT COALESCE(MAX(seq), ?) + 1 FROM applications "
                               "WHERE day = ? AND seq > ? AND seq < ?",
                               (low, day, low, low + STATION_BAND)).fetchone()[0])
        if seq >= low + STATION_BAND:
            raise StoreError(f"station {self.station}: {STATION_BAND - 1} applications today",
                             message=MSG_NUMBERS_USED_UP)
        no = format_application_no(self.config.centre_code, now.date(), seq)
        conn.execute(
            "INSERT INTO applications (application_no, submission_id, day, seq, service_code, "
            "lang, submitted_at, due_date, answers, aadhaar_last4, documents_shown, delivery, "
            "fees, fee_paise, operator, proof_secret) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (no, sub_id, day, seq, svc.code, lang, now.isoformat(), due.isoformat(),
             json.dumps(clean, ensure_ascii=False), last4, json.dumps(list(shown)), delivery,
             json.dumps(fees.to_json(), ensure_ascii=False), fees.total_paise, operator,
             new_proof_secret()))
        outbox.enqueue(conn, OUTBOX_KIND, no,
                       self._contract_payload(no, svc, clean, last4, fees, now))
        if fees.total_paise:
            insert_payment(conn, new_transaction_ref(no), no, payment_method, fees.total_paise)
        return no

    def _contract_payload(self, no: str, svc: Service, clean: dict[str, Any], last4: str | None,
                          fees: FeeBreakdown, now: datetime) -> dict[str, Any]:
        """The backend contract's ``Application``: identity in ``applicant``, the rest in fields."""
        applicant: dict[str, Any] = {"name": clean.get("name_en") or clean.get("name_hi") or "-"}
        if clean.get("relative_name"):
            applicant["relative_name"] = clean["relative_name"]
        if last4:
            applicant["aadhaar_last4"] = last4
        if clean.get("mobile"):
            applicant["mobile"] = clean["mobile"]
        if clean.get("district"):
            applicant["district"] = clean["district"]
        return {"application_no": no, "service_code": svc.code,
                "centre": self.config.centre_code, "submitted_at": now.isoformat(),
                "applicant": applicant, "fields": clean, "documents": [],
                "fee_paise": fees.total_paise}

    # -- read ------------------------------------------------------------------------------
    def get(self, application_no: str) -> Application | None:
        conn = self.store.conn
        r = conn.execute("SELECT * FROM applications WHERE application_no = ?",
                         (application_no,)).fetchone()
        if r is None:
            return None
        return Application(
            application_no=r["application_no"], submission_id=r["submission_id"],
            service_code=r["service_code"], lang=r["lang"],
            submitted_at=datetime.fromisoformat(r["submitted_at"]),
            due_date=date.fromisoformat(r["due_date"]), answers=json.loads(r["answers"]),
            aadhaar_last4=r["aadhaar_last4"],
            documents_shown=tuple(json.loads(r["documents_shown"])), delivery=r["delivery"],
            fees=FeeBreakdown.from_json(json.loads(r["fees"])), status=r["status"],
            payment=latest_payment(conn, r["application_no"]), proof_secret=r["proof_secret"])

    def lookup(self, text: str) -> Application | None:
        """An application by number as typed or scanned; :class:`ValidationError` if malformed."""
        no = normalise_application_no(text)
        if no is None:
            raise ValidationError("malformed application number", message=MSG_BAD_NUMBER)
        return self.get(no)

    def count(self) -> int:
        return int(self.store.conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0])

    def set_remote_status(self, application_no: str, status: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE applications SET status = ?, status_checked_at = ? "
                         "WHERE application_no = ?",
                         (status, self.now().isoformat(), application_no))

    # -- payments --------------------------------------------------------------------------
    def start_upi(self, application_no: str) -> PaymentRecord:
        """A fresh UPI intent (new ``tr``) for the application's fee; stored before it is shown."""
        app = self.get(application_no)
        if app is None:
            raise ValidationError(f"no application {application_no}", message=MSG_BAD_NUMBER)
        pay = self.config.payments
        tr = new_transaction_ref(application_no)
        uri = upi_uri(str(pay["vpa"]), str(pay["payee_name"]), app.fee_paise, tr,
                      f"{app.service_code} {application_no}")
        with self.store.transaction() as conn:
            insert_payment(conn, tr, application_no, "upi", app.fee_paise, uri)
        rec = get_payment(self.store.conn, tr)
        assert rec is not None
        return rec

    def mark_paid(self, tr: str, utr: str) -> None:
        """The backend said this UPI payment is paid (its UTR goes on the receipt)."""
        with self.store.transaction() as conn:
            set_status(conn, tr, PAID, utr=utr)

    def confirm_cash(self, application_no: str, receipt_no: str,
                     operator: str | None = None) -> PaymentRecord:
        """An operator took the cash: paid locally and reported through the outbox."""
        app = self.get(application_no)
        if app is None or app.payment is None:
            raise ValidationError(f"no payable application {application_no}",
                                  message=MSG_BAD_NUMBER)
        tr = app.payment.tr
        with self.store.transaction() as conn:
            conn.execute("UPDATE payments SET method = 'cash' WHERE tr = ?", (tr,))
            set_status(conn, tr, PAID, cash_receipt_no=receipt_no)
            outbox.enqueue(conn, CASH_OUTBOX_KIND, application_no, {
                "application_no": application_no, "amount_paise": app.fee_paise,
                "method": "cash", "tr": tr, "cash_receipt_no": receipt_no})
        rec = latest_payment(self.store.conn, application_no)
        assert rec is not None
        return rec
