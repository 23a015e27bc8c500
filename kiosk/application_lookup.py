"""What the status and verify screens read from this kiosk's records.

Why a module of its own: a status look-up needs more than the application (when the central
server last confirmed its status, whether it has been uploaded yet, the catalogue's name for
the service and the helpline), and a certificate check needs the synced issuer keys and
revocation list. Screens call these functions on a worker thread; the SQL stays here, next to
the schema it depends on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.applications import OUTBOX_KIND, Application, ApplicationService
from kiosk.catalogue import Catalogue, Service

if TYPE_CHECKING:
    from kiosk.certificates import Verification


@dataclass(frozen=True)
class LocalStatus:
    """One application as this kiosk knows it."""

    app: Application
    service: Service | None
    #: When the central server last told us its status (ISO time), or None.
    checked_at: str | None
    #: Its ``application.submitted`` outbox entry has been delivered (or was never queued).
    uploaded: bool
    helpline: str


class ApplicationLookup:
    """Local reads for the status screen (any thread; each uses its own connection)."""

    def __init__(self, applications: ApplicationService) -> None:
        self.applications = applications

    def find(self, text: str) -> LocalStatus | None:
        """The application numbered ``text`` (typed or scanned), or None if it is not here.

        Raises :class:`~kiosk.errors.ValidationError` when the check character is wrong.
        """
        apps = self.applications
        app = apps.lookup(text)
        if app is None:
            return None
        conn = apps.store.conn
        row = conn.execute("SELECT status_checked_at FROM applications WHERE "
                           "application_no = ?", (app.application_no,)).fetchone()
        sent = conn.execute("SELECT state FROM outbox WHERE kind = ? AND record_id = ?",
                            (OUTBOX_KIND, app.application_no)).fetchone()
        catalogue = apps.catalogue()
        return LocalStatus(app, catalogue.get(app.service_code), row[0] if row else None,
                           sent is None or sent[0] == "done", catalogue.helpline)

    def verify_certificate(self, text: str) -> tuple[Verification, Catalogue]:
        """A certificate QR checked offline against the synced keys and revocations, with the
        catalogue that names its type (the cryptography stack is imported only here)."""
        from kiosk.certificates import load_trust

        trust = load_trust(self.applications.store.conn)
        return trust.verify(text), self.applications.catalogue()


__all__ = ["ApplicationLookup", "LocalStatus"]
