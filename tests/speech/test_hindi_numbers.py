"""Hindi number words 0–9999 against a reference table typed separately from the module's.

The reference (``REFERENCE`` below) was transcribed from the standard cardinal list — Wikipedia
"Hindustani numerals" and Transparent Language "Cardinal Numerals" — as value/word/romanisation
rows, independently of kiosk/speech/hindi_numbers.py; a typo in either shows up as a mismatch.
The composition above 99 is re-derived here from the rule as a Hindi grammar states it
("<hundreds> सौ <rest>", "<thousands> हज़ार <rest>"), not by calling the module's helper.
"""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.speech.hindi_numbers import UNITS_AND_TENS, hindi_number

REFERENCE = """
0 शून्य shunya | 1 एक ek | 2 दो do | 3 तीन tin | 4 चार char | 5 पाँच panch | 6 छह chah
7 सात sat | 8 आठ ath | 9 नौ nau | 10 दस das | 11 ग्यारह gyarah | 12 बारह barah | 13 तेरह terah
14 चौदह chaudah | 15 पंद्रह pandrah | 16 सोलह solah | 17 सत्रह satrah | 18 अठारह atharah
19 उन्नीस unnis | 20 बीस bis | 21 इक्कीस ikkis | 22 बाईस bais | 23 तेईस teis | 24 चौबीस chaubis
25 पच्चीस pachchis | 26 छब्बीस chhabbis | 27 सत्ताईस sattais | 28 अट्ठाईस atthais
29 उनतीस untis | 30 तीस tis | 31 इकतीस iktis | 32 बत्तीस battis | 33 तैंतीस taintis
34 चौंतीस chauntis | 35 पैंतीस paintis | 36 छत्तीस chhattis | 37 सैंतीस saintis
38 अड़तीस adtis | 39 उनतालीस untalis | 40 चालीस chalis | 41 इकतालीस iktalis
42 बयालीस bayalis | 43 तैंतालीस taintalis | 44 चवालीस chavalis | 45 पैंतालीस paintalis
46 छियालीस chhiyalis | 47 सैंतालीस saintalis | 48 अड़तालीस adtalis | 49 उनचास unchas
50 पचास pachas | 51 इक्यावन ikyavan | 52 बावन bavan | 53 तिरेपन tirepan | 54 चौवन chauvan
55 पचपन pachpan | 56 छप्पन chhappan | 57 सत्तावन sattavan | 58 अट्ठावन atthavan
59 उनसठ unsath | 60 साठ sath | 61 इकसठ iksath | 62 बासठ basath | 63 तिरेसठ tiresath
64 चौंसठ chaunsath | 65 पैंसठ painsath | 66 छियासठ chhiyasath | 67 सड़सठ sadsath
68 अड़सठ adsath | 69 उनहत्तर unhattar | 70 सत्तर sattar | 71 इकहत्तर ikhattar
72 बहत्तर bahattar | 73 तिहत्तर tihattar | 74 चौहत्तर chauhattar | 75 पचहत्तर pachhattar
76 छिहत्तर chhihattar | 77 सतहत्तर sathattar | 78 अठहत्तर athhattar | 79 उन्यासी unyasi
80 अस्सी assi | 81 इक्यासी ikyasi | 82 बयासी bayasi | 83 तिरासी tirasi | 84 चौरासी chaurasi
85 पचासी pachasi | 86 छियासी chhiyasi | 87 सत्तासी sattasi | 88 अट्ठासी atthasi
89 नवासी navasi | 90 नब्बे nabbe | 91 इक्यानवे ikyanve | 92 बानवे banve | 93 तिरानवे tiranve
94 चौरानवे chauranve | 95 पचानवे pachanve | 96 छियानवे chhiyanve | 97 सत्तानवे sattanve
98 अट्ठानवे atthanve | 99 निन्यानवे ninyanve
"""


def _reference() -> dict[int, str]:
    table: dict[int, str] = {}
    for row in REFERENCE.replace("\n", " | ").split("|"):
        if row.strip():
            value, word, _roman = row.split()
            table[int(value)] = word
    return table


REF = _reference()


def _composed(n: int) -> str:
    thousands, hundreds, rest = n // 1000, n // 100 % 10, n % 100
    parts = []
    if thousands:
        parts.append(f"{REF[thousands]} हज़ार")
    if hundreds:
        parts.append(f"{REF[hundreds]} सौ")
    if rest or not parts:
        parts.append(REF[rest])
    return " ".join(parts)


def test_the_reference_covers_0_to_99_once() -> None:
    assert sorted(REF) == list(range(100))
    assert len(set(REF.values())) == 100


def test_table_matches_the_reference_word_for_word() -> None:
    assert len(UNITS_AND_TENS) == 100
    wrong = {n: (UNITS_AND_TENS[n], REF[n]) for n in range(100) if UNITS_AND_TENS[n] != REF[n]}
    assert wrong == {}


def test_every_number_0_to_9999_follows_table_and_composition() -> None:
    wrong = [(n, hindi_number(n), _composed(n)) for n in range(10000)
             if hindi_number(n) != _composed(n)]
    assert wrong == []


@pytest.mark.parametrize(("n", "words"), [
    (17, "सत्रह"), (45, "पैंतालीस"), (99, "निन्यानवे"), (39, "उनतालीस"), (49, "उनचास"),
    (59, "उनसठ"), (69, "उनहत्तर"), (79, "उन्यासी"), (89, "नवासी"),
    (100, "एक सौ"), (117, "एक सौ सत्रह"), (300, "तीन सौ"), (999, "नौ सौ निन्यानवे"),
    (1000, "एक हज़ार"), (1001, "एक हज़ार एक"), (1100, "एक हज़ार एक सौ"),
    (2045, "दो हज़ार पैंतालीस"), (9999, "नौ हज़ार नौ सौ निन्यानवे"), (0, "शून्य"),
])
def test_known_values(n: int, words: str) -> None:
    assert hindi_number(n) == words


def test_no_digit_by_digit_and_pure_devanagari() -> None:
    for n in range(1, 100):
        word = hindi_number(n)
        assert " " not in word, f"{n} must be one word, got {word!r}"
    for n in (7, 77, 777, 7777):
        word = hindi_number(n)
        assert unicodedata.normalize("NFC", word) == word
        assert all("\u0900" <= ch <= "\u097f" or ch == " " for ch in word), word


@pytest.mark.parametrize("bad", [-1, 10000, True, 3.0])
def test_out_of_range_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        hindi_number(bad)  # type: ignore[arg-type]

