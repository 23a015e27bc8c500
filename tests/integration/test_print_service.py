"""PrintService end to end: real tokens in a real store, printed on the simulator."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.devices.escpos_driver import MSG_OFFLINE, MSG_PAPER_OUT
from kiosk.devices.links import Transport, open_transport
from kiosk.devices.sim import sim_registry
from kiosk.devices.sim.escpos_printer import EscposPrinterSim, PrinterPtySim
from kiosk.errors import PrinterError
from kiosk.printing.print_jobs import PrintService
from kiosk.queue import Priority, Token, TokenService
from kiosk.store import Store


def token_row(store: Store, token: Token) -> dict[str, object]:
    return dict(store.conn.execute("SELECT * FROM tokens WHERE id = ?", (token.id,)).fetchone())


def test_print_token_on_the_simulator_is_confirmed(config: Config, store: Store) -> None:
    token = TokenService(store, config).issue("C", Priority.SENIOR, "hi")
    result = PrintService(store, config).print_token(token, "hi")
    assert result.state == "confirmed" and result.bytes_sent < 12 * 1024
    rows = PrintService(store, config).jobs_for("token", token.id)
    assert [r["state"] for r in rows] == ["confirmed"]
    assert (config.print_dir / "job-0001.bin").stat().st_size == result.bytes_sent
    assert (config.print_dir / "job-0001.png").exists()
    assert sim_registry.get("printer").qr_payloads == [f"TKN:{token.id}"]


def test_paper_out_fails_the_job_not_the_token_then_reprint(config: Config,
                                                            store: Store) -> None:
    token = TokenService(store, config).issue("L", Priority.GENERAL, "en")
    before = token_row(store, token)
    service = PrintService(store, config)
    sim = sim_registry.get("printer", out_dir=config.print_dir)
    sim.paper = "out"
    with pytest.raises(PrinterError) as err:
        service.print_token(token, "en")
    assert err.value.message == MSG_PAPER_OUT
    assert token_row(store, token) == before
    (row,) = service.jobs_for("token", token.id)
    assert row["state"] == "failed" and "paper-out" in str(row["reason"])
    assert sim.jobs == []

    sim.paper = "ok"  # staff loads paper; the same call reprints the same token
    result = service.print_token(token, "en")
    assert result.state == "confirmed"
    assert [r["state"] for r in service.jobs_for("token", token.id)] == ["failed", "confirmed"]
    assert token_row(store, token) == before
    assert len(sim.jobs) == 1


def test_silent_printer_is_offline(config: Config, store: Store) -> None:
    token = TokenService(store, config).issue("C")
    sim_registry.get("printer").silent = True
    with pytest.raises(PrinterError) as err:
        PrintService(store, config, status_timeout=0.05).print_token(token, "hi")
    assert err.value.message == MSG_OFFLINE


def test_print_from_worker_threads(config: Config, store: Store) -> None:
    tokens = [TokenService(store, config).issue("T") for _ in range(3)]
    service = PrintService(store, config)  # created on the main thread, like the UI does
    errors: list[BaseException] = []

    def work(t: Token) -> None:
        try:
            service.print_token(t, "hi")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,), name=f"print-{i}")
               for i, t in enumerate(tokens)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not errors
    assert len(sim_registry.get("printer").jobs) == 3
    for t in tokens:
        assert [r["state"] for r in service.jobs_for("token", t.id)] == ["confirmed"]


def test_print_over_a_pseudo_terminal(config: Config, store: Store, tmp_path: Path) -> None:
    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim, tmp_path / "pty-jobs").start()
    path, stop = printer_sim.address, printer_sim.stop
    try:
        def opener(_url: str) -> Transport:
            return open_transport(path, baudrate=115200)

        token = TokenService(store, config).issue("A", Priority.DIVYANG, "hi")
        service = PrintService(store, config, printer_opener=opener)
        result = service.print_token(token, "hi")
        assert result.state == "confirmed"
        sim.cover_open = True
        with pytest.raises(PrinterError):
            service.print_token(token, "hi")
    finally:
        stop()
    assert sim.qr_payloads == [f"TKN:{token.id}"]
    assert sim.jobs[0].data == (tmp_path / "pty-jobs" / "job-0001.bin").read_bytes()


def test_write_only_link_is_sent_not_confirmed(config: Config, store: Store,
                                               tmp_path: Path) -> None:
    target = tmp_path / "spool.bin"
    token = TokenService(store, config).issue("R")
    service = PrintService(store, config,
                           printer_opener=lambda _u: open_transport(f"file://{target}"))
    result = service.print_token(token, "en")
    assert result.state == "sent" and target.stat().st_size == result.bytes_sent
