"""Offline-first sync with the central backend: outbox, worker, reference pulls, status.

Entry point for the app: :func:`kiosk.sync.runtime.start_sync`. Contract and guarantees:
``docs/sync.md`` and ``backend_client/openapi.yaml``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.sync.outbox import enqueue
    from kiosk.sync.runtime import SyncRuntime, start_sync
    from kiosk.sync.settings import SyncSettings
    from kiosk.sync.status import SyncStatus, read_status

# Resolved on first use (PEP 562): importing kiosk.sync.status must not pull in the HTTP stack
# (requests, ~0.25 s) on the kiosk's start-up path; only the sync worker needs it.
_EXPORTS = {"enqueue": "kiosk.sync.outbox", "SyncRuntime": "kiosk.sync.runtime",
            "start_sync": "kiosk.sync.runtime", "SyncSettings": "kiosk.sync.settings",
            "SyncStatus": "kiosk.sync.status", "read_status": "kiosk.sync.status"}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kiosk.sync' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


__all__ = ["SyncRuntime", "SyncSettings", "SyncStatus", "enqueue", "read_status", "start_sync"]
