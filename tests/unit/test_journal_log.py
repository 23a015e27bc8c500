"""The journal handler against a real unix datagram socket: fields, the binary form of a
multi-line value, a record too big for a datagram passed as a memfd, and the detection of a
systemd service."""

from __future__ import annotations

import array
import logging
import os
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.journal_log import JournalHandler, encode_field, journal_handler, under_systemd


def parse(payload: bytes) -> dict[str, str]:
    """The journal's wire format back into fields (what journald does)."""
    fields: dict[str, str] = {}
    rest = payload
    while rest:
        line, sep, after = rest.partition(b"\n")
        if b"=" in line:
            name, _, value = line.partition(b"=")
            fields[name.decode()] = value.decode()
            rest = after
        else:
            (size,) = struct.unpack("<Q", after[:8])
            fields[line.decode()] = after[8:8 + size].decode()
            rest = after[8 + size + 1:]
    return fields


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[tuple[socket.socket, logging.Logger, JournalHandler]]:
    path = tmp_path / "journal.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    handler = JournalHandler(path)
    logger = logging.getLogger("kiosk.test.journal")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield sock, logger, handler
    logger.removeHandler(handler)
    handler.close()
    sock.close()


def test_a_record_carries_its_structured_fields(journal: tuple[socket.socket, logging.Logger,
                                                                 JournalHandler]) -> None:
    sock, logger, _ = journal
    logger.warning("printer: %s -> %s", "online", "offline", extra={"device": "printer"})
    fields = parse(sock.recv(65536))
    assert fields["MESSAGE"] == "printer: online -> offline"
    assert fields["PRIORITY"] == "4"
    assert fields["SYSLOG_IDENTIFIER"] == "seva-kiosk"
    assert fields["KIOSK_DEVICE"] == "printer"
    assert fields["LOGGER"] == "kiosk.test.journal"
    assert "KIOSK_OUTBOX_KIND" not in fields
    logger.info("parked", extra={"outbox_kind": "token.issued"})
    fields = parse(sock.recv(65536))
    assert (fields["PRIORITY"], fields["KIOSK_OUTBOX_KIND"]) == ("6", "token.issued")


def test_a_traceback_travels_in_the_binary_form(journal: tuple[socket.socket, logging.Logger,
                                                                JournalHandler]) -> None:
    sock, logger, _ = journal
    try:
        raise ValueError("bad byte")
    except ValueError:
        logger.exception("device read failed")
    fields = parse(sock.recv(65536))
    assert fields["MESSAGE"].startswith("device read failed\nTraceback")
    assert "ValueError: bad byte" in fields["MESSAGE"] and fields["PRIORITY"] == "3"
    assert encode_field("A", "x\ny") == b"A\n" + struct.pack("<Q", 3) + b"x\ny\n"


def test_a_record_too_big_for_a_datagram_is_passed_as_a_memfd(
        journal: tuple[socket.socket, logging.Logger, JournalHandler]) -> None:
    sock, logger, _ = journal
    logger.error("x" * 400_000)
    fds = array.array("i")
    data, ancdata, _flags, _addr = sock.recvmsg(1024, socket.CMSG_SPACE(fds.itemsize))
    assert data == b""
    level, kind, raw = ancdata[0]
    assert (level, kind) == (socket.SOL_SOCKET, socket.SCM_RIGHTS)
    fds.frombytes(raw[:fds.itemsize])
    with os.fdopen(fds[0], "rb") as memfd:
        memfd.seek(0)
        fields = parse(memfd.read())
    assert fields["MESSAGE"] == "x" * 400_000


def test_service_detection(tmp_path: Path) -> None:
    assert under_systemd({"INVOCATION_ID": "0123abcd"})
    assert not under_systemd({})
    st = os.fstat(2)
    assert under_systemd({"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
    assert not under_systemd({"JOURNAL_STREAM": "1:2"})
    # No journal socket (a container without journald): the rotating file stays.
    assert journal_handler({"INVOCATION_ID": "x"}, socket_path=tmp_path / "none") is None


def test_setup_logging_under_systemd_writes_no_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.journal_log
    from kiosk.logging_setup import setup_logging

    path = tmp_path / "journal.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(5)
        monkeypatch.setattr(kiosk.journal_log, "JOURNAL_SOCKET", path)
        try:
            assert setup_logging(tmp_path / "data", environ={"INVOCATION_ID": "x"}) is None
            logging.getLogger("kiosk.test").warning("hello journal")
            assert parse(sock.recv(65536))["MESSAGE"] == "hello journal"
            assert not (tmp_path / "data" / "logs" / "kiosk.log").exists()
        finally:
            setup_logging(None)
