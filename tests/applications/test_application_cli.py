"""`kiosk application template|submit`: the template is valid, bad data exits 2 in two
languages and stores nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.catalogue import packaged_catalogue
from kiosk.config import load_config
from kiosk.store import Store


def kiosk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=120)


def count(data_dir: Path) -> int:
    with Store(load_config(None, data_dir=data_dir).db_path) as store:
        return int(store.conn.execute("SELECT COUNT(*) FROM applications").fetchone()[0])


@pytest.mark.parametrize("code", [s.code for s in packaged_catalogue().services])
def test_every_service_template_submits(code: str, tmp_path: Path) -> None:
    from kiosk.application_cli import submit_from_file, template
    from kiosk.applications import ApplicationService

    cfg = load_config(None, data_dir=tmp_path)
    with Store(cfg.db_path) as store:
        apps = ApplicationService(store, cfg)
        data = template(apps.catalogue(), apps.service(code), apps.now().date(), "en")
        (tmp_path / "t.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        result = submit_from_file(code, tmp_path / "t.json", "en", apps)
        assert result["service"] == code and apps.count() == 1


def test_template_then_submit_through_the_console(tmp_path: Path) -> None:
    out = kiosk("application", "template", "--service", "dom", "--lang", "en", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["service"] == "DOM" and data["answers"]["pin"] == "462001"
    (tmp_path / "dom.json").write_text(out.stdout, "utf-8")
    res = kiosk("application", "submit", "--service", "DOM", "--data", str(tmp_path / "dom.json"),
                "--lang", "en", data_dir=tmp_path)
    assert res.returncode == 0, res.stderr
    body = json.loads(res.stdout)
    assert body["application_no"].startswith("MP-BPL-HZR-") and body["due_date"]
    assert body["fee"] == "₹20.00" and count(tmp_path) == 1


def test_invalid_data_exits_2_with_both_languages(tmp_path: Path) -> None:
    out = kiosk("application", "template", "--service", "INC", data_dir=tmp_path)
    data = json.loads(out.stdout)
    data["answers"].update(mobile="12345", name_en="सीता", aadhaar="234567890125")
    (tmp_path / "bad.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    res = kiosk("application", "submit", "--service", "INC", "--data", str(tmp_path / "bad.json"),
                data_dir=tmp_path)
    assert res.returncode == 2 and res.stdout == ""
    err = res.stderr
    assert "mobile:" in err and "name_en:" in err and "aadhaar:" in err
    assert "A mobile number has 10 digits" in err
    assert any("\u0900" <= ch <= "\u097f" for ch in err)  # the Hindi half is there
    assert "Traceback" not in err and "234567890125" not in err
    assert count(tmp_path) == 0


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b"\xff\xfe", b"{" * 100000])
def test_unreadable_data_files_exit_2(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.json").write_bytes(content)
    res = kiosk("application", "submit", "--service", "INC", "--data", str(tmp_path / "x.json"),
                data_dir=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_unknown_service_exits_2(tmp_path: Path) -> None:
    res = kiosk("application", "template", "--service", "NOPE", data_dir=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    # an operator who mistyped the code is told which ones exist
    assert "offered here:" in res.stderr and "INC" in res.stderr and "DOM" in res.stderr
