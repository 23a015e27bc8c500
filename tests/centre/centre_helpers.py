"""Shared set-up for the centre tests: a settable clock, a service, operators."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.centre import operators
from kiosk.centre.db import CentreStore
from kiosk.centre.errors import CentreError
from kiosk.centre.service import CentreService
from kiosk.config import Config

IST = ZoneInfo("Asia/Kolkata")
PIN = "4826"
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


class Clock:
    """A clock the test moves by hand (the service never sleeps on it)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 12, 1, 10, 0, tzinfo=IST)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def add_operator(store: CentreStore, operator_id: str, *, pin: str = PIN,
                 role: str = "operator", card_id: str | None = None,
                 finger_slot: int | None = None) -> None:
    with store.transaction() as conn:
        operators.ensure_schema(conn)
        operators.add_operator(conn, operator_id=operator_id, name=f"Name {operator_id}",
                               role=role, pin=pin, card_id=card_id, finger_slot=finger_slot,
                               now=datetime.now(UTC))


def make_service(path: Path, config: Config, clock: Clock | None = None) -> CentreService:
    return CentreService(CentreStore(path), config, clock=clock, enrolment_code="CODE-1")


def new_id() -> str:
    return str(uuid.uuid4())


def assert_bilingual(exc: CentreError) -> None:
    """A refusal a person can read in both languages (not the same text twice)."""
    hi, en = exc.user_message("hi"), exc.user_message("en")
    assert DEVANAGARI.search(hi), hi
    assert en and not DEVANAGARI.search(en) and hi != en, (hi, en)
