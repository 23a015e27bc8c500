"""The RD Service client against a hostile RD Service on loopback (issue 11).

The RD Service is another vendor's program; if it is compromised or broken it must not be able
to hold the capture screen (a trickling answer), flood the kiosk's memory (a huge answer or a
gzip bomb), bounce a CAPTURE to another origin, or feed entity tricks to the XML parser.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator

import pytest
from hostile_http import Behaviour, Conn, HostileServer, Request, answer, gzip_bomb, head

from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.rdservice import (
    MAX_ANSWER_BYTES,
    RdServiceClient,
    RdServiceError,
    parse_rdservice,
    probe,
)

READY = (b'<RDService status="READY" info="Hostile RD">'
         b'<Interface id="DEVICEINFO" path="/rd/info"/>'
         b'<Interface id="CAPTURE" path="/rd/capture"/></RDService>')
INFO = b'<DeviceInfo dpId="H.X" rdsId="H.X.001" rdsVer="1.0" dc="d" mi="HX1" mc="c"/>'
BIG = 300 * 1024 * 1024


def ready_then(hostile: Behaviour, on: str = "CAPTURE") -> Behaviour:
    """A service that looks fine until the verb ``on``, which gets the hostile answer."""
    def behave(req: Request, conn: Conn) -> None:
        if req.method == on:
            hostile(req, conn)
        elif req.method == "RDSERVICE":
            answer(READY, ctype="text/xml")(req, conn)
        else:
            answer(INFO, ctype="text/xml")(req, conn)
    return behave


def trickle(req: Request, conn: Conn) -> None:
    conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n")
    conn.trickle(b"X-Slow: " + b"a" * 60, 0.1)


def flood(req: Request, conn: Conn) -> None:
    conn.send(head(ctype="text/xml"))
    conn.stream(b"<a>" * 8192, BIG)


def bomb(req: Request, conn: Conn) -> None:
    body = gzip_bomb(BIG)
    conn.send(head(ctype="text/xml", length=len(body), extra="Content-Encoding: gzip\r\n")
              + body)


@pytest.fixture
def make_server() -> Iterator[Callable[[Behaviour], HostileServer]]:
    servers: list[HostileServer] = []

    def make(behaviour: Behaviour) -> HostileServer:
        servers.append(HostileServer(behaviour))
        return servers[-1]

    try:
        yield make
    finally:
        for srv in servers:
            srv.close()


def test_a_trickling_probe_gives_up_within_its_deadline(make_server) -> None:
    srv = make_server(trickle)
    t0 = time.monotonic()
    assert probe(srv.url, timeout=0.3) is None
    took = time.monotonic() - t0
    assert took < 1.5, took  # 2 × 0.3 s, not 60 bytes × 0.1 s


def test_a_trickling_capture_goes_offline_within_its_deadline(make_server) -> None:
    srv = make_server(ready_then(trickle))
    with RdServiceClient(srv.url, timeout=0.3) as client:
        assert client.status().state is DeviceState.ONLINE
        t0 = time.monotonic()
        with pytest.raises(DeviceUnavailableError):
            client.capture(timeout_ms=200)
        took = time.monotonic() - t0
    assert took < 2.5, took  # 2 × (0.2 s capture + 0.3 s) plus the refresh


@pytest.mark.parametrize("hostile", [flood, bomb], ids=["300MB", "gzip-bomb"])
def test_a_flooding_capture_is_refused_without_filling_memory(make_server,
                                                              hostile: Behaviour) -> None:
    gzip_bomb(BIG)
    srv = make_server(ready_then(hostile))
    with RdServiceClient(srv.url, timeout=2.0) as client:
        tracemalloc.start()
        try:
            with pytest.raises(RdServiceError, match="larger"):
                client.capture(timeout_ms=200)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * MAX_ANSWER_BYTES, f"peak {peak / 1e6:.1f} MB"


def test_a_redirected_capture_is_not_followed(make_server) -> None:
    elsewhere = make_server(ready_then(answer(b"<PidData/>", ctype="text/xml")))
    srv = make_server(ready_then(answer(b"", status="307 Temporary Redirect",
                                        extra=f"Location: {elsewhere.url}/rd/capture\r\n")))
    with RdServiceClient(srv.url, timeout=1.0) as client:
        with pytest.raises(RdServiceError, match="HTTP 307"):
            client.capture(timeout_ms=200)
    assert elsewhere.requests == []


def test_entity_declarations_are_refused() -> None:
    """defusedxml: an entity (here a harmless one) never expands into what the kiosk reads."""
    doc = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s "READY">]>'
           '<RDService status="&s;" info="x"/>')
    with pytest.raises(RdServiceError, match="refused XML"):
        parse_rdservice(doc, "http://127.0.0.1:11100")
    laughs = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><RDService info="&c;"/>')
    with pytest.raises(RdServiceError, match="refused XML"):
        parse_rdservice(laughs, "http://127.0.0.1:11100")
