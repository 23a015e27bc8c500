"""`kiosk certificate print`: an issued certificate is fetched, its signature checked against
the pinned keys, and printed with its verification QR; nothing is printed without trust."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backend_client import Application, ReferenceDocument
from backend_client.client import BackendClient
from kiosk.certificate_cli import print_command
from kiosk.config import Config, load_config
from kiosk.devices.sim import sim_registry
from kiosk.errors import BackendError, ValidationError
from kiosk.qt_runtime import ensure_gui_app
from kiosk.store import Store
from kiosk.sync.reference import apply_document
from reference_backend import ReferenceBackend
from reference_backend.data import ISSUER_KEYS

APP_NO = "MP-BPL-HZR-20261123-0001-F"


def _config(tmp_path: Path, backend: ReferenceBackend) -> Config:
    token = backend.issue_credential("K-PRINT", "MP-BPL-HZR")
    return load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_BACKEND__URL": backend.url, "KIOSK_BACKEND__TOKEN": token})


def _issue(backend: ReferenceBackend) -> str:
    token = backend.issue_credential("K-APP", "MP-BPL-HZR")
    with BackendClient(backend.url, token, retries=0) as c:
        c.submit_application(Application(APP_NO, "INC", "MP-BPL-HZR",
                                          "2026-11-23T10:00:00+05:30",
                                          {"name": "Sunita Devi", "aadhaar_last4": "0124"},
                                          fields={"annual_income": 84000}), f"app:{APP_NO}")
    return backend.issue_certificate(APP_NO, {"income": "84000"})


def test_issued_certificate_prints_with_its_qr(tmp_path: Path,
                                               backend: ReferenceBackend) -> None:
    ensure_gui_app()
    config = _config(tmp_path, backend)
    number = _issue(backend)
    with Store(config.db_path) as store:
        apply_document(store, ReferenceDocument("issuer-keys", "1", None, ISSUER_KEYS))
        result = print_command(number, store, config, "hi")
    assert result == {"certificate_no": number, "printed": True, "status": "valid",
                      "holder": "Sunita Devi", "cert_type": "INC"}
    printer = sim_registry.get("printer")
    qr = printer.qr_payloads
    assert len(qr) == 1 and qr[0].startswith("https://verify.lsk.mp.gov.in/c#SC1.")
    assert any(number in line for job in printer.jobs for line in job.text_lines)


def test_without_pinned_keys_nothing_is_printed(tmp_path: Path,
                                                backend: ReferenceBackend) -> None:
    config = _config(tmp_path, backend)
    number = _issue(backend)
    with Store(config.db_path) as store, pytest.raises(ValidationError):
        print_command(number, store, config, "en")
    assert sim_registry.get("printer").jobs == []
    with sqlite3.connect(config.db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM print_jobs").fetchone()[0] == 0


def test_no_backend_configured_is_a_clear_error(tmp_path: Path, config: Config) -> None:
    with Store(config.db_path) as store, pytest.raises(BackendError) as info:
        print_command("INC-2026-000001", store, config, "hi")
    assert "cannot be fetched" in info.value.user_message("en")
