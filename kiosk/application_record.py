"""An :class:`~kiosk.applications.Application` as JSON and back: the one wire shape for it.

Why one module: a kiosk hands a copy of each application to its centre service (the desk must
find it and take its cash), and the centre answers the counter's look-up with the same shape,
from which the counter rebuilds the ``Application`` the acknowledgement builder prints. Keeping
both directions here means the kiosk's copy, the desk's look-up and the reprinted पावती cannot
drift apart. The shape holds personal data (names, mobile, address): it travels only on the
centre's LAN to enrolled devices and operator sessions, and is never logged.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk.applications import Application
from kiosk.fees import FeeBreakdown
from kiosk.payments import PaymentRecord

#: The top-level keys :func:`application_from_json` needs.
REQUIRED = ("application_no", "submission_id", "service_code", "lang", "submitted_at",
            "due_date", "answers", "documents_shown", "delivery", "fees", "status")


def payment_json(p: PaymentRecord | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"tr": p.tr, "method": p.method, "amount_paise": p.amount_paise,
            "status": p.status, "utr": p.utr, "cash_receipt_no": p.cash_receipt_no}


def application_json(app: Application) -> dict[str, Any]:
    """Everything an operator (and a reprinted acknowledgement) needs; no full Aadhaar exists."""
    return {"application_no": app.application_no, "submission_id": app.submission_id,
            "service_code": app.service_code, "lang": app.lang,
            "submitted_at": app.submitted_at.isoformat(), "due_date": app.due_date.isoformat(),
            "answers": dict(app.answers), "aadhaar_last4": app.aadhaar_last4,
            "documents_shown": list(app.documents_shown), "delivery": app.delivery,
            "fees": app.fees.to_json(), "fee_paise": app.fee_paise, "status": app.status,
            "payment": payment_json(app.payment), "proof_secret": app.proof_secret}


def application_from_json(d: dict[str, Any]) -> Application:
    """The inverse of :func:`application_json`; ``ValueError`` for a malformed record."""
    try:
        missing = [k for k in REQUIRED if k not in d]
        if missing:
            raise ValueError("record lacks " + ", ".join(missing))
        if not isinstance(d["answers"], dict) or not isinstance(d["documents_shown"], list):
            raise ValueError("answers must be an object and documents_shown a list")
        pay = d.get("payment")
        payment = None
        if isinstance(pay, dict):
            payment = PaymentRecord(str(pay["tr"]), str(d["application_no"]), str(pay["method"]),
                                    int(pay["amount_paise"]), str(pay["status"]),
                                    pay.get("utr"), pay.get("cash_receipt_no"), None)
        return Application(
            application_no=str(d["application_no"]), submission_id=str(d["submission_id"]),
            service_code=str(d["service_code"]), lang=str(d["lang"]),
            submitted_at=datetime.fromisoformat(str(d["submitted_at"])),
            due_date=date.fromisoformat(str(d["due_date"])), answers=dict(d["answers"]),
            aadhaar_last4=(str(d["aadhaar_last4"]) if d.get("aadhaar_last4") else None),
            documents_shown=tuple(str(x) for x in d["documents_shown"]),
            delivery=str(d["delivery"]), fees=FeeBreakdown.from_json(list(d["fees"])),
            status=str(d["status"]), payment=payment,
            proof_secret=(str(d["proof_secret"]) if d.get("proof_secret") else None))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not an application record: {exc}") from exc
