"""``kiosk report day-end``: the day-end report of the centre on this machine.

Why it reads the centre's database file (read-only) and not the service: the technician runs it
on the centre machine, also after hours with the service stopped, and a report changes
nothing. SQLite's WAL lets it read next to a running service; a read-only connection cannot
write even by mistake.

Output: the report as text in both languages (default; the same lines as the printed slip),
``--json`` (the centre's report shape, amounts in paise), ``--csv`` (one figure per row:
``section,key,field,value``) or ``--print`` (the bilingual slip on this machine's receipt
printer). A missing database or a date with nothing recorded is a bilingual message on stderr
and exit 2; a bad ``--date`` too.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, MutableMapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.errors import ValidationError
from kiosk.i18n import N_, translate

if TYPE_CHECKING:
    from kiosk.config import Config

Commands = MutableMapping[str, Callable[..., int]]
EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_DEVICE = 0, 1, 2, 3

MSG_NO_CENTRE_DB = N_("There is no centre database on this machine. Run this on the centre's "
                      "computer, or give --data-dir.")
MSG_NO_DAY_DATA = N_("Nothing was recorded on {day}.")
MSG_BAD_DATE = N_("Give the date as YYYY-MM-DD, e.g. 2026-12-01.")
MSG_BAD_COUNTER = N_("A counter is a number or a short name, e.g. 3.")
MSG_PRINTED = N_("The day-end report was printed.")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _say(msgid: str, **values: object) -> None:
    """A message in Hindi, then English, on stderr."""
    for lang in ("hi", "en"):
        sys.stderr.write(translate(msgid, lang).format(**values) + "\n")


def _day(text: str | None, config: Config) -> str:
    if not text:
        return datetime.now(ZoneInfo(config.timezone)).date().isoformat()
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"bad --date {text[:20]!r}", message=MSG_BAD_DATE) from None


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise ValidationError(f"{path} does not exist", message=MSG_NO_CENTRE_DB)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5,
                               isolation_level=None)
        conn.execute("SELECT 1 FROM tokens LIMIT 1")
    except sqlite3.Error as exc:
        raise ValidationError(f"{path} is not a centre database: {exc}",
                              message=MSG_NO_CENTRE_DB) from exc
    return conn


def csv_rows(report: dict[str, Any]) -> Iterator[tuple[str, str, str, object]]:
    """The report flattened to ``(section, key, field, value)``: one figure per row."""
    for name, value in report["tokens"].items():
        yield "tokens", "", name, value
    for section, key in (("groups", "group"), ("counters", "counter"),
                         ("waits_by_hour", "hour"), ("applications", "service")):
        for row in report[section]:
            for name, value in row.items():
                if name != key:
                    yield section, str(row[key]), name, value
    for name, value in report["applications_total"].items():
        yield "applications_total", "", name, value
    for method, entry in report["fees"].items():
        if isinstance(entry, dict):
            for name, value in entry.items():
                yield "fees", method, name, value
        else:
            yield "fees", "", method, entry
    for row in report["cash"]:
        for name, value in row.items():
            if name not in ("counter", "operator_id"):
                yield "cash", f"{row['counter']}/{row['operator_id']}", name, value
    for name, value in report["cash_total"].items():
        yield "cash_total", "", name, value


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "key", "field", "value"))
    for section, key, name, value in csv_rows(report):
        writer.writerow((section, key, name, "" if value is None else value))
    return out.getvalue()


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    from kiosk.centre.day_report import day_report
    from kiosk.documents.day_end_report import build_day_end_report

    day = _day(args.date, config)
    counter = args.counter.strip() if args.counter else None
    if counter is not None and not (counter.isascii() and counter.replace("-", "").replace(
            "_", "").isalnum() and len(counter) <= 32):
        raise ValidationError(f"bad --counter {counter[:20]!r}", message=MSG_BAD_COUNTER)
    path = Path(args.db).expanduser() if args.db else config.centre_db_path
    conn = _read_only(path)
    try:
        report = day_report(conn, day, counter=counter, tz=ZoneInfo(config.timezone)).to_json()
    finally:
        conn.close()
    if report["empty"]:
        _say(MSG_NO_DAY_DATA, day=day)
        return EXIT_INVALID
    if args.json:
        _out(json.dumps(report, ensure_ascii=False, indent=2))
        return EXIT_OK
    if args.csv:
        sys.stdout.write(to_csv(report))
        return EXIT_OK
    lang = "hi" if str(config.default_language).startswith("hi") else "en"
    now = datetime.now(ZoneInfo(config.timezone))
    doc = build_day_end_report(report, config, lang, printed_at=now)
    if not args.do_print:
        _out("\n".join(doc.texts()))
        return EXIT_OK
    from kiosk.errors import PrinterError
    from kiosk.printing.print_jobs import PrintService
    from kiosk.qt_runtime import ensure_gui_app
    from kiosk.store import Store

    ensure_gui_app()  # Devanagari lines are shaped by Qt into rasters
    with Store(config.db_path) as store:
        try:
            result = PrintService(store, config).print_document(doc)
        except PrinterError as exc:
            sys.stderr.write(f"{exc.user_message('hi')}\n{exc.user_message('en')}\n")
            return EXIT_DEVICE
    _out(json.dumps({"printed": True, "job_id": result.job_id, "state": result.state,
                      "bytes": result.bytes_sent}, ensure_ascii=False))
    _say(MSG_PRINTED)
    return EXIT_OK


def register_report(sub: Any, common: argparse.ArgumentParser, commands: Commands) -> None:
    """Add ``kiosk report day-end`` to the main parser and its command table."""
    rep = sub.add_parser("report", parents=[common], help="reports of the centre on this machine")
    rsub = rep.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    de = rsub.add_parser("day-end", parents=[common],
                         help="tokens, waits, applications, fees and cash of a day")
    de.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today, IST)")
    de.add_argument("--counter", metavar="N", help="one counter only")
    de.add_argument("--db", metavar="FILE",
                    help="the centre database (default: <data-dir>/centre.sqlite3)")
    out = de.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="the report as JSON (paise, seconds)")
    out.add_argument("--csv", action="store_true", help="one figure per row")
    out.add_argument("--print", dest="do_print", action="store_true",
                     help="print the bilingual slip on this machine's receipt printer")
    commands["report"] = cmd_report


__all__ = ["csv_rows", "register_report", "to_csv"]
