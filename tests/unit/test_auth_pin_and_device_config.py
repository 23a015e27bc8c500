"""Technician PIN hashing and the device sections of the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.auth_pin import DEFAULT_PIN, hash_pin, valid_pin, verify_pin
from kiosk.config import load_config


def test_default_config_holds_a_hash_of_the_documented_pin(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path, environ={})
    stored = cfg.technician_pin_hash
    assert DEFAULT_PIN not in stored and stored.startswith("scrypt$")
    assert verify_pin(DEFAULT_PIN, stored)
    assert not verify_pin("2469", stored)


@pytest.mark.parametrize("scheme", ["scrypt", "pbkdf2_sha256"])
def test_hash_is_salted_and_verifies(scheme: str) -> None:
    a, b = hash_pin("135790", scheme=scheme), hash_pin("135790", scheme=scheme)
    assert a != b  # fresh salt each time
    assert verify_pin("135790", a) and verify_pin("135790", b)
    assert not verify_pin("135791", a)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$n=16384$AAAA$AAAA",
                                    "scrypt$n=1099511627776,r=8,p=1$AAAA$AAAA",
                                    "md5$1$AAAA$AAAA", "pbkdf2_sha256$1$AAAA$AAAA"])
def test_malformed_or_tampered_hashes_never_match(stored: str) -> None:
    assert not verify_pin("2468", stored)


def test_pin_shape() -> None:
    assert valid_pin("2468") and not valid_pin("246") and not valid_pin("24a8")
    assert not valid_pin("२४६८")  # Devanagari digits are digits, but not keypad ASCII
    with pytest.raises(ValueError):
        hash_pin("12")
    assert not verify_pin("", hash_pin("2468", scheme="pbkdf2_sha256"))


def test_device_sections_default_to_simulators(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path, environ={})
    devs = cfg.devices
    assert {n: d.url for n, d in devs.items()} == {
        "fingerprint": "sim://fingerprint", "card_reader": "sim://rfid",
        "scanner": "sim://scanner", "rdservice": "sim://rdservice"}
    assert all(d.enabled for d in devs.values())
    assert devs["fingerprint"].baudrate == 57600 and devs["rdservice"].baudrate is None


def test_device_sections_from_file_and_environment(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[devices.card_reader]\nurl = "/dev/ttyUSB1"\nenabled = false\n'
                 '[devices.scanner]\nbaudrate = "fast"\n')
    cfg = load_config(f, data_dir=tmp_path,
                      environ={"KIOSK_DEVICES__FINGERPRINT__URL": "/dev/ttyS3"})
    assert cfg.device("card_reader").url == "/dev/ttyUSB1"
    assert not cfg.device("card_reader").enabled
    assert cfg.device("fingerprint").url == "/dev/ttyS3"
    assert cfg.device("scanner").baudrate == 9600
    assert any("devices.scanner.baudrate" in p for p in cfg.problems)
    with pytest.raises(KeyError):
        cfg.device("printer")
