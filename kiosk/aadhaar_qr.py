"""Read the UIDAI *Secure QR* printed on every Aadhaar card and letter, to prefill a form.

Why this exists: typing a name and a full address on a touchscreen is the slowest part of an
application. The Secure QR carries the demographic details, signed by UIDAI, so one scan of
the citizen's card fills the form and the operator only checks it against the card.

The format (public UIDAI facts, see ``../shared/domain.md``): the QR text is one long decimal
number → a big integer → its big-endian bytes → a gzip stream. Decompressed, the text fields
come first, each ended by a 0xFF byte:

* newer layouts: ``V2``/``V3``, email/mobile indicator, reference id, name, DOB, gender,
  care-of, district, landmark, house, location, PIN, post office, state, street,
  sub-district, VTC, last 4 digits of the mobile number;
* the older layout: the same without the version and without the mobile digits.

Then come the JPEG2000 photo (and, in the older layout, email/mobile hashes) and finally a
256-byte RSA-2048 PKCS#1 v1.5 SHA-256 signature over every byte before it.

Privacy rules this module keeps (Aadhaar Act s.29, ``domain.md``): the photo is a biometric
and is dropped as soon as the signature is checked; of the reference id only its first four
digits survive (they are the last four of the Aadhaar number, which the kiosk may keep); the
full reference id and photo never reach the result, a log line or an exception. Logs carry
only lengths and statuses.

Hostile input is expected — a QR scanner will read anything held in front of it — so every
step is bounded (decimal length, decompressed size) and every failure is one
:class:`~kiosk.errors.ValidationError` with a citizen-facing message.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.errors import ValidationError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

#: A version-40 QR holds at most 7089 digits; anything much longer was not read from one.
MAX_DECIMAL_CHARS: Final = 10_000
#: Below this a digit string is a barcode or a number, not a Secure QR (real ones have
#: thousands of digits: the photo and the signature alone are more than 1,000 bytes).
MIN_DECIMAL_CHARS: Final = 600
#: A real QR decompresses to a few kilobytes; the cap makes a zip bomb cost nothing.
MAX_DECOMPRESSED_BYTES: Final = 64 * 1024
SIGNATURE_BYTES: Final = 256
DELIMITER: Final = 0xFF

#: Digits per chunk when turning the decimal text into an integer. Python refuses ``int()``
#: on more than 4,300 digits (a guard against quadratic parsing), and real QRs exceed that,
#: so the text is parsed in chunks below the limit instead of lifting the limit process-wide.
_CHUNK_DIGITS: Final = 1_000

USER_MESSAGE: Final = N_(
    "This is not an Aadhaar QR code, or it could not be read. Please type the details instead."
)

SignatureStatus = Literal["verified", "not_verified", "no_trusted_certificate"]

#: What the form shows next to prefilled data, per signature status. The two failure texts
#: say what to do, because "not verified" alone would leave the operator guessing.
SIGNATURE_MESSAGES: Final[dict[str, str]] = {
    "verified": N_("Details read from the Aadhaar QR. UIDAI signature verified."),
    "not_verified": N_(
        "The Aadhaar QR signature could not be verified. "
        "Check every detail against the Aadhaar card."
    ),
    "no_trusted_certificate": N_(
        "The Aadhaar QR signature was not checked (no UIDAI certificate is set up). "
        "Check every detail against the Aadhaar card."
    ),
}
#: A certificate as PEM (bytes or text, one or a bundle), DER bytes, or already parsed.
TrustedCert = bytes | bytearray | str | x509.Certificate

#: The text fields shared by every layout, after the version and the indicator.
_COMMON_FIELDS: Final = (
    "reference_id", "name", "dob", "gender", "care_of", "district", "landmark", "house",
    "location", "pin", "post_office", "state", "street", "sub_district", "vtc",
)

_GENDERS: Final = {"m": "male", "male": "male", "f": "female", "female": "female",
                   "t": "transgender", "transgender": "transgender"}

_RELATIONS: Final = {"s": "son_of", "d": "daughter_of", "w": "wife_of", "h": "husband_of",
                     "c": "care_of"}
# "S/O: Ram Lal", "s/o Ram Lal", "C/O,Ram Lal", "W/O - Ram Lal": relation letter, slash, O.
_CARE_OF_RE: Final = re.compile(r"^\s*([SDWHC])\s*/\s*O(?![A-Za-z])\s*[:,.\-]?\s*(.*)$",
                                re.IGNORECASE | re.DOTALL)
_VERSION_RE: Final = re.compile(r"^V\d{1,2}$")
_DMY_RE: Final = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD_RE: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_YEAR_RE: Final = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class AadhaarQrData:
    """What the kiosk may keep from a Secure QR.

    Personal fields are left out of ``repr()`` so that an object which slips into a log line
    or a traceback shows only the layout and the signature status. There is deliberately no
    field for the photo or the full reference id.
    """

    #: ``"V2"``, ``"V3"`` … as printed in the QR; ``"V1"`` for the older, unversioned layout.
    version: str
    #: ``"verified"`` only when a configured trusted certificate's key checks the signature.
    signature: SignatureStatus
    aadhaar_last4: str = field(repr=False)
    name: str = field(repr=False)
    #: None when the QR holds only a year or an unreadable date (see ``dob_raw``).
    dob: date | None = field(repr=False)
    dob_raw: str = field(repr=False)
    #: From a full date or a year-only DOB; None when neither could be read.
    year_of_birth: int | None = field(repr=False)
    #: ``"male"`` / ``"female"`` / ``"transgender"``, or None for an unknown code.
    gender: str | None = field(repr=False)
    #: The care-of text exactly as printed, e.g. ``"S/O: Ram Lal"``.
    care_of: str = field(repr=False)
    #: ``"son_of"``, ``"daughter_of"``, ``"wife_of"``, ``"husband_of"``, ``"care_of"`` or None.
    care_of_relation: str | None = field(repr=False)
    #: The relative's name without the relation prefix (the whole text if there was none).
    care_of_name: str = field(repr=False)
    #: Keys: house, street, landmark, locality, village, post_office, tehsil, district,
    #: state, pin (empty strings for fields the QR leaves blank).
    address: dict[str, str] = field(repr=False)
    #: Last four digits of the registered mobile (V2/V3 only), or None.
    mobile_last4: str | None = field(repr=False)
    has_email: bool = field(repr=False)
    has_mobile: bool = field(repr=False)

    @property
    def signature_verified(self) -> bool:
        """True only for a signature checked against a trusted certificate."""
        return self.signature == "verified"

    @property
    def signature_message(self) -> str:
        """The msgid to show with the prefilled form (translate at display time)."""
        return SIGNATURE_MESSAGES[self.signature]


def _reject(detail: str) -> ValidationError:
    """The single error every malformed QR becomes (``detail`` must hold no personal data)."""
    return ValidationError(f"aadhaar qr: {detail}", message=USER_MESSAGE)


def _clean_scan(text: str) -> str:
    # Scanners end a code with CR/LF and some pad with spaces; nothing else is forgiven.
    return text.strip(" \t\r\n")


def looks_like_secure_qr(text: str) -> bool:
    """A cheap test for the scanner router: is this scan plausibly an Aadhaar Secure QR?

    Only ASCII digits and long: the kiosk's own codes start with ``TKN:``, ``ACK:``,
    ``https://`` or ``SC1.``, and ordinary barcodes are far shorter. ``str.isdigit`` alone is
    not enough — it accepts Devanagari and superscript digits.
    """
    cleaned = _clean_scan(text)
    return (MIN_DECIMAL_CHARS <= len(cleaned) <= MAX_DECIMAL_CHARS
            and cleaned.isascii() and cleaned.isdigit())


def _decimal_to_bytes(text: str) -> bytes:
    cleaned = _clean_scan(text)
    if not cleaned:
        raise _reject("empty scan")
    if len(cleaned) > MAX_DECIMAL_CHARS:
        raise _reject(f"too long ({len(cleaned)} chars)")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise _reject(f"not a decimal number ({len(cleaned)} chars)")
    value = 0
    for start in range(0, len(cleaned), _CHUNK_DIGITS):
        chunk = cleaned[start:start + _CHUNK_DIGITS]
        value = value * 10 ** len(chunk) + int(chunk)
    if value == 0:
        raise _reject("number is zero")
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def _gunzip_capped(data: bytes, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Gunzip ``data`` but never produce more than ``limit`` bytes.

    ``zlib.decompress`` would inflate a bomb in full before we could look at its size;
    ``decompressobj`` with ``max_length`` stops at the cap. ``flush()`` is never called
    because it has no such cap.
    """
    if data[:2] != b"\x1f\x8b":
        raise _reject(f"not gzip ({len(data)} bytes)")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise _reject(f"corrupt gzip ({len(data)} bytes)") from None
    if len(out) > limit:
        raise _reject(f"decompresses to more than {limit} bytes")
    if not inflater.eof:
        raise _reject(f"truncated gzip ({len(data)} bytes)")
    return out


def _text(raw: bytes) -> str:
    """Newer QRs carry UTF-8 (Devanagari, Tamil …); older ones ISO-8859-1, which never fails."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("iso-8859-1")
    return decoded.strip()


def _split_fields(body: bytes, count: int) -> tuple[list[bytes], int] | None:
    """The first ``count`` 0xFF-ended fields of ``body`` and the offset after them.

    Only the text region is split: the photo and the signature contain 0xFF bytes too, so a
    plain ``split`` would cut them into false fields.
    """
    found: list[bytes] = []
    pos = 0
    for _ in range(count):
        end = body.find(DELIMITER, pos)
        if end < 0:
            return None
        found.append(body[pos:end])
        pos = end + 1
    return found, pos


def _parse_dob(raw: str) -> tuple[date | None, int | None]:
    """DD-MM-YYYY as specified; DD/MM/YYYY, YYYY-MM-DD and a bare YYYY are also seen."""
    day = month = year = None
    if m := _DMY_RE.match(raw):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _YMD_RE.match(raw):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif _YEAR_RE.match(raw):
        year = int(raw)
        # A year alone is not a date: inventing 1 January would be printed as a fact.
        return None, (year if 1900 <= year <= 2100 else None)
    if year is None or month is None or day is None:
        return None, None
    try:
        return date(year, month, day), year
    except ValueError:
        return None, None


def _parse_care_of(raw: str) -> tuple[str | None, str]:
    if m := _CARE_OF_RE.match(raw):
        return _RELATIONS[m[1].lower()], m[2].strip()
    return None, raw


def _as_certificates(trusted: Iterable[TrustedCert]) -> list[x509.Certificate]:
    """Parse PEM (one or a bundle) or DER bytes; skip what cannot be parsed, with a warning.

    A broken trust file is a configuration fault, not the citizen's: it must not turn a good
    card into "this is not an Aadhaar QR", so it only costs the "verified" status.
    """
    certs: list[x509.Certificate] = []
    for item in trusted:
        if isinstance(item, x509.Certificate):
            certs.append(item)
            continue
        if not isinstance(item, bytes | bytearray | str):
            log.warning("aadhaar qr: a trusted certificate of type %s ignored",
                        type(item).__name__)
            continue
        blob = item.encode("utf-8", "replace") if isinstance(item, str) else bytes(item)
        try:
            if b"-----BEGIN" in blob:
                certs.extend(x509.load_pem_x509_certificates(blob))
            else:
                certs.append(x509.load_der_x509_certificate(blob))
        except ValueError:
            log.warning("aadhaar qr: a trusted certificate (%d bytes) could not be parsed",
                        len(blob))
    return certs


def load_trusted_certificates(paths: str | Path | Iterable[str | Path]) -> list[x509.Certificate]:
    """Read the configured UIDAI certificate file(s) (PEM, possibly several, or DER).

    UIDAI rotates its signing certificate and cards signed with an older one stay in use, so
    a PEM file may hold several certificates. A missing or unreadable file is logged and
    skipped: the kiosk then reports ``no_trusted_certificate`` instead of failing.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    blobs: list[bytes] = []
    for p in items:
        if not str(p):
            continue
        try:
            blobs.append(Path(p).read_bytes())
        except OSError as exc:
            log.warning("aadhaar qr: trusted certificate %s unreadable (%s)", p,
                        type(exc).__name__)
    return _as_certificates(blobs)


def _verify(signed: bytes, signature: bytes,
            trusted: Sequence[TrustedCert] | TrustedCert | None) -> SignatureStatus:
    if trusted is None:
        return "no_trusted_certificate"
    # bytes and str are themselves Sequences: one certificate passed bare must not be iterated.
    items: Sequence[TrustedCert] = (
        [trusted] if isinstance(trusted, bytes | bytearray | str | x509.Certificate)
        else trusted)
    rsa_keys: list[rsa.RSAPublicKey] = []
    for cert in _as_certificates(items):
        try:
            key = cert.public_key()
        except Exception:  # an algorithm this build of cryptography does not know
            continue
        if isinstance(key, rsa.RSAPublicKey):
            rsa_keys.append(key)
    if not rsa_keys:
        return "no_trusted_certificate"
    for key in rsa_keys:
        # Validity dates are not checked on purpose: a card printed years ago was signed with
        # the certificate valid then, and a kiosk's clock is not a trust anchor anyway.
        try:
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            continue
        return "verified"
    return "not_verified"


def _decode(text: str, trusted: Sequence[TrustedCert] | TrustedCert | None) -> AadhaarQrData:
    data = _gunzip_capped(_decimal_to_bytes(text))
    if len(data) <= SIGNATURE_BYTES:
        raise _reject(f"too short for a signature ({len(data)} bytes)")
    signed, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]

    first = _split_fields(signed, 1)
    if first is None:
        raise _reject("no fields")
    head = _text(first[0][0])
    versioned = bool(_VERSION_RE.match(head))
    wanted = len(_COMMON_FIELDS) + (2 if versioned else 1)
    split = _split_fields(signed, wanted)
    if split is None:
        raise _reject(f"too few fields ({signed.count(DELIMITER)} delimiters)")
    raw_fields, after = split
    values = [_text(b) for b in raw_fields]
    version = values.pop(0) if versioned else "V1"
    indicator = values.pop(0)
    if not (len(indicator) == 1 and indicator in "0123"):
        raise _reject("bad email/mobile indicator")
    fields = dict(zip(_COMMON_FIELDS, values, strict=True))

    # Only the first four digits of the reference id (the Aadhaar's last four) leave here.
    last4 = fields.pop("reference_id")[:4]
    if not (len(last4) == 4 and last4.isascii() and last4.isdigit()):
        raise _reject("reference id does not start with four digits")

    mobile_last4: str | None = None
    if versioned:
        # V2/V3 add the mobile's last four digits after VTC. Be tolerant of a QR without it:
        # then the photo starts here, and binary data is never up to four ASCII digits.
        nxt = _split_fields(signed[after:], 1)
        if nxt is not None:
            candidate = nxt[0][0]
            if len(candidate) <= 4 and candidate.isascii() and candidate.isdigit():
                mobile_last4 = candidate.decode("ascii")
    # The photo (between ``after`` and the signature) is never sliced out or returned.
    status = _verify(signed, signature, trusted)

    dob, year = _parse_dob(fields["dob"])
    relation, relative = _parse_care_of(fields["care_of"])
    address = {
        "house": fields["house"],
        "street": fields["street"],
        "landmark": fields["landmark"],
        "locality": fields["location"],
        "village": fields["vtc"],
        "post_office": fields["post_office"],
        "tehsil": fields["sub_district"],
        "district": fields["district"],
        "state": fields["state"],
        "pin": fields["pin"],
    }
    ind = int(indicator)
    result = AadhaarQrData(
        version=version,
        signature=status,
        aadhaar_last4=last4,
        name=fields["name"],
        dob=dob,
        dob_raw=fields["dob"],
        year_of_birth=year,
        gender=_GENDERS.get(fields["gender"].lower()),
        care_of=fields["care_of"],
        care_of_relation=relation,
        care_of_name=relative,
        address=address,
        mobile_last4=mobile_last4,
        has_email=bool(ind & 1),
        has_mobile=bool(ind & 2),
    )
    log.info("aadhaar qr read: layout %s, %d text fields, signature %s",
             version, len(raw_fields), status)
    return result


def decode_secure_qr(text: str,
                     trusted_certs: Sequence[TrustedCert] | TrustedCert | None = None,
                     ) -> AadhaarQrData:
    """Decode a scanned Aadhaar Secure QR and check its signature.

    ``trusted_certs`` are the UIDAI certificate(s) as PEM/DER bytes or parsed certificates
    (see :func:`load_trusted_certificates`); with none, the status is
    ``no_trusted_certificate``. A bad signature does **not** stop the prefill — the fields
    are still returned with ``signature="not_verified"`` so the UI can say plainly that the
    data is unverified and the operator checks it against the card.

    Raises :class:`ValidationError` — and nothing else — for anything that is not a readable
    Secure QR.
    """
    try:
        return _decode(text, trusted_certs)
    except ValidationError as exc:
        log.info("aadhaar qr rejected: %s", exc.detail)
        raise
    except Exception as exc:  # the contract is "ValidationError only"
        # A bug or an input we did not foresee: still the citizen's "type it instead" path.
        # Only the type is logged: an exception's text could quote the scanned data.
        log.error("aadhaar qr: unexpected %s while decoding", type(exc).__name__)
        raise _reject(f"unexpected {type(exc).__name__}") from None
