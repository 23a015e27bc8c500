"""deploy/ and scripts/install.sh: the units verify, the udev rules cover every known device,
and install.sh --dry-run into a temporary root places every file, twice, idempotently."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.devices.discovery import KNOWN_DEVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
RULES = DEPLOY / "udev" / "60-seva-kiosk.rules"


def install(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(ROOT / "scripts" / "install.sh"), "--dry-run",
                           "--root", str(root), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_there_is_a_unit_per_role() -> None:
    assert [u.name for u in UNITS] == ["seva-board.service", "seva-centre.service",
                                       "seva-counter@.service", "seva-kiosk.service"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_unit_has_the_service_settings(unit: Path) -> None:
    text = unit.read_text(encoding="utf-8")
    for line in ("Type=notify", "Restart=always", "User=seva", "StateDirectory=seva-kiosk",
                 "ConfigurationDirectory=seva-kiosk", "ProtectSystem=strict", "PrivateTmp=yes",
                 "NoNewPrivileges=yes", "ProtectHome=yes"):
        assert f"\n{line}\n" in text, f"{unit.name}: no {line}"
    assert re.search(r"\nWatchdogSec=\d+\n", text)
    if unit.name != "seva-centre.service":  # the screen roles run under cage on tty1
        assert "ExecStart=/usr/bin/cage -- /opt/seva-kiosk/venv/bin/kiosk run" in text
        assert "NotifyAccess=all" in text and "TTYPath=/dev/tty1" in text
        assert "cage -s" not in text  # no VT switching: nowhere to escape to


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verify_passes_on_every_unit(tmp_path: Path) -> None:
    """The units as installed, with the program paths of this machine (verify checks that
    each ExecStart is executable): the venv's kiosk, and cage if installed here."""
    kiosk = shutil.which("kiosk", path=str(ROOT / ".venv" / "bin")) or shutil.which("true")
    cage = shutil.which("cage") or shutil.which("true")
    assert kiosk and cage
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        text = text.replace("/opt/seva-kiosk/venv/bin/kiosk", kiosk).replace("/usr/bin/cage",
                                                                           cage)
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / u.name)
                                                            for u in UNITS)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # no unknown keys, no bad values


RULE_TOKEN = re.compile(r'^(ACTION|SUBSYSTEM|KERNEL|ENV\{\w+\}|ATTRS\{\w+\}|MODE|GROUP|'
                        r'SYMLINK|GOTO|LABEL)(==|!=|\+=|=)"[^"]*"$')


def test_udev_rules_parse_and_cover_every_known_device() -> None:
    lines = [ln for ln in RULES.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    for line in lines:
        for token in line.split(", "):
            assert RULE_TOKEN.match(token.strip()), f"bad udev token {token!r} in {line!r}"
    text = "\n".join(lines)
    for known in KNOWN_DEVICES:
        assert f'ATTRS{{idVendor}}=="{known.vid:04x}"' in text, known
        if known.pid is not None and known.kind == "usb_serial":
            assert f'ATTRS{{idProduct}}=="{known.pid:04x}"' in text, known
    for name in ("seva-printer", "seva-fingerprint", "seva-card", "seva-scanner"):
        assert f'SYMLINK+="{name}"' in text
    assert 'GROUP="dialout"' in text and 'GROUP="lp"' in text


def test_the_site_example_is_a_valid_configuration() -> None:
    example = DEPLOY / "config" / "10-site.toml.example"
    config = load_config(example, environ={}, config_dirs=[])
    assert config.problems == []
    assert config.printer.url == "/dev/seva-printer"


def test_install_dry_run_into_a_temp_root_is_idempotent(tmp_path: Path) -> None:
    first = install(tmp_path, "--role", "kiosk")
    assert first.returncode == 0, first.stderr
    unit = tmp_path / "etc/systemd/system/seva-kiosk.service"
    assert unit.read_bytes() == (DEPLOY / "systemd/seva-kiosk.service").read_bytes()
    assert (tmp_path / "etc/udev/rules.d/60-seva-kiosk.rules").read_bytes() == \
        RULES.read_bytes()
    site = tmp_path / "etc/seva-kiosk/10-site.toml"
    assert site.exists()
    wrapper = tmp_path / "usr/local/bin/kiosk"
    assert wrapper.exists() and os.access(wrapper, os.X_OK)
    paths = load_config(environ={}, config_dirs=[tmp_path / "etc/seva-kiosk"])
    assert str(paths.data_dir) == "/var/lib/seva-kiosk"  # the unit's StateDirectory
    assert paths.problems == []
    out = first.stdout
    assert "pip wheel --no-deps" in out  # a built wheel ...
    assert re.search(r"pip install .*--force-reinstall \S+\.whl", out)
    assert "install -e" not in out and " -e " not in out  # ... never an editable install
    assert "would run: systemctl --root=" in out and "enable seva-kiosk.service" in out
    assert "mask getty@tty1.service" in out
    # A technician edits the site file; a second run changes nothing and keeps the edit.
    site.write_text('[kiosk]\ncentre_code = "MP-IND-07"\n', encoding="utf-8")
    again = install(tmp_path, "--role", "kiosk")
    assert again.returncode == 0, again.stderr
    assert "installed:" not in again.stdout
    assert "unchanged: /etc/systemd/system/seva-kiosk.service" in again.stdout
    assert "kept (already there): /etc/seva-kiosk/10-site.toml" in again.stdout
    assert "MP-IND-07" in site.read_text(encoding="utf-8")


def test_install_roles_and_bad_arguments(tmp_path: Path) -> None:
    no_counter = install(tmp_path / "a", "--role", "counter")
    assert no_counter.returncode == 2 and "--counter N" in no_counter.stderr
    unknown = install(tmp_path, "--role", "desk")
    assert unknown.returncode == 2 and "kiosk, counter, board or centre" in unknown.stderr
    (tmp_path / "c").mkdir()
    counter = install(tmp_path / "c", "--role", "counter", "--counter", "03")
    assert counter.returncode == 0, counter.stderr
    assert "enable seva-counter@3.service" in counter.stdout
    assert (tmp_path / "c/etc/systemd/system/seva-counter@.service").exists()
    (tmp_path / "z").mkdir()
    centre = install(tmp_path / "z", "--role", "centre")
    assert centre.returncode == 0, centre.stderr
    assert "cage" not in centre.stdout and "mask getty" not in centre.stdout
    role = tmp_path / "z/etc/seva-kiosk/20-role.toml"
    config = load_config(role, environ={}, config_dirs=[])
    assert config.problems == [] and config.centre["host"] == "0.0.0.0"
