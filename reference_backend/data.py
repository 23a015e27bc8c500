"""Reference data the reference backend serves until someone publishes newer documents.

The catalogue follows the public MP Public Services Guarantee Act facts in the project's domain
notes; values marked there as approximations stay approximations here. The issuer key is a
sample Ed25519 public key (not a real officer's key) so verification code has something to pin.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reference_backend.issuer import DEMO_KEY_ID, demo_public_key_b64

#: The starting catalogue is the one the kiosk ships (services, forms, fees, documents), read
#: as a data file: the reference backend imports nothing from ``kiosk``, but stands in for a
#: state server that would publish exactly this document.
CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "kiosk" / "catalogue" / "catalogue.json"
CATALOGUE: dict[str, Any] = json.loads(CATALOGUE_FILE.read_text("utf-8"))

HOLIDAYS: dict[str, Any] = {"holidays": [
    {"date": "2026-01-26", "district": "*", "name_hi": "गणतंत्र दिवस", "name_en": "Republic Day"},
    {"date": "2026-02-01", "district": "*", "name_hi": "संत रविदास जयंती",
     "name_en": "Sant Ravidas Jayanti"},
    {"date": "2026-08-15", "district": "*", "name_hi": "स्वतंत्रता दिवस",
     "name_en": "Independence Day"},
    {"date": "2026-10-02", "district": "*", "name_hi": "गांधी जयंती", "name_en": "Gandhi Jayanti"},
]}

FEES: dict[str, Any] = {"fees": [
    {"code": "*", "item": "processing", "amount_paise": 2000},
    {"code": "*", "item": "copy", "amount_paise": 500},
    {"code": "*", "item": "speed-post", "amount_paise": 1500},
    {"code": "KHA", "item": "extra-page", "amount_paise": 1500},
]}

#: The DEMO issuer key of ``reference_backend/issuer.py`` (its private seed is public: a demo
#: for the embedded backend and tests, never to be pinned by a production kiosk). No
#: ``valid_to``: a demo must not start failing on a date; real keys carry their window.
ISSUER_KEYS: dict[str, Any] = {"keys": [
    {"key_id": DEMO_KEY_ID, "algorithm": "Ed25519", "public_key": demo_public_key_b64(),
     "valid_from": "2026-01-01", "valid_to": None, "revoked": False},
]}

#: Cancelled certificates; one sample entry so a fresh kiosk has a "revoked" case to show.
REVOCATIONS: dict[str, Any] = {"revoked": [
    {"certificate_no": "INC-2026-000000", "revoked_at": "2026-01-15T11:00:00+05:30",
     "reason": "sample: issued in error"},
]}

DEFAULT_DOCUMENTS: dict[str, dict[str, Any]] = {
    "catalogue": CATALOGUE, "holidays": HOLIDAYS, "fees": FEES, "issuer-keys": ISSUER_KEYS,
    "revocations": REVOCATIONS}
