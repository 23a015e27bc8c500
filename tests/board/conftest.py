"""Board test fixtures: a real centre service on loopback and real boards offscreen.

Every board is closed (event stream and worker joined) before the suite's leak check runs,
and a test fails on any QML warning: a binding error on a board is a blank line in the hall.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402

from kiosk.ui import qml_registry  # noqa: E402

# Every QML module before this process's first engine (a PySide6 fault, see
# qml_registry.register_types): the whole suite runs in one process, in any order.
for _module in qml_registry.MODULES:
    qml_registry.register_types(_module)

IST = ZoneInfo("Asia/Kolkata")
#: A working Tuesday morning: the board is open and the Samadhan window too.
MORNING = datetime(2026, 12, 1, 11, 0, tzinfo=IST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """No Python Qt message handler (see tests/ui/conftest.py: it deadlocks QML loading)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.no_qt_log)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Any]:
    """The real centre service on a free loopback port, operators op1…op4 (PIN 4826)."""
    from board_helpers import add_operators, centre_config

    from kiosk.centre.runtime import start_centre

    runtime = start_centre(centre_config(tmp_path / "centre"), port=0, forward=False)
    try:
        add_operators(runtime.store)
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def board_factory(qapp: Any, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Build boards joined to a centre URL; all closed and checked for QML warnings."""
    from board_helpers import centre_config

    from kiosk.ui.board.app import BoardUi, build_board

    built: list[BoardUi] = []

    def make(url: str, *, size: tuple[int, int] = (1920, 1080),
             clock: Callable[[], datetime] | None = None, env: dict[str, str] | None = None,
             **kwargs: Any) -> BoardUi:
        config = centre_config(tmp_path / f"board-{len(built)}", KIOSK_CENTRE__URL=url,
                               **(env or {}))
        ui = build_board(config, size=size, clock=clock or (lambda: MORNING), **kwargs)
        built.append(ui)
        ui.start_background_now()
        return ui

    yield make
    for ui in built:
        ui.close()
    warnings = [w for ui in built for w in ui.qml_warnings]
    import gc

    gc.collect()
    assert not warnings, "QML warnings:\n" + "\n".join(warnings)
