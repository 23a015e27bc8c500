"""Configuration: works with no file, names the bad key, keeps defaults for it."""

from pathlib import Path

from kiosk.config import DEFAULT_GROUPS, load_config


def test_defaults_need_no_file(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path, environ={})
    assert cfg.problems == []
    assert cfg.printer.url == "sim://printer"
    assert cfg.default_language == "hi"
    assert set(cfg.groups) == set(DEFAULT_GROUPS)
    assert cfg.db_path.parent == tmp_path


def test_file_values_and_env_override(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[kiosk]\nidle_seconds = 30\ncentre_code = "MP-IND-001"\n'
                 '[devices.printer]\npaper_mm = 58\n[queue.groups.X]\nname_en = "Extra"\n',
                 encoding="utf-8")
    cfg = load_config(f, tmp_path, environ={"KIOSK_KIOSK__IDLE_SECONDS": "12",
                                             "KIOSK_DEVICES__PRINTER__URL": "socket://h:9100"})
    assert cfg.problems == []
    assert cfg.idle_seconds == 12
    assert cfg.centre_code == "MP-IND-001"
    assert cfg.printer.paper_mm == 58 and cfg.printer.url == "socket://h:9100"
    assert cfg.groups["X"].name_en == "Extra" and "C" in cfg.groups


def test_bad_value_names_the_key_and_keeps_default(tmp_path: Path) -> None:
    f = tmp_path / "k.toml"
    f.write_text('[kiosk]\nidle_seconds = "soon"\nbogus = 1\n[devices.printer]\npaper_mm = 70\n',
                 encoding="utf-8")
    cfg = load_config(f, tmp_path, environ={})
    text = "\n".join(cfg.problems)
    assert "kiosk.idle_seconds" in text and "kiosk.bogus" in text
    assert "devices.printer.paper_mm" in text
    assert cfg.idle_seconds == 45 and cfg.printer.paper_mm == 80


def test_corrupt_or_missing_file_keeps_all_defaults(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk\nidle_seconds = = 3", encoding="utf-8")
    cfg = load_config(bad, tmp_path, environ={})
    assert any("not valid TOML" in p and str(bad) in p for p in cfg.problems)
    assert cfg.idle_seconds == 45
    cfg2 = load_config(tmp_path / "nope.toml", tmp_path, environ={})
    assert any("not found" in p for p in cfg2.problems)


def test_unknown_default_language_falls_back_to_english(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path, environ={"KIOSK_KIOSK__DEFAULT_LANGUAGE": "fr"})
    assert cfg.default_language == "en"
    assert any("default_language" in p for p in cfg.problems)


def test_negative_and_bad_group_rejected(tmp_path: Path) -> None:
    cfg = load_config(data_dir=tmp_path, environ={"KIOSK_KIOSK__IDLE_SECONDS": "-5",
                                                  "KIOSK_QUEUE__GROUPS__C__MINUTES": "x"})
    assert cfg.idle_seconds == 45
    assert cfg.groups["C"].minutes == DEFAULT_GROUPS["C"]["minutes"]
    assert len(cfg.problems) == 2
