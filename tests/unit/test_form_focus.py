"""Where the form's focus goes (kiosk/ui/viewmodels/form_focus.py), the count tiles, and the
``[kiosk] district`` / ``tehsil`` checks: issue 14's "fewer answers", without a QML engine."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from kiosk.catalogue import FieldDef, load_catalogue
from kiosk.catalogue.places import load_places
from kiosk.config import MSG_UNKNOWN_PLACE, load_config
from kiosk.i18n import translate
from kiosk.ui.viewmodels.fields import count_tiles, field_row
from kiosk.ui.viewmodels.form_focus import finished_typing, first_box, next_box

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)


def _fields(_tmp_path: Path, step_key: str, code: str = "INC") -> tuple[FieldDef, ...]:
    cat = load_catalogue()
    svc = cat.get(code)
    assert svc is not None
    return next(s for s in cat.steps(svc) if s.key == step_key).fields


def _no_tiles(_f: FieldDef) -> bool:
    return False


def test_a_step_opens_on_its_first_empty_box_the_english_name_first_in_english(
        tmp_path: Path) -> None:
    applicant = _fields(tmp_path, "applicant")
    assert first_box(applicant, {}, "hi", _no_tiles) == "name_hi"
    assert first_box(applicant, {}, "en", _no_tiles) == "name_en"
    # both names there: the relation (a choice) is the first empty answer -> no box
    names = {"name_hi": "कमल", "name_en": "Kamal"}
    assert first_box(applicant, names, "en", _no_tiles) == ""
    done = {**names, "relation": "father", "relative_name": "Ram", "dob": "15081985",
            "gender": "male", "mobile": "9876543210"}
    assert first_box(applicant, done, "en", _no_tiles) == ""   # only the optional Aadhaar


def test_the_next_box_passes_choices_and_filled_boxes(tmp_path: Path) -> None:
    applicant = _fields(tmp_path, "applicant")
    answers = {"name_hi": "कमल", "name_en": "Kamal", "relation": "father"}
    assert next_box(applicant, "relation", answers, _no_tiles) == "relative_name"
    assert next_box(applicant, "dob", answers, _no_tiles) == "mobile"     # gender passed
    assert next_box(applicant, "mobile", answers, _no_tiles) == "aadhaar"
    assert next_box(applicant, "aadhaar", answers, _no_tiles) == ""
    assert next_box(applicant, "nonsense", answers, _no_tiles) == ""


def test_tiles_to_tap_stop_the_focus(tmp_path: Path) -> None:
    address = _fields(tmp_path, "address")
    tiles = {"tehsil"}
    has = lambda f: f.key in tiles  # noqa: E731
    assert next_box(address, "district", {"district": "Bhopal"}, has) == ""
    assert first_box(address, {"district": "Bhopal"}, "en", has) == ""
    chosen = {"district": "Bhopal", "tehsil": "Huzur"}
    assert first_box(address, chosen, "en", has) == "village"
    assert next_box(address, "tehsil", chosen, has) == "village"


def test_only_a_complete_valid_number_is_finished(tmp_path: Path) -> None:
    by_key = {f.key: f for f in _fields(tmp_path, "applicant")}
    dob, mobile, aadhaar = by_key["dob"], by_key["mobile"], by_key["aadhaar"]
    assert finished_typing(dob, "15081985", TODAY)
    assert finished_typing(dob, "15-08-1985", TODAY)
    assert not finished_typing(dob, "1508198", TODAY)
    assert not finished_typing(dob, "31021985", TODAY)       # no 31 February: stay
    assert finished_typing(mobile, "9876543210", TODAY)
    assert not finished_typing(mobile, "1234567890", TODAY)  # not a mobile number: stay
    assert finished_typing(mobile, "९८७६५४३२१०", TODAY)
    assert not finished_typing(aadhaar, "498712345678", TODAY)   # Verhoeff check fails
    assert finished_typing(aadhaar, "498712345679", TODAY)
    assert not finished_typing(by_key["relative_name"], "Ram Singh", TODAY)


def test_a_small_count_is_tiles(tmp_path: Path) -> None:
    own = {f.key: f for f in _fields(tmp_path, "service")}
    assert count_tiles(own["family_members"]) == list(range(1, 10))
    row = field_row(own["family_members"], "en", "")
    assert row["tiles"] == list(range(1, 10)) and row["tilesMore"] is True
    assert count_tiles(own["annual_income"]) == []
    assert count_tiles(FieldDef("years", "number", own["family_members"].label,
                                minimum=0, maximum=120)) == []
    assert count_tiles(FieldDef("copies", "number", own["family_members"].label,
                                minimum=1, maximum=5)) == [1, 2, 3, 4, 5]


def test_two_letters_find_sukhi_sewania_in_bhopal() -> None:
    places = load_places()
    found = places.choices("village", "su", {"district": "Bhopal"}, "en")
    assert "Sukhi Sewania" in [c["value"] for c in found]
    assert places.choices("village", "s", {"district": "Bhopal"}, "en") == []


def _check(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "config", "check", str(path),
                           "--data-dir", str(tmp_path / "d")], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"KIOSK_CONFIG_DIRS": "",
                                                      "PATH": "/usr/bin:/bin"})


def test_the_kiosk_tehsil_is_checked_against_the_district(tmp_path: Path) -> None:
    ok = load_config(environ={"KIOSK_KIOSK__TEHSIL": "Huzur"}, config_dirs=[],
                     data_dir=tmp_path / "d")
    assert ok.tehsil == "Huzur" and ok.problems == []
    assert load_config(environ={}, config_dirs=[], data_dir=tmp_path / "d").tehsil == ""
    bad = load_config(environ={"KIOSK_KIOSK__TEHSIL": "Huzr"}, config_dirs=[],
                      data_dir=tmp_path / "d")
    assert bad.tehsil == ""                       # unset: nothing is chosen for citizens
    (problem,) = bad.problems
    assert "kiosk.tehsil" in problem and "did you mean Huzur?" in problem
    assert translate(MSG_UNKNOWN_PLACE, "hi") in problem
    assert translate(MSG_UNKNOWN_PLACE, "en") in problem
    done = _check(tmp_path, '[kiosk]\ntehsil = "Huzr"\n')
    assert done.returncode == 2 and "kiosk.tehsil" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert _check(tmp_path, '[kiosk]\ntehsil = "Berasia"\n').returncode == 0


def test_a_district_typo_is_a_config_problem_too(tmp_path: Path) -> None:
    bad = load_config(environ={"KIOSK_KIOSK__DISTRICT": "Bhopaal"}, config_dirs=[],
                      data_dir=tmp_path / "d")
    assert any("kiosk.district" in p and "Bhopal" in p for p in bad.problems)
    hindi = load_config(environ={"KIOSK_KIOSK__DISTRICT": "भोपाल",
                                 "KIOSK_KIOSK__TEHSIL": "Huzur"},
                        config_dirs=[], data_dir=tmp_path / "d")
    assert hindi.problems == []
    # a district without listed tehsils: its tehsil cannot be chosen, and says so
    bare = next((d for d in load_places().districts if not d.tehsils), None)
    if bare is not None:
        none = load_config(environ={"KIOSK_KIOSK__DISTRICT": bare.name.en,
                                    "KIOSK_KIOSK__TEHSIL": bare.name.en},
                           config_dirs=[], data_dir=tmp_path / "d")
        assert any("not listed" in p for p in none.problems)
