"""Make Aadhaar Secure QR texts for tests, simulators and screenshots.

A real card cannot be used in a test (it is someone's identity) and UIDAI's private key is,
rightly, not available, so this builds the same byte layout as :mod:`kiosk.aadhaar_qr` reads
and signs it with a clearly labelled **test** authority. Only a kiosk configured to trust that
test certificate will call such a QR "verified"; a production kiosk trusts UIDAI's certificate
and reports these as ``not_verified``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.aadhaar_qr import DELIMITER

#: The JP2 signature box and a J2K start-of-codestream marker, then filler that contains
#: 0xFF bytes on purpose: a reader that splits the whole payload on 0xFF would break on it,
#: exactly as it would on a real photo. It is not a decodable image, and need not be.
FAKE_PHOTO: bytes = (b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\xff\x4f\xff\x51\x00\x2f"
                     + bytes(range(256)) * 3)

_DIGIT_CHUNK = 1_000


def int_to_decimal(value: int) -> str:
    """``str(value)`` without Python's 4,300-digit limit (real QRs are longer)."""
    if value < 0:
        raise ValueError("negative")
    chunks: list[str] = []
    base = 10 ** _DIGIT_CHUNK
    while value >= base:
        value, low = divmod(value, base)
        chunks.append(str(low).zfill(_DIGIT_CHUNK))
    chunks.append(str(value))
    return "".join(reversed(chunks))


def bytes_to_qr_text(payload: bytes, *, compress: bool = True) -> str:
    """Gzip ``payload`` (unless told not to) and write the bytes as one decimal number.

    Exposed separately so tests can corrupt the decompressed bytes and still produce a valid
    gzip stream (a flipped bit in the compressed data would only test zlib's CRC).
    """
    blob = gzip.compress(payload, mtime=0) if compress else payload
    return int_to_decimal(int.from_bytes(blob, "big"))


def build_payload(*, reference_id: str, name: str, dob: str, gender: str,
                  private_key: rsa.RSAPrivateKey, care_of: str = "", district: str = "",
                  landmark: str = "", house: str = "", location: str = "", pin: str = "",
                  post_office: str = "", state: str = "", street: str = "",
                  sub_district: str = "", vtc: str = "", mobile_last4: str = "",
                  email: str | None = None, mobile: str | None = None,
                  version: str | None = "V2", photo: bytes = FAKE_PHOTO,
                  encoding: str = "utf-8") -> bytes:
    """The signed, uncompressed Secure QR bytes.

    ``version=None`` gives the older layout (no version field, no mobile digits, and the
    email/mobile SHA-256 hashes before the signature); ``"V2"``/``"V3"`` the newer one.
    ``encoding="iso-8859-1"`` mimics older QRs (Latin text only).
    """
    indicator = (1 if email else 0) | (2 if mobile else 0)
    texts = [str(indicator), reference_id, name, dob, gender, care_of, district, landmark,
             house, location, pin, post_office, state, street, sub_district, vtc]
    if version:
        texts = [version, *texts, mobile_last4]
    delim = bytes([DELIMITER])
    body = b"".join(t.encode(encoding) + delim for t in texts) + photo
    if not version:
        # The older layout appends SHA-256 hashes of the email and mobile (UIDAI hashes a
        # value several times); one hash gives the same 32-byte shape here.
        if email:
            body += hashlib.sha256(email.encode()).digest()
        if mobile:
            body += hashlib.sha256(mobile.encode()).digest()
    signature = private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return body + signature


def build_secure_qr(*, reference_id: str, name: str, dob: str, gender: str,
                    private_key: rsa.RSAPrivateKey, care_of: str = "", district: str = "",
                    landmark: str = "", house: str = "", location: str = "", pin: str = "",
                    post_office: str = "", state: str = "", street: str = "",
                    sub_district: str = "", vtc: str = "", mobile_last4: str = "",
                    email: str | None = None, mobile: str | None = None,
                    version: str | None = "V2", photo: bytes = FAKE_PHOTO,
                    encoding: str = "utf-8") -> str:
    """A complete Secure QR text (what a scanner would send) — see :func:`build_payload`."""
    return bytes_to_qr_text(build_payload(
        reference_id=reference_id, name=name, dob=dob, gender=gender, private_key=private_key,
        care_of=care_of, district=district, landmark=landmark, house=house, location=location,
        pin=pin, post_office=post_office, state=state, street=street,
        sub_district=sub_district, vtc=vtc, mobile_last4=mobile_last4, email=email,
        mobile=mobile, version=version, photo=photo, encoding=encoding))


@functools.cache
def make_test_authority(label: str = "default") -> tuple[rsa.RSAPrivateKey, bytes]:
    """A TEST signing key and its self-signed certificate (PEM), cached per ``label``.

    RSA-2048 key generation takes a noticeable fraction of a second, so one key per label
    per process; use a second label for "another authority" in tests. The certificate's
    names say TEST so it is never mistaken for UIDAI's.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME,
                           f"TEST Aadhaar QR signer ({label}) - NOT UIDAI"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Seva Kiosk test authority"),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM)
