"""Reference data from the backend (catalogue, fees, keys, revocations…), applied atomically.

Each document replaces its table wholesale inside one transaction together with its ETag, so
the kiosk never computes a fee from half a fee table, and a document that fails validation
leaves the previous one in force (a bad push from the centre must not take the kiosk down).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from backend_client import ReferenceDocument
from kiosk.catalogue.model import CatalogueFormatError, parse_catalogue
from kiosk.store import Store
from kiosk.sync.outbox import utc_now


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError(f"document lacks a list of objects under {key!r}")
    return rows


def _str(r: dict[str, Any], k: str) -> str:
    v = r.get(k)
    if not isinstance(v, str) or not v:
        raise ValueError(f"field {k!r} must be a non-empty string")
    return v


def _int(r: dict[str, Any], k: str) -> int:
    v = r.get(k)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ValueError(f"field {k!r} must be a non-negative integer")
    return v


def _catalogue(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    # The whole catalogue must parse (forms, fee rules, documents) before it replaces the one in
    # force: a kiosk must never render a form or compute a fee from half a definition.
    try:
        parse_catalogue(data, source="synced")
    except CatalogueFormatError as exc:
        raise ValueError(f"catalogue: {exc}") from None
    rows = [(_str(r, "code"), _str(r, "name_hi"), _str(r, "name_en"), _int(r, "days"),
             _int(r, "fee_paise"), int(bool(r.get("same_day"))),
             json.dumps(r.get("documents") or [], ensure_ascii=False))
            for r in _rows(data, "services")]
    conn.execute("DELETE FROM catalogue_services")
    conn.executemany("INSERT INTO catalogue_services VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _holidays(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    rows = [(_str(r, "date"), str(r.get("district") or "*"), _str(r, "name_hi"),
             _str(r, "name_en")) for r in _rows(data, "holidays")]
    conn.execute("DELETE FROM holidays")
    conn.executemany("INSERT OR REPLACE INTO holidays VALUES (?, ?, ?, ?)", rows)
    return len(rows)


def _fees(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    rows = [(_str(r, "code"), _str(r, "item"), _int(r, "amount_paise"))
            for r in _rows(data, "fees")]
    conn.execute("DELETE FROM fees")
    conn.executemany("INSERT OR REPLACE INTO fees VALUES (?, ?, ?)", rows)
    return len(rows)


def _keys(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    rows = [(_str(r, "key_id"), _str(r, "algorithm"), _str(r, "public_key"),
             r.get("valid_from"), r.get("valid_to"), int(bool(r.get("revoked"))))
            for r in _rows(data, "keys")]
    conn.execute("DELETE FROM issuer_keys")
    conn.executemany("INSERT INTO issuer_keys VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _revocations(conn: sqlite3.Connection, data: dict[str, Any]) -> int:
    """Validate only: the list is read from ``reference_docs.body``, which
    :func:`apply_document` stores in the same transaction (no table of its own needed).

    Validating still matters: a malformed list is refused and the previous one stays in force,
    instead of a later certificate check finding it unreadable and trusting nothing.
    """
    # Imported here: status screens import this module, and they need no cryptography.
    from kiosk.certificates import parse_revocations

    return len(parse_revocations(data))


APPLIERS: dict[str, Callable[[sqlite3.Connection, dict[str, Any]], int]] = {
    "catalogue": _catalogue, "holidays": _holidays, "fees": _fees, "issuer-keys": _keys,
    "revocations": _revocations}


def stored_etag(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT etag FROM reference_docs WHERE name = ?", (name,)).fetchone()
    return None if row is None else row[0]


def apply_document(store: Store, doc: ReferenceDocument) -> int:
    """Replace the document's table and remember its ETag, all or nothing. Returns row count.

    Raises ``ValueError`` (nothing changed) when the document does not have the expected shape.
    """
    if doc.name not in APPLIERS:
        raise ValueError(f"unknown reference document {doc.name!r}")
    with store.transaction() as conn:
        n = APPLIERS[doc.name](conn, doc.data)
        conn.execute("INSERT OR REPLACE INTO reference_docs VALUES (?, ?, ?, ?, ?)",
                     (doc.name, doc.etag, doc.version,
                      json.dumps(doc.data, ensure_ascii=False), utc_now()))
    store.reference_applied(doc.name)  # caches (catalogue, holidays) reload once, now
    return n


def reference_summary(conn: sqlite3.Connection) -> dict[str, dict[str, str | None]]:
    return {str(r["name"]): {"version": r["version"], "etag": r["etag"],
                             "applied_at": r["applied_at"]}
            for r in conn.execute("SELECT name, version, etag, applied_at FROM reference_docs")}
