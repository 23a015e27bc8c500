"""The board's words and clock rules (pure Python, no Qt): hours, Samadhan window, labels.

Why apart from the view-model: whether the centre is open, when it opens next and what the
Samadhan Ek Din line says at 13:31 are rules a test should check without a QML engine, for
any clock. Every sentence is a msgid rendered in both languages at once — a board shows Hindi
and English together, Hindi first — so each helper returns ``{"hi": …, "en": …}``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from kiosk.config import parse_window
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import babel_locale
from kiosk.working_days import WorkingCalendar

Bilingual = dict[str, str]

#: Fixed labels of the board (QML reads them through ``Board.labels``).
LABELS: dict[str, str] = {
    "nowCalling": N_("Now calling"),
    "recall": N_("Called again"),
    "earlier": N_("Earlier calls"),
    "counters": N_("Counters"),
    "waiting": N_("Waiting"),
    "noCalls": N_("No token has been called yet today"),
    "closed": N_("The centre is closed"),
    "connectionLost": N_("Connection lost"),
    "token": N_("Token"),
}

STATE_LABELS: dict[str, str] = {
    "open": N_("Free"),
    "break": N_("On a break"),
    "closed": N_("Closed"),
}

DEFAULT_NOTICE = N_("Please keep your token slip with you and watch this board for your "
                    "number.")


def both(msgid: str, **values: object) -> Bilingual:
    return {lang: translate(msgid, lang).format(**values) for lang in ("hi", "en")}


def _window(text: str, fallback: tuple[int, int]) -> tuple[time, time]:
    start, end = parse_window(text) or fallback
    return (time(start // 60, start % 60),
            time.max if end >= 24 * 60 else time(end // 60, end % 60))


def hours_window(text: str) -> tuple[time, time]:
    """``[board] hours`` as two times (the default 09:30–17:30 if it does not parse)."""
    return _window(text, (570, 1050))


def samadhan_window(text: str) -> tuple[time, time]:
    return _window(text, (570, 810))


def clock(t: time, lang: str) -> str:
    """``सुबह 9:30 बजे`` / ``9:30 am``: how a person says the time, not ``09:30``.

    Hindi names the part of the day (सुबह till noon, दोपहर till 4, शाम till 7, then रात) and
    a 12-hour clock; that is what a first-time visitor reads at a glance.
    """
    hour12 = t.hour % 12 or 12
    hm = f"{hour12}:{t.minute:02d}" if t.minute else f"{hour12}"
    if lang == "hi":
        part = ("रात" if t.hour < 4 else "सुबह" if t.hour < 12 else "दोपहर" if t.hour < 16
                else "शाम" if t.hour < 19 else "रात")
        return f"{part} {hm} बजे"
    return f"{hour12}:{t.minute:02d} {'am' if t.hour < 12 else 'pm'}"


def both_clocks(t: time) -> Bilingual:
    return {"hi": clock(t, "hi"), "en": clock(t, "en")}


def is_open(now: datetime, hours: tuple[time, time], calendar: WorkingCalendar) -> bool:
    return calendar.is_working(now.date()) and hours[0] <= now.time() < hours[1]


def next_opening(now: datetime, hours: tuple[time, time], calendar: WorkingCalendar) -> datetime:
    """The next moment the centre opens (today's opening if it is still ahead)."""
    day = now.date()
    if calendar.is_working(day) and now.time() < hours[0]:
        return datetime.combine(day, hours[0], now.tzinfo)
    for _ in range(60):  # a long festival break is still far shorter than this
        day += timedelta(days=1)
        if calendar.is_working(day):
            return datetime.combine(day, hours[0], now.tzinfo)
    return datetime.combine(day, hours[0], now.tzinfo)


def _weekday_date(day: date, lang: str) -> str:
    from babel.dates import format_date

    return str(format_date(day, format="EEEE, d MMMM", locale=babel_locale(lang)))


def opens_text(now: datetime, opening: datetime) -> Bilingual:
    """"खुलेगा: कल सुबह 9:30 बजे" / "Opens tomorrow at 9:30 am"."""
    when = opening.time()
    if opening.date() == now.date():
        msgid = N_("Opens today at {time}")
        return {lang: translate(msgid, lang).format(time=clock(when, lang))
                for lang in ("hi", "en")}
    if opening.date() == now.date() + timedelta(days=1):
        msgid = N_("Opens tomorrow at {time}")
        return {lang: translate(msgid, lang).format(time=clock(when, lang))
                for lang in ("hi", "en")}
    msgid = N_("Opens on {day} at {time}")
    return {lang: translate(msgid, lang).format(day=_weekday_date(opening.date(), lang),
                                                time=clock(when, lang))
            for lang in ("hi", "en")}


def samadhan_text(now: datetime, window: tuple[time, time],
                  calendar: WorkingCalendar) -> tuple[Bilingual, bool]:
    """The Samadhan Ek Din line and whether today's window is still open (or yet to open).

    "आज के आवेदन दोपहर 1:30 बजे तक" while it is open; both times before it opens; a notice
    once it has closed for the day (and on a day the office does not work).
    """
    start, end = window
    working = calendar.is_working(now.date())
    if working and now.time() < start:
        msgid = N_("Samadhan Ek Din: today's applications from {start} until {end}")
        return ({lang: translate(msgid, lang).format(start=clock(start, lang),
                                                     end=clock(end, lang))
                 for lang in ("hi", "en")}, True)
    if working and now.time() < end:
        msgid = N_("Samadhan Ek Din: today's applications until {time}")
        return ({lang: translate(msgid, lang).format(time=clock(end, lang))
                 for lang in ("hi", "en")}, True)
    msgid = N_("Samadhan Ek Din: closed for today. Applications again from {time} on the "
               "next working day.")
    return ({lang: translate(msgid, lang).format(time=clock(start, lang))
             for lang in ("hi", "en")}, False)


def wait_text(low: object, high: object) -> Bilingual:
    """"लगभग 10–15 मिनट" / "about 10–15 min"; "—" when no counter is open for the group."""
    if not isinstance(low, int) or not isinstance(high, int):
        return {"hi": "—", "en": "—"}
    if low == high:
        return both(N_("about {minutes} min"), minutes=low)
    return both(N_("about {low}–{high} min"), low=low, high=high)


def counter_name(counter: str, names: dict[str, Bilingual]) -> Bilingual:
    """The counter's configured name (``[counters.N] name_hi``), else "काउंटर N"."""
    known = names.get(counter)
    if known and known.get("hi") and known.get("en"):
        return {"hi": str(known["hi"]), "en": str(known["en"])}
    return both(N_("Counter {number}"), number=counter)


__all__ = ["DEFAULT_NOTICE", "LABELS", "STATE_LABELS", "Bilingual", "both", "clock",
           "counter_name", "hours_window", "is_open", "next_opening", "opens_text",
           "samadhan_text", "samadhan_window", "wait_text"]
