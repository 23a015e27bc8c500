"""Typed QML singletons, one instance per engine: the ``Kiosk`` module and the counter's.

Both apps use this one mechanism: the citizen kiosk binds :data:`KIOSK` (``import Kiosk``),
the counter console :data:`COUNTER` (``import SevaKiosk.Counter``). Each :class:`Module` is a
table of singletons, registered on its own, so the kiosk never imports the counter's classes.

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
2. Add ``Singleton("Name", TheViewModel)`` to :data:`SINGLETONS` below (a counter view-model:
   to :func:`_counter_singletons`).
3. In :func:`kiosk.ui.app.build_kiosk` (or ``build_counter``), add ``"Name": instance`` to
   the :func:`bind` call.
4. In each QML file that uses it: ``import Kiosk`` (``import SevaKiosk.Counter``) and write
   ``Name.property``.
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
from kiosk.ui.viewmodels.guide import GuideViewModel
from kiosk.ui.viewmodels.help import HelpViewModel
from kiosk.ui.viewmodels.keyboard import KeyboardViewModel
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
    Singleton("Guide", GuideViewModel),                    # the speaker button
    Singleton("Help", HelpViewModel),                      # "call staff"
    Singleton("Keyboard", KeyboardViewModel),              # the Devanagari / digits keyboard
)


@dataclass(frozen=True)
class Module:
    """One QML module of Python-registered singletons: ``import <uri>`` in QML.

    ``load`` returns the module's table of singletons; it is called only when the module is
    registered (or described for qmllint), so a module whose view-models are costly to import
    (the counter console's, ~60 ms) costs a process nothing until it asks for that module.
    """

    uri: str
    load: Callable[[], tuple[Singleton, ...]]
    version: tuple[int, int] = QML_VERSION

    def singletons(self) -> tuple[Singleton, ...]:
        return self.load()


def _counter_singletons() -> tuple[Singleton, ...]:
    """The counter console's view-models (imported here, on first use, not at start-up)."""
    from kiosk.ui.counter.cash import CashViewModel
    from kiosk.ui.counter.console import ConsoleViewModel
    from kiosk.ui.counter.day_end import DayEndViewModel
    from kiosk.ui.counter.desk_find import DeskFindViewModel
    from kiosk.ui.counter.desk_wizard import DeskWizardViewModel
    from kiosk.ui.counter.help_calls import HelpCallsViewModel
    from kiosk.ui.counter.link import CentreLink
    from kiosk.ui.counter.login import LoginViewModel
    from kiosk.ui.counter.shell import CounterShell
    from kiosk.ui.counter.waiting import WaitingViewModel

    return (
        Singleton("CounterShell", CounterShell),
        Singleton("CentreLink", CentreLink),
        Singleton("CounterLogin", LoginViewModel),
        Singleton("CounterConsole", ConsoleViewModel),
        Singleton("CounterWaiting", WaitingViewModel),
        Singleton("CounterDayEnd", DayEndViewModel),

        Singleton("DeskWizard", DeskWizardViewModel),  # desk-apply
        Singleton("DeskFind", DeskFindViewModel),  # desk-apply
        Singleton("CounterCash", CashViewModel),               # desk-cash
        Singleton("CounterHelp", HelpCallsViewModel),          # "call staff" from a kiosk
    )


def _board_singletons() -> tuple[Singleton, ...]:
    """The display board's view-models (imported on first use, like the counter's)."""
    from kiosk.ui.board.link import BoardLink
    from kiosk.ui.board.viewmodel import BoardViewModel

    return (
        Singleton("Board", BoardViewModel),
        Singleton("BoardLink", BoardLink),
    )


#: The citizen kiosk's view-models (``import Kiosk``).
KIOSK = Module(QML_MODULE, lambda: SINGLETONS)
#: The counter operator's console (``import SevaKiosk.Counter``), see :mod:`kiosk.ui.counter`.
COUNTER = Module("SevaKiosk.Counter", _counter_singletons)
#: The waiting hall's display board (``import SevaKiosk.Board``), see :mod:`kiosk.ui.board`.
BOARD = Module("SevaKiosk.Board", _board_singletons)
#: Every module, for tools (:mod:`kiosk.ui.qmltypes`); a new table adds one line here.
MODULES: tuple[Module, ...] = (KIOSK, COUNTER, BOARD)

_lock = threading.Lock()
_registered: dict[str, dict[str, type[QObject]]] = {}  # module URI → QML name → type
_engines_bound = False  # has any engine been bound yet (then registering is too late)
# engine's C++ address → (module URI, QML name) → instance
_bound: dict[int, dict[tuple[str, str], QObject]] = {}


def _engine_key(engine: QObject) -> int:
    return int(shiboken6.getCppPointer(engine)[0])


def register_types(module: Module = KIOSK) -> None:
    """Register every singleton type of ``module`` with QML; calling it again does nothing.

    Call it before the process creates its first QML engine (:func:`kiosk.ui.app.build_kiosk`
    and :func:`kiosk.ui.counter.app.build_counter` do; a process that builds both, like the UI
    tests, registers both before any window: ``tests/ui/conftest.py`` does so when it is
    imported). With PySide6 6.11, a Python type registered after the process's
    first engine exists breaks QtQuick.Layouts and the QML files' own components in every
    later engine ("Cannot assign object of type Icon_QMLTYPE_5 to list property data;
    expected QObject"); so registering once an engine has been bound is logged as an error.
    """
    with _lock:
        if module.uri in _registered:
            return
        late = _engines_bound
    table = module.singletons()
    if late:
        log.error("QML module %s registered after a QML engine was created: later engines "
                  "may break (PySide6 6.11); register it before the first engine", module.uri)
    major, minor = module.version
    # PySide's stubs type the QML name as bytes, but 6.11 accepts only a str there.
    register: Any = qmlRegisterSingletonType
    with _lock:
        if module.uri in _registered:
            return
        for entry in table:
            register(entry.type, module.uri, major, minor, entry.name,
                     _factory(module.uri, entry.name))
        _registered[module.uri] = {entry.name: entry.type for entry in table}


def bind(engine: QQmlEngine, instances: Mapping[str, QObject], module: Module = KIOSK) -> None:
    """Make ``instances`` (QML name → view-model) the singletons of ``module`` that ``engine``
    will see.

    Call before the engine loads any QML. Every name must be in the module's table and each
    instance of its registered type; a wrong name or type is a programming error and raises.
    """
    global _engines_bound
    register_types(module)
    known = _registered[module.uri]
    for name, instance in instances.items():
        expected = known.get(name)
        if expected is None:
            raise KeyError(f"{name!r} is not a registered {module.uri} singleton; "
                           "add it to its table in kiosk.ui.qml_registry")
        if not isinstance(instance, expected):
            raise TypeError(f"{module.uri} singleton {name} must be a {expected.__name__}, "
                            f"not {type(instance).__name__}")
        # Without this the engine would delete the view-model when it is itself deleted.
        QQmlEngine.setObjectOwnership(instance, QQmlEngine.ObjectOwnership.CppOwnership)
    key = _engine_key(engine)
    with _lock:
        _engines_bound = True
        fresh = key not in _bound
        _bound.setdefault(key, {}).update(
            {(module.uri, name): instance for name, instance in instances.items()})
    if fresh:
        # Forget the engine with its C++ object, so a later engine at the same address
        # cannot be handed this engine's view-models.
        engine.destroyed.connect(partial(_forget, key))


def bound_instance(engine: QQmlEngine, name: str, module: Module = KIOSK) -> QObject | None:
    """The instance bound as ``name`` of ``module`` on ``engine`` (None if none is)."""
    with _lock:
        return _bound.get(_engine_key(engine), {}).get((module.uri, name))


def unbind(engine: QQmlEngine) -> None:
    """Forget ``engine``'s view-models now (deleting the engine also does)."""
    _forget(_engine_key(engine))


def _forget(key: int, *_: object) -> None:
    with _lock:
        _bound.pop(key, None)


def _factory(uri: str, name: str) -> Callable[[QQmlEngine | QJSEngine], QObject]:
    """A plain function per name: PySide reads the callback's code object, so no ``partial``."""

    def create(engine: QQmlEngine | QJSEngine) -> QObject:
        return _create(uri, name, engine)

    return create


def _create(uri: str, name: str, engine: QQmlEngine | QJSEngine) -> QObject:
    """QML's factory for singleton ``uri``/``name``: called once per engine, on first use."""
    with _lock:
        instance = _bound.get(_engine_key(engine), {}).get((uri, name))
    if instance is None:
        log.error("QML asked for %s singleton %s, but this engine has none bound", uri, name)
        raise LookupError(f"no {uri} singleton {name} is bound to this engine; "
                          "pass it to kiosk.ui.qml_registry.bind() before loading QML")
    return instance


__all__ = ["BOARD", "COUNTER", "KIOSK", "MODULES", "QML_MODULE", "QML_VERSION", "SINGLETONS",
           "Module", "Singleton", "bind", "bound_instance", "register_types", "unbind"]
