"""The board's rules without a window: folding events, hours, the Samadhan line, wording."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.ui.board import wording as W  # noqa: N812
from kiosk.ui.board.state import BoardState
from kiosk.working_days import WorkingCalendar

IST = ZoneInfo("Asia/Kolkata")
CAL = WorkingCalendar(subdiv="MP")


def _call(event_id: int, number: str, counter: str, recall: bool = False) -> dict[str, object]:
    return {"id": event_id, "type": "token.recalled" if recall else "token.called",
            "at": "2026-12-01T11:00:00+05:30",
            "token": {"id": f"id-{number}", "number": number, "group": number[0],
                      "state": "called", "counter": counter},
            "counter": {"counter": counter, "state": "open",
                        "token": {"id": f"id-{number}", "number": number}}}


def test_calls_are_newest_first_and_a_recall_moves_up_without_a_duplicate() -> None:
    state = BoardState(history=3)
    for i, (number, counter) in enumerate([("C-001", "1"), ("C-002", "2"), ("A-001", "3")], 1):
        assert state.apply_event(_call(i, number, counter)) is not None
    recall = state.apply_event(_call(4, "C-001", "1", recall=True))
    assert recall is not None and recall.recall
    assert [(c.number, c.recall) for c in state.calls] == [
        ("C-001", True), ("A-001", False), ("C-002", False)]
    for i in range(5, 10):
        state.apply_event(_call(i, f"L-00{i}", "4"))
    assert len(state.calls) == 4  # the latest and three earlier


def test_an_event_already_applied_is_ignored_and_a_stale_snapshot_keeps_newer_counts() -> None:
    state = BoardState()
    state.apply_board({"snapshot": {"last_event_id": 5, "groups": [], "counters": [],
                                    "waiting": [{"id": "t1", "group": "C"},
                                                {"id": "t2", "group": "C"}]}, "calls": []})
    assert state.apply_event(_call(5, "C-009", "1")) is None  # already in the snapshot
    state.apply_event({"id": 6, "type": "token.called", "token": {
        "id": "t1", "number": "C-001", "group": "C", "state": "called"},
        "counter": {"counter": "1", "state": "open"}})
    assert state.waiting_in("C") == 1
    stale = {"last_event_id": 5, "counters": [], "waiting": [{"id": "t1", "group": "C"},
                                                            {"id": "t2", "group": "C"}],
             "groups": [{"group": "C", "wait_min": 5, "wait_max": 10}]}
    assert not state.apply_snapshot(stale)
    assert state.waiting_in("C") == 1  # the call is not taken back
    assert state.groups["C"]["wait_max"] == 10  # but the estimate is taken


def test_a_re_read_that_overtakes_the_stream_does_not_swallow_its_calls() -> None:
    state = BoardState()
    state.apply_board({"snapshot": {"last_event_id": 11}, "calls": []})
    newer = {"last_event_id": 13, "groups": [], "waiting": [],
             "counters": [{"counter": "2", "state": "open", "token": {"number": "C-002"}}]}
    assert state.apply_snapshot(newer)
    call = state.apply_event(_call(12, "C-002", "2"))
    assert call is not None and call.number == "C-002"  # still shown and announced
    assert state.apply_event(_call(12, "C-002", "2")) is None  # but only once


def test_a_token_that_leaves_a_counter_is_no_longer_shown_there() -> None:
    state = BoardState()
    state.apply_event(_call(1, "C-001", "1"))
    assert state.counters["1"]["token"]["number"] == "C-001"
    state.apply_event({"id": 2, "type": "token.served", "token": {
        "id": "id-C-001", "number": "C-001", "state": "served", "counter": "1"}})
    assert state.counters["1"]["token"] is None


def test_hindi_clock_names_the_part_of_the_day() -> None:
    from datetime import time

    assert W.clock(time(13, 30), "hi") == "दोपहर 1:30 बजे"
    assert W.clock(time(9, 30), "hi") == "सुबह 9:30 बजे"
    assert W.clock(time(17, 0), "hi") == "शाम 5 बजे"
    assert W.clock(time(13, 30), "en") == "1:30 pm"


def test_samadhan_line_before_during_and_after_its_window() -> None:
    window = W.samadhan_window("09:30-13:30")
    during, open_ = W.samadhan_text(datetime(2026, 12, 1, 11, 5, tzinfo=IST), window, CAL)
    assert open_ and "आज के आवेदन दोपहर 1:30 बजे तक" in during["hi"]
    assert "until 1:30 pm" in during["en"]
    before, open_ = W.samadhan_text(datetime(2026, 12, 1, 9, 0, tzinfo=IST), window, CAL)
    assert open_ and "सुबह 9:30 बजे से दोपहर 1:30 बजे तक" in before["hi"]
    after, open_ = W.samadhan_text(datetime(2026, 12, 1, 13, 31, tzinfo=IST), window, CAL)
    assert not open_ and "बंद" in after["hi"] and "closed for today" in after["en"]


def test_closed_hours_and_the_next_opening() -> None:
    hours = W.hours_window("09:30-17:30")
    evening = datetime(2026, 12, 1, 19, 40, tzinfo=IST)  # a Tuesday
    assert not W.is_open(evening, hours, CAL)
    assert W.is_open(datetime(2026, 12, 1, 11, 0, tzinfo=IST), hours, CAL)
    text = W.opens_text(evening, W.next_opening(evening, hours, CAL))
    assert text == {"hi": "कल सुबह 9:30 बजे खुलेगा", "en": "Opens tomorrow at 9:30 am"}
    friday = datetime(2026, 12, 4, 18, 0, tzinfo=IST)
    monday = W.next_opening(friday, hours, CAL)
    assert monday.date().isoformat() == "2026-12-07"
    words = W.opens_text(friday, monday)
    assert "सोमवार" in words["hi"] and "Monday" in words["en"]
    early = datetime(2026, 12, 1, 8, 0, tzinfo=IST)
    assert W.opens_text(early, W.next_opening(early, hours, CAL))["en"] == \
        "Opens today at 9:30 am"


def test_wait_text_and_counter_names_in_both_languages() -> None:
    assert W.wait_text(10, 15) == {"hi": "लगभग 10–15 मिनट", "en": "about 10–15 min"}
    assert W.wait_text(None, None) == {"hi": "—", "en": "—"}
    assert W.counter_name("3", {}) == {"hi": "काउंटर 3", "en": "Counter 3"}
    assert W.counter_name("3", {"3": {"hi": "खिड़की 3", "en": "Window 3"}})["hi"] == "खिड़की 3"


def test_bad_board_configuration_is_named_and_keeps_defaults(tmp_path: object) -> None:
    from kiosk.config import load_config

    config = load_config(data_dir=str(tmp_path), environ={
        "KIOSK_BOARD__HOURS": "late", "KIOSK_BOARD__HISTORY": "40"})
    assert config.board["hours"] == "09:30-17:30" and config.board["history"] == 6
    assert any("board.hours" in p for p in config.problems)
    assert any("board.history" in p for p in config.problems)
