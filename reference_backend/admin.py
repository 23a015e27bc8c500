"""The reference backend's administrator commands, run on the backend's own machine.

    python -m reference_backend.admin --db FILE list
    python -m reference_backend.admin --db FILE revoke KIOSK_ID
    python -m reference_backend.admin --db FILE reinstate KIOSK_ID
    python -m reference_backend.admin --db FILE centre-code CENTRE
    python -m reference_backend.admin --db FILE district CENTRE DISTRICT

Why a command on the database and not an HTTP endpoint: whoever can run it already holds the
database file, so it needs no second secret that could leak, and nothing new listens on the
network. A kiosk id with a live credential cannot be enrolled again (the contract's 409
``kiosk-enrolled``): ``revoke`` ends the credential and bars the id; ``reinstate`` then lets
the next enrolment through (a kiosk whose disk was replaced). ``centre-code`` prints the
enrolment code that enrols kiosks of that centre only; ``district`` says which district's
holidays count for the centre's due dates. See docs/backend.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reference_backend.db import BackendDB
from reference_backend.store import is_postgres_url

DEFAULT_DB = Path("data") / "backend" / "reference.sqlite3"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reference_backend.admin",
                                 description="administer a reference backend's database")
    ap.add_argument("--db", default=str(DEFAULT_DB),
                    help="the backend's SQLite file or postgresql:// URL "
                    f"(default: {DEFAULT_DB})")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="every enrolled kiosk, its centre and state (JSON lines)")
    for name, text in (("revoke", "end a kiosk's credential; it cannot enrol again"),
                       ("reinstate", "let a revoked kiosk enrol once more")):
        sub.add_parser(name, help=text).add_argument("kiosk_id")
    sub.add_parser("centre-code", help="the enrolment code for one centre's kiosks"
                   ).add_argument("centre")
    dist = sub.add_parser("district", help="the district whose holidays a centre keeps")
    dist.add_argument("centre")
    dist.add_argument("district")
    args = ap.parse_args(argv)
    if not is_postgres_url(args.db) and not Path(args.db).is_file():
        print(f"no backend database at {args.db}", file=sys.stderr)
        return 2
    db = BackendDB(args.db)
    try:
        return _run(db, args)
    finally:
        db.close()


def _run(db: BackendDB, args: argparse.Namespace) -> int:
    if args.command == "list":
        for row in db.kiosks():
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if args.command == "revoke":
        if not db.revoke(args.kiosk_id):
            print(f"no kiosk {args.kiosk_id!r}", file=sys.stderr)
            return 1
        print(f"kiosk {args.kiosk_id} revoked: its token no longer works")
        return 0
    if args.command == "reinstate":
        if not db.reinstate(args.kiosk_id):
            print(f"kiosk {args.kiosk_id!r} is unknown or not revoked (revoke it first)",
                  file=sys.stderr)
            return 1
        print(f"kiosk {args.kiosk_id} may enrol again with its centre's enrolment code")
        return 0
    if args.command == "centre-code":
        print(db.centre_enrolment_code(args.centre))
        return 0
    db.set_centre_district(args.centre, args.district)
    print(f"centre {args.centre}: due dates count {args.district}'s holidays")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
