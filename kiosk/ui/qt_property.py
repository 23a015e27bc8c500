"""A typed ``Property`` for view-models: QML sees a Qt property, mypy sees the getter's type.

PySide's stubs type ``Property(type, ...)`` as returning a ``Property``, so a Python read of
``vm.state`` is a ``Property`` to mypy (not iterable, not a ``str``), and the ``"QVariantList"``
string form Qt documents is rejected outright (the stubs want a ``type``). :func:`qproperty`
builds exactly the same ``Property`` at run time and tells mypy the attribute holds what the
getter returns, which is what a read on an instance gives.

Type objects map to the same Qt types the strings name (checked in
``tests/ui/test_qml_registry.py``): ``list`` → ``QVariantList``, ``dict`` → ``QVariantMap``,
``str`` → ``QString``, ``float`` → ``double``; so ``Property("QVariantList", f)`` becomes
``qproperty(list, f)`` with nothing changed for QML.

Usage, in the class body::

    changed = Signal()
    def _get_state(self) -> str: ...
    state = qproperty(str, _get_state, notify=changed)          # mypy: vm.state is a str
    rows = qproperty(list, _get_rows, notify=changed)           # QVariantList for QML
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from PySide6.QtCore import Property, Signal

T = TypeVar("T")


def qproperty(type_: type, fget: Callable[[Any], T],
              fset: Callable[[Any, T], None] | None = None, *,
              notify: Signal | None = None, constant: bool = False) -> T:
    """A read-only (or, with ``fset``, writable) Qt property whose Python reads are typed ``T``.

    ``notify`` is the class's change signal; ``constant`` marks a value that never changes
    (QML then needs no signal). A property needs one or the other, or QML warns on binding.
    """
    if notify is not None:
        prop = Property(type_, fget, fset, notify=notify)
    else:
        prop = Property(type_, fget, fset, constant=constant)
    return cast(T, prop)


__all__ = ["qproperty"]
