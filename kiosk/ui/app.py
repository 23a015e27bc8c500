"""Starting the kiosk window: application, fonts, translator, core objects, QML.

:func:`build_kiosk` assembles everything on an existing QGuiApplication and is shared by
:func:`run_kiosk`, the screenshot renderer and the UI tests, so what the tests tap through and
what the screenshots show is exactly the screen a citizen sees.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine, QQmlError
from PySide6.QtQuick import QQuickWindow

from kiosk.applications import ApplicationService
from kiosk.config import Config
from kiosk.i18n import normalise_language, set_language
from kiosk.i18n.fonts import DEVANAGARI_FAMILY, LATIN_FAMILY, register_fonts
from kiosk.i18n.qt_translator import KioskTranslator
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.ui import qml_registry
from kiosk.ui.gc_guard import GuiThreadGc
from kiosk.ui.idle import ActivityFilter
from kiosk.ui.kiosk_mode import ContextMenuBlock, block_context_menus
from kiosk.ui.viewmodels import SessionViewModel, SyncViewModel, TokenPrinter
from kiosk.ui.viewmodels.diagnostics import DiagnosticsViewModel
from kiosk.ui.viewmodels.guide import GuideViewModel
from kiosk.ui.viewmodels.help import HelpViewModel
from kiosk.ui.viewmodels.keyboard import KeyboardViewModel
from kiosk.ui.viewmodels.lookup import LookupViewModel
from kiosk.ui.viewmodels.scans import ScanRouter
from kiosk.ui.viewmodels.token_position import TokenPositionViewModel
from kiosk.ui.viewmodels.wizard import WizardViewModel

if TYPE_CHECKING:
    from kiosk.devices.manager import DeviceManager
    from kiosk.printing.print_jobs import PrinterOpener

if TYPE_CHECKING:
    from kiosk.issuing.runtime import CentreLink
    from kiosk.sync.runtime import SyncRuntime
    from kiosk.sync.status import SyncStatus

log = logging.getLogger(__name__)

QML_DIR = Path(__file__).resolve().parent / "qml"
MAIN_QML = QML_DIR / "Main.qml"
PORTRAIT = (1080, 1920)


def prepare_environment() -> None:
    """Process settings Qt reads only once, when the application object is created.

    The citizen window types on the kiosk's own keyboard (``KioskKeyboard.qml``), not on an
    input-method plugin: Qt Virtual Keyboard's panel cost 25-40 ms of GUI-thread CPU on every
    focus change. A ``QT_IM_MODULE`` left in the environment (a desktop's, or an old kiosk
    unit's ``qtvirtualkeyboard``) would load one anyway, so it is dropped before
    QGuiApplication exists.
    """
    os.environ.pop("QT_IM_MODULE", None)


def app_font() -> QFont:
    """Noto Sans Devanagari first (it carries Latin too), Noto Sans as the Latin fallback.

    Naming both families explicitly keeps Qt from reaching for a system font, which on a
    vendor-installed PC may have no Devanagari or a badly shaped one.
    """
    font = QFont()
    font.setFamilies([DEVANAGARI_FAMILY, LATIN_FAMILY])
    font.setPixelSize(32)
    return font


def ensure_app(app: QGuiApplication | None = None) -> QGuiApplication:
    """The running QGuiApplication, created (with the kiosk's environment) if there is none."""
    if app is not None:
        return app
    existing = QCoreApplication.instance()
    if existing is None:
        prepare_environment()
        existing = QGuiApplication(sys.argv[:1])
    assert isinstance(existing, QGuiApplication)
    return existing


def install_fonts_and_translator(app: QGuiApplication, lang: str) -> KioskTranslator:
    """Bundled Noto fonts as the application font, and the catalogue's translator for QML.

    Shared by every window the program shows (citizen kiosk, counter console), so Hindi is
    shaped by the same font and translated from the same ``.po`` everywhere.
    """
    register_fonts()
    app.setFont(app_font())
    translator = KioskTranslator(lang)
    app.installTranslator(translator)
    return translator


def collect_qml_warnings(engine: QQmlApplicationEngine) -> list[str]:
    """Every QML warning of ``engine``, logged and kept (UI tests fail on any)."""
    warnings: list[str] = []

    def on_warnings(errors: list[QQmlError]) -> None:
        for err in errors:
            text = err.toString()
            warnings.append(text)
            log.warning("QML: %s", text)

    engine.warnings.connect(on_warnings)
    return warnings


@dataclass
class KioskUi:
    """Everything one kiosk window is made of; :meth:`close` tears it down in order."""

    app: QGuiApplication
    engine: QQmlApplicationEngine
    window: QQuickWindow
    session: SessionViewModel
    store: Store
    tokens: TokenService
    printer: TokenPrinter | None
    translator: KioskTranslator
    activity: ActivityFilter
    network: SyncViewModel
    diagnostics: DiagnosticsViewModel
    applications: ApplicationService
    apply: WizardViewModel
    lookup: LookupViewModel
    scans: ScanRouter
    gc_guard: GuiThreadGc | None = None
    sync_starter: SyncStarter | None = None
    devices: DeviceManager | None = None
    first_frame: _FirstFrame | None = None
    qml_warnings: list[str] = field(default_factory=list)
    #: The centre link (issuer, embedded centre service) when built with ``centre=True``.
    centre_link: CentreLink | None = None
    token_position: TokenPositionViewModel | None = None
    guide: GuideViewModel | None = None
    help: HelpViewModel | None = None
    _closed: bool = False

    @property
    def sync(self) -> SyncRuntime | None:
        """The sync runtime once its background start has finished (None before, or off)."""
        return self.sync_starter.runtime if self.sync_starter is not None else None

    def start_background_now(self) -> None:
        """Start what normally waits for the first frame (devices, sync) right away: for
        tests and screenshots that block the GUI thread before a frame is drawn."""
        if self.first_frame is not None:
            self.first_frame.fire()

    def devices_ready(self, timeout: float = 10.0) -> bool:
        """Start the device manager now if needed and wait until every device has settled."""
        self.start_background_now()
        return self.devices is not None and self.devices.wait_settled(timeout)

    def sync_ready(self, timeout: float = 15.0) -> SyncRuntime | None:
        """Wait for sync's background start (tests, screenshots); None if it is off/failed."""
        if self.sync_starter is not None:
            self.sync_starter.wait(timeout)
        return self.sync

    def close(self) -> None:
        """Finish background work, then drop window, engine, translator and database."""
        if self._closed:
            return
        self._closed = True
        self.session.shutdown()
        if self.token_position is not None:
            self.token_position.shutdown()
        if self.guide is not None:
            self.guide.shutdown()   # joins the speech worker
        if self.help is not None:
            self.help.shutdown()
        self.apply.shutdown()
        self.lookup.shutdown()
        self.scans.close()
        self.diagnostics.shutdown()  # cancels a capture, joins its worker, detaches the bridge
        if self.centre_link is not None:
            self.centre_link.close()  # joins the link, stops the embedded centre service
        if self.sync_starter is not None:
            self.sync_starter.close()  # joins the sync worker, stops the embedded backend
        if self.devices is not None:
            # After the session (a slip in flight still has the printer's link) and before
            # the store (a worker may still be journalling); joins every device worker.
            self.devices.close()
        self.window.removeEventFilter(self.activity)
        for block in self.window.findChildren(ContextMenuBlock):
            block.release()
        self.window.close()
        # Delete the window, then the engine, *now*, while the view-models they bind to still
        # exist (a deferred delete would re-evaluate bindings against a dead object), and
        # destroy what each step hands to deleteLater() before the next step: see
        # _flush_deferred_deletes for why nothing the engine made may outlive the engine.
        _flush_deferred_deletes()
        shiboken6.delete(self.window)
        _flush_deferred_deletes()
        shiboken6.delete(self.engine)
        _flush_deferred_deletes()
        self.app.removeTranslator(self.translator)
        closer = getattr(self.printer, "close", None)
        if callable(closer):
            closer()
        self.applications.reference.close()
        self.store.close()
        if self.gc_guard is not None:
            # Every worker is joined: the last cycles die here, on the GUI thread.
            self.gc_guard.stop()
            shiboken6.delete(self.gc_guard)
        QCoreApplication.sendPostedEvents(None, 0)


def _flush_deferred_deletes() -> None:
    """Destroy every object waiting on ``deleteLater()`` now, on the GUI thread.

    Qt runs a deferred delete only from an event loop (or ``qWait``), never from a top-level
    ``processEvents()``/``sendPostedEvents()``. Deleting a window and its engine hands Qt Quick
    internals (scene-graph clean-up among them) to ``deleteLater()``; left queued, they
    are destroyed whenever the *next* event loop runs — in a test, inside the next kiosk, with
    their engine already freed and its memory possibly reused by the new engine.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _default_printer(store: Store, config: Config,
                     opener: PrinterOpener | None = None) -> TokenPrinter | None:
    """The real print pipeline; if it cannot start, tokens are still issued and shown.

    ``opener`` is the device manager's printer link when devices are managed: the manager
    already holds the serial port open for its status polls, and a second open of the same
    port would either fail or interleave a job with a poll.
    """
    try:
        from kiosk.printing.print_jobs import PrintService
    except ImportError:
        log.error("print service is not available; slips will not print", exc_info=True)
        return None
    try:
        service: TokenPrinter = PrintService(store, config, printer_opener=opener)
    except Exception:
        log.error("print service failed to start; slips will not print", exc_info=True)
        return None
    return service


class SyncStarter:
    """Starts sync on a thread of its own, so the attract screen never waits for it.

    Importing the HTTP stack and starting the embedded reference backend cost ~0.35 s, which
    on the GUI thread pushed cold start to the edge of its 1.5 s budget. Sync is also a
    convenience, never a precondition: if it cannot start, the kiosk still issues tokens and
    the outbox keeps every record until a later start can send it.
    """

    def __init__(self, config: Config, store: Store, network: SyncViewModel) -> None:
        self._config = config
        self._store = store
        self._network = network
        self._lock = threading.Lock()
        self._closed = False
        self.runtime: SyncRuntime | None = None
        self._thread = threading.Thread(target=self._run, name="sync-start", daemon=True)

    def start(self) -> None:
        with self._lock:
            if not self._closed and not self._thread.is_alive() and self._thread.ident is None:
                self._thread.start()

    def _run(self) -> None:
        try:
            from kiosk.sync.runtime import start_sync

            runtime = start_sync(self._config, self._store)
        except Exception:
            log.error("sync could not start; records stay in the outbox", exc_info=True)
            return
        with self._lock:
            if self._closed:
                runtime.close()
                return
            self.runtime = runtime
        self._network.attach(runtime)

    def wait(self, timeout: float) -> None:
        """Start now if the first frame has not done it yet, and wait for the start."""
        self.start()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def status(self) -> SyncStatus:
        """The runtime's status, or the same figures read from the store while it starts."""
        runtime = self.runtime
        if runtime is not None:
            return runtime.status()
        from kiosk.sync.status import read_status

        url = self._config.backend_url
        return read_status(self._store, backend_url=url or "(embedded)", embedded=not url)

    def close(self) -> None:
        """Safe twice; waits for a start in progress, then stops what it started."""
        with self._lock:
            self._closed = True
        if self._thread.ident is not None:
            self._thread.join()
        runtime, self.runtime = self.runtime, None
        if runtime is not None:
            runtime.close()


class _FirstFrame(QObject):
    """Runs start-up work once the first frame is on screen (or after ``fallback_ms``).

    Device workers, simulators and the sync worker are threads; started while QML compiles
    the attract screen they compete with it for this machine's two cores and push cold start
    past its budget. Nothing they do is needed for the attract screen.
    """

    def __init__(self, window: QQuickWindow, actions: list[Callable[[], object]],
                 fallback_ms: int = 1000) -> None:
        super().__init__(window)
        self._window = window
        self._actions = actions
        self._done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.fire)
        self._timer.start(fallback_ms)  # an unshown or never-painted window starts them too
        window.frameSwapped.connect(self.fire)  # queued: the render thread emits it

    @Slot()
    def fire(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        self._window.frameSwapped.disconnect(self.fire)  # no Python call per frame after this
        for action in self._actions:
            try:
                action()
            except Exception:
                log.error("start-up step failed", exc_info=True)


def _make_devices(config: Config, hotplug: bool) -> DeviceManager | None:
    """Devices are managed when possible, never required: a manager that cannot start is
    logged and the kiosk runs without it (tokens are still issued; slips print through the
    print service's own link). It is started after the first frame (:class:`_FirstFrame`)."""
    try:
        from kiosk.devices.discovery import default_hotplug_source
        from kiosk.devices.manager import DeviceManager

        source = default_hotplug_source() if hotplug else None
        return DeviceManager.from_config(config, hotplug=source)
    except Exception:
        log.error("device manager could not start; running without managed devices",
                  exc_info=True)
        return None


def build_kiosk(config: Config, *, app: QGuiApplication | None = None, lang: str | None = None,
                windowed: bool = True, size: tuple[int, int] | None = None,
                printer: TokenPrinter | None = None, use_default_printer: bool = True,
                show: bool = True, sync: bool = False, devices: bool = False,
                hotplug: bool = True, centre: bool = False,
                make_guide: Callable[[], Any] | None = None) -> KioskUi:
    """Assemble the kiosk on the running QGuiApplication (created if absent).

    ``lang`` overrides ``config.default_language`` for this run (the language a new session
    starts in). ``printer`` replaces the real print service (tests pass their own or none).
    ``sync`` starts the outbox worker (and the embedded reference backend when the config
    names no backend); tests and screenshots leave it off unless they are about it.
    ``make_guide`` builds the speaker button's speech worker (tests pass one with a capturing
    audio sink; the default speaks through QtMultimedia).
    ``devices`` starts the :class:`~kiosk.devices.manager.DeviceManager` (every configured
    device opened, polled and recovered on its own worker; ``hotplug`` adds udev/polling
    hot-plug) and prints through its printer link; off, the diagnostics screen says devices
    are not managed. ``centre`` issues tokens through the centre service (``[centre] url``, or
    one embedded on loopback when it is empty, started after the first frame) with the lease
    as the fallback; off, the kiosk numbers tokens itself (tests, screenshots).
    """
    app = ensure_app(app)
    default_lang = normalise_language(lang or config.default_language)[0]
    translator = install_fonts_and_translator(app, default_lang)

    gc_guard = GuiThreadGc()
    gc_guard.start()
    store = Store(config.db_path)
    tokens = TokenService(store, config)
    link: CentreLink | None = None
    if centre:
        from kiosk.issuing.runtime import CentreLink

        link = CentreLink(config, store)
        tokens.attach_centre(link.issuer)
    manager = _make_devices(config, hotplug) if devices else None
    if printer is None and use_default_printer:
        printer = _default_printer(store, config,
                                   manager.printer_opener() if manager is not None else None)

    qml_registry.register_types()  # before the engine exists: see register_types
    engine = QQmlApplicationEngine()
    warnings = collect_qml_warnings(engine)

    def apply_language(code: str) -> None:
        translator.set_language(code)
        set_language(code)
        engine.retranslate()

    session = SessionViewModel(config, tokens, printer, apply_language=apply_language,
                               default_language=default_lang)
    network = SyncViewModel(lambda: str(session.property("language")))
    session.languageChanged.connect(network.languageSwitched)
    session.queue.tokenChanged.connect(network.wake)  # a new token is in the outbox: send it now
    starter = SyncStarter(config, store, network) if sync else None
    diagnostics = DiagnosticsViewModel(session, config, tokens, printer, manager,
                                       sync_status=starter.status if starter else None)
    network.changed.connect(diagnostics.networkChanged)
    applications = ApplicationService(store, config)
    if link is not None:  # a new application: hand its copy to the centre's desk now
        applications.on_stored = link.handover.wake
    applications.reference.load()  # the last SQL the GUI thread runs: screens use the cache
    scans = ScanRouter(manager)
    apply_vm = WizardViewModel(session, config, applications, printer, scans)
    lookup = LookupViewModel(session, config, store, applications, printer, scans)
    if starter is not None:
        lookup.status.attach_sync(lambda: starter.runtime)
        apply_vm.payment.attach_sync(lambda: starter.runtime)
    # View-models reach QML as typed singletons of the ``Kiosk`` module, bound to this engine
    # (qml_registry explains why per engine); there are no context properties.
    position = TokenPositionViewModel(session, session.queue,
                                      lambda: link.issuer if link else None)
    guide = GuideViewModel(session, config, make_guide)
    help_vm = HelpViewModel(session, lambda: link.issuer if link else None)
    qml_registry.bind(engine, {
        "Network": network,
        "Session": session, "Queue": session.queue, "TokenPosition": position,
        "Diagnostics": diagnostics, "Technician": diagnostics.gate,
        "Apply": apply_vm, "Payment": apply_vm.payment, "Acknowledgement": apply_vm.ack,
        "Prefill": apply_vm.prefill,
        "Lookup": lookup, "Status": lookup.status, "Verify": lookup.verify,
        "Guide": guide, "Help": help_vm,
        "Keyboard": KeyboardViewModel(session),   # the session (its parent) keeps it alive
    })
    engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        apply_vm.shutdown()
        help_vm.shutdown()
        lookup.shutdown()
        scans.close()
        diagnostics.shutdown()
        if starter is not None:
            starter.close()
        if manager is not None:
            manager.close()
        store.close()
        gc_guard.stop()
        raise RuntimeError(f"could not load {MAIN_QML}: {'; '.join(warnings)}")
    window = roots[0]
    later: list[Callable[[], object]] = [apply_vm.warm_up]
    if manager is not None:
        later.append(manager.start)
    if starter is not None:
        later.append(starter.start)
    if link is not None:
        later.append(link.start)
    first_frame = _FirstFrame(window, later)
    activity = ActivityFilter(session.noteActivity, window)
    window.installEventFilter(activity)
    block_context_menus(window)   # a public touchscreen, full screen or not

    place_window(window, config, size or PORTRAIT, windowed=windowed, show=show)
    return KioskUi(app=app, engine=engine, window=window, session=session, store=store,
                   tokens=tokens, printer=printer, translator=translator, activity=activity,
                   network=network, diagnostics=diagnostics, applications=applications,
                   apply=apply_vm, lookup=lookup, scans=scans, gc_guard=gc_guard,
                   sync_starter=starter,
                   devices=manager,
                   first_frame=first_frame,
                   qml_warnings=warnings, centre_link=link, token_position=position,
                   guide=guide, help=help_vm)


def run_kiosk(config: Config, *, windowed: bool, lang: str | None) -> int:
    """Run the citizen kiosk until the window closes; returns the exit code."""
    prepare_environment()
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    app.setApplicationName("Seva Kiosk")
    kiosk = build_kiosk(config, app=app, lang=lang, windowed=windowed, sync=True,
                        devices=True, centre=True)
    kiosk.diagnostics.note_start()  # config.changed in the kiosk's audit trail (on a worker)
    app.aboutToQuit.connect(kiosk.close)
    _quit_on_signals(app)
    return int(app.exec())


def place_window(window: QQuickWindow, config: Config, size: tuple[int, int], *,
                 windowed: bool, show: bool, activate: bool = False) -> None:
    """Kiosk, counter and board alike: a window of ``size`` when windowed (or when the config
    says no full screen), else frameless full screen; ``activate`` gives it the keyboard."""
    if windowed or not config.fullscreen:
        window.resize(QSize(*size))
        if show:
            window.show()
            if activate:
                window.requestActivate()
    else:
        from kiosk.ui.kiosk_mode import hold

        window.setFlag(Qt.WindowType.FramelessWindowHint, True)
        hold(window)  # no closing, no context menus, the screen's own geometry
        if show:
            window.showFullScreen()


def _quit_on_signals(app: QGuiApplication) -> None:
    """SIGTERM (a service manager stopping the kiosk) and Ctrl-C end it cleanly: the event loop
    quits, ``KioskUi.close`` finishes a slip in flight and joins every worker.

    Python runs signal handlers only between bytecodes, and Qt's event loop runs none while
    idle, so a slow no-op timer gives the interpreter a chance to notice the signal.
    Qt 6's ``quit`` asks every window to close first and a window in kiosk mode refuses
    (kiosk/ui/kiosk_mode.py), so the holds are released first; ``exit`` instead would skip
    those closes and tear down a window that is still showing (a crash on exit). Under
    systemd this also tells the service manager the window is up and feeds its watchdog from
    this (the GUI) thread.
    """
    from kiosk.systemd_notify import start_gui_watchdog
    from kiosk.ui.kiosk_mode import release_all

    def stop(*_: object) -> None:
        # Quit from inside the event loop: a signal that arrives before app.exec() runs (systemd
        # stopping a kiosk that has just said READY) made a direct quit() a no-op and the
        # process ran on; a zero timer waits for the loop.
        def quit_now() -> None:
            release_all(app)
            app.quit()
        QTimer.singleShot(0, app, quit_now)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    ticker = QTimer(app)
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    start_gui_watchdog(app)


__all__ = ["KioskUi", "build_kiosk", "prepare_environment", "run_kiosk"]
