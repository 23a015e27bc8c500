"""The kiosk's own audit trail: technician actions and configuration changes on this kiosk.

Why the kiosk keeps one at all when the centre has the trail: a technician works on the kiosk
itself (the hidden diagnostics screen), often with the centre unreachable — that is when one is
called. Log-ins and refused PINs, device self-tests and resets, reprints from the print journal,
log-outs and a changed configuration are recorded here, in the kiosk's database, with exactly
the centre's hash chain (:mod:`kiosk.centre.audit`, ``source="kiosk"``): the same
``audit_log`` table and triggers, the same :func:`~kiosk.centre.audit.verify`, and — because the
kiosk's store has an outbox — the same ``audit.entry`` forwarding to the state, where a local
rewrite shows as a break in this kiosk's chain.

Every method here does SQL (and an fsync): call it on a worker, never on the GUI thread
(``tests/ui/test_gui_thread_sql.py``). No personal data goes in: a technician sees none, and the
entries carry device names, job and token numbers, counts and hashes only.

``config.changed``: at each start :meth:`KioskAudit.note_config` hashes the effective
configuration (defaults + file + environment, each section on its own) and appends an entry
when the hash differs from the one the last such entry recorded — naming the sections that
changed and how many configuration warnings the start produced, never the values (a section
may hold a PIN hash or a credential path).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kiosk.centre import audit

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.store import Store

#: Who a kiosk entry names: the kiosk has one technician PIN, not personal technician ids.
TECHNICIAN = "technician"
CONFIG_CHANGED = "config.changed"


def kiosk_device_id(config: Config) -> str:
    """This kiosk's id at the state (``[backend] kiosk_id``, default ``<centre>-1``)."""
    backend = config.raw.get("backend")
    configured = str(backend.get("kiosk_id") or "") if isinstance(backend, dict) else ""
    return configured or f"{config.centre_code}-1"


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def config_hashes(config: Config) -> tuple[str, dict[str, str]]:
    """The whole effective configuration's SHA-256 and each section's (first 16 digits)."""
    sections = {str(name): _digest(value)[:16] for name, value in sorted(config.raw.items())}
    return _digest(config.raw), sections


class KioskAudit:
    """Appends to the kiosk's trail on its store; thread-safe (the store's per-thread
    connections, ``BEGIN IMMEDIATE`` around each entry)."""

    def __init__(self, store: Store, *, device: str | None, tz: str = "Asia/Kolkata",
                 clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._device = device
        self._tz = ZoneInfo(tz)
        self._clock = clock or (lambda: datetime.now(self._tz))

    @classmethod
    def for_config(cls, store: Store, config: Config) -> KioskAudit:
        return cls(store, device=kiosk_device_id(config), tz=config.timezone)

    def record(self, action: str, detail: dict[str, Any] | None = None, *,
               operator_id: str | None = TECHNICIAN) -> int:
        """Append one entry (its outbox entry with it); returns its id. On a worker."""
        with self._store.transaction() as conn:
            audit.ensure_schema(conn, source="kiosk", device=self._device)
            return audit.append(conn, action=action, operator_id=operator_id, counter=None,
                                detail=dict(detail or {}), at=self._clock())

    def note_config(self, config: Config) -> int | None:
        """Append ``config.changed`` if the configuration differs from the last start's."""
        whole, sections = config_hashes(config)
        with self._store.transaction() as conn:
            audit.ensure_schema(conn, source="kiosk", device=self._device)
            row = conn.execute("SELECT detail FROM audit_log WHERE action = ? "
                               "ORDER BY id DESC LIMIT 1", (CONFIG_CHANGED,)).fetchone()
            last: dict[str, Any] = json.loads(row[0]) if row else {}
            if last.get("config_hash") == whole:
                return None
            before = dict(str(item).partition(":")[::2] for item in last.get("sections", []))
            changed = sorted(name for name in set(sections) | set(before)
                             if sections.get(name) != before.get(name))
            # "name:hash" strings, not a dict: section names such as [aadhaar] are not
            # personal data, but audit.append rightly refuses them as keys.
            detail = {"config_hash": whole,
                      "sections": [f"{name}:{digest}" for name, digest in sections.items()],
                      "changed": changed, "first": not row, "warnings": len(config.problems)}
            return audit.append(conn, action=CONFIG_CHANGED, operator_id=None, counter=None,
                                detail=detail, at=self._clock())


__all__ = ["CONFIG_CHANGED", "TECHNICIAN", "KioskAudit", "config_hashes", "kiosk_device_id"]
