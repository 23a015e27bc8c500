"""Typed QML registration of the counter console's view-models (the ONE place that does it).

Why singletons by type and not ``setContextProperty``: QML then knows each view-model's type
(properties, signals, slots are checked when a file is compiled, and tooling can see them),
and a screen file cannot silently bind to a name nobody set. Why a factory per engine and not
``qmlRegisterSingletonInstance``: a type registration is process-wide, but tests and the
screenshot renderer build many consoles (many engines) in one process, each with its own
view-models. So each type is registered once, and its factory returns the instance that
:func:`bind` recorded for the engine asking.

PySide6 6.11 fault worked around here: a Python type registered *after* the process's first
QML engine was created breaks QtQuick.Layouts in every later engine ("Cannot assign object of
type QQuickRectangle to list property data; expected QObject"). So :func:`register_types`
registers every counter type at once and must run before the process creates its first
engine: :func:`~kiosk.ui.counter.app.build_counter` calls it first thing (a counter process
builds no other window), and a process that builds kiosks *and* consoles (the UI tests) calls
it before any window — ``tests/ui/counter_helpers.py`` does so when it is imported. The
citizen kiosk does not pay for the counter's types at start-up.

The lead may replace this module by the project's shared registration later: callers only
use :func:`register_types`, :func:`bind` and :func:`unbind`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtQml import QQmlEngine, qmlRegisterSingletonType

URI = "SevaKiosk.Counter"
_KEY = "_sevaCounterKey"

_lock = threading.Lock()
_registered: dict[str, type[QObject]] = {}
_instances: dict[int, dict[str, QObject]] = {}
_next_key = 0


def _factory(name: str) -> Callable[[QQmlEngine], QObject]:
    def create(engine: QQmlEngine) -> QObject:
        key = engine.property(_KEY)
        with _lock:
            bound = _instances.get(int(key)) if key is not None else None
        if bound is None or name not in bound:
            raise RuntimeError(f"{URI}.{name}: no view-model bound to this engine")
        obj = bound[name]
        # The view-model belongs to Python (it outlives the engine by a moment at close);
        # without this the engine would delete it with itself.
        QQmlEngine.setObjectOwnership(obj, QQmlEngine.ObjectOwnership.CppOwnership)
        return obj

    return create


def _register(name: str, cls: type[QObject]) -> None:
    with _lock:
        known = _registered.get(name)
        if known is not None:
            if known is not cls:
                raise TypeError(f"{URI}.{name} is already registered as {known.__name__}")
            return
        _registered[name] = cls
    qmlRegisterSingletonType(cls, URI, 1, 0, name, _factory(name))  # type: ignore[call-overload]


def _types() -> dict[str, type[QObject]]:
    from kiosk.ui.counter.console import ConsoleViewModel
    from kiosk.ui.counter.link import CentreLink
    from kiosk.ui.counter.login import LoginViewModel
    from kiosk.ui.counter.shell import CounterShell
    from kiosk.ui.counter.waiting import WaitingViewModel

    return {"CounterShell": CounterShell, "CentreLink": CentreLink,
            "CounterLogin": LoginViewModel, "CounterConsole": ConsoleViewModel,
            "CounterWaiting": WaitingViewModel}


def register_types() -> None:
    """Register every counter singleton type (once; before the first QML engine)."""
    for name, cls in _types().items():
        _register(name, cls)


def bind(engine: QQmlEngine, instances: Mapping[str, QObject]) -> None:
    """Make ``instances`` (QML name → view-model) the singletons of ``engine``.

    Call before the engine loads any file that imports :data:`URI`.
    """
    global _next_key
    register_types()
    for name, obj in instances.items():
        if _registered.get(name) is not type(obj):
            raise TypeError(f"{URI}.{name} is not registered as {type(obj).__name__}")
    with _lock:
        _next_key += 1
        key = _next_key
        _instances[key] = dict(instances)
    engine.setProperty(_KEY, key)


def unbind(engine: QQmlEngine) -> None:
    """Forget ``engine``'s view-models (call when the engine is deleted)."""
    key = engine.property(_KEY)
    if key is None:
        return
    with _lock:
        _instances.pop(int(key), None)


__all__ = ["URI", "bind", "register_types", "unbind"]
