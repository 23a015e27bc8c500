"""The queue rules as pure functions: order, the 2:1 interleave, windows, recall, waits."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.centre import rules
from kiosk.centre.rules import QueueRules, QueueToken

IST = ZoneInfo("Asia/Kolkata")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=IST)
RULES = QueueRules()


def tok(n: int, *, group: str = "C", prio: bool = False, minute: float | None = None,
        **kw: object) -> QueueToken:
    at = T0 + timedelta(minutes=n if minute is None else minute)
    return QueueToken(id=f"{group}{n}", group=group, seq=n, priority=prio, issued_at=at,
                      **kw)  # type: ignore[arg-type]


def drain(tokens: list[QueueToken], groups: list[str], counter: str = "1") -> list[str]:
    """Call everybody, one by one, as a counter would; the called ids in order."""
    waiting = list(tokens)
    streaks: dict[str, int] = {}
    order = []
    while (pick := rules.pick_next(waiting, counter, groups, streaks, RULES)) is not None:
        order.append(pick.id)
        waiting.remove(pick)
        if pick.target_counter is None:
            streaks[pick.group] = rules.next_streak(streaks.get(pick.group, 0), pick.priority)
    return order


def test_issue_order_within_a_group_and_priority_first() -> None:
    tokens = [tok(1), tok(2), tok(3, prio=True)]
    assert drain(tokens, ["C"]) == ["C3", "C1", "C2"]


def test_two_priority_calls_per_general_while_general_waits_nobody_starves() -> None:
    general = [tok(i) for i in range(1, 4)]                 # issued first
    prio = [tok(i, prio=True) for i in range(10, 20)]      # ten priority tokens after them
    order = drain(general + prio, ["C"])
    # P P G P P G P P G, then the remaining priority tokens.
    kinds = ["P" if i.startswith("C1") and len(i) == 3 else "G" for i in order]
    assert kinds[:9] == ["P", "P", "G"] * 3
    assert order.index("C3") == 8  # the last general token waited at most 2 per general
    # Never more than two priority calls in a row while a general token waited.
    waiting_general = 3
    streak = 0
    for kind in kinds:
        if kind == "G":
            waiting_general -= 1
            streak = 0
        else:
            streak += 1
            assert waiting_general == 0 or streak <= 2


def test_the_ratio_is_configurable() -> None:
    tokens = [tok(1), tok(2)] + [tok(i, prio=True) for i in range(10, 14)]
    one_to_one = QueueRules(priority_per_general=1)
    waiting, streaks, kinds = list(tokens), {}, []
    while (p := rules.pick_next(waiting, "1", ["C"], streaks, one_to_one)) is not None:
        waiting.remove(p)
        streaks["C"] = rules.next_streak(streaks.get("C", 0), p.priority)
        kinds.append("P" if p.priority else "G")
    assert kinds == ["P", "G", "P", "G", "P", "P"]


def test_a_counter_takes_the_oldest_eligible_across_its_groups_only() -> None:
    tokens = [tok(1, group="A", minute=5), tok(2, group="C", minute=1),
              tok(3, group="L", minute=0)]
    assert drain(tokens, ["C", "A"]) == ["C2", "A1"]        # L is not this counter's
    assert drain(tokens, ["L"]) == ["L3"]


def test_targeted_token_goes_to_its_counter_first_and_only_there() -> None:
    tokens = [tok(1), tok(2, target_counter="3", minute=9)]
    assert drain(tokens, ["C"], counter="1") == ["C1"]
    assert drain(tokens, ["C"], counter="3") == ["C2", "C1"]


def test_transferred_token_keeps_its_original_issue_time() -> None:
    # A-token issued at 10:00 transferred into group C: it goes before C tokens issued later.
    moved = tok(1, group="C", minute=0)
    later = [tok(i, minute=i * 2) for i in range(2, 5)]
    assert drain(later + [moved], ["C"])[0] == "C1"


def test_people_ahead_matches_the_call_order() -> None:
    tokens = [tok(1), tok(2), tok(10, prio=True), tok(11, prio=True), tok(12, prio=True)]
    order = drain(tokens, ["C"])
    for t in tokens:
        assert rules.people_ahead(tokens, t, 0, RULES) == order.index(t.id)
    # With two priority calls already made in a row, a general token is next.
    assert rules.people_ahead(tokens, tokens[0], 2, RULES) == 0


def test_samadhan_window() -> None:
    r = QueueRules(samadhan_window=(time(9, 30), time(13, 30)))
    day = datetime(2026, 12, 1, tzinfo=IST)
    assert not rules.group_accepts("S", day.replace(hour=9, minute=29), r)
    assert rules.group_accepts("S", day.replace(hour=9, minute=30), r)
    assert rules.group_accepts("S", day.replace(hour=13, minute=29), r)
    assert not rules.group_accepts("S", day.replace(hour=13, minute=30), r)
    assert rules.group_accepts("C", day.replace(hour=17), r)


def test_recall_limit_then_no_show_then_requeue_window() -> None:
    called = tok(1, state=rules.CALLED)
    assert rules.can_recall(called, RULES) and not rules.can_no_show(called, RULES)
    twice = tok(1, state=rules.CALLED, recalls=2)
    assert not rules.can_recall(twice, RULES) and rules.can_no_show(twice, RULES)
    gone = tok(1, state=rules.NO_SHOW, no_show_at=T0)
    assert rules.can_requeue(gone, T0 + timedelta(minutes=10), RULES)
    assert not rules.can_requeue(gone, T0 + timedelta(minutes=10, seconds=1), RULES)
    assert not rules.can_requeue(tok(1), T0, RULES)  # waiting: nothing to requeue


def test_requeued_no_show_returns_at_its_original_position() -> None:
    back = tok(1)                      # issued first; its state is waiting again
    others = [tok(i) for i in range(2, 5)]
    assert drain(others + [back], ["C"])[0] == "C1"


def test_median_service_time_is_seeded_and_rolls() -> None:
    assert rules.median_service_minutes([], 6.0) == 6.0
    assert rules.median_service_minutes([2.0, 2.0, 2.0], 6.0) == 2.0
    many = [10.0] * 40 + [1.0] * 29
    assert rules.median_service_minutes(many, 6.0) == 1.0  # only the last 29 + the seed


@pytest.mark.parametrize(("ahead", "median", "counters", "expected"), [
    (0, 6.0, 1, (0, 5)), (2, 6.0, 1, (10, 15)), (4, 6.0, 2, (10, 15)), (10, 8.0, 1, (80, 85)),
    (3, 6.0, 0, None)])
def test_wait_range(ahead: int, median: float, counters: int,
                    expected: tuple[int, int] | None) -> None:
    assert rules.wait_range(ahead, median, counters) == expected


@given(st.lists(st.booleans(), max_size=40), st.integers(0, 4), st.integers(1, 4))
@settings(max_examples=300, deadline=None)
def test_counting_people_ahead_agrees_with_walking_the_queue(kinds: list[bool], streak: int,
                                                            ratio: int) -> None:
    r = QueueRules(priority_per_general=ratio)
    tokens = [tok(i, prio=p) for i, p in enumerate(kinds)]
    queue = rules.split_groups(tokens)["C"] if tokens else rules.GroupQueue()
    order = [t.id for t in rules.group_order(queue, streak, r)]
    pw, gw = sum(kinds), len(kinds) - sum(kinds)
    for t in tokens:
        older = [o for o in tokens if o.order_key < t.order_key]
        counted = rules.ahead_from_counts(
            priority=t.priority, older_priority=sum(o.priority for o in older),
            older_general=sum(not o.priority for o in older), priority_waiting=pw,
            general_waiting=gw, streak=streak, rules=r)
        assert counted == order.index(t.id), (t.id, kinds, streak, ratio)
