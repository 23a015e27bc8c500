"""The ``Kiosk`` QML module: view-models reach QML as typed singletons, one instance per engine.

Why not context properties: a context property is an untyped name that only exists at run time,
so ``pyside6-qmllint`` reports every use as "unqualified" and cannot check a single binding.
A registered singleton has a type that tools can see (``scripts/qmllint.py`` feeds it to qmllint
through the generated ``kiosk/ui/qmltypes/Kiosk/kiosk.qmltypes``).

Why not ``QmlSingleton`` on the class or ``qmlRegisterSingletonInstance``: a QML type
registration is process-wide, while tests, screenshots and the bench build many kiosks in one
process, each with its own view-models. So each singleton type is registered once, with a
factory, and the factory hands each engine the instance :func:`bind` put there for it. QML
creates a singleton at most once per engine, on first use, so every engine sees its own
view-model; ``tests/ui/test_qml_registry.py`` builds two engines to prove it.

Ownership: by default the engine takes ownership of an object a singleton factory returns and
deletes it with the engine; :func:`bind` marks each instance ``CppOwnership`` first, because the
kiosk shuts its view-models down itself (after the engine is gone) and tests read them after.

Adding a view-model (the whole recipe):

1. Type its properties with :func:`kiosk.ui.qt_property.qproperty` (mypy sees the value type).
2. Add ``Singleton("Name", TheViewModel)`` to :data:`SINGLETONS` below.
3. In :func:`kiosk.ui.app.build_kiosk`, add ``"Name": instance`` to the :func:`bind` call.
4. In each QML file that uses it: ``import Kiosk`` and write ``Name.property``.
5. Run ``scripts/qmllint.py --update`` (regenerates the .qmltypes, lowers the warning budget).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtQml import QJSEngine, QQmlEngine, qmlRegisterSingletonType

from kiosk.ui.viewmodels.acknowledgement import AcknowledgementViewModel
from kiosk.ui.viewmodels.diagnostics import DiagnosticsViewModel
from kiosk.ui.viewmodels.lookup import LookupViewModel
from kiosk.ui.viewmodels.network import SyncViewModel
from kiosk.ui.viewmodels.payment import PaymentViewModel
from kiosk.ui.viewmodels.prefill import PrefillViewModel
from kiosk.ui.viewmodels.queue import QueueViewModel
from kiosk.ui.viewmodels.session import SessionViewModel
from kiosk.ui.viewmodels.status import StatusViewModel
from kiosk.ui.viewmodels.technician import TechnicianGate
from kiosk.ui.viewmodels.token_position import TokenPositionViewModel
from kiosk.ui.viewmodels.verify import VerifyViewModel
from kiosk.ui.viewmodels.wizard import WizardViewModel

log = logging.getLogger(__name__)

QML_MODULE = "Kiosk"
QML_VERSION = (1, 0)


@dataclass(frozen=True)
class Singleton:
    """One view-model type as QML sees it: ``name`` is what QML code writes (``Network.state``);
    it must start with a capital letter and must not shadow a QtQuick type (``Screen``, ``Text``).
    """

    name: str
    type: type[QObject]


# Every view-model QML can reach. A later view-model adds one line here (see the recipe above).
# A sub-object a parent owns (``session.queue``, ``apply.payment``) is a singleton of its own
# too: QML sees a parent's sub-object property only as a plain ``QObject``, so qmllint could
# check none of its bindings. Python code keeps reaching it through the parent.
SINGLETONS: tuple[Singleton, ...] = (
    Singleton("Network", SyncViewModel),
    Singleton("Session", SessionViewModel),
    Singleton("Queue", QueueViewModel),                    # session.queue
    Singleton("Diagnostics", DiagnosticsViewModel),
    Singleton("Technician", TechnicianGate),               # diagnostics.gate
    Singleton("Apply", WizardViewModel),
    Singleton("Payment", PaymentViewModel),                # apply.payment
    Singleton("Acknowledgement", AcknowledgementViewModel),  # apply.ack
    Singleton("Prefill", PrefillViewModel),                # apply.prefill
    Singleton("Lookup", LookupViewModel),
    Singleton("Status", StatusViewModel),                  # lookup.status
    Singleton("Verify", VerifyViewModel),                  # lookup.verify
    Singleton("TokenPosition", TokenPositionViewModel),
)

_lock = threading.Lock()
_registered = False
_bound: dict[int, dict[str, QObject]] = {}  # engine's C++ address → QML name → instance


def _engine_key(engine: QObject) -> int:
    return int(shiboken6.getCppPointer(engine)[0])


def register_types() -> None:
    """Register every singleton type with QML; safe to call again (it does nothing then).

    Call it before the process creates its first QML engine (:func:`kiosk.ui.app.build_kiosk`
    does): an engine that already exists when a type is registered resolves its QML files'
    own components wrongly afterwards ("Cannot assign object of type Icon_QMLTYPE_5 to list
    property data; expected QObject"), seen with PySide6 6.11.
    """
    global _registered
    with _lock:
        if _registered:
            return
        major, minor = QML_VERSION
        # PySide's stubs type the QML name as bytes, but 6.11 accepts only a str there.
        register: Any = qmlRegisterSingletonType
        for entry in SINGLETONS:
            register(entry.type, QML_MODULE, major, minor, entry.name, _factory(entry.name))
        _registered = True


def bind(engine: QQmlEngine, instances: Mapping[str, QObject]) -> None:
    """Make ``instances`` (QML name → view-model) the singletons ``engine`` will see.

    Call before the engine loads any QML. Every name must be in :data:`SINGLETONS` and each
    instance of its registered type; a wrong name or type is a programming error and raises.
    """
    register_types()
    known = {entry.name: entry.type for entry in SINGLETONS}
    for name, instance in instances.items():
        expected = known.get(name)
        if expected is None:
            raise KeyError(f"{name!r} is not a registered Kiosk singleton; add it to SINGLETONS")
        if not isinstance(instance, expected):
            raise TypeError(f"Kiosk singleton {name} must be a {expected.__name__}, "
                            f"not {type(instance).__name__}")
        # Without this the engine would delete the view-model when it is itself deleted.
        QQmlEngine.setObjectOwnership(instance, QQmlEngine.ObjectOwnership.CppOwnership)
    key = _engine_key(engine)
    with _lock:
        fresh = key not in _bound
        _bound.setdefault(key, {}).update(instances)
    if fresh:
        # Forget the engine with its C++ object, so a later engine at the same address
        # cannot be handed this engine's view-models.
        engine.destroyed.connect(partial(_forget, key))


def bound_instance(engine: QQmlEngine, name: str) -> QObject | None:
    """The instance bound as ``name`` on ``engine`` (None if none is)."""
    with _lock:
        return _bound.get(_engine_key(engine), {}).get(name)


def _forget(key: int, *_: object) -> None:
    with _lock:
        _bound.pop(key, None)


def _factory(name: str) -> Callable[[QQmlEngine | QJSEngine], QObject]:
    """A plain function per name: PySide reads the callback's code object, so no ``partial``."""

    def create(engine: QQmlEngine | QJSEngine) -> QObject:
        return _create(name, engine)

    return create


def _create(name: str, engine: QQmlEngine | QJSEngine) -> QObject:
    """QML's factory for singleton ``name``: called once per engine, on first use."""
    with _lock:
        instance = _bound.get(_engine_key(engine), {}).get(name)
    if instance is None:
        log.error("QML asked for Kiosk singleton %s, but this engine has none bound", name)
        raise LookupError(f"no Kiosk singleton {name} is bound to this engine; "
                          "pass it to kiosk.ui.qml_registry.bind() before loading QML")
    return instance


__all__ = ["QML_MODULE", "QML_VERSION", "SINGLETONS", "Singleton", "bind", "bound_instance",
           "register_types"]
