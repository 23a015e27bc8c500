"""Fixtures for the reference backend's own suite: a real server on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reference_backend import ReferenceBackend


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[ReferenceBackend]:
    be = ReferenceBackend(tmp_path / "backend" / "reference.sqlite3", seed=11).start()
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
