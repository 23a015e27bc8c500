"""The counter console shows the DEMO badge in demo mode, and only then (issue 11, finding 1)."""

from __future__ import annotations

from typing import Any

from counter_helpers import centre, counter_factory  # noqa: F401

from kiosk.documents.demo import demo_badge


def test_counter_console_demo_badge(counter_factory: Any) -> None:  # noqa: F811
    plain = counter_factory("1")
    plain.wait_for("counterTopBar")
    assert plain.find("counterDemoBadge") is None
    demo = counter_factory("2", env={"KIOSK_DEMO__ENABLED": "true"})
    demo.wait_for("counterDemoBadge")
    assert demo.text("counterDemoText") == demo_badge(True) == "डेमो — असली नहीं / DEMO — NOT REAL"
