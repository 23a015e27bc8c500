"""Fixtures for the reference backend's own suite: a real server on a loopback port.

Every test here runs against both HTTP layers over the one contract: the in-process test
server (``server.py``, ThreadingHTTPServer) and the production one (``asgi_app.py`` on
uvicorn, as ``kiosk backend`` serves it; here in a thread).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reference_backend import ReferenceBackend
from reference_backend.workers import AsgiBackend

SERVERS = {"test-server": ReferenceBackend, "production": AsgiBackend}


@pytest.fixture(params=list(SERVERS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReferenceBackend]:
    be = SERVERS[request.param](tmp_path / "backend" / "reference.sqlite3", seed=11).start()
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
