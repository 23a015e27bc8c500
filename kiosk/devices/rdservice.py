"""Client for a UIDAI RD Service (Aadhaar-grade scanners: Mantra, Morpho, Startek …).

Registered-device scanners are never driven over raw USB: the vendor's RD Service runs on the
kiosk and listens on 127.0.0.1, on one of ports 11100–11120. It speaks HTTP with custom verbs —
``RDSERVICE /`` (status and interface paths), ``DEVICEINFO`` and ``CAPTURE`` with a
``PidOptions`` XML body — so this client uses ``requests.request(method, …)``.

The ``CAPTURE`` answer carries the PID block: biometric data encrypted for UIDAI (``Skey``,
``Hmac``, ``Data``). The kiosk must forward it to the backend and never keep it, so:

* :class:`PidResult` holds the raw XML only in memory and hides it from ``repr``;
* this module logs error codes, quality scores and sizes, never the body;
* nothing here writes to disk.

The RD Service is another vendor's program on a kiosk that may be compromised or simply
broken, so its answers are bounded like the backend's (:mod:`backend_client.bounded`): a total
deadline per exchange (a trickling answer cannot hold the capture screen), a size cap that
counts decompressed bytes (:data:`MAX_ANSWER_BYTES`), no redirects, and XML parsed with
defusedxml (no entity expansion — a "billion laughs" document is refused, not expanded).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import defusedxml
import defusedxml.ElementTree as SafeET
import requests

from backend_client.bounded import BoundedResponse, bounded_session, exchange
from backend_client.errors import BackendClientError, NetworkError
from kiosk.devices.model import (
    Capabilities,
    Device,
    DeviceState,
    DeviceUnavailableError,
    SelfTestResult,
)
from kiosk.errors import DeviceError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORTS = range(11100, 11121)
#: The largest answer read from an RD Service. A PID block for ten fingers is ~60 KB; the
#: service's status and device-info answers are a few hundred bytes.
MAX_ANSWER_BYTES = 1024 * 1024


class RdServiceError(DeviceError):
    """The RD Service answered nonsense or refused."""

    default_message = N_("The fingerprint scanner is not working. Please ask the staff for help.")


class RdCaptureError(RdServiceError):
    """CAPTURE returned a non-zero ``errCode``."""

    default_message = N_("The fingerprint could not be captured. Please try again.")

    def __init__(self, detail: str = "", *, message: str | None = None, err_code: int = -1,
                 err_info: str = "") -> None:
        super().__init__(detail, message=message)
        self.err_code = err_code
        self.err_info = err_info


class RdDeviceNotReadyError(RdCaptureError):
    default_message = N_(
        "The fingerprint scanner is not connected or not ready. Please ask the staff.")


class RdCaptureTimeoutError(RdCaptureError):
    default_message = N_(
        "No finger was detected. Please place your finger on the scanner and try again.")


# errCodes seen from RD Services; anything else maps to RdCaptureError.
NOT_READY_CODES = frozenset({720, 710, 730, 740})
TIMEOUT_CODES = frozenset({700})


def _error_for(code: int, info: str) -> RdCaptureError:
    cls: type[RdCaptureError] = RdCaptureError
    if code in NOT_READY_CODES:
        cls = RdDeviceNotReadyError
    elif code in TIMEOUT_CODES:
        cls = RdCaptureTimeoutError
    return cls(f"RD Service CAPTURE errCode {code}: {info}", err_code=code, err_info=info)


@dataclass(frozen=True)
class RdServiceInfo:
    """The answer to ``RDSERVICE /``."""

    base_url: str
    status: str  # READY | NOTREADY | USED
    info: str
    interfaces: Mapping[str, str] = field(default_factory=dict)

    @property
    def info_path(self) -> str:
        return self.interfaces.get("DEVICEINFO", "/rd/info")

    @property
    def capture_path(self) -> str:
        return self.interfaces.get("CAPTURE", "/rd/capture")


@dataclass(frozen=True)
class RdDeviceInfo:
    dp_id: str
    rds_id: str
    rds_ver: str
    dc: str
    mi: str
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PidResult:
    """A successful capture. ``pid_xml`` is the encrypted block to forward — never persist it."""

    err_code: int
    err_info: str
    q_score: int
    f_count: int
    nm_points: str
    device: RdDeviceInfo | None
    pid_xml: str = field(repr=False)

    def __repr__(self) -> str:
        return (f"PidResult(err_code={self.err_code}, q_score={self.q_score}, "
                f"f_count={self.f_count}, pid=<{len(self.pid_xml)} bytes, not shown>)")


def _xml(text: str, what: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(text.strip())
    except ET.ParseError as exc:
        raise RdServiceError(f"RD Service {what}: unparseable XML ({exc})") from exc
    except defusedxml.DefusedXmlException as exc:
        raise RdServiceError(f"RD Service {what}: refused XML ({type(exc).__name__})") from exc
    return root


def parse_rdservice(text: str, base_url: str) -> RdServiceInfo:
    root = _xml(text, "RDSERVICE")
    if root.tag != "RDService":
        raise RdServiceError(f"RD Service RDSERVICE: unexpected root <{root.tag}>")
    interfaces = {i.get("id", ""): i.get("path", "") for i in root.iter("Interface")}
    return RdServiceInfo(base_url, (root.get("status") or "").upper(), root.get("info", ""),
                         interfaces)


def _device_info(el: ET.Element) -> RdDeviceInfo:
    known = {"dpId", "rdsId", "rdsVer", "dc", "mi", "mc"}
    extra = {p.get("name", ""): p.get("value", "") for p in el.iter("Param")}
    extra.update({k: v for k, v in el.attrib.items() if k not in known})
    return RdDeviceInfo(el.get("dpId", ""), el.get("rdsId", ""), el.get("rdsVer", ""),
                        el.get("dc", ""), el.get("mi", ""), extra)


def parse_device_info(text: str) -> RdDeviceInfo:
    root = _xml(text, "DEVICEINFO")
    el = root if root.tag == "DeviceInfo" else root.find(".//DeviceInfo")
    if el is None:
        raise RdServiceError("RD Service DEVICEINFO: no <DeviceInfo>")
    return _device_info(el)


def parse_pid(text: str) -> PidResult:
    """Parse ``<PidData>``; raises :class:`RdCaptureError` for a non-zero errCode."""
    root = _xml(text, "CAPTURE")
    resp = root.find("Resp") if root.tag == "PidData" else None
    if resp is None:
        raise RdServiceError(f"RD Service CAPTURE: no <Resp> in <{root.tag}>")
    try:
        code = int(resp.get("errCode", "-1"))
    except ValueError as exc:
        raise RdServiceError("RD Service CAPTURE: errCode is not a number") from exc
    info = resp.get("errInfo", "")
    if code != 0:
        raise _error_for(code, info)
    if root.find("Data") is None:
        raise RdServiceError("RD Service CAPTURE: success without <Data>")

    def num(name: str) -> int:
        try:
            return int(resp.get(name, "0") or 0)
        except ValueError:
            return 0

    dev = root.find("DeviceInfo")
    return PidResult(code, info, num("qScore"), num("fCount"), resp.get("nmPoints", ""),
                     _device_info(dev) if dev is not None else None, text)


def build_pid_options(*, f_count: int = 1, f_type: int = 2, timeout_ms: int = 10000,
                      env: str = "P", pid_ver: str = "2.0", fmt: int = 0,
                      wadh: str | None = None) -> str:
    """The ``PidOptions`` body for CAPTURE (fType 2 = FMR+FIR per UIDAI 2.0; env P = prod)."""
    opts = ET.Element("Opts", {
        "fCount": str(f_count), "fType": str(f_type), "iCount": "0", "pCount": "0",
        "format": str(fmt), "pidVer": pid_ver, "timeout": str(timeout_ms), "env": env,
    })
    if wadh:
        opts.set("wadh", wadh)
    root = ET.Element("PidOptions", {"ver": "1.0"})
    root.append(opts)
    return ET.tostring(root, encoding="unicode")


def _exchange(session: requests.Session, verb: str, url: str, *, body: bytes | None = None,
              headers: dict[str, str] | None = None, timeout: float) -> BoundedResponse:
    """One bounded exchange: ``timeout`` per socket operation, twice that in all (plus
    nothing: a CAPTURE's own wait is already in ``timeout``)."""
    return exchange(session, verb, url, data=body, headers=headers, timeout=(timeout, timeout),
                    deadline=2 * timeout, max_bytes=MAX_ANSWER_BYTES,
                    what=f"RD Service {verb} {urlsplit(url).path or '/'}")


def probe(base_url: str, *, timeout: float = 0.5,
          session: requests.Session | None = None) -> RdServiceInfo | None:
    """``RDSERVICE`` on one base URL; None when nothing (or not an RD Service) answers."""
    own = session is None
    sess = bounded_session() if session is None else session
    try:
        r = _exchange(sess, "RDSERVICE", base_url.rstrip("/") + "/", timeout=timeout)
    except BackendClientError as exc:
        log.debug("RD Service probe %s: %s", base_url, exc.message)
        return None
    finally:
        if own:
            sess.close()
    if r.status != 200:
        return None
    try:
        return parse_rdservice(r.text, base_url)
    except RdServiceError:
        return None


def discover(host: str = DEFAULT_HOST, ports: Iterable[int] = DEFAULT_PORTS, *,
             timeout: float = 0.3, schemes: Iterable[str] = ("http",),
             session: requests.Session | None = None) -> list[RdServiceInfo]:
    """Every RD Service answering on ``host`` in ``ports`` (closed ports fail fast)."""
    found = []
    sess = bounded_session() if session is None else session
    try:
        for port in ports:
            for scheme in schemes:
                info = probe(f"{scheme}://{host}:{port}", timeout=timeout, session=sess)
                if info is not None:
                    found.append(info)
                    break
    finally:
        if session is None:
            sess.close()
    return found


class RdServiceClient(Device):
    """One RD Service. ``url`` is ``http://127.0.0.1:PORT`` or ``rd://discover`` (scan ports).

    HTTPS services on 127.0.0.1 use self-signed certificates; pass ``verify`` (a CA path or
    False) as the vendor documents.
    """

    kind = "fingerprint_rd"

    def __init__(self, url: str = "rd://discover", *, ports: Iterable[int] = DEFAULT_PORTS,
                 timeout: float = 2.0, probe_timeout: float = 0.3, verify: bool | str = True,
                 name: str | None = None) -> None:
        super().__init__(url, name=name)
        self.ports = list(ports)
        self.timeout = timeout
        self.probe_timeout = probe_timeout
        self._session: requests.Session | None = None
        self._verify = verify
        self.service: RdServiceInfo | None = None
        self.device: RdDeviceInfo | None = None
        self._sim_url = ""  # for sim://rdservice: the simulator's http:// base URL

    def _open(self) -> None:
        if self.url.startswith("sim://"):
            # The in-process simulator, on an ephemeral loopback port held while we are open.
            from kiosk.devices.sim import SimUnavailableError, sim_name, sim_registry

            try:
                self._sim_url = sim_registry.acquire(sim_name(self.url))
            except SimUnavailableError as exc:
                raise DeviceUnavailableError(f"{self.url}: {exc}") from exc
        self._session = bounded_session()
        self._session.verify = self._verify
        self.refresh()

    def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()
        if self._sim_url:
            from kiosk.devices.sim import sim_name, sim_registry

            self._sim_url = ""
            sim_registry.release(sim_name(self.url))

    def _sess(self) -> requests.Session:
        if self._session is None:
            raise DeviceUnavailableError(f"{self.name} is closed", state=DeviceState.OFFLINE)
        return self._session

    def _locate(self) -> RdServiceInfo:
        sess = self._sess()
        if self.url.startswith("rd://"):
            host = urlsplit(self.url).hostname
            if not host or host == "discover":
                host = DEFAULT_HOST
            found = discover(host, self.ports, timeout=self.probe_timeout, session=sess)
            if not found:
                raise DeviceUnavailableError(
                    f"no RD Service on {host} ports {self.ports[0]}-{self.ports[-1]}",
                    message=N_("The fingerprint scanner service is not running. "
                               "Please ask the staff."))
            return found[0]
        base = self._sim_url or self.url
        info = probe(base, timeout=self.timeout, session=sess)
        if info is None:
            raise DeviceUnavailableError(
                f"no RD Service answering at {base}",
                message=N_("The fingerprint scanner service is not running. "
                           "Please ask the staff."))
        return info

    def refresh(self) -> RdServiceInfo:
        """RDSERVICE (and DEVICEINFO when ready) → state: READY online, NOTREADY no_device,
        USED busy. Called at open and by a health poll."""
        try:
            info = self._locate()
        except DeviceUnavailableError as exc:
            self.service = None
            self._set_state(exc.state, error=exc.detail)
            raise
        self.service = info
        state = {"READY": DeviceState.ONLINE, "NOTREADY": DeviceState.NO_DEVICE,
                 "USED": DeviceState.BUSY}.get(info.status, DeviceState.HARDWARE_ERROR)
        detail: dict[str, Any] = {"rd_status": info.status, "rd_info": info.info,
                                  "service_url": info.base_url}
        if state is DeviceState.ONLINE:
            try:
                self.device = self.device_info()
                detail.update(dp_id=self.device.dp_id, rds_ver=self.device.rds_ver)
            except RdServiceError as exc:
                log.warning("%s: DEVICEINFO failed: %s", self.name, exc.detail)
        error = "" if state is DeviceState.ONLINE else f"RD Service status {info.status}"
        ids = {"mi": self.device.mi, "rds_id": self.device.rds_id} if self.device else {}
        self._set_state(state, error=error, detail=detail, ids=ids)
        return info

    def _call(self, verb: str, path: str, body: str | None = None,
              timeout: float | None = None) -> str:
        if self.service is None:
            self.refresh()
        assert self.service is not None
        url = self.service.base_url.rstrip("/") + path
        try:
            r = _exchange(self._sess(), verb, url, body=body.encode("utf-8") if body else None,
                          headers={"Content-Type": "text/xml; charset=utf-8",
                                   "Accept": "text/xml"},
                          timeout=timeout or self.timeout)
        except NetworkError as exc:  # no answer, a broken one, or past the deadline
            self.service = None
            err = DeviceUnavailableError(f"RD Service {verb} {url}: {exc.message}",
                                         state=DeviceState.OFFLINE)
            self._set_state(DeviceState.OFFLINE, error=err.detail)
            raise err from exc
        except BackendClientError as exc:  # too large, or an encoding it cannot bound
            raise RdServiceError(f"RD Service {verb} {url}: {exc.message}") from exc
        if r.status != 200:
            raise RdServiceError(f"RD Service {verb} {url}: HTTP {r.status}")
        return r.text

    def device_info(self) -> RdDeviceInfo:
        path = self.service.info_path if self.service else "/rd/info"
        return parse_device_info(self._call("DEVICEINFO", path))

    def capture(self, *, f_count: int = 1, timeout_ms: int = 10000, env: str = "P",
                wadh: str | None = None) -> PidResult:
        """CAPTURE one PID block. The result goes to the caller and nowhere else."""
        self.refresh()
        if self.service is None or self.service.status != "READY":
            status = self.service.status if self.service else "absent"
            raise RdDeviceNotReadyError(f"RD Service status {status}", err_code=720,
                                        err_info=f"status {status}")
        body = build_pid_options(f_count=f_count, timeout_ms=timeout_ms, env=env, wadh=wadh)
        self._set_state(DeviceState.BUSY)
        try:
            text = self._call("CAPTURE", self.service.capture_path, body,
                              timeout=timeout_ms / 1000 + self.timeout)
            result = parse_pid(text)
        except RdCaptureError as exc:
            log.warning("%s: capture failed, errCode %d (%s)", self.name, exc.err_code,
                        exc.err_info)
            state = (DeviceState.NO_DEVICE if isinstance(exc, RdDeviceNotReadyError)
                     else DeviceState.ONLINE)
            self._set_state(state, error=exc.detail)
            raise
        except DeviceError as exc:
            if self.status().state is DeviceState.BUSY:
                self._set_state(DeviceState.HARDWARE_ERROR, error=exc.detail)
            raise
        log.info("%s: capture ok, qScore %d, %d finger(s), PID %d bytes (forwarded, not kept)",
                 self.name, result.q_score, result.f_count, len(result.pid_xml))
        self._set_state(DeviceState.ONLINE, error="", detail={"last_q_score": result.q_score})
        return result

    def capabilities(self) -> Capabilities:
        return Capabilities(self.kind, frozenset({"capture_pid"}),
                            {"match_on_device": False, "forward_to_backend": True})

    def self_test(self) -> SelfTestResult:
        try:
            info = self.refresh()
        except DeviceError as exc:
            return SelfTestResult(False, f"{self.name}: {exc.detail}")
        dev = self.device
        return SelfTestResult(info.status == "READY",
                              f"{self.name}: {info.status} at {info.base_url}",
                              {"status": info.status, "info": info.info,
                               "dp_id": dev.dp_id if dev else "",
                               "rds_ver": dev.rds_ver if dev else ""})
