"""Sample states for the status and verify screens (``kiosk screenshot status_found …``).

Driven through the real view-model like every other screenshot: a sample application is
submitted to the throw-away database, certificates are signed with the reference backend's
DEMO key (pinned, with a revocation list, as a sync would leave them), and the QR texts are
"scanned" through the kiosk's :class:`~kiosk.ui.viewmodels.scans.ScanRouter`. The central server
is a canned stand-in, so a screenshot never needs the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kiosk.applications import Application, status_qr_payload
from kiosk.ui.pump import pump

if TYPE_CHECKING:
    from backend_client import ApplicationStatus
    from kiosk.ui.app import KioskUi

#: Screens this module drives (also listed in ``kiosk.ui.screenshot.SCREENS``).
LOOKUP_SCREENS: tuple[str, ...] = (
    "status", "status_found", "status_masked", "status_not_found",
    "verify", "verify_valid", "verify_invalid", "verify_revoked", "verify_unknown_issuer",
)

#: A citizen's answers for an income certificate (INC) that pass the form's rules.
SAMPLE_ANSWERS: dict[str, str] = {
    "name_hi": "सुनीता देवी", "name_en": "Sunita Devi", "relation": "husband",
    "relative_name": "Ramesh Kumar", "dob": "15-08-1985", "gender": "female",
    "mobile": "9876543210", "village": "Kolar", "tehsil": "Huzur", "district": "Bhopal",
    "pin": "462001", "annual_income": "120000", "income_source": "agriculture",
    "family_members": "4", "purpose": "education",
}
#: A key id no kiosk pins: a certificate "from another state's office".
UNKNOWN_KEY_ID = "up-lko-2026-1"
UNKNOWN_SEED = b"SAMPLE KEY OF AN UNKNOWN OFFICE!"
REVOKED_REASON = "Issued on a forged income declaration"


@dataclass(frozen=True)
class CannedServer:
    """A central server that answers every status look-up with one status (screenshots)."""

    status: str = "approved"
    remarks: str | None = None

    def application_status(self, application_no: str) -> ApplicationStatus:
        from backend_client import ApplicationStatus

        return ApplicationStatus(application_no, "INC", self.status, "2026-11-22T10:00:00Z",
                                 None, self.remarks)


def submit_sample(kiosk: KioskUi, lang: str, *, paid: bool = True) -> Application:
    """An income-certificate application, stored as the wizard would (cash paid at counter)."""
    apps = kiosk.applications
    app = apps.submit("INC", SAMPLE_ANSWERS, lang=lang, documents_shown=["aadhaar"],
                      payment_method="cash")
    if paid:
        apps.confirm_cash(app.application_no, "R-2041")
    found = apps.get(app.application_no)
    assert found is not None
    return found


def pin_demo_trust(kiosk: KioskUi, revoked: dict[str, str] | None = None) -> None:
    """Pin the DEMO issuer key and a revocation list in the kiosk's store, as a sync does."""
    from backend_client import ReferenceDocument
    from kiosk.sync.reference import apply_document
    from reference_backend import issuer

    keys = {"keys": [{"key_id": issuer.DEMO_KEY_ID, "algorithm": "Ed25519",
                      "public_key": issuer.demo_public_key_b64(), "valid_from": "2024-01-01",
                      "valid_to": None}]}
    listed = [{"certificate_no": no, "revoked_at": "2026-11-20T06:30:00Z", "reason": reason}
              for no, reason in (revoked or {}).items()]
    apply_document(kiosk.store, ReferenceDocument("issuer-keys", "1", '"k1"', keys))
    apply_document(kiosk.store, ReferenceDocument("revocations", "1", '"r1"',
                                                  {"revoked": listed}))


def sample_certificate(number: str = "INC-2026-000412", *, unknown_issuer: bool = False,
                       issued_on: date | None = None) -> str:
    """A signed income certificate's QR text (DEMO key, or an office the kiosk doesn't know)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.certificates import CertificateFields, sign_certificate
    from reference_backend import issuer

    fields = CertificateFields(number, "INC", "Sunita Devi",
                               issued_on or date.today() - timedelta(days=3),
                               "MP-BPL-HZR-20261118-0007-2",
                               {"income": "120000"})
    if unknown_issuer:
        return sign_certificate(fields, Ed25519PrivateKey.from_private_bytes(UNKNOWN_SEED),
                                UNKNOWN_KEY_ID)
    return sign_certificate(fields, issuer.demo_private_key(), issuer.DEMO_KEY_ID)


def tampered(qr_text: str) -> str:
    """The same QR text with the holder's name changed and the signature kept: a forgery."""
    import json

    from kiosk.certificates import b64url_decode, b64url_encode, canonical_json

    head, token = qr_text.rsplit("#", 1)
    prefix, payload, signature = token.split(".")
    obj = json.loads(b64url_decode(payload))
    obj["h"] = "Someone Else"
    return f"{head}#{prefix}.{b64url_encode(canonical_json(obj))}.{signature}"



def drive_lookup(kiosk: KioskUi, name: str, lang: str) -> None:
    """Tap through to ``name`` (one of :data:`LOOKUP_SCREENS`) as a citizen would."""
    if name not in LOOKUP_SCREENS:
        raise ValueError(f"unknown screen {name!r}; one of: {', '.join(LOOKUP_SCREENS)}")
    session, lookup = kiosk.session, kiosk.lookup
    session.setLanguage(lang)
    session.start()
    session.chooseLanguage(lang)
    if name.startswith("status"):
        session.openService("status")
        if name == "status_found":
            app = submit_sample(kiosk, lang)
            lookup.status.set_status_client(CannedServer("approved"))
            # the slip's QR (with its secret): proven, every detail shows
            kiosk.scans.inject(status_qr_payload(app.application_no, app.proof_secret))
            pump(lambda: lookup.status.property("source") == "online")
        elif name == "status_masked":
            # a typed number proves nothing: the status and a masked name until proof
            app = submit_sample(kiosk, lang)
            lookup.status.set_status_client(CannedServer("in_process"))
            lookup.status.search(app.application_no)
            pump(lambda: lookup.status.property("source") == "online")
        elif name == "status_not_found":
            lookup.status.search("MP-BPL-HZR-20261101-0042-" + _check("MP-BPL-HZR-20261101-0042"))
            pump(lambda: lookup.status.property("statusState") == "not_found")
        return
    session.openService("verify")
    if name == "verify":
        return
    revoked_no = "INC-2026-000377"
    pin_demo_trust(kiosk, {revoked_no: REVOKED_REASON})
    text = {"verify_valid": lambda: sample_certificate(),
            "verify_invalid": lambda: tampered(sample_certificate()),
            "verify_revoked": lambda: sample_certificate(revoked_no),
            "verify_unknown_issuer": lambda: sample_certificate(unknown_issuer=True)}[name]()
    kiosk.scans.inject(text)
    pump(lambda: lookup.verify.property("verifyState") == "done")


def _check(body: str) -> str:
    from kiosk.applications import check_character

    return check_character(body)
