"""Run the centre service: its database, the HTTP server, and forwarding to the state backend.

``kiosk centre`` runs it on its own; a kiosk whose configuration names no ``[centre] url``
embeds it on loopback with :func:`start_centre` (port 0), exactly as it embeds the reference
backend. Forwarding is the kiosk's own sync engine (:class:`kiosk.sync.engine.SyncEngine`)
pointed at the centre's database: the same outbox states, idempotency keys, backoff, probe and
parking — so every token event reaches the state backend exactly once, however long it is down.

Typical use::

    centre = start_centre(config, port=0)            # listening when this returns
    token = centre.issue_credential("KIOSK-1", "kiosk")
    client = CentreClient(centre.url, device_token=token)
    ...
    centre.close()
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from kiosk.centre.db import CentreStore
from kiosk.centre.server import CentreServer
from kiosk.centre.service import CentreService
from kiosk.config import Config
from kiosk.secret_box import box_for, read_secret, seal_for_state
from kiosk.sync.settings import SyncSettings
from kiosk.sync.status import write_state

log = logging.getLogger(__name__)

CREDENTIAL_KEY = "credential"
#: Seconds between the first token event of a burst and the forwarder's drain.
FORWARD_DELAY_S = 0.2


class CentreRuntime:
    """Owns the store, the service, the server thread and the forwarder; ``close()`` twice ok.

    ``forward``: drain token events to the state backend. ``backend_url``/``backend_token``
    override ``[backend]``; with neither a URL nor ``[backend] url`` the embedded reference
    backend of this data directory is started (as the kiosk does).
    """

    def __init__(self, config: Config, *, host: str = "127.0.0.1", port: int = 0,
                 db: Path | str | None = None, enrolment_code: str | None = None,
                 forward: bool = True, backend_url: str | None = None,
                 backend_token: str | None = None, sync_settings: SyncSettings | None = None,
                 keepalive_s: float | None = None) -> None:
        self.config = config
        self.store = CentreStore(db or config.centre_db_path)
        self.service = CentreService(self.store, config, enrolment_code=enrolment_code)
        self.backend: Any = None
        self.engine: Any = None
        self.backend_client: Any = None
        self._closed = False
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        try:
            if forward:
                self._start_forwarding(backend_url, backend_token, sync_settings)
            kw = {} if keepalive_s is None else {"keepalive_s": keepalive_s}
            self.server = CentreServer(self.service, host, port, **kw).start()
        except BaseException:
            self.close()
            raise

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def enrolment_code(self) -> str:
        return self.service.enrolment_code

    def issue_credential(self, device_id: str, kind: str = "kiosk") -> str:
        """A device token without the enrolment code (this machine runs the service)."""
        return self.service.issue_credential(device_id, kind)

    def _start_forwarding(self, url: str | None, token: str | None,
                          settings: SyncSettings | None) -> None:
        from backend_client.client import BackendClient
        from kiosk.sync.engine import SyncEngine

        base = settings or SyncSettings.from_config(self.config)
        kiosk_id = f"{self.config.centre_code}-centre"
        url = (url if url is not None else base.url).rstrip("/")
        if not url:
            from reference_backend import ReferenceBackend

            self.backend = ReferenceBackend(
                self.config.data_dir / "backend" / "reference.sqlite3", "127.0.0.1", 0).start()
            url = self.backend.url
            token = token or self.backend.issue_credential(kiosk_id, self.config.centre_code)
        self.settings = dataclasses.replace(base, url=url, kiosk_id=kiosk_id,
                                            token=token or base.token)
        self.settings.check_url()  # plain http:// to another machine: a bilingual refusal
        client = BackendClient(url, None, connect_timeout=self.settings.connect_timeout,
                               read_timeout=self.settings.read_timeout,
                               verify=self.settings.ca_bundle or True, retries=0,
                               allow_insecure_http=self.settings.allow_insecure_http)
        client.set_credential(self.settings.token or self._stored_token(url))
        self.backend_client = client
        from kiosk.retention import RetentionJob, RetentionPolicy

        self.retention = RetentionJob(self.store, RetentionPolicy.from_config(self.config))
        self.engine = SyncEngine(self.store, client, self.settings,
                                 credential_source=self._register, pull_reference=False,
                                 embedded=self.backend is not None, housekeeping=self.retention)
        self.service.on_forward = self._forward_soon
        self.engine.start()

    def _forward_soon(self) -> None:
        """Wake the forwarder :data:`FORWARD_DELAY_S` after the first of a burst of events.

        Waking it per event would cost three extra commits (claim, done, status) per call at a
        busy centre; a short delay lets a burst travel as one batch, and the state backend still
        hears of every event within a fraction of a second.
        """
        with self._timer_lock:
            if self._closed or (self._timer is not None and self._timer.is_alive()):
                return
            self._timer = threading.Timer(FORWARD_DELAY_S, self.engine.wake)
            self._timer.name = "centre-forward-wake"
            self._timer.start()

    def _stored_token(self, url: str) -> str | None:
        raw = read_secret(self.store, CREDENTIAL_KEY, box_for(self.config))
        try:
            cred = json.loads(raw) if raw else {}
        except ValueError:
            return None
        return str(cred["token"]) if isinstance(cred, dict) and cred.get("url") == url \
            and cred.get("token") else None

    def _register(self, client: Any) -> str:
        from backend_client import AuthError

        if not self.settings.enrolment_code:
            raise AuthError("no [backend] token and no enrolment_code configured", status=401,
                            code="no-credential")
        cred = client.register(self.settings.kiosk_id, self.settings.centre_code,
                               self.settings.enrolment_code)
        sealed = seal_for_state(box_for(self.config), CREDENTIAL_KEY, json.dumps(
            {"url": self.settings.url, "token": cred.token}))
        with self.store.transaction() as conn:
            write_state(conn, {CREDENTIAL_KEY: sealed})
        return str(cred.token)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        server = getattr(self, "server", None)
        if server is not None:
            server.close()
        with self._timer_lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            timer.join(timeout=5)
        if self.engine is not None:
            self.engine.close()
        if self.backend_client is not None:
            self.backend_client.close()
        if self.backend is not None:
            self.backend.close()
        self.store.close()

    def __enter__(self) -> CentreRuntime:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def start_centre(config: Config, **kwargs: Any) -> CentreRuntime:
    """Start the centre service (see :class:`CentreRuntime` for the keywords); it listens
    when this returns."""
    return CentreRuntime(config, **kwargs)
