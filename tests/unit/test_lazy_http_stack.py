"""The kiosk's start-up path must not import the HTTP stack (docs/architecture.md, start-up).

``backend_client`` and ``kiosk.sync`` export with plain imports (go-to-definition works); the
client and the sync worker live in submodules the start-up path does not import.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import backend_client, kiosk.sync, kiosk.sync.status, kiosk.sync.reference
from backend_client import ReferenceDocument, RejectedError
print(sorted(m for m in ("requests", "urllib3", "backend_client.client", "kiosk.sync.runtime")
             if m in sys.modules))
"""


def test_models_and_status_load_without_requests() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_the_client_is_one_explicit_import_away() -> None:
    from backend_client.client import BackendClient
    from kiosk.sync.runtime import start_sync

    assert BackendClient.__module__ == "backend_client.client"
    assert start_sync.__module__ == "kiosk.sync.runtime"
