"""Files and secrets (issue 11, finding 7): private modes, refusal of a database that is not
ours, the real error on a full disk, credentials sealed at rest."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.errors import StoreError
from kiosk.file_modes import tighten_tree, too_open
from kiosk.logging_setup import setup_logging
from kiosk.queue import TokenService
from kiosk.secret_box import SecretBox, credential_key_path, is_sealed, read_secret
from kiosk.store import Store, store_error


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def kiosk(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


# -- modes -----------------------------------------------------------------------------------

def test_new_database_wal_and_shm_are_0600_even_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with Store(tmp_path / "data" / "kiosk.sqlite3") as store:
            with store.transaction() as conn:
                conn.execute("INSERT INTO sync_state VALUES ('k', 'v')")
            files = [tmp_path / "data" / f"kiosk.sqlite3{s}" for s in ("", "-wal", "-shm")]
            assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
            assert mode(tmp_path / "data") == 0o700
    finally:
        os.umask(old)


def test_existing_world_readable_files_are_tightened_on_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        with Store(data / "kiosk.sqlite3"):
            pass
        (data / "logs").mkdir()
        (data / "logs" / "kiosk.log").write_text("old log")
        (data / "printer").mkdir()
        (data / "printer" / "job-0001.bin").write_bytes(b"\x1b@")
        for p in (data, data / "logs", data / "printer"):
            os.chmod(p, 0o755)
        for p in (data / "kiosk.sqlite3", data / "logs" / "kiosk.log",
                  data / "printer" / "job-0001.bin"):
            os.chmod(p, 0o644)
        assert len(too_open(data)) == 6
        out = kiosk("doctor", "--json", "--no-test-page", data_dir=data, timeout=120)
        assert out.returncode in (0, 1), out.stderr
    finally:
        os.umask(old)
    assert too_open(data) == []
    assert mode(data) == 0o700 and mode(data / "kiosk.sqlite3") == 0o600
    assert mode(data / "logs" / "kiosk.log") == 0o600
    assert mode(data / "printer" / "job-0001.bin") == 0o600


def test_log_files_are_0600_and_so_is_each_rotation(tmp_path: Path) -> None:
    import logging

    old = os.umask(0o022)
    try:
        path = setup_logging(tmp_path)
        assert path is not None
        logging.getLogger("t").warning("hello")
        handler = next(h for h in logging.getLogger().handlers
                       if getattr(h, "baseFilename", None) == str(path))
        handler.doRollover()  # type: ignore[attr-defined]
        logging.getLogger("t").warning("again")
        assert mode(path) == 0o600 and mode(Path(f"{path}.1")) == 0o600
        assert mode(path.parent) == 0o700
    finally:
        os.umask(old)


def test_tighten_tree_does_not_follow_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    data = tmp_path / "data"
    data.mkdir()
    (data / "link").symlink_to(outside)
    tighten_tree(data)
    assert mode(outside) == 0o644


# -- a database that is not ours -------------------------------------------------------------

def test_zero_byte_database_is_refused_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    db.write_bytes(b"")
    with pytest.raises(StoreError) as e:
        Store(db)
    assert "0-byte" in e.value.detail
    assert "--init" in e.value.user_message("en") and "--init" in e.value.user_message("hi")
    assert db.stat().st_size == 0  # nothing was written into it


@pytest.mark.parametrize("kind", ["text", "other-sqlite"])
def test_foreign_database_is_refused(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "kiosk.sqlite3"
    if kind == "text":
        db.write_text("hello, not a database")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(StoreError) as e:
        Store(db)
    assert "not" in e.value.detail


def test_centre_database_is_not_taken_for_the_kiosks(tmp_path: Path) -> None:
    from kiosk.centre.db import CentreStore

    with CentreStore(tmp_path / "centre.sqlite3"):
        pass
    with pytest.raises(StoreError):
        Store(tmp_path / "centre.sqlite3")


def test_cli_refuses_an_empty_database_until_init_then_numbering_starts_fresh(
        tmp_path: Path) -> None:
    (tmp_path / "kiosk.sqlite3").write_bytes(b"")
    out = kiosk("token", "issue", "--group", "C", data_dir=tmp_path)
    assert out.returncode != 0
    assert "--init" in out.stderr and "Traceback" not in out.stderr
    assert "डेटाबेस" in out.stderr           # the Hindi line is there too
    out = kiosk("token", "issue", "--group", "C", "--init", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    kept = list(tmp_path.glob("kiosk.sqlite3.refused-*"))
    assert len(kept) == 1 and kept[0].stat().st_size == 0


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "file"])
def test_data_dir_that_is_not_a_directory_is_refused_at_once(tmp_path: Path,
                                                             target: str) -> None:
    if target == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif target == "file":
        path = tmp_path / "file"
        path.write_text("x")
    else:
        path = Path(target)
    # --data is the unambiguous abbreviation of --data-dir for every other command.
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "token", "issue", "--group", "C",
                          "--data", str(path)], capture_output=True, text=True, timeout=30)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "not a folder" in out.stderr and "फ़ोल्डर" in out.stderr


# -- full disk -------------------------------------------------------------------------------

def test_full_disk_shows_sqlites_own_error(tmp_path: Path) -> None:
    cfg = load_config(None, data_dir=tmp_path)
    with Store(cfg.db_path) as store:
        svc = TokenService(store, cfg)
        svc.issue("C")
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(sqlite3.Error) as raw:    # SQLite's own error, not the rollback's
            with store.transaction() as conn:
                for _ in range(50):
                    conn.execute("INSERT INTO sync_state VALUES (hex(randomblob(16)), "
                                 "hex(randomblob(2000)))")
        assert "full" in str(raw.value) and "cannot rollback" not in str(raw.value)
        assert "disk is full" in store_error(raw.value, "x").user_message("en")
        with pytest.raises(StoreError) as e:
            for _ in range(50):
                svc.issue("C")
        assert "full" in e.value.detail and "cannot rollback" not in e.value.detail
        # the citizen is told the disk is full (both languages), not a generic failure
        assert "disk is full" in e.value.user_message("en")
        assert not store.conn.in_transaction


# -- credentials sealed at rest --------------------------------------------------------------

def test_seal_and_open_and_a_foreign_key_does_not_open(tmp_path: Path) -> None:
    box = SecretBox(tmp_path / "keys" / "credential.key")
    sealed = box.seal('{"token": "kt_secret"}', label="credential")
    assert is_sealed(sealed) and "kt_secret" not in sealed
    assert box.open(sealed, label="credential") == '{"token": "kt_secret"}'
    assert mode(tmp_path / "keys" / "credential.key") == 0o600
    assert mode(tmp_path / "keys") == 0o700
    from kiosk.secret_box import SecretError

    with pytest.raises(SecretError):
        box.open(sealed, label="centre_credential")     # moved to another key
    with pytest.raises(SecretError):
        SecretBox(tmp_path / "other.key").open(sealed, label="credential")


def test_key_path_configured_then_systemd_then_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    creds = tmp_path / "creds"
    creds.mkdir()
    assert credential_key_path(data, None, {}) == data / "keys" / "credential.key"
    assert credential_key_path(data, None, {"CREDENTIALS_DIRECTORY": str(creds)}) == \
        data / "keys" / "credential.key"    # systemd gave none: the default
    (creds / "kiosk-credential.key").write_text("x")
    assert credential_key_path(data, None, {"CREDENTIALS_DIRECTORY": str(creds)}) == \
        creds / "kiosk-credential.key"
    assert credential_key_path(data, tmp_path / "root.key", {}) == tmp_path / "root.key"


def test_plain_credential_is_sealed_on_first_start_and_never_on_disk(tmp_path: Path) -> None:
    from kiosk.sync.runtime import CREDENTIAL_KEY, start_sync

    cfg = load_config(None, data_dir=tmp_path)
    with Store(cfg.db_path) as store:
        with start_sync(cfg, store, start_worker=False) as rt:
            token = rt.client._credential
        raw = store.conn.execute("SELECT value FROM sync_state WHERE key = ?",
                                 (CREDENTIAL_KEY,)).fetchone()[0]
        assert is_sealed(raw)
        plain = read_secret(store, CREDENTIAL_KEY, SecretBox(tmp_path / "keys" /
                                                             "credential.key"))
        assert plain is not None
        tok = json.loads(plain)["token"]
        assert token == tok
        # An older version's plain row: read once, sealed in place.
        with store.transaction() as conn:
            conn.execute("UPDATE sync_state SET value = ? WHERE key = ?", (plain, CREDENTIAL_KEY))
        with start_sync(cfg, store, start_worker=False):
            pass
        raw = store.conn.execute("SELECT value FROM sync_state WHERE key = ?",
                                 (CREDENTIAL_KEY,)).fetchone()[0]
        assert is_sealed(raw)
        assert json.loads(read_secret(store, CREDENTIAL_KEY, SecretBox(
            tmp_path / "keys" / "credential.key")) or "{}")["token"] == tok
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for f in tmp_path.glob("kiosk.sqlite3*"):
        assert tok.encode() not in f.read_bytes(), f


# -- configuration ---------------------------------------------------------------------------

@pytest.mark.parametrize(("toml", "check"), [
    ('[kiosk]\ntimezone = "Asia/Kolkatta"\n', lambda c: c.timezone == "Asia/Kolkata"),
    ('[kiosk]\ntimezone = ""\n', lambda c: c.timezone == "Asia/Kolkata"),
    ("[kiosk]\nidle_seconds = inf\n", lambda c: c.idle_seconds == 45),
    ("[kiosk]\nidle_seconds = nan\n", lambda c: c.idle_seconds == 45),
    ("[queue.groups.C]\nminutes = nan\n", lambda c: c.groups["C"].minutes == 6),
    ("[queue.groups.C]\nminutes = -inf\n", lambda c: c.groups["C"].minutes == 6),
    ("[backend]\nread_timeout = inf\n", lambda c: c.raw["backend"]["read_timeout"] == 10.0),
])
def test_bad_values_keep_defaults_with_a_named_warning(tmp_path: Path, toml: str,
                                                       check: object) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(toml)
    cfg = load_config(path, data_dir=tmp_path)
    assert check(cfg)  # type: ignore[operator]
    assert len(cfg.problems) == 1, cfg.problems
    key = toml.split("\n")[1].split(" =")[0]
    assert key in cfg.problems[0]


def test_config_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"\xef\xbb\xbf[kiosk]\nidle_seconds = 30\n")
    cfg = load_config(path, data_dir=tmp_path)
    assert cfg.idle_seconds == 30 and cfg.problems == []


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_config_that_is_a_device_or_fifo_is_refused_not_read(tmp_path: Path,
                                                             target: str) -> None:
    path = Path(target)
    if target == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    cfg = load_config(path, data_dir=tmp_path)
    assert cfg.idle_seconds == 45 and "cannot be read" in cfg.problems[0]


def test_kiosk_with_bad_values_builds_its_screens(tmp_path: Path) -> None:
    """The README's promise: a typo keeps the default; the kiosk does not exit 1. A screenshot
    builds the same kiosk (clock, idle timer, groups) that ``kiosk run`` shows."""
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\ntimezone = "Asia/Kolkatta"\nidle_seconds = inf\n'
                    "[queue.groups.C]\nminutes = nan\n")
    out = kiosk("screenshot", "home", "--out", str(tmp_path / "home.png"), "--config", str(path),
                data_dir=tmp_path / "data", timeout=180)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "home.png").stat().st_size > 1000
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text("utf-8")
    assert "kiosk.timezone" in log and "kiosk.idle_seconds" in log and "minutes" in log


def test_doctor_reports_modes_and_where_the_key_is(tmp_path: Path) -> None:
    from kiosk.doctor import files_check

    cfg = load_config(None, data_dir=tmp_path / "data")
    (tmp_path / "data").mkdir(mode=0o755)
    os.chmod(tmp_path / "data", 0o755)
    report = files_check(cfg)
    assert report["data_dir_mode"] == "0755" and report["readable_by_others_count"] == 1
    assert report["credential_key_in_data_dir"] is True
    assert len(report["warnings"]) == 2 and all(set(w) == {"en", "hi"}
                                                  for w in report["warnings"])
    elsewhere = load_config(None, data_dir=tmp_path / "data", environ={
        "KIOSK_SECURITY__CREDENTIAL_KEY_FILE": str(tmp_path / "etc" / "kiosk.key")})
    os.chmod(tmp_path / "data", 0o700)
    report = files_check(elsewhere)
    assert report["warnings"] == [] and report["credential_key"].endswith("etc/kiosk.key")


def test_centre_cli_state_file_is_sealed_and_a_plain_one_still_reads(tmp_path: Path) -> None:
    from kiosk.centre.cli import _load_state, _save_state, _state_file

    cfg = load_config(None, data_dir=tmp_path)
    _state_file(cfg).write_text(json.dumps({"url": "u", "device_token": "dt_plain"}))
    assert _load_state(cfg)["device_token"] == "dt_plain"       # an older version's file
    _save_state(cfg, {"url": "u", "device_token": "dt_secret", "sessions": {"7": "s_x"}})
    raw = _state_file(cfg).read_text()
    assert is_sealed(raw) and "dt_secret" not in raw and "s_x" not in raw
    assert mode(_state_file(cfg)) == 0o600
    assert _load_state(cfg)["sessions"] == {"7": "s_x"}


def test_console_log_follows_the_current_stderr(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A handler bound to a closed stderr failed on every later record from any thread."""
    import io
    import logging

    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    setup_logging(None)
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("t").warning("after the swap")
    assert "after the swap" in second.getvalue()
