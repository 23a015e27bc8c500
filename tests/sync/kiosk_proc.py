"""A kiosk process for the SIGKILL test: drain the outbox of DATA_DIR to URL until killed."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from backend_client.client import BackendClient
from kiosk.store import Store
from kiosk.sync.engine import SyncEngine
from kiosk.sync.settings import SyncSettings


def main() -> None:
    db, url, token = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    settings = SyncSettings(kiosk_id="MP-TEST-1", batch_size=50, read_timeout=30.0,
                            interval_s=0.2, pull_s=3600.0, heartbeat_s=3600.0)
    store = Store(db)
    engine = SyncEngine(store, BackendClient(url, token, read_timeout=30.0, retries=0),
                        settings)
    engine.start()
    print("started", flush=True)
    threading.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    main()
