"""``kiosk centre``, ``kiosk queue status`` and ``kiosk counter …`` (wired from kiosk/cli.py).

The counter commands are clients of the centre service (``[centre] url``, else
``http://[centre] host:port``). They need a device token: ``[centre] device_token``, else the
one this data directory enrolled before, else they enrol with ``[centre] enrolment_code`` — or,
on the machine that runs the service, with the code in its database. The operator's PIN comes
from ``KIOSK_OPERATOR_PIN`` or the first line of stdin, never from a flag (flags end up in shell
histories and ``ps``). The session is kept in the data directory, so ``call-next`` and a later
``complete`` are the same operator's session at the same counter.

Exit codes as the rest of ``kiosk``: 0 done, 2 refused or bad input (bilingual message on
stderr), 1 the service could not be reached or something unexpected.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.centre.db import local_enrolment_code
from kiosk.centre.errors import CentreError, CentreUnreachableError, UnauthorizedError
from kiosk.config import Config
from kiosk.i18n import N_
from kiosk.stop_signal import StopSignal

if TYPE_CHECKING:  # the HTTP stack loads only when a command needs it (``kiosk run`` never)
    from kiosk.centre.client import CentreClient

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
COUNTER_ACTIONS = ("call-next", "recall", "park", "unpark", "no-show", "requeue", "complete",
                   "break", "resume", "transfer")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``centre``, ``queue`` and ``counter`` to the ``kiosk`` parser."""
    cen = sub.add_parser("centre", parents=[common],
                         help="run the centre service (queue, counters, event stream); first "
                              "stdout line: 'centre service listening on http://H:P'")
    cen.add_argument("--host", help="default [centre] host (127.0.0.1)")
    cen.add_argument("--port", type=int, help="default [centre] port (8790); 0 picks a free one")
    cen.add_argument("--db", metavar="FILE", help="default <data-dir>/centre.sqlite3")
    cen.add_argument("--enrolment-code", metavar="CODE",
                     help="code kiosks, counters and boards enrol with (default [centre] "
                          "enrolment_code, else generated once and kept in the database)")
    cen.add_argument("--no-forward", action="store_true",
                     help="do not forward token events to the state backend")

    que = sub.add_parser("queue", parents=[common], help="the centre's queue")
    qsub = que.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    qst = qsub.add_parser("status", parents=[common],
                          help="waiting per group, counters, estimated waits")
    qst.add_argument("--json", action="store_true", help="the whole snapshot as JSON")

    cnt = sub.add_parser("counter", parents=[common],
                         help="counter actions for scripts (PIN from KIOSK_OPERATOR_PIN or "
                              "stdin); prints the new state as JSON; exit 2 if not allowed")
    csub = cnt.add_subparsers(dest="counter_command", metavar="ACTION", required=True)
    for action in COUNTER_ACTIONS:
        p = csub.add_parser(action, parents=[common])
        p.add_argument("--counter", required=True, metavar="N")
        p.add_argument("--operator", required=True, metavar="ID")
        p.add_argument("--token", metavar="X", required=action == "transfer",
                       help="token number (C-017) or id")
        if action == "transfer":
            to = p.add_mutually_exclusive_group(required=True)
            to.add_argument("--to", metavar="GROUP", help="another service group")
            to.add_argument("--to-counter", metavar="M", help="a named counter")


def say(exc: CentreError) -> None:
    """Hindi, English, then the technical detail, on stderr (like the rest of ``kiosk``)."""
    print(f"{exc.user_message('hi')}\n{exc.user_message('en')}\n({exc.detail})",
          file=sys.stderr)


def run(args: argparse.Namespace, config: Config) -> int:
    try:
        if args.command == "centre":
            return serve(args, config)
        if args.command == "queue":
            return queue_status(args, config)
        return counter(args, config)
    except CentreUnreachableError as exc:
        say(exc)
        return EXIT_ERROR
    except CentreError as exc:
        say(exc)
        return EXIT_INVALID


# -- kiosk centre ---------------------------------------------------------------------------------

def serve(args: argparse.Namespace, config: Config) -> int:
    from kiosk.centre.runtime import start_centre

    host = args.host or str(config.centre["host"])
    port = int(config.centre["port"]) if args.port is None else args.port
    with StopSignal() as stop, start_centre(
            config, host=host, port=port, db=args.db, enrolment_code=args.enrolment_code,
            forward=not args.no_forward) as centre:
        print(f"centre service listening on {centre.url}", flush=True)
        print(f"database: {centre.store.path}", flush=True)
        print(f"enrolment code: {centre.enrolment_code}", flush=True)
        if centre.engine is not None:
            print(f"forwarding to: {centre.settings.url}", flush=True)
        from kiosk.systemd_notify import wait_serving

        wait_serving(stop)  # READY=1 and watchdog pings under systemd
    return EXIT_OK


# -- clients --------------------------------------------------------------------------------------

def centre_url(config: Config) -> str:
    url = str(config.centre["url"]).rstrip("/")
    if url:
        return url
    host = str(config.centre["host"])
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{config.centre['port']}"


#: Associated data of the sealed state file (a sealed value is bound to what it is).
STATE_LABEL = "centre-client"


def _state_file(config: Config) -> Path:
    return config.data_dir / "centre-client.json"


def _load_state(config: Config) -> dict[str, Any]:
    """The CLI's device token and sessions; sealed at rest (kiosk.secret_box), a plain file
    from an older version is still read and sealed on the next save."""
    from kiosk.secret_box import SecretError, box_for, is_sealed

    try:
        text = _state_file(config).read_text(encoding="utf-8")
        if is_sealed(text.strip()):
            text = box_for(config).open(text.strip(), label=STATE_LABEL)
        data = json.loads(text)
    except (OSError, ValueError, SecretError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(config: Config, data: dict[str, Any]) -> None:
    path = _state_file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    from kiosk.secret_box import box_for

    tmp.write_text(box_for(config).seal(json.dumps(data), label=STATE_LABEL), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _local_code(config: Config) -> str:
    """The enrolment code of a centre service running from this machine's data directory."""
    return local_enrolment_code(config.centre_db_path)


def connect(config: Config) -> CentreClient:
    """A client with a device token (configured, remembered, or enrolled now)."""
    from kiosk.centre.client import CentreClient

    url = centre_url(config)
    client = CentreClient(url, timeout=10.0)
    token = str(config.centre["device_token"])
    state = _load_state(config)
    if not token and state.get("url") == url:
        token = str(state.get("device_token") or "")
    if not token:
        code = str(config.centre["enrolment_code"]) or _local_code(config)
        if not code:
            raise UnauthorizedError(f"no [centre] device_token or enrolment_code for {url}",
                                    message=N_("This computer is not enrolled with the centre "
                                               "service. Set [centre] enrolment_code."))
        token = client.enrol(code, f"cli-{os.uname().nodename}"[:64].replace(" ", "-"), "cli")
        state = {"url": url, "device_token": token, "sessions": {}}
        _save_state(config, state)
    client.device_token = token
    return client


def read_pin() -> str:
    pin = os.environ.get("KIOSK_OPERATOR_PIN") or sys.stdin.readline().strip()
    if not pin:
        raise UnauthorizedError("no PIN in KIOSK_OPERATOR_PIN or on stdin", code="no-pin",
                                message=N_("Please give the operator's PIN (in "
                                           "KIOSK_OPERATOR_PIN or on standard input)."))
    return pin


# -- kiosk queue status ---------------------------------------------------------------------------

def queue_status(args: argparse.Namespace, config: Config) -> int:
    with connect(config) as client:
        snap = client.queue()
    if args.json:
        print(json.dumps(snap, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"centre {snap.get('centre', '')}  day {snap['day']}  "
          f"last event {snap['last_event_id']}")
    print("group  waiting  priority  longest  counters  wait")
    for g in snap["groups"]:
        wait = "—" if g["wait_min"] is None else f"{g['wait_min']}-{g['wait_max']} min"
        print(f"{g['group']:<6} {g['waiting']:>7}  {g['priority_waiting']:>8}  "
              f"{g['longest_wait_s'] // 60:>5} m  {g['counters_open']:>8}  {wait}")
    for c in snap["counters"]:
        tok = c["token"]["number"] if c["token"] else "-"
        print(f"counter {c['counter']:<4} {c['state']:<6} {c['operator_id'] or '-':<12} "
              f"now {tok:<7} served {c['served_today']}  groups {','.join(c['groups'])}")
    for t in snap["waiting"]:
        wait = "—" if t["wait_min"] is None else f"{t['wait_min']}-{t['wait_max']} min"
        print(f"  {t['number']:<7} {t['group']} {t['priority']:<8} "
              f"ahead {t['people_ahead']:>3}  {wait}")
    return EXIT_OK


# -- kiosk counter ACTION -------------------------------------------------------------------------

def counter(args: argparse.Namespace, config: Config) -> int:
    action = args.counter_command
    with connect(config) as client:
        key = f"{args.counter}:{args.operator}"
        state = _load_state(config)
        sessions = state.setdefault("sessions", {})
        body: dict[str, Any] = {"token": args.token}
        if action == "transfer":
            body["to_group"], body["to_counter"] = args.to, args.to_counter
        session = sessions.get(key)
        for attempt in (1, 2):
            if not session:
                login = client.login(args.counter, read_pin(), operator_id=args.operator)
                session = login["session_token"]
                sessions[key] = session
                _save_state(config, state)
            try:
                result = client.act(args.counter, action, session, **body)
                break
            except UnauthorizedError:
                if attempt == 2:
                    raise
                session = None
        print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK
