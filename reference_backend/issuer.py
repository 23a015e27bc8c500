"""The reference backend's certificate signer — with a DEMO key that anyone can read.

!! DEMO ONLY !!  ``DEMO_SEED`` is a fixed, published 32-byte seed, so every copy of this
repository can forge certificates under ``DEMO_KEY_ID``. It exists so that the embedded backend,
the tests and ``kiosk preview certificate`` produce certificates that really verify. A real
issuing office keeps its Ed25519 private key in an HSM/eSign service and publishes only the
public key in the ``issuer-keys`` reference document; a production kiosk must never pin
``DEMO_KEY_ID``.

Why this module re-implements the QR format instead of importing ``kiosk.certificates``: the
reference backend is deliberately independent of the kiosk (it stands in for the state's
backend, which shares only the contract). Two implementations of the same format, one signing
and one verifying, are exactly what the issuing tests exercise. The format (``openapi.yaml``,
schema ``Certificate``): ``<verify URL>#SC1.<payload>.<signature>``, payload = canonical JSON
(sorted keys, no spaces, UTF-8) of ``{"a": application no., "d": issue date, "h": holder,
"k": key id, "n": certificate no., "t": type, "v": 1, "x": {details}}``, both parts base64url
without padding, signature = Ed25519 over the payload bytes.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

#: DEMO signing key seed: public on purpose (see the module docstring). Never a real key.
DEMO_SEED: Final = b"SEVA KIOSK DEMO KEY: NOT SECRET!"
DEMO_KEY_ID: Final = "mp-rev-demo-1"
VERIFY_BASE_URL: Final = "https://verify.lsk.mp.gov.in/c"
PREFIX: Final = "SC1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def demo_private_key() -> Ed25519PrivateKey:
    """The demo signing key (deterministic from :data:`DEMO_SEED`)."""
    return Ed25519PrivateKey.from_private_bytes(DEMO_SEED)


def demo_public_key_b64() -> str:
    """The demo public key as the ``issuer-keys`` document carries it (raw 32 bytes, b64url)."""
    raw = demo_private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b64url(raw)


def certificate_payload(certificate_no: str, cert_type: str, holder: str, issued_on: date,
                        application_no: str, key_id: str,
                        details: dict[str, str] | None = None) -> bytes:
    """The canonical signed bytes (one-letter keys keep the receipt QR small)."""
    obj: dict[str, Any] = {"v": 1, "n": certificate_no, "t": cert_type, "h": holder,
                           "d": issued_on.isoformat(), "k": key_id, "a": application_no}
    if details:
        obj["x"] = {str(k): str(v) for k, v in details.items()}
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sign(payload: bytes, key: Ed25519PrivateKey | None = None) -> tuple[str, str]:
    """(payload, signature), both base64url without padding, as the ``Certificate`` schema."""
    key = key or demo_private_key()
    return b64url(payload), b64url(key.sign(payload))


def qr_text(payload_b64: str, signature_b64: str, base_url: str = VERIFY_BASE_URL) -> str:
    """What the printed QR holds: the online-check URL whose fragment carries the proof."""
    return f"{base_url}#{PREFIX}.{payload_b64}.{signature_b64}"
