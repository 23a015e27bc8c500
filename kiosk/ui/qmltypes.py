"""Describe the Python-registered QML modules to tools: a ``.qmltypes`` file and a ``qmldir`` each.

One directory per module of :data:`kiosk.ui.qml_registry.MODULES` under ``kiosk/ui/qmltypes``
(``Kiosk/``, ``SevaKiosk/Counter/``), as qmllint's import path expects.

``pyside6-qmllint`` knows nothing of types registered from Python at run time; it reads type
descriptions from a ``qmldir`` + ``.qmltypes`` pair on its import path. Qt's own tooling
(``pyside6-metaobjectdump``) parses Python source for ``@QmlElement`` classes and literal
``Property(...)`` calls, so it would miss our factory registration and :func:`qproperty`.
This module reads what Qt itself sees instead: each registered class's ``staticMetaObject``
(properties with their Qt types, signals, slots), so the description cannot drift from the
code as long as it is regenerated, and ``tests/ui/test_qml_registry.py`` fails when the
checked-in copy is stale.

Run ``python -m kiosk.ui.qmltypes --write`` (``scripts/qmllint.py --update`` does) after
changing a view-model's properties, signals or slots; ``--check`` exits 1 when stale.
Names starting with ``_`` are private to Python and left out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QMetaMethod, QMetaObject, QObject

from kiosk.ui.qml_registry import KIOSK, MODULES, Module, Singleton

TYPES_DIR = Path(__file__).resolve().parent / "qmltypes"
QMLTYPES_NAME = "kiosk.qmltypes"


def module_dir(module: Module) -> Path:
    """Where qmllint looks for ``import <uri>``: one directory per dotted part."""
    return TYPES_DIR.joinpath(*module.uri.split("."))


#: The ``Kiosk`` module's directory.
MODULE_DIR = module_dir(KIOSK)

# PySide's name for a Python object in a signature; QML sees it as a plain ``var``.
_QT_TYPE = {"PyObject": "QVariant", "PySide::PyObjectWrapper": "QVariant"}


def _text(name: object) -> str:
    """Qt hands names back as ``str`` or as bytes-like ``QByteArray`` data, by method."""
    if isinstance(name, bytes | bytearray | memoryview):
        return bytes(name).decode()
    if hasattr(name, "data"):
        return bytes(name.data()).decode()
    return str(name)


def _qt_type(name: object) -> str:
    text = _text(name)
    return _QT_TYPE.get(text, text)


def static_meta_object(cls: type[QObject]) -> QMetaObject:
    """The class's meta-object (PySide's stubs do not declare ``staticMetaObject``)."""
    meta = getattr(cls, "staticMetaObject")  # noqa: B009 - untyped in the stubs
    assert isinstance(meta, QMetaObject)
    return meta


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _method(meta: QMetaMethod, kind: str, indent: str) -> list[str]:
    name = _text(meta.name())
    params = [_text(p) for p in meta.parameterTypes()]
    names = [_text(n) for n in meta.parameterNames()]
    result = meta.typeName()
    head = [f"name: {_quote(name)}"]
    if kind == "Method" and result and result != "void":
        head.append(f"type: {_quote(_qt_type(result))}")
    if not params:
        return [f"{indent}{kind} {{ {'; '.join(head)} }}"]
    lines = [f"{indent}{kind} {{"] + [f"{indent}    {h}" for h in head]
    for i, ptype in enumerate(params):
        pname = names[i] if i < len(names) and names[i] else f"arg{i}"
        lines.append(f"{indent}    Parameter {{ name: {_quote(pname)}; "
                     f"type: {_quote(_qt_type(ptype))} }}")
    lines.append(f"{indent}}}")
    return lines


def _component(module: Module, entry: Singleton) -> list[str]:
    meta = static_meta_object(entry.type)
    base = static_meta_object(QObject)
    major, minor = module.version
    ind = "        "
    lines = [
        "    Component {",
        f"{ind}file: {_quote(entry.type.__module__.replace('.', '/') + '.py')}",
        f"{ind}name: {_quote(entry.type.__name__)}",
        f'{ind}accessSemantics: "reference"',
        f'{ind}prototype: "QObject"',
        f"{ind}exports: [{_quote(f'{module.uri}/{entry.name} {major}.{minor}')}]",
        f"{ind}isCreatable: false",
        f"{ind}isSingleton: true",
        f"{ind}exportMetaObjectRevisions: [{major * 256 + minor}]",
    ]
    index = 0
    for i in range(base.propertyCount(), meta.propertyCount()):
        prop = meta.property(i)
        name = _text(prop.name())
        if name.startswith("_"):
            continue
        fields = [f"name: {_quote(name)}", f"type: {_quote(_qt_type(prop.typeName()))}"]
        if prop.hasNotifySignal():
            fields.append(f"notify: {_quote(_text(prop.notifySignal().name()))}")
        fields.append(f"index: {index}")
        index += 1
        if not prop.isWritable():
            fields.append("isReadonly: true")
        if prop.isConstant():
            fields.append("isPropertyConstant: true")
        lines.append(f"{ind}Property {{ {'; '.join(fields)} }}")
    for i in range(base.methodCount(), meta.methodCount()):
        method = meta.method(i)
        if _text(method.name()).startswith("_"):
            continue
        if method.methodType() == QMetaMethod.MethodType.Signal:
            lines += _method(method, "Signal", ind)
        elif method.access() == QMetaMethod.Access.Public:
            lines += _method(method, "Method", ind)
    lines.append("    }")
    return lines


def render_qmltypes(module: Module = KIOSK) -> str:
    """The ``.qmltypes`` text for every singleton of ``module``, in a stable order."""
    lines = [
        "import QtQuick.tooling 1.2",
        "",
        "// Generated by `python -m kiosk.ui.qmltypes --write` from the registered view-models'",
        "// meta-objects; do not edit. Read by pyside6-qmllint (scripts/qmllint.py).",
        "",
        "Module {",
    ]
    for entry in sorted(module.singletons(), key=lambda e: e.name):
        lines += _component(module, entry)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_qmldir(module: Module = KIOSK) -> str:
    return f"module {module.uri}\ntypeinfo {QMLTYPES_NAME}\ndepends QtQml\n"


def expected_files() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for module in MODULES:
        files[module_dir(module) / "qmldir"] = render_qmldir(module)
        files[module_dir(module) / QMLTYPES_NAME] = render_qmltypes(module)
    return files


def stale_files() -> list[Path]:
    """Checked-in files that differ from what the code registers now."""
    return [path for path, text in expected_files().items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate the files")
    group.add_argument("--check", action="store_true", help="exit 1 if they are stale")
    args = parser.parse_args(argv)
    if args.write:
        for path, text in expected_files().items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return 0
    stale = stale_files()
    for path in stale:
        sys.stderr.write(f"{path} is stale: run python -m kiosk.ui.qmltypes --write\n")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
