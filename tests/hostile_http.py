"""A hostile (or broken) HTTP server on loopback, speaking raw bytes over real sockets.

Each behaviour is a function that gets the parsed request and the connection and answers
however it likes: one byte every half second, 300 MB, a gzip bomb, JSON nested 100,000 deep,
a redirect to another origin, an HTML portal page. The server records every request it got
(method, path, body size) so a test can assert what reached it — and what did not.
"""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import ssl
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Conn:
    """What a behaviour writes to; ``send`` returns False once the client has gone away."""

    sock: socket.socket
    stopping: threading.Event
    sent: int = 0

    def send(self, data: bytes) -> bool:
        if self.stopping.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.sent += len(data)
        return True

    def trickle(self, data: bytes, every: float) -> bool:
        """One byte per ``every`` seconds (a slow-loris answer) until done or abandoned."""
        for i in range(len(data)):
            if not self.send(data[i:i + 1]) or self.stopping.wait(every):
                return False
        return True

    def stream(self, chunk: bytes, total: int) -> None:
        """``total`` bytes made of ``chunk`` repeated, as fast as the client reads."""
        while self.sent < total and self.send(chunk):
            pass


Behaviour = Callable[[Request, Conn], None]

#: ``python -c PEAK_RSS_CHILD ARGS``: runs ``kiosk ARGS`` and prints ``MAXRSS_KB <n>``, the
#: child's own peak resident size, so a test or bench can show a flood did not reach memory.
PEAK_RSS_CHILD = """
import resource, sys
from kiosk.cli import main
rc = main(sys.argv[1:])
# VmHWM: this process's own peak. (ru_maxrss would include the parent's size: Linux carries
# the high-water mark across fork and exec.)
try:
    with open("/proc/self/status") as f:
        kb = next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM:"))
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("MAXRSS_KB", kb, flush=True)
sys.exit(rc)
"""


def head(status: str = "200 OK", ctype: str = "application/json", length: int | None = None,
         extra: str = "") -> bytes:
    text = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nConnection: close\r\n"
    if length is not None:
        text += f"Content-Length: {length}\r\n"
    return (text + extra + "\r\n").encode("ascii")


def answer(body: bytes, status: str = "200 OK", ctype: str = "application/json",
           extra: str = "") -> Behaviour:
    def behave(req: Request, conn: Conn) -> None:
        conn.send(head(status, ctype, len(body), extra) + body)
    return behave


@lru_cache(maxsize=4)
def gzip_bomb(inflated: int) -> bytes:
    """``inflated`` bytes of zeros, gzip-compressed (~1/1000 the size), made in 1 MB steps."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [comp.compress(block) for _ in range(inflated >> 20)]
    parts.append(comp.flush())
    return b"".join(parts)


@dataclass
class _State:
    behaviour: Behaviour
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5.0)
        state = self.server.state
        try:
            if self.server.tls is not None:
                sock = self.server.tls.wrap_socket(sock, server_side=True)
            req = _read_request(sock)
        except (OSError, ValueError):
            return
        if req is None:
            return
        with state.lock:
            state.requests.append(req)
        state.behaviour(req, Conn(sock, state.stopping))
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def _read_request(sock: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head_bytes, _, rest = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    need = int(headers.get("content-length", "0") or 0)
    while len(rest) < need:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, path, headers, rest[:need])


class _TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = False
    block_on_close = True

    def __init__(self, state: _State, tls: ssl.SSLContext | None) -> None:
        self.state = state
        self.tls = tls
        super().__init__(("127.0.0.1", 0), _Handler)


class HostileServer:
    """``with HostileServer(behaviour) as srv: ... srv.url ... srv.requests``.

    ``tls`` (a server-side context, e.g. from :func:`self_signed`) serves HTTPS instead.
    """

    def __init__(self, behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> None:
        self._state = _State(behaviour)
        self._server = _TCPServer(self._state, tls)
        self.port = int(self._server.server_address[1])
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name=f"hostile-server:{self.port}")
        self._thread.start()

    @property
    def behaviour(self) -> Behaviour:
        return self._state.behaviour

    @behaviour.setter
    def behaviour(self, value: Behaviour) -> None:
        self._state.behaviour = value

    @property
    def requests(self) -> list[Request]:
        with self._state.lock:
            return list(self._state.requests)

    def close(self) -> None:
        self._state.stopping.set()
        self._server.shutdown()
        self._server.server_close()  # joins the handler threads (they see ``stopping``)
        self._thread.join(timeout=5)

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def self_signed(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context for 127.0.0.1 and the certificate file a client trusts it with."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_path, key_path)
    return ctx, cert_path
