"""The audit trail's hash chain: 1,000 entries verify; an edit, a deletion in the middle, a
reorder or a rewrite with the triggers dropped is named by its first bad entry."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.centre import audit

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
N = 1000


def open_db(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
    audit.ensure_schema(conn)
    return conn


def fill(conn: sqlite3.Connection, n: int = N) -> None:
    conn.execute("BEGIN IMMEDIATE")
    for i in range(n):
        audit.append(conn, action="token.called", operator_id=f"op{i % 7}", counter=str(i % 5),
                     detail={"token": f"C-{i:03d}", "waited_s": i * 3, "groups": ["C", "A"]},
                     at=T0 + timedelta(seconds=i))
    conn.execute("COMMIT")


def drop_triggers(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_db(tmp_path / "centre.sqlite3")
    fill(conn)
    yield conn
    conn.close()


def test_a_thousand_entries_verify(chain: sqlite3.Connection) -> None:
    started = time.perf_counter()
    check = audit.verify(chain)
    elapsed = time.perf_counter() - started
    assert check == audit.AuditCheck(True, N, None)
    assert elapsed < 2.0, f"verify took {elapsed:.2f} s for {N} entries"
    first, *_ = audit.entries(chain, limit=1)
    assert first.prev_hash == audit.GENESIS_HASH and first.id == 1
    assert first.detail == {"token": "C-000", "waited_s": 0, "groups": ["C", "A"]}
    last = audit.entries(chain, after_id=N - 1)
    assert [e.id for e in last] == [N]


def test_triggers_refuse_update_and_delete(chain: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        chain.execute("UPDATE audit_log SET detail = '{}' WHERE id = 5")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        chain.execute("DELETE FROM audit_log WHERE id = 5")
    assert audit.verify(chain).ok


def test_an_edited_entry_is_named(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    chain.execute("UPDATE audit_log SET detail = replace(detail, 'C-500', 'C-900') WHERE id = 501")
    check = audit.verify(chain)
    assert (check.ok, check.first_bad_id, check.entries) == (False, 501, N)
    assert "501" in check.reason


def test_an_edited_operator_or_time_is_named(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    chain.execute("UPDATE audit_log SET operator_id = 'op9' WHERE id = 42")
    chain.execute("UPDATE audit_log SET at = '2026-12-01T08:00:00+00:00' WHERE id = 77")
    assert audit.verify(chain).first_bad_id == 42


def test_a_deletion_in_the_middle_names_the_entry_after_it(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    chain.execute("DELETE FROM audit_log WHERE id = 300")
    check = audit.verify(chain)
    assert (check.ok, check.first_bad_id, check.entries) == (False, 301, N - 1)


def test_deleting_the_first_entry_is_caught(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    chain.execute("DELETE FROM audit_log WHERE id = 1")
    assert audit.verify(chain).first_bad_id == 2


def test_a_deletion_renumbered_to_hide_the_gap_is_caught(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    chain.execute("DELETE FROM audit_log WHERE id = 600")
    chain.execute("UPDATE audit_log SET id = id - 1 WHERE id > 600")
    assert audit.verify(chain).first_bad_id == 600


def test_reordered_entries_are_named(chain: sqlite3.Connection) -> None:
    drop_triggers(chain)
    cols = "at, action, operator_id, counter, detail, prev_hash, hash"
    a = chain.execute(f"SELECT {cols} FROM audit_log WHERE id = 250").fetchone()
    b = chain.execute(f"SELECT {cols} FROM audit_log WHERE id = 251").fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    chain.execute(f"UPDATE audit_log SET {sets} WHERE id = 250", b)
    chain.execute(f"UPDATE audit_log SET {sets} WHERE id = 251", a)
    assert audit.verify(chain).first_bad_id == 250


def test_a_rewrite_with_fresh_hashes_breaks_the_next_link(chain: sqlite3.Connection) -> None:
    """Someone drops the triggers, edits entry 700 and recomputes its own hash: 700 now looks
    whole, but 701 no longer points at it — the chain names 701, the first link that fails."""
    drop_triggers(chain)
    row = audit.entries(chain, after_id=699, limit=1)[0]
    forged = {**row.detail, "token": "C-999"}
    entry = {"id": row.id, "at": row.at, "action": row.action, "operator_id": row.operator_id,
             "counter": row.counter, "detail": forged}
    digest = audit.entry_hash(row.prev_hash, entry)
    chain.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE id = 700",
                  (audit.canonical(forged).decode(), digest))
    check = audit.verify(chain)
    assert (check.ok, check.first_bad_id) == (False, 701)


def test_a_non_canonical_detail_is_caught(chain: sqlite3.Connection) -> None:
    """Same data, different bytes (spaces added): the stored text is not what was hashed."""
    drop_triggers(chain)
    text = chain.execute("SELECT detail FROM audit_log WHERE id = 10").fetchone()[0]
    chain.execute("UPDATE audit_log SET detail = ? WHERE id = 10",
                  (json.dumps(json.loads(text), indent=1),))
    assert audit.verify(chain).first_bad_id == 10
    chain.execute("UPDATE audit_log SET detail = 'not json' WHERE id = 10")
    assert audit.verify(chain).first_bad_id == 10


def test_appends_continue_the_chain_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    conn = open_db(path)
    fill(conn, 3)
    conn.close()
    conn = open_db(path)
    audit.ensure_schema(conn)  # idempotent
    conn.execute("BEGIN IMMEDIATE")
    assert audit.append(conn, action="counter.closed", operator_id=None, counter=2, detail={},
                        at=T0) == 4
    conn.execute("COMMIT")
    assert audit.verify(conn) == audit.AuditCheck(True, 4, None)
    assert audit.entries(conn, after_id=3)[0].counter == "2"
    conn.close()


def test_empty_chain_verifies() -> None:
    conn = open_db(":memory:")
    assert audit.verify(conn) == audit.AuditCheck(True, 0, None)
    conn.close()


@pytest.mark.parametrize("detail", [
    {"pin": "5839"}, {"operator": {"name": "Sunita"}}, {"list": [{"Aadhaar": "x"}]},
    {"card_id": "0B001A2B3C"}, {"waited": 1.5}, {"when": datetime.now(UTC)}, {1: "x"},
])
def test_personal_data_floats_and_non_json_are_refused(detail: dict[Any, Any]) -> None:
    conn = open_db(":memory:")
    with pytest.raises(ValueError):
        audit.append(conn, action="x", operator_id=None, counter=None, detail=detail, at=T0)
    with pytest.raises(ValueError):
        audit.append(conn, action="x", operator_id=None, counter=None, detail={},
                     at=datetime(2026, 1, 1))
    assert audit.verify(conn).entries == 0
    conn.close()


# -- the canonical encoding -------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.text(max_size=20)
keys = st.text(max_size=12).filter(lambda k: k.lower() not in audit.FORBIDDEN_KEYS)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(keys, inner, max_size=4), max_leaves=20)
details = st.dictionaries(keys, json_values, max_size=6)
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


@settings(max_examples=200, deadline=None)
@given(details, st.randoms())
def test_canonical_is_key_order_free_compact_utf8_and_round_trips(
        detail: dict[str, Any], rnd: Any) -> None:
    items = list(detail.items())
    rnd.shuffle(items)
    encoded = audit.canonical(detail)
    assert audit.canonical(dict(items)) == encoded
    assert json.loads(encoded.decode("utf-8")) == detail
    assert audit.canonical(json.loads(encoded)) == encoded  # a fixed point
    outside_strings = STRING.sub("", encoded.decode("utf-8"))
    assert not re.search(r"\s", outside_strings)
    for value in detail.values():
        if isinstance(value, str) and value.isprintable() and '"' not in value \
                and "\\" not in value:
            assert value.encode("utf-8") in encoded  # not \\u-escaped


@settings(max_examples=30, deadline=None)
@given(st.lists(details, min_size=1, max_size=8))
def test_any_details_chain_and_verify(batch: list[dict[str, Any]]) -> None:
    conn = open_db(":memory:")
    conn.execute("BEGIN IMMEDIATE")
    ids = [audit.append(conn, action="a.b", operator_id="op1", counter="1", detail=d, at=T0)
           for d in batch]
    conn.execute("COMMIT")
    assert ids == list(range(1, len(batch) + 1))
    assert [e.detail for e in audit.entries(conn)] == batch
    assert audit.verify(conn).ok
    conn.close()
