"""The common device model: one state vocabulary, one status shape, one base class.

Modelled on CEN/XFS4IoT's ``Common.Status``: every device, whatever its kind, is in exactly one
of a handful of common states (online, offline, no device, hardware error, user error, busy),
and carries a per-kind detail dictionary next to it (printer paper low/out, scanner finger
present, last card read …). The technician screen, ``kiosk doctor`` and the citizen flows all
read the same :class:`DeviceStatus`, so a printer and a card reader are shown and reasoned about
the same way.

Design choices that matter on a kiosk that runs all day:

* ``close()`` is safe to call twice and there is no ``__del__``: a finaliser that touches a
  serial port during interpreter shutdown is a classic source of hangs.
* Status listeners are called *outside* the lock and an exception in one listener is logged,
  never propagated — a buggy UI callback must not kill a reader thread.
* Streaming devices (card reader, code scanner) own exactly one worker thread. The worker never
  dies from bad input: a parser exception becomes a ``hardware_error`` state that clears by
  itself, and a vanished link becomes ``no_device``/``offline`` followed by reconnect attempts
  with exponential backoff until ``close()``.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar

from kiosk.errors import DeviceError
from kiosk.i18n import N_

log = logging.getLogger(__name__)


class DeviceState(enum.StrEnum):
    """The common state every device reports (CEN/XFS4IoT ``Common.Status.device``)."""

    ONLINE = "online"
    OFFLINE = "offline"  # configured and (maybe) present, but not answering
    NO_DEVICE = "no_device"  # the port / USB device / service is not there at all
    HARDWARE_ERROR = "hardware_error"  # it answers nonsense or reports a fault
    USER_ERROR = "user_error"  # a person can fix it: paper out, cover open, finger missing
    BUSY = "busy"  # working on something; try again shortly


@dataclass(frozen=True)
class Capabilities:
    """What a device can do, so screens and self-tests ask instead of assuming."""

    kind: str
    features: frozenset[str] = frozenset()
    extras: Mapping[str, Any] = field(default_factory=dict)

    def has(self, feature: str) -> bool:
        return feature in self.features


@dataclass(frozen=True)
class DeviceStatus:
    """A snapshot of one device; immutable so it can cross threads without copying."""

    kind: str
    name: str
    state: DeviceState
    url: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    last_error: str = ""
    ids: Mapping[str, str] = field(default_factory=dict)
    changed_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.state is DeviceState.ONLINE

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (for ``kiosk doctor --json`` and the diagnostics screen)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "state": self.state.value,
            "url": self.url,
            "detail": dict(self.detail),
            "last_error": self.last_error,
            "ids": dict(self.ids),
        }


@dataclass(frozen=True)
class SelfTestResult:
    """The outcome of :meth:`Device.self_test`: pass/fail, a short summary, facts for a log."""

    ok: bool
    summary: str
    detail: Mapping[str, Any] = field(default_factory=dict)


StatusListener = Callable[[DeviceStatus], None]
E = TypeVar("E")


class ListenerRegistry(Generic[E]):
    """Thread-safe callbacks. Emission happens outside the lock; failures are logged only.

    Why not Qt signals here: the core must run without Qt (tests, ``kiosk doctor``). A Qt
    adapter subscribes a callback that re-emits as a queued signal on the GUI thread.
    """

    def __init__(self, what: str) -> None:
        self._what = what
        self._lock = threading.Lock()
        self._items: list[Callable[[E], None]] = []

    def add(self, callback: Callable[[E], None]) -> Callable[[], None]:
        """Register ``callback``; returns a function that unregisters it."""
        with self._lock:
            self._items.append(callback)

        def remove() -> None:
            self.remove(callback)

        return remove

    def remove(self, callback: Callable[[E], None]) -> None:
        with self._lock:
            if callback in self._items:
                self._items.remove(callback)

    def emit(self, event: E) -> None:
        with self._lock:
            items = list(self._items)
        for cb in items:
            try:
                cb(event)
            except Exception:  # a listener bug must never kill a device thread
                log.exception("%s listener %r failed", self._what, cb)


class Device(ABC):
    """Base of every driver: lifecycle, status bookkeeping, listeners.

    Subclasses implement ``_open``/``_close`` (and usually ``self_test``); everything else —
    idempotent close, context manager, state changes with events — lives here so every device
    behaves the same.
    """

    kind: ClassVar[str] = "device"

    def __init__(self, url: str, *, name: str | None = None) -> None:
        self.url = url
        self.name = name or self.kind
        self._state_lock = threading.RLock()
        self._status = DeviceStatus(kind=self.kind, name=self.name, state=DeviceState.OFFLINE,
                                    url=url, changed_at=time.monotonic())
        self._status_listeners: ListenerRegistry[DeviceStatus] = ListenerRegistry("status")
        self._opened = False

    # -- lifecycle -------------------------------------------------------------------------
    def open(self) -> None:
        """Connect to the device. Raises :class:`DeviceError` with a clear reason if it cannot."""
        with self._state_lock:
            if self._opened:
                return
            self._opened = True
        try:
            self._open()
        except BaseException:
            with self._state_lock:
                self._opened = False
            try:
                self._close()
            except Exception:
                log.debug("cleanup after failed open of %s", self.name, exc_info=True)
            raise

    def close(self) -> None:
        """Release the device. Safe to call twice and from any thread."""
        with self._state_lock:
            if not self._opened:
                return
            self._opened = False
        try:
            self._close()
        finally:
            self._set_state(DeviceState.OFFLINE, error="")

    @property
    def is_open(self) -> bool:
        return self._opened

    def __enter__(self) -> Device:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @abstractmethod
    def _open(self) -> None:
        """Kind-specific connect; may raise :class:`DeviceError`."""

    @abstractmethod
    def _close(self) -> None:
        """Kind-specific disconnect; must tolerate a half-opened device."""

    # -- behaviour every device offers ----------------------------------------------------
    def status(self) -> DeviceStatus:
        with self._state_lock:
            return self._status

    def capabilities(self) -> Capabilities:
        return Capabilities(kind=self.kind)

    def self_test(self) -> SelfTestResult:
        """Default self-test: the device is open and online."""
        st = self.status()
        return SelfTestResult(ok=st.ok, summary=f"{self.name}: {st.state.value}",
                              detail=st.as_dict())

    def reset(self) -> None:
        """Default reset: reconnect from scratch (what a technician would do by hand)."""
        self.close()
        self.open()

    def add_status_listener(self, callback: StatusListener) -> Callable[[], None]:
        """Call ``callback(status)`` on every state/detail change (from any thread)."""
        return self._status_listeners.add(callback)

    def remove_status_listener(self, callback: StatusListener) -> None:
        self._status_listeners.remove(callback)

    # -- for subclasses -----------------------------------------------------------------
    def _set_state(self, state: DeviceState | None = None, *, error: str | None = None,
                   detail: Mapping[str, Any] | None = None,
                   ids: Mapping[str, str] | None = None) -> None:
        """Update the snapshot and notify listeners if anything visible changed."""
        with self._state_lock:
            old = self._status
            new_detail = old.detail
            if detail:
                merged = dict(old.detail)
                merged.update(detail)
                new_detail = merged
            new_ids = old.ids
            if ids:
                merged_ids = dict(old.ids)
                merged_ids.update(ids)
                new_ids = merged_ids
            new = replace(old, state=state if state is not None else old.state,
                          last_error=old.last_error if error is None else error,
                          detail=new_detail, ids=new_ids)
            if new == old:
                return
            if new.state is not old.state:
                log.info("%s: %s -> %s%s", self.name, old.state.value, new.state.value,
                         f" ({new.last_error})" if new.last_error else "",
                         extra={"device": self.name})  # a journal field (journal_log.py)
            new = replace(new, changed_at=time.monotonic())
            self._status = new
        self._status_listeners.emit(new)


class DeviceUnavailableError(DeviceError):
    """The device is not there (unplugged, wrong port, service not running)."""

    default_message = N_("A device is not connected. Please ask the staff for help.")

    def __init__(self, detail: str = "", *, message: str | None = None,
                 state: DeviceState = DeviceState.NO_DEVICE) -> None:
        super().__init__(detail, message=message)
        self.state = state


class StreamingDevice(Device):
    """A device that talks unprompted (card reader, code scanner): one worker thread.

    Subclasses provide three primitives — ``_connect`` (open the link or raise
    :class:`DeviceUnavailableError`), ``_read_some`` (block at most ``poll_interval`` and return
    bytes, ``b""`` on a quiet line) and ``_feed`` (parse bytes, emit events). The worker does
    everything else: error containment, the error-then-recover state, and reconnection with
    exponential backoff after the link vanishes.
    """

    poll_interval: float = 0.1
    backoff_initial: float = 0.1
    backoff_max: float = 2.0
    error_hold: float = 1.0  # a hardware_error from bad input clears after this much quiet

    def __init__(self, url: str, *, name: str | None = None) -> None:
        super().__init__(url, name=name)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connected = False
        self._error_until = 0.0
        self.reconnects = 0
        self.bad_input = 0

    # primitives --------------------------------------------------------------------------
    @abstractmethod
    def _connect(self) -> None:
        """Open the link; raise :class:`DeviceUnavailableError` or OSError when absent."""

    @abstractmethod
    def _disconnect(self) -> None:
        """Close the link; must be safe when not connected."""

    @abstractmethod
    def _read_some(self) -> bytes:
        """Wait up to ``poll_interval`` for input; raise OSError when the link is gone."""

    @abstractmethod
    def _feed(self, data: bytes) -> None:
        """Parse input and emit events; may raise on nonsense (the worker contains it)."""

    def _on_connected(self) -> None:
        """Hook: reset parser state after a (re)connect."""

    def _on_idle(self) -> None:
        """Hook: called on every quiet poll tick (e.g. to notice that a card went away)."""

    # lifecycle -----------------------------------------------------------------------------
    def open(self, *, wait_for_device: bool = False) -> None:  # type: ignore[override]
        """Connect and start the worker.

        With ``wait_for_device=False`` (the default) a missing device raises a clear
        :class:`DeviceError` now, so a wrong URL is reported at start-up. With ``True`` the
        device starts in ``no_device`` and the worker keeps trying — what the kiosk wants for
        hardware that may be plugged in later.
        """
        self._wait_for_device = wait_for_device
        super().open()

    def _open(self) -> None:
        self._stop.clear()
        try:
            self._connect()
            self._connected = True
            self._on_connected()
            self._set_state(DeviceState.ONLINE, error="")
        except (DeviceUnavailableError, OSError) as exc:
            if not getattr(self, "_wait_for_device", False):
                if isinstance(exc, DeviceError):
                    raise
                raise DeviceUnavailableError(f"{self.name}: cannot open {self.url}: {exc}") from exc
            self._set_state(_unavailable_state(exc), error=_describe(exc))
        self._thread = threading.Thread(target=self._run, name=f"device-{self.name}",
                                        daemon=True)
        self._thread.start()

    def _close(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)
            if thread.is_alive():  # pragma: no cover - would need a wedged driver
                log.error("%s: worker did not stop", self.name)
        self._drop_link()

    def _drop_link(self) -> None:
        self._connected = False
        try:
            self._disconnect()
        except Exception:
            log.debug("%s: error while disconnecting", self.name, exc_info=True)

    # the worker ----------------------------------------------------------------------------
    def _run(self) -> None:
        backoff = self.backoff_initial
        while not self._stop.is_set():
            if not self._connected:
                try:
                    self._connect()
                except (DeviceUnavailableError, OSError) as exc:
                    self._set_state(_unavailable_state(exc), error=_describe(exc))
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, self.backoff_max)
                    continue
                except Exception as exc:  # a driver bug must not end the thread
                    log.exception("%s: unexpected error while connecting", self.name)
                    self._set_state(DeviceState.HARDWARE_ERROR, error=_describe(exc))
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, self.backoff_max)
                    continue
                self._connected = True
                self.reconnects += 1
                backoff = self.backoff_initial
                self._safe_hook(self._on_connected)
                self._set_state(DeviceState.ONLINE, error="")
            try:
                data = self._read_some()
            except Exception as exc:  # the link vanished (EIO on a pty, USB gone, socket reset)
                log.warning("%s: link lost: %s", self.name, exc)
                self._drop_link()
                self._set_state(DeviceState.OFFLINE, error=_describe(exc))
                continue
            if data:
                try:
                    self._feed(data)
                except Exception as exc:
                    self.bad_input += 1
                    log.warning("%s: bad input: %s", self.name, exc)
                    self._input_error(str(exc))
            else:
                self._safe_hook(self._on_idle)
                if self._error_until and time.monotonic() >= self._error_until:
                    self._input_recovered()

    def _safe_hook(self, hook: Callable[[], None]) -> None:
        try:
            hook()
        except Exception as exc:
            log.exception("%s: hook failed", self.name)
            self._input_error(str(exc))

    def _input_error(self, what: str) -> None:
        """Bad bytes arrived: show a hardware error until good input or ``error_hold`` quiet."""
        self._error_until = time.monotonic() + self.error_hold
        self._set_state(DeviceState.HARDWARE_ERROR, error=what,
                        detail={"bad_input": self.bad_input})

    def _input_recovered(self) -> None:
        """Good input (or enough quiet) after bad input: back to online."""
        if self._error_until:
            self._error_until = 0.0
            self._set_state(DeviceState.ONLINE)

    def wait_for_state(self, *states: DeviceState, timeout: float = 5.0) -> bool:
        """Block until the device is in one of ``states`` (for tests and self-tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.status().state in states:
                return True
            time.sleep(0.01)
        return self.status().state in states


def _unavailable_state(exc: BaseException) -> DeviceState:
    if isinstance(exc, DeviceUnavailableError):
        return exc.state
    if isinstance(exc, FileNotFoundError):
        return DeviceState.NO_DEVICE
    return DeviceState.OFFLINE


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class SerialStreamingDevice(StreamingDevice):
    """A streaming device on any pyserial URL; subclasses only parse (``_feed``)."""

    baudrate: int = 9600

    def __init__(self, url: str, *, baudrate: int | None = None, name: str | None = None) -> None:
        super().__init__(url, name=name)
        if baudrate is not None:
            self.baudrate = baudrate
        self._link: Any = None

    def _connect(self) -> None:
        # Imported here, not at the top: ``links`` builds on this module's state vocabulary.
        from kiosk.devices.links import open_port

        self._link = open_port(self.url, baudrate=self.baudrate, timeout=self.poll_interval)

    def _disconnect(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            link.close()

    def _read_some(self) -> bytes:
        link = self._link
        if link is None:
            raise OSError("not connected")
        data: bytes = link.read(max(1, link.in_waiting))
        return data
