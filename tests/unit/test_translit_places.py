"""Place-name transliteration (kiosk/translit/places.py): the endings MP's villages share."""

from __future__ import annotations

import pytest

from kiosk.translit import to_hindi, to_hindi_place
from kiosk.translit.places import ENDINGS, place_table


@pytest.mark.parametrize(("english", "hindi"), [
    ("Sukhi Sewania", "सुखी सेवनिया"),        # -ia → िया (the name rules gave सेवनिअ)
    ("Imalia", "इमलिया"), ("Khirkiya", "खिरकिया"),
    ("Ramgarh", "रामगढ़"), ("Bairagarh", "बैरागढ़"), ("Rajgarh", "राजगढ़"),
    ("Jabalpur", "जबलपुर"), ("Bhojpur", "भोजपुर"), ("Rampura", "रामपुरा"),
    ("Ashoknagar", "अशोकनगर"), ("Begamganj", "बेगमगंज"), ("Nasrullaganj", "नसरुल्लागंज"),
    ("Jhabua", "झाबुआ")])
def test_common_endings(english: str, hindi: str) -> None:
    assert to_hindi_place(english) == hindi
    assert to_hindi_place(english.upper()) == hindi


def test_place_habits_the_name_rules_do_not_have() -> None:
    assert to_hindi_place("Bhind") == "भिंड"                  # a final -nd is ंड
    assert to_hindi_place("Khargone") == "खरगोन"              # silent English e, no र्ग
    assert to_hindi_place("Misrod") == "मिसरोद"               # no conjunct before r inside
    assert to_hindi_place("Gird") == "गिर्द"                  # ... but r joins at the end
    assert to_hindi_place("Prithvipur").startswith("प्र")     # and at the start
    assert to_hindi_place("Sagar") == "सागर"                  # CaCaC: the first a is long


def test_exceptions_table_wins_and_can_be_switched_off() -> None:
    assert to_hindi_place("Mhow") == "महू"
    assert to_hindi_place("Gandhi Nagar") == "गांधी नगर"
    assert to_hindi_place("Narsinghpur") == "नरसिंहपुर"        # nar + singh (names) + pur
    assert to_hindi_place("Khajuri Kalan") == "खजुरी कलां"
    assert to_hindi_place("Berasia Road").endswith(" रोड")
    assert to_hindi_place("Mhow", use_table=False) != "महू"
    assert all(k == k.lower() and v for k, v in place_table().items())


def test_names_are_untouched_by_the_place_rules() -> None:
    """Personal names keep their own rules (the name bench must not move)."""
    assert to_hindi("Sharma") == "शर्मा" and to_hindi("Ram") == "राम"
    assert to_hindi("Narendra") == "नरेंद्र"


def test_digits_and_punctuation_pass_through() -> None:
    assert to_hindi_place("Rampur-2, 12") == "रामपुर-2, 12"
    assert to_hindi_place("") == ""


def test_endings_are_devanagari() -> None:
    assert all(all("\u0900" <= ch <= "\u097F" for ch in v) for v in ENDINGS.values())


def test_accuracy_on_the_reference_lists_does_not_fall_back() -> None:
    """The place bench's two lists (bench/bench_translit_places.py): the MP names with their
    own Hindi, and the other Hindi states' districts the rules were not written against. The
    floors sit a little under today's 43.5 % and 37.7 %; the name rules alone score 21.7 % and
    18.7 %, so losing the place rules fails this."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from bench_translit_places import reference_india, reference_mp
    finally:
        sys.path.pop(0)
    for rows, floor in ((reference_mp(), 0.42), (reference_india(), 0.36)):
        assert len(rows) >= 115
        ok = sum(to_hindi_place(en) == hi for en, hi in rows) / len(rows)
        assert ok >= floor, ok
