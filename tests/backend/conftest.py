"""Fixtures for the reference backend's own suite: a real server on a loopback port, over each
store: the embedded SQLite file and PostgreSQL (a fresh database per test, see pg_helpers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reference_backend import ReferenceBackend
from tests.backend.pg_helpers import fresh_database

STORES = ("sqlite", "postgresql")


@pytest.fixture(params=STORES)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's backend keeps its rows: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "backend" / "reference.sqlite3")
        return
    with fresh_database() as url:
        yield url


@pytest.fixture
def backend(store_location: str) -> Iterator[ReferenceBackend]:
    be = ReferenceBackend(store_location, seed=11).start()
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
