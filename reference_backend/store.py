"""Where the reference backend keeps its rows: one SQLite file, or a PostgreSQL database.

SQLite is the embedded default (``python main.py``, a laptop demo, the kiosk's own tests): one
file, no server, every write serialised by ``BEGIN IMMEDIATE``. PostgreSQL is what a district
runs (docs/sync.md, "Running the reference backend for a district"): many writers at once, a
connection pool, backups and replicas the operations team already knows.

``db.py`` writes its SQL once, in the dialect both understand (``?`` placeholders, ``ON CONFLICT``
upserts, ``RETURNING``, ``substr``); the PostgreSQL side only rewrites the placeholders and gives
rows that read by column name and by position, as :class:`sqlite3.Row` does. What cannot be said
the same way (row locks) is asked for through each store's ``dialect``.

Concurrency on PostgreSQL is READ COMMITTED with explicit guards, not SERIALIZABLE: every
uniqueness the contract promises (an idempotency key, a token number per centre and day, an
application number, a payment reference) is a unique index written with ``ON CONFLICT``, which
waits for a concurrent writer of the same key and then sees its committed row; the few
read-modify-writes take a row lock (``FOR UPDATE``). Nothing has to be retried for correctness.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class StoreUnavailableError(Exception):
    """The PostgreSQL server could not be reached or refused the login (the URL is in the
    message without its password)."""


def redact(url: str) -> str:
    """``url`` with any password replaced, fit for a log line or a terminal."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def is_postgres_url(location: Path | str) -> bool:
    return str(location).startswith(POSTGRES_SCHEMES)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (host, user and options kept): a throw-away
    database in a cluster, for the tests and the bench."""
    parts = urlsplit(url)  # (urlunsplit would drop the "//" of a URL with no host part)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


# -- SQLite -------------------------------------------------------------------------------------


class SqliteStore:
    """One connection per thread; a write transaction is ``BEGIN IMMEDIATE`` (one at a time)."""

    dialect = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.location = str(self.path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for c in conns:
            try:
                c.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()


# -- PostgreSQL ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (a literal ``%``, as in ``LIKE 'x%'``, doubled).

    The SQL in this package never has a ``?`` inside a string literal; values always travel
    as parameters.
    """
    return sql.replace("%", "%%").replace("?", "%s")


class Row:
    """A result row read by name (``row["status"]``) or position (``row[0]``), and ``dict(row)``
    works: what :class:`sqlite3.Row` gives, so ``db.py`` and the tests read both stores alike."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values, self._index = tuple(values), index

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _row_factory(cursor: Any) -> Any:
    names = [c.name for c in (cursor.description or ())]
    index = {n: i for i, n in enumerate(names)}
    return lambda values: Row(values, index)


class PgConn:
    """A pooled psycopg connection inside one transaction, speaking ``?`` placeholders."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.raw.execute(to_pyformat(sql), tuple(args) if args else None)


class _Fetched:
    """A finished statement's rows, so the pooled connection goes back before they are read."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows, self.rowcount = rows, rowcount

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


class _PgAutocommit:
    """``store.conn`` outside a transaction: each statement borrows a pooled connection and
    commits on its own (reads, tests' counts, one-statement admin fixes)."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def execute(self, sql: str, args: Sequence[Any] = ()) -> _Fetched:
        with self._pool.connection() as raw:
            cur = raw.execute(to_pyformat(sql), tuple(args) if args else None)
            rows = cur.fetchall() if cur.description else []
            return _Fetched(rows, cur.rowcount)


class PostgresStore:
    """A psycopg connection pool. Inside :meth:`tx` the thread's ``conn`` is the transaction's
    connection, as it is with SQLite's per-thread connection, so a read made while writing sees
    the rows just written (and never waits for a second pooled connection)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 16,
                 timeout_s: float = 30.0, connect_timeout_s: float = 10.0) -> None:
        import psycopg  # imported only when a district asks for PostgreSQL
        from psycopg_pool import ConnectionPool

        self.location = url
        self.path: Path | None = None
        self._local = threading.local()
        try:  # a wrong URL, a stopped server, a bad password: say so now, once, plainly
            psycopg.connect(url, connect_timeout=max(2, round(connect_timeout_s))).close()
        except psycopg.Error as exc:
            raise StoreUnavailableError(f"{redact(url)}: {str(exc).strip()}") from exc
        self.pool = ConnectionPool(url, min_size=min_size, max_size=max_size, timeout=timeout_s,
                                   kwargs={"autocommit": True, "row_factory": _row_factory},
                                   name="reference-backend", open=True)
        self._reader = _PgAutocommit(self.pool)

    @property
    def conn(self) -> PgConn | _PgAutocommit:
        active: PgConn | None = getattr(self._local, "active", None)
        return active if active is not None else self._reader

    @contextmanager
    def tx(self) -> Iterator[PgConn]:
        if getattr(self._local, "active", None) is not None:
            # A second pooled connection would wait on this one's row locks for ever.
            raise RuntimeError("a transaction inside a transaction (use the one you have)")
        with self.pool.connection() as raw:
            conn = PgConn(raw)
            raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            self._local.active = conn
            try:
                yield conn
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            finally:
                self._local.active = None
            raw.execute("COMMIT")

    def close(self) -> None:
        self.pool.close()


@dataclass(frozen=True)
class ConnectionRoom:
    """How many more client connections a PostgreSQL server will accept right now.

    Why it is asked at all: every backend worker process has its own pool, and a server past
    ``max_connections`` refuses the next login ("sorry, too many clients already") — which a
    worker meets only under load, when its pool grows, so requests fail at random. Slots kept
    for superusers (``superuser_reserved_connections``, and ``reserved_connections`` from
    PostgreSQL 16) are not ours to take: the administrator needs them to log in and fix things.
    """

    max_connections: int
    #: superuser_reserved_connections + reserved_connections (PostgreSQL 16+; 0 before).
    reserved: int
    #: Client connections open now (other programs, another backend), not counting the one
    #: that asked.
    in_use: int

    @property
    def available(self) -> int:
        return max(0, self.max_connections - self.reserved - self.in_use)


def connection_room(url: str, *, connect_timeout_s: float = 10.0) -> ConnectionRoom:
    """Ask the server at ``url`` for its :class:`ConnectionRoom` (one short connection).

    Raises :class:`StoreUnavailableError` when it cannot be asked (the URL without password).
    """
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=max(2, round(connect_timeout_s)),
                             autocommit=True) as conn:
            settings: dict[str, str] = dict(conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', "
                "'superuser_reserved_connections', 'reserved_connections')").fetchall())
            # Every client backend is visible in pg_stat_activity to any role (only the
            # query text of others' is hidden); background workers take no client slot.
            row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                               "'client backend' AND pid <> pg_backend_pid()").fetchone()
    except psycopg.Error as exc:
        raise StoreUnavailableError(f"{redact(url)}: {str(exc).strip()}") from exc
    reserved = sum(int(settings.get(k) or 0) for k in ("superuser_reserved_connections",
                                                      "reserved_connections"))
    return ConnectionRoom(int(settings["max_connections"]), reserved,
                          int(row[0]) if row else 0)


def open_store(location: Path | str, *, pool_size: int = 16) -> SqliteStore | PostgresStore:
    """A ``postgresql://`` URL opens PostgreSQL; anything else is a SQLite file path."""
    if is_postgres_url(location):
        return PostgresStore(str(location), max_size=pool_size)
    return SqliteStore(location)
