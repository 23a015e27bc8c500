"""Fixtures for the applications core: a store, a fixed clock, valid answers per service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.application_cli import template
from kiosk.applications import ApplicationService
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.store import Store

IST = ZoneInfo("Asia/Kolkata")
#: Monday 23 November 2026, 15:20 — after the same-day window; Tuesday is Guru Nanak Jayanti.
MONDAY_AFTERNOON = datetime(2026, 11, 23, 15, 20, tzinfo=IST)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "kiosk.sqlite3") as s:
        yield s


@pytest.fixture
def clock() -> list[datetime]:
    """Mutable "now": tests move time by replacing element 0."""
    return [MONDAY_AFTERNOON]


@pytest.fixture
def apps(store: Store, config: Config, clock: list[datetime]) -> ApplicationService:
    return ApplicationService(store, config, catalogue=packaged_catalogue,
                              clock=lambda: clock[0])


@pytest.fixture
def answers() -> Callable[[str], dict[str, Any]]:
    """Valid answers for a service code (the CLI template's, which must itself be valid)."""
    def make(code: str) -> dict[str, Any]:
        cat = packaged_catalogue()
        svc = cat.get(code)
        assert svc is not None
        return dict(template(cat, svc, MONDAY_AFTERNOON.date(), "hi")["answers"])
    return make
