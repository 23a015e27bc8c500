"""Start and stop sync for a running kiosk: the embedded backend (if any) plus the worker.

``[backend] url = ""`` (the default) means "this machine is the whole centre": the reference
backend starts on 127.0.0.1 with an ephemeral port and its own database under the data
directory, and the kiosk registers with it locally. It confirms UPI payments by itself only in
demo mode (``config.demo``); otherwise a payment stays pending until a provider says it is
paid. With a URL the kiosk talks to the state's backend, using ``[backend] token`` or, failing
that, exchanging ``enrolment_code`` for a token on first contact (done by the worker, so
start-up never waits on the network).

Typical use by the app::

    runtime = start_sync(config, store, device_health=devices.health_summary)
    ...  runtime.wake() after writing a record; runtime.status() for the indicator  ...
    runtime.close()
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Any

from backend_client import AuthError
from backend_client.client import BackendClient
from kiosk.config import Config
from kiosk.errors import BackendError, ConfigError
from kiosk.retention import RetentionJob, RetentionPolicy
from kiosk.secret_box import box_for, read_secret, seal_for_state
from kiosk.store import Store
from kiosk.sync.engine import DeviceHealth, SyncEngine
from kiosk.sync.settings import SyncSettings
from kiosk.sync.status import SyncStatus, write_state

log = logging.getLogger(__name__)

#: Seconds after which the embedded backend "receives" a UPI payment — in demo mode only
#: (``[demo] enabled`` / ``kiosk run --demo``). Without demo nothing but the backend's
#: provider status confirms a payment, embedded backend or not.
DEMO_UPI_CONFIRM_S = 8.0

CREDENTIAL_KEY = "credential"


class SyncRuntime:
    """Owns the embedded backend (when used), the HTTP client and the sync worker.

    ``close()`` is safe twice and leaves no thread or socket behind; also a context manager.
    """

    def __init__(self, config: Config, store: Store, *, settings: SyncSettings | None = None,
                 device_health: DeviceHealth | None = None, start_worker: bool = True) -> None:
        self.config = config
        self.store = store
        self.settings = settings or SyncSettings.from_config(config)
        self.backend = None
        self._closed = False
        url = self.settings.url
        try:
            self.settings.check_url()
        except ConfigError as exc:
            # Refused before anything is sent; the status screen and `kiosk sync status`
            # say why (records stay in the outbox until the address is fixed).
            log.error("sync not started: %s", exc.detail)
            with store.transaction() as conn:
                write_state(conn, {"online": "0", "last_error": exc.detail[:300]})
            raise
        if not url:
            from reference_backend import ReferenceBackend

            try:
                self.backend = ReferenceBackend(
                    config.data_dir / "backend" / "reference.sqlite3", "127.0.0.1", 0)
                if config.demo:
                    # Nobody pays a demo: the embedded backend confirms UPI payments itself.
                    self.backend.db.upi_auto_confirm_s = DEMO_UPI_CONFIRM_S
                    log.warning("DEMO mode: the embedded backend confirms UPI payments by "
                                "itself after %.0f s; nothing printed is valid",
                                DEMO_UPI_CONFIRM_S)
                self.backend.start()
            except Exception as exc:
                raise BackendError(f"embedded reference backend did not start: {exc}") from exc
            url = self.backend.url
        self.client = BackendClient(url, None, connect_timeout=self.settings.connect_timeout,
                                    read_timeout=self.settings.read_timeout,
                                    verify=self.settings.ca_bundle or True, retries=0,
                                    allow_insecure_http=self.settings.allow_insecure_http)
        self.client.set_credential(self._known_credential())
        self.retention = RetentionJob(store, RetentionPolicy.from_config(config))
        self.engine = SyncEngine(store, self.client, self.settings,
                                 credential_source=self._register, device_health=device_health,
                                 embedded=self.backend is not None,
                                 housekeeping=self.retention)
        if start_worker:
            self.engine.start()

    @property
    def embedded(self) -> bool:
        return self.backend is not None

    @property
    def backend_url(self) -> str:
        return self.client.base_url

    def _known_credential(self) -> str | None:
        if self.settings.token:
            return self.settings.token
        cred = _stored_credential(self.store, self.settings.kiosk_id, self.config)
        if self.backend is not None:
            # Embedded: the backend is ours, enrol locally without a network round trip.
            token = cred.get("token")
            if not token or self.backend.db.kiosk_for_token(token) != self.settings.kiosk_id:
                token = self.backend.issue_credential(self.settings.kiosk_id,
                                                      self.settings.centre_code)
                self._store_credential(token)
            return str(token)
        if cred.get("url") == self.settings.url and cred.get("token"):
            return str(cred["token"])
        return None

    def _store_credential(self, token: str) -> None:
        value = json.dumps({"kiosk_id": self.settings.kiosk_id, "url": self.settings.url,
                            "token": token})
        sealed = seal_for_state(box_for(self.config), CREDENTIAL_KEY, value)
        with self.store.transaction() as conn:
            write_state(conn, {CREDENTIAL_KEY: sealed})

    def _register(self, client: BackendClient) -> str:
        """Exchange the enrolment code for a token (runs on the worker thread)."""
        if not self.settings.enrolment_code:
            raise AuthError("no [backend] token and no enrolment_code configured", status=401,
                            code="no-credential")
        cred = client.register(self.settings.kiosk_id, self.settings.centre_code,
                               self.settings.enrolment_code)
        self._store_credential(cred.token)
        log.info("sync: kiosk %s registered with %s", cred.kiosk_id, client.base_url)
        return cred.token

    # -- the API the app uses -------------------------------------------------------------------

    def status(self) -> SyncStatus:
        """A snapshot for the indicator / diagnostics (cheap local reads, never the network)."""
        return self.engine.status()

    def wake(self) -> None:
        """Ask the worker to try now. Returns at once."""
        self.engine.wake()

    def add_listener(self, callback: Callable[[SyncStatus], None]) -> None:
        self.engine.add_listener(callback)

    def set_credential(self, token: str) -> None:
        """Install a new kiosk token (e.g. after the backend team reissued it)."""
        self._store_credential(token)
        self.engine.set_credential(token)

    def sync_once(self) -> SyncStatus:
        """Drain, pull and heartbeat now on the calling thread (CLI); returns the status."""
        return self.engine.run_once()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.engine.close()
        self.client.close()
        if self.backend is not None:
            self.backend.close()

    def __enter__(self) -> SyncRuntime:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def start_sync(config: Config, store: Store, *, device_health: DeviceHealth | None = None,
               settings: SyncSettings | None = None, start_worker: bool = True) -> SyncRuntime:
    """Start sync for ``store``: embedded backend when ``[backend] url`` is empty, plus worker.

    Raises :class:`kiosk.errors.BackendError` only if the embedded backend cannot start (a
    broken data directory); network trouble never raises here, it shows in ``status()``.
    """
    return SyncRuntime(config, store, settings=settings, device_health=device_health,
                       start_worker=start_worker)


def _stored_credential(store: Store, kiosk_id: str, config: Config) -> dict[str, Any]:
    """The credential enrolment left in ``sync_state`` for this kiosk id ({} if none/garbled);
    sealed at rest by kiosk.secret_box (a plain one from an older version is sealed now)."""
    stored = read_secret(store, CREDENTIAL_KEY, box_for(config))
    try:
        cred = json.loads(stored) if stored else {}
    except ValueError:
        return {}
    return cred if isinstance(cred, dict) and cred.get("kiosk_id") == kiosk_id else {}


def direct_client(config: Config, store: Store, *, quick: bool = False) -> BackendClient | None:
    """A client of the configured ``[backend] url`` with the kiosk's token (configured, or the
    one enrolment stored), for screens that ask the backend while the sync runtime is not
    running; None without a URL or a token. ``quick`` caps the timeouts for a waiting citizen.
    """
    settings = SyncSettings.from_config(config)
    if not settings.url:
        return None
    try:
        settings.check_url()
    except ConfigError as exc:
        log.error("backend not asked: %s", exc.detail)
        return None
    token = settings.token
    if not token:
        cred = _stored_credential(store, settings.kiosk_id, config)
        token = str(cred["token"]) if cred.get("url") == settings.url and cred.get(
            "token") else ""
    if not token:
        return None
    connect, read = settings.connect_timeout, settings.read_timeout
    if quick:
        connect, read = min(connect, 3.05), min(read, 6.0)
    return BackendClient(settings.url, token, connect_timeout=connect, read_timeout=read,
                         verify=settings.ca_bundle or True, retries=0,
                         allow_insecure_http=settings.allow_insecure_http)
