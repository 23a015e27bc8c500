"""CentreService transitions on a real SQLite file: what is allowed, and every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_helpers import PIN, Clock, add_operator, assert_bilingual, make_service, new_id

from kiosk.centre import audit
from kiosk.centre.errors import (
    BadRequestError,
    ForbiddenError,
    LockedError,
    NotAllowedError,
    NotFoundError,
    UnauthorizedError,
)
from kiosk.centre.service import CentreService
from kiosk.config import Config, load_config


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def svc(tmp_path: Path, clock: Clock) -> Iterator[CentreService]:
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_COUNTERS__1__GROUPS": '["C", "A"]', "KIOSK_COUNTERS__2__GROUPS": '["C"]',
        "KIOSK_COUNTERS__3__GROUPS": '["L"]'})
    assert not config.problems, config.problems
    s = make_service(tmp_path / "centre.sqlite3", config, clock)
    for op in ("op1", "op2", "op3"):
        add_operator(s.store, op)
    try:
        yield s
    finally:
        s.store.close()


def issue(svc: CentreService, group: str = "C", priority: str = "general") -> dict:
    return svc.issue(new_id(), group, priority, "hi", "K1")


def session(svc: CentreService, counter: str = "1", op: str = "op1") -> str:
    return str(svc.login(counter, PIN, operator_id=op)["session_token"])


def count(svc: CentreService, table: str) -> int:
    return int(svc.store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_numbers_per_group_and_day_and_idempotent_issue(svc: CentreService,
                                                        clock: Clock) -> None:
    a, b, c = issue(svc), issue(svc), issue(svc, "A")
    assert [a["number"], b["number"], c["number"]] == ["C-001", "C-002", "A-001"]
    again = svc.issue(a["id"], "C", "general", "hi", "K1")
    assert again["number"] == "C-001" and count(svc, "tokens") == 3
    assert b["people_ahead"] == 1 and b["wait_min"] is None  # no counter open yet
    clock.advance(days=1)
    assert issue(svc)["number"] == "C-001"


def test_every_transition_writes_event_audit_and_outbox_together(svc: CentreService) -> None:
    t = issue(svc)
    s = session(svc)
    before = (count(svc, "events"), audit.verify(svc.store.conn).entries, count(svc, "outbox"))
    r = svc.act("1", "call-next", s)
    assert r["token"]["id"] == t["id"] and r["token"]["state"] == "called"
    after = (count(svc, "events"), audit.verify(svc.store.conn).entries, count(svc, "outbox"))
    # One event, one audit entry, two outbox entries: the token event and the audit entry.
    assert after == (before[0] + 1, before[1] + 1, before[2] + 2)
    assert r["event_id"] == svc.last_event_id()
    kinds = [row[0] for row in svc.store.conn.execute(
        "SELECT kind FROM outbox WHERE kind != 'audit.entry' ORDER BY id")]
    assert kinds == ["token.issued", "token.called"]
    assert count(svc, "outbox") - 2 == audit.verify(svc.store.conn).entries
    assert audit.verify(svc.store.conn).ok


def test_call_complete_and_the_wait_learns(svc: CentreService, clock: Clock) -> None:
    for _ in range(3):
        issue(svc)
    s = session(svc)
    svc.act("1", "call-next", s)
    clock.advance(minutes=2)
    done = svc.act("1", "complete", s)
    assert done["token"]["state"] == "served" and done["counter"]["served_today"] == 1
    snap = svc.snapshot()
    c = next(g for g in snap["groups"] if g["group"] == "C")
    # 2 waiting × median(seed 6, 2) = 4 min ÷ 1 counter = 8 → "5–10 minutes"
    assert (c["waiting"], c["counters_open"], c["wait_min"], c["wait_max"]) == (2, 1, 5, 10)
    assert svc.stats("1")["served"] == 1


def test_refusals_are_bilingual(svc: CentreService, clock: Clock) -> None:
    s = session(svc)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "complete", s)                       # nothing called
    assert_bilingual(e.value)
    issue(svc)
    svc.act("1", "call-next", s)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "call-next", s)                      # still has a token
    assert_bilingual(e.value)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "break", s)                          # token at the counter
    assert_bilingual(e.value)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "no-show", s)                        # not recalled twice yet
    assert_bilingual(e.value)
    svc.act("1", "recall", s)
    svc.act("1", "recall", s)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "recall", s)                         # past the recall limit
    assert_bilingual(e.value)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "complete", s, {"token": "C-999"})   # not the token at the counter
    assert_bilingual(e.value)
    svc.act("1", "no-show", s)
    clock.advance(minutes=11)
    s = session(svc)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "requeue", s)                        # after the 10-minute window
    assert_bilingual(e.value)
    svc.act("1", "break", s)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "call-next", s)                      # on a break
    assert_bilingual(e.value)
    svc.act("1", "resume", s)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "resume", s)                         # not on a break
    assert_bilingual(e.value)
    with pytest.raises(NotAllowedError) as e:
        svc.act("1", "unpark", s)                         # nothing parked
    assert_bilingual(e.value)
    with pytest.raises(ForbiddenError) as f:
        svc.act("2", "call-next", s)                      # another counter's session
    assert_bilingual(f.value)
    with pytest.raises(ForbiddenError):
        svc.act("9", "call-next", s)                      # no such counter, session is 1's
    with pytest.raises(NotFoundError) as n:
        svc.login("9", PIN, operator_id="op2")
    assert_bilingual(n.value)
    with pytest.raises(NotFoundError) as n:
        svc.act("1", "dance", s)
    assert_bilingual(n.value)
    with pytest.raises(UnauthorizedError) as u:
        svc.act("1", "call-next", "not-a-session")
    assert_bilingual(u.value)
    issue(svc)
    svc.act("1", "call-next", s)
    with pytest.raises(BadRequestError) as b:
        svc.act("1", "transfer", s)                       # neither a group nor a counter
    assert_bilingual(b.value)


def test_samadhan_window_and_unknown_group(svc: CentreService, clock: Clock) -> None:
    clock.now = clock.now.replace(hour=14)
    with pytest.raises(NotAllowedError) as e:
        issue(svc, "S")
    assert_bilingual(e.value)
    assert "09:30" in e.value.user_message("en") and "13:30" in e.value.user_message("hi")
    clock.now = clock.now.replace(hour=10)
    assert issue(svc, "S")["number"] == "S-001"
    with pytest.raises(BadRequestError) as b:
        issue(svc, "Q")
    assert_bilingual(b.value)


def test_requeue_within_window_returns_to_original_position(svc: CentreService,
                                                            clock: Clock) -> None:
    first = issue(svc)
    s = session(svc)
    svc.act("1", "call-next", s)
    for _ in range(2):
        svc.act("1", "recall", s)
    svc.act("1", "no-show", s)
    later = [issue(svc) for _ in range(3)]
    assert svc.snapshot()["skipped"][0]["id"] == first["id"]
    clock.advance(minutes=9)
    back = svc.act("1", "requeue", s)["token"]
    assert back["id"] == first["id"] and back["state"] == "waiting"
    assert back["people_ahead"] == 0 and svc.token(later[0]["id"])["people_ahead"] == 1
    assert svc.act("1", "call-next", s)["token"]["id"] == first["id"]


def test_transfer_to_group_keeps_issue_time_and_to_counter_is_only_there(
        svc: CentreService, clock: Clock) -> None:
    c1 = issue(svc)                       # 10:00 C-001
    clock.advance(minutes=5)
    a_tokens = [issue(svc, "A") for _ in range(2)]  # 10:05
    s1 = session(svc, "1")
    assert svc.act("1", "call-next", s1)["token"]["id"] == c1["id"]
    moved = svc.act("1", "transfer", s1, {"to_group": "A"})["token"]
    assert moved["group"] == "A" and moved["number"] == "C-001" and moved["people_ahead"] == 0
    assert svc.token(a_tokens[0]["id"])["people_ahead"] == 1
    assert svc.act("1", "call-next", s1)["token"]["id"] == c1["id"]
    # To a named counter: counter 2 (serves only C) gets it even though it is in A now.
    svc.act("1", "transfer", s1, {"to_counter": "2"})
    s2 = session(svc, "2", "op2")
    assert svc.act("2", "call-next", s2)["token"]["id"] == c1["id"]
    with pytest.raises(NotAllowedError):
        svc.act("2", "transfer", s2, {"to_counter": "2"})
    with pytest.raises(NotFoundError):
        svc.act("2", "transfer", s2, {"to_counter": "77"})


def test_park_and_unpark(svc: CentreService) -> None:
    t = issue(svc)
    other = issue(svc)
    s = session(svc)
    svc.act("1", "call-next", s)
    parked = svc.act("1", "park", s)["token"]
    assert parked["state"] == "parked" and svc.snapshot()["parked"][0]["id"] == t["id"]
    assert svc.act("1", "call-next", s)["token"]["id"] == other["id"]
    svc.act("1", "complete", s)
    back = svc.act("1", "unpark", s, {"token": "C-001"})["token"]
    assert back["state"] == "waiting" and back["target_counter"] == "1"
    assert svc.act("1", "call-next", s)["token"]["id"] == t["id"]


def test_logout_parks_the_current_token_and_closes_the_counter(svc: CentreService) -> None:
    t = issue(svc)
    s = session(svc)
    svc.act("1", "call-next", s)
    out = svc.logout(s)
    assert out["counter"]["state"] == "closed"
    assert svc.token(t["id"])["state"] == "parked"
    with pytest.raises(UnauthorizedError):
        svc.act("1", "call-next", s)


def test_idle_session_ends(svc: CentreService, clock: Clock) -> None:
    s = session(svc)
    clock.advance(seconds=svc.idle_logout_s * 2)
    svc.act("1", "break", s)                              # the console's own timer, not ours
    clock.advance(seconds=svc.idle_logout_s * 3 + 1)
    with pytest.raises(UnauthorizedError) as e:
        svc.act("1", "break", s)
    assert e.value.code == "session-idle"
    assert_bilingual(e.value)


def test_wrong_pins_are_refused_audited_and_lock(svc: CentreService) -> None:
    entries = audit.verify(svc.store.conn).entries
    with pytest.raises(UnauthorizedError) as e:
        svc.login("1", "0000", operator_id="op1")
    assert_bilingual(e.value)
    with pytest.raises(UnauthorizedError):
        svc.login("1", PIN, operator_id="nobody")
    assert audit.verify(svc.store.conn).entries == entries + 2   # both attempts recorded
    for _ in range(4):
        with pytest.raises((UnauthorizedError, LockedError)):
            svc.login("1", "0000", operator_id="op1")
    with pytest.raises(LockedError) as lk:
        svc.login("1", PIN, operator_id="op1")                 # even the right PIN now
    assert_bilingual(lk.value)
    assert svc.snapshot()["counters"][0]["state"] == "closed"


def test_leases_and_offline_tokens_join_in_issue_order(svc: CentreService,
                                                       clock: Clock) -> None:
    lease = svc.lease("K2", "C", 5)
    assert (lease["first"], lease["last"]) == (5001, 5005)   # the lease band
    online = issue(svc)
    assert online["number"] == "C-001"              # online numbers start at 1 all the same
    offline_at = (clock.now.replace(minute=0) - __import__("datetime").timedelta(minutes=3))
    off = svc.issue(new_id(), "C", "general", "hi", "K2", offline_at.isoformat(), 5002)
    assert off["number"] == "C-5002" and off["offline"] and off["people_ahead"] == 0
    assert svc.token(online["id"])["people_ahead"] == 1
    with pytest.raises(NotAllowedError) as e:
        svc.issue(new_id(), "C", "general", "hi", "K2", offline_at.isoformat(), 5009)
    assert_bilingual(e.value)
    with pytest.raises(NotAllowedError):           # K1 holds no lease
        svc.issue(new_id(), "C", "general", "hi", "K1", offline_at.isoformat(), 5003)
    with pytest.raises(NotAllowedError):           # the same number twice
        svc.issue(new_id(), "C", "general", "hi", "K2", offline_at.isoformat(), 5002)
    with pytest.raises(NotAllowedError):           # an online number is never in a lease
        svc.issue(new_id(), "C", "general", "hi", "K2", offline_at.isoformat(), 1)


def test_bad_config_values_are_named_and_keep_defaults(tmp_path: Path) -> None:
    config: Config = load_config(data_dir=tmp_path, environ={
        "KIOSK_QUEUE__PRIORITY_PER_GENERAL": "0", "KIOSK_QUEUE__SAMADHAN_WINDOW": '"9-1"',
        "KIOSK_QUEUE__RECALL_LIMIT": '"two"', "KIOSK_COUNTERS__4__GROUPS": '["Z"]',
        "KIOSK_COUNTERS__5__GROUPS": "7", "KIOSK_CENTRE__PORT": "70000"})
    text = "\n".join(config.problems)
    for key in ("queue.priority_per_general", "queue.samadhan_window", "queue.recall_limit",
                "counters.4.groups", "counters.5.groups", "centre.port"):
        assert key in text, key
    q = config.queue_rules
    assert (q["priority_per_general"], q["samadhan_window"], q["recall_limit"]) == (
        2, "09:30-13:30", 2)
    assert config.centre["port"] == 8790
    assert set(config.counter_configs["4"].groups) == set(config.groups)
