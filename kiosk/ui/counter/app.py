"""Starting the counter console: ``kiosk run --mode counter --counter N``.

:func:`build_counter` assembles one console on an existing QGuiApplication and is shared by
:func:`run_counter`, the screenshot renderer and the UI tests, so what the tests drive and
what the screenshots show is the screen an operator uses. It reuses the kiosk's pieces — the
application set-up, fonts and translator, the GUI-thread garbage collector, the device manager
(only the counter's card reader and fingerprint module), the workers — and adds the counter's
view-models, registered as typed QML singletons of the ``SevaKiosk.Counter`` module by the
kiosk's own mechanism (:data:`kiosk.ui.qml_registry.COUNTER`).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from kiosk.config import Config
from kiosk.i18n import normalise_language, set_language
from kiosk.i18n.qt_translator import KioskTranslator
from kiosk.ui import app as kiosk_app
from kiosk.ui import qml_registry
from kiosk.ui.centre_device import make_device_client, subscriber_factory
from kiosk.ui.counter.cash import CashViewModel
from kiosk.ui.counter.console import ConsoleViewModel
from kiosk.ui.counter.day_end import DayEndViewModel
from kiosk.ui.counter.desk_find import DeskFindViewModel
from kiosk.ui.counter.desk_printer import DeskPrinter
from kiosk.ui.counter.desk_wizard import DeskWizardViewModel
from kiosk.ui.counter.help_calls import HelpCallsViewModel
from kiosk.ui.counter.link import CentreLink
from kiosk.ui.counter.login import LoginViewModel
from kiosk.ui.counter.shell import CounterShell
from kiosk.ui.counter.waiting import WaitingViewModel
from kiosk.ui.gc_guard import GuiThreadGc
from kiosk.ui.idle import ActivityFilter
from kiosk.ui.window_build import load_window, release_ui, start_ui

if TYPE_CHECKING:
    from kiosk.devices.manager import DeviceManager

log = logging.getLogger(__name__)

COUNTER_QML = Path(__file__).resolve().parent.parent / "qml" / "counter" / "CounterMain.qml"
LANDSCAPE = (1366, 768)
#: The devices of a counter's desk: the log-in's card reader and fingerprint module, and the
#: receipt printer (cash receipts, void slips, acknowledgements, the day-end).
COUNTER_DEVICES = ("card_reader", "fingerprint", "printer")


@dataclass
class CounterUi:
    """Everything one counter console is made of; :meth:`close` tears it down in order."""

    app: QGuiApplication
    engine: QQmlApplicationEngine
    window: QQuickWindow
    shell: CounterShell
    link: CentreLink
    login: LoginViewModel
    console: ConsoleViewModel
    waiting: WaitingViewModel
    translator: KioskTranslator
    activity: ActivityFilter
    gc_guard: GuiThreadGc
    printer: DeskPrinter | None = None
    help_calls: HelpCallsViewModel | None = None
    day_end: DayEndViewModel | None = None

    desk_wizard: DeskWizardViewModel | None = None
    desk_find: DeskFindViewModel | None = None
    devices: DeviceManager | None = None
    first_frame: Any = None
    qml_warnings: list[str] = field(default_factory=list)
    cash: CashViewModel | None = None
    _closed: bool = False

    def start_background_now(self) -> None:
        """Start devices and the centre link now instead of after the first frame."""
        if self.first_frame is not None:
            self.first_frame.fire()

    def devices_ready(self, timeout: float = 10.0) -> bool:
        self.start_background_now()
        return self.devices is not None and self.devices.wait_settled(timeout)

    def close(self) -> None:
        """Stop timers and listeners, join every worker, then drop window and engine."""
        if self._closed:
            return
        self._closed = True
        self.login.shutdown()
        self.console.shutdown()
        self.waiting.shutdown()
        if self.day_end is not None:
            self.day_end.shutdown()

        for desk in (self.desk_wizard, self.desk_find):
            if desk is not None:
                desk.shutdown()
        if self.cash is not None:
            self.cash.shutdown()
        self.link.close()  # joins the HTTP workers and the event stream's thread
        if self.printer is not None:
            self.printer.close()
        if self.devices is not None:
            self.devices.close()
        self.window.removeEventFilter(self.activity)
        self.window.close()
        qml_registry.unbind(self.engine)
        shiboken6.delete(self.engine)
        release_ui(self.app, self.translator, self.gc_guard)


def _is_simulated(config: Config, name: str) -> bool:
    try:
        device = config.device(name)
    except KeyError:
        return False
    return bool(device.enabled and device.url.startswith("sim://"))


def _counter_devices(config: Config, hotplug: bool) -> DeviceManager | None:
    """The card reader and fingerprint module of this desk, each on its own worker."""
    try:
        from kiosk.devices.discovery import default_hotplug_source
        from kiosk.devices.manager import DeviceManager, specs_from_config

        specs = [s for s in specs_from_config(config) if s.name in COUNTER_DEVICES]
        return DeviceManager(specs, hotplug=default_hotplug_source() if hotplug else None)
    except Exception:
        log.error("device manager could not start; log in by operator ID", exc_info=True)
        return None


def make_client(config: Config, counter: str, url: str | None = None) -> tuple[Any, Any]:
    """A CentreClient for this counter and the function that enrols it (run on a worker)."""
    return make_device_client(config, f"{config.centre_code}-counter-{counter}", "counter", url)


def build_counter(config: Config, counter: str, *, app: QGuiApplication | None = None,
                  lang: str | None = None, windowed: bool = True,
                  size: tuple[int, int] | None = None, show: bool = True,
                  devices: bool = False, hotplug: bool = True, centre_url: str | None = None,
                  idle_logout_s: int | None = None, client: Any = None,
                  enrol: Any = None) -> CounterUi:
    """Assemble the console of counter ``counter`` on the running QGuiApplication.

    ``centre_url`` overrides ``[centre] url``; ``client``/``enrol`` replace the real client
    (the screenshot renderer passes an enrolled one). ``devices`` manages this desk's card
    reader and fingerprint module. ``idle_logout_s`` overrides the centre's idle time.
    """
    # A counter has a desk keyboard: the virtual keyboard's desktop pop-up must never appear
    # when a field of the desk's wizard takes the focus (and it outlives the app at exit).
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    default_lang = normalise_language(lang or config.default_language)[0]
    app, translator, gc_guard = start_ui(qml_registry.COUNTER, app, default_lang)
    client_owned = client is None
    if client is None:
        client, enrol = make_client(config, counter, centre_url)
    closers = [client.close] if hasattr(client, "close") else []
    manager = _counter_devices(config, hotplug) if devices else None
    printer = DeskPrinter(config, manager.printer_opener() if manager is not None else None)

    engine = QQmlApplicationEngine()
    warnings = kiosk_app.collect_qml_warnings(engine)

    def apply_language(code: str) -> None:
        translator.set_language(code)
        set_language(code)
        engine.retranslate()

    shell = CounterShell(counter, language=default_lang, apply_language=apply_language,
                         card_simulated=manager is not None
                         and _is_simulated(config, "card_reader"),
                         finger_simulated=manager is not None
                         and _is_simulated(config, "fingerprint"), demo=config.demo)
    link = CentreLink(client, enrol=enrol, subscriber_factory=subscriber_factory(client),
                      on_close=closers if client_owned else [])
    login = LoginViewModel(shell, link, manager, idle_logout_s=idle_logout_s)
    console = ConsoleViewModel(shell, link, login)
    waiting = WaitingViewModel(shell, link)
    day_end = DayEndViewModel(shell, link, login, config, printer)
    desk_wizard = DeskWizardViewModel(shell, link, login, console)
    desk_find = DeskFindViewModel(shell, link, login, config, printer)
    cash = CashViewModel(shell, link, login, printer, config)
    help_calls = HelpCallsViewModel(shell, link, login, config.timezone)
    # "Take cash" on the wizard's result opens that application in the cash panel
    desk_wizard.cashRequested.connect(lambda no, _fee: cash.lookUp(no))
    qml_registry.bind(engine, {"CounterShell": shell, "CentreLink": link,
                               "CounterLogin": login, "CounterConsole": console,
                               "CounterWaiting": waiting, "CounterDayEnd": day_end,
                               "DeskWizard": desk_wizard, "DeskFind": desk_find,
                               "CounterCash": cash, "CounterHelp": help_calls},
                      qml_registry.COUNTER)

    def undo() -> None:
        day_end.shutdown()
        desk_wizard.shutdown()
        desk_find.shutdown()
        cash.shutdown()
        printer.close()
        login.shutdown()
        link.close()
        if manager is not None:
            manager.close()
        qml_registry.unbind(engine)
        gc_guard.stop()

    window = load_window(engine, COUNTER_QML, warnings, undo)

    def start_devices() -> None:
        if manager is not None:
            manager.start()

    first_frame = kiosk_app._FirstFrame(window, [link.start, start_devices])
    activity = ActivityFilter(login.noteActivity, window)
    window.installEventFilter(activity)
    # the operator types at once: keys go to this window
    kiosk_app.place_window(window, config, size or LANDSCAPE, windowed=windowed, show=show,
                           activate=True)
    return CounterUi(app=app, engine=engine, window=window, shell=shell, link=link,
                     login=login, console=console, waiting=waiting, translator=translator,
                     activity=activity, gc_guard=gc_guard, printer=printer, day_end=day_end,
                     desk_wizard=desk_wizard, desk_find=desk_find, devices=manager,
                     first_frame=first_frame, qml_warnings=warnings, cash=cash,
                     help_calls=help_calls)


def run_counter(config: Config, counter: str, *, windowed: bool, lang: str | None) -> int:
    """Run counter ``counter``'s console until its window closes; returns the exit code.

    No virtual keyboard here (a counter has a desk keyboard): the kiosk's input-method
    setting is left out, and if the environment forces it anyway, its pop-up window is off.
    """
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    app.setApplicationName("Seva Kiosk — counter")
    ui = build_counter(config, counter, app=app, lang=lang, windowed=windowed, devices=True)
    app.aboutToQuit.connect(ui.close)
    kiosk_app._quit_on_signals(app)
    return int(app.exec())


__all__ = ["CounterUi", "build_counter", "run_counter"]
