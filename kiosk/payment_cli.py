"""``kiosk payment confirm-cash`` and ``kiosk payment void``: cash at the desk from a script.

Like ``kiosk counter …`` (:mod:`kiosk.centre.cli`), these are clients of the centre service:
the device token and the operator's sessions are the ones that module keeps in the data
directory, so a ``confirm-cash`` and a later ``void`` are the same operator's session at the
same counter. The operator's PIN comes from ``KIOSK_OPERATOR_PIN`` or the first line of stdin
(only when no session is kept); the supervisor's from ``KIOSK_SUPERVISOR_PIN`` or the next line
of stdin — never from a flag (flags end up in shell histories and ``ps``).

Exit codes: 0 done, 2 refused or bad input (bilingual message on stderr), 1 the centre service
could not be reached. ``--print`` prints on *this* machine's printer (``[printer] url``) through
:class:`~kiosk.printing.print_jobs.PrintService`; a printer fault does not undo the payment
(the JSON says ``printed: false`` with the reason; reprint with ``--print`` again: a second
confirm answers the same receipt).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.centre import cli as centre_cli
from kiosk.centre.desk_cash import parse_rupees
from kiosk.centre.errors import CentreError, CentreUnreachableError, UnauthorizedError
from kiosk.errors import PrinterError, ValidationError
from kiosk.i18n import N_

if TYPE_CHECKING:
    from kiosk.centre.client import CentreClient
    from kiosk.config import Config
    from kiosk.documents.model import Document

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
SUPERVISOR_PIN_ENV = "KIOSK_SUPERVISOR_PIN"

MSG_NO_COUNTER = N_("Please say which counter (--counter N).")
MSG_NO_SUPERVISOR_PIN = N_("Please give the supervisor's PIN (in KIOSK_SUPERVISOR_PIN or on "
                           "standard input).")


def register_payment(sub: Any, common: argparse.ArgumentParser,
                     commands: dict[str, Callable[..., int]]) -> None:
    """Add ``kiosk payment confirm-cash|void`` to the main parser and its command table."""
    pay = sub.add_parser("payment", parents=[common],
                         help="cash at the desk through the centre service (PINs from "
                              "KIOSK_OPERATOR_PIN / KIOSK_SUPERVISOR_PIN or stdin)")
    psub = pay.add_subparsers(dest="payment_command", metavar="ACTION", required=True)
    conf = psub.add_parser("confirm-cash", parents=[common],
                           help="record the cash taken for an application; prints the receipt "
                                "as JSON (a second call answers the same receipt)")
    conf.add_argument("--application", required=True, metavar="NO")
    conf.add_argument("--operator", required=True, metavar="ID")
    conf.add_argument("--counter", metavar="N",
                      help="default: the counter of this operator's kept session")
    conf.add_argument("--amount", metavar="RUPEES",
                      help="the cash taken, in ₹ (default the application's fee)")
    conf.add_argument("--print", dest="do_print", action="store_true",
                      help="also print the receipt on this machine's printer")
    conf.add_argument("--json", action="store_true", help="JSON output (the default)")
    void = psub.add_parser("void", parents=[common],
                           help="cancel (or refund) a receipt, approved by a supervisor")
    void.add_argument("--receipt", required=True, metavar="R")
    void.add_argument("--operator", required=True, metavar="ID")
    void.add_argument("--supervisor", required=True, metavar="ID")
    void.add_argument("--reason", default="cancelled at the desk", metavar="TEXT")
    void.add_argument("--refund", action="store_true",
                      help="the cash was handed back (a refund, not a mistake)")
    void.add_argument("--print", dest="do_print", action="store_true",
                      help="print the void slip on this machine's printer")
    commands["payment"] = cmd_payment


def cmd_payment(args: argparse.Namespace, config: Config) -> int:
    try:
        if args.payment_command == "confirm-cash":
            return confirm_cash(args, config)
        return void(args, config)
    except CentreUnreachableError as exc:
        centre_cli.say(exc)
        return EXIT_ERROR
    except CentreError as exc:
        centre_cli.say(exc)
        return EXIT_INVALID


def receipt_counter(receipt_no: str) -> str:
    """``<centre>-<counter>-<YYYYMMDD>-<seq>``: the counter is third from the right (the
    centre code has hyphens of its own)."""
    parts = receipt_no.split("-")
    return parts[-3] if len(parts) >= 4 else ""


def _session(client: CentreClient, config: Config, operator: str,
             counter: str | None) -> tuple[str, str, Callable[[], None]]:
    """(counter, session token, forget) — the kept session of this operator, or a new log-in."""
    state = centre_cli._load_state(config)
    sessions: dict[str, str] = state.setdefault("sessions", {})
    if counter is None:
        mine = [k for k in sessions if k.endswith(f":{operator}")]
        if not mine:
            raise ValidationError("no --counter and no kept session", message=MSG_NO_COUNTER)
        counter = mine[0].split(":", 1)[0]
    key = f"{counter}:{operator}"
    token = sessions.get(key)
    if not token:
        token = str(client.login(counter, centre_cli.read_pin(),
                                 operator_id=operator)["session_token"])
        sessions[key] = token
        centre_cli._save_state(config, state)

    def forget() -> None:
        sessions.pop(key, None)
        centre_cli._save_state(config, state)

    return counter, token, forget


def _with_session(client: CentreClient, config: Config, operator: str, counter: str | None,
                  call: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Run ``call(session)``; an ended session is forgotten and the operator logs in again."""
    for attempt in (1, 2):
        counter, session, forget = _session(client, config, operator, counter)
        try:
            return call(session)
        except UnauthorizedError as exc:
            if attempt == 2 or exc.code not in ("no-session", "session-idle"):
                raise
            forget()
    raise AssertionError("unreachable")


def _print(config: Config, doc: Document, result: dict[str, Any]) -> None:
    from kiosk.printing.print_jobs import PrintService
    from kiosk.qt_runtime import ensure_gui_app
    from kiosk.store import Store

    ensure_gui_app()
    try:
        with Store(config.db_path) as store:
            PrintService(store, config).print_document(doc)
        result["printed"] = True
    except PrinterError as exc:
        result["printed"] = False
        result["print_error"] = {"hi": exc.user_message("hi"), "en": exc.user_message("en")}


def confirm_cash(args: argparse.Namespace, config: Config) -> int:
    amount = None if args.amount is None else parse_rupees(args.amount)
    with centre_cli.connect(config) as client:
        result = _with_session(client, config, args.operator, args.counter,
                               lambda s: client.confirm_cash(s, args.application,
                                                             amount_paise=amount,
                                                             counter=args.counter))
    if args.do_print:
        from kiosk.catalogue import packaged_catalogue
        from kiosk.documents.cash_receipt import build_cash_receipt

        doc = build_cash_receipt(result, packaged_catalogue(), config, config.default_language,
                                 reprint=bool(result.get("already_paid")))
        _print(config, doc, result)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def _supervisor_pin() -> str:
    pin = os.environ.get(SUPERVISOR_PIN_ENV) or sys.stdin.readline().strip()
    if not pin:
        raise UnauthorizedError("no supervisor PIN", code="no-pin",
                                message=MSG_NO_SUPERVISOR_PIN)
    return pin


def void(args: argparse.Namespace, config: Config) -> int:
    counter = receipt_counter(args.receipt) or None
    with centre_cli.connect(config) as client:
        result = _with_session(
            client, config, args.operator, counter,
            lambda s: client.void_cash(s, args.receipt, pin=_supervisor_pin(),
                                       reason=args.reason,
                                       kind="refund" if args.refund else "void",
                                       supervisor_id=args.supervisor))
    if args.do_print:
        from kiosk.catalogue import packaged_catalogue
        from kiosk.documents.cash_receipt import build_void_slip

        _print(config, build_void_slip(result, packaged_catalogue(), config,
                                       config.default_language), result)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


__all__ = ["cmd_payment", "parse_rupees", "receipt_counter", "register_payment"]
