"""The board outlives its centre: SIGKILL the service, call while it is down, restart it.

The board must keep showing the last state with a discreet "connection lost" mark, reconnect
by itself, resume from the last event id it saw (``Last-Event-ID``) and so show — and hand on
for announcement — every call made while it was cut off, in order, none twice.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from board_helpers import ENROLMENT_CODE, PIN, Desk, add_operators, find, text

from kiosk.centre.db import CentreStore
from kiosk.centre.service import CentreService
from kiosk.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, port: int) -> subprocess.Popen[str]:
    """``kiosk centre`` as a child process, listening when this returns."""
    cmd = [sys.executable, "-m", "kiosk.cli", "centre", "--data-dir", str(data_dir),
           "--port", str(port), "--enrolment-code", ENROLMENT_CODE, "--no-forward"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env={**os.environ, "KIOSK_KIOSK__COUNTERS": "4"})
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(30)
    if not line or "listening on" not in line[0]:
        proc.kill()
        proc.wait(10)
        raise RuntimeError(f"centre did not start: {line!r}")
    return proc


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


def test_board_resumes_after_the_centre_is_killed_and_restarted(
        qtbot: Any, board_factory: Any, tmp_path: Path) -> None:
    data = tmp_path / "centre"
    config = load_config(data_dir=data, environ={"KIOSK_KIOSK__COUNTERS": "4"})
    with CentreStore(config.centre_db_path) as store:
        CentreService(store, config, enrolment_code=ENROLMENT_CODE)  # schema + counters
        add_operators(store)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start(data, port)
    announced: list[tuple[str, str, bool]] = []
    try:
        desk = Desk(url, counters=2)
        try:
            desk.issue("C", 8)
            ui = board_factory(url)
            ui.board.callAnnounced.connect(lambda t, c, r: announced.append((t, c, r)))
            qtbot.waitUntil(lambda: ui.link.property("state") == "online", timeout=10000)
            before = desk.call("1")
            qtbot.waitUntil(lambda: text(ui, "latestToken") == before, timeout=5000)
        finally:
            desk.close()
        seen = ui.link.property("lastEventId")

        _kill(proc)  # SIGKILL: no goodbye on the stream
        qtbot.waitUntil(lambda: find(ui, "connectionLost") is not None, timeout=10000)
        assert text(ui, "latestToken") == before  # the last state stays on screen

        # Calls the centre records while the board cannot hear it (e.g. it restarts and
        # the counters call at once): written straight to its database.
        with CentreStore(config.centre_db_path) as store:
            service = CentreService(store, config, enrolment_code=ENROLMENT_CODE)
            missed = []
            for counter in ("2", "1", "3"):
                session = service.login(counter, PIN, operator_id=f"op{counter}")
                if counter == "1":
                    service.act("1", "complete", session["session_token"], {})
                result = service.act(counter, "call-next", session["session_token"], {})
                missed.append((result["token"]["number"], counter, False))

        proc = _start(data, port)
        qtbot.waitUntil(lambda: find(ui, "connectionLost") is None
                        and ui.link.property("state") == "online", timeout=15000)
        qtbot.waitUntil(lambda: text(ui, "latestToken") == missed[-1][0], timeout=10000)
        assert ui.link.property("lastEventId") > seen
        assert announced == [(before, "1", False), *missed]  # none lost, none twice, in order
        history = [text(ui, f"historyToken_{i}") for i in range(3)]
        assert history == [missed[1][0], missed[0][0], before]
    finally:
        _kill(proc)


def test_a_board_started_while_the_centre_is_down_shows_it_and_joins_later(
        qtbot: Any, board_factory: Any, tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ui = board_factory(url)
    qtbot.waitUntil(lambda: find(ui, "connectionLost") is not None, timeout=10000)
    data = tmp_path / "late-centre"
    config = load_config(data_dir=data, environ={"KIOSK_KIOSK__COUNTERS": "4"})
    with CentreStore(config.centre_db_path) as store:
        CentreService(store, config, enrolment_code=ENROLMENT_CODE)
        add_operators(store)
    proc = _start(data, port)
    try:
        qtbot.waitUntil(lambda: ui.link.property("state") == "online", timeout=15000)
        assert find(ui, "connectionLost") is None
        desk = Desk(url, counters=1)
        try:
            desk.client.issue(str(uuid.uuid4()), "C")
            number = desk.call("1")
        finally:
            desk.close()
        qtbot.waitUntil(lambda: text(ui, "latestToken") == number, timeout=5000)
    finally:
        _kill(proc)
