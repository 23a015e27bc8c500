"""The print journal (``print_jobs``): one row per print attempt, and the ways it is read.

Why one module: the print service writes the journal, the technician's diagnostics screen and
``kiosk doctor`` read it, and each used to carry its own SQL for the same table. A job goes
``queued → sent → confirmed`` or ``failed`` with the reason; a failed token slip never
invalidates its token, so readers need to know whether a later job for the same token got out
(then there is nothing left to reprint).

Thread-safety: every call uses the calling thread's connection (``Store.conn``); callers run
these on worker threads (the print service) or off the GUI thread (the diagnostics screen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.store import Store

#: Journal states, in the order a job passes through them.
QUEUED, SENT, CONFIRMED, FAILED = "queued", "sent", "confirmed", "failed"


def _now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class JournalEntry:
    """One job as the diagnostics screen lists it (newest first)."""

    id: int
    kind: str
    ref: str
    #: The token number for a token slip, else the document's reference.
    label: str
    state: str
    reason: str
    updated_at: str | None
    #: A later job for the same document was sent or confirmed.
    reprinted: bool

    @property
    def failed_token(self) -> bool:
        return self.kind == "token" and self.state == FAILED


class PrintJournal:
    """Reads and writes ``print_jobs`` for one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- writing (the print service) ---------------------------------------------------------
    def start(self, kind: str, ref: str) -> int:
        """A new ``queued`` job for document ``kind``/``ref``; returns its id."""
        now = _now()
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO print_jobs (doc_kind, doc_ref, state, created_at, updated_at) "
                "VALUES (?, ?, 'queued', ?, ?)", (kind, ref, now, now))
            return int(cur.lastrowid or 0)

    def set_state(self, job_id: int, state: str, reason: str | None = None) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE print_jobs SET state = ?, reason = ?, updated_at = ? "
                         "WHERE id = ?", (state, reason, _now(), job_id))

    # -- reading ----------------------------------------------------------------------------------
    def jobs_for(self, kind: str, ref: str) -> list[dict[str, Any]]:
        """Every row for one document, oldest first (staff screens and tests)."""
        rows = self.store.conn.execute(
            "SELECT * FROM print_jobs WHERE doc_kind = ? AND doc_ref = ? ORDER BY id",
            (kind, ref)).fetchall()
        return [dict(r) for r in rows]

    def recent(self, limit: int) -> list[dict[str, Any]]:
        """The newest rows as stored (``kiosk doctor`` prints them)."""
        rows = self.store.conn.execute(
            "SELECT id, doc_kind, doc_ref, state, reason, created_at, updated_at "
            "FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    def recent_entries(self, limit: int) -> list[JournalEntry]:
        """The newest jobs with the token number, and whether a failed slip still needs a
        reprint (no later job for the same token got out)."""
        rows = self.store.conn.execute(
            "SELECT j.id, j.doc_kind, j.doc_ref, j.state, j.reason, j.updated_at, t.number, "
            "  EXISTS (SELECT 1 FROM print_jobs k WHERE k.doc_kind = j.doc_kind "
            "          AND k.doc_ref = j.doc_ref AND k.id > j.id "
            "          AND k.state IN ('sent', 'confirmed')) AS reprinted "
            "FROM print_jobs j LEFT JOIN tokens t ON j.doc_kind = 'token' AND t.id = j.doc_ref "
            "ORDER BY j.id DESC LIMIT ?", (limit,)).fetchall()
        return [JournalEntry(id=int(r["id"]), kind=str(r["doc_kind"]), ref=str(r["doc_ref"]),
                             label=str(r["number"] or r["doc_ref"]), state=str(r["state"]),
                             reason=str(r["reason"] or ""), updated_at=r["updated_at"],
                             reprinted=bool(r["reprinted"]))
                for r in rows]


__all__ = ["CONFIRMED", "FAILED", "JournalEntry", "PrintJournal", "QUEUED", "SENT"]
