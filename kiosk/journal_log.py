"""Logging straight to the systemd journal, with structured fields, when run as a service.

Why the native protocol and not ``systemd-python`` (libsystemd's binding): it is published on
PyPI only as a source archive that needs a C compiler, pkg-config and libsystemd-dev on every
kiosk, and Debian's ``python3-systemd`` serves only the system interpreter, while the kiosk
runs from its own venv (/opt/seva-kiosk/venv, a built wheel). The protocol is small and
documented (systemd's "Native Journal Protocol"): one datagram of fields to
``/run/systemd/journal/socket``; a field with a newline in it is sent as name, newline,
64-bit little-endian length, value; a record too big for a datagram goes in a sealed memfd
whose descriptor is passed instead.

Why a journal and not stderr: under systemd stderr lands in the journal too, but as one
unstructured line per write; the journal's own fields let a technician run
``journalctl -u seva-kiosk KIOSK_DEVICE=printer`` or ``KIOSK_OUTBOX_KIND=token.issued``.
Fields come only from the log call (``extra={"device": ..., "outbox_kind": ...}``) and the
record itself: what the rest of the code keeps out of its messages (names, Aadhaar, mobiles)
stays out of the journal too.
"""

from __future__ import annotations

import array
import errno
import logging
import os
import socket
import struct
import traceback
from collections.abc import Mapping
from pathlib import Path

JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
IDENTIFIER = "seva-kiosk"

#: ``extra=`` keys a log call may pass, and the journal field each becomes.
STRUCTURED = {"device": "KIOSK_DEVICE", "outbox_kind": "KIOSK_OUTBOX_KIND",
              "counter": "KIOSK_COUNTER", "job_id": "KIOSK_PRINT_JOB"}

_PRIORITY = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4),
             (logging.INFO, 6))


def under_systemd(environ: Mapping[str, str] | None = None) -> bool:
    """A systemd service: its stderr is the journal (``JOURNAL_STREAM`` names the same file
    as fd 2), or systemd started this process (``INVOCATION_ID``)."""
    env = os.environ if environ is None else environ
    if env.get("INVOCATION_ID"):
        return True
    stream = env.get("JOURNAL_STREAM", "")
    if not stream:
        return False
    try:
        dev, ino = (int(part) for part in stream.split(":"))
        st = os.fstat(2)
    except (ValueError, OSError):
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)


def priority(levelno: int) -> int:
    """syslog priority of a Python level (DEBUG 7 … CRITICAL 2)."""
    for level, prio in _PRIORITY:
        if levelno >= level:
            return prio
    return 7


def encode_field(name: str, value: str) -> bytes:
    """One field in the journal's wire format (binary-safe form when the value spans lines)."""
    data = value.encode("utf-8", "replace")
    if b"\n" in data:
        return name.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
    return name.encode() + b"=" + data + b"\n"


class JournalHandler(logging.Handler):
    """Sends each record to the journal as one entry with its fields."""

    def __init__(self, socket_path: Path | str = JOURNAL_SOCKET,
                 identifier: str = IDENTIFIER, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.socket_path = str(socket_path)
        self.identifier = identifier
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)

    def fields(self, record: logging.LogRecord) -> list[tuple[str, str]]:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        out = [("MESSAGE", message), ("PRIORITY", str(priority(record.levelno))),
               ("SYSLOG_IDENTIFIER", self.identifier), ("LOGGER", record.name),
               ("CODE_FILE", record.pathname), ("CODE_LINE", str(record.lineno)),
               ("CODE_FUNC", record.funcName), ("THREAD_NAME", record.threadName or "")]
        for key, field_name in STRUCTURED.items():
            value = record.__dict__.get(key)
            if value is not None:
                out.append((field_name, str(value)))
        return out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            payload = b"".join(encode_field(k, v) for k, v in self.fields(record))
            self._send(payload)
        except Exception:
            self.handleError(record)

    def _send(self, payload: bytes) -> None:
        try:
            self._sock.sendto(payload, self.socket_path)
        except OSError as exc:
            if exc.errno not in (errno.EMSGSIZE, errno.ENOBUFS):  # too big for a datagram
                raise
            self._send_memfd(payload)

    def _send_memfd(self, payload: bytes) -> None:
        """A big record (a long traceback) travels as a sealed memfd, as the protocol says."""
        fd = os.memfd_create("seva-journal", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.write(fd, payload)
            import fcntl

            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW
                        | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
            # Not socket.send_fds: it ignores its address argument (CPython 3.11).
            self._sock.sendmsg([], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                     array.array("i", [fd]))], 0, self.socket_path)
        finally:
            os.close(fd)

    def close(self) -> None:
        self._sock.close()
        super().close()


def journal_handler(environ: Mapping[str, str] | None = None,
                    socket_path: Path | None = None) -> JournalHandler | None:
    """A handler when this process runs under systemd and the journal's socket is there."""
    path = JOURNAL_SOCKET if socket_path is None else socket_path
    if not under_systemd(environ) or not path.is_socket():
        return None
    return JournalHandler(path)


__all__ = ["JournalHandler", "STRUCTURED", "encode_field", "journal_handler", "priority",
           "under_systemd"]
