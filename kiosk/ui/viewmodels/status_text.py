"""The status screen's wording: sentences for each status, payment and source (pure Python).

Kept apart from :mod:`.status` (the screen's state) so the sentences a citizen reads, and the
rule that reads a number typed without dashes as this centre's, are unit-testable without a
QML engine.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from kiosk.applications import Application
from kiosk.documents.acknowledgement import MSG_NO_FEE, MSG_PAID_CASH, MSG_PAID_UPI, MSG_PAY_CASH
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date, format_paise, format_time
from kiosk.payments import FAILED, PAID

# -- status texts ---------------------------------------------------------------------------

MSG_NOT_FOUND = N_("This application number was not found at this centre. Please check the "
                   "number, or ask at the counter.")
MSG_EMPTY = N_("Please type the application number first.")

STATUS_SENTENCES: dict[str, str] = {
    "submitted": N_("Your application has been received. Work on it will start soon."),
    "in_process": N_("Your application is being processed."),
    "awaiting_citizen": N_("Waiting for you: please bring the missing documents to the "
                           "counter."),
    "approved": N_("Approved — collect your certificate at the counter."),
    "rejected": N_("Rejected. Please ask at the counter for the reason."),
    "delivered": N_("Completed — your certificate has been given to you."),
}
MSG_REJECTED_REMARKS = N_("Rejected: {remarks}")
MSG_AWAITING_REMARKS = N_("Waiting for you: {remarks}")
MSG_OTHER_STATUS = N_("Current status: {status}")
#: The colour family of each status on screen (see StatusScreen.qml).
STATUS_TONES: dict[str, str] = {
    "submitted": "info", "in_process": "info", "awaiting_citizen": "wait",
    "approved": "good", "delivered": "good", "rejected": "bad"}
#: Statuses after which nothing more is owed to the citizen.
FINAL_STATUSES = frozenset({"approved", "rejected", "delivered"})
MSG_OVERDUE = N_("The guaranteed date has passed. You can complain on the CM Helpline "
                 "{number}.")

MSG_SOURCE_CHECKING = N_("Checking with the central server…")
MSG_SOURCE_ONLINE = N_("Status from the central server, checked just now.")
MSG_SOURCE_OFFLINE = N_("The central server cannot be reached right now. Showing this kiosk's "
                        "records.")
MSG_SOURCE_OFFLINE_CHECKED = N_("The central server cannot be reached right now. Showing this "
                                "kiosk's records (last checked {when}).")
MSG_SOURCE_NOT_SENT = N_("This application has not reached the central server yet; the kiosk "
                         "sends it automatically. Showing this kiosk's records.")
MSG_SOURCE_LOCAL = N_("Showing this kiosk's records.")
MSG_SOURCE_LOCAL_CHECKED = N_("Showing this kiosk's records (last checked {when}).")

MSG_PAID = N_("Paid")
MSG_UPI_PENDING = N_("UPI payment not confirmed yet. Please ask at the counter.")
MSG_PAY_FAILED = N_("The payment did not go through. Please pay at the counter.")

MSG_NO_PRINTER = N_("The printer could not print your slip. Please ask at the counter.")

# -- proof of possession (details and "print again" only for the slip's holder) -------------

MSG_PROOF_ASK = N_("To see the details or print the slip again, scan the code on your "
                   "acknowledgement, or type the last 4 digits of the mobile number you gave.")
MSG_PROOF_FORMAT = N_("Please type exactly 4 digits: the last 4 digits of your mobile number.")
MSG_PROOF_WRONG = N_("These digits do not match this application. Tries left: {tries}.")
MSG_PROOF_LOCKED = N_("Too many wrong tries on this kiosk. Please try again in {minutes} "
                      "minutes, or ask at the counter.")


class Source(StrEnum):
    """Where the status on screen came from (the ``source`` property)."""

    CHECKING = "checking"
    ONLINE = "online"
    OFFLINE = "offline"
    NOT_SENT = "not_sent"
    LOCAL = "local"


def tr(msgid: str, lang: str, **values: str) -> str:
    text = translate(msgid, lang)
    return text.format(**values) if values else text


def both(msgid: str, **values: str) -> dict[str, str]:
    """``msgid`` in Hindi and English, keyed by language (a screen shows both)."""
    return {lang: tr(msgid, lang, **values) for lang in ("hi", "en")}



def expand_application_no(text: str, centre_code: str) -> str:
    """What the citizen typed, with this centre's dashes put back when they left them out.

    Typing ``-`` on an on-screen keyboard means a layout switch; a number typed as
    ``MPBPLHZR2026112200071`` (or with spaces, or without the centre's letters:
    ``2026112200071``) is read as this centre's ``MP-BPL-HZR-20261122-0007-1``. Anything
    else is returned as typed (upper case, no spaces), for
    :func:`kiosk.applications.normalise_application_no` to judge.
    """
    t = re.sub(r"\s+", "", text or "").upper()
    if t.startswith("ACK:"):
        t = t[4:]
    if "-" in t:
        return t
    centre = centre_code.upper()
    compact = re.sub(r"[^0-9A-Z]", "", centre)
    rest = t[len(compact):] if compact and t.startswith(compact) else t
    m = re.fullmatch(r"(\d{8})(\d{4,6})([0-9A-Z])", rest)
    if m is None:
        return t
    return f"{centre}-{m.group(1)}-{m.group(2)}-{m.group(3)}"


def status_sentence(status: str, remarks: str | None, lang: str) -> str:
    """The status as a plain sentence in ``lang``; remarks (from the office) when there are."""
    note = (remarks or "").strip()
    if status == "rejected" and note:
        return tr(MSG_REJECTED_REMARKS, lang, remarks=note)
    if status == "awaiting_citizen" and note:
        return tr(MSG_AWAITING_REMARKS, lang, remarks=note)
    msgid = STATUS_SENTENCES.get(status)
    if msgid is None:
        return tr(MSG_OTHER_STATUS, lang, status=status)
    return tr(msgid, lang)


def payment_sentence(app: Application, lang: str) -> str:
    """Fee and payment state in ``lang``: paid (with its reference), to pay, or no fee."""
    if app.fee_paise == 0:
        return tr(MSG_NO_FEE, lang)
    amount = format_paise(app.fee_paise, lang)
    pay = app.payment
    if pay is not None and pay.status == PAID:
        ref = pay.reference
        if ref and pay.method == "upi":
            return f"{amount} — {tr(MSG_PAID_UPI, lang, ref=ref)}"
        if ref:
            return f"{amount} — {tr(MSG_PAID_CASH, lang, ref=ref)}"
        return f"{amount} — {tr(MSG_PAID, lang)}"
    if pay is not None and pay.status == FAILED:
        return f"{amount} — {tr(MSG_PAY_FAILED, lang)}"
    if pay is not None and pay.method == "upi":
        return f"{amount} — {tr(MSG_UPI_PENDING, lang)}"
    return tr(MSG_PAY_CASH, lang, amount=amount)


def _local(stamp: str | None, tz: str) -> datetime | None:
    """A stored ISO timestamp in the centre's zone (naive ones as they are), or None."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return when.astimezone(ZoneInfo(tz)) if when.tzinfo is not None else when


def checked_text(stamp: str | None, lang: str, tz: str) -> str | None:
    """``22 नव॰ 2026, 4:05 pm``-style local time of a stored timestamp, or None."""
    when = _local(stamp, tz)
    if when is None:
        return None
    return f"{format_date(when, lang, 'medium')}, {format_time(when, lang)}"


def local_date(stamp: str | None, lang: str, tz: str) -> str | None:
    """The local calendar date of a stored timestamp (``20 नव॰ 2026``), or None."""
    when = _local(stamp, tz)
    return None if when is None else format_date(when, lang, "medium")


def source_sentence(source: str, checked_at: str | None, lang: str, tz: str) -> str:
    """Where the status on screen came from, in ``lang``."""
    when = checked_text(checked_at, lang, tz)
    if source == Source.CHECKING:
        return tr(MSG_SOURCE_CHECKING, lang)
    if source == Source.ONLINE:
        return tr(MSG_SOURCE_ONLINE, lang)
    if source == Source.NOT_SENT:
        return tr(MSG_SOURCE_NOT_SENT, lang)
    if source == Source.OFFLINE:
        return (tr(MSG_SOURCE_OFFLINE_CHECKED, lang, when=when) if when
                else tr(MSG_SOURCE_OFFLINE, lang))
    return tr(MSG_SOURCE_LOCAL_CHECKED, lang, when=when) if when else tr(MSG_SOURCE_LOCAL, lang)


def is_overdue(status: str, due: date, today: date) -> bool:
    """Past the guaranteed date with the office still owing a decision."""
    return status not in FINAL_STATUSES and today > due



__all__ = ["FINAL_STATUSES", "both", "STATUS_SENTENCES", "STATUS_TONES", "Source", "checked_text",
           "expand_application_no", "is_overdue", "local_date", "payment_sentence",
           "source_sentence", "status_sentence", "tr"]
