"""DeviceManager: every configured device, opened, watched and recovered off the GUI thread.

Why one worker thread per device: device I/O blocks (a silent printer costs a status timeout, a
refused RD Service a connect timeout, a fingerprint reconnect a handshake), and one slow device
must never delay another or the screen. Each worker owns its device: it opens it, polls its
health at a modest interval, runs jobs submitted for it (self-tests, prints) one at a time so a
poll never interleaves with a job, and closes it on shutdown. Callers get immediate answers from
the cached :class:`DeviceStatus` and results through :class:`concurrent.futures.Future`.

Recovery happens at two levels. A device that is open repairs itself (the printer and the
fingerprint driver reconnect on their next poll, the card reader and scanner workers reconnect
with backoff, the RD Service client re-probes). A device that could not be opened at all
(unplugged at start, wrong port) is retried by its worker with exponential backoff up to
``open_backoff_max``; a hot-plug "add" event cuts every wait short and reopens every device that
is not online, so a replugged printer is back within a moment instead of after the backoff.

Idle cost: a worker wakes only at its poll interval (seconds, not milliseconds), so a kiosk
with every device idle spends well under 1 % of a core here (``bench/bench_devices.py``).

Events: :meth:`add_listener` callbacks get a :class:`DeviceStatus` (``name`` is the config
section: ``printer``, ``fingerprint``, ``card_reader``, ``scanner``, ``rdservice``) from worker
threads; ``kiosk/devices/qt_bridge.py`` turns them into queued Qt signals for the GUI thread.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.devices.kinds import DEVICE_KINDS
from kiosk.devices.model import (
    Capabilities,
    Device,
    DeviceState,
    DeviceStatus,
    DeviceUnavailableError,
    ListenerRegistry,
    SelfTestResult,
    StreamingDevice,
)
from kiosk.errors import DeviceError, PrinterError

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.devices.discovery import HotplugEvent, HotplugSource
    from kiosk.devices.links import Transport

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Config section → the ``kind`` its driver reports (from the device-kind table).
KIND_BY_NAME = {name: row.kind for name, row in DEVICE_KINDS.items()}

#: Health-poll period per config section, seconds (from the device-kind table).
DEFAULT_POLL_INTERVALS = {name: row.poll_interval for name, row in DEVICE_KINDS.items()}

DISABLED_ERROR = "disabled in the configuration"


@dataclass(frozen=True)
class DeviceSpec:
    """One device to manage: its config section name, URL and driver options."""

    name: str
    url: str
    enabled: bool = True
    baudrate: int | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return KIND_BY_NAME.get(self.name, self.name)


DeviceFactory = Callable[[DeviceSpec], Device]


def default_factory(spec: DeviceSpec) -> Device:
    """The production driver for ``spec``, looked up in :data:`DEVICE_KINDS`.

    Drivers import lazily (``kiosk doctor`` stays quick); a section with no row in the table
    is reported as unavailable, never guessed.
    """
    row = DEVICE_KINDS.get(spec.name)
    if row is None:
        raise DeviceUnavailableError(f"unknown device section {spec.name!r}")
    return row.build(spec.url, name=spec.name, baudrate=spec.baudrate, options=spec.options)


def specs_from_config(config: Config) -> list[DeviceSpec]:
    """The printer plus every ``[devices.*]`` section, in display order."""
    p = config.printer
    specs = [DeviceSpec("printer", p.url, True, p.baudrate,
                        {"paper_mm": p.paper_mm, "native_qr": p.native_qr, "cutter": p.cutter,
                         "sim_out_dir": config.print_dir})]
    for name, d in config.devices.items():
        specs.append(DeviceSpec(name, d.url, d.enabled, d.baudrate))
    return specs


def _poll_device(device: Device) -> None:
    """One health poll, whatever the driver calls it (streaming devices need none)."""
    if isinstance(device, StreamingDevice):
        return
    check = getattr(device, "check", None) or getattr(device, "refresh", None)
    if callable(check):
        check()


class _Slot:
    """One device and its worker; every field is touched by that worker only, except the
    flags, the job queue and the wake event (which other threads set under ``lock``)."""

    def __init__(self, spec: DeviceSpec, interval: float) -> None:
        self.spec = spec
        self.interval = interval
        self.device: Device | None = None
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.jobs: deque[tuple[Callable[[Device | None], Any], Future[Any]]] = deque()
        self.reopen = False
        self.poll_now = False
        self.settled = threading.Event()  # first open attempt (and poll) done
        self.thread: threading.Thread | None = None
        self.backoff = 0.0
        self.next_open_at = 0.0
        self.next_poll_at = 0.0
        self.opens = 0
        self.status = DeviceStatus(kind=spec.kind, name=spec.name, state=DeviceState.OFFLINE,
                                   url=spec.url, changed_at=time.monotonic())


class DeviceManager:
    """Opens, watches and recovers every configured device. ``close()`` is safe twice."""

    open_backoff_initial = 0.5
    open_backoff_max = 10.0

    def __init__(self, specs: Iterable[DeviceSpec], *, factory: DeviceFactory | None = None,
                 poll_intervals: Mapping[str, float] | None = None,
                 hotplug: HotplugSource | None = None) -> None:
        intervals = dict(DEFAULT_POLL_INTERVALS)
        intervals.update(poll_intervals or {})
        self._factory = factory or default_factory
        self._specs = list(specs)
        names = [s.name for s in self._specs]
        if len(set(names)) != len(names):
            raise ValueError(f"device names must be unique: {names}")
        self._slots = {s.name: _Slot(s, intervals.get(s.name, 5.0))
                       for s in self._specs if s.enabled}
        self._listeners: ListenerRegistry[DeviceStatus] = ListenerRegistry("device manager")
        self._hotplug = hotplug
        self._stop = threading.Event()
        self._started = False
        self._closed = False
        self._lifecycle = threading.Lock()

    @classmethod
    def from_config(cls, config: Config, **kwargs: Any) -> DeviceManager:
        """A manager for the printer and every ``[devices.*]`` section of ``config``."""
        return cls(specs_from_config(config), **kwargs)

    # -- lifecycle --------
    def start(self) -> DeviceManager:
        """Start one worker per enabled device (returns at once; opening happens there)."""
        with self._lifecycle:
            if self._started or self._closed:
                return self
            self._started = True
            for slot in self._slots.values():
                slot.thread = threading.Thread(target=self._run, args=(slot,),
                                               name=f"devmgr-{slot.spec.name}", daemon=True)
                slot.thread.start()
            if self._hotplug is not None:
                try:
                    self._hotplug.start(self._on_hotplug)
                except Exception:
                    log.exception("hot-plug source %s failed to start",
                                  getattr(self._hotplug, "name", "?"))
                    self._hotplug = None
        return self

    def close(self) -> None:
        """Stop hot-plug, stop every worker (each closes its device) and join them all."""
        with self._lifecycle:
            if self._closed:
                return
            self._closed = True
        self._stop.set()
        if self._hotplug is not None:
            try:
                self._hotplug.stop()
            except Exception:
                log.exception("stopping the hot-plug source failed")
        for slot in self._slots.values():
            slot.wake.set()
        for slot in self._slots.values():
            thread, slot.thread = slot.thread, None
            if thread is not None:
                thread.join(timeout=15.0)
                if thread.is_alive():  # pragma: no cover - a wedged driver
                    log.error("device worker %s did not stop", slot.spec.name)
            if not self._started:
                self._close_device(slot)
            self._fail_jobs(slot, DeviceUnavailableError("device manager closed",
                                                         state=DeviceState.OFFLINE))

    def __enter__(self) -> DeviceManager:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries (never block on I/O) --------
    @property
    def names(self) -> list[str]:
        """Every configured device, enabled or not, in display order."""
        return [s.name for s in self._specs]

    def spec(self, name: str) -> DeviceSpec:
        for s in self._specs:
            if s.name == name:
                return s
        raise KeyError(name)

    def status(self, name: str) -> DeviceStatus:
        """The latest status of ``name`` (a disabled device reports offline, "disabled")."""
        slot = self._slots.get(name)
        if slot is None:
            s = self.spec(name)
            return DeviceStatus(kind=s.kind, name=s.name, state=DeviceState.OFFLINE, url=s.url,
                                detail={"enabled": False}, last_error=DISABLED_ERROR)
        with slot.lock:
            return slot.status

    def statuses(self) -> dict[str, DeviceStatus]:
        return {name: self.status(name) for name in self.names}

    def enabled(self, name: str) -> bool:
        return name in self._slots

    def device(self, name: str) -> Device | None:
        """The driver object (for kind-specific calls such as card/scan listeners)."""
        slot = self._slots.get(name)
        return slot.device if slot else None

    def capabilities(self, name: str) -> Capabilities:
        dev = self.device(name)
        return dev.capabilities() if dev is not None else Capabilities(self.spec(name).kind)

    def healthy(self) -> bool:
        """True when every enabled device is online."""
        return all(self.status(n).state is DeviceState.ONLINE for n in self._slots)

    def add_listener(self, callback: Callable[[DeviceStatus], None]) -> Callable[[], None]:
        """``callback(status)`` on every change of any device, from a worker thread."""
        return self._listeners.add(callback)

    def wait_settled(self, timeout: float = 10.0) -> bool:
        """Block until every worker made its first open attempt (for ``kiosk doctor``/tests)."""
        deadline = time.monotonic() + timeout
        return all(slot.settled.wait(max(0.0, deadline - time.monotonic()))
                   for slot in self._slots.values())

    def wait_for(self, name: str, *states: DeviceState, timeout: float = 5.0) -> bool:
        """Block until ``name`` is in one of ``states`` (event-driven, no polling sleep)."""
        hit = threading.Event()

        def watch(st: DeviceStatus) -> None:
            if st.name == name and st.state in states:
                hit.set()

        remove = self.add_listener(watch)
        try:
            if self.status(name).state in states:
                return True
            return hit.wait(timeout) or self.status(name).state in states
        finally:
            remove()

    # -- work on the device's own thread --------
    def submit(self, name: str, fn: Callable[[Device | None], T]) -> Future[T]:
        """Run ``fn(device)`` on ``name``'s worker (``device`` is None if it never opened)."""
        slot = self._slots.get(name)
        fut: Future[T] = Future()
        if slot is None:
            fut.set_exception(DeviceUnavailableError(f"{name}: {DISABLED_ERROR}",
                                                     state=DeviceState.OFFLINE))
            return fut
        if self._closed or not self._started:
            fut.set_exception(DeviceUnavailableError("device manager is not running",
                                                     state=DeviceState.OFFLINE))
            return fut
        with slot.lock:
            slot.jobs.append((fn, fut))
        slot.wake.set()
        return fut

    def self_test_async(self, name: str, *, interactive: bool = False,
                        timeout: float = 10.0) -> Future[SelfTestResult]:
        """The device's self-test on its worker.

        ``interactive=False`` (``kiosk doctor``) never waits for a person: the card reader and
        scanner report whether they are open and listening. ``interactive=True`` (the
        diagnostics screen) asks them to read a card/code within ``timeout`` seconds.
        """
        def run(device: Device | None) -> SelfTestResult:
            st = self.status(name)
            if device is None or not device.is_open:
                return SelfTestResult(False, f"{name}: {st.state.value}",
                                      {"state": st.state.value, "error": st.last_error})
            if isinstance(device, StreamingDevice) and not interactive:
                ok = st.state is DeviceState.ONLINE
                return SelfTestResult(ok, f"{name}: {st.state.value} on {st.url}, listening",
                                      {"state": st.state.value, "error": st.last_error,
                                       "reconnects": device.reconnects,
                                       "bad_input": device.bad_input})
            if isinstance(device, StreamingDevice):
                return device.self_test(timeout)  # type: ignore[call-arg]
            return device.self_test()

        return self.submit(name, run)

    def self_test(self, name: str, *, interactive: bool = False,
                  timeout: float = 10.0) -> SelfTestResult:
        """Blocking form of :meth:`self_test_async` (never call it on the GUI thread)."""
        try:
            return self.self_test_async(name, interactive=interactive,
                                        timeout=timeout).result(timeout + 15.0)
        except DeviceError as exc:
            return SelfTestResult(False, f"{name}: {exc.detail}", {"error": exc.detail})
        except TimeoutError:
            return SelfTestResult(False, f"{name}: self-test timed out")

    def reset(self, name: str) -> None:
        """Close and reopen ``name`` on its worker (what a technician's "reset" button does)."""
        slot = self._slots.get(name)
        if slot is not None:
            with slot.lock:
                slot.reopen = True
            slot.wake.set()

    def poll_now(self, name: str | None = None) -> None:
        """Ask for an immediate health poll of ``name`` (or of every device)."""
        for slot in self._slots.values() if name is None else [self._slots[name]]:
            with slot.lock:
                slot.poll_now = True
            slot.wake.set()

    def printer_opener(self, name: str = "printer") -> Callable[[str], Transport]:
        """A ``PrintService`` ``printer_opener`` that prints through the managed link.

        Printing through the manager's open link (instead of opening the port again) is what
        makes a serial printer usable while it is being polled; the job holds the printer's I/O
        lock until it ends, so polls wait instead of interleaving.
        """
        from kiosk.devices.printer_adapter import PrinterDevice

        def opener(url: str) -> Transport:
            dev = self.device(name)
            if not isinstance(dev, PrinterDevice) or not dev.is_open:
                st = self.status(name)
                raise PrinterError(f"{name} is {st.state.value}: {st.last_error or 'not open'}")
            return dev.lend_transport(url)

        return opener

    # -- hot-plug --------
    def _on_hotplug(self, event: HotplugEvent) -> None:
        """An add reopens every device that is missing or silent; any event polls them all.

        Only ``no_device``/``offline`` devices are reopened: a printer out of paper or a busy
        RD Service is present, and closing it would only interrupt it.
        """
        log.info("hot-plug %s %s", event.action, event.what)
        for slot in self._slots.values():
            with slot.lock:
                if event.action == "add" and slot.status.state in (DeviceState.NO_DEVICE,
                                                                   DeviceState.OFFLINE):
                    slot.reopen = True
                slot.poll_now = True
            slot.wake.set()

    # -- the worker --------
    def _run(self, slot: _Slot) -> None:
        try:
            while not self._stop.is_set():
                self._run_jobs(slot)
                with slot.lock:
                    reopen, slot.reopen = slot.reopen, False
                    poll_now, slot.poll_now = slot.poll_now, False
                dev = slot.device
                now = time.monotonic()
                if reopen and dev is not None and dev.is_open:
                    self._close_device(slot)
                if dev is None or not dev.is_open:
                    if reopen or now >= slot.next_open_at:
                        self._try_open(slot)
                        slot.settled.set()
                elif poll_now or now >= slot.next_poll_at:
                    self._poll(slot)
                    slot.settled.set()
                dev = slot.device
                due = (slot.next_poll_at if dev is not None and dev.is_open
                       else slot.next_open_at)
                slot.wake.wait(max(0.0, min(due - time.monotonic(), slot.interval)))
                slot.wake.clear()
        except Exception:  # pragma: no cover - the loop itself must never die silently
            log.exception("device worker %s crashed", slot.spec.name)
        finally:
            self._close_device(slot)
            slot.settled.set()

    def _run_jobs(self, slot: _Slot) -> None:
        while True:
            with slot.lock:
                if not slot.jobs:
                    return
                fn, fut = slot.jobs.popleft()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(slot.device))
            except BaseException as exc:  # handed to the caller, never kills the worker
                fut.set_exception(exc)

    def _try_open(self, slot: _Slot) -> None:
        spec = slot.spec
        try:
            if slot.device is None:
                slot.device = self._factory(spec)
                slot.device.add_status_listener(functools.partial(self._record, slot))
            dev = slot.device
            if isinstance(dev, StreamingDevice):
                dev.open(wait_for_device=False)
            else:
                dev.open()
        except Exception as exc:  # DeviceError, OSError, or a driver bug: report and retry
            state = exc.state if isinstance(exc, DeviceUnavailableError) else (
                DeviceState.NO_DEVICE if isinstance(exc, FileNotFoundError)
                else DeviceState.OFFLINE)
            detail = exc.detail if isinstance(exc, DeviceError) else f"{type(exc).__name__}: {exc}"
            slot.backoff = min(max(slot.backoff * 2, self.open_backoff_initial),
                               self.open_backoff_max)
            slot.next_open_at = time.monotonic() + slot.backoff
            log.info("%s: cannot open %s (%s); retry in %.1f s", spec.name, spec.url, detail,
                     slot.backoff, extra={"device": spec.name})
            self._record(slot, replace(self._status_of(slot), state=state, last_error=detail))
            return
        slot.opens += 1
        slot.backoff = 0.0
        slot.next_poll_at = time.monotonic() + slot.interval
        self._record(slot, slot.device.status())

    def _poll(self, slot: _Slot) -> None:
        dev = slot.device
        slot.next_poll_at = time.monotonic() + slot.interval
        if dev is None:
            return
        try:
            _poll_device(dev)
        except DeviceError:
            pass  # the driver already put the reason into its status
        except Exception:
            log.exception("%s: health poll failed", slot.spec.name)
        self._record(slot, dev.status())

    def _close_device(self, slot: _Slot) -> None:
        """Close the driver but keep the object: a reopen reuses it (and its listeners)."""
        dev = slot.device
        if dev is None:
            return
        try:
            dev.close()
        except Exception:
            log.exception("%s: close failed", slot.spec.name)

    def _fail_jobs(self, slot: _Slot, exc: BaseException) -> None:
        with slot.lock:
            jobs, slot.jobs = list(slot.jobs), deque()
        for _fn, fut in jobs:
            if fut.set_running_or_notify_cancel():
                fut.set_exception(exc)

    def _status_of(self, slot: _Slot) -> DeviceStatus:
        with slot.lock:
            return slot.status

    def _record(self, slot: _Slot, st: DeviceStatus) -> None:
        """Keep the newest status under the manager's name/URL and tell listeners if it moved."""
        st = replace(st, name=slot.spec.name, url=slot.spec.url)
        with slot.lock:
            old = slot.status
            same = (old.state, old.last_error, dict(old.detail), dict(old.ids)) == \
                   (st.state, st.last_error, dict(st.detail), dict(st.ids))
            if same:
                return
            slot.status = replace(st, changed_at=time.monotonic())
            new = slot.status
        self._listeners.emit(new)


def statuses_as_dicts(manager: DeviceManager) -> list[dict[str, Any]]:
    """Plain data for JSON and QML: one dict per device, with ``enabled``."""
    out = []
    for name, st in manager.statuses().items():
        d = st.as_dict()
        d["enabled"] = manager.enabled(name)
        out.append(d)
    return out


__all__ = ["DEFAULT_POLL_INTERVALS", "DeviceFactory", "DeviceManager", "DeviceSpec",
           "KIND_BY_NAME", "default_factory", "specs_from_config", "statuses_as_dicts"]
