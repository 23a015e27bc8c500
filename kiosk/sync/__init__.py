"""Offline-first sync with the central backend: outbox, worker, reference pulls, status.

Entry point for the app: :func:`kiosk.sync.runtime.start_sync`. Contract and guarantees:
``docs/sync.md`` and ``backend_client/openapi.yaml``.
"""

from __future__ import annotations

from kiosk.sync.outbox import enqueue
from kiosk.sync.runtime import SyncRuntime, start_sync
from kiosk.sync.settings import SyncSettings
from kiosk.sync.status import SyncStatus, read_status

__all__ = ["SyncRuntime", "SyncSettings", "SyncStatus", "enqueue", "read_status", "start_sync"]
