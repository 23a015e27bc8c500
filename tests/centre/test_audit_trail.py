"""The audit trail made complete (issue 13): ``kiosk audit show`` filters and IST times,
``kiosk audit verify`` naming an edited, deleted or reordered row in the centre's and the
kiosk's trail, log-outs with their reason, no personal data in a day's entries, and the state
backend flagging a local rewrite that the local chain alone cannot see."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from centre_helpers import IST, PIN, Clock, add_operator, make_service, new_id

from kiosk.centre import audit
from kiosk.centre.errors import BadRequestError, CentreError
from kiosk.centre.runtime import CentreRuntime
from kiosk.centre.service import CentreService
from kiosk.cli import main
from kiosk.config import Config, load_config
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.settings import SyncSettings
from kiosk.tech_audit import KioskAudit
from reference_backend import ReferenceBackend

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
FAST = SyncSettings(connect_timeout=0.5, read_timeout=3.0, interval_s=0.1, probe_s=0.1,
                    backoff_base_s=0.05, max_backoff_s=0.3, heartbeat_s=3600, pull_s=3600,
                    batch_size=50)
CARD = "0B001A2B3C"


def _config(tmp_path: Path) -> Config:
    config = load_config(data_dir=tmp_path / "data", environ={
        "KIOSK_COUNTERS__1__GROUPS": '["C", "A"]', "KIOSK_COUNTERS__2__GROUPS": '["C"]'})
    assert not config.problems, config.problems
    return config


def _a_day(svc: CentreService, clock: Clock) -> None:
    """Two operators' day at two counters (one logs out idle), then a few entries the next
    IST day: log-ins (one by card, one refused), calls, completions, a transfer, log-outs."""
    for _ in range(8):
        svc.issue(new_id(), "C", "general", "hi", "K1")
    s1 = svc.login("1", PIN, operator_id="op1")["session_token"]
    s2 = svc.login("2", PIN, card_id=CARD)["session_token"]
    with pytest.raises(CentreError):  # a refused PIN is audited too
        svc.login("1", "9999", operator_id="op3")
    for _ in range(3):
        clock.advance(minutes=4)
        svc.act("1", "call-next", s1)
        svc.act("1", "complete", s1)
        svc.act("2", "call-next", s2)
        svc.act("2", "transfer", s2, {"to_group": "A"})
    svc.logout(s1)
    svc.logout(s2, "idle")
    clock.now = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 00:30 IST on 2 December
    s1 = svc.login("1", PIN, operator_id="op1")["session_token"]
    svc.act("1", "call-next", s1)
    svc.logout(s1)


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[tuple[CentreService, Config, Path]]:
    config = _config(tmp_path)
    db = tmp_path / "data" / "centre.sqlite3"
    clock = Clock(datetime(2026, 12, 1, 10, 0, tzinfo=IST))
    svc = make_service(db, config, clock)
    add_operator(svc.store, "op1")
    add_operator(svc.store, "op2", card_id=CARD)
    add_operator(svc.store, "op3")
    _a_day(svc, clock)
    yield svc, config, db
    svc.store.close()


def run(capsys: pytest.CaptureFixture[str], *args: str,
        data_dir: Path) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir)])
    out = capsys.readouterr()
    return code, out.out, out.err


def both_languages(text: str) -> bool:
    return bool(DEVANAGARI.search(text)) and bool(re.search(r"[A-Za-z]{4}", text))


def test_show_filters_by_operator_day_and_action_with_ist_times(
        centre: tuple[CentreService, Config, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _svc, config, _db = centre
    code, out, _ = run(capsys, "audit", "show", "--operator", "op1", "--date", "2026-12-01",
                       "--json", data_dir=config.data_dir)
    assert code == 0
    rows = json.loads(out)
    actions = [r["action"] for r in rows]
    assert actions[0] == "operator.login" and actions[-2:] == ["operator.logout",
                                                               "counter.closed"]
    assert actions.count("token.called") == 3 and actions.count("token.served") == 3
    assert {r["operator_id"] for r in rows} == {"op1"}
    assert all(r["at_ist"].startswith("2026-12-01") for r in rows)
    assert rows[0]["at_ist"] == "2026-12-01 10:00:00"
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert {"prev_hash", "hash", "detail", "counter"} <= set(rows[0])

    # 19:00 UTC on the 1st is 00:30 IST on the 2nd: the IST day decides.
    _, out, _ = run(capsys, "audit", "show", "--date", "2026-12-02", "--json",
                    data_dir=config.data_dir)
    late = json.loads(out)
    assert [r["action"] for r in late] == ["operator.login", "counter.opened", "token.called",
                                           "operator.logout", "token.parked", "counter.closed"]
    assert all(r["at_ist"].startswith("2026-12-02 00:30") for r in late)

    _, out, _ = run(capsys, "audit", "show", "--action", "operator.logout", "--json",
                    data_dir=config.data_dir)
    assert [(r["operator_id"], r["detail"]["reason"]) for r in json.loads(out)] == [
        ("op1", "operator"), ("op2", "idle"), ("op1", "operator")]
    _, out, _ = run(capsys, "audit", "show", "--action", "operator.", "--json",
                    data_dir=config.data_dir)
    assert {r["action"] for r in json.loads(out)} == {"operator.login", "operator.logout",
                                                      "operator.login_refused"}

    code, out, _ = run(capsys, "audit", "show", "--operator", "op2", data_dir=config.data_dir)
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["ID", "TIME", "(IST)"]
    assert "2026-12-01 10:00:00" in out and "token.transferred" in out
    assert lines[-1].endswith("entries (centre trail)")
    assert all("op2" in line for line in lines[1:-1])


def test_show_refuses_a_bad_date_in_both_languages(
        centre: tuple[CentreService, Config, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _svc, config, _db = centre
    code, out, err = run(capsys, "audit", "show", "--date", "01-12-2026",
                         data_dir=config.data_dir)
    assert code == 2 and out == "" and both_languages(err) and "Traceback" not in err


def _tamper(db: Path, how: str) -> int:
    """Alter the trail with the triggers dropped; returns the id verify must name."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    n = int(conn.execute("SELECT MAX(id) FROM audit_log").fetchone()[0])
    mid = n // 2
    if how == "edited":
        conn.execute("UPDATE audit_log SET operator_id = 'op9' WHERE id = ?", (mid,))
        bad = mid
    elif how == "deleted":
        conn.execute("DELETE FROM audit_log WHERE id = ?", (mid,))
        bad = mid + 1
    else:  # reordered: two entries' contents swapped, each keeping its own hash
        a = conn.execute("SELECT at, action, operator_id, counter, detail, prev_hash, hash "
                         "FROM audit_log WHERE id = ?", (mid,)).fetchone()
        b = conn.execute("SELECT at, action, operator_id, counter, detail, prev_hash, hash "
                         "FROM audit_log WHERE id = ?", (mid + 1,)).fetchone()
        for row_id, values in ((mid, b), (mid + 1, a)):
            conn.execute("UPDATE audit_log SET at = ?, action = ?, operator_id = ?, counter = ?,"
                         " detail = ?, prev_hash = ?, hash = ? WHERE id = ?", (*values, row_id))
        bad = mid
    conn.commit()
    conn.close()
    return bad


def _kiosk_trail(config: Config, n: int = 12) -> Path:
    store = Store(config.db_path)
    trail = KioskAudit.for_config(store, config)
    trail.note_config(config)
    for i in range(n):
        trail.record("device.self_test", {"device": "printer", "ok": i % 3 != 0})
    store.close()
    return config.db_path


@pytest.mark.parametrize("how", ["edited", "deleted", "reordered"])
@pytest.mark.parametrize("trail", ["centre", "kiosk"])
def test_verify_names_the_altered_row_in_either_trail(
        centre: tuple[CentreService, Config, Path], capsys: pytest.CaptureFixture[str],
        trail: str, how: str) -> None:
    svc, config, centre_db = centre
    svc.store.close()
    kiosk_db = _kiosk_trail(config)
    code, out, _ = run(capsys, "audit", "verify", data_dir=config.data_dir)
    assert code == 0, out
    assert "audit trail (centre):" in out and "audit trail (kiosk): 13 entries, chain intact" \
        in out

    bad = _tamper(centre_db if trail == "centre" else kiosk_db, how)
    code, out, err = run(capsys, "audit", "verify", "--json", data_dir=config.data_dir)
    body = json.loads(out)
    assert code == 2 and body["ok"] is False
    assert (body["first_bad_trail"], body["first_bad_id"]) == (trail, bad)
    other = "kiosk" if trail == "centre" else "centre"
    assert body["trails"][other]["ok"] is True
    assert both_languages(err) and f"first bad entry: {bad}" in err
    code, out, _ = run(capsys, "audit", "verify", "--trail", trail, data_dir=config.data_dir)
    assert code == 2 and f"({trail})" in out and f"BROKEN at entry {bad}" in out
    code, _, _ = run(capsys, "audit", "verify", "--trail", other, data_dir=config.data_dir)
    assert code == 0


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HASH = re.compile(r"[0-9a-f]{64}")
AADHAAR = re.compile(r"(?<!\d)\d{4}\s?\d{4}\s?\d{4}(?!\d)")
MOBILE = re.compile(r"(?<!\d)[6-9]\d{9}(?!\d)")


def test_a_days_entries_carry_no_personal_data(
        centre: tuple[CentreService, Config, Path]) -> None:
    svc, config, _db = centre
    conn = svc.store.conn
    rows = [" ".join(str(v) for v in r) for r in conn.execute(
        "SELECT at, action, operator_id, counter, detail FROM audit_log")]
    rows += [str(r[0]) for r in conn.execute(
        "SELECT payload FROM outbox WHERE kind = 'audit.entry'")]
    assert len(rows) > 60
    names = [str(r[0]) for r in conn.execute("SELECT name FROM operators")]
    for raw in rows:
        text = HASH.sub("#", UUID.sub("uuid", raw))  # ids and hashes are not personal
        for name in names:
            assert name not in text, text
        assert CARD not in text and CARD.lower() not in text, text
        assert PIN not in text, text
        assert not AADHAAR.search(text) and not MOBILE.search(text), text
        assert "scrypt" not in text and "pin_hash" not in text
    # The kiosk's trail too (its configuration section hashes, not values).
    kiosk_db = _kiosk_trail(config)
    kconn = sqlite3.connect(kiosk_db)
    ktext = [str(r[0]) for r in kconn.execute("SELECT detail FROM audit_log")]
    kconn.close()
    pin_hash = config.technician_pin_hash
    assert ktext and all(pin_hash not in t and str(config.data_dir) not in t for t in ktext)


def _wait_until(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def _rewrite_from(conn: sqlite3.Connection, start: int) -> None:
    """The perfect local forgery: entry ``start`` edited and every later hash recomputed."""
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    prev = str(conn.execute("SELECT hash FROM audit_log WHERE id = ?",
                            (start - 1,)).fetchone()[0])
    rows = conn.execute("SELECT id, at, action, operator_id, counter, detail FROM audit_log "
                        "WHERE id >= ? ORDER BY id", (start,)).fetchall()
    conn.execute("BEGIN IMMEDIATE")
    for entry_id, at, action, operator_id, counter, detail_text in rows:
        detail: dict[str, Any] = json.loads(detail_text)
        if entry_id == start:
            operator_id = "op9"
        digest = audit.entry_hash(prev, {"id": entry_id, "at": at, "action": action,
                                         "operator_id": operator_id, "counter": counter,
                                         "detail": detail})
        conn.execute("UPDATE audit_log SET operator_id = ?, prev_hash = ?, hash = ? "
                     "WHERE id = ?", (operator_id, prev, digest, entry_id))
        prev = digest
    conn.execute("COMMIT")


def test_the_backend_holds_each_entry_once_and_flags_a_rewritten_chain(
        tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "data", environ={})
    backend = ReferenceBackend(tmp_path / "backend.sqlite3", seed=3).start()
    kiosk_id = f"{config.centre_code}-centre"
    centre = CentreRuntime(config, backend_url=backend.url,
                           backend_token=backend.issue_credential(kiosk_id, config.centre_code),
                           sync_settings=FAST)
    try:
        add_operator(centre.store, "op1")
        svc = centre.service
        for _ in range(5):
            svc.issue(new_id(), "C", "general")
        s = svc.login("1", PIN, operator_id="op1")["session_token"]
        for _ in range(3):
            svc.act("1", "call-next", s)
            svc.act("1", "complete", s)
        conn = centre.store.conn

        def delivered() -> bool:
            return outbox.count_state(conn, outbox.PENDING) == 0 and outbox.count_state(
                conn, outbox.INFLIGHT) == 0

        centre.engine.wake()
        _wait_until(delivered)
        local = audit.entries(conn, limit=1000)
        held = backend.db.audit_chain(kiosk_id, "centre")
        assert [(e["id"], e["hash"], e["action"]) for e in held] == [
            (e.id, e.hash, e.action) for e in local]
        assert {e["device"] for e in held} == {None} and backend.db.audit_breaks() == []
        assert backend.db.count("idempotency", "key LIKE 'audit.entry:%'") == len(local)

        # Rewritten locally with every hash recomputed: the local chain is "intact" ...
        _rewrite_from(conn, 4)
        assert audit.verify(conn).ok
        # ... but the next entry continues the forged chain, not the one the state holds.
        svc.act("1", "call-next", s)
        centre.engine.wake()
        _wait_until(delivered)
        n = len(local) + 1
        flagged = backend.db.audit_breaks()
        assert [(b["kiosk_id"], b["source"], b["id"]) for b in flagged] == [
            (kiosk_id, "centre", n)]
        assert f"does not continue entry {n - 1}" in flagged[0]["reason"]
        # Nothing was parked: the evidence reached the state.
        assert outbox.count_state(conn, outbox.PARKED) == 0
    finally:
        centre.close()
        backend.close()


def test_the_kiosk_trail_reaches_the_backend_as_its_own_chain(tmp_path: Path) -> None:
    from backend_client.client import BackendClient
    from kiosk.sync.engine import SyncEngine

    config = load_config(data_dir=tmp_path / "kiosk", environ={})
    backend = ReferenceBackend(tmp_path / "backend.sqlite3").start()
    store = Store(config.db_path)
    kiosk_id = f"{config.centre_code}-1"
    client = BackendClient(backend.url, backend.issue_credential(kiosk_id, config.centre_code),
                           connect_timeout=0.5, read_timeout=3.0, retries=0)
    engine = SyncEngine(store, client, FAST)
    try:
        trail = KioskAudit.for_config(store, config)
        assert trail.note_config(config) == 1
        trail.record("technician.login", {"default_pin": True})
        trail.record("device.self_test", {"device": "scanner", "ok": True})
        engine.start()
        engine.wake()
        _wait_until(lambda: len(backend.db.audit_chain(kiosk_id, "kiosk")) == 3)
        held = backend.db.audit_chain(kiosk_id, "kiosk")
        assert [e["action"] for e in held] == ["config.changed", "technician.login",
                                               "device.self_test"]
        assert {e["device"] for e in held} == {kiosk_id} and backend.db.audit_breaks() == []
        assert backend.db.audit_chain(kiosk_id, "centre") == []
    finally:
        engine.close()
        client.close()
        store.close()
        backend.close()


def test_config_changed_only_when_the_configuration_differs(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "k", environ={})
    store = Store(config.db_path)
    try:
        trail = KioskAudit.for_config(store, config)
        first = trail.note_config(config)
        assert first == 1 and trail.note_config(config) is None  # same start again: nothing
        changed = load_config(data_dir=tmp_path / "k", environ={
            "KIOSK_KIOSK__IDLE_SECONDS": "75", "KIOSK_KIOSK__NO_SUCH_KEY": "1"})
        second = trail.note_config(changed)
        assert second == 2
        detail = audit.entries(store.conn)[1].detail
        assert detail["changed"] == ["kiosk"] and detail["first"] is False
        assert detail["warnings"] == len(changed.problems) >= 1
        assert "75" not in json.dumps(detail["sections"])
        assert audit.verify(store.conn).ok
    finally:
        store.close()


def test_logout_reason_is_refused_when_unknown(tmp_path: Path) -> None:
    config = _config(tmp_path)
    svc = make_service(tmp_path / "c.sqlite3", config, Clock())
    try:
        add_operator(svc.store, "op1")
        s = svc.login("1", PIN, operator_id="op1")["session_token"]
        with pytest.raises(BadRequestError):
            svc.logout(s, "bored")
        assert svc.logout(s, "shutdown")["counter"]["state"] == "closed"
        last = audit.entries(svc.store.conn)[-2:]
        assert [(e.action, e.detail.get("reason")) for e in last] == [
            ("operator.logout", "shutdown"), ("counter.closed", None)]
    finally:
        svc.store.close()




def test_entries_from_before_forwarding_are_queued_at_the_next_start(tmp_path: Path) -> None:
    """A trail written by a centre older than forwarding (no ``audit.entry`` rows): the
    service's next start queues every entry, once."""
    config = _config(tmp_path)
    db = tmp_path / "c.sqlite3"
    svc = make_service(db, config, Clock())
    add_operator(svc.store, "op1")
    svc.login("1", PIN, operator_id="op1")
    n = audit.verify(svc.store.conn).entries
    with svc.store.transaction() as conn:  # as the older centre left it
        conn.execute("DELETE FROM outbox WHERE kind = 'audit.entry'")
    svc.store.close()
    svc = make_service(db, config, Clock())
    try:
        keys = [str(r[0]) for r in svc.store.conn.execute(
            "SELECT idempotency_key FROM outbox WHERE kind = 'audit.entry' ORDER BY id")]
        assert n >= 2 and keys == [f"audit.entry:centre:{i}" for i in range(1, n + 1)]
        with svc.store.transaction() as conn:
            assert audit.backfill(conn) == 0  # nothing missing: nothing queued twice
    finally:
        svc.store.close()
