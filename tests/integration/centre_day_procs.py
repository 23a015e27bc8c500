"""Processes of the simulated centre day (tests/integration/test_centre_day.py), and the LAN
switch between a kiosk and the centre.

``python centre_day_procs.py kiosk CONFIG DATA_DIR`` — a kiosk's real issuing path
(:class:`kiosk.issuing.runtime.CentreLink`: the centre service, its lease when the centre is
away, the link thread reporting and topping up), driven by stdin lines::

    issue GROUP PRIORITY   → {"ok": true, "token": {...}} | {"ok": false, "error": "..."}
    sync                   → {"ok": bool, "status": {...}}   (report + top up now)
    quit

``python centre_day_procs.py counter CENTRE_URL ENROLMENT_CODE COUNTER OPERATOR`` — an operator at a
counter (PIN in ``KIOSK_OPERATOR_PIN``) using :class:`kiosk.centre.client.CentreClient` from
its own process: call next, then complete (every ``NO_SHOW_EVERY``-th citizen does not come:
recall, recall, no-show), until a line arrives on stdin; then it finishes the token in hand,
logs out and prints what it did as JSON.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import sys
import threading
from typing import Any

NO_SHOW_EVERY = 9


def run_kiosk(config_path: str, data_dir: str) -> int:
    from kiosk.config import load_config
    from kiosk.errors import KioskError
    from kiosk.issuing.runtime import CentreLink
    from kiosk.queue import TokenService
    from kiosk.store import Store

    config = load_config(config_path, data_dir=data_dir, environ={})
    store = Store(config.db_path)
    link = CentreLink(config, store, embed=False)
    tokens = TokenService(store, config, centre=link.issuer)
    link.wait_started(30)
    print(json.dumps({"ready": True, "status": link.issuer.status()}), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        out: dict[str, Any]
        if not cmd:
            continue
        if cmd[0] == "issue":
            try:
                out = {"ok": True, "token": tokens.issue(cmd[1], cmd[2], "hi").to_json()}
            except KioskError as exc:
                out = {"ok": False, "error": exc.user_message("en")}
        elif cmd[0] == "sync":
            out = {"ok": link.sync_now(), "status": link.issuer.status()}
        elif cmd[0] == "quit":
            break
        else:
            out = {"ok": False, "error": f"unknown command {cmd[0]}"}
        print(json.dumps(out), flush=True)
    link.close()
    store.close()
    return 0


def run_counter(url: str, code: str, counter: str, operator: str) -> int:
    from kiosk.centre.client import CentreClient

    client = CentreClient(url, timeout=5.0)
    client.enrol(code, f"counter-{counter}", "counter")
    session = client.login(counter, os.environ["KIOSK_OPERATOR_PIN"],
                           operator_id=operator)["session_token"]
    stop = threading.Event()

    def wait_for_stop() -> None:
        sys.stdin.readline()
        stop.set()

    reader = threading.Thread(target=wait_for_stop, name="stdin", daemon=True)
    reader.start()
    print(json.dumps({"ready": True}), flush=True)
    served = no_show = calls = 0
    while not stop.is_set():
        token = client.act(counter, "call-next", session).get("token")
        if not token:
            stop.wait(0.05)  # nobody waiting for this counter's groups: look again shortly
            continue
        calls += 1
        if calls % NO_SHOW_EVERY == 0:
            client.act(counter, "recall", session)
            client.act(counter, "recall", session)
            client.act(counter, "no-show", session)
            no_show += 1
        else:
            client.act(counter, "complete", session)
            served += 1
    client.logout(session)
    client.close()
    print(json.dumps({"counter": counter, "served": served, "no_show": no_show}), flush=True)
    return 0


class LanSwitch:
    """A TCP relay on loopback standing in for a kiosk's LAN cable: ``cut()`` closes the
    listening socket and every relayed connection (the kiosk then gets "connection refused"),
    ``restore()`` listens again on the same port. One thread; ``close()`` joins it."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self._sel = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._pairs: dict[socket.socket, socket.socket] = {}
        self._stop = threading.Event()
        self._wake_r, self._wake_w = socket.socketpair()
        self._sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        self.restore()
        self._thread = threading.Thread(target=self._run, name="lan-switch")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restore(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            ls = socket.socket()
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind(("127.0.0.1", self.port))
            ls.listen(64)
            ls.setblocking(False)
            self._listener = ls
            self._sel.register(ls, selectors.EVENT_READ, "accept")
        self._wake_w.send(b"x")

    def cut(self) -> None:
        with self._lock:
            if self._listener is not None:
                self._sel.unregister(self._listener)
                self._listener.close()
                self._listener = None
            for a in list(self._pairs):
                self._drop(a)
        self._wake_w.send(b"x")

    def _drop(self, sock: socket.socket) -> None:
        other = self._pairs.pop(sock, None)
        for s in (sock, other):
            if s is None:
                continue
            self._pairs.pop(s, None)
            try:
                self._sel.unregister(s)
            except (KeyError, ValueError):
                pass
            s.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._sel.select(timeout=0.5):
                with self._lock:
                    if key.data == "wake":
                        self._wake_r.recv(64)
                    elif key.data == "accept" and self._listener is not None:
                        try:
                            client, _ = self._listener.accept()
                        except OSError:
                            continue
                        upstream = socket.create_connection(self.target, timeout=5)
                        for s in (client, upstream):
                            s.setblocking(False)
                        self._pairs[client], self._pairs[upstream] = upstream, client
                        self._sel.register(client, selectors.EVENT_READ, "relay")
                        self._sel.register(upstream, selectors.EVENT_READ, "relay")
                    elif key.data == "relay":
                        sock = key.fileobj
                        assert isinstance(sock, socket.socket)
                        if sock not in self._pairs:
                            continue
                        try:
                            data = sock.recv(65536)
                        except (BlockingIOError, InterruptedError):
                            continue
                        except OSError:
                            data = b""
                        if not data:
                            self._drop(sock)
                            continue
                        try:
                            self._pairs[sock].setblocking(True)
                            self._pairs[sock].sendall(data)
                            self._pairs[sock].setblocking(False)
                        except OSError:
                            self._drop(sock)

    def close(self) -> None:
        self.cut()
        self._stop.set()
        self._wake_w.send(b"x")
        self._thread.join(timeout=5)
        self._sel.close()
        self._wake_r.close()
        self._wake_w.close()


if __name__ == "__main__":
    if sys.argv[1] == "kiosk":
        sys.exit(run_kiosk(sys.argv[2], sys.argv[3]))
    sys.exit(run_counter(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]))
