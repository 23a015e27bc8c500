"""A supervisor's approval at a counter: who approves a void, a refund or a day-end difference.

Why a separate check and not a second log-in: the supervisor walks to the operator's counter
and proves who they are there (staff card or operator id, and PIN) for one action; the
operator's session stays open. The approval goes through the same PIN check and lock-out as a
log-in (:func:`kiosk.centre.operators.attempt_login`), so a wrong PIN here counts towards the
same lock-out, and it must be a *supervisor*: an operator cannot approve their own void.

Like :mod:`kiosk.centre.operators`, this takes the caller's connection inside its
``BEGIN IMMEDIATE``; the attempt's audit entry (``supervisor.approved`` or
``supervisor.refused``) is appended there, with the action it was asked to approve. A refused
attempt must still be committed (its effect on the lock-out): callers raise the returned
error *after* the transaction block, as :meth:`CentreService.login` does.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from kiosk.centre import audit, operators
from kiosk.centre.errors import CentreError, ForbiddenError, UnauthorizedError, from_kiosk_error
from kiosk.i18n import N_

MSG_NOT_SUPERVISOR = N_("Only a supervisor can approve this. Please ask your supervisor.")
MSG_OWN_APPROVAL = N_("A supervisor cannot approve their own action. Please ask another "
                      "supervisor.")


@dataclass(frozen=True)
class Approval:
    """The outcome: ``supervisor`` when approved, else ``error`` to raise after the commit."""

    supervisor: operators.Operator | None
    error: CentreError | None = None

    def result(self) -> operators.Operator:
        if self.error is not None:
            raise self.error
        assert self.supervisor is not None
        return self.supervisor


def approve(conn: sqlite3.Connection, *, pin: str, counter: str, action: str, now: datetime,
            operator_id: str | None = None, card_id: str | None = None,
            requested_by: str | None = None) -> Approval:
    """Check a supervisor's credential + PIN for ``action`` at ``counter``; audit the attempt.

    ``requested_by`` is the operator whose action needs approving: a supervisor may not
    approve their own (CENTRE.md: a second person sees the money).
    """
    attempt = operators.attempt_login(conn, pin=pin, operator_id=operator_id, card_id=card_id,
                                      counter=counter, now=now)
    detail = {**attempt.audit_detail(), "for": action}
    error: CentreError | None = None
    who = attempt.operator if attempt.ok else None
    if attempt.error is not None:
        error = from_kiosk_error(attempt.error, UnauthorizedError)
    elif who is not None and who.role != operators.Role.SUPERVISOR:
        error = ForbiddenError(f"{who.id} is {who.role}, not a supervisor",
                               code="not-supervisor", message=MSG_NOT_SUPERVISOR)
    elif who is not None and requested_by is not None and who.id == requested_by:
        error = ForbiddenError(f"{who.id} approving their own {action}",
                               code="own-approval", message=MSG_OWN_APPROVAL)
    audit.append(conn, action="supervisor.refused" if error else "supervisor.approved",
                 operator_id=attempt.operator_id, counter=str(counter), detail=detail, at=now)
    return Approval(None if error else who, error)
