"""The local SQLite database: WAL mode, durable commits, migrations by ``PRAGMA user_version``.

Why WAL with ``synchronous=FULL``: readers (the UI, the sync worker) never block the writer, and
a commit has reached the disk when ``COMMIT`` returns, so a token shown to a citizen survives a
power cut that follows it. Each thread gets its own connection (sqlite3 objects must not cross
threads); writes go through :meth:`Store.transaction`, which takes the write lock up front
(``BEGIN IMMEDIATE``) so two writers never interleave a read-modify-write such as "next token
number".
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.errors import StoreError
from kiosk.file_modes import PRIVATE_DIR, PRIVATE_FILE, private_file
from kiosk.i18n import N_

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000

#: Each entry upgrades the schema by one version; never edit a shipped entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # v1: tokens, the sync outbox and the print journal.
    """
    CREATE TABLE tokens (
        id          TEXT PRIMARY KEY,
        day         TEXT NOT NULL,
        grp         TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        number      TEXT NOT NULL,
        priority    TEXT NOT NULL,
        lang        TEXT NOT NULL,
        issued_at   TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'waiting',
        UNIQUE (day, grp, seq)
    );
    CREATE INDEX tokens_waiting ON tokens (day, grp, status);
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,
        record_id       TEXT NOT NULL,
        payload         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        created_at      TEXT NOT NULL
    );
    CREATE INDEX outbox_state ON outbox (state, id);
    CREATE TABLE print_jobs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_kind    TEXT NOT NULL,
        doc_ref     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'queued',
        reason      TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX print_jobs_ref ON print_jobs (doc_kind, doc_ref);
    """,
    # v2 (sync): outbox delivery bookkeeping, sync state, reference data pulled from the backend.
    """
    ALTER TABLE outbox ADD COLUMN updated_at TEXT;
    ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
    ALTER TABLE outbox ADD COLUMN park_code TEXT;
    CREATE INDEX outbox_record ON outbox (record_id, id);
    CREATE TABLE sync_state (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    );
    CREATE TABLE reference_docs (
        name        TEXT PRIMARY KEY,
        etag        TEXT,
        version     TEXT NOT NULL,
        body        TEXT NOT NULL,
        applied_at  TEXT NOT NULL
    );
    CREATE TABLE catalogue_services (
        code        TEXT PRIMARY KEY,
        name_hi     TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        days        INTEGER NOT NULL,
        fee_paise   INTEGER NOT NULL,
        same_day    INTEGER NOT NULL,
        documents   TEXT NOT NULL
    );
    CREATE TABLE holidays (
        day         TEXT NOT NULL,
        district    TEXT NOT NULL,
        name_hi     TEXT NOT NULL,
        name_en     TEXT NOT NULL,
        PRIMARY KEY (day, district)
    );
    CREATE TABLE fees (
        code        TEXT NOT NULL,
        item        TEXT NOT NULL,
        amount_paise INTEGER NOT NULL,
        PRIMARY KEY (code, item)
    );
    CREATE TABLE issuer_keys (
        key_id      TEXT PRIMARY KEY,
        algorithm   TEXT NOT NULL,
        public_key  TEXT NOT NULL,
        valid_from  TEXT,
        valid_to    TEXT,
        revoked     INTEGER NOT NULL DEFAULT 0
    );
    """,
    # v3 (applications): applications with their fee and documents, and payments. Only the last
    # four digits of an Aadhaar number are ever stored (``aadhaar_last4``).
    """
    CREATE TABLE applications (
        application_no  TEXT PRIMARY KEY,
        submission_id   TEXT NOT NULL UNIQUE,
        day             TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        service_code    TEXT NOT NULL,
        lang            TEXT NOT NULL,
        submitted_at    TEXT NOT NULL,
        due_date        TEXT NOT NULL,
        answers         TEXT NOT NULL,
        aadhaar_last4   TEXT,
        documents_shown TEXT NOT NULL,
        delivery        TEXT NOT NULL,
        fees            TEXT NOT NULL,
        fee_paise       INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'submitted',
        status_checked_at TEXT,
        operator        TEXT,
        UNIQUE (day, seq)
    );
    CREATE TABLE payments (
        tr              TEXT PRIMARY KEY,
        application_no  TEXT NOT NULL REFERENCES applications (application_no),
        method          TEXT NOT NULL,
        amount_paise    INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending',
        utr             TEXT,
        cash_receipt_no TEXT,
        upi_uri         TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    );
    CREATE INDEX payments_application ON payments (application_no);
    """,
    # v4 (centre): numbers now come from the centre service (``scope`` 'centre') or from a block
    # it leased to this kiosk (``offline`` 1, handed to the centre later; ``reported_at`` NULL
    # until it accepted the token). A stand-alone kiosk's own numbers keep ``scope`` 'local', so
    # the two numberings never collide in this table. SQLite cannot change a UNIQUE constraint
    # in place, hence the copy.
    """
    CREATE TABLE tokens_v4 (
        id          TEXT PRIMARY KEY,
        day         TEXT NOT NULL,
        grp         TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        number      TEXT NOT NULL,
        priority    TEXT NOT NULL,
        lang        TEXT NOT NULL,
        issued_at   TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'waiting',
        scope       TEXT NOT NULL DEFAULT 'local',
        offline     INTEGER NOT NULL DEFAULT 0,
        reported_at TEXT,
        UNIQUE (day, grp, seq, scope)
    );
    INSERT INTO tokens_v4 (id, day, grp, seq, number, priority, lang, issued_at, status)
        SELECT id, day, grp, seq, number, priority, lang, issued_at, status FROM tokens;
    DROP TABLE tokens;
    ALTER TABLE tokens_v4 RENAME TO tokens;
    CREATE INDEX tokens_waiting ON tokens (day, grp, status);
    CREATE INDEX tokens_unreported ON tokens (offline, reported_at, issued_at);
    CREATE TABLE token_leases (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        centre      TEXT NOT NULL,
        day         TEXT NOT NULL,
        grp         TEXT NOT NULL,
        first_seq   INTEGER NOT NULL,
        last_seq    INTEGER NOT NULL,
        next_seq    INTEGER NOT NULL,
        obtained_at TEXT NOT NULL,
        UNIQUE (centre, day, grp, first_seq)
    );
    CREATE INDEX token_leases_open ON token_leases (centre, day, grp, next_seq);
    """,
    # v5 (status privacy): the unguessable secret an application's acknowledgement QR carries
    # (proof of possession on the status screen; NULL for older applications, which only the
    # registered mobile's last four digits prove), and this kiosk's failed proofs, so the rate
    # limit on guessing survives a restart.
    """
    ALTER TABLE applications ADD COLUMN proof_secret TEXT;
    CREATE TABLE status_proof_failures (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        failed_at   TEXT NOT NULL
    );
    """,
    # v6 (the operator's desk): when the centre service accepted this kiosk's copy of an
    # application (NULL until then; an operator finds it there and takes its cash), and the
    # index that finds the copies still to hand over.
    """
    ALTER TABLE applications ADD COLUMN centre_reported_at TEXT;
    CREATE INDEX applications_centre_unreported ON applications (centre_reported_at)
        WHERE centre_reported_at IS NULL;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"

#: SQLite's primary result code for "database or disk is full".
SQLITE_FULL = 13

NOT_OUR_DATABASE = N_(
    "The kiosk's database file is empty or belongs to another program. Nothing was changed. "
    "A technician can start a new database with --init (the old file is kept aside).")
DISK_FULL = N_("The kiosk's disk is full. Nothing was recorded. Please call a technician.")


class Store:
    """Owns the database file; hands each thread its own connection."""

    #: The schema this store migrates to; the centre service's store brings its own list.
    migrations: tuple[str, ...] = MIGRATIONS

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._reference_listeners: list[Callable[[str], None]] = []
        try:
            self._prepare_file()
            self._migrate()
        except StoreError:
            self.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise store_error(exc, f"cannot open database {self.path}") from exc

    # -- the file itself: created private, refused when it is not ours -------------------------
    def _prepare_file(self) -> None:
        """Create a new database 0600 (fully migrated, then renamed in), or check the one there.

        Why the rename: a database file appears only once it is a complete kiosk database, so a
        crash during creation never leaves the 0-byte file that :meth:`_check_ours` refuses.
        """
        parent = self.path.parent
        if not parent.is_dir():
            if parent.exists():
                raise StoreError(f"cannot open database {self.path}: {parent} is not a "
                                 "directory")
            parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._create_fresh()
            return
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"database {self.path} is not a regular file",
                             message=NOT_OUR_DATABASE)
        self._check_ours(st.st_size)
        for suffix in ("", "-wal", "-shm", "-journal"):
            private_file(Path(f"{self.path}{suffix}"))

    def _check_ours(self, size: int) -> None:
        refusal = self.refusal(self.path, size)
        if refusal is not None:
            raise refusal

    @classmethod
    def refusal(cls, path: Path, size: int | None = None) -> StoreError | None:
        """Why an existing file at ``path`` is not this store's database (None: it is, or
        there is no file). Refused: a 0-byte file, a file that is not SQLite, another
        program's SQLite database, something that is not a regular file."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return StoreError(f"database {path} is not a regular file", message=NOT_OUR_DATABASE)
        size = st.st_size if size is None else size
        if size == 0:
            return StoreError(f"database {path} is an empty (0-byte) file",
                              message=NOT_OUR_DATABASE)
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
        if head != SQLITE_MAGIC:
            return StoreError(f"database {path} is not an SQLite database",
                              message=NOT_OUR_DATABASE)
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            version = int(probe.execute("PRAGMA user_version").fetchone()[0])
            tables = {str(r[0]) for r in probe.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
        first = _first_table(cls.migrations[0])
        if version < 1 or (first is not None and first not in tables):
            return StoreError(f"database {path} (schema v{version}, tables "
                              f"{sorted(tables)[:5]}) is not this program's database",
                              message=NOT_OUR_DATABASE)
        return None

    @classmethod
    def set_aside_if_refused(cls, path: Path) -> Path | None:
        """``--init``: move a refused file (and its -wal/-shm) aside, so the next open starts
        a new database; returns where it went (None if the file was fine or absent).

        Nothing is deleted: a technician may still want what was in it.
        """
        refusal = cls.refusal(path)
        if refusal is None:
            return None
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = path.with_name(f"{path.name}.refused-{stamp}")
        for suffix in ("-wal", "-shm", ""):
            src = Path(f"{path}{suffix}")
            if src.exists() or src.is_symlink():
                os.replace(src, Path(f"{target}{suffix}"))
        log.warning("--init: %s set aside as %s (%s)", path, target, refusal.detail)
        return target

    def _create_fresh(self) -> None:
        tmp = self.path.with_name(self.path.name + ".new")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            # Before the first table: only then can a file give freed pages back in steps
            # (kiosk/retention.py); changing it later needs a full VACUUM.
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._apply_migrations(conn, 0)
        finally:
            conn.close()   # the last connection checkpoints and removes the WAL
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        with self._all_lock:
            self._all.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode; use :meth:`transaction` to write)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it is on disk when the block ends, or none of it is."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot start a write transaction on {self.path}: {exc}") from exc
        try:
            yield conn
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise store_error(exc, f"commit failed on {self.path}") from exc

    def _migrate(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        latest = len(self.migrations)
        if version > latest:
            raise StoreError(f"database {self.path} has schema v{version}, newer than this "
                             f"kiosk's v{latest}; refusing to touch it")
        self._apply_migrations(conn, version)

    def _apply_migrations(self, conn: sqlite3.Connection, version: int) -> None:
        for number in range(version, len(self.migrations)):
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in self.migrations[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version={number + 1}")
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")
            log.info("database migrated to schema v%d", number + 1)

    # -- reference documents -----------------------------------------------------------------
    def add_reference_listener(self, callback: Callable[[str], None]) -> Callable[[], None]:
        """Call ``callback(name)`` after a reference document was applied to this database
        (on the applying thread); returns the function that stops the calls.

        Why here: the store is the one object the sync worker (which applies documents) and
        the screens (which cache what the documents say) share, so a cache learns of a new
        catalogue without polling the database for it.
        """
        with self._all_lock:
            self._reference_listeners.append(callback)

        def remove() -> None:
            with self._all_lock:
                if callback in self._reference_listeners:
                    self._reference_listeners.remove(callback)

        return remove

    def reference_applied(self, name: str) -> None:
        """Tell the listeners that reference document ``name`` changed (after its commit)."""
        with self._all_lock:
            listeners = list(self._reference_listeners)
        for callback in listeners:
            try:
                callback(name)
            except Exception:
                log.exception("reference listener failed for %s", name)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close every connection this store opened (safe to call twice)."""
        with self._all_lock:
            conns, self._all = self._all, []
        for c in conns:
            try:
                c.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open, never hiding the error that caused it.

    Why: on SQLITE_FULL (and a few other errors) SQLite has already rolled the transaction
    back by itself; a plain ``ROLLBACK`` then raises "cannot rollback - no transaction is
    active", and that second error used to replace the real one ("database or disk is full").
    """
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        log.warning("rollback failed after an earlier error: %s", exc)


def store_error(exc: BaseException, what: str) -> StoreError:
    """A :class:`StoreError` for ``exc`` that keeps SQLite's own words in the detail and says
    "disk full" to the user when that is what happened."""
    full = isinstance(exc, sqlite3.Error) and (
        getattr(exc, "sqlite_errorcode", 0) & 0xFF == SQLITE_FULL or "full" in str(exc))
    full = full or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
    return StoreError(f"{what}: {exc}", message=DISK_FULL if full else None)


def _first_table(migration: str) -> str | None:
    """The first table a migration creates (what marks a database as this store's)."""
    match = re.search(r"CREATE\s+TABLE\s+(\w+)", migration, re.IGNORECASE)
    return match.group(1) if match else None
