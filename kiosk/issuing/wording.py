"""How a wait and a queue position are put into words, on the slip and on the token screen.

One place for both so paper and screen never disagree. The rules, in plain words:

* The centre knows the position and a counter serves the group: a range a person understands,
  "about 10–15 minutes" (one figure when both ends meet; "You are next" at zero).
* The centre knows the position but no counter is open for the group: "—". Any figure would be
  invented.
* The token came from this kiosk's lease while the centre could not be reached: position and
  wait are "not known", and the slip says why. A guess printed on paper cannot be taken back.
* A stand-alone kiosk (no centre): its own estimate, as before.
"""

from __future__ import annotations

from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_number
from kiosk.queue import Token

MSG_WAIT_RANGE = N_("about {low}–{high} minutes")
MSG_WAIT_ONE = N_("about {minutes} minutes")
MSG_WAIT_UP_TO = N_("up to {minutes} minutes")
MSG_NEXT = N_("You are next")
MSG_NO_COUNTER = "—"
MSG_UNKNOWN = N_("not known")
MSG_OFFLINE_NOTE = N_("Issued while the centre's queue could not be reached. Your number is "
                      "valid.")
MSG_NO_COUNTER_NOTE = N_("No counter is serving this service yet.")


def range_text(low: int, high: int, lang: str) -> str:
    """"about 10–15 minutes" / "लगभग 10–15 मिनट"; "up to 5 minutes" from zero; "You are next"
    when it is zero."""
    if high <= 0:
        return translate(MSG_NEXT, lang)
    low = max(0, min(low, high))
    if low == 0:  # "about 0–5 minutes" reads oddly
        return translate(MSG_WAIT_UP_TO, lang).format(minutes=format_number(high, lang))
    if low == high:
        return translate(MSG_WAIT_ONE, lang).format(minutes=format_number(high, lang))
    return translate(MSG_WAIT_RANGE, lang).format(low=format_number(low, lang),
                                                  high=format_number(high, lang))


def wait_phrase(token: Token, lang: str) -> str | None:
    """The wait for a centre token in words; None for a stand-alone token (caller's wording)."""
    if token.estimate == "range" and token.wait_min is not None and token.wait_max is not None:
        return range_text(token.wait_min, token.wait_max, lang)
    if token.estimate == "no_counter":
        return MSG_NO_COUNTER
    if token.estimate == "offline":
        return translate(MSG_UNKNOWN, lang)
    return None


def ahead_phrase(token: Token, lang: str) -> str:
    """People ahead as shown: the figure, or "not known" for a token issued offline."""
    if token.estimate == "offline":
        return translate(MSG_UNKNOWN, lang)
    return format_number(token.people_ahead, lang)


def note_phrase(token: Token, lang: str) -> str | None:
    """A line explaining an estimate that is not a figure (offline, no counter open)."""
    if token.estimate == "offline":
        return translate(MSG_OFFLINE_NOTE, lang)
    if token.estimate == "no_counter":
        return translate(MSG_NO_COUNTER_NOTE, lang)
    return None
