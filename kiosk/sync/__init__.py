"""Offline-first sync with the central backend: outbox, worker, reference pulls, status.

Entry point for the app: :func:`kiosk.sync.runtime.start_sync`. Contract and guarantees:
``docs/sync.md`` and ``backend_client/openapi.yaml``.

Nothing is re-exported here on purpose: import from the submodule that owns a name
(``kiosk.sync.outbox``, ``kiosk.sync.status``, ``kiosk.sync.runtime`` …), so go-to-definition
lands on the code, and importing ``kiosk.sync.status`` on the kiosk's start-up path does not pull
in the HTTP stack (requests, ~0.25 s) that only the sync worker (``runtime``/``engine``) needs.
"""
