"""Where a serial-device simulator lives: a pseudo-terminal or a TCP port.

A simulator only has to implement "bytes arrived" and call :meth:`SerialHost.write`; the host
supplies the wire. On a pty the driver opens the slave path exactly as it would open
``/dev/ttyUSB0``; on TCP it opens ``socket://host:port`` — both through
``serial.serial_for_url``, so the driver code under test is the production code.

Two realism features:

* **Pacing.** A pty moves bytes as fast as memory allows, so a 36 KB image would "arrive" in
  microseconds. With ``baudrate`` set and ``pace=True`` the host spends ``bytes*10/baud`` seconds
  on every write (8N1 = 10 bit times per byte) and the same on what it receives, so round trips
  measured against the simulator match a real UART.
* **A stable link path.** ``link=PATH`` maintains a symlink to the current pty slave (like
  ``/dev/serial/by-id/…`` on real hardware), so a driver configured with that path finds the
  device again after the simulator is restarted on a new pty — the unplug/replug test uses it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

DataHandler = Callable[[bytes], None]


class SerialHost:
    """Base: a background thread delivering received bytes to ``on_data``."""

    def __init__(self, *, baudrate: int = 0, pace: bool = False) -> None:
        self.baudrate = baudrate
        self.pace = pace and baudrate > 0
        self.on_data: DataHandler | None = None
        self.on_connect: Callable[[], None] | None = None
        #: Called from the host's thread whenever ~50 ms pass with nothing received (a printer
        #: simulator ends a job that has no cut after a quiet spell).
        self.on_idle: Callable[[], None] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._wire_free_at = 0.0
        self.bytes_in = 0
        self.bytes_out = 0

    @property
    def address(self) -> str:
        """What a driver passes to ``serial_for_url``."""
        raise NotImplementedError

    def start(self) -> SerialHost:
        self._stop.clear()
        self._setup()
        self._thread = threading.Thread(target=self._loop, name=f"sim-{type(self).__name__}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and release every fd. Safe to call twice."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)
        self._teardown()

    def __enter__(self) -> SerialHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def write(self, data: bytes) -> None:
        """Send bytes to the driver (paced to the baud rate when asked)."""
        if not data:
            return
        with self._write_lock:
            if self.pace:
                chunk = max(1, self.baudrate // 100)  # ~10 ms slices, like a UART FIFO
                for i in range(0, len(data), chunk):
                    part = data[i:i + chunk]
                    self._wait_wire(len(part))
                    self._send(part)
            else:
                self._send(data)
            self.bytes_out += len(data)

    def _wait_wire(self, nbytes: int) -> None:
        now = time.monotonic()
        start = max(now, self._wire_free_at)
        self._wire_free_at = start + nbytes * 10 / self.baudrate
        delay = self._wire_free_at - now
        if delay > 0:
            time.sleep(delay)

    def _deliver(self, data: bytes) -> None:
        self.bytes_in += len(data)
        if self.pace:
            time.sleep(len(data) * 10 / self.baudrate)
        handler = self.on_data
        if handler is not None:
            try:
                handler(data)
            except Exception:  # a simulator bug should be visible but must not end the host
                log.exception("simulator failed to handle %d bytes", len(data))

    def _idle(self) -> None:
        handler = self.on_idle
        if handler is not None:
            try:
                handler()
            except Exception:
                log.exception("simulator idle hook failed")

    # for subclasses
    def _setup(self) -> None:
        raise NotImplementedError

    def _teardown(self) -> None:
        raise NotImplementedError

    def _send(self, data: bytes) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        raise NotImplementedError


class PtyHost(SerialHost):
    """The simulator behind a pseudo-terminal; ``address`` is the slave path."""

    def __init__(self, *, baudrate: int = 0, pace: bool = False,
                 link: str | os.PathLike[str] | None = None) -> None:
        super().__init__(baudrate=baudrate, pace=pace)
        self.link = Path(link) if link else None
        self._master = -1
        self._slave = -1
        self._path = ""

    @property
    def address(self) -> str:
        return str(self.link) if self.link else self._path

    @property
    def pty_path(self) -> str:
        return self._path

    def _setup(self) -> None:
        self._master, self._slave = os.openpty()
        # Raw mode on the slave: no echo, no CR/LF translation, no ^C handling — a UART.
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self._path = os.ttyname(self._slave)
        if self.link:
            tmp = self.link.with_name(self.link.name + ".tmp")
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            tmp.symlink_to(self._path)
            tmp.replace(self.link)

    def _teardown(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        if self.link:
            with contextlib.suppress(FileNotFoundError):
                if os.readlink(self.link) == self._path:
                    self.link.unlink()

    def _send(self, data: bytes) -> None:
        # Non-blocking with a short grace period: when nobody reads the slave, a real UART
        # simply loses the bytes; blocking here would wedge the simulator's stop().
        view = memoryview(data)
        give_up = time.monotonic() + 0.5
        while view:
            if self._stop.is_set() or self._master < 0 or time.monotonic() > give_up:
                return
            try:
                n = os.write(self._master, view)
            except BlockingIOError:
                select.select([], [self._master], [], 0.02)
                continue
            except OSError:
                return
            view = view[n:]

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                self._idle()
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:  # EIO: nobody has the slave open (we keep it open, so rare)
                time.sleep(0.01)
                continue
            if data:
                self._deliver(data)


class TcpHost(SerialHost):
    """The simulator behind a TCP port (one client at a time, like a serial-to-LAN box).

    ``address`` is ``socket://host:port``. Binding with ``SO_REUSEADDR`` lets a test stop the
    simulator and start it again on the *same* port to play unplug/replug.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, baudrate: int = 0,
                 pace: bool = False) -> None:
        super().__init__(baudrate=baudrate, pace=pace)
        self.host = host
        self.port = port
        self._server: socket.socket | None = None
        self._client: socket.socket | None = None
        self._client_lock = threading.Lock()

    @property
    def address(self) -> str:
        return f"socket://{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._client is not None

    def _setup(self) -> None:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((self.host, self.port))
        srv.listen(1)
        self.port = srv.getsockname()[1]
        self._server = srv

    def _teardown(self) -> None:
        with self._client_lock:
            client, self._client = self._client, None
        for s in (client, self._server):
            if s is not None:
                with contextlib.suppress(OSError):
                    s.close()
        self._server = None

    def _send(self, data: bytes) -> None:
        with self._client_lock:
            client = self._client
        if client is None:
            return
        with contextlib.suppress(OSError):
            client.sendall(data)

    def _loop(self) -> None:
        assert self._server is not None
        server = self._server
        while not self._stop.is_set():
            client = self._client
            watch = [client] if client is not None else [server]
            try:
                ready, _, _ = select.select(watch, [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                self._idle()
                continue
            if client is None:
                try:
                    conn, _ = server.accept()
                except OSError:
                    continue
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with self._client_lock:
                    self._client = conn
                if self.on_connect is not None:
                    try:
                        self.on_connect()
                    except Exception:
                        log.exception("simulator connect hook failed")
                continue
            try:
                data = client.recv(4096)
            except OSError:
                data = b""
            if not data:  # the driver hung up: wait for the next one
                with self._client_lock:
                    self._client = None
                with contextlib.suppress(OSError):
                    client.close()
                continue
            self._deliver(data)
