"""A UIDAI RD Service simulator: a real HTTP server on 127.0.0.1 with the custom verbs.

``http.server.BaseHTTPRequestHandler`` dispatches any verb to ``do_<VERB>``, so RDSERVICE,
DEVICEINFO and CAPTURE are three methods. The PID block it returns is random bytes in the
right shape — it stands in for data encrypted for UIDAI and contains nothing biometric.
Scriptable: service status (READY / NOTREADY / USED), capture error code (e.g. 720), qScore,
and a capture delay (a real capture waits for a finger).
"""

from __future__ import annotations

import base64
import os
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import quoteattr


@dataclass
class RdSimState:
    status: str = "READY"
    err_code: int = 0
    err_info: str = "Capture Success"
    q_score: int = 78
    capture_delay: float = 0.0
    dp_id: str = "SIM.Seva"
    rds_id: str = "SIM.SEVA.001"
    rds_ver: str = "1.0.4"
    mi: str = "SIMFP100"
    dc: str = "00000000-0000-4000-8000-00000000c0de"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Silence per-request stderr lines (a PID block must never reach a log anyway)."""

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _reply(self, xml: str, code: int = 200) -> None:
        data = xml.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        # One request per connection: stopping the simulator then really ends the service
        # (no keep-alive handler thread answering after "unplug"), and no thread outlives it.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def _device_info_xml(self) -> str:
        st = self.server.sim.state
        return (f"<DeviceInfo dpId={quoteattr(st.dp_id)} rdsId={quoteattr(st.rds_id)} "
                f"rdsVer={quoteattr(st.rds_ver)} dc={quoteattr(st.dc)} mi={quoteattr(st.mi)} "
                f'mc="U0lNVUxBVE9SIENFUlQ="><additional_info>'
                f'<Param name="srno" value="SIM0001"/></additional_info></DeviceInfo>')

    def do_RDSERVICE(self) -> None:
        self._body()
        st = self.server.sim.state
        self.server.sim.calls.append("RDSERVICE")
        self._reply(
            f"<RDService status={quoteattr(st.status)} info={quoteattr('Seva simulated RD')}>"
            '<Interface id="DEVICEINFO" path="/rd/info"/>'
            '<Interface id="CAPTURE" path="/rd/capture"/></RDService>')

    def do_DEVICEINFO(self) -> None:
        self._body()
        self.server.sim.calls.append("DEVICEINFO")
        if self.path != "/rd/info":
            self._reply("<error/>", 404)
            return
        self._reply(self._device_info_xml())

    def do_CAPTURE(self) -> None:
        body = self._body()
        sim = self.server.sim
        sim.calls.append("CAPTURE")
        sim.last_options = body.decode("utf-8", "replace")
        if self.path != "/rd/capture":
            self._reply("<error/>", 404)
            return
        st = sim.state
        if st.capture_delay:
            sim.stopping.wait(st.capture_delay)
        if st.status != "READY" and st.err_code == 0:
            code, info = 720, "Device not ready"
        else:
            code, info = st.err_code, st.err_info
        if code != 0:
            self._reply(f'<PidData><Resp errCode="{code}" errInfo={quoteattr(info)} '
                        f'fCount="0" fType="2" nmPoints="" qScore="0"/></PidData>')
            return

        def b64(n: int) -> str:
            return base64.b64encode(os.urandom(n)).decode("ascii")

        ts = time.strftime("%Y-%m-%dT%H:%M:%S")
        self._reply(
            f'<PidData><Resp errCode="0" errInfo={quoteattr(info)} fCount="1" fType="2" '
            f'nmPoints="42" qScore="{st.q_score}"/>{self._device_info_xml()}'
            f'<Skey ci="20250929">{b64(256)}</Skey><Hmac>{b64(48)}</Hmac>'
            f'<Data type="X">{b64(1200)}</Data><!-- ts {ts} --></PidData>')


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the handler threads
    allow_reuse_address = True
    sim: RdServiceSimulator


class RdServiceSimulator:
    """The service on ``host:port`` (port 0 = any free port); ``url`` is its base URL."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.state = RdSimState()
        self.calls: list[str] = []
        self.last_options = ""
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> RdServiceSimulator:
        self.stopping.clear()
        self._server = _Server((self.host, self.port), _Handler)
        self._server.sim = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, name="sim-rdservice",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)

    def __enter__(self) -> RdServiceSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
