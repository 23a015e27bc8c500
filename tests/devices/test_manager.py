"""DeviceManager: every default device simulated, failures contained, recovery by itself.

Real bytes only: the simulators run on pseudo-terminals and a loopback HTTP port. Waits are
event-driven (``wait_for`` listens to status events) rather than sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Config, load_config
from kiosk.devices.discovery import FakeHotplugSource
from kiosk.devices.manager import DeviceManager, DeviceSpec, specs_from_config
from kiosk.devices.model import DeviceState, DeviceStatus
from kiosk.devices.printer_adapter import PrinterDevice
from kiosk.devices.rfid import RfidReader
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim
from kiosk.devices.sim.rfid import RfidSimulator
from kiosk.devices.sim.serial_host import PtyHost

ONLINE = DeviceState.ONLINE
FAST = {"printer": 0.2, "fingerprint": 0.2, "rdservice": 0.3}


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    return load_config(data_dir=tmp_path / "data", environ={})


@pytest.fixture
def manager(cfg: Config) -> Iterator[DeviceManager]:
    mgr = DeviceManager.from_config(cfg, poll_intervals=FAST).start()
    try:
        yield mgr
    finally:
        mgr.close()


def test_default_config_brings_every_simulated_device_online(manager: DeviceManager) -> None:
    assert manager.wait_settled(10)
    for name in ("printer", "fingerprint", "card_reader", "scanner", "rdservice"):
        assert manager.wait_for(name, ONLINE, timeout=5), manager.status(name)
    st = manager.statuses()
    assert list(st) == ["printer", "fingerprint", "card_reader", "scanner", "rdservice"]
    assert st["printer"].detail["paper"] == "ok" and st["printer"].url == "sim://printer"
    assert st["fingerprint"].detail["library_size"] == 1000
    assert st["rdservice"].ids["mi"] == "SIMFP100"
    assert manager.healthy()
    caps = manager.capabilities("printer")
    assert caps.has("native_qr") and caps.has("cutter") and caps.extras["dots"] == 576


def test_self_tests_run_on_the_device_worker(manager: DeviceManager) -> None:
    manager.wait_settled(10)
    results = {n: manager.self_test(n) for n in manager.names}
    assert all(r.ok for r in results.values()), results
    assert results["fingerprint"].detail["templates"] == 1
    assert "listening" in results["card_reader"].summary
    # Interactive card self-test: a card laid on the simulated reader is read.
    fut = manager.self_test_async("card_reader", interactive=True, timeout=5)
    sim_registry.simulator("rfid").present("0B001A2B3C")
    assert fut.result(10).detail["card_id"] == "0B001A2B3C"


def test_listeners_get_changes_and_printer_faults_map_to_common_states(
        manager: DeviceManager) -> None:
    manager.wait_settled(10)
    assert manager.wait_for("printer", ONLINE)
    seen: list[DeviceStatus] = []
    remove = manager.add_listener(seen.append)
    sim = sim_registry.get("printer")
    sim.paper = "out"
    manager.poll_now("printer")
    assert manager.wait_for("printer", DeviceState.USER_ERROR)
    assert manager.status("printer").detail["paper"] == "out"
    sim.paper, sim.cover_open = "ok", True
    manager.poll_now("printer")
    assert manager.wait_for("printer", DeviceState.USER_ERROR)
    sim.cover_open = False
    sim.silent = True  # silence is offline/unknown, never "paper OK"
    manager.poll_now("printer")
    assert manager.wait_for("printer", DeviceState.OFFLINE)
    assert manager.status("printer").detail["paper"] == "unknown"
    sim.silent = False
    sim.error = "autocutter"
    manager.poll_now("printer")
    assert manager.wait_for("printer", DeviceState.HARDWARE_ERROR)
    sim.error = None
    manager.poll_now("printer")
    assert manager.wait_for("printer", ONLINE)
    remove()
    states = [s.state for s in seen if s.name == "printer"]
    assert DeviceState.USER_ERROR in states and DeviceState.OFFLINE in states


def test_a_missing_device_is_reported_and_the_rest_keep_working(tmp_path: Path) -> None:
    specs = [DeviceSpec("fingerprint", str(tmp_path / "ttyUSB9")),
             DeviceSpec("card_reader", "sim://rfid"),
             DeviceSpec("scanner", "usb://dead:beef"),
             DeviceSpec("rdservice", "sim://rdservice", enabled=False)]
    with DeviceManager(specs) as mgr:
        assert mgr.wait_settled(10)
        fp = mgr.status("fingerprint")
        assert fp.state is DeviceState.NO_DEVICE and "ttyUSB9" in fp.last_error
        assert mgr.status("scanner").state in (DeviceState.NO_DEVICE, DeviceState.OFFLINE)
        assert mgr.status("scanner").last_error
        assert mgr.wait_for("card_reader", ONLINE)
        rd = mgr.status("rdservice")
        assert not mgr.enabled("rdservice") and rd.detail["enabled"] is False
        assert not mgr.self_test("fingerprint").ok
        assert not mgr.healthy()
        with pytest.raises(Exception, match="disabled"):
            mgr.submit("rdservice", lambda d: d).result(1)
        with pytest.raises(ZeroDivisionError):  # a job's error reaches the caller only
            mgr.submit("card_reader", lambda d: 1 / 0).result(5)
        assert mgr.wait_for("card_reader", ONLINE)
    mgr.close()  # safe twice


def test_hotplug_add_reopens_a_device_that_appears(tmp_path: Path) -> None:
    """A reader missing at start is reopened at once on a hot-plug event, not after backoff."""
    link = tmp_path / "ttyRFID"
    hot = FakeHotplugSource()
    mgr = DeviceManager([DeviceSpec("card_reader", str(link))], hotplug=hot)
    mgr.open_backoff_initial = mgr.open_backoff_max = 60.0  # only hot-plug can help in time
    mgr.start()
    sim = RfidSimulator(PtyHost(link=link), period=0.05)
    try:
        assert mgr.wait_settled(5)
        assert mgr.status("card_reader").state is DeviceState.NO_DEVICE
        sim.start()
        hot.emit("add", "/dev/ttyUSB0")
        assert mgr.wait_for("card_reader", ONLINE, timeout=5)
        reader = mgr.device("card_reader")
        assert isinstance(reader, RfidReader)
        sim.present("0B001A2B3C")
        assert reader.wait_for_card(5) == "0B001A2B3C"
    finally:
        mgr.close()
        sim.stop()


def test_unplug_and_replug_of_simulated_devices_recovers_by_itself(
        manager: DeviceManager) -> None:
    manager.wait_settled(10)
    for name in ("fingerprint", "card_reader", "rdservice"):
        assert manager.wait_for(name, ONLINE)
    sim_registry.unplug("fingerprint")
    sim_registry.unplug("rfid")
    sim_registry.unplug("rdservice")
    lost = (DeviceState.OFFLINE, DeviceState.NO_DEVICE)
    assert manager.wait_for("fingerprint", *lost, timeout=5)
    assert manager.wait_for("card_reader", *lost, timeout=5)
    assert manager.wait_for("rdservice", *lost, timeout=5)
    assert manager.status("fingerprint").last_error
    sim_registry.replug("fingerprint")
    sim_registry.replug("rfid")
    sim_registry.replug("rdservice")
    assert manager.wait_for("fingerprint", ONLINE, timeout=10)
    assert manager.wait_for("card_reader", ONLINE, timeout=10)
    assert manager.wait_for("rdservice", ONLINE, timeout=10)


def test_printer_on_a_pty_vanishes_and_comes_back(
        printer_pty: tuple[EscposPrinterSim, str], tmp_path: Path) -> None:
    sim, path = printer_pty
    link = tmp_path / "ttyPRN"
    link.symlink_to(path)
    with DeviceManager([DeviceSpec("printer", str(link))],
                       poll_intervals={"printer": 0.1}) as mgr:
        assert mgr.wait_for("printer", ONLINE, timeout=5)
        link.unlink()
        link.symlink_to(tmp_path / "nowhere")
        mgr.reset("printer")  # a technician's reset: reopen from scratch
        assert mgr.wait_for("printer", DeviceState.NO_DEVICE, DeviceState.OFFLINE, timeout=5)
        link.unlink()
        link.symlink_to(path)
        assert mgr.wait_for("printer", ONLINE, timeout=10)


def test_print_jobs_borrow_the_managed_link(cfg: Config) -> None:
    """PrintService prints through the manager's open printer link and journals the job."""
    from kiosk.documents.self_test_page import build_test_page
    from kiosk.printing.print_jobs import PrintService
    from kiosk.store import Store

    specs = [s for s in specs_from_config(cfg) if s.name == "printer"]
    with DeviceManager(specs, poll_intervals={"printer": 0.05}) as mgr, \
            Store(cfg.db_path) as store:
        assert mgr.wait_for("printer", ONLINE)
        service = PrintService(store, cfg, printer_opener=mgr.printer_opener())
        results = [service.print_document(build_test_page(cfg)) for _ in range(3)]
        assert [r.state for r in results] == ["confirmed"] * 3
        assert isinstance(mgr.device("printer"), PrinterDevice)
        sim = sim_registry.get("printer")
        assert "TEST:" in sim.qr_payloads[-1]
        sim.paper = "out"
        with pytest.raises(Exception, match="paper"):
            service.print_document(build_test_page(cfg))
        rows = store.conn.execute("SELECT state FROM print_jobs ORDER BY id").fetchall()
        assert [r[0] for r in rows] == ["confirmed"] * 3 + ["failed"]
        assert mgr.self_test("printer").ok is False


def test_qt_bridge_delivers_on_the_gui_thread(cfg: Config, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.devices.qt_bridge import DeviceBridge

    mgr = DeviceManager([s for s in specs_from_config(cfg)
                         if s.name in ("printer", "fingerprint")])
    bridge = DeviceBridge(mgr)
    seen: list[tuple[str, str, bool]] = []
    gui = threading.current_thread()
    bridge.statusChanged.connect(
        lambda name, d: seen.append((name, d["state"], threading.current_thread() is gui)))
    try:
        mgr.start()
        qtbot.waitUntil(lambda: {("printer", "online", True), ("fingerprint", "online", True)}
                        <= set(seen), timeout=10000)
        with qtbot.waitSignal(bridge.selfTestFinished, timeout=10000) as blocker:
            bridge.run_self_test("fingerprint")
        name, ok, summary, detail = blocker.args
        assert name == "fingerprint" and ok and detail["templates"] == 1
        assert {d["name"] for d in bridge.statuses()} == {"printer", "fingerprint"}
    finally:
        bridge.detach()
        mgr.close()
    assert all(on_gui for _, _, on_gui in seen)


def test_device_kind_table_names_real_drivers_and_simulators(tmp_path: Path) -> None:
    """One row per configured section: its driver builds, reports the row's kind, and the
    simulator it names exists — so adding a kind is one row, and a typo fails here."""
    from kiosk.devices.fingerprint_uart import FingerprintReader
    from kiosk.devices.kinds import DEVICE_KINDS
    from kiosk.devices.manager import default_factory
    from kiosk.devices.scanner import SerialScanner, UsbHidScanner
    from kiosk.devices.sim import SIMULATORS

    cfg = load_config(data_dir=tmp_path / "data", environ={})
    assert {s.name for s in specs_from_config(cfg)} <= set(DEVICE_KINDS)
    for name, row in DEVICE_KINDS.items():
        device = default_factory(DeviceSpec(name, f"sim://{row.simulator}"))
        assert device.kind == row.kind and device.name == name
        assert row.simulator == "printer" or row.simulator in SIMULATORS
    assert isinstance(default_factory(DeviceSpec("scanner", "usb://dead:beef")), UsbHidScanner)
    assert isinstance(default_factory(DeviceSpec("scanner", "/dev/ttyACM0", baudrate=9600)),
                      SerialScanner)
    fp = default_factory(DeviceSpec("fingerprint", "sim://fingerprint"))
    assert isinstance(fp, FingerprintReader)
    assert fp.baudrate == 57600  # the row's default when the config gives none


def test_printer_spec_carries_the_configured_baudrate(tmp_path: Path) -> None:
    """``[devices.printer] baudrate`` reaches the managed printer (it was an unknown key)."""
    from kiosk.devices.manager import default_factory

    cfg = load_config(data_dir=tmp_path / "data",
                      environ={"KIOSK_DEVICES__PRINTER__BAUDRATE": "9600"})
    assert cfg.problems == []
    (printer,) = [s for s in specs_from_config(cfg) if s.name == "printer"]
    device = default_factory(printer)
    assert isinstance(device, PrinterDevice) and device.baudrate == 9600
