"""The sync worker: drains the outbox to the backend and pulls reference data, off the UI thread.

Scheduling, in plain words:

* **Drain** pending entries in batches (up to ``batch_size``), oldest first and in order per
  record. Each entry's own idempotency key travels with it, so any resend is harmless.
* **Network failure** (no answer): the kiosk is *offline*. Back off exponentially with jitter
  (so 400 kiosks coming back after a district-wide outage do not stampede the backend), but
  also send a tiny unauthenticated probe every ``probe_s`` seconds and drain the moment it
  answers — connectivity returning should not wait out a five-minute backoff.
* **5xx, 429 or a garbled answer**: the backend is reachable but unwell. Back off (at least
  ``Retry-After``); probing would not help, the probe would succeed.
* **Giving up** on an entry ("exhausted", after ``max_item_attempts``) happens only on the
  backend's own word about *that entry*: a ``retry`` result with a 5xx status inside a batch it
  otherwise processed, or HTTP 500 on a batch of that entry alone. Network failures, deadlines,
  502/503/504, 429 and garbled answers are about the link or the backend as a whole; they give
  the attempt back (``outbox.release(counted=False)``), so an outage of any length followed by
  one bad answer never parks a record.
* **Anything unexpected** (a bug, an answer that trips the code reading it): logged by type and
  place only (no message: it may quote a citizen's record), the entries on the wire go back to
  pending, the status says offline, and the worker backs off like any failure and tries again.
* **Permanent refusal** (4xx) of one entry: park it with the server's message, keep going with
  the others. Entries of the same record wait behind it (order matters more than speed).
* **401/403**: park the batch (code ``auth``), show it, and stop trying for ``auth_retry_s`` —
  no tight loop hammering the backend with a dead credential. A new credential
  (:meth:`SyncEngine.set_credential`) or the end of that pause puts those entries back.
* :meth:`SyncEngine.wake` cuts any wait short (except the auth pause): the app calls it after
  writing a record and whenever it learns the network is back.

Nothing here ever runs on the thread a citizen is waiting on.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from backend_client import (
    BATCH_KINDS,
    REFERENCE_NAMES,
    AuthError,
    BackendClientError,
    BatchItem,
    Heartbeat,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    ServerError,
)
from backend_client.client import BackendClient
from kiosk import __version__
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.reference import apply_document, stored_etag
from kiosk.sync.settings import SyncSettings
from kiosk.sync.status import SyncStatus, read_status, write_state

log = logging.getLogger(__name__)

CredentialSource = Callable[[BackendClient], str]
DeviceHealth = Callable[[], dict[str, str]]


#: 5xx answers about the backend as a whole (a gateway, maintenance, overload), not about the
#: entry sent: like network failures they never count towards giving an entry up.
NOT_ABOUT_THE_ENTRY = frozenset({502, 503, 504})


def _describe(exc: BackendClientError) -> str:
    status = f" (HTTP {exc.status})" if exc.status else ""
    return f"{type(exc).__name__}{status}: {exc.message}"[:300]


def _where(exc: BaseException) -> str:
    """``file.py:line`` of the innermost frame: enough to find a bug, no data in it."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    name = tb.tb_frame.f_code.co_filename.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}:{tb.tb_lineno}"


def _counts_against_entry(exc: BackendClientError) -> bool:
    """Did the backend itself say this (single) entry keeps failing? Only a plain 5xx does."""
    return (isinstance(exc, ServerError) and not isinstance(exc, RateLimitedError)
            and exc.status is not None and exc.status >= 500
            and exc.status not in NOT_ABOUT_THE_ENTRY)


class UnexpectedSyncError(ProtocolError):
    """Something other than a classified client error broke a sync step (kept retryable)."""


class SyncEngine:
    """One worker thread per kiosk. ``close()`` is safe twice and joins the thread."""

    def __init__(self, store: Store, client: BackendClient, settings: SyncSettings, *,
                 credential_source: CredentialSource | None = None,
                 device_health: DeviceHealth | None = None, embedded: bool = False,
                 pull_reference: bool = True, rng: random.Random | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 housekeeping: Callable[[], None] | None = None) -> None:
        self.store = store
        self.client = client
        self.settings = settings
        self.embedded = embedded
        #: The centre service drains its own outbox with this engine but has no reference
        #: tables (catalogue, fees …): it does not pull them.
        self.pull_reference = pull_reference
        self._credential_source = credential_source
        self._device_health = device_health
        self._rng = rng or random.Random()
        self._mono = monotonic
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._cycle_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[SyncStatus], None]] = []
        self._failures = 0
        self._next_attempt = 0.0
        self._network_down = False
        self._auth_until: float | None = None
        self._batch_limit = settings.batch_size
        self._next_pull = 0.0
        self._next_heartbeat = 0.0
        self.requests = 0  # HTTP requests attempted (tests and bench read it)
        #: Called on the worker after every step (the kiosk's retention job throttles itself):
        #: local housekeeping shares the thread that already writes the outbox.
        self._housekeeping = housekeeping

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        resumed = outbox.recover_inflight(self.store)
        if resumed:
            log.info("sync: %d in-flight entries from before a restart are pending again",
                     resumed)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Try now (e.g. a record was just written, or the network came back). Never blocks."""
        if self._auth_until is None:
            self._next_attempt = 0.0
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            # An exchange lasts at most the client's total deadline (connect + 2 × read).
            thread.join(timeout=self.settings.connect_timeout
                        + 2 * self.settings.read_timeout + 5)

    def add_listener(self, callback: Callable[[SyncStatus], None]) -> None:
        """Called on the worker thread after every step, and right after a drain that moved
        outbox entries (bridge it to a Qt signal)."""
        self._listeners.append(callback)

    def set_credential(self, token: str) -> None:
        """A new credential: lift the auth pause and give auth-parked entries another go."""
        self.client.set_credential(token)
        self._auth_until = None
        outbox.requeue(self.store, code=outbox.PARK_AUTH)
        with self.store.transaction() as conn:
            write_state(conn, {"auth_failed": None})
        self.wake()

    def status(self) -> SyncStatus:
        return read_status(self.store, backend_url=self.client.base_url, embedded=self.embedded)

    # -- the loop -------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.step()
            except Exception as exc:  # never let the worker die: log, back off, carry on
                delay = self._unexpected(exc, "the worker")
            self._notify()
            if self._housekeeping is not None:
                try:
                    self._housekeeping()
                except Exception:
                    log.exception("sync worker: housekeeping failed")
            self._wake.wait(max(0.0, delay))
            self._wake.clear()

    def step(self) -> float:
        """Make one scheduling decision, maybe run a cycle; return seconds until the next."""
        now = self._mono()
        if self._auth_until is not None:
            if now < self._auth_until:
                return min(self._auth_until - now, self.settings.interval_s)
            self._auth_until = None
            outbox.requeue(self.store, code=outbox.PARK_AUTH)
        if now < self._next_attempt:
            if not self._network_down:
                return self._next_attempt - now
            if not self._probe():
                return min(self.settings.probe_s, self._next_attempt - now)
        if self.cycle():
            return self.settings.interval_s
        return max(0.0, self._next_attempt - self._mono())

    def cycle(self, force_pull: bool = False) -> bool:
        """Drain everything deliverable, then pulls and heartbeat if due. True = all went well.

        An unexpected exception anywhere in it is a failed cycle (see :meth:`_unexpected`),
        never an escape that leaves entries ``inflight`` or the status saying online.
        """
        with self._cycle_lock:
            try:
                return self._cycle(force_pull)
            except Exception as exc:
                resumed = outbox.recover_inflight(self.store)
                self._unexpected(exc, f"a sync cycle ({resumed} entries back to pending)")
                return False

    def _cycle(self, force_pull: bool) -> bool:
        if not self._ensure_credential():
            return False
        drained, moved = self._drain()
        if moved:
            # The badge shows what waits to be sent: tell it as soon as the outbox moved,
            # not after the pulls and the heartbeat that follow (seconds on a slow link).
            self._notify()
        if not drained:
            return False
        now = self._mono()
        if self.pull_reference and (force_pull or now >= self._next_pull):
            if not self._pull():
                return False
            self._next_pull = now + self.settings.pull_s
        if now >= self._next_heartbeat:
            if not self._heartbeat():
                return False
            self._next_heartbeat = now + self.settings.heartbeat_s
        return True

    def run_once(self, recover: bool = True) -> SyncStatus:
        """Synchronous drain + pull + heartbeat (``kiosk sync once``); returns the status."""
        if recover:
            outbox.recover_inflight(self.store)
        self._auth_until = None
        self.cycle(force_pull=True)
        return self.status()

    # -- outcomes -------------------------------------------------------------------------------

    def _succeeded(self) -> None:
        if self._failures or self._network_down:
            log.info("sync: backend reachable again")
        self._failures = 0
        self._network_down = False
        self._next_attempt = 0.0
        with self.store.transaction() as conn:
            write_state(conn, {"online": "1", "last_success_at": outbox.utc_now(),
                               "last_attempt_at": outbox.utc_now(), "last_error": None,
                               "backend_url": self.client.base_url})

    def _unexpected(self, exc: Exception, where: str) -> float:
        """Log an unclassified failure without its message (it may quote a record), record
        it as a failure (offline, backoff) and return the wait before the next try."""
        log.error("sync: unexpected %s at %s in %s; backing off and retrying",
                  type(exc).__name__, _where(exc), where)
        try:
            self._failed(UnexpectedSyncError(f"unexpected {type(exc).__name__} at "
                                             f"{_where(exc)}"))
        except Exception as again:  # e.g. the database itself is failing
            log.error("sync: cannot record the failure (%s at %s)", type(again).__name__,
                      _where(again))
            self._next_attempt = self._mono() + self.settings.interval_s
        return max(0.05, self._next_attempt - self._mono())

    def _failed(self, exc: BackendClientError) -> None:
        self._failures += 1
        self._network_down = isinstance(exc, NetworkError)
        backoff = min(self.settings.max_backoff_s,
                      self.settings.backoff_base_s * 2 ** min(self._failures - 1, 30))
        delay = backoff * (0.5 + self._rng.random() / 2)  # "equal jitter"
        if exc.retry_after is not None:
            delay = max(delay, min(exc.retry_after, self.settings.max_backoff_s))
        self._next_attempt = self._mono() + delay
        if self._failures == 1 or self._failures % 20 == 0:
            log.warning("sync: %s; retrying in %.1fs (failure %d)", _describe(exc), delay,
                        self._failures)
        with self.store.transaction() as conn:
            write_state(conn, {"online": "0", "last_attempt_at": outbox.utc_now(),
                               "last_error": _describe(exc),
                               "backend_url": self.client.base_url})

    def _auth_failed(self, exc: BackendClientError) -> None:
        self._auth_until = self._mono() + self.settings.auth_retry_s
        log.error("sync: backend refused the kiosk credential: %s; pausing %.0fs",
                  _describe(exc), self.settings.auth_retry_s)
        with self.store.transaction() as conn:
            write_state(conn, {"auth_failed": "1", "online": "0",
                               "last_attempt_at": outbox.utc_now(),
                               "last_error": _describe(exc)})

    # -- pieces of a cycle ----------------------------------------------------------------------

    def _ensure_credential(self) -> bool:
        if self.client.has_credential:
            return True
        try:
            if self._credential_source is None:
                raise AuthError("no kiosk credential and no way to obtain one (set [backend] "
                                "token or enrolment_code)", status=401, code="no-credential")
            self.requests += 1
            self.client.set_credential(self._credential_source(self.client))
        except AuthError as exc:
            self._auth_failed(exc)
            return False
        except BackendClientError as exc:
            self._failed(exc)
            return False
        with self.store.transaction() as conn:
            write_state(conn, {"auth_failed": None})
        return True

    def _probe(self) -> bool:
        try:
            self.requests += 1
            server_time = self.client.health(timeout=min(2.0, self.settings.read_timeout))
        except BackendClientError:
            return False
        self._note_server_time(server_time)
        return True

    def _note_server_time(self, server_time: str) -> None:
        try:
            skew = (datetime.fromisoformat(server_time)
                    - datetime.now(UTC)).total_seconds()
        except ValueError:
            return
        with self.store.transaction() as conn:
            write_state(conn, {"clock_skew_s": f"{skew:.1f}"})

    def _drain(self) -> tuple[bool, bool]:
        """Send every deliverable entry; returns ``(all went well, any entry claimed)``."""
        moved = False
        while not self._stop.is_set():
            entries = outbox.claim(self.store, self._batch_limit)
            if not entries:
                return True, moved
            moved = True
            unknown = [e for e in entries if e.kind not in BATCH_KINDS]
            if unknown:
                outbox.park(self.store, [e.id for e in unknown], outbox.PARK_UNKNOWN_KIND,
                            "this kind of record is not part of the backend contract")
                entries = [e for e in entries if e.kind in BATCH_KINDS]
                if not entries:
                    continue
            if not self._send(entries):
                return False, moved
        return True, moved

    def _send(self, entries: list[outbox.OutboxEntry]) -> bool:
        """Send one claimed batch. Whatever happens, no entry is left ``inflight``."""
        ids = [e.id for e in entries]
        try:
            return self._send_claimed(entries, ids)
        except Exception as exc:
            outbox.release(self.store, ids, f"unexpected {type(exc).__name__}", counted=False)
            self._unexpected(exc, f"sending a batch of {len(ids)}")
            return False

    def _send_claimed(self, entries: list[outbox.OutboxEntry], ids: list[int]) -> bool:
        items = [BatchItem(e.idempotency_key, e.kind, e.record_id,
                           outbox.wire_payload(e.kind, e.payload)) for e in entries]
        try:
            self.requests += 1
            result = self.client.upload_batch(items, retries=0)
        except AuthError as exc:
            outbox.park(self.store, ids, outbox.PARK_AUTH, _describe(exc))
            self._auth_failed(exc)
            return False
        except RejectedError as exc:
            if len(entries) > 1:  # find the culprit: halve until the batch is one entry
                outbox.release(self.store, ids, _describe(exc), counted=False)
                self._batch_limit = max(1, len(entries) // 2)
                return True
            outbox.park(self.store, ids, outbox.PARK_REJECTED, _describe(exc))
            return True
        except BackendClientError as exc:
            # Only a plain 5xx on this entry alone is the backend's word about the entry.
            counted = len(entries) == 1 and _counts_against_entry(exc)
            outbox.release(self.store, ids, _describe(exc), counted=counted)
            if isinstance(exc, ServerError):
                self._batch_limit = max(1, len(entries) // 2)
                if counted:
                    self._exhaust(entries, exc.message)
            self._failed(exc)
            return False
        self._succeeded()
        self._batch_limit = min(self.settings.batch_size, self._batch_limit * 2)
        done = [e.id for e, r in zip(entries, result.items, strict=True) if r.delivered]
        retry = [(e, r) for e, r in zip(entries, result.items, strict=True)
                 if r.status == "retry"]
        outbox.mark_done(self.store, done)
        for e, r in zip(entries, result.items, strict=True):
            if r.status == "rejected":
                log.warning("sync: backend rejected %s entry %d: %s", e.kind, e.id, r.message,
                            extra={"outbox_kind": e.kind})
                outbox.park(self.store, [e.id], outbox.PARK_REJECTED,
                            f"HTTP {r.http_status}: {r.message or 'rejected'}")
        if retry:
            # A 5xx item result is the backend failing on that entry (counted); anything else
            # (409 "held back behind an earlier item of the record") says nothing about it.
            failing = [e for e, r in retry if r.http_status >= 500
                       and r.http_status not in NOT_ABOUT_THE_ENTRY]
            failing_ids = {e.id for e in failing}
            message = retry[0][1].message or "retry"
            outbox.release(self.store, [e.id for e in failing], message)
            outbox.release(self.store, [e.id for e, _ in retry if e.id not in failing_ids],
                           message, counted=False)
            self._exhaust(failing, "server kept failing")
            if len(retry) == len(entries):  # no progress at all: do not spin
                self._failed(ServerError("backend made no progress on the batch"))
                return False
        return True

    def _exhaust(self, entries: list[outbox.OutboxEntry], why: str) -> None:
        worn = [e.id for e in entries if e.attempts >= self.settings.max_item_attempts]
        if worn:
            outbox.park(self.store, worn, outbox.PARK_EXHAUSTED,
                        f"gave up after {self.settings.max_item_attempts} attempts: {why}")

    def _pull(self) -> bool:
        for name in REFERENCE_NAMES:
            if self._stop.is_set():
                return True
            try:
                self.requests += 1
                doc = self.client.get_reference(name, stored_etag(self.store.conn, name))
            except AuthError as exc:
                self._auth_failed(exc)
                return False
            except RejectedError as exc:
                log.warning("sync: reference %s refused: %s", name, _describe(exc))
                continue
            except BackendClientError as exc:
                self._failed(exc)
                return False
            if doc is None:
                continue
            try:
                rows = apply_document(self.store, doc)
            except ValueError as exc:
                log.warning("sync: reference %s version %s not applied: %s", name,
                            doc.version, exc)
                continue
            log.info("sync: reference %s version %s applied (%d rows)", name, doc.version, rows)
        self._succeeded()
        return True

    def _heartbeat(self) -> bool:
        conn = self.store.conn
        devices: dict[str, str] = {}
        if self._device_health is not None:
            try:
                devices = {str(k): str(v)[:40] for k, v in self._device_health().items()}
            except Exception:
                log.exception("sync: device health callback failed")
        beat = Heartbeat(sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
                         app_version=__version__, outbox_depth=outbox.depth_by_kind(conn),
                         parked=outbox.count_state(conn, outbox.PARKED), devices=devices)
        try:
            self.requests += 1
            ack = self.client.heartbeat(beat, retries=0)
        except AuthError as exc:
            self._auth_failed(exc)
            return False
        except RejectedError as exc:
            log.warning("sync: heartbeat refused: %s", _describe(exc))
            return True
        except BackendClientError as exc:
            self._failed(exc)
            return False
        self._note_server_time(ack.server_time)
        return True

    def _notify(self) -> None:
        if not self._listeners:
            return
        try:
            snapshot = self.status()
        except Exception:
            log.exception("sync: cannot read status")
            return
        for cb in list(self._listeners):
            try:
                cb(snapshot)
            except Exception:
                log.exception("sync: status listener failed")
