"""The counter console's wording rules and the ``kiosk run --mode`` flags (no Qt window)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.centre.errors import NotAllowedError, refusal
from kiosk.i18n import N_
from kiosk.ui.counter.texts import (
    clock,
    priority_text,
    problem_text,
    seconds_between,
    wait_range_text,
)


def test_clock_reads_like_a_stopwatch() -> None:
    assert clock(None) == "—"
    assert clock(0) == "0:00"
    assert clock(65) == "1:05"
    assert clock(3725) == "1:02:05"
    assert clock(-3) == "0:00"


def test_seconds_between_iso_times() -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert seconds_between(start.isoformat(), (start + timedelta(minutes=3)).isoformat()) == 180
    assert seconds_between(None) is None
    assert seconds_between("not a time") is None


def test_wait_range_and_priority_in_both_languages() -> None:
    assert wait_range_text(10, 15, "en") == "10–15 min"
    assert wait_range_text(10, 15, "hi") == "10–15 मिनट"
    assert wait_range_text(None, None, "hi") == "—"  # no counter open for the group
    assert priority_text("senior", "en") == "Senior citizen (60+)"
    assert priority_text("unknown-kind", "en") == "unknown-kind"


def test_problem_text_keeps_the_centres_own_sentences() -> None:
    exc = refusal(NotAllowedError, "counter 1 is on a break",
                  N_("Counter {counter} is on a break. Resume first."), counter="1")
    text = problem_text(exc, "test", logging.getLogger("test"))
    assert text["en"] == "Counter 1 is on a break. Resume first."
    assert text["hi"] != text["en"] and "1" in text["hi"]
    generic = problem_text(RuntimeError("boom"), "test", logging.getLogger("test"))
    assert "boom" not in generic["en"]  # no technical detail on screen


@pytest.mark.parametrize("argv", [["run", "--mode", "counter"],
                                  ["run", "--mode", "counter", "--counter", "x"]])
def test_run_modes_refuse_bilingually(argv: list[str], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*argv, "--data-dir", str(tmp_path)]) == cli.EXIT_INVALID
    hindi, english = capsys.readouterr().err.strip().splitlines()[-2:]
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi)
    assert english.isascii() and english
