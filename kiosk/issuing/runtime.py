"""The kiosk's link to its centre: the issuer, plus the embedded centre service when needed.

Typical use::

    link = CentreLink(config, store)          # cheap: no network, no HTTP stack yet
    tokens = TokenService(store, config, centre=link.issuer)
    link.start()                              # background: embed the centre if none is
    ...                                       # configured, enrol, report, top up leases
    link.close()

``kiosk run`` starts it after the first frame (like sync); ``kiosk token issue`` uses
:meth:`CentreLink.sync_now` on its own thread and then issues.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from kiosk.config import Config
from kiosk.issuing.application_handover import ApplicationHandover
from kiosk.issuing.issuer import CentreEndpoint, CentreIssuer
from kiosk.issuing.local import EmbeddedCentre, configured_endpoint, local_endpoint
from kiosk.store import Store

log = logging.getLogger(__name__)


class CentreLink:
    """Owns the issuer and, with no ``[centre] url``, the embedded centre service.

    ``embed`` False (the CLI) joins the centre a running kiosk on this machine embeds
    (``<data_dir>/centre.url``) instead of starting one; ``embed_port`` overrides
    ``[centre] port`` (0 = any free port). ``close()`` is safe twice and joins every thread.
    """

    def __init__(self, config: Config, store: Store, *, embed: bool = True,
                 embed_port: int | None = None, write_files: bool = True,
                 background: bool = True, forward: bool = True,
                 issuer: CentreIssuer | None = None) -> None:
        self.config = config
        self.store = store
        self._embed = embed
        self._embed_port = embed_port
        self._write_files = write_files
        self._forward = forward
        self._configured = configured_endpoint(config)
        self.embedded: EmbeddedCentre | None = None
        self.issuer = issuer or CentreIssuer(store, config, self.endpoint,
                                             on_demand=self.start if background else None)
        #: Hands this kiosk's applications to the centre's desk (started with the link).
        self.handover = ApplicationHandover(store, config, self.issuer)
        self._lock = threading.Lock()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.start_error: str | None = None

    @property
    def configured(self) -> bool:
        return self._configured is not None

    def endpoint(self) -> CentreEndpoint | None:
        if self._configured is not None:
            return self._configured
        if self.embedded is not None:
            return self.embedded.endpoint()
        if not self._embed:
            return local_endpoint(self.config)
        return None

    def start(self) -> None:
        """Start in the background (idempotent): embed the centre if needed, then the link."""
        with self._lock:
            if self._closed or self._thread is not None:
                return
            self._thread = threading.Thread(target=self._start, name="centre-start",
                                            daemon=True)
            self._thread.start()

    def _start(self) -> None:
        self.embed_now()
        with self._lock:
            if self._closed:
                return
            self.issuer.start()
            self.handover.start()

    def embed_now(self) -> None:
        """Start the embedded centre service here and now (when no centre is configured)."""
        if self._configured is not None or not self._embed or self.embedded is not None:
            return
        try:
            embedded = EmbeddedCentre(self.config, port=self._embed_port,
                                      forward=self._forward, write_files=self._write_files)
        except Exception as exc:  # a broken centre DB must not stop tokens from the lease
            self.start_error = str(exc)
            log.error("the embedded centre service did not start; issuing from the lease",
                      exc_info=True)
            return
        with self._lock:
            if self._closed:
                embedded.close()
                return
            self.embedded = embedded

    def wait_started(self, timeout: float = 15.0) -> bool:
        """Wait for :meth:`start`'s first round (tests, screenshots)."""
        self.start()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.issuer.wait_ready(timeout)

    def sync_now(self) -> bool:
        """Embed if needed, then report and top up on this thread (CLI). True = centre answered."""
        self.embed_now()
        return self.issuer.sync_once()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join(timeout=30)
        self.handover.close()
        self.issuer.close()
        if self.embedded is not None:
            self.embedded.close()
            self.embedded = None

    def __enter__(self) -> CentreLink:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def cli_link(config: Config, store: Store) -> CentreLink:
    """The centre for a one-shot command (``kiosk token issue``); nothing runs in background.

    ``[centre] url`` configured: that centre (its lease when it does not answer). Otherwise the
    centre a running kiosk on this machine embeds (``<data_dir>/centre.url``) if it answers;
    and when none does, the same centre database served in this process for the command's
    duration, so the numbers are those ``kiosk run`` would give. The caller issues first and
    then calls :meth:`CentreLink.sync_now` (report, top up the lease), so a lease taken on the
    first run does not push the first number of the day past the leased block.
    """
    if configured_endpoint(config) is not None:
        return CentreLink(config, store, embed=False, background=False)
    if local_endpoint(config) is not None:
        link = CentreLink(config, store, embed=False, background=False)
        if link.issuer.probe():
            return link
        link.close()
    link = CentreLink(config, store, embed=True, embed_port=0, write_files=False,
                      background=False, forward=False)
    link.embed_now()
    return link
