"""``kiosk doctor``: the default (simulated) kiosk is healthy; a missing device gives exit 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_doctor_json_on_the_default_configuration(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor", "--json", "--test-page", "--data-dir", str(tmp_path / "data")])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["ok"] is True
    names = [d["name"] for d in report["devices"]]
    assert names == ["printer", "fingerprint", "card_reader", "scanner", "rdservice"]
    assert all(d["state"] == "online" and d["self_test"]["ok"] for d in report["devices"])
    assert report["test_page"]["printed"] and report["test_page"]["state"] == "confirmed"
    journal = report["print_journal"]
    assert journal[0]["doc_kind"] == "test_page" and journal[0]["state"] == "confirmed"
    assert isinstance(report["serial_ports"], list) and isinstance(report["usb_devices"], list)
    assert (tmp_path / "data" / "printer").is_dir()  # the simulated page was saved
    # The run is one device.self_test entry in the kiosk's own audit trail.
    from kiosk.centre import audit
    from kiosk.store import Store

    with Store(tmp_path / "data" / "kiosk.sqlite3") as store:
        (entry,) = audit.entries(store.conn)
        assert audit.verify(store.conn).ok
    assert (entry.action, entry.operator_id) == ("device.self_test", "technician")
    assert entry.detail == {"via": "doctor", "passed": sorted(names), "failed": [],
                            "test_page": True}


def test_doctor_prints_paper_only_when_asked(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 16: a doctor run printed a test page every time; now only with --test-page."""
    main(["doctor", "--json", "--data-dir", str(tmp_path / "data")])
    report = json.loads(capsys.readouterr().out)
    assert not report["test_page"].get("printed")
    assert not any(j["doc_kind"] == "test_page" for j in report["print_journal"])


def test_a_busy_port_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["backend", "--port", str(port), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "--port" in err and "पोर्ट" in err


def test_doctor_text_reports_a_missing_device_with_exit_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[devices.fingerprint]\nurl = "{tmp_path}/ttyUSB7"\n'
                   '[devices.scanner]\nenabled = false\n')
    code = main(["doctor", "--no-test-page", "--config", str(cfg),
                 "--data-dir", str(tmp_path / "data")])
    out = capsys.readouterr().out
    assert code == 3
    line = next(ln for ln in out.splitlines() if ln.startswith("fingerprint "))
    assert "no_device" in line and "ttyUSB7" in line
    assert next(ln for ln in out.splitlines() if ln.startswith("scanner ")).split()[3] \
        == "disabled"
    assert "[FAIL] fingerprint" in out and "test page not printed" in out
    assert "Serial ports (" in out and "Print journal" in out


def test_doctor_console_script_runs_headless(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "DISPLAY"))}
    env.pop("QT_QPA_PLATFORM", None)  # the command must cope without it on a headless box
    proc = subprocess.run([sys.executable, "-m", "kiosk.cli", "doctor", "--json",
                           "--data-dir", str(tmp_path / "data")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] is True


def test_doctor_names_a_plain_http_backend_that_sync_would_refuse(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[backend]\nurl = "http://10.20.30.40:8080"\ntoken = "kt_x"\n')
    main(["doctor", "--json", "--no-test-page", "--config", str(cfg),
          "--data-dir", str(tmp_path / "data")])
    problems = json.loads(capsys.readouterr().out)["config_problems"]
    assert any("[backend] url" in p and "https://" in p for p in problems), problems
    cfg.write_text('[backend]\nurl = "https://10.20.30.40:8443"\ntoken = "kt_x"\n')
    main(["doctor", "--json", "--no-test-page", "--config", str(cfg),
          "--data-dir", str(tmp_path / "data")])
    problems = json.loads(capsys.readouterr().out)["config_problems"]
    assert not any("[backend] url" in p for p in problems), problems
