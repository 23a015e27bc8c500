"""Qt adapter for the DeviceManager: manager events become signals on the GUI thread.

Why a bridge and not Qt inside the manager: the manager and drivers must run without Qt
(``kiosk doctor``, tests, benches). Device listeners fire on worker threads; a view-model must
only be touched on the GUI thread. So the bridge (a QObject living on the thread that created
it — the GUI thread) re-emits every event through a private signal connected with
``Qt.QueuedConnection``: the worker only posts an event, the slot runs later in the GUI
thread's event loop, and the public signals are therefore always delivered there.

Only QtCore is used (no QtQuick/QtWidgets), as the dependency rules require for
``kiosk/devices``. Slow work (self-tests, resets) goes to the device's own worker through the
manager; its result comes back the same queued way.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.devices.manager import DeviceManager, statuses_as_dicts
from kiosk.devices.model import DeviceStatus, SelfTestResult


class DeviceBridge(QObject):
    """Signals for one :class:`DeviceManager`; create it on the GUI thread.

    Signals (all delivered on the bridge's thread):

    * ``statusChanged(name: str, status: dict)`` — ``DeviceStatus.as_dict()`` plus ``enabled``
    * ``selfTestFinished(name: str, ok: bool, summary: str, detail: dict)``
    """

    statusChanged = Signal(str, dict)
    selfTestFinished = Signal(str, bool, str, dict)
    # Private hops from worker threads; queued so the slots run on this object's thread.
    _statusPosted = Signal(object)
    _selfTestPosted = Signal(str, object)

    def __init__(self, manager: DeviceManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._statusPosted.connect(self._deliver_status, Qt.ConnectionType.QueuedConnection)
        self._selfTestPosted.connect(self._deliver_self_test,
                                     Qt.ConnectionType.QueuedConnection)
        self._remove: Callable[[], None] | None = manager.add_listener(self._statusPosted.emit)

    @property
    def manager(self) -> DeviceManager:
        return self._manager

    def detach(self) -> None:
        """Stop listening (call before the manager closes or the bridge is deleted)."""
        remove, self._remove = self._remove, None
        if remove is not None:
            remove()

    # -- for view-models ---------------------------------------------------------------------
    def statuses(self) -> list[dict[str, Any]]:
        """Every device's latest status as plain dicts (cached: never blocks)."""
        return statuses_as_dicts(self._manager)

    def run_self_test(self, name: str, interactive: bool = True, timeout: float = 10.0) -> None:
        """Start ``name``'s self-test on its worker; ``selfTestFinished`` reports the result."""
        fut = self._manager.self_test_async(name, interactive=interactive, timeout=timeout)

        def done(f: Future[SelfTestResult]) -> None:
            self._selfTestPosted.emit(name, f)

        fut.add_done_callback(done)

    def reset(self, name: str) -> None:
        self._manager.reset(name)

    # -- GUI-thread side ------------------------------------------------------------------------
    @Slot(object)
    def _deliver_status(self, status: DeviceStatus) -> None:
        d = status.as_dict()
        d["enabled"] = self._manager.enabled(status.name)
        self.statusChanged.emit(status.name, d)

    @Slot(str, object)
    def _deliver_self_test(self, name: str, fut: Future[SelfTestResult]) -> None:
        try:
            result = fut.result()
        except Exception as exc:
            detail = getattr(exc, "detail", None) or f"{type(exc).__name__}: {exc}"
            self.selfTestFinished.emit(name, False, f"{name}: {detail}", {"error": detail})
            return
        self.selfTestFinished.emit(name, result.ok, result.summary, dict(result.detail))
