"""The store layer itself: one SQL text for both databases, rows read alike, no password shown."""

from __future__ import annotations

import pytest

from reference_backend.db import BackendDB
from reference_backend.store import Row, redact, to_pyformat


def test_placeholders_and_literal_percent_signs_reach_psycopg_intact() -> None:
    assert to_pyformat("SELECT 1 WHERE a = ? AND b LIKE 'x%' AND c = ?") == \
        "SELECT 1 WHERE a = %s AND b LIKE 'x%%' AND c = %s"


def test_a_row_reads_by_name_position_and_as_a_dict() -> None:
    row = Row(("T1", 3), {"token_id": 0, "recalls": 1})
    assert row["recalls"] == 3 and row[0] == "T1" and list(row) == ["T1", 3]
    assert dict(row) == {"token_id": "T1", "recalls": 3}  # type: ignore[call-overload]


def test_a_password_in_the_url_is_never_printed() -> None:
    assert redact("postgresql://seva:s3cret@db.internal/seva") == \
        "postgresql://seva:***@db.internal/seva"
    assert redact("postgresql:///seva?host=/run/postgresql") == \
        "postgresql:///seva?host=/run/postgresql"


def test_same_sql_same_answers_on_both_stores(store_location: str) -> None:
    db = BackendDB(store_location)
    try:
        with db.tx() as conn:
            conn.execute("INSERT INTO centres VALUES (?, ?)", ("C1", "Bhopal"))
            with pytest.raises(RuntimeError if db.dialect == "postgresql" else Exception):
                with db.tx():  # no transaction inside a transaction, on either store
                    pass
        row = db.conn.execute("SELECT centre, district FROM centres WHERE centre LIKE ?",
                              ("C%",)).fetchone()
        assert (row["centre"], row[1], dict(row)) == ("C1", "Bhopal",
                                                      {"centre": "C1", "district": "Bhopal"})
    finally:
        db.close()
