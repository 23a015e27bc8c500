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


def _printer_config(tmp_path: Path, url: str, baudrate: int | None) -> Config:
    """The built-in configuration with ``[devices.printer]`` read from a real TOML file."""
    from kiosk.config import load_config

    path = tmp_path / "printer.toml"
    lines = ["[devices.printer]", f'url = "{url}"']
    if baudrate is not None:
        lines.append(f"baudrate = {baudrate}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = load_config(path, data_dir=tmp_path / "data", environ={})
    assert cfg.problems == []  # ``baudrate`` is a key of the printer's section
    return cfg


@pytest.mark.parametrize(("query", "configured", "line"), [
    ("", 9600, 9600),                    # the config key alone sets the line speed
    ("?baudrate=19200", 9600, 19200),    # the URL wins, as when the port is opened
    ("", None, 115200),                  # neither: the default
])
def test_after_print_wait_follows_the_line_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 query: str, configured: int | None,
                                                 line: int) -> None:
    """A slip at 9600 baud takes ~8x longer on the wire than at 115200: the after-print check
    must wait for the line the printer is really on, or a busy printer reads as silent."""
    import kiosk.printing.print_jobs as print_jobs
    from kiosk.devices.escpos_driver import EscposPrinter
    from kiosk.devices.links import SerialTransport

    sim = EscposPrinterSim()
    printer_sim = PrinterPtySim(sim, tmp_path / "pty-jobs").start()
    seen: list[tuple[int, int, float]] = []  # (port speed, driver speed, after-print wait)

    class Recording(EscposPrinter):
        def status(self, timeout: float | None = None):  # type: ignore[no-untyped-def]
            if timeout is not None:  # only the after-print check passes its own wait
                assert isinstance(self.transport, SerialTransport)
                seen.append((self.transport.port.baudrate, self.baudrate, timeout))
            return super().status(timeout)

    monkeypatch.setattr(print_jobs, "EscposPrinter", Recording)
    try:
        cfg = _printer_config(tmp_path, printer_sim.address + query, configured)
        assert cfg.printer.line_baudrate == line
        with Store(cfg.db_path) as store:
            token = TokenService(store, cfg).issue("C", Priority.GENERAL, "hi")
            result = PrintService(store, cfg).print_token(token, "hi")
    finally:
        printer_sim.stop()
    assert result.state == "confirmed"
    ((port_speed, driver_speed, wait),) = seen
    assert port_speed == driver_speed == line
    wire = result.bytes_sent * 10 / line
    assert wait >= wire * 1.5  # the slip's time on this line, with its margin
