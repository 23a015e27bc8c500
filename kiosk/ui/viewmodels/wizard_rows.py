"""The lists the wizard's pages show, built from the catalogue and the answers (pure Python).

Each function turns core objects into the plain dicts a QML Repeater binds, in the citizen's
language with the other language beside it where the page shows both. The wizard calls them
once per change (it caches what QML reads many times per page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kiosk.catalogue import Catalogue, Service, Step
from kiosk.fees import FeeBreakdown
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_paise
from kiosk.ui.text import other_language
from kiosk.ui.viewmodels.fields import days_text, display_value
from kiosk.validation import FieldError, normalise

MSG_NO_FEE = N_("No fee")


def service_rows(services: Iterable[Service], lang: str) -> list[dict[str, Any]]:
    """The service list (search results) as tiles."""
    other = other_language(lang)
    return [{"code": s.code, "name": s.name.get(lang), "nameOther": s.name.get(other),
             "days": days_text(s, lang), "sameDay": s.same_day,
             "fee": (format_paise(s.centre_fee_paise, lang) if s.centre_fee_paise
                     else translate(MSG_NO_FEE, lang))}
            for s in services]


def document_rows(service: Service, have: set[str], lang: str) -> list[dict[str, Any]]:
    """The documents checklist; ``have`` are the ones the citizen ticked."""
    other = other_language(lang)
    return [{"key": d.key, "name": d.name.get(lang), "nameOther": d.name.get(other),
             "required": d.required, "have": d.key in have} for d in service.documents]


def missing_documents(service: Service, have: set[str], lang: str) -> list[str]:
    return [d.name.get(lang) for d in service.documents if d.key not in have]


def error_rows(errors: Mapping[str, FieldError], lang: str) -> dict[str, Any]:
    """Each field's error in both languages, keyed by field (shown under the field)."""
    other = other_language(lang)
    return {k: {"text": e.message(lang), "textOther": e.message(other)}
            for k, e in errors.items()}


def review_sections(steps: Iterable[Step], answers: Mapping[str, str],
                    lang: str) -> list[dict[str, Any]]:
    """Every step's answers as the review page lists them (blank optional ones left out)."""
    sections = []
    for step in steps:
        rows = [{"key": f.key, "label": f.label_for(answers).get(lang),
                 "value": display_value(f, answers.get(f.key, ""), lang)}
                for f in step.fields
                if f.required or normalise(answers.get(f.key, ""))]
        sections.append({"key": step.key, "title": step.title.get(lang), "rows": rows})
    return sections


def delivery_rows(catalogue: Catalogue, chosen: str, lang: str) -> list[dict[str, Any]]:
    """How the certificate can reach the citizen, with any extra fee."""
    return [{"value": d.value, "label": d.label.get(lang),
             "fee": ("+ " + format_paise(d.amount_paise, lang)) if d.amount_paise else "",
             "selected": d.value == chosen}
            for d in catalogue.delivery]


def fee_rows(fees: FeeBreakdown, lang: str) -> list[dict[str, str]]:
    return [{"label": ln.label.get(lang), "amount": format_paise(ln.amount_paise, lang)}
            for ln in fees.lines]


__all__ = ["MSG_NO_FEE", "delivery_rows", "document_rows", "error_rows", "fee_rows",
           "missing_documents", "review_sections", "service_rows"]
