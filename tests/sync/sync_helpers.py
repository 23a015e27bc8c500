"""Shared pieces for the sync tests: a kiosk under test, waiting, and counting both sides."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from backend_client.client import BackendClient
from kiosk.config import Config
from kiosk.queue import Token, TokenService
from kiosk.store import Store
from kiosk.sync import outbox
from kiosk.sync.engine import SyncEngine
from kiosk.sync.settings import SyncSettings
from reference_backend import ReferenceBackend

KIOSK_ID = "MP-TEST-1"

#: Millisecond timings so fault tests finish in seconds, not minutes.
FAST = SyncSettings(kiosk_id=KIOSK_ID, centre_code="MP-TEST", connect_timeout=0.5,
                    read_timeout=1.0, batch_size=25, interval_s=0.2, pull_s=3600.0,
                    heartbeat_s=3600.0, backoff_base_s=0.02, max_backoff_s=0.2, probe_s=0.05,
                    auth_retry_s=0.5)


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.02,
               what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class KioskUnderTest:
    """A kiosk's store + token service + sync engine pointed at a backend URL."""

    def __init__(self, config: Config, url: str, token: str | None,
                 settings: SyncSettings = FAST, clock: Callable[[], datetime] | None = None,
                 seed: int = 7) -> None:
        import random

        self.config = config
        self.store = Store(config.db_path)
        self.tokens = TokenService(self.store, config, clock)
        self.client = BackendClient(url, token, connect_timeout=settings.connect_timeout,
                                    read_timeout=settings.read_timeout, retries=0)
        self.engine = SyncEngine(self.store, self.client, settings, rng=random.Random(seed))
        self.issued: list[Token] = []
        self.events = 0

    def issue(self, n: int, group: str = "C") -> list[Token]:
        new = [self.tokens.issue(group) for _ in range(n)]
        self.issued += new
        return new

    def serve(self, token: Token, counter: str = "1") -> None:
        """What a local (offline-capable) counter would record: called, then served."""
        base = {"token_id": token.id, "number": token.number, "group": token.group,
                "priority": token.priority.value, "centre": self.config.centre_code,
                "counter": counter}
        with self.store.transaction() as conn:
            for kind in ("token.called", "token.served"):
                outbox.enqueue(conn, kind, token.id,
                               {**base, "at": self.tokens.now().isoformat()})
        self.events += 2

    def states(self) -> dict[str, int]:
        return {str(r[0]): int(r[1]) for r in self.store.conn.execute(
            "SELECT state, COUNT(*) FROM outbox GROUP BY state")}

    def all_done(self) -> bool:
        s = self.states()
        return set(s) <= {"done"}

    def close(self) -> None:
        self.engine.close()
        self.client.close()
        self.store.close()


def assert_counts_match(kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    """Nothing lost, nothing duplicated — counted on both sides."""
    conn = kiosk.store.conn
    local_tokens = int(conn.execute("SELECT COUNT(*) FROM tokens").fetchone()[0])
    local_entries = int(conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE kind LIKE 'token.%'").fetchone()[0])
    assert kiosk.all_done(), kiosk.states()
    assert local_tokens == len(kiosk.issued)
    assert local_entries == len(kiosk.issued) + kiosk.events
    db = backend.db
    assert db.count("tokens", "kiosk_id = ?", (KIOSK_ID,)) == local_tokens
    assert db.count("token_events", "source = 'kiosk'") == local_entries
    dupes = db.conn.execute("SELECT token_id, event, COUNT(*) FROM token_events WHERE "
                            "source = 'kiosk' GROUP BY token_id, event HAVING COUNT(*) > 1"
                            ).fetchall()
    assert not dupes
    ids = {t.id for t in kiosk.issued}
    server_ids = {r[0] for r in db.conn.execute("SELECT token_id FROM tokens")}
    assert ids == server_ids
    served = db.count("tokens", "status = 'served'")
    assert served == kiosk.events // 2
