"""A fresh PostgreSQL database per test, in the cluster ``SEVA_TEST_POSTGRES_URL`` names.

``scripts/test.sh`` starts a throw-away cluster (scripts/pg_cluster.sh) and exports the URL.
Without it the PostgreSQL variants are skipped on a developer's machine, but fail under
``CI=true``: CI must not pass by silently testing one store.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from reference_backend.store import with_database

URL_ENV = "SEVA_TEST_POSTGRES_URL"


def admin_url() -> str:
    """The cluster's URL, or skip (fail under CI) when there is none."""
    url = os.environ.get(URL_ENV, "")
    if url:
        return url
    why = f"{URL_ENV} is not set (scripts/test.sh starts a PostgreSQL cluster)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must test the PostgreSQL store: {why}")
    pytest.skip(why)


@contextmanager
def fresh_database(prefix: str = "seva_test") -> Iterator[str]:
    """A new, empty database for one test (CREATE DATABASE is ~0.1 s; a cluster is ~1 s);
    dropped afterwards, connections and all."""
    import psycopg

    url = admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
