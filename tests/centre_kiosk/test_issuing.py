"""A kiosk issuing through a real centre service on loopback: online, from its lease, back.

What a citizen and a centre care about: the number comes from the centre (unique for the whole
centre); with the LAN down the kiosk issues only numbers leased to it and says honestly that the
wait is not known; with the lease used up it issues nothing and says so in both languages; when
the centre is back it hears of every offline token once, in issue order, with its original
issue time; the kiosk never tells the state backend about a token itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.config import Config
from kiosk.documents.token_slip import build_token_slip
from kiosk.issuing import leases
from kiosk.issuing.issuer import LeaseExhaustedError
from kiosk.issuing.runtime import CentreLink
from kiosk.queue import Priority, TokenService
from kiosk.store import Store
from tests.centre_kiosk.conftest import CentreProcessless


def _link(config: Config, store: Store) -> tuple[CentreLink, TokenService]:
    link = CentreLink(config, store, embed=False, background=False)
    return link, TokenService(store, config, centre=link.issuer)


def test_online_issue_comes_from_the_centre_and_writes_no_outbox_entry(
        centre: CentreProcessless, kiosk_config: Callable[..., Config]) -> None:
    config = kiosk_config(centre.url)
    with Store(config.db_path) as store:
        link, tokens = _link(config, store)
        with link:
            assert link.sync_now()  # enrol + leases
            first = tokens.issue("C", Priority.GENERAL, "hi")
            second = tokens.issue("C", Priority.SENIOR, "en")
            assert first.estimate == "no_counter" and not first.offline
            # the senior token is called before the general one: nobody ahead of it
            assert second.people_ahead == 0
            assert tokens.get(first.id).people_ahead == 1  # type: ignore[union-attr]
            rows = store.conn.execute("SELECT number, scope, offline FROM tokens "
                                      "ORDER BY issued_at").fetchall()
            assert [tuple(r) for r in rows] == [(first.number, "centre", 0),
                                                (second.number, "centre", 0)]
            assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
            assert link.issuer.lease_remaining("C") == 50
    by_id = {t["id"]: t for t in centre.tokens()}
    assert by_id[first.id]["number"] == first.number
    assert by_id[second.id]["kiosk_id"] == "K1"


def test_lan_down_issues_from_the_lease_only_then_reports_in_order(
        centre: CentreProcessless, kiosk_config: Callable[..., Config]) -> None:
    config = kiosk_config(centre.url, lease_size=4)
    with Store(config.db_path) as store:
        link, tokens = _link(config, store)
        with link:
            assert link.sync_now()
            (lease,) = leases.leases(store.conn, config.centre_code,
                                     link.issuer.now().date().isoformat(), "C")
            online = tokens.issue("C", Priority.GENERAL, "hi")
            centre.stop()  # the LAN cable is pulled
            offline = [tokens.issue("C", p, "hi")
                       for p in (Priority.GENERAL, Priority.DIVYANG, Priority.GENERAL,
                                 Priority.GENERAL)]
            assert [t.seq for t in offline] == list(range(lease.first, lease.last + 1))
            assert all(t.offline and t.estimate == "offline" for t in offline)
            with pytest.raises(LeaseExhaustedError) as exhausted:
                tokens.issue("C", Priority.GENERAL, "hi")
            assert "no token numbers left" in exhausted.value.user_message("en")
            assert exhausted.value.user_message("hi") != exhausted.value.user_message("en")
            assert link.issuer.unreported() == 4
            # another group's lease still works while C's is used up
            assert tokens.issue("A", Priority.GENERAL, "en").offline

            centre.start()  # back
            assert link.sync_now()
            assert link.issuer.unreported() == 0
            assert link.issuer.lease_remaining("C") == 4  # topped up again
    seen = [t for t in centre.tokens() if t["num_grp"] == "C"]
    assert [t["id"] for t in seen] == [online.id] + [t.id for t in offline]
    for t, row in zip(offline, seen[1:], strict=True):
        assert row["number"] == t.number and row["offline"] == 1
        assert datetime.fromisoformat(str(row["issued_at"])) == t.issued_at  # kept


def test_the_slip_of_an_offline_token_says_the_wait_is_not_known(
        centre: CentreProcessless, kiosk_config: Callable[..., Config]) -> None:
    config = kiosk_config(centre.url)
    with Store(config.db_path) as store:
        link, tokens = _link(config, store)
        with link:
            assert link.sync_now()
            online = tokens.issue("C", Priority.GENERAL, "en")
            centre.stop()
            offline = tokens.issue("C", Priority.GENERAL, "en")
            centre.start()
    texts = build_token_slip(offline, config, "en").texts()
    assert "People ahead of you: not known" in texts
    assert "Estimated wait: not known" in texts
    assert any("could not be reached" in t for t in texts)
    assert "आपसे पहले कितने लोग हैं: पता नहीं" in texts
    # online, with no counter open: the position is known, the wait is "—"
    texts = build_token_slip(online, config, "en").texts()
    assert "People ahead of you: 0" in texts and "Estimated wait: —" in texts


def test_a_report_sent_but_not_marked_is_not_counted_twice(
        centre: CentreProcessless, kiosk_config: Callable[..., Config],
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = kiosk_config(centre.url)
    with Store(config.db_path) as store:
        link, tokens = _link(config, store)
        with link:
            assert link.sync_now()
            centre.stop()
            issued = [tokens.issue("L", Priority.GENERAL, "hi") for _ in range(3)]
            centre.start()
            real = leases.mark_reported
            calls = {"n": 0}

            def crash_after_send(*args: object, **kw: object) -> None:
                calls["n"] += 1
                if calls["n"] == 2:
                    raise KeyboardInterrupt("power cut after the centre answered")
                real(*args, **kw)  # type: ignore[arg-type]

            monkeypatch.setattr(leases, "mark_reported", crash_after_send)
            with pytest.raises(KeyboardInterrupt):
                link.sync_now()
            monkeypatch.setattr(leases, "mark_reported", real)
            assert link.issuer.unreported() == 2
            assert link.sync_now()
            assert link.issuer.unreported() == 0
    ids = [t["id"] for t in centre.tokens() if t["num_grp"] == "L"]
    assert ids == [t.id for t in issued]  # each once, in issue order


OFFLINE_ISSUER = """
import os, sys
from kiosk.config import load_config
from kiosk.issuing.runtime import CentreLink
from kiosk.queue import TokenService
from kiosk.store import Store
cfg = load_config(sys.argv[1], data_dir=sys.argv[2], environ={})
store = Store(cfg.db_path)
link = CentreLink(cfg, store, embed=False, background=False)
svc = TokenService(store, cfg, centre=link.issuer)
with open(os.path.join(sys.argv[2], "shown.txt"), "a") as f:
    n = 0
    while True:
        tok = svc.issue("T", "general", "hi")
        f.write(tok.id + "\\n"); f.flush(); os.fsync(f.fileno())
        n += 1
        if n == 10:
            print("ready", flush=True)
        if n >= 40:
            break
import time
time.sleep(60)
"""


def test_sigkill_while_offline_then_every_shown_token_reaches_the_centre_once(
        centre: CentreProcessless, kiosk_config: Callable[..., Config], tmp_path: Path) -> None:
    config = kiosk_config(centre.url)
    with Store(config.db_path) as store:
        link, _ = _link(config, store)
        with link:
            assert link.sync_now()  # enrolled, leases held
    centre.stop()
    toml = config.data_dir.parent / "kiosk.toml"
    proc = subprocess.Popen([sys.executable, "-c", OFFLINE_ISSUER, str(toml),
                             str(config.data_dir)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
    shown = (config.data_dir / "shown.txt").read_text().split()
    assert len(shown) >= 10
    centre.start()
    with Store(config.db_path) as store:
        link, _ = _link(config, store)
        with link:
            assert link.sync_now()
            stored = [r[0] for r in store.conn.execute(
                "SELECT id FROM tokens WHERE grp = 'T' ORDER BY issued_at, rowid")]
    assert set(shown) <= set(stored)
    at_centre = [t["id"] for t in centre.tokens() if t["num_grp"] == "T"]
    assert at_centre == stored  # every committed token, once, in issue order


def test_cli_token_issue_uses_the_configured_centre_and_its_lease(
        centre: CentreProcessless, kiosk_config: Callable[..., Config]) -> None:
    import json

    config = kiosk_config(centre.url)
    toml = config.data_dir.parent / "kiosk.toml"
    cmd = [sys.executable, "-m", "kiosk.cli", "token", "issue", "--group", "R",
           "--config", str(toml), "--data-dir", str(config.data_dir)]
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    online = json.loads(out.stdout)
    assert online["number"] == "R-001" and online["offline"] is False
    centre.stop()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    offline = json.loads(out.stdout)
    assert offline["offline"] is True and offline["estimate"] == "offline"
    assert offline["number"] == "R-5001"  # the first number of the lease band
    centre.start()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr
    ids = [t["id"] for t in centre.tokens() if t["num_grp"] == "R"]
    assert ids == [online["id"], offline["id"], json.loads(out.stdout)["id"]]
