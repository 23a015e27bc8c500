"""Finding the centre service: the configured one, or the one this machine embeds.

``[centre] url`` set: that is the centre (every kiosk, counter and board of a real centre points
at the one machine that runs ``kiosk centre``). Empty: ``kiosk run`` embeds the centre service
on loopback (``[centre] host``, default 127.0.0.1) — ``python main.py`` is still a complete
centre on one machine — on the fixed port ``[centre] port`` (default 8790; a free port if that
one is taken) and writes where it listens to ``<data_dir>/centre.url``, with the enrolment code
beside it in ``<data_dir>/centre.enrol`` (readable by this user only); both files are removed
when the kiosk stops. ``kiosk token issue`` reads them (:func:`find_endpoint`); a counter or
board on the same machine joins at the default port, and should use :func:`find_endpoint` too
so that it also finds a centre that had to take a free port.

Why files and a fixed port rather than only one of them: the fixed port lets a second machine be
pointed at a demo kiosk by hand; the file keeps same-machine processes right when the port was
taken and a free one had to be used.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.issuing.issuer import CentreEndpoint

if TYPE_CHECKING:
    from kiosk.centre.runtime import CentreRuntime

log = logging.getLogger(__name__)

URL_FILE = "centre.url"
CODE_FILE = "centre.enrol"
DEFAULT_PORT = 8790


def centre_settings(config: Config) -> dict[str, Any]:
    raw = config.raw.get("centre")
    return dict(raw) if isinstance(raw, dict) else {}


def configured_endpoint(config: Config) -> CentreEndpoint | None:
    """``[centre] url`` with its enrolment code / device token, or None when it is empty."""
    c = centre_settings(config)
    url = str(c.get("url") or "").rstrip("/")
    if not url:
        return None
    return CentreEndpoint(url=url, enrolment_code=str(c.get("enrolment_code") or ""),
                          device_token=str(c.get("device_token") or ""))


def local_endpoint(config: Config) -> CentreEndpoint | None:
    """The centre a kiosk on this machine (same data directory) embeds, if it says so."""
    try:
        url = (config.data_dir / URL_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not url.startswith(("http://", "https://")):
        return None
    try:
        code = (config.data_dir / CODE_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        code = str(centre_settings(config).get("enrolment_code") or "")
    return CentreEndpoint(url=url, enrolment_code=code)


def find_endpoint(config: Config) -> CentreEndpoint | None:
    """Configured first, else the embedded one on this machine (None: no centre running)."""
    return configured_endpoint(config) or local_endpoint(config)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.replace(tmp, path)


class EmbeddedCentre:
    """The centre service on loopback inside this process (``kiosk run`` with no centre URL):
    :class:`kiosk.centre.runtime.CentreRuntime` — its database, server and forwarding to the
    state backend (``forward``; the one-shot CLI leaves that to the next long-running start).

    ``close()`` stops it, and removes the discovery files if they still name it.
    """

    def __init__(self, config: Config, *, port: int | None = None, forward: bool = True,
                 write_files: bool = True) -> None:
        from kiosk.centre.runtime import start_centre

        self.config = config
        self._write_files = write_files
        settings = centre_settings(config)
        want = int(settings.get("port", DEFAULT_PORT)) if port is None else port
        # Loopback unless [centre] host says otherwise (a demo kiosk other machines join).
        host = str(settings.get("host") or "127.0.0.1")
        self.runtime: CentreRuntime
        try:
            self.runtime = start_centre(config, host=host, port=want, forward=forward)
        except OSError:
            if want == 0:
                raise
            log.warning("centre port %d is taken; the embedded centre uses a free port", want)
            self.runtime = start_centre(config, host=host, port=0, forward=forward)
        if write_files:
            _write_private(config.data_dir / CODE_FILE, self.runtime.enrolment_code)
            _write_private(config.data_dir / URL_FILE, self.url)
        log.info("embedded centre service listening on %s", self.runtime.url)

    @property
    def url(self) -> str:
        """Where a process on this machine reaches it (loopback for a wildcard host)."""
        host = self.runtime.server.host
        if host in ("0.0.0.0", "::", ""):
            return f"http://127.0.0.1:{self.runtime.server.port}"
        return self.runtime.url

    def endpoint(self) -> CentreEndpoint:
        return CentreEndpoint(url=self.url, enrolment_code=self.runtime.enrolment_code)

    def close(self) -> None:
        url = self.url
        self.runtime.close()
        if self._write_files:
            url_file = self.config.data_dir / URL_FILE
            try:
                if url_file.read_text(encoding="utf-8").strip() == url:
                    url_file.unlink()
                    (self.config.data_dir / CODE_FILE).unlink(missing_ok=True)
            except OSError:
                pass
