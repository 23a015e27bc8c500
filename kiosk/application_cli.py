"""``kiosk application template|submit``: applications from data files, for scripts and operators.

``submit`` goes through :class:`~kiosk.applications.ApplicationService` exactly like the touch
screen, so a centre's bulk-entry script gets the same validation, numbering and outbox entry.
A data file is either the template's shape (``{"service", "lang", "answers", ...}``) or a flat
object of answers.

Submitting is idempotent: the submission id is ``--submission-id`` or, by default, a hash of the
service code and the file's content, so running the same command twice (a script retried after
a timeout, an operator unsure it worked) gives back the first application, not a second one
with a second fee.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.applications import ApplicationService
from kiosk.catalogue import Catalogue, FieldDef, Service
from kiosk.data_file import MSG_BAD_FILE, MSG_FILE_TOO_BIG, read_json_file
from kiosk.errors import ValidationError
from kiosk.i18n import N_
from kiosk.i18n.formatting import format_date, format_paise

__all__ = ["MSG_BAD_FILE", "MSG_FILE_TOO_BIG", "MAX_DATA_FILE", "read_data_file",
           "submit_from_file", "submission_id_for", "template"]

MAX_DATA_FILE = 256 * 1024
MSG_BAD_SUBMISSION_ID = N_("The submission id must be 1 to 64 letters, digits, dots, dashes "
                           "or underscores.")
SUBMISSION_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                "0123456789._-")

#: Example answers by field key: realistic enough that a template is a valid application.
EXAMPLES: dict[str, Any] = {
    "name_hi": "सीता देवी", "name_en": "Sita Devi", "relative_name": "रामप्रसाद शर्मा",
    "mobile": "9876543210", "aadhaar": "", "house": "12, Shivaji Nagar", "village": "Huzur",
    "tehsil": "Huzur", "district": "Bhopal", "pin": "462001", "samagra_id": "123456789",
    "caste_name": "Ahirwar", "relative_certificate_no": "", "land_village": "Bairagarh",
    "khasra_no": "245/2", "pages": 2, "area_hectare": "1.25", "child_name": "Anaya",
    "event_place": "Hamidia Hospital, Bhopal", "deceased_name": "Ramprasad Sharma",
    "spouse_name": "Mohan Sharma", "marriage_place": "Bhopal", "shop_name": "Sita General Store",
    "business_type": "Kirana", "employees": 2, "certificate_no": "BRT/2019/004512",
    "wrong_entry": "Sita Devii", "correct_entry": "Sita Devi", "annual_income": 84000,
    "family_members": 4, "years_resident": 20, "land_acres": "1.5", "house_sqft": 600,
}


def _example(f: FieldDef, today: date) -> Any:
    if f.key in EXAMPLES:
        return EXAMPLES[f.key]
    if f.kind == "choice":
        return f.options[0].value
    if f.kind == "date":
        back = timedelta(days=365 * 40) if f.key == "dob" else timedelta(days=10)
        return (today - back).strftime("%d-%m-%Y")
    if f.kind in ("number", "money"):
        return int(f.minimum or 1)
    if f.kind == "decimal":
        return str(f.minimum or 1)
    return "नमूना" if f.script == "deva" else "Sample"


def template(catalogue: Catalogue, service: Service, today: date, lang: str) -> dict[str, Any]:
    """A filled example data file for ``service`` (valid as it stands)."""
    answers = {f.key: _example(f, today) for f in catalogue.all_fields(service)}
    if service.code == "MRG":
        answers["gender"] = "female"
    return {
        "service": service.code,
        "lang": lang,
        "answers": answers,
        "documents_shown": [d.key for d in service.documents],
        "delivery": catalogue.delivery[0].value,
        "payment": "cash",
        "_help": {f.key: f.label.get(lang) for f in catalogue.all_fields(service)},
    }


def read_data_file(path: Path) -> dict[str, Any]:
    """The data file's object: a regular file of at most :data:`MAX_DATA_FILE` bytes."""
    data = read_json_file(path, MAX_DATA_FILE)
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: top level is not an object", message=MSG_BAD_FILE)
    return data


def submission_id_for(service_code: str, data: dict[str, Any]) -> str:
    """The default submission id: the same service and content give the same id (key order
    and whitespace in the file do not matter)."""
    canonical = json.dumps([service_code, data], sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return "file-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]


def submit_from_file(service_code: str, path: Path, lang: str,
                     applications: ApplicationService,
                     submission_id: str | None = None) -> dict[str, Any]:
    """Submit one application from a data file; the JSON answer for stdout.

    Raises :class:`InvalidApplicationError` (per-field errors) or :class:`ValidationError`.
    """
    if submission_id is not None and not (
            1 <= len(submission_id) <= 64 and set(submission_id) <= SUBMISSION_ID_CHARS):
        raise ValidationError(f"bad --submission-id {submission_id!r}",
                              message=MSG_BAD_SUBMISSION_ID)
    data = read_data_file(path)
    sub_id = submission_id or submission_id_for(service_code, data)
    given = data.get("answers")
    answers: dict[str, Any] = given if isinstance(given, dict) else data
    listed = data.get("documents_shown")
    docs: list[Any] = listed if isinstance(listed, list) else []
    delivery = str(data.get("delivery") or "centre")
    payment = str(data.get("payment") or "cash")
    app = applications.submit(service_code, answers, lang=lang,
                              documents_shown=[str(d) for d in docs], delivery=delivery,
                              payment_method=payment, submission_id=sub_id)
    svc = applications.service(service_code)
    return {"application_no": app.application_no, "submission_id": app.submission_id,
            "service": svc.code,
            "service_name": svc.name.get(lang), "due_date": app.due_date.isoformat(),
            "due_date_text": format_date(app.due_date, lang, "long"),
            "fee_paise": app.fee_paise, "fee": format_paise(app.fee_paise, lang),
            "payment": app.payment.status if app.payment else "none",
            "submitted_at": app.submitted_at.isoformat()}
