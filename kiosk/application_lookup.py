"""What the status and verify screens read from this kiosk's records.

Why a module of its own: a status look-up needs more than the application (when the central
server last confirmed its status, whether it has been uploaded yet, the catalogue's name for
the service and the helpline), and a certificate check needs the synced issuer keys and
revocation list. Screens call these functions on a worker thread; the SQL stays here, next to
the schema it depends on.

Proof of possession: application numbers are a daily sequence with a computable check
character, so anyone can type a neighbour's. The details and a reprint are shown only after
:meth:`ApplicationLookup.prove` accepts the secret from the acknowledgement's QR or the last
four digits of the registered mobile. Wrong proofs are counted per kiosk in SQLite (a restart
does not reset them): :data:`PROOF_LIMIT` wrong within :data:`PROOF_WINDOW` lock the mobile
digits until the oldest of them is older than the window. The QR secret (80 random bits) cannot
be guessed, so a citizen holding their slip is never locked out.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiosk.applications import OUTBOX_KIND, Application, ApplicationService
from kiosk.catalogue import Catalogue, Service
from kiosk.masking import mobile_last4

#: Wrong proofs within :data:`PROOF_WINDOW` after which mobile digits are refused for a while.
PROOF_LIMIT = 5
PROOF_WINDOW = timedelta(minutes=15)
#: Failures kept (only the newest PROOF_LIMIT matter; the rest is history for an audit).
PROOF_HISTORY = 1000

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


@dataclass(frozen=True)
class ProofResult:
    """The answer to one proof: accepted, or refused (wrong, or refused unchecked while the
    kiosk cools off: ``locked_for_s`` seconds to wait)."""

    ok: bool
    locked_for_s: int = 0
    #: Wrong proofs still allowed before the cooling-off period starts.
    tries_left: int = PROOF_LIMIT


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

    # -- proof of possession -------------------------------------------------------------
    def _locked_for(self, now: datetime) -> int:
        """Seconds until mobile digits may be tried again (0: not locked)."""
        rows = self.applications.store.conn.execute(
            "SELECT failed_at FROM status_proof_failures ORDER BY id DESC LIMIT ?",
            (PROOF_LIMIT,)).fetchall()
        if len(rows) < PROOF_LIMIT:
            return 0
        oldest = datetime.fromisoformat(rows[-1][0])
        left = (oldest + PROOF_WINDOW - now).total_seconds()
        return max(0, int(left + 0.999))

    def _tries_left(self, now: datetime) -> int:
        since = (now - PROOF_WINDOW).isoformat()
        recent = self.applications.store.conn.execute(
            "SELECT COUNT(*) FROM (SELECT failed_at FROM status_proof_failures "
            "ORDER BY id DESC LIMIT ?) WHERE failed_at > ?", (PROOF_LIMIT, since)).fetchone()[0]
        return max(0, PROOF_LIMIT - int(recent))

    def locked_for(self) -> int:
        """Seconds this kiosk still refuses mobile digits (0: not cooling off)."""
        return self._locked_for(self.applications.now())

    def prove(self, application_no: str, *, secret: str | None = None,
              mobile_digits: str | None = None) -> ProofResult:
        """Whether ``secret`` (from the acknowledgement's QR) or ``mobile_digits`` (the last
        four of the registered mobile) prove possession of ``application_no``.

        A wrong proof is recorded before the answer is returned; mobile digits are refused
        unchecked while :meth:`locked_for` is not 0.
        """
        apps = self.applications
        now = apps.now()
        with apps.store.transaction() as conn:
            if secret is None:
                locked = self._locked_for(now)
                if locked:
                    return ProofResult(False, locked, 0)
            row = conn.execute("SELECT proof_secret, answers FROM applications WHERE "
                               "application_no = ?", (application_no,)).fetchone()
            ok = False
            if row is not None and secret is not None and row[0]:
                ok = hmac.compare_digest(str(row[0]).encode(), secret.upper().encode())
            elif row is not None and mobile_digits is not None:
                mobile = str(json.loads(row[1]).get("mobile") or "")
                expected = mobile_last4(mobile)
                given = mobile_digits.strip()
                ok = bool(expected) and len(given) == 4 and hmac.compare_digest(
                    expected.encode(), given.encode())
            if ok:
                return ProofResult(True)
            conn.execute("INSERT INTO status_proof_failures (failed_at) VALUES (?)",
                         (now.isoformat(),))
            conn.execute("DELETE FROM status_proof_failures WHERE id <= "
                         "(SELECT MAX(id) FROM status_proof_failures) - ?", (PROOF_HISTORY,))
            return ProofResult(False, self._locked_for(now), self._tries_left(now))

    def verify_certificate(self, text: str) -> tuple[Verification, Catalogue]:
        """A certificate QR checked offline against the synced keys and revocations, with the
        catalogue that names its type (the cryptography stack is imported only here)."""
        from kiosk.certificates import load_trust

        trust = load_trust(self.applications.store.conn)
        return trust.verify(text), self.applications.catalogue()


__all__ = ["PROOF_LIMIT", "PROOF_WINDOW", "ApplicationLookup", "LocalStatus", "ProofResult"]
