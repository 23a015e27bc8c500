"""Helpers for the board tests: centre set-up, a counter desk, reading the board's items."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtQuick import QQuickItem

from kiosk.centre import operators
from kiosk.centre.client import CentreClient
from kiosk.config import Config, load_config

ENROLMENT_CODE = "board-enrol-5120"
PIN = "4826"


def centre_config(data_dir: Path, **env: str) -> Config:
    return load_config(data_dir=data_dir,
                       environ={"KIOSK_CENTRE__ENROLMENT_CODE": ENROLMENT_CODE, **env})


def add_operators(store: Any, count: int = 4) -> None:
    with store.transaction() as conn:
        operators.ensure_schema(conn)
        for i in range(1, count + 1):
            operators.add_operator(conn, operator_id=f"op{i}", name=f"Operator {i}",
                                   role="operator", pin=PIN, now=datetime.now(UTC))


class Desk:
    """Counters 1…n logged in over HTTP, as consoles would be; tokens issued as a kiosk."""

    def __init__(self, url: str, counters: int = 4) -> None:
        self.client = CentreClient(url, timeout=10.0)
        self.client.enrol(ENROLMENT_CODE, f"test-desk-{uuid.uuid4().hex[:6]}", "counter")
        self.sessions = {str(i): self.client.login(str(i), PIN, operator_id=f"op{i}")
                         ["session_token"] for i in range(1, counters + 1)}

    def issue(self, group: str = "C", n: int = 1) -> list[str]:
        return [self.client.issue(str(uuid.uuid4()), group, "general", "hi")["number"]
                for _ in range(n)]

    def act(self, counter: str, action: str) -> dict[str, Any]:
        return self.client.act(counter, action, self.sessions[counter])

    def call(self, counter: str) -> str:
        return str(self.act(counter, "call-next")["token"]["number"])

    def close(self) -> None:
        self.client.close()


def walk(item: QQuickItem) -> Iterator[QQuickItem]:
    yield item
    for child in item.childItems():
        yield from walk(child)


def find(ui: Any, name: str) -> QQuickItem | None:
    """The visible item called ``name`` in the board's window."""
    for item in walk(ui.window.contentItem()):
        if item.objectName() == name and item.isVisible():
            return item
    return None


def text(ui: Any, name: str) -> str:
    item = find(ui, name)
    return "" if item is None else str(item.property("text"))
