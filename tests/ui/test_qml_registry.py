"""The ``Kiosk`` QML module: typed singletons, one view-model instance per engine.

Type registration is process-wide, but every test (and the screenshot renderer) builds kiosks
in one process, each with view-models of its own; these tests pin down that two live engines
never see each other's instance, and that the checked-in type description for qmllint matches
what is registered.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtQml import QQmlComponent, QQmlEngine
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.sync.status import SyncStatus
from kiosk.ui import qml_registry, qmltypes
from kiosk.ui.app import KioskUi
from kiosk.ui.qt_property import qproperty
from kiosk.ui.viewmodels.network import SyncViewModel

# tests/ui/conftest.py registers both modules at collection, before any engine exists (see
# qml_registry.register_types): the last test binds the counter's module too.

PROBE_QML = b"""
import QtQml
import Kiosk
QtObject {
    property QtObject vm: Network
    property string state: Network.state
}
"""


def _probe(engine: QQmlEngine) -> QObject:
    """A QML object in ``engine`` that reads the ``Network`` singleton (parented to the
    engine, so it lives exactly as long as the engine does)."""
    component = QQmlComponent(engine)
    component.setData(PROBE_QML, QUrl())
    obj = component.create()
    assert obj is not None, component.errorString()
    obj.setParent(engine)
    return obj


def _status(online: bool) -> SyncStatus:
    return SyncStatus(backend_url="http://127.0.0.1:9", embedded=False, online=online,
                      last_success_at=None, last_attempt_at=None, last_error=None,
                      auth_failed=False)


def test_two_engines_in_one_process_each_see_their_own_view_model(
        qtbot: QtBot, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config]) -> None:
    first = kiosk_factory(make_config())
    second = kiosk_factory(make_config())
    assert first.network is not second.network

    probe1, probe2 = _probe(first.engine), _probe(second.engine)
    assert probe1.property("vm") is first.network
    assert probe2.property("vm") is second.network
    assert probe1.property("state") == probe2.property("state") == "unknown"

    first.network.report(_status(online=True))   # only the first kiosk is told it is online
    second.network.report(_status(online=False))
    qtbot.waitUntil(lambda: probe1.property("state") == "online")
    qtbot.waitUntil(lambda: probe2.property("state") == "offline")

    # The engine does not own a bound view-model: closing the first kiosk leaves its
    # view-model readable, and the second kiosk's binding untouched.
    first.close()
    assert shiboken6.isValid(first.network)
    assert first.network.state == "online"
    assert probe2.property("vm") is second.network
    second.network.report(_status(online=True))
    qtbot.waitUntil(lambda: probe2.property("state") == "online")


def test_closing_a_kiosk_forgets_its_engine(kiosk_factory: Callable[..., KioskUi],
                                           make_config: Callable[..., Config]) -> None:
    kiosk = kiosk_factory(make_config())
    engine_key = qml_registry._engine_key(kiosk.engine)
    assert qml_registry.bound_instance(kiosk.engine, "Network") is kiosk.network
    kiosk.close()
    assert engine_key not in qml_registry._bound


def test_bind_refuses_an_unknown_name_or_a_wrong_type(qapp: object) -> None:
    engine = QQmlEngine()
    try:
        with pytest.raises(KeyError, match="not a registered Kiosk singleton"):
            qml_registry.bind(engine, {"Nope": QObject()})
        with pytest.raises(TypeError, match="must be a SyncViewModel"):
            qml_registry.bind(engine, {"Network": QObject()})
    finally:
        shiboken6.delete(engine)


def test_checked_in_qmltypes_match_the_registered_view_models() -> None:
    stale = qmltypes.stale_files()
    assert not stale, f"stale: {stale}; run scripts/qmllint.py --update"
    text = (qmltypes.MODULE_DIR / qmltypes.QMLTYPES_NAME).read_text(encoding="utf-8")
    assert 'exports: ["Kiosk/Network 1.0"]' in text
    assert 'Property { name: "state"; type: "QString"; notify: "changed"' in text
    assert "_arrived" not in text  # private signals stay private


class _Typed(QObject):
    changed = Signal()

    def _rows(self) -> list[object]:
        return [1, "two"]

    def _facts(self) -> dict[str, object]:
        return {"a": 1}

    def _ratio(self) -> float:
        return 0.5

    rows = qproperty(list, _rows, notify=changed)
    facts = qproperty(dict, _facts, notify=changed)
    ratio = qproperty(float, _ratio, constant=True)


def test_qproperty_type_objects_are_the_qt_types_qml_expects() -> None:
    meta = qmltypes.static_meta_object(_Typed)
    types = {str(meta.property(i).name()): str(meta.property(i).typeName())
             for i in range(meta.propertyOffset(), meta.propertyCount())}
    assert types == {"rows": "QVariantList", "facts": "QVariantMap", "ratio": "double"}
    typed = _Typed()
    rows: list[object] = typed.rows  # mypy sees the getter's type, Python gets the value
    assert rows == [1, "two"]
    assert typed.facts == {"a": 1}
    assert typed.property("rows") == [1, "two"]
    assert isinstance(SyncViewModel(lambda: "en").available, bool)


def test_the_citizen_kiosk_does_not_import_the_counter_console() -> None:
    # The counter's table is loaded only when its module is registered: a kiosk starting up
    # must not pay for importing the counter's view-models.
    code = ("import sys, kiosk.ui.app, kiosk.ui.qml_registry as r; r.KIOSK.singletons(); "
            "sys.exit(any(m.startswith('kiosk.ui.counter') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_counter_module_shares_the_mechanism(qapp: object) -> None:
    engine = QQmlEngine()
    try:
        with pytest.raises(TypeError, match="SevaKiosk.Counter singleton CounterShell"):
            qml_registry.bind(engine, {"CounterShell": QObject()}, qml_registry.COUNTER)
        text = (qmltypes.module_dir(qml_registry.COUNTER) / qmltypes.QMLTYPES_NAME).read_text(
            encoding="utf-8")
        assert 'exports: ["SevaKiosk.Counter/CounterShell 1.0"]' in text
    finally:
        shiboken6.delete(engine)
