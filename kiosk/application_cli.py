"""``kiosk application template|submit``: applications from data files, for scripts and operators.

``submit`` goes through :class:`~kiosk.applications.ApplicationService` exactly like the touch
screen, so a centre's bulk-entry script gets the same validation, numbering and outbox entry.
A data file is either the template's shape (``{"service", "lang", "answers", ...}``) or a flat
object of answers.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kiosk.applications import ApplicationService
from kiosk.catalogue import Catalogue, FieldDef, Service
from kiosk.errors import ValidationError
from kiosk.i18n import N_
from kiosk.i18n.formatting import format_date, format_paise

MSG_BAD_FILE = N_("The data file could not be read as JSON.")
MSG_FILE_TOO_BIG = N_("The data file is too large.")
MAX_DATA_FILE = 256 * 1024

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
    try:
        if path.stat().st_size > MAX_DATA_FILE:
            raise ValidationError(f"{path}: larger than {MAX_DATA_FILE} bytes",
                                  message=MSG_FILE_TOO_BIG)
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path}: {exc}", message=MSG_BAD_FILE) from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: top level is not an object", message=MSG_BAD_FILE)
    return data


def submit_from_file(service_code: str, path: Path, lang: str,
                     applications: ApplicationService) -> dict[str, Any]:
    """Submit one application from a data file; the JSON answer for stdout.

    Raises :class:`InvalidApplicationError` (per-field errors) or :class:`ValidationError`.
    """
    data = read_data_file(path)
    given = data.get("answers")
    answers: dict[str, Any] = given if isinstance(given, dict) else data
    listed = data.get("documents_shown")
    docs: list[Any] = listed if isinstance(listed, list) else []
    delivery = str(data.get("delivery") or "centre")
    payment = str(data.get("payment") or "cash")
    app = applications.submit(service_code, answers, lang=lang,
                              documents_shown=[str(d) for d in docs], delivery=delivery,
                              payment_method=payment)
    svc = applications.service(service_code)
    return {"application_no": app.application_no, "service": svc.code,
            "service_name": svc.name.get(lang), "due_date": app.due_date.isoformat(),
            "due_date_text": format_date(app.due_date, lang, "long"),
            "fee_paise": app.fee_paise, "fee": format_paise(app.fee_paise, lang),
            "payment": app.payment.status if app.payment else "none",
            "submitted_at": app.submitted_at.isoformat()}
