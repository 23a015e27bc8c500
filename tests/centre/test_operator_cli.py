"""`kiosk operator add|list|disable` and `kiosk audit verify` as real processes, and doctor's
warning about the shipped technician PIN."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.auth_pin import hash_pin
from kiosk.centre.operator_cli import centre_db_path
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.doctor import technician_pin_check

ROOT = Path(__file__).resolve().parents[2]
PIN = "583920"


def kiosk(*args: str, data_dir: Path, pin: str | None = None,
          stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    if pin is not None:
        env["KIOSK_OPERATOR_PIN"] = pin
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=env)


def both_languages(stderr: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in stderr) and any(
        ch.isascii() and ch.isalpha() for ch in stderr)


def test_add_list_disable_and_verify(tmp_path: Path) -> None:
    add = kiosk("operator", "add", "--id", "op1", "--name", "Sunita Verma", "--role", "operator",
                "--card", "0b001a2b3c", "--finger-slot", "3", data_dir=tmp_path, pin=PIN)
    assert add.returncode == 0, add.stderr
    assert json.loads(add.stdout) == {"id": "op1", "name": "Sunita Verma", "role": "operator",
                                      "disabled": False, "card": "XXXXXX2B3C",
                                      "finger_slot": 3}
    sup = kiosk("operator", "add", "--id", "sup1", "--name", "R. K. Mishra", "--role",
                "supervisor", data_dir=tmp_path, stdin="40719\n40719\n")
    assert sup.returncode == 0, sup.stderr

    listed = kiosk("operator", "list", "--json", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ops = json.loads(listed.stdout)
    assert [(o["id"], o["role"]) for o in ops] == [("op1", "operator"), ("sup1", "supervisor")]
    assert "scrypt" not in listed.stdout and "pin" not in listed.stdout.lower()
    assert "0B001A2B3C" not in listed.stdout
    text = kiosk("operator", "list", data_dir=tmp_path).stdout
    assert "XXXXXX2B3C" in text and "0B001A2B3C" not in text and "supervisor" in text

    dis = kiosk("operator", "disable", "--id", "op1", data_dir=tmp_path)
    assert dis.returncode == 0 and json.loads(dis.stdout)["disabled"] is True

    ver = kiosk("audit", "verify", "--json", data_dir=tmp_path)
    assert ver.returncode == 0, ver.stderr
    body = json.loads(ver.stdout)  # every trail there is: here only the centre's
    assert body["trails"] == {"centre": {"ok": True, "entries": 3, "first_bad_id": None,
                                         "reason": ""}}
    assert (body["ok"], body["entries"], body["first_bad_id"]) == (True, 3, None)
    db = tmp_path / "centre.sqlite3"
    conn = sqlite3.connect(db)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    conn.close()
    assert actions == ["operator.added", "operator.added", "operator.disabled"]
    # Neither PIN is anywhere on disk: database, WAL, log.
    for f in [*tmp_path.glob("centre.sqlite3*"), *tmp_path.glob("logs/*")]:
        data = f.read_bytes()
        assert PIN.encode() not in data and b"40719" not in data, f


@pytest.mark.parametrize(("args", "pin", "stdin"), [
    (["--id", "op2", "--name", "A", "--role", "operator"], "1234", ""),          # weak
    (["--id", "op2", "--name", "A", "--role", "operator"], "12", ""),            # too short
    (["--id", "op2", "--name", "A", "--role", "operator"], None, "40719\n40718\n"),  # differ
    (["--id", "op2", "--name", "A", "--role", "operator"], None, ""),            # no PIN
    (["--id", "op2", "--name", "A", "--role", "boss"], PIN, ""),                 # role
    (["--id", "op2", "--name", "A", "--role", "operator", "--card", "XYZ"], PIN, ""),
    (["--id", "op1", "--name", "A", "--role", "operator"], PIN, ""),             # duplicate
])
def test_bad_input_exits_2_in_both_languages_and_saves_nothing(
        tmp_path: Path, args: list[str], pin: str | None, stdin: str) -> None:
    first = kiosk("operator", "add", "--id", "op1", "--name", "Sunita", "--role", "operator",
                  data_dir=tmp_path, pin=PIN)
    assert first.returncode == 0, first.stderr
    bad = kiosk("operator", "add", *args, data_dir=tmp_path, pin=pin, stdin=stdin)
    assert bad.returncode == 2, (bad.stdout, bad.stderr)
    assert both_languages(bad.stderr) and "Traceback" not in bad.stderr
    assert bad.stdout == ""
    for secret in (PIN, "40719", "40718"):
        assert secret not in bad.stderr
    ops = json.loads(kiosk("operator", "list", "--json", data_dir=tmp_path).stdout)
    assert [o["id"] for o in ops] == ["op1"]


def test_disable_unknown_and_missing_database_exit_2(tmp_path: Path) -> None:
    missing = kiosk("audit", "verify", data_dir=tmp_path)
    assert missing.returncode == 2 and both_languages(missing.stderr)
    assert not (tmp_path / "centre.sqlite3").exists()  # a check creates nothing
    kiosk("operator", "add", "--id", "op1", "--name", "A", "--role", "technician",
          data_dir=tmp_path, pin=PIN)
    unknown = kiosk("operator", "disable", "--id", "nobody", data_dir=tmp_path)
    assert unknown.returncode == 2 and both_languages(unknown.stderr)


def test_audit_verify_names_the_first_bad_entry(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "centre.sqlite3"
    for i in range(4):
        done = kiosk("operator", "add", "--id", f"op{i}", "--name", "A", "--role", "operator",
                     "--db", str(db), data_dir=tmp_path, pin=PIN)
        assert done.returncode == 0, done.stderr
    ok = kiosk("audit", "verify", "--db", str(db), data_dir=tmp_path)
    assert ok.returncode == 0 and "4 entries, chain intact" in ok.stdout
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = replace(detail, 'op2', 'op9') WHERE id = 3")
    conn.commit()
    conn.close()
    broken = kiosk("audit", "verify", "--json", "--db", str(db), data_dir=tmp_path)
    assert broken.returncode == 2
    body = json.loads(broken.stdout)
    assert (body["ok"], body["entries"], body["first_bad_id"]) == (False, 4, 3)
    assert both_languages(broken.stderr) and "first bad entry: 3" in broken.stderr
    text = kiosk("audit", "verify", "--db", str(db), data_dir=tmp_path)
    assert text.returncode == 2 and "BROKEN at entry 3" in text.stdout


def test_centre_db_path_follows_the_data_dir_and_the_centre_setting(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path / "d", environ={})
    assert centre_db_path(cfg) == tmp_path / "d" / "centre.sqlite3"
    raw = {**cfg.raw, "centre": {"db": str(tmp_path / "c.sqlite3")}}
    assert centre_db_path(dataclasses.replace(cfg, raw=raw)) == tmp_path / "c.sqlite3"
    raw = {**cfg.raw, "centre": {"db": ""}}
    assert centre_db_path(dataclasses.replace(cfg, raw=raw)) == tmp_path / "d" / "centre.sqlite3"


def test_doctor_warns_while_the_shipped_technician_pin_is_in_use(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["doctor", "--json", "--no-test-page", "--data-dir", str(tmp_path / "data")])
    report = json.loads(capsys.readouterr().out)
    assert code == 0  # a warning, not a device failure
    pin = report["technician_pin"]
    assert pin["default"] is True and "default" in pin["warning"]["en"]
    assert pin["warning"]["hi"] != pin["warning"]["en"]

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[technician]\npin_hash = "{hash_pin("40719")}"\n')
    changed = load_config(cfg, data_dir=tmp_path / "data", environ={})
    assert technician_pin_check(changed) == {"default": False}
