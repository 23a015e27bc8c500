"""Issuing a token through the centre service, and from this kiosk's lease when it is away.

The path a citizen's tap takes (on the view-model's worker thread, never the GUI thread):

1. **Online**: ``POST /v1/tokens`` with a fresh token id. The centre numbers it (unique across
   every kiosk of the centre), forwards ``token.issued`` to the state through its own outbox,
   and answers with the people ahead and the wait range. The kiosk then commits the token to
   its own store (for the slip and reprints) *before* it is shown; it writes no outbox entry —
   the centre is the one that tells the state, exactly once.
2. **Offline** (no answer within ``ISSUE_TIMEOUT_S``, or the centre was unreachable a moment
   ago): the next number of this kiosk's lease for the group, committed in the same
   transaction as the token, marked ``offline`` and unreported. The estimate says so: position
   and wait are unknown. With the lease used up nothing is issued and the citizen is told so in
   both languages (:class:`LeaseExhaustedError`).
3. The link thread (:meth:`CentreIssuer.start`) hands unreported tokens to the centre in issue
   order, each with its leased ``seq`` and original ``issued_at`` (``POST /v1/tokens`` is
   idempotent by token id, so a resend after a SIGKILL between "sent" and "marked" is
   harmless), and keeps every group's lease above half of ``[centre] lease_size``.

A refusal that is not about reachability (the Samadhan Ek Din window is closed, an unknown
group) is the centre's answer, shown to the citizen as it is: falling back to the lease there
would issue a number the rules do not allow.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.errors import KioskError, StoreError
from kiosk.i18n import N_
from kiosk.issuing import leases
from kiosk.queue import Priority, Token
from kiosk.secret_box import box_for, read_secret, seal_for_state
from kiosk.store import Store

if TYPE_CHECKING:
    from kiosk.centre.client import CentreClient

log = logging.getLogger(__name__)

#: How long a citizen's issue waits for the centre before the lease is used (seconds).
ISSUE_TIMEOUT_S = 2.0
#: After the centre failed to answer, issue from the lease without trying for this long; the
#: link thread probes meanwhile and lifts it the moment the centre answers.
OFFLINE_HOLD_S = 10.0
#: The link thread's rhythm: report, top up, probe (an issue wakes it at once).
LINK_INTERVAL_S = 5.0
LINK_MAX_BACKOFF_S = 10.0
#: How long the first issue waits for the link's start (embedded centre, enrolment).
START_WAIT_S = 8.0

CREDENTIAL_KEY = "centre_credential"


class LeaseExhaustedError(KioskError):
    """Offline and no leased number left for the group: nothing may be issued."""

    default_message = N_("This kiosk cannot reach the centre's queue and has no token numbers "
                         "left for this service. Please ask the staff at the counter for a "
                         "token.")


@dataclass(frozen=True)
class CentreEndpoint:
    """Where the centre service is and the code a new device enrols with."""

    url: str
    enrolment_code: str = ""
    device_token: str = ""


EndpointSource = Callable[[], CentreEndpoint | None]


class ClientFactory(Protocol):
    def __call__(self, base_url: str, *, device_token: str | None = ...,
                 timeout: float = ...) -> CentreClient: ...


def _default_client_factory(base_url: str, *, device_token: str | None = None,
                            timeout: float = 3.0) -> CentreClient:
    from kiosk.centre.client import CentreClient

    return CentreClient(base_url, device_token=device_token, timeout=timeout)


def _errors() -> tuple[type[Exception], type[Exception], type[Exception]]:
    """(CentreError, CentreUnreachableError, UnauthorizedError), imported on first use."""
    from kiosk.centre.errors import CentreError, CentreUnreachableError, UnauthorizedError

    return CentreError, CentreUnreachableError, UnauthorizedError


def token_from_centre(data: dict[str, Any], lang: str) -> Token:
    """The centre's Token JSON as the kiosk's :class:`Token` (with its honest estimate)."""
    wmin, wmax = data.get("wait_min"), data.get("wait_max")
    known = isinstance(wmin, int) and isinstance(wmax, int)
    return Token(id=str(data["id"]), number=str(data["number"]), group=str(data["group"]),
                 seq=int(data["seq"]), priority=Priority(str(data["priority"])),
                 lang=str(data.get("lang") or lang),
                 issued_at=datetime.fromisoformat(str(data["issued_at"])),
                 people_ahead=int(data.get("people_ahead") or 0),
                 wait_minutes=int(wmax) if known else 0,  # type: ignore[arg-type]
                 estimate="range" if known else "no_counter",
                 wait_min=int(wmin) if known else None,  # type: ignore[arg-type]
                 wait_max=int(wmax) if known else None)  # type: ignore[arg-type]


class CentreIssuer:
    """Issues tokens for one kiosk through the centre service, with the lease as the net.

    Thread-safe: the GUI's worker, the CLI and the link thread share it. ``close()`` joins the
    link thread and is safe twice.
    """

    def __init__(self, store: Store, config: Config, endpoint: EndpointSource | CentreEndpoint,
                 *, kiosk_id: str | None = None, client_factory: ClientFactory | None = None,
                 clock: Callable[[], datetime] | None = None,
                 issue_timeout_s: float = ISSUE_TIMEOUT_S,
                 offline_hold_s: float = OFFLINE_HOLD_S,
                 link_interval_s: float = LINK_INTERVAL_S,
                 on_demand: Callable[[], None] | None = None) -> None:
        self.store = store
        self.config = config
        self._endpoint = endpoint if callable(endpoint) else (lambda e=endpoint: e)
        self.kiosk_id = kiosk_id or _kiosk_id(config)
        self.centre_key = config.centre_code
        self.lease_size = int(_centre_cfg(config).get("lease_size", 50))
        self._factory: ClientFactory = client_factory or _default_client_factory
        tz = ZoneInfo(config.timezone)
        self._clock = clock or (lambda: datetime.now(tz))
        self.issue_timeout_s = issue_timeout_s
        self.offline_hold_s = offline_hold_s
        self.link_interval_s = link_interval_s
        self._lock = threading.RLock()        # one issue or report at a time: issue order
        self._client: CentreClient | None = None
        self._client_url = ""
        self._device_token = ""
        self._offline_until = 0.0
        self._online: bool | None = None
        self._last_error = ""
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_demand = on_demand           # starts the link if an issue comes first
        self.reported = 0                     # offline tokens handed over (tests, bench)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the link thread (report, top up, probe). Without it, :meth:`sync_once`."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="centre-link", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def probe(self) -> bool:
        """Does the centre answer ``/v1/health`` now? (Never raises.)"""
        endpoint = self._endpoint()
        if endpoint is None or not endpoint.url:
            return False
        client = self._factory(endpoint.url, device_token=None, timeout=self.issue_timeout_s)
        try:
            client.health()
        except Exception as exc:
            log.info("centre at %s does not answer: %s", endpoint.url, exc)
            return False
        finally:
            _close_client(client)
        self._ready.set()
        return True

    def wait_ready(self, timeout: float) -> bool:
        """True once the first contact attempt (enrol, report, top up) has been made."""
        return self._ready.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=15)
        with self._lock:
            if self._client is not None:
                _close_client(self._client)
                self._client = None

    def __enter__(self) -> CentreIssuer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what TokenService delegates ------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def issue(self, group: str, priority: Priority, lang: str) -> Token:
        """A committed token: the centre's number, or the lease's when it cannot be reached."""
        if not self._ready.is_set() and (self._thread is not None or self._on_demand):
            if self._on_demand is not None:
                self._on_demand()
            self._ready.wait(START_WAIT_S)  # the embedded centre is still starting
        _, unreachable, _ = _errors()
        with self._lock:
            if time.monotonic() >= self._offline_until:
                try:
                    return self._issue_online(group, priority, lang)
                except unreachable as exc:
                    self._went_offline(exc)
            token = self._issue_from_lease(group, priority, lang)
        self.wake()
        return token

    def get(self, token_id: str) -> Token | None:
        """The token with its live position from the centre; the stored one when offline."""
        live = self.position(token_id)
        return live if live is not None else self.stored(token_id)

    def position(self, token_id: str) -> Token | None:
        """The centre's current view of the token, or None (offline, or not known there)."""
        if time.monotonic() < self._offline_until:
            return None
        centre_error, unreachable, _ = _errors()
        try:
            client = self._get_client()
            if client is None:
                return None
            data = client.token(token_id)
        except unreachable as exc:
            self._went_offline(exc)
            return None
        except centre_error as exc:
            log.info("centre: token %s not available: %s", token_id, exc)
            return None
        row = self.store.conn.execute("SELECT lang FROM tokens WHERE id = ?",
                                      (token_id,)).fetchone()
        return token_from_centre(data, row["lang"] if row else "hi")

    def position_json(self, token_id: str) -> dict[str, Any] | None:
        """The centre's raw Token JSON (state, counter, …) for the live token screen."""
        if time.monotonic() < self._offline_until:
            return None
        centre_error, unreachable, _ = _errors()
        try:
            client = self._get_client()
            return None if client is None else dict(client.token(token_id))
        except unreachable as exc:
            self._went_offline(exc)
            return None
        except centre_error:
            return None

    def stored(self, token_id: str) -> Token | None:
        row = self.store.conn.execute("SELECT * FROM tokens WHERE id = ?",
                                      (token_id,)).fetchone()
        return _row_token(row) if row is not None else None

    # -- status ---------------------------------------------------------------------------------

    @property
    def online(self) -> bool | None:
        """None before the first contact; False while issuing from the lease."""
        return self._online

    def lease_remaining(self, group: str) -> int:
        return leases.remaining(self.store.conn, self.centre_key, self._today(), group)

    def unreported(self) -> int:
        return leases.unreported_count(self.store.conn)

    def status(self) -> dict[str, Any]:
        endpoint = self._endpoint()
        return {"url": endpoint.url if endpoint else None, "online": self._online,
                "kiosk_id": self.kiosk_id, "unreported": self.unreported(),
                "lease": {g: self.lease_remaining(g) for g in self.config.groups},
                "last_error": self._last_error or None}

    # -- the link thread ------------------------------------------------------------------------

    def sync_once(self) -> bool:
        """Report unreported tokens, then top up the leases. True if the centre answered."""
        try:
            return self._sync_once()
        finally:
            self._ready.set()

    def _sync_once(self) -> bool:
        centre_error, unreachable, _ = _errors()
        try:
            with self._lock:
                client = self._get_client()
                if client is None:
                    return False
                if self._online is not True:
                    client.health()  # still away? (reporting and topping up may send nothing)
                self._report(client)
            self._top_up()
        except unreachable as exc:
            self._went_offline(exc)
            return False
        except centre_error as exc:
            self._last_error = str(exc)[:200]
            log.warning("centre: %s", exc)
            return False
        except StoreError:
            log.exception("centre link: the local store failed")
            return False
        self._came_online()
        return True

    def _run(self) -> None:
        backoff = self.link_interval_s
        while not self._stop.is_set():
            try:
                ok = self.sync_once()
            except Exception:  # never let the link die
                log.exception("centre link: unexpected error")
                ok = False
            backoff = self.link_interval_s if ok else min(LINK_MAX_BACKOFF_S, backoff * 1.5)
            self._wake.wait(backoff)
            self._wake.clear()

    # -- internals ------------------------------------------------------------------------------

    def _today(self) -> str:
        return self.now().date().isoformat()

    def _went_offline(self, exc: BaseException) -> None:
        if self._online is not False:
            log.warning("centre service unreachable; issuing from this kiosk's lease (%s)", exc)
        self._online = False
        self._last_error = str(exc)[:200]
        self._offline_until = time.monotonic() + self.offline_hold_s

    def _came_online(self) -> None:
        if self._online is False:
            log.info("centre service reachable again")
        self._online = True
        self._offline_until = 0.0
        self._last_error = ""

    def _get_client(self) -> CentreClient | None:
        """A client with a device token (enrolling on first contact); None without a URL."""
        endpoint = self._endpoint()
        if endpoint is None or not endpoint.url:
            return None
        with self._lock:
            if self._client is not None and self._client_url == endpoint.url:
                return self._client
            if self._client is not None:
                _close_client(self._client)
                self._client = None
            token = endpoint.device_token or self._stored_token(endpoint.url)
            if not token:
                token = self._enrol(endpoint)
            self._device_token = token
            self._client = self._factory(endpoint.url, device_token=token,
                                         timeout=self.issue_timeout_s)
            self._client_url = endpoint.url
            return self._client

    def _enrol(self, endpoint: CentreEndpoint) -> str:
        client = self._factory(endpoint.url, device_token=None, timeout=self.issue_timeout_s)
        try:
            token = str(client.enrol(endpoint.enrolment_code, self.kiosk_id, "kiosk"))
        finally:
            _close_client(client)
        sealed = seal_for_state(box_for(self.config), CREDENTIAL_KEY, json.dumps(
            {"kiosk_id": self.kiosk_id, "url": endpoint.url, "token": token}))
        with self.store.transaction() as conn:
            write_state(conn, {CREDENTIAL_KEY: sealed})
        log.info("centre: kiosk %s enrolled with %s", self.kiosk_id, endpoint.url)
        return token

    def _stored_token(self, url: str) -> str:
        raw = read_secret(self.store, CREDENTIAL_KEY, box_for(self.config))
        try:
            cred = json.loads(raw) if raw else {}
        except ValueError:
            return ""
        if isinstance(cred, dict) and cred.get("kiosk_id") == self.kiosk_id \
                and cred.get("url") == url:
            return str(cred.get("token") or "")
        return ""

    def _forget_credential(self) -> None:
        with self._lock:
            if self._client is not None:
                _close_client(self._client)
            self._client = None
            with self.store.transaction() as conn:
                write_state(conn, {CREDENTIAL_KEY: None})

    def call(self, fn: Callable[[CentreClient], dict[str, Any]]) -> dict[str, Any]:
        """Run ``fn`` with this kiosk's enrolled client (the application hand-over uses it);
        ``CentreUnreachableError`` when there is no centre URL yet or no answer."""
        return self._call(fn)

    def _call(self, fn: Callable[[CentreClient], dict[str, Any]]) -> dict[str, Any]:
        """Run ``fn`` with a client; re-enrol once if the centre no longer knows this kiosk."""
        _, unreachable, unauthorized = _errors()
        client = self._get_client()
        if client is None:
            raise unreachable("no centre service URL yet")
        try:
            return fn(client)
        except unauthorized:
            endpoint = self._endpoint()
            if endpoint is None or endpoint.device_token or not endpoint.enrolment_code:
                raise
            log.warning("centre: device token refused; enrolling again")
            self._forget_credential()
            client = self._get_client()
            assert client is not None
            return fn(client)

    def _issue_online(self, group: str, priority: Priority, lang: str) -> Token:
        self._report_or_raise()
        token_id = str(uuid.uuid4())
        data = self._call(lambda c: c.issue(token_id, group, priority.value, lang,
                                            self.kiosk_id))
        self._came_online()
        token = token_from_centre(data, lang)
        self._store_token(token, offline=False)
        self._maybe_top_up(group)
        return token

    def _report_or_raise(self) -> None:
        """Offline tokens go first, so the centre hears of tokens in the order they were
        issued; an unreachable centre raises (the caller falls back to the lease)."""
        if leases.unreported_count(self.store.conn):
            client = self._get_client()
            if client is not None:
                self._report(client)

    def _report(self, client: CentreClient) -> None:
        centre_error, unreachable, unauthorized = _errors()
        while True:
            rows = leases.unreported(self.store.conn, 50)
            if not rows:
                return
            for row in rows:
                def report(c: CentreClient, r: Any = row) -> dict[str, Any]:
                    return c.issue(r["id"], r["grp"], r["priority"], r["lang"], self.kiosk_id,
                                   issued_at=r["issued_at"], seq=int(r["seq"]))

                try:
                    data = self._call(report)
                except (unreachable, unauthorized):
                    raise
                except centre_error as exc:
                    # A final refusal (its day is over, the number was not ours): record it so
                    # it is not resent forever, and leave the reason in the log.
                    log.error("centre refused offline token %s: %s", row["number"], exc)
                    with self.store.transaction() as conn:
                        leases.mark_reported(conn, row["id"], _utc_now(), status="refused")
                    continue
                if str(data.get("number")) != row["number"]:
                    log.warning("centre numbered offline token %s as %s", row["number"],
                                data.get("number"))
                with self.store.transaction() as conn:
                    leases.mark_reported(conn, row["id"], _utc_now())
                self.reported += 1

    def _maybe_top_up(self, group: str) -> None:
        if self.lease_remaining(group) < max(1, self.lease_size // 2):
            self.wake()

    def _top_up(self) -> None:
        """Every group's lease above half of ``lease_size`` (a new block of ``lease_size``)."""
        centre_error, unreachable, _ = _errors()
        day = self._today()
        for group in self.config.groups:
            if leases.remaining(self.store.conn, self.centre_key, day, group) \
                    >= max(1, self.lease_size // 2):
                continue
            try:
                def take(c: CentreClient, g: str = group) -> dict[str, Any]:
                    return c.lease(self.kiosk_id, g, self.lease_size)

                data = self._call(take)
            except unreachable:
                raise
            except centre_error as exc:  # e.g. the Samadhan window is over: no lease for it
                log.info("centre: no lease for group %s: %s", group, exc)
                continue
            with self.store.transaction() as conn:
                leases.add_lease(conn, self.centre_key, str(data.get("day") or day), group,
                                 int(data["first"]), int(data["last"]), _utc_now())
            log.info("centre: leased %s %s-%s", group, data["first"], data["last"])

    def _check_window(self, group: str, now: datetime) -> None:
        """Offline too, Samadhan Ek Din tokens only inside its window (the centre's rule)."""
        from kiosk.centre import rules
        from kiosk.centre.errors import NotAllowedError, refusal
        from kiosk.centre.service import rules_from_config

        queue_rules = rules_from_config(self.config)
        if not rules.group_accepts(group, now, queue_rules):
            start, end = queue_rules.samadhan_window
            raise refusal(NotAllowedError, f"group {group} issues only {start}-{end}",
                          N_("Samadhan Ek Din tokens are given only between {start} "
                             "and {end}."), start=start.strftime("%H:%M"),
                          end=end.strftime("%H:%M"))

    def _issue_from_lease(self, group: str, priority: Priority, lang: str) -> Token:
        now = self.now()
        # The centre keeps milliseconds; the time it is told later must be this very time.
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        day = now.date().isoformat()
        self._check_window(group, now)
        token_id = str(uuid.uuid4())
        try:
            with self.store.transaction() as conn:
                seq = leases.take_number(conn, self.centre_key, day, group)
                if seq is None:
                    raise LeaseExhaustedError(f"group {group}: centre unreachable and no leased "
                                         f"number left for {day}")
                number = f"{group}-{seq:03d}"
                conn.execute(
                    "INSERT INTO tokens (id, day, grp, seq, number, priority, lang, issued_at, "
                    "scope, offline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'centre', 1)",
                    (token_id, day, group, seq, number, priority.value, lang, now.isoformat()))
        except KioskError:
            raise
        except Exception as exc:
            raise StoreError(f"issuing a leased token for group {group} failed: {exc}") from exc
        log.info("token %s issued from the lease (centre unreachable)", number)
        return Token(id=token_id, number=number, group=group, seq=seq, priority=priority,
                     lang=lang, issued_at=now, people_ahead=0, wait_minutes=0,
                     estimate="offline")

    def _store_token(self, token: Token, *, offline: bool) -> None:
        try:
            with self.store.transaction() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO tokens (id, day, grp, seq, number, priority, lang, "
                    "issued_at, scope, offline, reported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'centre', ?, ?)",
                    (token.id, token.day, token.group, token.seq, token.number,
                     token.priority.value, token.lang, token.issued_at.isoformat(),
                     int(offline), _utc_now()))
        except Exception as exc:
            raise StoreError(f"token {token.number} from the centre could not be stored: "
                             f"{exc}") from exc


def _row_token(row: Any) -> Token:
    """A stored centre token without the centre: its position is not known here."""
    return Token(id=row["id"], number=row["number"], group=row["grp"], seq=int(row["seq"]),
                 priority=Priority(row["priority"]), lang=row["lang"],
                 issued_at=datetime.fromisoformat(row["issued_at"]), people_ahead=0,
                 wait_minutes=0, estimate="offline")


def _centre_cfg(config: Config) -> dict[str, Any]:
    raw = config.raw.get("centre")
    return dict(raw) if isinstance(raw, dict) else {}


def _kiosk_id(config: Config) -> str:
    b = config.raw.get("backend", {})
    kid = str(b.get("kiosk_id") or "") if isinstance(b, dict) else ""
    return kid or f"{config.centre_code}-1"


def read_state(conn: Any) -> dict[str, str]:
    """``sync_state`` rows (the kiosk's key/value table; kiosk.sync.status has the same two
    helpers, but importing it pulls the reference-data modules onto ``kiosk run``'s path)."""
    return {str(r[0]): str(r[1]) for r in conn.execute("SELECT key, value FROM sync_state")}


def write_state(conn: Any, values: dict[str, str | None]) -> None:
    for k, v in values.items():
        if v is None:
            conn.execute("DELETE FROM sync_state WHERE key = ?", (k,))
        else:
            conn.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", (k, v))


def _close_client(client: object) -> None:
    closer = getattr(client, "close", None)
    if callable(closer):
        try:
            closer()
        except Exception:
            log.debug("closing a centre client failed", exc_info=True)


def _utc_now() -> str:
    from datetime import UTC

    return datetime.now(UTC).isoformat(timespec="seconds")
