"""`kiosk backend --db postgresql://...`: a district's backend from the command line."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from backend_client.client import BackendClient
from kiosk.cli import main
from reference_backend.db import BackendDB
from reference_backend.store import with_database
from tests.backend.pg_helpers import fresh_database
from tests.procs import reap

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
            reap(proc)
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


def test_more_workers_than_the_server_has_connections_for_are_refused_at_start(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """5 workers x a pool of 60 = 300 connections on a server with max_connections = 300
    (3 kept for superusers): each pool grows only under load, so without the check the
    workers would start and then fail at random in the busiest hour."""
    monkeypatch.setenv("SEVA_BACKEND_POOL_SIZE", "60")
    with fresh_database() as url:
        assert main(["backend", "--port", "0", "--data-dir", str(tmp_path), "--db", url,
                     "--workers", "5"]) == 1
    out, err = capsys.readouterr()
    assert "listening" not in out  # refused before the socket is bound or a worker runs
    assert "5 workers with 60 database connections each need 300 PostgreSQL connections" in err
    assert "only 297 free (max_connections = 300, 3 kept for administrators" in err
    assert "SEVA_BACKEND_POOL_SIZE" in err and "--workers" in err and "postgresql.conf" in err
    assert "5 वर्कर, हर एक के 60 डेटाबेस कनेक्शन: कुल 300 PostgreSQL कनेक्शन चाहिए" in err
    assert "Traceback" not in err


def test_connections_other_programs_hold_count_against_the_workers() -> None:
    import psycopg

    from reference_backend.workers import connection_plan

    with fresh_database() as url:
        free = connection_plan(url, 4, 55)
        assert free is not None and free.room.max_connections == 300
        # The asker is not counted (a connection closed just before may still be ending).
        assert free.room.reserved == 3 and free.room.in_use <= 1
        assert free.fits and not free.close  # 220 of 297
        roomy = connection_plan(url, 5, 55)
        assert roomy is not None and roomy.fits and roomy.close  # 275 of 297: over 80 %
        others = [psycopg.connect(url) for _ in range(40)]  # psql sessions, another service
        try:
            busy = connection_plan(url, 5, 55)
            near = connection_plan(url, 4, 55)
        finally:
            for conn in others:
                conn.close()
    assert busy is not None and 40 <= busy.room.in_use <= 41
    assert busy.room.available == 297 - busy.room.in_use
    assert not busy.fits  # 275 > 257
    assert near is not None and near.fits and near.close  # 220 of 257: over 80 %
    assert connection_plan(Path("/tmp/x.sqlite3"), 64, 16) is None  # a file has no limit


def test_a_plan_close_to_the_limit_is_warned_about_and_the_server_still_starts() -> None:
    import os

    with fresh_database() as url:
        env = dict(os.environ, SEVA_BACKEND_POOL_SIZE="250")
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "backend", "--port", "0", "--db", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT), env=env)
        try:
            assert proc.stdout is not None and proc.stderr is not None
            first = proc.stdout.readline()
            assert first.startswith("reference backend listening on http://"), first
            base = first.rsplit(" ", 1)[1].strip()
            with requests.Session() as http:  # serving (and its SIGTERM handler set up)
                assert http.get(f"{base}/v1/ready", timeout=10).status_code == 200
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=15) == 0
            err = proc.stderr.read()
        finally:
            reap(proc)
    assert "Warning: 1 workers with 250 database connections each can take 250 of the 297 " \
           "free PostgreSQL connections" in err
    assert "चेतावनी: 1 वर्कर" in err and "Traceback" not in err
