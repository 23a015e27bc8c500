"""`kiosk backend --db postgresql://...`: a district's backend from the command line."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from backend_client.client import BackendClient
from kiosk.cli import main
from reference_backend.db import BackendDB
from reference_backend.store import with_database
from tests.backend.pg_helpers import fresh_database

ROOT = Path(__file__).resolve().parents[2]


def test_kiosk_backend_serves_from_postgresql() -> None:
    with fresh_database() as url:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "backend", "--port", "0", "--db", url,
             "--enrolment-code", "district-code-1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith("reference backend listening on http://"), first
            assert proc.stdout.readline().strip() == f"database: {url}"
            with BackendClient(first.rsplit(" ", 1)[1].strip(), retries=0) as c:
                c.set_credential(c.register("K-PG", "MP", "district-code-1").token)
                assert c.get_reference("catalogue") is not None
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for f in (proc.stdout, proc.stderr):
                if f:
                    f.close()
        db = BackendDB(url)
        try:
            assert [k["kiosk_id"] for k in db.kiosks()] == ["K-PG"]
        finally:
            db.close()


def test_an_unreachable_database_is_said_plainly_in_both_languages(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with fresh_database() as url:
        missing = with_database(url, "no_such_database")
    assert main(["backend", "--port", "0", "--data-dir", str(tmp_path), "--db",
                 missing]) == 1
    err = capsys.readouterr().err
    assert "बैकएंड का डेटाबेस नहीं खुल सका" in err and "could not be opened" in err
    assert "no_such_database" in err and "Traceback" not in err
