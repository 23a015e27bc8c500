"""Which backend URLs the client may talk to (no ``requests`` import: the kiosk checks its
configuration with this before anything loads the HTTP stack)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from backend_client.errors import InsecureURLError


def origin(url: str) -> str:
    """``scheme://host:port`` of a URL (what a log may name: no path, no query, no user)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def check_url(base_url: str, allow_insecure_http: bool = False) -> None:
    """Refuse a backend URL the kiosk must not send citizens' records to.

    ``https://`` anywhere; ``http://`` only to a loopback host (the embedded backend, a
    local tunnel) unless ``allow_insecure_http`` — on a LAN or the internet plain HTTP shows
    names and mobiles to anyone on the path, and lets anyone answer in the backend's place.
    Raises :class:`InsecureURLError`.
    """
    parts = urlsplit(base_url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise InsecureURLError(f"backend URL {base_url[:80]!r} is not an http(s):// URL")
    if scheme == "http" and not allow_insecure_http and not is_loopback(parts.hostname):
        raise InsecureURLError(
            f"backend URL {origin(base_url)!r} is plain http:// to another machine; use "
            "https://, or set [backend] allow_insecure_http = true to accept the risk")


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1): traffic that never leaves."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
