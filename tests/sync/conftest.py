"""Fixtures for the sync suite: a real reference backend on an ephemeral loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import KIOSK_ID, KioskUnderTest

from kiosk.config import Config
from reference_backend import ReferenceBackend


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[ReferenceBackend]:
    be = ReferenceBackend(tmp_path / "backend" / "reference.sqlite3", seed=20261122).start()
    try:
        yield be
    finally:
        be.close()


@pytest.fixture
def kiosk(config: Config, backend: ReferenceBackend) -> Iterator[KioskUnderTest]:
    k = KioskUnderTest(config, backend.url, backend.issue_credential(KIOSK_ID, config.centre_code))
    try:
        yield k
    finally:
        k.close()
