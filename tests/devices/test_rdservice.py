"""UIDAI RD Service client against a real HTTP server with the custom verbs."""

from __future__ import annotations

import logging
import socket
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from conftest_devices import *  # noqa: F403 - the fixtures of this suite
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.model import DeviceState, DeviceUnavailableError
from kiosk.devices.rdservice import (
    RdCaptureError,
    RdDeviceNotReadyError,
    RdServiceClient,
    RdServiceError,
    build_pid_options,
    discover,
    parse_pid,
)
from kiosk.devices.sim.rdservice import RdServiceSimulator


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def test_custom_verbs_reach_the_simulator(rd_sim: RdServiceSimulator) -> None:
    r = requests.request("RDSERVICE", rd_sim.url + "/", timeout=2)
    root = ET.fromstring(r.text)
    assert root.tag == "RDService" and root.get("status") == "READY"
    assert {i.get("id"): i.get("path") for i in root} == {"DEVICEINFO": "/rd/info",
                                                          "CAPTURE": "/rd/capture"}


def test_discovery_scans_a_port_range_quickly(rd_sim: RdServiceSimulator) -> None:
    ports = [*_free_ports(4), rd_sim.port]
    t0 = time.monotonic()
    found = discover(ports=ports, timeout=0.3)
    assert time.monotonic() - t0 < 2
    assert [f.base_url for f in found] == [rd_sim.url]
    with RdServiceClient("rd://127.0.0.1", ports=ports) as client:
        st_ = client.status()
        assert st_.state is DeviceState.ONLINE
        assert st_.detail["dp_id"] == "SIM.Seva" and st_.ids["mi"] == "SIMFP100"
        assert client.self_test().ok


def test_capture_returns_pid_in_memory_only(rd_sim: RdServiceSimulator,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3 included
    with RdServiceClient(rd_sim.url) as client:
        result = client.capture(timeout_ms=5000)
    assert result.err_code == 0 and result.q_score == 78 and result.f_count == 1
    pid = ET.fromstring(result.pid_xml)
    data, hmac, skey = (pid.findtext(t) or "" for t in ("Data", "Hmac", "Skey"))
    assert len(data) > 1000 and hmac and skey
    assert data[:40] not in repr(result) and "Data" not in repr(result)
    for secret in (data[:24], hmac[:24], skey[:24], "<Data", "<Hmac", "<Skey"):
        assert secret not in caplog.text
    opts = ET.fromstring(rd_sim.last_options).find("Opts")
    assert opts is not None and opts.get("fCount") == "1" and opts.get("timeout") == "5000"
    assert opts.get("pidVer") == "2.0" and opts.get("env") == "P"


def test_capture_errors_and_service_states(rd_sim: RdServiceSimulator) -> None:
    with RdServiceClient(rd_sim.url) as client:
        rd_sim.state.err_code, rd_sim.state.err_info = 720, "Device not ready"
        with pytest.raises(RdDeviceNotReadyError) as exc:
            client.capture()
        assert exc.value.err_code == 720 and "720" in exc.value.detail
        assert "not connected" in exc.value.user_message("en")
        assert client.status().state is DeviceState.NO_DEVICE
        rd_sim.state.err_code, rd_sim.state.err_info = 0, "Capture Success"
        assert client.capture().q_score == 78
        assert client.status().state is DeviceState.ONLINE
        rd_sim.state.status = "NOTREADY"
        client.refresh()
        assert client.status().state is DeviceState.NO_DEVICE
        with pytest.raises(RdDeviceNotReadyError):
            client.capture()
        rd_sim.state.status = "USED"
        client.refresh()
        assert client.status().state is DeviceState.BUSY


def test_service_stops_and_comes_back_on_the_same_port() -> None:
    sim = RdServiceSimulator().start()
    port = sim.port
    client = RdServiceClient(sim.url, timeout=0.5)
    again: RdServiceSimulator | None = None
    try:
        client.open()
        sim.stop()
        with pytest.raises(DeviceUnavailableError):
            client.capture()
        assert client.status().state in (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
        again = RdServiceSimulator(port=port).start()
        client.refresh()
        assert client.status().state is DeviceState.ONLINE
        assert client.capture().err_code == 0
    finally:
        client.close()
        client.close()
        sim.stop()
        if again is not None:
            again.stop()


def test_no_service_is_a_clear_error() -> None:
    client = RdServiceClient("rd://discover", ports=_free_ports(3), probe_timeout=0.2)
    with pytest.raises(DeviceUnavailableError) as exc:
        client.open()
    assert "no RD Service" in exc.value.detail and "service" in exc.value.message


def test_pid_options_shape() -> None:
    opts = ET.fromstring(build_pid_options(f_count=2, timeout_ms=15000, env="PP"))
    assert opts.tag == "PidOptions" and opts.get("ver") == "1.0"
    o = opts.find("Opts")
    assert o is not None and o.attrib == {"fCount": "2", "fType": "2", "iCount": "0",
                                          "pCount": "0", "format": "0", "pidVer": "2.0",
                                          "timeout": "15000", "env": "PP"}


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.text(max_size=200),
                 st.builds(lambda c, q: f'<PidData><Resp errCode="{c}" qScore="{q}"/></PidData>',
                           st.text(max_size=5), st.text(max_size=5))))
def test_fuzz_pid_parser_raises_only_rd_errors(text: str) -> None:
    try:
        parse_pid(text)
    except RdServiceError:
        pass


def test_capture_error_is_typed() -> None:
    with pytest.raises(RdCaptureError) as exc:
        parse_pid('<PidData><Resp errCode="730" errInfo="Capture timeout"/></PidData>')
    assert exc.value.err_code == 730
