"""The ``kiosk`` command: the kiosk itself and the tools people and scripts rely on.

Flags here are a contract (acceptance checks and centre scripts drive them): add, never rename.
Every subcommand takes ``--config FILE`` and ``--data-dir DIR``. Exit codes: 0 ok, 2 bad input
(with a bilingual message on stderr), 3 the job was done but a device failed (e.g. a token was
issued but its slip did not print), 1 anything unexpected (details in the log).
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.config import Config, load_config
from kiosk.errors import KioskError, ValidationError
from kiosk.i18n import N_, normalise_language, translate
from kiosk.logging_setup import setup_logging

if TYPE_CHECKING:
    from reference_backend import Faults

log = logging.getLogger("kiosk.cli")

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_DEVICE = 0, 1, 2, 3


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--config", metavar="FILE", help="TOML configuration file")
    p.add_argument("--data-dir", metavar="DIR", help="database, logs and simulated print output")
    p.add_argument("--init", action="store_true",
                   help="set an empty or foreign database file aside and start a new one")
    return p


def _lang_arg(p: argparse.ArgumentParser, default: str | None = "hi") -> None:
    p.add_argument("--lang", default=default, metavar="hi|en",
                   help="language (unknown codes fall back to English with a warning)")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1080x1920, not {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Seva Kiosk — Lok Seva Kendra touchscreen terminal")
    parser.add_argument("--version", action="version", version=f"seva-kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="run the kiosk (the default)")
    run.add_argument("--windowed", action="store_true", help="a normal window, not full-screen")
    run.add_argument("--mode", choices=["kiosk", "counter", "board"], default="kiosk",
                     help="citizen kiosk (default), counter operator's console, display board")
    run.add_argument("--counter", metavar="N", help="the counter this console serves "
                     "(required with --mode counter)")
    run.add_argument("--demo", action="store_true",
                     help="demo mode: the embedded backend confirms UPI payments by itself, "
                          "every screen shows DEMO and every slip prints DEMO — NOT VALID "
                          "(also [demo] enabled = true)")
    _lang_arg(run, default=None)

    shot = sub.add_parser("screenshot", parents=[common], help="render a screen to PNG offscreen")
    shot.add_argument("screen", nargs="?", help="screen name (see --list)")
    shot.add_argument("--list", action="store_true", help="list the screen names")
    _lang_arg(shot)
    shot.add_argument("--out", metavar="FILE.png")
    shot.add_argument("--size", type=_size, default=None, metavar="WxH",
                      help="default 1080x1920 (kiosk), 1366x768 (counter_* screens), "
                           "1920x1080 (board_* screens; board_portrait 1080x1920)")

    prev = sub.add_parser("preview", parents=[common], help="render a printout to ESC/POS + PNG")
    prev.add_argument("document", choices=["token", "receipt", "certificate", "day-end",
                                           "cash-receipt", "void-slip"],
                      help="token slip, application acknowledgement (receipt), certificate, "
                           "the counter's printed day-end, the desk's cash receipt and void slip")
    _lang_arg(prev)
    prev.add_argument("--escpos", metavar="FILE.bin", required=True)
    prev.add_argument("--png", metavar="FILE.png", required=True)
    prev.add_argument("--paper", type=int, choices=[80, 58], default=80)
    prev.add_argument("--warm", action="store_true",
                      help="the job as sent when the printer already holds the fixed labels "
                           "(graphics memory); the PNG is decoded from those bytes plus the "
                           "graphics the simulated printer holds")

    app = sub.add_parser("application", parents=[common],
                         help="applications from data files (validated like the kiosk's form)")
    asub = app.add_subparsers(dest="application_command", metavar="ACTION", required=True)
    tmpl = asub.add_parser("template", parents=[common],
                           help="print a filled example data file for a service's form")
    tmpl.add_argument("--service", required=True, metavar="CODE", help="e.g. INC, DOM, CST")
    _lang_arg(tmpl)
    subm = asub.add_parser("submit", parents=[common],
                           help="validate and store an application; prints its number and due "
                                "date as JSON; exit 2 with bilingual messages if invalid")
    subm.add_argument("--service", required=True, metavar="CODE")
    subm.add_argument("--data", required=True, metavar="FILE.json")
    subm.add_argument("--submission-id", metavar="ID", default=None,
                      help="makes a repeated submit return the same application "
                           "(default: a hash of the service and the file)")
    _lang_arg(subm)

    cert = sub.add_parser("certificate", parents=[common], help="signed certificates")
    csub = cert.add_subparsers(dest="certificate_command", metavar="ACTION", required=True)
    ver = csub.add_parser("verify", parents=[common],
                          help="check a certificate QR offline (pinned keys, revocation list); "
                               "exit 0 valid, 2 invalid/revoked/unknown issuer")
    ver.add_argument("--qr-text", required=True, metavar="TEXT")
    ver.add_argument("--json", action="store_true", help="machine-readable output")
    _lang_arg(ver)
    cprint = csub.add_parser("print", parents=[common],
                             help="fetch an issued certificate from the backend, check its "
                                  "signature, print it on the configured printer")
    cprint.add_argument("--number", required=True, metavar="CERT-NO")
    _lang_arg(cprint)

    tok = sub.add_parser("token", parents=[common], help="queue tokens from the command line")
    tsub = tok.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    issue = tsub.add_parser("issue", parents=[common], help="issue a token, print it as JSON")
    issue.add_argument("--group", required=True, help="service group letter, e.g. C")
    issue.add_argument("--priority", default="general",
                       help="general | senior | divyang | pregnant")
    issue.add_argument("--print", dest="do_print", action="store_true",
                       help="also print the slip on the configured printer")
    _lang_arg(issue)

    sim = sub.add_parser("sim", parents=[common], add_help=False,
                         help="run a device simulator (printer|fingerprint|rfid|scanner|"
                              "rdservice); first stdout line is its path/address")
    sim.add_argument("sim_args", nargs=argparse.REMAINDER,
                     help="DEVICE [--pty | --tcp HOST:PORT] [--out DIR] [device flags]; "
                          "`kiosk sim --help` lists them")

    doc = sub.add_parser("doctor", parents=[common],
                         help="open every configured device, self-test it, list ports and USB "
                              "devices and the print journal; exit 3 if a device is unhealthy")
    doc.add_argument("--json", action="store_true", help="one JSON document on stdout")
    doc.add_argument("--test-page", action="store_true",
                     help="also print the printer's test page (paper: only when asked)")
    doc.add_argument("--no-test-page", action="store_true",
                     help="(the default now; kept so older scripts still run)")
    from kiosk.centre.operator_cli import register_audit, register_operator
    register_operator(sub, common, COMMANDS)
    register_audit(sub, common, COMMANDS)
    from kiosk.translit.cli import register_translit
    register_translit(sub, common, COMMANDS)
    from kiosk.report_cli import register_report
    register_report(sub, common, COMMANDS)
    from kiosk.config_cli import register as register_config
    register_config(sub, common, COMMANDS)
    from kiosk.payment_cli import register_payment
    register_payment(sub, common, COMMANDS)

    syn = sub.add_parser("sync", parents=[common], help="sync with the central backend")
    ssub = syn.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    sstat = ssub.add_parser("status", parents=[common],
                            help="online?, last success, waiting and parked records")
    sstat.add_argument("--json", action="store_true", help="machine-readable output")
    sonce = ssub.add_parser("once", parents=[common],
                            help="drain now; exit non-zero if anything is parked or unsent")
    sonce.add_argument("--json", action="store_true", help="machine-readable output")

    be = sub.add_parser("backend", parents=[common], help="run the reference backend")
    be.add_argument("--host", default="127.0.0.1")
    be.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    be.add_argument("--db", metavar="FILE|URL", help="its store: a SQLite file, or a "
                    "postgresql://user@host/dbname URL for a district "
                    "(default: <data-dir>/backend/reference.sqlite3)")
    be.add_argument("--enrolment-code", help="code kiosks exchange for a token "
                    "(default: generated once and kept in the database)")
    be.add_argument("--latency-ms", type=float, default=0.0, help="fault: delay every answer")
    be.add_argument("--error-rate", type=float, default=0.0, help="fault: share of 503s")
    be.add_argument("--drop-rate", type=float, default=0.0,
                    help="fault: share of connections dropped after the commit "
                    "(implies --test-server)")
    be.add_argument("--workers", type=int, default=1,
                    help="worker processes of the production server (each its own store "
                    "connection; docs/sync.md)")
    be.add_argument("--max-inflight-writes", type=int, default=4, metavar="N",
                    help="writes in flight per worker; beyond it 429 + Retry-After at once")
    be.add_argument("--max-retry-after", type=int, default=10, metavar="S",
                    help="the widest Retry-After spread handed out under load (seconds)")
    be.add_argument("--request-timeout", type=float, default=8.0, metavar="S",
                    help="a request running longer is answered 503 + Retry-After")
    be.add_argument("--test-server", action="store_true",
                    help="serve with the single-process test server (every fault switch) "
                    "instead of the production server")

    from kiosk.centre.cli import add_parsers as add_centre_parsers
    from kiosk.speech.cli import add_parser as add_announce_parser

    add_centre_parsers(sub, common)
    add_announce_parser(sub, common)
    return parser


def _say_error(exc: KioskError) -> None:
    """Both languages on stderr: an operator may read either (one line per bad field)."""
    from kiosk.applications import InvalidApplicationError

    if isinstance(exc, InvalidApplicationError):
        print(f"{translate(exc.message, 'hi')} / {translate(exc.message, 'en')}", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err.key}: {err.bilingual()}", file=sys.stderr)
        return
    # user_message: a centre refusal carries the service's own (formatted) sentence.
    print(f"{exc.user_message('hi')}\n{exc.user_message('en')}\n({exc.detail})",
          file=sys.stderr)


def _say_both(msgid: str) -> None:
    """A refusal of the command line itself, Hindi first, on stderr."""
    print(f"{translate(msgid, 'hi')}\n{translate(msgid, 'en')}", file=sys.stderr)


def _lang(value: str | None, config: Config) -> str:
    lang, ok = normalise_language(value or config.default_language)
    if not ok:
        print(f"warning: unknown language {value!r}; using English", file=sys.stderr)
    return lang


def cmd_run(args: argparse.Namespace, config: Config) -> int:
    from kiosk.display_check import check_display

    no_screen = check_display()  # before Qt, which would abort (exit 134) without a display
    if no_screen is not None:
        log.error("no usable display: %s", no_screen.detail)
        _say_both(no_screen.message)
        print(f"({no_screen.detail})", file=sys.stderr)
        return EXIT_ERROR
    lang = _lang(args.lang, config) if args.lang else None
    if args.demo:
        config.raw["demo"]["enabled"] = True
    if config.demo:
        log.warning("DEMO mode: payments confirm themselves; slips print DEMO — NOT VALID")
    if args.mode == "board":
        from kiosk.ui.board.app import run_board

        return run_board(config, windowed=args.windowed)
    if args.mode == "counter":
        counter = (args.counter or "").strip()
        if not counter.isdigit() or not 1 <= int(counter) <= 99:
            _say_both(N_("Give the counter number, e.g. --counter 3."))
            return EXIT_INVALID
        from kiosk.ui.counter.app import run_counter

        return run_counter(config, str(int(counter)), windowed=args.windowed, lang=lang)
    from kiosk.ui.app import run_kiosk

    return run_kiosk(config, windowed=args.windowed, lang=lang)


def cmd_screenshot(args: argparse.Namespace, config: Config) -> int:
    from kiosk.ui.screenshot import ALL_SCREENS, render_screen

    if args.list:
        for name in ALL_SCREENS:
            print(name)
        return EXIT_OK
    if not args.screen or not args.out:
        print("screenshot needs SCREEN and --out FILE.png (or --list)", file=sys.stderr)
        return EXIT_INVALID
    if args.screen not in ALL_SCREENS:
        print(f"unknown screen {args.screen!r}; one of: {', '.join(ALL_SCREENS)}",
              file=sys.stderr)
        return EXIT_INVALID
    from kiosk.ui.board.screenshot import BOARD_SIZES

    size = args.size or ((1366, 768) if args.screen.startswith("counter_")
                         else BOARD_SIZES.get(args.screen, (1920, 1080))
                         if args.screen.startswith("board_") else (1080, 1920))
    render_screen(args.screen, _lang(args.lang, config), Path(args.out), size=size,
                  config=config)
    print(args.out)
    return EXIT_OK


def cmd_preview(args: argparse.Namespace, config: Config) -> int:
    from kiosk.qt_runtime import ensure_gui_app

    ensure_gui_app()
    lang, paths = _lang(args.lang, config), (Path(args.escpos), Path(args.png))
    if args.document == "receipt":
        from kiosk.printing.preview_receipt import preview_receipt

        stats = preview_receipt(lang, args.paper, *paths, config, warm=args.warm)
    elif args.document in ("cash-receipt", "void-slip"):
        from kiosk.printing.preview import preview_cash_document

        stats = preview_cash_document(args.document, lang, args.paper, *paths, config,
                                      warm=args.warm)
    elif args.document == "certificate":
        from kiosk.printing.preview import preview_certificate

        stats = preview_certificate(lang, args.paper, *paths, config, warm=args.warm)
    elif args.document == "day-end":
        from kiosk.printing.preview import preview_day_end

        stats = preview_day_end(lang, args.paper, *paths, config, warm=args.warm)
    else:
        from kiosk.printing.preview import preview_token

        stats = preview_token(lang, args.paper, *paths, config, warm=args.warm)
    print(json.dumps(stats, ensure_ascii=False))
    return EXIT_OK


def cmd_application(args: argparse.Namespace, config: Config) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.application_cli import submit_from_file, template
    from kiosk.applications import ApplicationService
    from kiosk.store import Store

    lang = _lang(args.lang, config)
    with Store(config.db_path) as store:
        apps = ApplicationService(store, config)
        if args.application_command == "template":
            today = datetime.now(ZoneInfo(config.timezone)).date()
            data = template(apps.catalogue(), apps.service(args.service.upper()), today, lang)
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return EXIT_OK
        result = submit_from_file(args.service.upper(), Path(args.data), lang, apps,
                                  submission_id=args.submission_id)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_certificate(args: argparse.Namespace, config: Config) -> int:
    from kiosk.certificate_cli import print_command, verify_command
    from kiosk.errors import PrinterError
    from kiosk.store import Store

    lang = _lang(args.lang, config)
    with Store(config.db_path) as store:
        if args.certificate_command == "print":
            from kiosk.qt_runtime import ensure_gui_app

            ensure_gui_app()
            try:
                print(json.dumps(print_command(args.number, store, config, lang),
                                 ensure_ascii=False))
            except PrinterError as exc:
                _say_error(exc)
                return EXIT_DEVICE
            return EXIT_OK
        code, text = verify_command(args.qr_text, args.json, store, lang)
    print(text)
    return code


def cmd_token(args: argparse.Namespace, config: Config) -> int:
    """Issue through the centre service (configured, or the one on this machine), from the
    kiosk's lease when it does not answer; see kiosk/issuing/runtime.py:cli_link."""
    from kiosk.issuing.runtime import cli_link
    from kiosk.queue import TokenService
    from kiosk.store import Store

    lang = _lang(args.lang, config)
    with Store(config.db_path) as store, cli_link(config, store) as link:
        token = TokenService(store, config, centre=link.issuer).issue(args.group, args.priority,
                                                                      lang)
        link.sync_now()  # hand over earlier offline tokens, keep the lease topped up
        result: dict[str, object] = token.to_json()
        code = EXIT_OK
        if args.do_print:
            from kiosk.errors import PrinterError
            from kiosk.printing.print_jobs import PrintService
            from kiosk.qt_runtime import ensure_gui_app

            ensure_gui_app()
            try:
                PrintService(store, config).print_token(token, lang)
                result["printed"] = True
            except PrinterError as exc:
                log.warning("token %s issued but not printed: %s", token.number, exc.detail)
                result["printed"] = False
                result["print_error"] = {"hi": exc.user_message("hi"),
                                         "en": exc.user_message("en")}
                code = EXIT_DEVICE
    print(json.dumps(result, ensure_ascii=False))
    return code


def cmd_sim(args: argparse.Namespace, config: Config) -> int:
    return _run_sim_passthrough(list(args.sim_args))


def _run_sim_passthrough(argv: list[str]) -> int:
    """``kiosk sim`` hands its arguments (``--help`` included) to the simulator's own parser.

    ``--config``/``--data-dir`` are accepted like everywhere else; a simulator needs neither,
    but scripts pass them to every subcommand.
    """
    from kiosk.devices.sim.cli import run_sim

    rest: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in ("--config", "--data-dir"):
            next(it, None)
        elif not arg.startswith(("--config=", "--data-dir=")):
            rest.append(arg)
    logging.basicConfig(level=logging.WARNING)
    return run_sim(rest)


def cmd_doctor(args: argparse.Namespace, config: Config) -> int:
    from kiosk.doctor import render_text, run_doctor

    report = run_doctor(config, test_page=args.test_page and not args.no_test_page)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        print(render_text(report))
    return EXIT_OK if report["ok"] else EXIT_DEVICE


def cmd_sync(args: argparse.Namespace, config: Config) -> int:
    from kiosk.store import Store
    from kiosk.sync.runtime import start_sync
    from kiosk.sync.status import read_status

    with Store(config.db_path) as store:
        if args.sync_command == "status":
            status = read_status(store, backend_url=config.backend_url or "(embedded)",
                                 embedded=not config.backend_url)
        else:
            with start_sync(config, store, start_worker=False) as runtime:
                status = runtime.sync_once()
    if args.json:
        print(json.dumps({**status.to_json(), "demo": config.demo}, ensure_ascii=False,
                         indent=2))
    else:
        if config.demo:
            print("demo:          yes (UPI payments confirm themselves; nothing is valid)")
        online = {None: "unknown", True: "yes", False: "no"}[status.online]
        print(f"backend:       {status.backend_url}")
        print(f"online:        {online}{'  (credential refused)' if status.auth_failed else ''}")
        from kiosk.local_time import stamp_text

        print(f"last success:  {stamp_text(status.last_success_at, config.timezone) or 'never'}")
        if status.last_attempt_at:
            print(f"last attempt:  {stamp_text(status.last_attempt_at, config.timezone)}")
        if status.last_error:
            print(f"last error:    {status.last_error}")
        depth = ", ".join(f"{k} {v}" for k, v in status.outbox_depth.items()) or "none"
        print(f"waiting:       {status.waiting} ({depth}); delivered {status.delivered}")
        print(f"parked:        {len(status.parked)}")
        for p in status.parked:
            print(f"  #{p.id} {p.kind} {p.record_id}: [{p.code}] {p.reason}")
    if args.sync_command == "once" and (status.parked or status.waiting or status.blocked):
        return EXIT_ERROR
    return EXIT_OK


MSG_PORT_BUSY = N_("That port is already in use (another backend, or another program). Stop "
                   "it, or give another one with --port.")


MSG_BACKEND_DB = N_("The backend's database could not be opened. Check the --db address, "
                    "that the PostgreSQL server is running, and the user's password.")


def cmd_backend(args: argparse.Namespace, config: Config) -> int:
    from kiosk.stop_signal import StopSignal
    from reference_backend import Faults, ReferenceBackend

    db: Path | str = args.db or config.data_dir / "backend" / "reference.sqlite3"
    faults = Faults(latency_s=args.latency_ms / 1000, error_rate=args.error_rate,
                    drop_after_commit_rate=args.drop_rate)
    from reference_backend.store import StoreUnavailableError

    try:
        if not (args.test_server or args.drop_rate > 0):
            return _serve_production(args, db, faults)
        backend = ReferenceBackend(db, args.host, args.port, enrolment_code=args.enrolment_code,
                                   faults=faults)
    except StoreUnavailableError as exc:
        _say_both(MSG_BACKEND_DB)
        print(f"({exc})", file=sys.stderr)
        return EXIT_ERROR
    try:
        backend.start()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        _say_port_busy(args, exc)
        backend.close()
        return EXIT_ERROR
    try:
        with StopSignal() as stop:
            print(f"reference backend listening on {backend.url}", flush=True)
            print(f"database: {backend.db.location_for_humans}", flush=True)
            print(f"enrolment code: {backend.enrolment_code}", flush=True)
            stop.wait()
    finally:
        backend.close()
    return EXIT_OK


def _say_port_busy(args: argparse.Namespace, exc: OSError) -> None:
    _say_both(MSG_PORT_BUSY)
    print(f"({args.host}:{args.port}: {exc.strerror})", file=sys.stderr)


MSG_PG_TOO_FEW_CONNECTIONS = N_(
    "{workers} workers with {pool} database connections each need {needed} PostgreSQL "
    "connections, but the server has only {available} free (max_connections = "
    "{max_connections}, {reserved} kept for administrators, {in_use} already in use). Start "
    "fewer workers (--workers), give each a smaller pool (SEVA_BACKEND_POOL_SIZE), or raise "
    "max_connections in postgresql.conf and restart PostgreSQL.")
MSG_PG_CONNECTIONS_CLOSE = N_(
    "Warning: {workers} workers with {pool} database connections each can take {needed} of "
    "the {available} free PostgreSQL connections (max_connections = {max_connections}), "
    "leaving little for anything else. Consider fewer workers (--workers) or a smaller pool "
    "(SEVA_BACKEND_POOL_SIZE).")


def _check_connections(db: Path | str, workers: int) -> bool:
    """Do ``workers`` pools fit in the PostgreSQL server's free connections? Refuse (False)
    when they do not, warn when they barely do; SQLite always fits."""
    from reference_backend.workers import connection_plan

    plan = connection_plan(db, workers)
    if plan is None or (plan.fits and not plan.close):
        return True
    msgid = MSG_PG_CONNECTIONS_CLOSE if plan.fits else MSG_PG_TOO_FEW_CONNECTIONS
    numbers = plan.numbers()
    print("\n".join(translate(msgid, lang).format(**numbers) for lang in ("hi", "en")),
          file=sys.stderr)
    return plan.fits


def _serve_production(args: argparse.Namespace, db: Path | str, faults: Faults) -> int:
    """``kiosk backend``: the production server (reference_backend/workers.py), until SIGTERM;
    requests in flight then finish (committed and answered) before it exits."""
    from reference_backend import BackendDB
    from reference_backend.asgi_app import Limits
    from reference_backend.workers import bind, serve

    store = BackendDB(db, args.enrolment_code)  # created or migrated once, before the workers
    code, where = store.enrolment_code, store.location_for_humans
    store.close()
    if not _check_connections(db, max(1, args.workers)):
        return EXIT_ERROR
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        _say_port_busy(args, exc)
        return EXIT_ERROR
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"reference backend listening on http://{host}:{sock.getsockname()[1]}", flush=True)
    print(f"database: {where}", flush=True)
    print(f"enrolment code: {code}", flush=True)
    print(f"workers: {max(1, args.workers)}", flush=True)
    limits = Limits(request_timeout_s=args.request_timeout,
                    max_inflight_writes=max(1, args.max_inflight_writes),
                    max_retry_after_s=max(1, args.max_retry_after))
    try:
        serve(db, sock, workers=max(1, args.workers), limits=limits, faults=faults)
    finally:
        sock.close()
    return EXIT_OK


def cmd_announce(args: argparse.Namespace, config: Config) -> int:
    """``kiosk announce`` (kiosk/speech/cli.py)."""
    from kiosk.speech.cli import run

    return run(args, config)


def cmd_centre(args: argparse.Namespace, config: Config) -> int:
    """``kiosk centre``, ``kiosk queue``, ``kiosk counter`` (kiosk/centre/cli.py)."""
    from kiosk.centre.cli import run

    return run(args, config)


COMMANDS = {"run": cmd_run, "centre": cmd_centre, "queue": cmd_centre, "counter": cmd_centre,
            "sim": cmd_sim, "screenshot": cmd_screenshot, "preview": cmd_preview,
            "token": cmd_token, "sync": cmd_sync, "backend": cmd_backend, "doctor": cmd_doctor,
            "application": cmd_application, "certificate": cmd_certificate,
            "announce": cmd_announce}


def _private_data_dir(config: Config, *, init: bool) -> KioskError | None:
    """Everything this process writes is private (umask 077); the data directory is 0700 and
    its files 0600 (older ones tightened); ``--init`` sets a refused database file aside.
    Returns the refusal to show (the data directory is a file, FIFO or device), else None."""
    from kiosk.centre.db import CentreStore
    from kiosk.file_modes import PRIVATE_UMASK, prepare_data_dir
    from kiosk.store import Store

    os.umask(PRIVATE_UMASK)
    try:
        prepare_data_dir(config.data_dir)
        if init:
            for cls, path in ((Store, config.db_path), (CentreStore, config.centre_db_path)):
                moved = cls.set_aside_if_refused(path)
                if moved is not None:
                    print(f"{path} → {moved}", file=sys.stderr)
    except KioskError as exc:
        return exc
    return None


def main(argv: Sequence[str] | None = None, default_command: str | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if default_command and (not args_list or args_list[0].startswith("-")) \
            and not {"-h", "--help", "--version"} & set(args_list):
        args_list.insert(0, default_command)
    if args_list[:1] == ["sim"]:
        return _run_sim_passthrough(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not args.command:
        parser.print_help()
        return EXIT_INVALID
    config = load_config(args.config, args.data_dir)
    refusal = _private_data_dir(config, init=bool(getattr(args, "init", False)))
    if refusal is not None:
        _say_error(refusal)
        return EXIT_ERROR
    quiet = logging.INFO if args.command == "run" else logging.WARNING
    setup_logging(config.data_dir, stderr_level=quiet)
    for problem in config.problems:
        log.warning("config: %s", problem)
    try:
        return COMMANDS[args.command](args, config)
    except ValidationError as exc:
        _say_error(exc)
        return EXIT_INVALID
    except KioskError as exc:
        log.error("%s failed: %s", args.command, exc.detail)
        _say_error(exc)
        return EXIT_ERROR
    except BrokenPipeError:
        # `kiosk config show | head`: the reader has what it wanted. Point stdout at
        # /dev/null so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception:
        log.exception("%s failed unexpectedly", args.command)
        print("unexpected error; see the log in the data directory", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
