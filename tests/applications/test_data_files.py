"""Data files for ``kiosk application submit`` (issue 11, finding 7): bounded reads of regular
files only, a byte-order mark accepted, deep nesting a clear error, and a repeated submit of
the same file one application with one fee."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.application_cli import MAX_DATA_FILE, read_data_file, submission_id_for
from kiosk.config import load_config
from kiosk.data_file import MSG_NOT_A_FILE, MSG_TOO_DEEP, read_limited
from kiosk.errors import ValidationError
from kiosk.store import Store


def kiosk(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=timeout)


def counts(data_dir: Path) -> tuple[int, int]:
    with Store(load_config(None, data_dir=data_dir).db_path) as store:
        one = store.conn.execute
        return (int(one("SELECT COUNT(*) FROM applications").fetchone()[0]),
                int(one("SELECT COUNT(*) FROM payments").fetchone()[0]))


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"answers": {"x": "1"}}).encode())
    assert read_data_file(path) == {"answers": {"x": "1"}}


def test_a_100k_deep_array_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValidationError) as e:
        read_data_file(path)
    assert e.value.message == MSG_TOO_DEEP


def test_size_cap_counts_bytes_read_not_st_size(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_DATA_FILE + 1))
    with pytest.raises(ValidationError) as e:
        read_data_file(path)
    assert "larger than" in e.value.detail
    # /proc files say st_size 0 and still have content: the read itself is what is counted.
    assert os.stat("/proc/self/status").st_size == 0
    assert len(read_limited(Path("/proc/self/status"), 64 * 1024)) > 0
    with pytest.raises(ValidationError):
        read_limited(Path("/proc/self/status"), 10)


def test_devices_and_fifos_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo, tmp_path):
        done: list[BaseException] = []
        reader = threading.Thread(target=_catch, args=(path, done))
        reader.start()
        reader.join(5)
        assert not reader.is_alive(), f"reading {path} blocked"
        assert isinstance(done[0], ValidationError) and done[0].message == MSG_NOT_A_FILE, \
            (path, done)


def _catch(path: Path, out: list[BaseException]) -> None:
    try:
        read_data_file(path)
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        out.append(exc)


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "deep"])
def test_console_refuses_bad_data_files_in_both_languages(tmp_path: Path, target: str) -> None:
    path = Path(target)
    if target == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    elif target == "deep":
        path = tmp_path / "deep.json"
        path.write_text("[" * 100_000 + "]" * 100_000)
    out = kiosk("application", "submit", "--service", "INC", "--data", str(path), "--lang", "en",
                data_dir=tmp_path / "data", timeout=30)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "डेटा फ़ाइल" in out.stderr


def test_the_same_file_twice_is_one_application_and_one_fee(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tmpl = kiosk("application", "template", "--service", "INC", "--lang", "en", data_dir=data)
    (tmp_path / "inc.json").write_text(tmpl.stdout, "utf-8")
    args = ("application", "submit", "--service", "INC", "--data", str(tmp_path / "inc.json"),
            "--lang", "en")
    first, second = (kiosk(*args, data_dir=data) for _ in range(2))
    assert first.returncode == second.returncode == 0, (first.stderr, second.stderr)
    assert json.loads(first.stdout)["application_no"] == json.loads(second.stdout)[
        "application_no"]
    assert counts(data) == (1, 1)
    # Reformatted (key order, indentation): still the same content, still one application.
    body = json.loads(tmpl.stdout)
    (tmp_path / "inc2.json").write_text(json.dumps(body, sort_keys=True), "utf-8")
    third = kiosk("application", "submit", "--service", "INC", "--data",
                  str(tmp_path / "inc2.json"), "--lang", "en", data_dir=data)
    assert json.loads(third.stdout)["application_no"] == json.loads(first.stdout)[
        "application_no"] and counts(data) == (1, 1)
    # An explicit id is a second submission on purpose.
    fourth = kiosk(*args, "--submission-id", "batch-7.row-12", data_dir=data)
    assert fourth.returncode == 0 and counts(data) == (2, 2)
    bad = kiosk(*args, "--submission-id", "x" * 65, data_dir=data)
    assert bad.returncode == 2 and counts(data) == (2, 2)


def test_submission_id_ignores_key_order() -> None:
    assert submission_id_for("INC", {"a": 1, "b": [1, 2]}) == \
        submission_id_for("INC", {"b": [1, 2], "a": 1})
    assert submission_id_for("INC", {"a": 1}) != submission_id_for("DOM", {"a": 1})
