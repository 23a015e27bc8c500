"""Leased number blocks and offline-issued tokens, in the kiosk's own SQLite (schema v4).

Why the kiosk keeps blocks at all: when the LAN to the centre service is down a citizen must
still get a number, and it must never be one another kiosk also prints. The centre hands each
kiosk a block per group and day (``[centre] lease_size``, default 50) ahead of need; offline,
the kiosk takes the next number of its lowest open block and nothing else. Every function here
runs inside the caller's transaction (``Store.transaction()`` = ``BEGIN IMMEDIATE``), so taking
a number and storing the token that uses it are one commit: a SIGKILL leaves either both or
neither, and the same number is never taken twice, even by two processes on one database.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Lease:
    """One block: numbers ``first``..``last`` of ``group`` on ``day``; ``next`` is unused."""

    centre: str
    day: str
    group: str
    first: int
    last: int
    next: int

    @property
    def remaining(self) -> int:
        return max(0, self.last - self.next + 1)


def add_lease(conn: sqlite3.Connection, centre: str, day: str, group: str, first: int,
              last: int, at: str) -> bool:
    """Record a block the centre granted (a repeat of the same block is ignored)."""
    if last < first:
        return False
    cur = conn.execute(
        "INSERT OR IGNORE INTO token_leases (centre, day, grp, first_seq, last_seq, next_seq, "
        "obtained_at) VALUES (?, ?, ?, ?, ?, ?, ?)", (centre, day, group, first, last, first, at))
    return cur.rowcount == 1


def leases(conn: sqlite3.Connection, centre: str, day: str,
           group: str | None = None) -> list[Lease]:
    sql = ("SELECT centre, day, grp, first_seq, last_seq, next_seq FROM token_leases "
           "WHERE centre = ? AND day = ?")
    args: tuple[str, ...] = (centre, day)
    if group is not None:
        sql += " AND grp = ?"
        args += (group,)
    return [Lease(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]))
            for r in conn.execute(sql + " ORDER BY grp, first_seq", args)]


def remaining(conn: sqlite3.Connection, centre: str, day: str, group: str) -> int:
    """Unused leased numbers of ``group`` today."""
    row = conn.execute(
        "SELECT COALESCE(SUM(last_seq - next_seq + 1), 0) FROM token_leases "
        "WHERE centre = ? AND day = ? AND grp = ? AND next_seq <= last_seq",
        (centre, day, group)).fetchone()
    return int(row[0])


def take_number(conn: sqlite3.Connection, centre: str, day: str, group: str) -> int | None:
    """The next leased number of ``group`` (lowest block first), or None when none is left.

    Must run inside a write transaction together with the token insert that uses it.
    """
    row = conn.execute(
        "SELECT id, next_seq FROM token_leases WHERE centre = ? AND day = ? AND grp = ? "
        "AND next_seq <= last_seq ORDER BY first_seq LIMIT 1", (centre, day, group)).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE token_leases SET next_seq = next_seq + 1 WHERE id = ?", (row[0],))
    return int(row[1])


def unreported(conn: sqlite3.Connection, limit: int = 100) -> list[sqlite3.Row]:
    """Offline-issued tokens the centre has not accepted yet, in issue order."""
    return list(conn.execute(
        "SELECT * FROM tokens WHERE offline = 1 AND reported_at IS NULL "
        "ORDER BY issued_at, rowid LIMIT ?", (limit,)))


def unreported_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM tokens WHERE offline = 1 "
                            "AND reported_at IS NULL").fetchone()[0])


def mark_reported(conn: sqlite3.Connection, token_id: str, at: str,
                  status: str | None = None) -> None:
    """The centre accepted (or, with ``status='refused'``, finally refused) the token."""
    if status is None:
        conn.execute("UPDATE tokens SET reported_at = ? WHERE id = ?", (at, token_id))
    else:
        conn.execute("UPDATE tokens SET reported_at = ?, status = ? WHERE id = ?",
                     (at, status, token_id))
