"""`kiosk sync status|once` and `kiosk backend`, as scripts and technicians use them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from backend_client.client import BackendClient
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.queue import TokenService
from kiosk.store import Store
from kiosk.sync import outbox
from tests.procs import reap


def test_sync_status_and_once_with_the_embedded_backend(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    data = str(tmp_path / "data")
    cfg = load_config(data_dir=data, environ={})
    with Store(cfg.db_path) as store:
        for _ in range(3):
            TokenService(store, cfg).issue("C")
    assert main(["sync", "status", "--json", "--data-dir", data]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["waiting"] == 3 and st["outbox_depth"] == {"token.issued": 3}
    assert st["online"] is None and st["parked"] == []

    assert main(["sync", "once", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "online:        yes" in out and "delivered 3" in out

    with Store(cfg.db_path) as store, store.transaction() as conn:
        outbox.enqueue(conn, "not.in.contract", "r-1", {})
    assert main(["sync", "once", "--json", "--data-dir", data]) == 1  # parked → non-zero
    st = json.loads(capsys.readouterr().out)
    assert [p["code"] for p in st["parked"]] == ["unknown-kind"] and st["delivered"] == 3


def test_kiosk_backend_serves_until_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "backend", "--port", "0", "--data-dir",
         str(tmp_path), "--enrolment-code", "centre-code-1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=str(Path(__file__).resolve().parents[2]))
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("reference backend listening on http://127.0.0.1:"), first
        url = first.rsplit(" ", 1)[1].strip()
        with BackendClient(url, retries=0) as c:
            c.health()
            cred = c.register("K-CLI", "MP", "centre-code-1")
            c.set_credential(cred.token)
            assert c.get_reference("catalogue") is not None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert (tmp_path / "backend" / "reference.sqlite3").exists()
    finally:
        reap(proc)
