"""The Devanagari keyboard's rules: what a citizen presses is what a Hindi reader sees."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.translit.compose import (
    DEVANAGARI_ROWS,
    Edit,
    backspace,
    key_name,
    keys_for,
    press,
    type_keys,
)


def typed(keys: str) -> str:
    return type_keys(list(keys))


@pytest.mark.parametrize(("keys", "text"), [
    ("रआम", "राम"),                      # the "रआम"
    ("कआ", "का"),
    ("सउनईतआ", "सुनीता"),
    ("दएवई", "देवी"),
    ("कऋपआ", "कृपा"),
    ("गओपआल", "गोपाल"),
    ("गऔरव", "गौरव"),
    ("कऐलआश", "कैलाश"),
    ("डऑकटर", "डॉकटर"),
])
def test_vowel_after_consonant_is_its_matra(keys: str, text: str) -> None:
    assert typed(keys) == text


@pytest.mark.parametrize(("keys", "text"), [
    ("ईशवर", "ईशवर"),      # word start: the letter itself
    ("आई", "आई"),          # after a vowel: the letter
    ("कईई", "कीई"),        # after a matra: the letter
    ("राम ईश", "राम ईश"),  # after a space
    ("कअ", "कअ"),          # अ has no matra: it stays a letter after a consonant
])
def test_vowel_elsewhere_stays_independent(keys: str, text: str) -> None:
    assert type_keys(list(keys.replace("ा", "आ"))) == text


def test_halant_makes_conjuncts_and_gives_way_to_a_vowel() -> None:
    assert type_keys(["क", "्", "ष"]) == "क्ष"
    assert type_keys(["प", "्", "र", "क", "आ", "श"]) == "प्रकाश"
    assert type_keys(["क", "्", "आ"]) == "का"      # the halant gives way to the matra
    assert type_keys(["क", "्", "अ"]) == "क"        # …and to the inherent अ
    assert type_keys(["्"]) == ""                   # nothing to join: nothing written
    assert type_keys(["आ", "्"]) == "आ"
    assert type_keys(["क", "्", "्"]) == "क्"


def test_nukta_only_on_a_consonant_that_takes_one() -> None:
    assert type_keys(["ज", "़"]) == "ज\u093c"
    assert type_keys(["फ", "़", "ई"]) == "फ\u093cी"   # a matra after the nukta
    assert type_keys(["़"]) == ""
    assert type_keys(["म", "़"]) == "म"
    assert type_keys(["ज", "़", "़"]) == "ज\u093c"


def test_anusvara_chandrabindu_visarga_follow_a_letter_once() -> None:
    assert type_keys(["स", "ं", "ज", "य"]) == "संजय"
    assert type_keys(["ह", "आ", "ँ"]) == "हाँ"
    assert type_keys(["द", "उ", "ः", "ख"]) == "दुःख"
    assert type_keys(["अ", "ं"]) == "अं"
    assert type_keys(["ं"]) == ""
    assert type_keys(["क", "ं", "ं"]) == "कं"
    assert type_keys(["क", "्", "ं"]) == "क्"


def test_backspace_removes_one_code_point() -> None:
    assert backspace("का") == Edit(1, "")
    assert type_keys(["क", "आ", "⌫"]) == "क"       # the matra goes, the consonant stays
    assert type_keys(["क", "्", "ष", "⌫", "⌫"]) == "क"
    assert type_keys(["⌫"]) == ""
    assert backspace("") == Edit(0, "")


def test_conjunct_keys_and_digits_are_written_as_they_are() -> None:
    assert press("", "क्ष") == Edit(0, "क्ष")
    assert type_keys(["क्ष", "इ", "त", "इ", "ज"]) == "क्षितिज"
    assert type_keys(["1", "2"]) == "12"


@pytest.mark.parametrize("name", ["राम कुमार", "सुनीता देवी", "प्रकाश", "लक्ष्मी", "कृष्ण",
                                  "संजय", "ज़रीना", "शर्मा", "दुःख", "आईशा", "उमेश"])
def test_every_name_typed_by_its_keys_comes_out_exactly(name: str) -> None:
    assert type_keys(keys_for(name)) == name
    assert unicodedata.normalize("NFC", type_keys(keys_for(name))) == \
        unicodedata.normalize("NFC", name)


def test_every_key_is_unique_and_has_an_object_name() -> None:
    labels = [k for row in DEVANAGARI_ROWS for k in row]
    assert len(labels) == len(set(labels))
    assert {"्", "़", "ं", "ँ", "ः"} <= set(labels)
    assert key_name("क") == "key_क" and key_name(" ") == "key_space"
    # every letter a Hindi name uses can be reached
    for ch in "राम कुमार सुनीता देवी".replace(" ", ""):
        assert any(k in labels for k in keys_for(ch) if k)
