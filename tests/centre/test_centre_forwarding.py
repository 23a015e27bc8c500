"""Token events and audit entries reach the state backend through the centre's outbox,
exactly once.

The state backend is down while the centre works (issue, call, recall, transfer, park, serve,
no-show); when it returns — dropping some connections after committing, so the engine resends —
every event arrives once: counted on both sides.
"""

from __future__ import annotations

import time
from pathlib import Path

from centre_helpers import PIN, add_operator, new_id

from kiosk.centre import audit
from kiosk.centre.runtime import CentreRuntime
from kiosk.config import load_config
from kiosk.sync import outbox
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend

FAST = SyncSettings(connect_timeout=0.5, read_timeout=3.0, interval_s=0.1, probe_s=0.1,
                    backoff_base_s=0.05, max_backoff_s=0.3, heartbeat_s=3600, pull_s=3600,
                    batch_size=7)


def wait_until(cond, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_backend_down_then_back_every_event_once(tmp_path: Path) -> None:
    config = load_config(data_dir=tmp_path / "data", environ={})
    backend = ReferenceBackend(tmp_path / "backend.sqlite3", seed=7).start()
    kiosk_id = f"{config.centre_code}-centre"
    centre = CentreRuntime(config, backend_url=backend.url,
                           backend_token=backend.issue_credential(kiosk_id, config.centre_code),
                           sync_settings=FAST)
    try:
        add_operator(centre.store, "op1")
        svc = centre.service
        backend.stop()                                           # the state link is down
        issued = [svc.issue(new_id(), "CAL"[i % 3], "senior" if i % 4 == 0 else "general")
                  for i in range(30)]
        s = svc.login("1", PIN, operator_id="op1")["session_token"]
        for i in range(12):
            svc.act("1", "call-next", s)
            if i % 4 == 1:
                svc.act("1", "recall", s)
                svc.act("1", "recall", s)
                svc.act("1", "no-show", s)
            elif i % 4 == 2:
                svc.act("1", "transfer", s, {"to_group": "A"})
            elif i % 4 == 3:
                svc.act("1", "park", s)
                svc.act("1", "unpark", s)
            else:
                svc.act("1", "complete", s)
        health = svc.health()
        assert health["state_backend"]["pending"] > 30 and backend.db.count("tokens") == 0
        sent = outbox.count_state(centre.store.conn, outbox.PENDING) + outbox.count_state(
            centre.store.conn, outbox.INFLIGHT)
        kinds = {str(r[0]) for r in centre.store.conn.execute("SELECT kind FROM outbox")}
        assert {"token.issued", "token.called", "token.recalled", "token.transferred",
                "token.parked", "token.requeued", "token.served", "token.no_show"} <= kinds

        backend.faults.drop_after_commit_rate = 0.3              # answers lost after commit
        backend.start()
        centre.engine.wake()
        wait_until(lambda: outbox.count_state(centre.store.conn, outbox.DONE) == sent, 60)
        backend.faults.drop_after_commit_rate = 0.0
        assert outbox.count_state(centre.store.conn, outbox.PARKED) == 0
        # Counted on both sides: one backend token per centre token, one event per outbox entry.
        assert backend.db.count("tokens") == len(issued) == 30
        token_entries = int(centre.store.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE kind LIKE 'token.%'").fetchone()[0])
        assert backend.db.count("token_events") == token_entries
        # Every audit entry once, in the state's chain for the centre, unbroken, same hashes.
        local = audit.entries(centre.store.conn, limit=10_000)
        assert sent == token_entries + len(local) and len(local) > 60
        held = backend.db.audit_chain(kiosk_id, "centre")
        assert [(e["id"], e["hash"]) for e in held] == [(e.id, e.hash) for e in local]
        assert backend.db.audit_breaks() == []
        numbers = {str(r[0]) for r in backend.db.conn.execute("SELECT number FROM tokens")}
        assert numbers == {t["number"] for t in issued}
        served_here = int(centre.store.conn.execute(
            "SELECT COUNT(*) FROM tokens WHERE state = 'served'").fetchone()[0])
        assert backend.db.count("tokens", "status = 'served'") == served_here
    finally:
        centre.close()
        backend.close()
