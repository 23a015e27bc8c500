"""The kiosk database's size per record, before and after retention prunes what was delivered.

Issues N stand-alone tokens and M applications (real ApplicationService, the packaged
catalogue), marks every outbox entry delivered 40 days ago, then runs :func:`kiosk.retention.
prune` with the default policy. Prints the file size (pages × page size, after a WAL
checkpoint) and the bytes per token and per application at each stage, and how long the prune
held the write lock at most (one batch). Run::

    .venv/bin/python bench/bench_kiosk_db_size.py [--tokens 20000] [--applications 5000]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.application_cli import template
from kiosk.applications import ApplicationService
from kiosk.catalogue import packaged_catalogue
from kiosk.config import load_config
from kiosk.queue import TokenService
from kiosk.retention import RetentionPolicy, prune
from kiosk.store import Store


def size(store: Store) -> int:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = int(store.conn.execute("PRAGMA page_count").fetchone()[0])
    return pages * int(store.conn.execute("PRAGMA page_size").fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tokens", type=int, default=20000)
    ap.add_argument("--applications", type=int, default=5000)
    args = ap.parse_args()
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(data_dir=Path(tmp) / "data", environ={})
        store = Store(Path(tmp) / "kiosk.sqlite3")
        empty = size(store)
        tokens = TokenService(store, config)
        for i in range(args.tokens):
            tokens.issue("C" if i % 2 else "L", "general", "hi")
        after_tokens = size(store)
        when = datetime.now(UTC) - timedelta(days=40)
        cat = packaged_catalogue()
        svc = cat.get("INC")
        assert svc is not None
        answers: dict[str, Any] = dict(template(cat, svc, when.date(), "hi")["answers"])
        apps = ApplicationService(store, config, catalogue=packaged_catalogue,
                                  clock=lambda: when)
        for _ in range(args.applications):
            apps.submit("INC", answers, lang="hi")
        full = size(store)
        with store.transaction() as conn:
            conn.execute("UPDATE outbox SET state = 'done', delivered_at = ?",
                         (when.isoformat(),))
        t0 = time.perf_counter()
        report = prune(store, RetentionPolicy(), datetime.now(UTC))
        prune_s = time.perf_counter() - t0
        pruned = size(store)
        store.close()
    tok_bytes = (after_tokens - empty) / args.tokens
    app_bytes = (full - after_tokens) / args.applications
    print(f"records: {args.tokens:,} tokens, {args.applications:,} applications "
          f"(all delivered 40 days ago)")
    print(f"{'stage':<34}{'file bytes':>14}")
    print(f"{'empty database':<34}{empty:>14,}")
    print(f"{'after the tokens':<34}{after_tokens:>14,}   {tok_bytes:,.0f} B/token "
          "(token row + its outbox entry)")
    print(f"{'after the applications':<34}{full:>14,}   {app_bytes:,.0f} B/application "
          "(row, payment, outbox entry)")
    print(f"{'after prune (default policy)':<34}{pruned:>14,}   "
          f"{(pruned - empty) / args.tokens:,.0f} B/token kept, 0 B/application kept")
    print(f"prune: {report.deleted} in {prune_s * 1000:,.0f} ms "
          f"({report.pages_freed:,} pages given back; batches of 500 rows)")


if __name__ == "__main__":
    main()
