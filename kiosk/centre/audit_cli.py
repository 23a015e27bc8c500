"""``kiosk audit show|verify``: read and check the centre's trail and this kiosk's.

Two trails, one chain rule (:mod:`kiosk.centre.audit`): the centre's (``<data_dir>/
centre.sqlite3``, every operator action) and the kiosk's own (its ``kiosk.sqlite3``,
technician actions and configuration changes: :mod:`kiosk.tech_audit`). ``--trail`` picks one;
``verify`` checks every trail there is by default, so one command answers "has anything here
been altered?". Both open the databases read-only and create nothing.

``show`` prints times in IST (the centre's clock, whatever zone the entry was stamped in) as a
table a supervisor can read, or ``--json``. Exit codes as everywhere: 0 done (verify: every
chain intact), 2 bad input or a broken chain (the first bad entry named), 1 unexpected.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.centre import audit
from kiosk.centre.operator_cli import (
    EXIT_INVALID,
    EXIT_OK,
    MSG_AUDIT_BROKEN,
    MSG_NO_DATABASE,
    Commands,
    centre_db_path,
)
from kiosk.errors import StoreError, ValidationError
from kiosk.i18n import N_, translate

if TYPE_CHECKING:
    from kiosk.config import Config

TRAILS = ("centre", "kiosk")
MSG_BAD_DATE = N_("Write the date as YYYY-MM-DD, for example 2026-12-01.")
#: Width of the DETAIL column before it is cut with "…" (``--json`` shows it whole).
DETAIL_WIDTH = 60


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def trail_path(args: argparse.Namespace, config: Config, trail: str) -> Path:
    """The database holding ``trail``: ``--db`` / ``--kiosk-db``, else the configured file."""
    if trail == "centre":
        return Path(args.db).expanduser() if args.db else centre_db_path(config)
    return Path(args.kiosk_db).expanduser() if args.kiosk_db else config.db_path


def open_read_only(path: Path) -> sqlite3.Connection:
    """The trail's database, read-only (a check or a look changes nothing, creates nothing)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    return conn


def _has_trail(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'audit_log'").fetchone() is not None


def _verify_one(path: Path) -> audit.AuditCheck:
    conn = open_read_only(path)
    try:
        return audit.verify(conn) if _has_trail(conn) else audit.AuditCheck(True, 0, None)
    finally:
        conn.close()


def cmd_verify(args: argparse.Namespace, config: Config) -> int:
    trails = TRAILS if args.trail == "all" else (args.trail,)
    checks: dict[str, audit.AuditCheck] = {}
    for trail in trails:
        path = trail_path(args, config, trail)
        if path.exists():
            checks[trail] = _verify_one(path)
        elif args.trail != "all":
            raise ValidationError(f"{path} does not exist", message=MSG_NO_DATABASE)
    if not checks:
        raise ValidationError("no centre or kiosk database", message=MSG_NO_DATABASE)
    broken = next(((t, c) for t, c in checks.items() if not c.ok), None)
    if args.json:
        _out(json.dumps({
            "ok": broken is None, "entries": sum(c.entries for c in checks.values()),
            "first_bad_id": broken[1].first_bad_id if broken else None,
            "first_bad_trail": broken[0] if broken else None,
            "reason": broken[1].reason if broken else "",
            "trails": {t: c.to_json() for t, c in checks.items()}}, ensure_ascii=False))
    else:
        for trail, check in checks.items():
            if check.ok:
                _out(f"audit trail ({trail}): {check.entries} entries, chain intact")
            else:
                _out(f"audit trail ({trail}): {check.entries} entries, BROKEN at entry "
                     f"{check.first_bad_id}: {check.reason}")
    if broken is None:
        return EXIT_OK
    sys.stderr.write(f"{translate(MSG_AUDIT_BROKEN, 'hi')}\n{translate(MSG_AUDIT_BROKEN, 'en')}\n"
                     f"(trail: {broken[0]}; first bad entry: {broken[1].first_bad_id})\n")
    return EXIT_INVALID


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"bad --date {text[:20]!r}", message=MSG_BAD_DATE) from None


def ist(stamp: str) -> str:
    """An entry's time in IST, ``YYYY-MM-DD HH:MM:SS`` (the stored text if unreadable)."""
    try:
        return datetime.fromisoformat(stamp).astimezone(audit.IST).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stamp


def _detail_text(detail: dict[str, Any]) -> str:
    parts = []
    for key, value in detail.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                               separators=(",", ":"))
        parts.append(f"{key}={shown}")
    text = " ".join(parts)
    return text if len(text) <= DETAIL_WIDTH else text[:DETAIL_WIDTH - 1] + "…"


def table(found: list[audit.AuditEntry]) -> list[str]:
    """The readable table: one line per entry, times in IST."""
    lines = [f"{'ID':>6}  {'TIME (IST)':<19}  {'ACTION':<28} {'OPERATOR':<12} {'CTR':<4} DETAIL"]
    for e in found:
        lines.append(f"{e.id:>6}  {ist(e.at):<19}  {e.action:<28} {e.operator_id or '-':<12} "
                     f"{e.counter or '-':<4} {_detail_text(e.detail)}")
    return lines


def cmd_show(args: argparse.Namespace, config: Config) -> int:
    day = _day(args.date)
    path = trail_path(args, config, args.trail)
    if not path.exists():
        raise ValidationError(f"{path} does not exist", message=MSG_NO_DATABASE)
    conn = open_read_only(path)
    try:
        found = (audit.matching(conn, operator_id=args.operator, day=day, action=args.action)
                 if _has_trail(conn) else [])
    finally:
        conn.close()
    if args.json:
        _out(json.dumps([{**e.to_json(), "at_ist": ist(e.at), "trail": args.trail}
                         for e in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    for line in table(found):
        _out(line)
    _out(f"{len(found)} entries ({args.trail} trail)")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, config: Config) -> int:
    return cmd_show(args, config) if args.audit_command == "show" else cmd_verify(args, config)


def _db_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE",
                   help="the centre database (default: <data-dir>/centre.sqlite3)")
    p.add_argument("--kiosk-db", metavar="FILE",
                   help="the kiosk database (default: the configured kiosk database)")


def register(sub: Any, common: argparse.ArgumentParser, commands: Commands) -> None:
    """Add ``kiosk audit show|verify`` to the main parser and its command table."""
    aud = sub.add_parser("audit", parents=[common],
                         help="the audit trails: the centre's and this kiosk's")
    asub = aud.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = asub.add_parser("verify", parents=[common],
                          help="check the hash chains; exit 0 intact, 2 broken (names the entry)")
    ver.add_argument("--trail", choices=(*TRAILS, "all"), default="all",
                     help="which trail (default: every trail there is)")
    ver.add_argument("--json", action="store_true", help="machine-readable output")
    _db_args(ver)
    show = asub.add_parser("show", parents=[common],
                           help="list entries (times in IST); filters combine")
    show.add_argument("--trail", choices=TRAILS, default="centre",
                      help="which trail (default: centre)")
    show.add_argument("--operator", metavar="ID", help="only this operator's entries")
    show.add_argument("--date", metavar="YYYY-MM-DD", help="only this day (IST)")
    show.add_argument("--action", metavar="A",
                      help="only this action; a prefix ending in '.' or '*' (cash.) for a family")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    _db_args(show)
    commands["audit"] = cmd_audit
