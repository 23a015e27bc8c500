"""``kiosk preview receipt``: a sample acknowledgement (पावती) as ESC/POS bytes and a PNG.

The sample is a real application: it is validated and stored by
:class:`~kiosk.applications.ApplicationService` in a throw-away database, so the preview shows
exactly what a citizen would get (numbering, due date, fee lines), not a hand-made look-alike.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.application_cli import template
from kiosk.applications import Application, ApplicationService
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.documents.acknowledgement import build_acknowledgement
from kiosk.printing.preview import preview_document, preview_profile
from kiosk.store import Store

SAMPLE_SERVICE = "INC"
#: A Monday afternoon, after the same-day window: the due date then shows the working-day rule
#: at work (Tuesday 24 November 2026 is Guru Nanak Jayanti, a holiday).
SAMPLE_TIME = datetime(2026, 11, 23, 15, 20)


def sample_application(config: Config, lang: str, store: Store, *,
                       service: str = SAMPLE_SERVICE, paid_utr: str | None = "633412345678",
                       when: datetime | None = None) -> Application:
    """A stored sample application (income certificate, Aadhaar ending 0124, paid by UPI)."""
    tz = ZoneInfo(config.timezone)
    at = (when or SAMPLE_TIME).replace(tzinfo=tz)
    apps = ApplicationService(store, config, catalogue=packaged_catalogue, clock=lambda: at)
    data = template(packaged_catalogue(), apps.service(service), at.date(), lang)
    answers = {**data["answers"], "aadhaar": "234567890124"}
    shown = data["documents_shown"][:1]
    app = apps.submit(service, answers, lang=lang, documents_shown=shown, delivery="post",
                      payment_method="upi", submission_id=f"sample-{service}-{lang}")
    if paid_utr and app.payment is not None:
        upi = apps.start_upi(app.application_no)
        apps.mark_paid(upi.tr, paid_utr)
    result = apps.get(app.application_no)
    assert result is not None
    return result


def preview_receipt(lang: str, paper_mm: int, escpos_path: Path | None, png_path: Path | None,
                    config: Config, *, warm: bool = False) -> dict[str, Any]:
    """Back-end of ``kiosk preview receipt``: the sample acknowledgement, bytes + PNG."""
    profile = preview_profile(config, paper_mm)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "sample.sqlite3") as store:
        app = sample_application(config, lang, store)
        doc = build_acknowledgement(app, packaged_catalogue(), config, lang)
    result = preview_document(doc, profile, escpos_path, png_path, warm=warm)
    result.update(lang=lang, application_no=app.application_no)
    return result
