"""Retention: what this kiosk has already delivered is deleted after a while (domain.md).

Why: the kiosk is not the system of record, and a lost or stolen kiosk disk should expose as
little as possible — and delivered outbox rows were 56 % of a 305 MB database after 100k tokens
and 100k applications. So, on the sync worker (never the GUI thread), every ``[retention]
every_min``:

* delivered (``done``) outbox rows older than ``outbox_days`` are deleted;
* an application older than ``applications_days`` whose every outbox entry is delivered (none
  pending, in flight or parked — a row already pruned was delivered, nothing else is ever
  deleted) is deleted with its payments: its personal data then lives only at the state;
* print-journal rows older than ``print_jobs_days`` and stale proof-failure rows are deleted;
* tokens stay: they carry no personal data and feed the day's figures.

The centre service's database is pruned by the same job (its sync worker): delivered outbox
rows (token events, audit entries), the desk's applications with their payments and documents
seen, and the kiosks' copies, after the same periods. Cash receipts and day-ends stay — money
records carry no personal data, and a receipt must be reprintable and a day-end re-readable.

Nothing undelivered is ever touched, however old. Each kind is deleted in batches of
:data:`BATCH` rows, each batch its own short ``BEGIN IMMEDIATE``, so a token issued meanwhile
never waits more than one batch. Space: a database created since schema v6 uses
``auto_vacuum=INCREMENTAL`` and gives freed pages back to the file system a few hundred pages
per step after a prune; an older file keeps its size but reuses the freed pages (``kiosk db
compact`` — a full ``VACUUM`` — is for a technician at a quiet hour).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from kiosk.config import Config
from kiosk.store import Store

log = logging.getLogger(__name__)

#: Rows per delete transaction (one batch holds the write lock for a few milliseconds).
BATCH = 500
#: Pages given back per incremental-vacuum step (4 KiB pages: 2 MiB).
VACUUM_PAGES = 512
#: Failed status proofs only matter for the rate limit's window.
PROOF_FAILURES_KEEP = timedelta(days=1)


@dataclass(frozen=True)
class RetentionPolicy:
    applications_days: int = 30
    print_jobs_days: int = 30
    outbox_days: int = 7
    every_min: int = 60

    @classmethod
    def from_config(cls, config: Config) -> RetentionPolicy:
        r = config.raw.get("retention", {})
        def days(key: str, default: int) -> int:
            try:
                return max(0, int(r.get(key, default)))
            except (TypeError, ValueError):
                return default
        return cls(days("applications_days", 30), days("print_jobs_days", 30),
                   days("outbox_days", 7), max(1, days("every_min", 60)))


@dataclass
class PruneReport:
    deleted: dict[str, int] = field(default_factory=dict)
    pages_freed: int = 0

    @property
    def total(self) -> int:
        return sum(self.deleted.values())


def _cutoff(now: datetime, days: int) -> str | None:
    return None if days <= 0 else (now - timedelta(days=days)).isoformat()


def _batched(store: Store, select_sql: str, delete_sqls: tuple[str, ...],
             params: tuple[object, ...]) -> int:
    """Delete in short transactions: pick ``BATCH`` keys, delete them from each table."""
    total = 0
    while True:
        with store.transaction() as conn:
            keys = [r[0] for r in conn.execute(select_sql + f" LIMIT {BATCH}", params)]
            if not keys:
                return total
            marks = ",".join("?" * len(keys))
            for sql in delete_sqls:
                conn.execute(sql.format(marks=marks), keys)
        total += len(keys)
        if len(keys) < BATCH:
            return total


def _tables(store: Store) -> set[str]:
    return {str(r[0]) for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}


def prune(store: Store, policy: RetentionPolicy, now: datetime | None = None) -> PruneReport:
    """Delete what the policy says may go; returns how many rows of each kind. Works on the
    kiosk's database and on the centre's (each kind only where its table exists)."""
    now = now or datetime.now(UTC)
    report = PruneReport()
    tables = _tables(store)
    cut = _cutoff(now, policy.applications_days)
    if cut is not None and "kiosk_applications" in tables:
        # the centre's copy of a kiosk's application: the kiosk (and the state) have it
        report.deleted["kiosk_applications"] = _batched(
            store, "SELECT application_no FROM kiosk_applications WHERE submitted_at < ?",
            ("DELETE FROM documents_seen WHERE application_no IN ({marks})",
             "DELETE FROM kiosk_applications WHERE application_no IN ({marks})"), (cut,))
    if cut is not None:
        desk_docs = ("DELETE FROM documents_seen WHERE application_no IN ({marks})",) \
            if "documents_seen" in tables else ()
        # An application's entries are application.submitted and payment.cash; record_id is
        # its number. "No undelivered entry" includes entries already pruned (all delivered).
        report.deleted["applications"] = _batched(
            store,
            "SELECT a.application_no FROM applications a WHERE a.submitted_at < ? "
            "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = a.application_no "
            "AND o.state != 'done')",
            (*desk_docs, "DELETE FROM payments WHERE application_no IN ({marks})",
             "DELETE FROM applications WHERE application_no IN ({marks})"),
            (cut,))
    cut = _cutoff(now, policy.outbox_days)
    if cut is not None:
        report.deleted["outbox"] = _batched(
            store, "SELECT id FROM outbox WHERE state = 'done' AND delivered_at < ?",
            ("DELETE FROM outbox WHERE id IN ({marks})",), (cut,))
    cut = _cutoff(now, policy.print_jobs_days)
    if cut is not None and "print_jobs" in tables:
        report.deleted["print_jobs"] = _batched(
            store, "SELECT id FROM print_jobs WHERE created_at < ?",
            ("DELETE FROM print_jobs WHERE id IN ({marks})",), (cut,))
    if "status_proof_failures" in tables:
        report.deleted["status_proof_failures"] = _batched(
            store, "SELECT id FROM status_proof_failures WHERE failed_at < ?",
            ("DELETE FROM status_proof_failures WHERE id IN ({marks})",),
            ((now - PROOF_FAILURES_KEEP).isoformat(),))
    if report.total:
        report.pages_freed = give_back_space(store)
        log.info("retention: deleted %s; %d pages returned to the file system",
                 {k: v for k, v in report.deleted.items() if v}, report.pages_freed)
    return report


def give_back_space(store: Store, max_steps: int = 64) -> int:
    """Incremental vacuum in small steps (each one short write); 0 for an older file whose
    ``auto_vacuum`` is off (its free pages are reused instead)."""
    conn = store.conn
    if int(conn.execute("PRAGMA auto_vacuum").fetchone()[0]) != 2:
        return 0
    freed = 0
    for _ in range(max_steps):
        before = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
        if before == 0:
            break
        # The pragma frees one page per step of its statement, and Python's execute() steps a
        # statement without result columns only once; executescript() runs it to the end.
        conn.executescript(f"PRAGMA incremental_vacuum({VACUUM_PAGES});")
        after = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
        freed += before - after
        if after == before:
            break
    return freed


class RetentionJob:
    """Runs :func:`prune` at most every ``every_min`` minutes, from the sync worker's loop."""

    def __init__(self, store: Store, policy: RetentionPolicy,
                 clock: type[datetime] = datetime) -> None:
        self.store = store
        self.policy = policy
        self._clock = clock
        self._next: datetime | None = None
        self.last: PruneReport | None = None

    def __call__(self) -> None:
        now = self._clock.now(UTC)
        if self._next is not None and now < self._next:
            return
        self._next = now + timedelta(minutes=self.policy.every_min)
        try:
            self.last = prune(self.store, self.policy, now)
        except Exception:  # housekeeping must never stop the sync worker
            log.exception("retention: prune failed; will try again in %d min",
                          self.policy.every_min)
