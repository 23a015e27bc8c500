"""Fixtures shared by the integration tests (the suite-wide ones are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.config import Config
from kiosk.store import Store


@pytest.fixture
def store(config: Config) -> Iterator[Store]:
    """The kiosk's database for ``config``, closed after the test."""
    with Store(config.db_path) as s:
        yield s
