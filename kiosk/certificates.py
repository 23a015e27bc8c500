"""Digitally signed certificates that any kiosk can verify from their QR code, offline.

Why a signature in the QR rather than a look-up: a tehsil kiosk is often offline, and a
citizen (or a bank clerk, or a school) must still be able to tell a genuine income certificate
from a doctored photocopy. The QR therefore carries the certificate's essential facts *and* the
issuing office's Ed25519 signature over them; the kiosk holds the issuers' public keys and the
revocation list (both synced from the backend) and needs no network to decide.

QR text (version 1)::

    https://verify.lsk.mp.gov.in/c#SC1.<payload>.<signature>

``payload`` is the canonical JSON below, UTF-8, base64url without padding; ``signature`` is the
64-byte Ed25519 signature over exactly those payload bytes, base64url without padding. A phone
camera opens the URL (the online check; the fragment never leaves the phone in the request); the
kiosk parses the same text offline. The bare ``SC1.<payload>.<signature>`` form is accepted too.

Canonical payload: ``json.dumps(obj, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` with one-letter keys, because every byte makes the QR denser on a 58 mm
thermal slip::

    {"a": application no., "d": issue date YYYY-MM-DD, "h": holder name, "k": issuer key id,
     "n": certificate no., "t": certificate type (service code, e.g. INC/DOM/CST), "v": 1,
     "x": {certified details, strings only; omitted when empty}}

A payload that is not byte-for-byte canonical is refused even when its signature checks out, so
one certificate has exactly one QR text (nothing to play with for a forger, and the revocation
list can name certificates by number without worrying about re-encodings).

Statuses (:data:`STATUSES`):

* ``valid``: signature checks out with a pinned key, not revoked, key valid on the issue date.
* ``invalid``: anything malformed, tampered or signed by the wrong key; also a certificate
  dated more than a day after the kiosk's date (``as_of``).
* ``revoked``: the certificate number is on the revocation list, or its issuer key is revoked.
  The (genuine) details are still returned so staff can see *what* was revoked.
* ``unknown_issuer``: the key id is not pinned on this kiosk (maybe keys have not synced yet).
* ``expired_key``: the signature is genuine but the issue date lies outside the key's
  ``valid_from``/``valid_to`` window — the key's lifetime bounds when it may *sign*, so a
  certificate signed inside the window stays valid after the key retires, while one dated
  outside it is a sign of a misused (e.g. retired and leaked) key. It is not "valid".

:func:`verify_certificate_qr` never raises: a QR scanner can deliver anything.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import sqlite3
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_time

log = logging.getLogger(__name__)

#: Where a phone camera sends the citizen; the kiosk never contacts it.
DEFAULT_BASE_URL: Final = "https://verify.lsk.mp.gov.in/c"
PREFIX: Final = "SC1"
PAYLOAD_VERSION: Final = 1
ALGORITHM: Final = "Ed25519"
#: The reference document carrying the revocation list (see ``kiosk/sync/reference.py``).
REVOCATIONS_DOC: Final = "revocations"

#: Longest text a QR code can hold (version 40, alphanumeric); anything longer did not come
#: from a QR, so it is refused before any decoding work (a 10 MB paste costs nothing).
MAX_QR_TEXT: Final = 4296
MAX_PAYLOAD_BYTES: Final = 1200
MAX_DETAILS: Final = 8
MAX_HOLDER: Final = 120
MAX_DETAIL_VALUE: Final = 80
#: A kiosk's clock and the issuing office's may sit on either side of midnight.
FUTURE_GRACE: Final = timedelta(days=1)
DISPLAY_TZ: Final = "Asia/Kolkata"

Status = Literal["valid", "invalid", "revoked", "unknown_issuer", "expired_key"]
STATUSES: Final[tuple[str, ...]] = ("valid", "invalid", "revoked", "unknown_issuer",
                                    "expired_key")

MSG_VALID = N_("Genuine certificate: the digital signature is valid.")
MSG_INVALID = N_("This certificate could not be verified. It may have been altered, or the QR "
                 "code is damaged.")
MSG_REVOKED = N_("This certificate has been cancelled by the issuing office.")
MSG_UNKNOWN_ISSUER = N_("This certificate is signed by an office this kiosk does not know yet. "
                        "Please check online or at the counter.")
MSG_EXPIRED_KEY = N_("The signing key was not valid on this certificate's date of issue. "
                     "Please check at the counter.")
MSG_AS_OF = N_("Verified offline as of {when}.")
MSG_NEVER_SYNCED = N_("The list of cancelled certificates has not been downloaded yet. Please "
                      "check online as well.")

MESSAGES: Final[dict[str, str]] = {
    "valid": MSG_VALID, "invalid": MSG_INVALID, "revoked": MSG_REVOKED,
    "unknown_issuer": MSG_UNKNOWN_ISSUER, "expired_key": MSG_EXPIRED_KEY}

_B64URL = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)
_CERT_NO = re.compile(r"[A-Za-z0-9._:-]{1,80}", re.ASCII)
_CERT_TYPE = re.compile(r"[A-Z]{2,6}", re.ASCII)
_KEY_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}", re.ASCII)
_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,23}", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PAYLOAD_KEYS: Final = frozenset({"a", "d", "h", "k", "n", "t", "v", "x"})


class CertificateFormatError(ValueError):
    """Why a QR text or a payload is not a certificate (the text goes to the log)."""


# --- data ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CertificateFields:
    """What a certificate certifies: the facts that are signed and printed."""

    certificate_no: str
    cert_type: str
    holder: str
    issued_on: date
    application_no: str
    details: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"certificate_no": self.certificate_no, "cert_type": self.cert_type,
                "holder": self.holder, "issued_on": self.issued_on.isoformat(),
                "application_no": self.application_no, "details": dict(self.details)}


@dataclass(frozen=True)
class IssuerKey:
    """A pinned issuer public key and the window in which it may sign."""

    key_id: str
    public_key: Ed25519PublicKey
    valid_from: date | None = None
    valid_to: date | None = None
    revoked: bool = False

    @classmethod
    def from_b64(cls, key_id: str, public_key_b64: str, valid_from: str | None = None,
                 valid_to: str | None = None, revoked: bool = False) -> IssuerKey:
        """From the reference document's shape; raises ``ValueError`` on a malformed key."""
        raw = b64url_decode(public_key_b64)
        if len(raw) != 32:
            raise ValueError(f"Ed25519 public key must be 32 bytes, got {len(raw)}")
        return cls(key_id, Ed25519PublicKey.from_public_bytes(raw),
                   _optional_date(valid_from), _optional_date(valid_to), revoked)

    def signs_on(self, day: date) -> bool:
        """True if ``day`` lies inside the key's signing window."""
        return ((self.valid_from is None or day >= self.valid_from)
                and (self.valid_to is None or day <= self.valid_to))


@dataclass(frozen=True)
class Revocation:
    certificate_no: str
    revoked_at: str | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"certificate_no": self.certificate_no, "revoked_at": self.revoked_at,
                "reason": self.reason}


@dataclass(frozen=True)
class Verification:
    """The verdict on one QR text.

    ``certificate`` is set only when the signature checked out (``valid``, ``revoked``,
    ``expired_key``): unverified claims are never shown as facts. ``reason`` is for the log,
    ``message`` is a msgid for the citizen.
    """

    status: Status
    reason: str
    message: str
    certificate: CertificateFields | None = None
    key_id: str | None = None
    revocation: Revocation | None = None
    verified_offline_as_of: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    def user_message(self, lang: str) -> str:
        return translate(self.message, lang)

    def as_of_message(self, lang: str, tz: str = DISPLAY_TZ) -> str:
        """"Verified offline as of …" in ``lang``, or a warning if the list never synced."""
        when = format_synced_at(self.verified_offline_as_of, lang, tz)
        if when is None:
            return translate(MSG_NEVER_SYNCED, lang)
        return translate(MSG_AS_OF, lang).format(when=when)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "message": self.message,
                "certificate": None if self.certificate is None else self.certificate.to_json(),
                "key_id": self.key_id,
                "revocation": None if self.revocation is None else self.revocation.to_json(),
                "verified_offline_as_of": self.verified_offline_as_of}


@dataclass(frozen=True)
class Trust:
    """Everything verification needs, as the kiosk last synced it."""

    keys: Mapping[str, IssuerKey]
    revoked: Mapping[str, Revocation]
    synced_at: str | None = None

    def verify(self, text: object, *, as_of: date | None = None) -> Verification:
        return verify_certificate_qr(text, self.keys, self.revoked, as_of=as_of,
                                     synced_at=self.synced_at)


# --- encoding helpers ---------------------------------------------------------------------------

def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: one encoding per byte string, or ``ValueError``.

    The re-encoding check refuses texts whose unused trailing bits are set, so two different QR
    texts can never carry the same certificate.
    """
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"bad base64url: {exc}") from None
    if b64url_encode(raw) != text:
        raise ValueError("non-canonical base64url")
    return raw


def canonical_json(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def _optional_date(text: str | None) -> date | None:
    if text is None or text == "":
        return None
    if not _DATE.fullmatch(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return date.fromisoformat(text)


def payload_of(fields: CertificateFields, key_id: str) -> dict[str, Any]:
    """The signed object for ``fields``; raises ``ValueError`` for anything a verifier refuses."""
    obj: dict[str, Any] = {"v": PAYLOAD_VERSION, "n": fields.certificate_no,
                           "t": fields.cert_type, "h": fields.holder,
                           "d": fields.issued_on.isoformat(), "k": key_id,
                           "a": fields.application_no}
    if fields.details:
        obj["x"] = dict(fields.details)
    _fields_from_payload(obj)  # the signer refuses exactly what a verifier would
    return obj


def _fields_from_payload(obj: object) -> tuple[CertificateFields, str]:
    """Check the decoded payload's shape; returns (fields, key id) or ``CertificateFormatError``."""
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"payload is a JSON {type(obj).__name__}, not an object")
    if type(obj.get("v")) is not int or obj["v"] != PAYLOAD_VERSION:  # not True, not 1.0
        raise CertificateFormatError(f"unsupported payload version {obj.get('v')!r}")
    extra = set(obj) - _PAYLOAD_KEYS
    if extra:
        raise CertificateFormatError(f"unknown payload keys {sorted(extra)[:5]}")

    def text(key: str, pattern: re.Pattern[str] | None, limit: int = 80) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value or len(value) > limit:
            raise CertificateFormatError(f"payload field {key!r} must be a string of 1..{limit}")
        if pattern is not None and not pattern.fullmatch(value):
            raise CertificateFormatError(f"payload field {key!r} has a bad format")
        if pattern is None and any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in value):
            raise CertificateFormatError(f"payload field {key!r} has control characters")
        return value

    number = text("n", _CERT_NO)
    cert_type = text("t", _CERT_TYPE)
    holder = text("h", None, MAX_HOLDER)
    key_id = text("k", _KEY_ID)
    application_no = text("a", _CERT_NO)
    day_text = text("d", _DATE)
    try:
        issued_on = date.fromisoformat(day_text)
    except ValueError:
        raise CertificateFormatError(f"issue date {day_text!r} is not a date") from None
    details: dict[str, str] = {}
    if "x" in obj:
        raw = obj["x"]
        if not isinstance(raw, dict) or not raw or len(raw) > MAX_DETAILS:
            raise CertificateFormatError(f"details must be an object of 1..{MAX_DETAILS} entries")
        for k, v in raw.items():
            if not _DETAIL_KEY.fullmatch(k):
                raise CertificateFormatError("detail names must match [a-z][a-z0-9_]{0,23}")
            if not isinstance(v, str) or not v or len(v) > MAX_DETAIL_VALUE:
                raise CertificateFormatError(f"detail {k!r} must be a string of "
                                             f"1..{MAX_DETAIL_VALUE}")
            if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in v):
                raise CertificateFormatError(f"detail {k!r} has control characters")
            details[k] = v
    return CertificateFields(number, cert_type, holder, issued_on, application_no,
                             details), key_id


# --- signing ------------------------------------------------------------------------------------

def sign_certificate(fields: CertificateFields, private_key: Ed25519PrivateKey, key_id: str, *,
                     base_url: str | None = DEFAULT_BASE_URL) -> str:
    """The QR text for ``fields`` signed by ``private_key`` (``base_url=None``: bare form).

    Raises ``ValueError`` when a field would be refused by a verifier (better a loud failure
    at the issuing desk than a certificate that never verifies).
    """
    payload = canonical_json(payload_of(fields, key_id))
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload is {len(payload)} bytes; at most {MAX_PAYLOAD_BYTES} fit a "
                         "receipt QR")
    token = f"{PREFIX}.{b64url_encode(payload)}.{b64url_encode(private_key.sign(payload))}"
    return token if base_url is None else f"{base_url.rstrip('#')}#{token}"


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key as base64url (the ``issuer-keys`` document's format)."""
    return b64url_encode(private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


# --- parsing and verification -------------------------------------------------------------------

def split_qr_text(text: str) -> tuple[bytes, bytes]:
    """(payload bytes, signature bytes) from a QR text; ``CertificateFormatError`` otherwise."""
    text = text.strip()
    if text.startswith(PREFIX + "."):
        token = text
    else:
        lowered = text[:8].lower()
        if not (lowered.startswith("https://") or lowered.startswith("http://")):
            raise CertificateFormatError("neither an SC1 token nor a verification URL")
        sep = "#" if "#" in text else "/"
        token = text.rsplit(sep, 1)[1]
        if not token.startswith(PREFIX + "."):
            raise CertificateFormatError("URL carries no SC1 token")
    parts = token.split(".")
    if len(parts) != 3:
        raise CertificateFormatError(f"token has {len(parts)} dot-separated parts, not 3")
    try:
        payload = b64url_decode(parts[1])
        signature = b64url_decode(parts[2])
    except ValueError as exc:
        raise CertificateFormatError(str(exc)) from None
    if not payload or len(payload) > MAX_PAYLOAD_BYTES:
        raise CertificateFormatError(f"payload of {len(payload)} bytes")
    if len(signature) != 64:
        raise CertificateFormatError(f"signature of {len(signature)} bytes, not 64")
    return payload, signature


def _result(status: Status, reason: str, synced_at: str | None, **kw: Any) -> Verification:
    return Verification(status=status, reason=reason, message=MESSAGES[status],
                        verified_offline_as_of=synced_at, **kw)


def verify_certificate_qr(text: object, keys: Mapping[str, IssuerKey],
                          revoked_certificates: Collection[str], *, as_of: date | None = None,
                          synced_at: str | None = None) -> Verification:
    """Verify a scanned QR text offline. Never raises.

    ``revoked_certificates`` is a collection of certificate numbers; when it is a mapping to
    :class:`Revocation` the revocation's date and reason are returned too. ``as_of`` is the
    kiosk's date (default: today in India), used only to refuse certificates dated in the
    future. ``synced_at`` is when the keys and the revocation list were last known current.
    """
    try:
        return _verify(text, keys, revoked_certificates, as_of, synced_at)
    except Exception as exc:  # the promise is "never raises": a bug must not crash a scan
        log.exception("certificate verification failed unexpectedly")
        return _result("invalid", f"internal error: {type(exc).__name__}", synced_at)


def _verify(text: object, keys: Mapping[str, IssuerKey], revoked: Collection[str],
            as_of: date | None, synced_at: str | None) -> Verification:
    if not isinstance(text, str):
        return _result("invalid", f"QR text is a {type(text).__name__}, not a string", synced_at)
    if len(text) > MAX_QR_TEXT:
        return _result("invalid", f"text of {len(text)} characters cannot come from a QR",
                       synced_at)
    try:
        payload, signature = split_qr_text(text)
        obj = json.loads(payload.decode("utf-8"))
        claimed = obj.get("k") if isinstance(obj, dict) else None
    except CertificateFormatError as exc:
        return _result("invalid", str(exc), synced_at)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return _result("invalid", f"payload is not UTF-8 JSON: {type(exc).__name__}", synced_at)
    if not isinstance(obj, dict):
        return _result("invalid", f"payload is a JSON {type(obj).__name__}, not an object",
                       synced_at)
    if not isinstance(claimed, str) or not _KEY_ID.fullmatch(claimed):
        return _result("invalid", "payload names no usable issuer key id", synced_at)
    key = keys.get(claimed)
    if key is None:
        return _result("unknown_issuer", f"issuer key {claimed!r} is not pinned on this kiosk",
                       synced_at, key_id=claimed)
    try:
        key.public_key.verify(signature, payload)
    except InvalidSignature:
        return _result("invalid", f"signature does not verify with key {claimed!r}", synced_at,
                       key_id=claimed)
    # From here the issuer vouches for the bytes; still refuse anything off-format.
    try:
        fields, key_id = _fields_from_payload(obj)
    except CertificateFormatError as exc:
        return _result("invalid", f"signed payload is malformed: {exc}", synced_at,
                       key_id=claimed)
    if canonical_json(obj) != payload:
        return _result("invalid", "signed payload is not in canonical form", synced_at,
                       key_id=key_id)
    known = {"certificate": fields, "key_id": key_id}
    if key.revoked:
        return _result("revoked", f"issuer key {key_id!r} is revoked", synced_at, **known)
    if fields.certificate_no in revoked:
        entry = (revoked.get(fields.certificate_no) if isinstance(revoked, Mapping) else None)
        revocation = entry if isinstance(entry, Revocation) else Revocation(fields.certificate_no)
        return _result("revoked", f"certificate {fields.certificate_no} is on the revocation "
                       "list", synced_at, revocation=revocation, **known)
    if not key.signs_on(fields.issued_on):
        return _result("expired_key", f"issued {fields.issued_on} outside key {key_id!r}'s "
                       f"window {key.valid_from}..{key.valid_to}", synced_at, **known)
    today = as_of or datetime.now(ZoneInfo(DISPLAY_TZ)).date()
    if fields.issued_on > today + FUTURE_GRACE:
        return _result("invalid", f"issue date {fields.issued_on} is after {today}", synced_at,
                       key_id=key_id)
    return _result("valid", f"signature verified with key {key_id!r}", synced_at, **known)


# --- trust store --------------------------------------------------------------------------------

def parse_revocations(data: object) -> dict[str, Revocation]:
    """The ``revocations`` document's list; ``ValueError`` if its shape is wrong."""
    if not isinstance(data, dict):
        raise ValueError("revocations document is not an object")
    rows = data.get("revoked")
    if not isinstance(rows, list):
        raise ValueError("revocations document lacks a list under 'revoked'")
    out: dict[str, Revocation] = {}
    for row in rows:
        if not isinstance(row, dict):
            raise ValueError("revocation entries must be objects")
        number = row.get("certificate_no")
        if not isinstance(number, str) or not number:
            raise ValueError("revocation entry lacks a certificate_no string")
        revoked_at, reason = row.get("revoked_at"), row.get("reason")
        if revoked_at is not None and not isinstance(revoked_at, str):
            raise ValueError("revoked_at must be a string")
        if reason is not None and not isinstance(reason, str):
            raise ValueError("reason must be a string")
        out[number] = Revocation(number, revoked_at, reason)
    return out


def load_trust(conn: sqlite3.Connection) -> Trust:
    """Pinned keys, the revocation list and their freshness, from the kiosk's database.

    A malformed key row is skipped with a warning (its certificates then read as
    ``unknown_issuer``) rather than failing every verification. ``synced_at`` is the engine's
    last successful contact, but only once a revocation list has ever been received: without
    one the kiosk cannot claim anything about cancellations.
    """
    keys: dict[str, IssuerKey] = {}
    for row in conn.execute("SELECT key_id, algorithm, public_key, valid_from, valid_to, "
                            "revoked FROM issuer_keys"):
        key_id, algorithm = str(row[0]), str(row[1])
        if algorithm != ALGORITHM:
            log.warning("issuer key %s uses unsupported algorithm %s; ignored", key_id, algorithm)
            continue
        try:
            keys[key_id] = IssuerKey.from_b64(key_id, str(row[2]), row[3], row[4], bool(row[5]))
        except ValueError as exc:
            log.warning("issuer key %s is malformed (%s); ignored", key_id, exc)
    revoked: dict[str, Revocation] = {}
    synced_at: str | None = None
    doc = conn.execute("SELECT body, applied_at FROM reference_docs WHERE name = ?",
                       (REVOCATIONS_DOC,)).fetchone()
    if doc is not None:
        try:
            revoked = parse_revocations(json.loads(doc[0]))
        except ValueError as exc:
            log.warning("stored revocation list unreadable: %s", exc)
        else:
            last = conn.execute("SELECT value FROM sync_state WHERE key = 'last_success_at'"
                                ).fetchone()
            synced_at = max(str(doc[1]), str(last[0])) if last is not None else str(doc[1])
    return Trust(keys=keys, revoked=revoked, synced_at=synced_at)


def format_synced_at(synced_at: str | None, lang: str, tz: str = DISPLAY_TZ) -> str | None:
    """``22 नवंबर 2026, 4:05 pm``-style local time of a stored UTC timestamp, or None."""
    if not synced_at:
        return None
    try:
        when = datetime.fromisoformat(synced_at)
    except ValueError:
        return synced_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(ZoneInfo(tz))
    return f"{format_date(local, lang, 'long')}, {format_time(local, lang)}"
