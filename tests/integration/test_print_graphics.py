"""Fixed labels held in the printer's graphics memory, end to end on the simulator.

What a citizen cares about: every slip shows every label, whatever happened to the printer
between two slips (switched off and on, reset) — and a slip printed from the printer's memory
looks exactly like one that carried all its pixels.
"""

from __future__ import annotations

from kiosk.config import Config
from kiosk.devices.escpos_driver import EscposPrinter
from kiosk.devices.links import SimTransport
from kiosk.devices.printer_adapter import PrinterDevice
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim
from kiosk.documents.token_slip import build_token_slip
from kiosk.printing.escpos_render import PrinterProfile, encode_plan, layout_document
from kiosk.printing.print_jobs import PrintService
from kiosk.queue import Priority, TokenService
from kiosk.store import Store


def _service_and_sim(config: Config, store: Store) -> tuple[PrintService, EscposPrinterSim]:
    service = PrintService(store, config)
    assert service.profile.graphics_memory == "gs_l"  # sim:// + "auto"
    return service, sim_registry.get("printer", out_dir=config.print_dir)


def test_second_slip_prints_labels_from_memory_and_looks_the_same(config: Config,
                                                                  store: Store) -> None:
    service, sim = _service_and_sim(config, store)
    tokens = TokenService(store, config)
    token = tokens.issue("C", Priority.SENIOR, "hi")
    cold = service.print_token(token, "hi")
    warm = service.print_token(token, "hi")  # a reprint: the same slip
    assert cold.graphics_defined > 5 and cold.graphics_from_memory == cold.graphics_defined
    assert warm.graphics_defined == 0 and warm.graphics_from_memory == cold.graphics_defined
    assert warm.bytes_sent * 4 < cold.bytes_sent
    first, second = sim.jobs
    assert second.graphics_missing == []
    assert first.image.tobytes() == second.image.tobytes()


def test_power_cycle_between_jobs_the_kiosk_defines_the_labels_again(config: Config,
                                                                     store: Store) -> None:
    service, sim = _service_and_sim(config, store)
    token = TokenService(store, config).issue("C", Priority.SENIOR, "hi")
    cold = service.print_token(token, "hi")
    sim.power_cycle()  # a blip the kiosk never saw: only the printer's key list tells
    again = service.print_token(token, "hi")
    assert again.graphics_defined == cold.graphics_defined
    first, second = sim.jobs
    assert second.graphics_missing == []
    assert first.image.tobytes() == second.image.tobytes()


def test_without_a_key_list_an_offline_spell_makes_the_device_forget(config: Config) -> None:
    """A printer that does not answer function 80: the device's own observations decide."""
    sim = EscposPrinterSim()
    device = PrinterDevice("sim://printer", opener=lambda url: SimTransport(url, sim),
                           status_timeout=0.05)
    device.open()
    try:
        device.graphics.job_sent({b"AB": _record()}, reset=False)
        sim.offline = True
        device.poll()
        assert len(device.graphics) == 0 and device.graphics.forgotten == 1
        sim.offline = False
        device.poll()
        assert len(device.graphics) == 0
    finally:
        device.close()


def test_jobs_through_the_device_manager_share_the_devices_record(config: Config,
                                                                   store: Store) -> None:
    sim = EscposPrinterSim(out_dir=config.print_dir)
    device = PrinterDevice("sim://printer", opener=lambda url: SimTransport(url, sim))
    device.open()
    try:
        service = PrintService(store, config, printer_opener=device.lend_transport)
        token = TokenService(store, config).issue("C", Priority.GENERAL, "en")
        service.print_token(token, "en")
        assert len(device.graphics) > 3
        assert set(device.graphics.snapshot()) == set(sim.download_graphics)
        sim.power_cycle()
        result = service.print_token(token, "en")
        assert result.graphics_defined == len(device.graphics)
        assert sim.jobs[0].image.tobytes() == sim.jobs[1].image.tobytes()
    finally:
        device.close()


def test_key_list_is_read_from_the_printer() -> None:
    sim = EscposPrinterSim()
    with EscposPrinter(SimTransport("sim://printer", sim), status_timeout=0.05) as printer:
        assert printer.graphics_keys() == set()
        profile = PrinterProfile(graphics_memory="gs_l")
        from kiosk.documents.model import Cut, Document, Text

        doc = Document((Text("लोक सेवा केंद्र", static=True), Text("टोकन", static=True), Cut()),
                       "test", "1")
        data, stats = encode_plan(layout_document(doc, profile), {})
        printer.write(data)
        assert printer.graphics_keys() == set(stats.defined) and len(stats.defined) == 2
        sim.silent = True
        assert printer.graphics_keys() is None


def _record():  # type: ignore[no-untyped-def]
    from kiosk.devices.held_graphics import HeldGraphic

    return HeldGraphic("x" * 64, 10)


def test_undefined_key_prints_nothing_on_the_simulator(config: Config) -> None:
    """Honest tests need a printer that shows a forgotten definition: an empty line."""
    profile = PrinterProfile(graphics_memory="gs_l")
    token = TokenService.__new__(TokenService)  # noqa: F841  (documents need no service)
    from kiosk.printing.preview import sample_token

    doc = build_token_slip(sample_token(config, "hi"), config, "hi")
    plan = layout_document(doc, profile)
    cold, stats = encode_plan(plan, {})
    warm, _ = encode_plan(plan, stats.defined)
    sim = EscposPrinterSim()
    sim.feed(warm)  # nobody defined the labels on this printer
    sim.end_job()
    (job,) = sim.jobs
    assert len(job.graphics_missing) == len(stats.defined)
    sim.feed(cold)
    sim.feed(warm)
    sim.end_job()
    assert sim.jobs[1].image.tobytes() == sim.jobs[2].image.tobytes()
    assert sim.jobs[2].graphics_missing == []


def _fs_q_service(config: Config, store: Store) -> tuple[PrintService, EscposPrinterSim]:
    from dataclasses import replace

    service = PrintService(store, config)
    service.profile = replace(service.profile, graphics_memory="fs_q")
    service.nv_write_wait = 0.0  # the simulator writes its "flash" instantly
    return service, sim_registry.get("printer", out_dir=config.print_dir)


def test_nv_bit_images_are_written_once_and_survive_a_power_cycle(config: Config,
                                                                  store: Store) -> None:
    """FS q / FS p (printers with only the older NV bit images): flash survives power."""
    from kiosk.printing.preview import sample_certificate

    service, sim = _fs_q_service(config, store)
    token = TokenService(store, config).issue("C", Priority.SENIOR, "hi")
    cold = service.print_token(token, "hi")
    assert cold.graphics_defined > 5 and sim.nv_writes == 1
    sim.power_cycle()
    warm = service.print_token(token, "hi")
    assert warm.graphics_defined == 0 and warm.graphics_from_memory == cold.graphics_defined
    assert warm.bytes_sent * 4 < cold.bytes_sent
    assert sim.jobs[0].image.tobytes() == sim.jobs[1].image.tobytes()
    # Another document adds its labels: FS q replaces all images, so the token's go along.
    from kiosk.documents.certificate import build_certificate_slip

    fields, qr = sample_certificate(config)
    service.print_document(build_certificate_slip(fields, qr, config, "hi", title_hi="आय",
                                                  title_en="Income"))
    assert sim.nv_writes == 2
    again = service.print_token(token, "hi")
    assert again.graphics_defined == 0 and sim.jobs[-1].graphics_missing == []
    assert sim.jobs[-1].image.tobytes() == sim.jobs[0].image.tobytes()


def test_nv_rewrites_are_rationed_then_labels_go_inline(config: Config, store: Store) -> None:
    from kiosk.devices.held_graphics import NV_WRITES_PER_DAY

    service, sim = _fs_q_service(config, store)
    memory = service.graphics_memory()
    for _ in range(NV_WRITES_PER_DAY):
        memory.note_nv_write()
    token = TokenService(store, config).issue("C", Priority.GENERAL, "en")
    result = service.print_token(token, "en")
    assert result.graphics_defined == 0 and result.graphics_from_memory == 0
    assert sim.nv_writes == 0 and sim.jobs[0].graphics_missing == []


class _NoKeyList(SimTransport):
    """A printer that understands GS ( L define/print but never answers the key list."""

    def write(self, data: bytes) -> None:
        if data.startswith(b"\x1d(L\x04\x00\x30\x50"):
            self.sim.feed(data)  # nothing comes back to the host
            return
        super().write(data)


def test_a_printer_without_a_key_list_is_asked_once_and_the_device_decides(
        config: Config, store: Store) -> None:
    sim = EscposPrinterSim(out_dir=config.print_dir)
    device = PrinterDevice("sim://printer", opener=lambda url: _NoKeyList(url, sim),
                           status_timeout=0.05)
    device.open()
    try:
        service = PrintService(store, config, printer_opener=device.lend_transport,
                               status_timeout=0.05)
        token = TokenService(store, config).issue("C", Priority.GENERAL, "hi")
        cold = service.print_token(token, "hi")
        assert device.graphics.answers_key_list is False
        warm = service.print_token(token, "hi")  # trusted from the device's own record
        assert warm.graphics_defined == 0 and warm.graphics_from_memory == cold.graphics_defined
        sim.offline = True  # switched off (it lost its RAM) — the poll sees it
        device.poll()
        sim.power_cycle()
        sim.offline = False
        device.poll()
        again = service.print_token(token, "hi")
        assert again.graphics_defined == cold.graphics_defined
        assert sim.jobs[-1].graphics_missing == []
        assert sim.jobs[0].image.tobytes() == sim.jobs[-1].image.tobytes()
    finally:
        device.close()
