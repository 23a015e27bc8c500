"""Fixtures for the reference backend's own suite: a real server on a loopback port.

Every test here runs against both HTTP layers over the one contract — the in-process test
server (``server.py``, ThreadingHTTPServer) and the production one (``asgi_app.py`` on uvicorn,
as ``kiosk backend`` serves it; here in a thread) — and over each store: the embedded SQLite
file and PostgreSQL (a fresh database per test, see pg_helpers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reference_backend import ReferenceBackend
from reference_backend.asgi_app import Limits
from reference_backend.workers import AsgiBackend
from tests.backend.pg_helpers import fresh_database

STORES = ("sqlite", "postgresql")
SERVERS = {"test-server": ReferenceBackend, "production": AsgiBackend}


@pytest.fixture(params=STORES)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's backend keeps its rows: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "backend" / "reference.sqlite3")
        return
    with fresh_database() as url:
        yield url


@pytest.fixture(params=list(SERVERS))
def backend(request: pytest.FixtureRequest, store_location: str) -> Iterator[ReferenceBackend]:
    server = SERVERS[request.param]
    # A module about the store's own concurrency (test_store_concurrency) wants every sender
    # admitted at once, not shed by the production server's write gate.
    inflight = getattr(request.module, "MAX_INFLIGHT_WRITES", None)
    if server is AsgiBackend and inflight:
        be: ReferenceBackend = AsgiBackend(store_location, seed=11,
                                           limits=Limits(max_inflight_writes=inflight)).start()
    else:
        be = server(store_location, seed=11).start()
    assert be.db.dialect == ("postgresql" if "://" in store_location else "sqlite")
    try:
        yield be
    finally:
        be.close()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    s = requests.Session()
    try:
        yield s
    finally:
        s.close()
