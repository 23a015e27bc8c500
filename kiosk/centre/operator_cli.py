"""``kiosk operator add|list|disable`` (and the hook of ``kiosk audit``): the centre's staff.

Why these work on the centre's database file directly and not through the centre service: a
supervisor sets up the first operators before any service runs, and a technician checks the
audit trail of a stopped centre (``kiosk audit``: :mod:`kiosk.centre.audit_cli`). SQLite's
``BEGIN IMMEDIATE`` makes that safe next to a running service. Each change is one
transaction with its audit entry.

The PIN never comes from a flag (flags end up in shell history and ``ps``): it is read from
``KIOSK_OPERATOR_PIN`` or typed twice on stdin (not echoed when stdin is a terminal).

:func:`register_operator` and :func:`register_audit` add the subcommands to ``kiosk/cli.py``'s
parser and their handlers to its command table, so the main CLI needs one call for each. The
handlers raise :class:`~kiosk.errors.ValidationError` for bad input; the main CLI turns that
into exit 2 with the message in both languages.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.errors import StoreError, ValidationError
from kiosk.i18n import N_

if TYPE_CHECKING:
    from kiosk.config import Config

#: ``kiosk/cli.py``'s command table: command name → handler(args, config) -> exit code.
Commands = MutableMapping[str, Callable[..., int]]

PIN_ENV = "KIOSK_OPERATOR_PIN"
EXIT_OK, EXIT_INVALID = 0, 2
BUSY_TIMEOUT_S = 5.0

MSG_NO_PIN = N_("No PIN was given. Set KIOSK_OPERATOR_PIN or type the PIN twice.")
MSG_PINS_DIFFER = N_("The two PINs differ. Nothing was saved.")
MSG_AUDIT_BROKEN = N_("The audit trail has been altered: an entry was changed, moved or removed.")
MSG_NO_DATABASE = N_("There is no centre database here yet.")


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def centre_db_path(config: Config) -> Path:
    """The centre's database: ``[centre] db`` if set, else ``<data_dir>/centre.sqlite3``."""
    section = config.raw.get("centre")
    configured = str(section.get("db") or "") if isinstance(section, dict) else ""
    return Path(configured).expanduser() if configured else config.data_dir / "centre.sqlite3"


def open_centre_db(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection as the centre service opens it (WAL, FULL sync, autocommit), with the
    operators and audit tables in place."""
    from kiosk.centre import audit, operators

    if not create and not path.exists():
        raise ValidationError(f"{path} does not exist", message=MSG_NO_DATABASE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        with _transaction(conn):
            operators.ensure_schema(conn)
            audit.ensure_schema(conn)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open centre database {path}: {exc}") from exc
    return conn


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def read_new_pin(environ: MutableMapping[str, str] | None = None) -> str:
    """The new PIN from ``KIOSK_OPERATOR_PIN``, else typed twice on stdin."""
    env = os.environ if environ is None else environ
    pin = env.get(PIN_ENV)
    if pin is not None:
        return pin.strip()
    if sys.stdin is None:
        raise ValidationError("no PIN: stdin closed and no environment variable",
                              message=MSG_NO_PIN)
    if sys.stdin.isatty():
        first = getpass.getpass("New PIN (4-8 digits): ")
        second = getpass.getpass("Again: ")
    else:
        first, second = sys.stdin.readline(), sys.stdin.readline()
    first, second = first.strip(), second.strip()
    if not first:
        raise ValidationError("no PIN on stdin", message=MSG_NO_PIN)
    if first != second:
        raise ValidationError("the two PINs typed differ", message=MSG_PINS_DIFFER)
    return first


def _now(config: Config) -> datetime:
    return datetime.now(ZoneInfo(config.timezone))


def _db_path(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.db).expanduser() if args.db else centre_db_path(config)


def _finger_slot(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a fingerprint slot is a number, not {text!r}") from None


def cmd_operator(args: argparse.Namespace, config: Config) -> int:
    from kiosk.centre import audit, operators

    path = _db_path(args, config)
    if args.operator_command == "add":
        pin = read_new_pin()
    conn = open_centre_db(path, create=args.operator_command == "add")
    try:
        if args.operator_command == "list":
            ops = operators.list_operators(conn)
            if args.json:
                _out(json.dumps([o.to_json() for o in ops], ensure_ascii=False, indent=2))
                return EXIT_OK
            _out(f"{'ID':<16} {'ROLE':<11} {'STATE':<9} {'CARD':<11} {'FINGER':<7} NAME")
            for o in ops:
                card = operators.mask_card(o.card_id) if o.card_id else "-"
                slot = "-" if o.finger_slot is None else str(o.finger_slot)
                state = "disabled" if o.disabled else "active"
                _out(f"{o.id:<16} {o.role.value:<11} {state:<9} {card:<11} {slot:<7} {o.name}")
            return EXIT_OK
        now = _now(config)
        with _transaction(conn):
            if args.operator_command == "add":
                op = operators.add_operator(conn, operator_id=args.id, name=args.name,
                                            role=args.role, pin=pin, card_id=args.card,
                                            finger_slot=args.finger_slot, now=now)
                detail: dict[str, Any] = {"subject": op.id, "role": op.role.value, "via": "cli"}
                if op.card_id:
                    detail["card"] = operators.mask_card(op.card_id)
                if op.finger_slot is not None:
                    detail["finger_slot"] = op.finger_slot
                audit.append(conn, action="operator.added", operator_id=None, counter=None,
                             detail=detail, at=now)
            else:
                op = operators.disable_operator(conn, args.id, now=now)
                audit.append(conn, action="operator.disabled", operator_id=None, counter=None,
                             detail={"subject": op.id, "via": "cli"}, at=now)
        _out(json.dumps(op.to_json(), ensure_ascii=False))
        return EXIT_OK
    finally:
        conn.close()


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE",
                   help="the centre database (default: <data-dir>/centre.sqlite3)")


def register_operator(sub: Any, common: argparse.ArgumentParser,
                      commands: Commands) -> None:
    """Add ``kiosk operator add|list|disable`` to the main parser and its command table."""
    op = sub.add_parser("operator", parents=[common],
                        help="counter operators of the centre (PIN from KIOSK_OPERATOR_PIN "
                             "or stdin, never a flag)")
    osub = op.add_subparsers(dest="operator_command", metavar="ACTION", required=True)
    add = osub.add_parser("add", parents=[common], help="add an operator; prints it as JSON")
    add.add_argument("--id", required=True, help="operator id, e.g. op-07")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, help="operator | supervisor | technician")
    add.add_argument("--card", metavar="HEX10", help="staff card id, e.g. 0B001A2B3C")
    add.add_argument("--finger-slot", type=_finger_slot, metavar="N",
                     help="the slot of the operator's template on the counter's module")
    _db_arg(add)
    lst = osub.add_parser("list", parents=[common], help="every operator (no PIN hashes)")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    _db_arg(lst)
    dis = osub.add_parser("disable", parents=[common], help="refuse every later log-in")
    dis.add_argument("--id", required=True)
    _db_arg(dis)
    commands["operator"] = cmd_operator


def register_audit(sub: Any, common: argparse.ArgumentParser,
                   commands: Commands) -> None:
    """Add ``kiosk audit show|verify`` (:mod:`kiosk.centre.audit_cli`) to the main parser."""
    from kiosk.centre.audit_cli import register

    register(sub, common, commands)
