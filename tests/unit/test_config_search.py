"""The configuration search path (/etc, then the user's directory, then --config, then the
environment) and `kiosk config show|check`: every value names its source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.config import DEFAULTS, default_config_dirs, load_config
from kiosk.config_cli import effective

ROOT = Path(__file__).resolve().parents[2]


def _layers(tmp_path: Path) -> tuple[Path, Path, Path]:
    etc, user = tmp_path / "etc", tmp_path / "xdg" / "seva-kiosk"
    etc.mkdir()
    user.mkdir(parents=True)
    (etc / "10-centre.toml").write_text('[kiosk]\ncentre_code = "MP-IND-01"\nidle_seconds = 60\n'
                                        '[backend]\ntoken = "s3cret"\n', encoding="utf-8")
    (etc / "50-devices.toml").write_text('[kiosk]\nidle_seconds = 50\n'
                                         '[devices.printer]\nurl = "/dev/seva-printer"\n',
                                         encoding="utf-8")
    (user / "local.toml").write_text("[kiosk]\nidle_seconds = 40\ncounters = 6\n",
                                     encoding="utf-8")
    flag = tmp_path / "flag.toml"
    flag.write_text("[kiosk]\ncounters = 7\ntoken_screen_seconds = 25\n", encoding="utf-8")
    return etc, user, flag


def test_later_layers_win_key_by_key_and_say_where_from(tmp_path: Path) -> None:
    etc, user, flag = _layers(tmp_path)
    env = {"KIOSK_KIOSK__TOKEN_SCREEN_SECONDS": "30"}
    cfg = load_config(flag, data_dir=tmp_path / "d", environ=env, config_dirs=[etc, user])
    assert cfg.problems == []
    assert cfg.files == [etc / "10-centre.toml", etc / "50-devices.toml", user / "local.toml",
                         flag]
    assert cfg.centre_code == "MP-IND-01"
    assert cfg.source_of("kiosk.centre_code") == str(etc / "10-centre.toml")
    assert cfg.printer.url == "/dev/seva-printer"
    assert cfg.source_of("devices.printer.url") == str(etc / "50-devices.toml")
    assert (cfg.idle_seconds, cfg.source_of("kiosk.idle_seconds")) == (40, str(user / "local.toml"))
    assert (cfg.counters, cfg.source_of("kiosk.counters")) == (7, str(flag))
    assert cfg.token_screen_seconds == 30
    assert cfg.source_of("kiosk.token_screen_seconds") == \
        "env KIOSK_KIOSK__TOKEN_SCREEN_SECONDS"
    assert cfg.source_of("kiosk.timezone") == "default"


def test_default_dirs_are_etc_then_xdg_and_can_be_replaced(tmp_path: Path) -> None:
    assert default_config_dirs({"XDG_CONFIG_HOME": "/x"}, system_dir=Path("/etc/seva-kiosk")) \
        == [Path("/etc/seva-kiosk"), Path("/x/seva-kiosk")]
    assert default_config_dirs({"HOME": "/home/seva"}, system_dir=Path("/e")) == \
        [Path("/e"), Path("/home/seva/.config/seva-kiosk")]
    assert default_config_dirs({"KIOSK_CONFIG_DIRS": f"{tmp_path}:/y"}) == [tmp_path, Path("/y")]
    assert default_config_dirs({"KIOSK_CONFIG_DIRS": ""}) == []


def test_a_bad_key_in_an_etc_file_names_the_file_and_keeps_the_default(tmp_path: Path) -> None:
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "a.toml").write_text("[devices.printer]\npaper_mm = 70\n[kiosk]\nidel_seconds = 3\n",
                                encoding="utf-8")
    cfg = load_config(data_dir=tmp_path / "d", environ={}, config_dirs=[etc])
    assert any(str(etc / "a.toml") in p and "kiosk.idel_seconds" in p for p in cfg.problems)
    assert cfg.printer.paper_mm == 80
    assert cfg.source_of("devices.printer.paper_mm") == "default"


def test_show_masks_secrets_and_lists_every_key(tmp_path: Path) -> None:
    etc, user, flag = _layers(tmp_path)
    cfg = load_config(data_dir=tmp_path / "d", environ={}, config_dirs=[etc])
    rows = {r["key"]: r for r in effective(cfg)}
    assert rows["backend.token"] == {"key": "backend.token", "value": "(set)",
                                     "source": str(etc / "10-centre.toml")}
    assert rows["technician.pin_hash"]["value"] == "(set)"
    assert rows["centre.device_token"]["value"] == "(not set)"
    assert "s3cret" not in json.dumps(list(rows.values()))
    for section, table in DEFAULTS.items():
        if isinstance(table, dict) and table and section != "queue":
            assert any(k.startswith(section + ".") for k in rows), section


def _kiosk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args], cwd=ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


def test_cli_config_show_reports_etc_values_and_their_source(tmp_path: Path) -> None:
    etc, user, _ = _layers(tmp_path)
    env = {"KIOSK_CONFIG_DIRS": f"{etc}:{user}"}
    done = _kiosk("config", "show", "--json", "--data-dir", str(tmp_path / "d"), env=env)
    assert done.returncode == 0, done.stderr
    rows = {r["key"]: r for r in json.loads(done.stdout)["keys"]}
    assert rows["kiosk.centre_code"] == {"key": "kiosk.centre_code", "value": "MP-IND-01",
                                         "source": str(etc / "10-centre.toml")}
    text = _kiosk("config", "show", "--data-dir", str(tmp_path / "d"), env=env).stdout
    assert f"/dev/seva-printer  [{etc / '50-devices.toml'}]" in text
    assert "s3cret" not in text


def test_cli_config_check_names_each_bad_key(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text('[kiosk]\nidle_seconds = 30\n', encoding="utf-8")
    bad.write_text('[kiosk]\nidle_seconds = "soon"\ntimezone = "Asia/Kolkatta"\n'
                   '[devices.printr]\nurl = "x"\n', encoding="utf-8")
    env = {"KIOSK_CONFIG_DIRS": ""}
    ok = _kiosk("config", "check", str(good), "--data-dir", str(tmp_path / "d"), env=env)
    assert ok.returncode == 0 and "OK (1 key(s) set)" in ok.stdout
    no = _kiosk("config", "check", str(bad), "--data-dir", str(tmp_path / "d"), env=env)
    assert no.returncode == 2
    for key in ("kiosk.idle_seconds", "kiosk.timezone", "devices.printr"):
        assert key in no.stdout
    missing = _kiosk("config", "check", str(tmp_path / "nope.toml"), env=env)
    assert missing.returncode == 2 and "not found" in missing.stdout


def test_show_into_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`kiosk config show | head -1`: the reader stops early; no traceback, exit 0."""
    script = (f"'{sys.executable}' -m kiosk.cli config show --data-dir '{tmp_path / 'd'}' "
              "| head -1; exit ${PIPESTATUS[0]}")
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "KIOSK_CONFIG_DIRS": ""}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("files read:") and "Traceback" not in done.stderr
