"""Typed request and response objects for the backend contract (``openapi.yaml``).

Plain dataclasses, not a schema library: the client must stay small and importable on its own.
Each response type has ``from_json`` that checks the fields the kiosk relies on and raises
:class:`ProtocolError` otherwise, because a half-understood answer is worse than none — a
missing ``status`` must not be read as "accepted".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from backend_client.errors import ProtocolError

T = TypeVar("T")

#: Reference documents the kiosk pulls with ETag/If-None-Match.
REFERENCE_NAMES: tuple[str, ...] = ("catalogue", "holidays", "fees", "issuer-keys",
                                     "revocations")

#: Outbox kinds the batch endpoint understands.
BATCH_KINDS: tuple[str, ...] = ("token.issued", "token.called", "token.served",
                                "token.no_show", "token.recalled", "token.transferred",
                                "token.parked", "token.requeued", "application.submitted",
                                "payment.cash",
                                # desk-cash: a cash receipt voided or refunded at the desk
                                "payment.void")
#: The audit trail (issue 13): every entry of the centre's and each kiosk's hash chain.
BATCH_KINDS += ("audit.entry",)


def _get(d: Any, key: str, typ: type[T] | tuple[type, ...], *, optional: bool = False) -> T:
    if not isinstance(d, dict):
        raise ProtocolError(f"expected a JSON object, got {type(d).__name__}")
    if key not in d or d[key] is None:
        if optional:
            return None  # type: ignore[return-value]
        raise ProtocolError(f"response lacks field {key!r}")
    value = d[key]
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        raise ProtocolError(f"field {key!r} has type {type(value).__name__}")
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class Credential:
    """A kiosk's bearer credential. ``repr`` hides the token so it never lands in a log."""

    kiosk_id: str
    token: str = field(repr=False)
    issued_at: str = ""

    @classmethod
    def from_json(cls, d: Any) -> Credential:
        return cls(_get(d, "kiosk_id", str), _get(d, "token", str),
                   _get(d, "issued_at", str, optional=True) or "")


@dataclass(frozen=True)
class ReferenceDocument:
    """A catalogue/holidays/fees/issuer-keys/revocations document and its ETag."""

    name: str
    version: str
    etag: str | None
    data: dict[str, Any]

    @classmethod
    def from_json(cls, d: Any, etag: str | None) -> ReferenceDocument:
        return cls(_get(d, "name", str), _get(d, "version", str), etag, _get(d, "data", dict))


@dataclass(frozen=True)
class BatchItem:
    """One outbox entry inside a batch upload; its own key makes it safe to resend alone."""

    idempotency_key: str
    kind: str
    record_id: str
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BatchItemResult:
    """What happened to one item: ``accepted``, ``duplicate``, ``rejected`` or ``retry``."""

    idempotency_key: str
    status: str
    http_status: int
    message: str | None = None
    result: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, d: Any) -> BatchItemResult:
        status = _get(d, "status", str)
        if status not in ("accepted", "duplicate", "rejected", "retry"):
            raise ProtocolError(f"unknown batch item status {status!r}")
        return cls(_get(d, "idempotency_key", str), status, _get(d, "http_status", int),
                   _get(d, "message", str, optional=True), _get(d, "result", dict, optional=True))

    @property
    def delivered(self) -> bool:
        return self.status in ("accepted", "duplicate")


@dataclass(frozen=True)
class BatchResult:
    items: list[BatchItemResult]

    @classmethod
    def from_json(cls, d: Any) -> BatchResult:
        return cls([BatchItemResult.from_json(i) for i in _get(d, "items", list)])


@dataclass(frozen=True)
class TokenEvent:
    """A token's life event: issued at a kiosk, called/served/no-show at a counter."""

    event: str
    token_id: str
    number: str
    group: str
    at: str
    centre: str
    priority: str = "general"
    counter: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Accepted:
    """Generic acknowledgement of a write: the server's id and when it received it."""

    id: str
    received_at: str

    @classmethod
    def from_json(cls, d: Any) -> Accepted:
        return cls(_get(d, "id", str), _get(d, "received_at", str))


@dataclass(frozen=True)
class DocumentMeta:
    """A scanned document's metadata (the image travels separately, later)."""

    doc_type: str
    sha256: str
    pages: int
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Application:
    """An application as submitted; identity fields are minimal by design (masked Aadhaar)."""

    application_no: str
    service_code: str
    centre: str
    submitted_at: str
    applicant: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    documents: list[DocumentMeta] = field(default_factory=list)
    fee_paise: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ApplicationStatus:
    application_no: str
    service_code: str
    status: str
    received_at: str
    due_date: str | None = None
    remarks: str | None = None

    @classmethod
    def from_json(cls, d: Any) -> ApplicationStatus:
        return cls(_get(d, "application_no", str), _get(d, "service_code", str),
                   _get(d, "status", str), _get(d, "received_at", str),
                   _get(d, "due_date", str, optional=True), _get(d, "remarks", str, optional=True))


@dataclass(frozen=True)
class PaymentIntent:
    """Ask the backend for a payment: UPI (it returns the ``upi://`` URI) or cash taken."""

    application_no: str
    amount_paise: int
    method: str
    tr: str
    cash_receipt_no: str | None = None
    #: Cash taken at a centre's desk: who took it, at which counter (both optional).
    operator_id: str | None = None
    counter: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Payment:
    tr: str
    application_no: str
    amount_paise: int
    method: str
    status: str
    utr: str | None = None
    upi_uri: str | None = None

    @classmethod
    def from_json(cls, d: Any) -> Payment:
        return cls(_get(d, "tr", str), _get(d, "application_no", str),
                   _get(d, "amount_paise", int), _get(d, "method", str), _get(d, "status", str),
                   _get(d, "utr", str, optional=True), _get(d, "upi_uri", str, optional=True))


@dataclass(frozen=True)
class Certificate:
    """An issued certificate: the signed payload and signature (base64url, as in the QR).

    ``qr_text`` is what the printed QR holds; it is optional in the contract because a client
    can rebuild it from ``payload`` and ``signature`` (``<verify URL>#SC1.<payload>.<sig>``).
    """

    certificate_no: str
    application_no: str
    cert_type: str
    issued_at: str
    key_id: str
    payload: str
    signature: str
    holder_name: str | None = None
    qr_text: str | None = None
    revoked: bool = False

    @classmethod
    def from_json(cls, d: Any) -> Certificate:
        return cls(_get(d, "certificate_no", str), _get(d, "application_no", str),
                   _get(d, "cert_type", str), _get(d, "issued_at", str), _get(d, "key_id", str),
                   _get(d, "payload", str), _get(d, "signature", str),
                   holder_name=_get(d, "holder_name", str, optional=True),
                   qr_text=_get(d, "qr_text", str, optional=True),
                   revoked=bool(_get(d, "revoked", bool, optional=True)))


@dataclass(frozen=True)
class QueueToken:
    """A token as the backend's counter queue sees it."""

    token_id: str
    number: str
    group: str
    priority: str
    status: str
    issued_at: str
    counter: str | None = None
    recalls: int = 0

    @classmethod
    def from_json(cls, d: Any) -> QueueToken:
        return cls(_get(d, "token_id", str), _get(d, "number", str), _get(d, "group", str),
                   _get(d, "priority", str), _get(d, "status", str), _get(d, "issued_at", str),
                   _get(d, "counter", str, optional=True), _get(d, "recalls", int, optional=True)
                   or 0)


@dataclass(frozen=True)
class Heartbeat:
    """Device health and outbox depth, so the state's dashboard sees a sick kiosk early."""

    sent_at: str
    app_version: str
    outbox_depth: dict[str, int] = field(default_factory=dict)
    parked: int = 0
    devices: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HeartbeatAck:
    server_time: str

    @classmethod
    def from_json(cls, d: Any) -> HeartbeatAck:
        return cls(_get(d, "server_time", str))
