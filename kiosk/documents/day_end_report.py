"""The printed day-end: the day's figures on the counter's receipt printer, in both languages.

Why this layout: the slip is signed by the operator and the supervisor and kept in the day's
file, so every heading and figure label is printed in Hindi and English (the operator's
language first), the money in both languages' Babel formats, and the signature lines at the
end. The long tables (per group, per counter, per service, per operator) are plain ASCII rows
under a bilingual legend: on a thermal printer an ASCII line is native text (a few bytes),
while a Devanagari line is a raster image (a kilobyte or two), so the legend is said in both
languages once and the rows stay cheap on a 9600-baud line (``bench/bench_day_end.py``).
The fixed headings, legends and signature labels are ``static``: a printer with graphics
memory holds their Hindi rasters beside the cash slips' (14.7 KB of its 48 KB budget, nothing
evicted), so every day-end after the first is about half the bytes (docs/print/README.md).

The builder takes the report as the centre serves it (:meth:`kiosk.centre.day_report.DayReport.
to_json`), so the console prints exactly what the centre answered and the CLI what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from kiosk.config import Config
from kiosk.documents.bilingual import bilingual, languages
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Rule, Text
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import (
    format_date,
    format_number,
    format_paise_for_paper,
    format_time,
)

DOC_KIND = "day_end"

MSG_TITLE = N_("Day-end report")
MSG_COUNTER = N_("Counter {counter}")
MSG_ALL_COUNTERS = N_("All counters")
MSG_PRINTED = N_("Printed {when}")
MSG_TOKENS = N_("Tokens")
MSG_ISSUED = N_("Issued: {n}")
MSG_SERVED = N_("Served: {n}")
MSG_NO_SHOW = N_("Not present: {n}")
MSG_STILL_WAITING = N_("Still waiting: {n}")
MSG_AVG_WAIT = N_("Average wait: {t}")
MSG_AVG_SERVICE = N_("Average service time: {t}")
MSG_BY_GROUP = N_("By group: issued / served / not present, wait, service")
MSG_BY_COUNTER = N_("By counter: served / not present, wait, service")
MSG_APPLICATIONS = N_("Applications: {n}")
MSG_BY_SERVICE = N_("By service: at the desk + at kiosks = total")
MSG_FEES = N_("Fees")
MSG_FEE_CASH = N_("Cash: {amount} ({n})")
MSG_FEE_UPI = N_("UPI: {amount} ({n})")
MSG_FEE_PENDING = N_("Pending: {amount} ({n})")
MSG_FEE_VOIDED = N_("Voided or refunded: {amount} ({n})")
MSG_CASH = N_("Cash per operator")
MSG_CASH_LEGEND = N_("Counter, operator: expected / counted = difference (supervisor)")
MSG_CASH_TOTAL = N_("Expected {expected}, counted {declared}")
MSG_DIFFERENCE = N_("Difference: {amount}")
MSG_NOT_COUNTED = N_("Not counted yet: {n}")
MSG_DAY_CLOSED = N_("Day closed at {time} by {who}")
MSG_DAY_OPEN = N_("The centre's day is not closed yet.")
MSG_SIGN_OPERATOR = N_("Operator's signature")
MSG_SIGN_SUPERVISOR = N_("Supervisor's signature")
MSG_NO_DATA = N_("Nothing was recorded on this day.")


def clock_text(seconds: float | int | None) -> str:
    """``12:05`` (min:s), ``1:02:05`` past an hour, ``-`` unknown: ASCII for native lines."""
    if seconds is None:
        return "-"
    total = max(0, int(round(float(seconds))))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _money_ascii(paise: int | None) -> str:
    return "-" if paise is None else format_paise_for_paper(int(paise), "en")


def _signed_money(paise: int, lang: str) -> str:
    text = format_paise_for_paper(abs(int(paise)), lang)
    return ("+" if paise > 0 else "-" if paise < 0 else "") + text


def build_day_end_report(report: dict[str, Any], config: Config, lang: str, *,
                         printed_at: datetime) -> Document:
    """The day-end slip for ``report`` (the centre's JSON), ``lang`` first."""
    langs = languages(lang)
    blocks: list[Block] = []

    def both(make: Callable[[str], str], **kw: Any) -> None:
        blocks.extend(bilingual(langs, make, **kw))

    def line(msgid: str, **values: Callable[[str], str] | str) -> None:
        both(lambda lng: translate(msgid, lng).format(
            **{k: v(lng) if callable(v) else v for k, v in values.items()}), align="left")

    def n(value: int) -> Callable[[str], str]:
        return lambda lng: format_number(int(value), lng)

    day = date.fromisoformat(str(report["day"]))
    counter = report.get("counter")
    # Fixed lines are ``static`` (see the module doc). The centre's name is set as on every
    # other slip (not bold), so it is the cash receipt's own raster, already held.
    both(config.centre_name, static=True)
    both(lambda lng: translate(MSG_TITLE, lng), size="large", bold=True, static=True)
    both(lambda lng: format_date(day, lng, "long"))
    both(lambda lng: translate(MSG_COUNTER, lng).format(counter=counter) if counter
         else translate(MSG_ALL_COUNTERS, lng), size="small", static=True)
    blocks.append(Rule())
    if report.get("empty"):
        both(lambda lng: translate(MSG_NO_DATA, lng), static=True)
    tokens = report["tokens"]
    both(lambda lng: translate(MSG_TOKENS, lng), bold=True, align="left", static=True)
    line(MSG_ISSUED, n=n(tokens["issued"]))
    line(MSG_SERVED, n=n(tokens["served"]))
    line(MSG_NO_SHOW, n=n(tokens["no_show"]))
    if tokens.get("waiting"):
        line(MSG_STILL_WAITING, n=n(tokens["waiting"]))
    line(MSG_AVG_WAIT, t=clock_text(tokens.get("avg_wait_s")))
    line(MSG_AVG_SERVICE, t=clock_text(tokens.get("avg_service_s")))
    if report.get("groups"):
        blocks.append(Feed(1))
        both(lambda lng: translate(MSG_BY_GROUP, lng), size="small", align="left",
             static=True)
        for g in report["groups"]:
            blocks.append(Text(f"{g['group']}: {g['issued']} / {g['served']} / {g['no_show']}, "
                               f"{clock_text(g['avg_wait_s'])}, "
                               f"{clock_text(g['avg_service_s'])}"))
    if report.get("counters"):
        blocks.append(Feed(1))
        both(lambda lng: translate(MSG_BY_COUNTER, lng), size="small", align="left",
             static=True)
        for c in report["counters"]:
            blocks.append(Text(f"{c['counter']}: {c['served']} / {c['no_show']}, "
                               f"{clock_text(c['avg_wait_s'])}, "
                               f"{clock_text(c['avg_service_s'])}"))
    blocks.append(Rule())
    apps = report["applications_total"]
    both(lambda lng: translate(MSG_APPLICATIONS, lng).format(
        n=format_number(apps["total"], lng)), bold=True, align="left")
    if report.get("applications"):
        both(lambda lng: translate(MSG_BY_SERVICE, lng), size="small", align="left",
             static=True)
        for a in report["applications"]:
            blocks.append(Text(f"{a['service']}: {a['desk']} + {a['kiosk']} = {a['total']}"))
    blocks.append(Rule())
    fees = report["fees"]
    both(lambda lng: translate(MSG_FEES, lng), bold=True, align="left", static=True)

    def fee(msgid: str, entry: dict[str, int]) -> None:
        line(msgid, amount=lambda lng: format_paise_for_paper(entry["paise"], lng),
             n=n(entry["count"]))

    fee(MSG_FEE_CASH, fees["cash"])
    fee(MSG_FEE_UPI, fees["upi"])
    fee(MSG_FEE_PENDING, fees["pending"])
    voided = {"count": fees["voided"]["count"] + fees["refunded"]["count"],
              "paise": fees["voided"]["paise"] + fees["refunded"]["paise"]}
    if voided["count"]:
        fee(MSG_FEE_VOIDED, voided)
    blocks.append(Rule())
    both(lambda lng: translate(MSG_CASH, lng), bold=True, align="left", static=True)
    cash = report.get("cash") or []
    if cash:
        both(lambda lng: translate(MSG_CASH_LEGEND, lng), size="small", align="left",
             static=True)
    for c in cash:
        declared = c.get("declared_paise")
        row = (f"{c['counter']}, {c['operator_id']}: {_money_ascii(c['expected_paise'])} / "
               f"{_money_ascii(declared)}")
        if declared is not None:
            row += f" = {_signed_money(int(c['difference_paise'] or 0), 'en')}"
            if c.get("supervisor_id"):
                row += f" ({c['supervisor_id']})"
        if c.get("state") != "closed":
            row += " *"
        blocks.append(Text(row, bold=bool(c.get("difference_paise"))))
    total = report["cash_total"]
    if cash:
        line(MSG_CASH_TOTAL, expected=lambda lng: format_paise_for_paper(
            total["expected_paise"], lng), declared=lambda lng: format_paise_for_paper(
            total["declared_paise"], lng))
        line(MSG_DIFFERENCE, amount=lambda lng: _signed_money(total["difference_paise"], lng))
        if total.get("open"):
            line(MSG_NOT_COUNTED, n=n(total["open"]))
    blocks.append(Rule())
    closed = report.get("day_closed")
    if closed:
        at = datetime.fromisoformat(str(closed["at"]))
        line(MSG_DAY_CLOSED, time=lambda lng: format_time(at, lng), who=str(closed["by"]))
    else:
        both(lambda lng: translate(MSG_DAY_OPEN, lng), align="left", static=True)
    both(lambda lng: translate(MSG_PRINTED, lng).format(
        when=f"{format_date(printed_at, lng, 'medium')} {format_time(printed_at, lng)}"),
        size="small", align="left")
    for msgid in (MSG_SIGN_OPERATOR, MSG_SIGN_SUPERVISOR):
        blocks.append(Feed(2))
        blocks.append(Text("_" * 24))
        blocks.extend(bilingual(langs, partial(translate, msgid), size="small", align="left",
                                static=True))
    blocks.append(Cut())
    ref = f"{report['day']}:{counter or 'all'}"
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=DOC_KIND, ref=ref)


__all__ = ["DOC_KIND", "build_day_end_report", "clock_text"]
