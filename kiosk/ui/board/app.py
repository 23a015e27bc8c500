"""Starting the display board: ``kiosk run --mode board``.

:func:`build_board` assembles one board on an existing QGuiApplication and is shared by
:func:`run_board`, the screenshot renderer, the UI tests and the bench, so what they check is
the screen the waiting hall sees. It reuses the kiosk's pieces (application set-up, fonts,
translator, the GUI-thread garbage collector, through :mod:`kiosk.ui.window_build`) and the
way the counter console reaches the centre (:mod:`kiosk.ui.centre_device`: ``[centre] url``
or this machine's own centre service; enrolment as a ``board`` device), and registers its
view-models as typed singletons of ``SevaKiosk.Board``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.config import Config
from kiosk.i18n.qt_translator import KioskTranslator
from kiosk.ui import app as kiosk_app
from kiosk.ui import qml_registry
from kiosk.ui.board.announcer_port import CallAnnouncer
from kiosk.ui.board.link import BoardLink
from kiosk.ui.board.viewmodel import BoardViewModel
from kiosk.ui.centre_device import make_device_client, subscriber_factory
from kiosk.ui.gc_guard import GuiThreadGc
from kiosk.ui.window_build import load_window, release_ui, start_ui

log = logging.getLogger(__name__)

BOARD_QML = Path(__file__).resolve().parent.parent / "qml" / "board" / "BoardMain.qml"
LANDSCAPE = (1920, 1080)


@dataclass
class BoardUi:
    """Everything one board is made of; :meth:`close` tears it down in order."""

    app: QGuiApplication
    engine: QQmlApplicationEngine
    window: QQuickWindow
    link: BoardLink
    board: BoardViewModel
    translator: KioskTranslator
    gc_guard: GuiThreadGc
    first_frame: Any = None
    qml_warnings: list[str] = field(default_factory=list)
    _closed: bool = False

    def start_background_now(self) -> None:
        """Reach the centre now instead of after the first frame."""
        if self.first_frame is not None:
            self.first_frame.fire()

    def close(self) -> None:
        """Stop timers, join the HTTP worker and the event stream, then window and engine."""
        if self._closed:
            return
        self._closed = True
        self.board.shutdown()
        self.link.close()
        self.window.close()
        qml_registry.unbind(self.engine)
        # Window, then engine, now, with deferred deletes flushed after each (as KioskUi.close).
        kiosk_app._flush_deferred_deletes()
        shiboken6.delete(self.window)
        kiosk_app._flush_deferred_deletes()
        shiboken6.delete(self.engine)
        kiosk_app._flush_deferred_deletes()
        release_ui(self.app, self.translator, self.gc_guard)


def make_client(config: Config, url: str | None = None) -> tuple[Any, Any]:
    """A CentreClient for this board and the function that enrols it (run on a worker)."""
    return make_device_client(config, f"{config.centre_code}-board", "board", url)


def build_board(config: Config, *, app: QGuiApplication | None = None, windowed: bool = True,
                size: tuple[int, int] | None = None, show: bool = True,
                url: str | None = None, client: Any = None, enrol: Any = None,
                announcer: CallAnnouncer | None = None,
                clock: Callable[[], datetime] | None = None) -> BoardUi:
    """Assemble a board on the running QGuiApplication.

    ``url`` overrides ``[centre] url``; ``client``/``enrol`` replace the real client;
    ``announcer`` is the speech half (optional); ``clock`` fixes the time (screenshots, tests).
    """
    app, translator, gc_guard = start_ui(qml_registry.BOARD, app, "hi")
    client_owned = client is None
    if client is None:
        client, enrol = make_client(config, url)
    closers = [client.close] if client_owned and hasattr(client, "close") else []
    history = int(config.board["history"])
    link = BoardLink(client, enrol=enrol,
                     subscriber_factory=subscriber_factory(client, max_backoff=2.0),
                     calls=history + 1, on_close=closers)
    board = BoardViewModel(config, link, announcer=announcer, clock=clock)
    engine = QQmlApplicationEngine()
    warnings = kiosk_app.collect_qml_warnings(engine)
    qml_registry.bind(engine, {"Board": board, "BoardLink": link}, qml_registry.BOARD)

    def undo() -> None:
        board.shutdown()
        link.close()
        qml_registry.unbind(engine)
        gc_guard.stop()

    window = load_window(engine, BOARD_QML, warnings, undo)
    first_frame = kiosk_app._FirstFrame(window, [link.start])
    kiosk_app.place_window(window, config, size or LANDSCAPE, windowed=windowed, show=show)
    return BoardUi(app=app, engine=engine, window=window, link=link, board=board,
                   translator=translator, gc_guard=gc_guard, first_frame=first_frame,
                   qml_warnings=warnings)


def run_board(config: Config, *, windowed: bool,
              announcer: CallAnnouncer | None = None) -> int:
    """Run the board until its window closes; returns the exit code.

    ``announcer`` is where the speech half plugs in (``[board] speak`` decides whether the
    board hands calls to it); without one the board shows calls silently.
    """
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    app.setApplicationName("Seva Kiosk — board")
    own_announcer = None
    if announcer is None and bool(config.board["speak"]):
        from kiosk.speech.player import Announcer

        # Created after the application exists: its Qt audio sink lives on this thread.
        announcer = own_announcer = Announcer.from_config(config, role="board")
    ui = build_board(config, app=app, windowed=windowed, announcer=announcer)
    app.aboutToQuit.connect(ui.close)
    if own_announcer is not None:
        app.aboutToQuit.connect(own_announcer.close)
    kiosk_app._quit_on_signals(app)
    return int(app.exec())


__all__ = ["BoardUi", "build_board", "run_board"]
